// Placeholder: the semver comparator is being written.
#include "vuln/version.h"

namespace drydock {

Result<int> CompareSemver(std::string_view, std::string_view) { return InputError("semver: version comparison not implemented yet"); }

}  // namespace drydock
