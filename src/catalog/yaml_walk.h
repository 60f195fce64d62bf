// A streaming walk over the map entries of a YAML document, for the lock
// files written as YAML (yarn berry, pnpm).
//
// What it promises: the walk reports the same entries, in the same order,
// as yaml-cpp's event parser would; it never throws, never recurses deeper
// than `max_depth` collections, and keeps no more than one line and the
// current key path. Lock-file tools write a plain block style (indented
// maps, one-line scalars and flow collections), which a line reader walks
// about a hundred times faster than yaml-cpp; any other construct (anchors,
// tags, block scalars, multi-line flow or plain scalars, complex keys …)
// hands the whole document to yaml-cpp.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock::lang {

// What a YAML map entry's value is.
enum class YamlKind { kScalar, kNull, kMap, kSequence };

// Called for every map entry reached from the root through maps only
// (entries inside sequences are not reported): `path` holds the keys from
// the root down to this entry's key; `value` is the scalar text (empty for
// the other kinds). Plain `~`, `null`, `Null`, `NULL` and empty values, and
// aliases, are kNull.
using YamlVisitor = std::function<void(const std::vector<std::string>& path, YamlKind kind, const std::string& value)>;

// Walks the first document of `text`. Nesting deeper than `max_depth`, a
// NUL byte, or a document yaml-cpp rejects is an error.
Status WalkYaml(std::string_view text, int max_depth, const YamlVisitor& visit);

// Splits a YAML stream into its documents: each piece starts at a "---"
// line (a directives-end marker at column 0, alone or followed by a space)
// and runs to the next one or to a "..." line. Text before the first marker
// is a document of its own when it holds anything. Every piece is a view
// into `text`; at most `max_docs` pieces are returned (the rest of the
// stream joins the last one).
std::vector<std::string_view> SplitYamlDocuments(std::string_view text, size_t max_docs);

// The two readers WalkYaml chooses between, for tests and fuzzing that
// compare them: the line reader (false when the document is outside its
// subset; nothing was visited then) and yaml-cpp's event parser.
bool WalkBlockYaml(std::string_view text, int max_depth, const YamlVisitor& visit);
Status WalkYamlCpp(std::string_view text, int max_depth, const YamlVisitor& visit);

}  // namespace drydock::lang
