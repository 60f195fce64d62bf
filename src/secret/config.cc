#include "secret/config.h"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "base/path.h"

namespace drydock::secret {

namespace {

constexpr size_t kMaxConfigBytes = 1 << 20;

Result<std::vector<std::string>> Strings(const YAML::Node& n, std::string_view where) {
  std::vector<std::string> out;
  if (!n || n.IsNull()) return out;
  if (n.IsScalar()) return std::vector<std::string>{n.Scalar()};
  if (!n.IsSequence()) return InputError("{}: want a list of strings", where);
  for (const auto& item : n) {
    if (!item.IsScalar()) return InputError("{}: want a list of strings", where);
    out.push_back(item.Scalar());
  }
  return out;
}

Result<Rule> ParseRule(const YAML::Node& n, size_t index) {
  const std::string where = fmt::format("rules[{}]", index);
  if (!n.IsMap()) return InputError("{}: want a mapping", where);
  Rule r;
  r.category = "custom";
  for (const auto& kv : n) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    const YAML::Node& v = kv.second;
    if (key == "keywords") {
      ASSIGN_OR_RETURN(r.keywords, Strings(v, where + ".keywords"));
      continue;
    }
    if (!v.IsScalar()) return InputError("{}.{}: want a scalar", where, Printable(key, 40));
    const std::string& s = v.Scalar();
    if (key == "id") {
      r.id = s;
    } else if (key == "title") {
      r.title = s;
    } else if (key == "category") {
      r.category = s;
    } else if (key == "severity") {
      auto sev = ParseSeverity(s);
      if (!sev.ok()) return sev.error().Wrap(where + ".severity");
      r.severity = *sev;
    } else if (key == "regex") {
      r.regex = s;
    } else if (key == "path") {
      r.path = s;
    } else if (key == "entropy") {
      try {
        r.min_entropy = v.as<double>();
      } catch (const YAML::Exception&) {
        return InputError("{}.entropy: want a number", where);
      }
      if (!(r.min_entropy >= 0 && r.min_entropy <= 8)) return InputError("{}.entropy: want 0 to 8", where);
    } else if (key == "caseless") {
      if (s != "true" && s != "false") return InputError("{}.caseless: want true or false", where);
      r.caseless = s == "true";
    } else {
      return InputError("{}: unknown key {:?}", where, Printable(key, 40));
    }
  }
  if (r.id.empty()) return InputError("{}: id is required", where);
  for (char c : r.id) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) {
      return InputError("{}: id {:?}: use letters, digits, '-', '_' and '.'", where, Printable(r.id, 60));
    }
  }
  if (r.id.starts_with("DD-SECRET-")) r.id = r.id.substr(10);
  if (r.regex.empty()) return InputError("{} ({}): regex is required", where, r.id);
  if (r.title.empty()) r.title = r.id;
  return r;
}

Result<Config> Parse(const YAML::Node& root) {
  Config c;
  if (!root || root.IsNull()) return c;
  if (!root.IsMap()) return InputError("want a mapping with rules, disable and allow");
  for (const auto& kv : root) {
    const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    const YAML::Node& v = kv.second;
    if (key == "rules") {
      if (v.IsNull()) continue;
      if (!v.IsSequence()) return InputError("rules: want a list");
      for (size_t i = 0; i < v.size(); ++i) {
        ASSIGN_OR_RETURN(auto rule, ParseRule(v[i], i));
        c.rules.push_back(std::move(rule));
      }
    } else if (key == "disable") {
      ASSIGN_OR_RETURN(c.disable, Strings(v, "disable"));
    } else if (key == "allow") {
      if (v.IsNull()) continue;
      if (!v.IsMap()) return InputError("allow: want a mapping with paths and regexes");
      for (const auto& a : v) {
        const std::string akey = a.first.IsScalar() ? a.first.Scalar() : "";
        if (akey == "paths") {
          ASSIGN_OR_RETURN(c.allow_paths, Strings(a.second, "allow.paths"));
        } else if (akey == "regexes") {
          ASSIGN_OR_RETURN(c.allow_regexes, Strings(a.second, "allow.regexes"));
        } else {
          return InputError("allow: unknown key {:?} (want paths, regexes)", Printable(akey, 40));
        }
      }
    } else {
      return InputError("unknown key {:?} (want rules, disable, allow)", Printable(key, 40));
    }
  }
  return c;
}

}  // namespace

namespace {

// One line, printable: yaml-cpp messages and user keys may hold anything.
Error OneLine(const Error& e) { return Error{e.kind, Printable(e.message, 300)}; }

Result<Config> ParseUnchecked(std::string_view yaml, std::string_view name) {
  if (yaml.size() > kMaxConfigBytes) return InputError("{}: larger than 1 MiB", Printable(name));
  try {
    const YAML::Node root = YAML::Load(std::string(yaml));
    auto c = Parse(root);
    if (!c.ok()) return c.error().Wrap(Printable(name));
    return c;
  } catch (const YAML::Exception& e) {
    return InputError("{}: invalid YAML at line {}: {}", Printable(name), e.mark.line + 1, e.msg);
  } catch (const std::exception& e) {
    return InputError("{}: invalid YAML: {}", Printable(name), e.what());
  }
}

}  // namespace

Result<Config> ParseConfig(std::string_view yaml, std::string_view name) {
  auto c = ParseUnchecked(yaml, name);
  if (!c.ok()) return OneLine(c.error());
  return c;
}

Result<Config> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError("{}: cannot read the secret config", Printable(path));
  std::string text(kMaxConfigBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  return ParseConfig(text, path);
}

}  // namespace drydock::secret
