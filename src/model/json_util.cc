#include "model/json_util.h"

#include <algorithm>
#include <cctype>
#include <optional>

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
// Go's Unicode simple case folding, as far as it can make a key equal to an
// ASCII field name: ASCII letters, plus the two non-ASCII runes whose fold
// orbit holds an ASCII letter, U+017F (long s) ~ s and U+212A (Kelvin) ~ k.
bool EqualFold(std::string_view key, std::string_view ascii_name) {
  size_t i = 0;
  for (char want : ascii_name) {
    const auto w = static_cast<char>(std::tolower(static_cast<unsigned char>(want)));
    if (i >= key.size()) return false;
    if (key.substr(i, 2) == "\xC5\xBF" && w == 's') {
      i += 2;
    } else if (key.substr(i, 3) == "\xE2\x84\xAA" && w == 'k') {
      i += 3;
    } else if (std::tolower(static_cast<unsigned char>(key[i])) == w) {
      ++i;
    } else {
      return false;
    }
  }
  return i == key.size();
}
}  // namespace

std::optional<element> Get(element obj, std::string_view key) {
  // Go's encoding/json fills a struct field from every key that matches it
  // case-insensitively, in document order, so the last such key wins: a
  // config with "User": "app", "user": "root" runs as root under docker.
  std::optional<element> found;
  simdjson::dom::object o;
  if (obj.get_object().get(o)) return found;
  for (auto [k, v] : o) {
    if (EqualFold(k, key)) found = v;
  }
  if (found && found->type() == element_type::NULL_VALUE) found.reset();
  return found;
}

namespace {
// The field, or nullopt when absent or JSON null.
Result<std::optional<element>> Field(element obj, std::string_view key, std::string_view what) {
  if (!obj.is_object()) return InputError("{}: expected a JSON object", what);
  return Get(obj, key);
}
}  // namespace

Result<std::string> String(element obj, std::string_view key, std::string_view what) {
  ASSIGN_OR_RETURN(auto f, Field(obj, key, what));
  if (!f) return std::string();
  std::string_view s;
  if (f->get_string().get(s)) return InputError("{}: field {:?} is not a string", what, std::string(key));
  return std::string(s);
}

Result<int64_t> Int(element obj, std::string_view key, int64_t dflt, std::string_view what) {
  ASSIGN_OR_RETURN(auto f, Field(obj, key, what));
  if (!f) return dflt;
  int64_t i = 0;
  if (f->get_int64().get(i)) return InputError("{}: field {:?} is not an integer", what, std::string(key));
  return i;
}

Result<std::vector<std::string>> StringArray(element obj, std::string_view key, std::string_view what) {
  ASSIGN_OR_RETURN(auto f, Field(obj, key, what));
  std::vector<std::string> out;
  if (!f) return out;
  simdjson::dom::array arr;
  if (f->get_array().get(arr)) return InputError("{}: field {:?} is not an array", what, std::string(key));
  for (element e : arr) {
    std::string_view s;
    if (e.get_string().get(s)) return InputError("{}: field {:?} has a non-string item", what, std::string(key));
    out.emplace_back(s);
  }
  return out;
}

Result<std::map<std::string, std::string>> StringMap(element obj, std::string_view key, std::string_view what) {
  ASSIGN_OR_RETURN(auto f, Field(obj, key, what));
  std::map<std::string, std::string> out;
  if (!f) return out;
  simdjson::dom::object o;
  if (f->get_object().get(o)) return InputError("{}: field {:?} is not an object", what, std::string(key));
  for (auto [k, val] : o) {
    std::string_view s;
    if (val.get_string().get(s)) continue;  // non-string label values are dropped
    out.insert_or_assign(std::string(k), std::string(s));
  }
  return out;
}

Result<std::vector<std::string>> Keys(element obj, std::string_view key, std::string_view what) {
  ASSIGN_OR_RETURN(auto f, Field(obj, key, what));
  std::vector<std::string> out;
  if (!f) return out;
  simdjson::dom::object o;
  if (f->get_object().get(o)) return InputError("{}: field {:?} is not an object", what, std::string(key));
  for (auto [k, val] : o) out.emplace_back(k);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace drydock::json
