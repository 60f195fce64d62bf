// Cargo versions: SemVer 2.0.0 as the semver crate parses it (strict
// MAJOR.MINOR.PATCH, no leading zeros, optional -prerelease and +build).
// Precedence per SemVer §11; build metadata does not take part.
#include <cctype>
#include <string>
#include <vector>

#include "vuln/version/version.h"
#include "vuln/version/prerelease.h"

namespace drydock {
namespace {

struct CargoVersion {
  unsigned long long num[3] = {0, 0, 0};
  std::vector<std::string_view> pre;
};

bool IdentChars(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
  }
  return true;
}

Result<CargoVersion> ParseCargo(std::string_view v) {
  CargoVersion out;
  std::string_view rest = v;
  if (auto plus = rest.find('+'); plus != std::string_view::npos) {
    std::string_view build = rest.substr(plus + 1);
    size_t s = 0;
    for (size_t i = 0; i <= build.size(); ++i) {
      if (i == build.size() || build[i] == '.') {
        if (!IdentChars(build.substr(s, i - s))) return InputError("cargo: {}: invalid build metadata", v);
        s = i + 1;
      }
    }
    rest = rest.substr(0, plus);
  }
  std::string_view pre;
  if (auto dash = rest.find('-'); dash != std::string_view::npos) {
    pre = rest.substr(dash + 1);
    rest = rest.substr(0, dash);
    if (pre.empty()) return InputError("cargo: {}: empty pre-release", v);
  }
  for (int k = 0; k < 3; ++k) {
    size_t dot = rest.find('.');
    std::string_view part = k < 2 ? rest.substr(0, dot) : rest;
    if (k < 2 && dot == std::string_view::npos) return InputError("cargo: {}: want MAJOR.MINOR.PATCH", v);
    if (!AllDigits(part)) return InputError("cargo: {}: non-numeric component '{}'", v, part);
    if (part.size() > 1 && part[0] == '0') return InputError("cargo: {}: leading zero in '{}'", v, part);
    if (part.size() > 19) return InputError("cargo: {}: component too large", v);
    out.num[k] = std::stoull(std::string(part));
    if (k < 2) rest = rest.substr(dot + 1);
  }
  if (!pre.empty()) {
    size_t s = 0;
    for (size_t i = 0; i <= pre.size(); ++i) {
      if (i == pre.size() || pre[i] == '.') {
        std::string_view id = pre.substr(s, i - s);
        if (!IdentChars(id)) return InputError("cargo: {}: invalid pre-release identifier", v);
        if (AllDigits(id) && id.size() > 1 && id[0] == '0')
          return InputError("cargo: {}: leading zero in pre-release", v);
        out.pre.push_back(id);
        s = i + 1;
      }
    }
  }
  return out;
}

}  // namespace

Result<int> CompareCargo(std::string_view a, std::string_view b) {
  ASSIGN_OR_RETURN(CargoVersion x, ParseCargo(a));
  ASSIGN_OR_RETURN(CargoVersion y, ParseCargo(b));
  for (int k = 0; k < 3; ++k) {
    if (x.num[k] != y.num[k]) return x.num[k] < y.num[k] ? -1 : 1;
  }
  return ComparePrerelease(x.pre, y.pre);
}

}  // namespace drydock
