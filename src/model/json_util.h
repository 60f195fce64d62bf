// Small helpers over simdjson's DOM for the metadata documents images carry.
// All getters are tolerant of absent fields and strict about wrong types.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <simdjson.h>

#include "base/result.h"

namespace drydock::json {

// Parses `text` into `parser` and returns the root element. `what` names
// the document in errors ("manifest.json").
Result<simdjson::dom::element> Parse(simdjson::dom::parser& parser, std::string_view text, std::string_view what);

// The value of `key` in `obj` as Go's encoding/json (which writes and reads
// image metadata) would see it: keys match case-insensitively and the last
// match wins. nullopt when absent, null, or when `obj` is not an object.
std::optional<simdjson::dom::element> Get(simdjson::dom::element obj, std::string_view key);

// Field `key` of `obj` as a string; "" when absent or null; error when present
// with another type.
Result<std::string> String(simdjson::dom::element obj, std::string_view key, std::string_view what);
Result<int64_t> Int(simdjson::dom::element obj, std::string_view key, int64_t dflt, std::string_view what);
Result<std::vector<std::string>> StringArray(simdjson::dom::element obj, std::string_view key, std::string_view what);
// Object of string values (labels, annotations).
Result<std::map<std::string, std::string>> StringMap(simdjson::dom::element obj, std::string_view key,
                                                     std::string_view what);
// Keys of an object whose values are ignored (ExposedPorts, Volumes).
Result<std::vector<std::string>> Keys(simdjson::dom::element obj, std::string_view key, std::string_view what);

}  // namespace drydock::json
