// The ignore policy (--ignore-policy FILE), drydock's own YAML format:
//
//   version: 1                       # optional
//   ignore:
//     - id: CVE-2023-0286            # vulnerability id or alias, rule id, or finding id
//       reason: X.400 names are never parsed here      # required
//       expires: 2025-06-30          # optional: from this day on the entry no longer applies
//     - purl: pkg:deb/debian/openssl # the package (type, namespace, name; qualifiers must match)
//       versions: "< 1.1.1n-0+deb11u5"                 # optional, the purl type's ordering
//       reason: fixed in our rebuild
//     - path: /opt/app/testdata/**   # glob on the finding's file (every location must match)
//       reason: test fixtures
//     - layer: sha256:…              # the layer's diff_id
//       reason: the base image's layer, tracked upstream
//
// Keys in one entry must all hold. docs/policy.md is the reference.
#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include <set>

#include <fmt/format.h>

#include "base/path.h"
#include "policy/internal.h"

namespace drydock::policy {
namespace {

int LineOf(const YAML::Node& n) { return n.Mark().line + 1; }

bool IsHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return !s.empty();
}

// The line of the first byte that is not UTF-8, or 0.
int FirstBadUtf8Line(std::string_view text) {
  int line = 1;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (!IsUtf8(text.substr(start, end - start))) return line;
    start = end + 1;
    ++line;
  }
  return 0;
}

class Parser {
 public:
  Parser(std::string_view name, Date today, std::vector<std::string>& warnings)
      : name_(Printable(name)), today_(today), warnings_(warnings) {}

  Result<PolicyFile> Parse(const YAML::Node& root) {
    PolicyFile out;
    if (!root || root.IsNull()) return out;  // empty, or only comments
    if (!root.IsMap()) return Err(root, "want a mapping with `ignore:` (a list of entries)");
    std::set<std::string> seen;
    for (const auto& kv : root) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (!seen.insert(key).second) return Err(kv.first, fmt::format("{:?} given twice", Printable(key, 40)));
      if (key == "version") {
        if (!kv.second.IsScalar() || kv.second.Scalar() != "1") return Err(kv.second, "version: want 1");
      } else if (key == "ignore") {
        if (kv.second.IsNull()) continue;
        if (!kv.second.IsSequence()) return Err(kv.second, "ignore: want a list of entries");
        if (kv.second.size() > kMaxPolicyEntries) {
          return Err(kv.second, fmt::format("ignore: more than {} entries", kMaxPolicyEntries));
        }
        int index = 0;
        for (const auto& item : kv.second) {
          ASSIGN_OR_RETURN(std::optional<PolicyEntry> e, Entry(item, index++));
          if (!e) continue;
          const size_t at = out.entries.size();
          if (!e->id.empty()) {
            out.by_id[e->id].push_back(at);
          } else if (e->purl) {
            out.by_purl[e->purl->Identity()].push_back(at);
          } else {
            out.others.push_back(at);
          }
          out.entries.push_back(std::move(*e));
        }
      } else {
        return Err(kv.first, fmt::format("unknown key {:?} (want ignore, version)", Printable(key, 40)));
      }
    }
    return out;
  }

 private:
  Error Err(const YAML::Node& at, std::string_view what) const {
    return InputError("{}:{}: {}", name_, LineOf(at), what);
  }
  Error Err(const YAML::Node& at, int index, std::string_view what) const {
    return InputError("{}:{}: ignore[{}]: {}", name_, LineOf(at), index, what);
  }

  Result<std::optional<PolicyEntry>> Entry(const YAML::Node& n, int index) {
    if (!n.IsMap()) return Err(n, index, "want a mapping (id, purl, versions, path, layer, reason, expires)");
    PolicyEntry e;
    e.index = index;
    e.line = LineOf(n);
    std::string purl_text, versions_text;
    std::optional<YAML::Node> versions_node;  // a copy: the loop's pair is a temporary
    std::set<std::string> seen;
    for (const auto& kv : n) {
      const std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
      if (!seen.insert(key).second) return Err(kv.first, index, fmt::format("{:?} given twice", Printable(key, 40)));
      static const std::set<std::string> kKeys = {"id", "purl", "versions", "path", "layer", "reason", "expires"};
      if (!kKeys.count(key)) {
        return Err(kv.first, index,
                   fmt::format("unknown key {:?} (want id, purl, versions, path, layer, reason, expires)",
                               Printable(key, 40)));
      }
      if (!kv.second.IsScalar()) return Err(kv.second, index, fmt::format("{}: want a string", key));
      const std::string value = kv.second.Scalar();
      if (value.empty() && key != "reason") return Err(kv.second, index, fmt::format("{}: empty", key));
      if (key == "id") {
        if (value.find_first_of(" \t\r\n") != std::string::npos) {
          return Err(kv.second, index, "id: one id, without white space");
        }
        e.id = value;
      } else if (key == "purl") {
        auto p = ParsePurl(value);
        if (!p.ok()) return Err(kv.second, index, "purl: " + p.error().message);
        e.purl = std::move(*p);
        purl_text = value;
      } else if (key == "versions") {
        versions_text = value;
        versions_node = kv.second;
      } else if (key == "path") {
        auto g = CompileGlob(value);
        if (!g.ok()) return Err(kv.second, index, "path: " + g.error().message);
        e.path = std::move(*g);
        e.path_text = value;
      } else if (key == "layer") {
        if (!value.starts_with("sha256:") || value.size() != 71 || !IsHex(std::string_view(value).substr(7))) {
          return Err(
              kv.second, index,
              fmt::format("layer: {:?} is not a diff_id (sha256: and 64 lower-case hex digits)", Printable(value, 80)));
        }
        e.layer = value;
      } else if (key == "reason") {
        e.reason = value;
        while (!e.reason.empty() && (e.reason.back() == '\n' || e.reason.back() == ' ')) e.reason.pop_back();
      } else if (key == "expires") {
        auto d = ParseDate(value);
        if (!d.ok()) return Err(kv.second, index, "expires: " + d.error().message);
        e.expires = *d;
      }
    }
    if (versions_node) {
      if (!e.purl) return Err(*versions_node, index, "versions: needs a purl to say whose versions");
      if (!e.purl->version.empty()) {
        return Err(*versions_node, index, "versions: the purl names one version already (drop one of the two)");
      }
      const auto scheme = SchemeForPurlType(e.purl->type);
      if (!scheme) {
        return Err(*versions_node, index,
                   fmt::format("versions: purl type {:?} has no version ordering", Printable(e.purl->type, 40)));
      }
      auto r = ParseVersionRange(versions_text, *scheme);
      if (!r.ok()) return Err(*versions_node, index, "versions: " + r.error().message);
      e.versions = std::move(*r);
    }
    if (e.id.empty() && !e.purl && !e.path && e.layer.empty()) {
      return Err(n, index, "names nothing to match (want id, purl, path or layer)");
    }
    if (e.reason.find_first_not_of(" \t\r\n") == std::string::npos) {
      return Err(n, index, "reason: required (say why the finding does not matter)");
    }
    if (e.expires && today_ >= *e.expires) {
      warnings_.push_back(fmt::format("{}:{}: ignore[{}] expired on {}; it no longer suppresses", name_, e.line, index,
                                      e.expires->str()));
      return std::optional<PolicyEntry>();
    }
    return std::optional<PolicyEntry>(std::move(e));
  }

  std::string name_;
  Date today_;
  std::vector<std::string>& warnings_;
};

}  // namespace

Result<PolicyFile> ParsePolicyFile(std::string_view text, std::string_view name, Date today,
                                   std::vector<std::string>& warnings) {
  const std::string shown = Printable(name);
  if (text.size() > kMaxPolicyFileBytes) {
    return InputError("{}: larger than {} MiB (a policy lists entries, not data)", shown, kMaxPolicyFileBytes >> 20);
  }
  if (const size_t nul = text.find('\0'); nul != std::string_view::npos) {
    const int line = 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<ptrdiff_t>(nul), '\n'));
    return InputError("{}:{}: NUL byte (not a text file?)", shown, line);
  }
  if (const int bad = FirstBadUtf8Line(text); bad > 0) return InputError("{}:{}: not UTF-8", shown, bad);
  std::vector<std::string> found;
  Result<PolicyFile> out = PolicyFile{};
  try {
    const YAML::Node root = YAML::Load(std::string(text));
    out = Parser(name, today, found).Parse(root);
  } catch (const YAML::DeepRecursion& e) {
    return InputError("{}:{}: invalid YAML: nested too deeply ({} levels)", shown, e.mark.line + 1, e.depth());
  } catch (const YAML::Exception& e) {
    return InputError("{}:{}: invalid YAML: {}", shown, e.mark.line + 1, Printable(e.msg, 200));
  } catch (const std::exception& e) {
    return InputError("{}: invalid YAML: {}", shown, Printable(e.what(), 200));
  }
  if (!out.ok()) return out.error();
  out->name = std::string(name);
  warnings.insert(warnings.end(), found.begin(), found.end());
  return out;
}

}  // namespace drydock::policy
