// Placeholder: the dpkg comparator is being written.
#include "vuln/version.h"

namespace drydock {

Result<int> CompareDpkg(std::string_view, std::string_view) { return InputError("dpkg: version comparison not implemented yet"); }

}  // namespace drydock
