// The objects of the JSON report (docs/json-format.md), for the writers that
// embed them (the compare report); private to src/report.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "model/finding.h"
#include "model/package.h"
#include "model/scan.h"

namespace drydock::report {

using Json = nlohmann::ordered_json;

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
