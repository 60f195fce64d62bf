// Placeholder: the maven comparator is being written.
#include "vuln/version.h"

namespace drydock {

Result<int> CompareMaven(std::string_view, std::string_view) { return InputError("maven: version comparison not implemented yet"); }

}  // namespace drydock
