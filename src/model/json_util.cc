#include "model/json_util.h"

#include <algorithm>

namespace drydock::json {

using simdjson::dom::element;
using simdjson::dom::element_type;

Result<element> Parse(simdjson::dom::parser& parser, std::string_view text, std::string_view what) {
  element root;
  auto err = parser.parse(text.data(), text.size(), /*realloc_if_needed=*/true).get(root);
  if (err) return InputError("{}: invalid JSON: {}", what, simdjson::error_message(err));
  return root;
}

namespace {
// The field, or a null element when absent.
Result<element> Field(element obj, std::string_view key, std::string_view what) {
  if (!obj.is_object()) return InputError("{}: expected a JSON object", what);
  element v;
  if (obj.get_object().at_key(key).get(v)) return element();
  return v;
}
bool IsNull(element e) { return e.type() == element_type::NULL_VALUE; }
}  // namespace

Result<std::string> String(element obj, std::string_view key, std::string_view what) {
  ASSIGN_OR_RETURN(element v, Field(obj, key, what));
  if (IsNull(v)) return std::string();
  std::string_view s;
  if (v.get_string().get(s)) return InputError("{}: field {:?} is not a string", what, std::string(key));
  return std::string(s);
}

Result<int64_t> Int(element obj, std::string_view key, int64_t dflt, std::string_view what) {
  ASSIGN_OR_RETURN(element v, Field(obj, key, what));
  if (IsNull(v)) return dflt;
  int64_t i = 0;
  if (v.get_int64().get(i)) return InputError("{}: field {:?} is not an integer", what, std::string(key));
  return i;
}

Result<std::vector<std::string>> StringArray(element obj, std::string_view key, std::string_view what) {
  ASSIGN_OR_RETURN(element v, Field(obj, key, what));
  std::vector<std::string> out;
  if (IsNull(v)) return out;
  simdjson::dom::array arr;
  if (v.get_array().get(arr)) return InputError("{}: field {:?} is not an array", what, std::string(key));
  for (element e : arr) {
    std::string_view s;
    if (e.get_string().get(s)) return InputError("{}: field {:?} has a non-string item", what, std::string(key));
    out.emplace_back(s);
  }
  return out;
}

Result<std::map<std::string, std::string>> StringMap(element obj, std::string_view key, std::string_view what) {
  ASSIGN_OR_RETURN(element v, Field(obj, key, what));
  std::map<std::string, std::string> out;
  if (IsNull(v)) return out;
  simdjson::dom::object o;
  if (v.get_object().get(o)) return InputError("{}: field {:?} is not an object", what, std::string(key));
  for (auto [k, val] : o) {
    std::string_view s;
    if (val.get_string().get(s)) continue;  // non-string label values are dropped
    out.emplace(std::string(k), std::string(s));
  }
  return out;
}

Result<std::vector<std::string>> Keys(element obj, std::string_view key, std::string_view what) {
  ASSIGN_OR_RETURN(element v, Field(obj, key, what));
  std::vector<std::string> out;
  if (IsNull(v)) return out;
  simdjson::dom::object o;
  if (v.get_object().get(o)) return InputError("{}: field {:?} is not an object", what, std::string(key));
  for (auto [k, val] : o) out.emplace_back(k);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace drydock::json
