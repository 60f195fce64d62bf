// The objects of the JSON report (docs/json-format.md), for the writers that
// embed them (the compare report); private to src/report.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <vector>
#include <string>

#include <nlohmann/json.hpp>

#include "model/finding.h"
#include "model/package.h"
#include "model/scan.h"

namespace drydock::report {

using Json = nlohmann::ordered_json;

// Where a streamed report goes, piece by piece.
using ReportSink = std::function<void(std::string_view)>;

// One array of a streamed document: the document is built with the string
// `mark` (a control character and a name, which no dumped value can hold
// unescaped) as the value of `key` at nesting `depth` (the object holding the
// key is at depth-1; top-level keys are depth 1), and element(0..n-1) give
// the array's elements.
struct ArraySplice {
  std::string key;
  std::string mark;
  int depth = 1;
  size_t n = 0;
  std::function<Json(size_t)> element;
};

// Writes `skeleton` (the document dumped with indent 2) to `out` with each
// splice's placeholder replaced by its array, each element dumped as it is
// written: byte-identical to dumping the whole document with the arrays in
// place, but no array is ever held in memory whole. Splices are given in
// document order.
void WriteSpliced(std::string_view skeleton, const std::vector<ArraySplice>& splices, const ReportSink& out);

// The omission rule: an empty string is "unknown" and its key is left out.
void PutString(Json& obj, const char* key, const std::string& value);

// artifact.os: an object, or null when the distribution is unknown.
Json OsJson(const std::optional<OsRelease>& os);
// artifact.layers[]
Json LayerJson(const LayerSummary& layer);
// findings[] (the finding's fingerprint must be set: it is the "id")
Json FindingJson(const Finding& f);
// packages[]
Json PackageJson(const Package& p);

}  // namespace drydock::report
