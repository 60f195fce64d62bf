// The dispatch over the scheme table (schemes.inc).
#include "vuln/version/version.h"

namespace drydock {

std::string_view VersionSchemeName(VersionScheme s) {
  switch (s) {
#define DRYDOCK_VERSION_SCHEME(id, name, purl_type, compare) \
  case VersionScheme::id:                                    \
    return name;
#include "vuln/version/schemes.inc"
#undef DRYDOCK_VERSION_SCHEME
  }
  return "unknown";
}

std::optional<VersionScheme> SchemeForPurlType(std::string_view type) {
#define DRYDOCK_VERSION_SCHEME(id, name, purl_type, compare) \
  if (type == purl_type) return VersionScheme::id;
#include "vuln/version/schemes.inc"
#undef DRYDOCK_VERSION_SCHEME
  return std::nullopt;
}

Result<int> CompareVersions(VersionScheme scheme, std::string_view a, std::string_view b) {
  switch (scheme) {
#define DRYDOCK_VERSION_SCHEME(id, name, purl_type, compare) \
  case VersionScheme::id:                                    \
    return compare(a, b);
#include "vuln/version/schemes.inc"
#undef DRYDOCK_VERSION_SCHEME
  }
  return InputError("unknown version scheme");
}

}  // namespace drydock
