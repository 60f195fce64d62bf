// NuGet versions as NuGet.Versioning's NuGetVersion parses and
// VersionComparer.Default orders them: one to four numeric parts (missing
// parts are 0, leading zeros allowed), an optional -prerelease of
// dot-separated labels and +metadata. Release > prerelease; labels compare
// numerically when both are numeric, numeric before alphanumeric, otherwise
// ordinal case-insensitive; fewer labels first. Metadata is ignored.
#include <cctype>
#include <string>
#include <vector>

#include "vuln/version/version.h"
#include "vuln/version/prerelease.h"

namespace drydock {
namespace {

struct NuGetVersion {
  unsigned long long num[4] = {0, 0, 0, 0};
  std::vector<std::string> labels;  // upper-cased
};

Result<NuGetVersion> ParseNuGet(std::string_view v) {
  NuGetVersion out;
  std::string_view s = v;
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (auto plus = s.find('+'); plus != std::string_view::npos) {
    if (plus + 1 == s.size()) return InputError("nuget: {}: empty metadata", v);
    s = s.substr(0, plus);
  }
  std::string_view pre;
  if (auto dash = s.find('-'); dash != std::string_view::npos) {
    pre = s.substr(dash + 1);
    s = s.substr(0, dash);
    if (pre.empty()) return InputError("nuget: {}: empty prerelease", v);
  }
  int k = 0;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    if (i != s.size() && s[i] != '.') continue;
    std::string_view part = s.substr(start, i - start);
    if (k == 4) return InputError("nuget: {}: more than four numeric parts", v);
    if (!AllDigits(part)) return InputError("nuget: {}: non-numeric part '{}'", v, part);
    while (part.size() > 1 && part[0] == '0') part.remove_prefix(1);
    if (part.size() > 10) return InputError("nuget: {}: part too large", v);
    out.num[k++] = std::stoull(std::string(part));
    start = i + 1;
  }
  if (!pre.empty()) {
    start = 0;
    for (size_t i = 0; i <= pre.size(); ++i) {
      if (i != pre.size() && pre[i] != '.') continue;
      std::string label(pre.substr(start, i - start));
      if (label.empty()) return InputError("nuget: {}: empty prerelease label", v);
      for (char& c : label) {
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') {
          return InputError("nuget: {}: invalid prerelease label", v);
        }
        c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      }
      out.labels.push_back(std::move(label));
      start = i + 1;
    }
  }
  return out;
}

}  // namespace

Result<int> CompareNuGet(std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(NuGetVersion x, ParseNuGet(a));
  ASSIGN_OR_RETURN(NuGetVersion y, ParseNuGet(b));
  for (int k = 0; k < 4; ++k) {
    if (x.num[k] != y.num[k]) return x.num[k] < y.num[k] ? -1 : 1;
  }
  return ComparePrerelease(x.labels, y.labels);
}

}  // namespace drydock
