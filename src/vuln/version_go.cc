// Placeholder: the go comparator is being written.
#include "vuln/version.h"

namespace drydock {

Result<int> CompareGo(std::string_view, std::string_view) { return InputError("go: version comparison not implemented yet"); }

}  // namespace drydock
