#include "vuln/version/prerelease.h"

#include <cctype>

namespace drydock {

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

int CompareNumericText(std::string_view a, std::string_view b) {
  while (a.size() > 1 && a[0] == '0') a.remove_prefix(1);
  while (b.size() > 1 && b[0] == '0') b.remove_prefix(1);
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0;
}

int ComparePrereleaseIdentifier(std::string_view a, std::string_view b) {
  const bool na = AllDigits(a), nb = AllDigits(b);
  if (na && nb) return CompareNumericText(a, b);
  if (na != nb) return na ? -1 : 1;
  const int c = a.compare(b);
  return c < 0 ? -1 : c > 0;
}

}  // namespace drydock
