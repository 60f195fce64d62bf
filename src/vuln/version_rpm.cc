// Placeholder: the rpm comparator is being written.
#include "vuln/version.h"

namespace drydock {

Result<int> CompareRpm(std::string_view, std::string_view) { return InputError("rpm: version comparison not implemented yet"); }

}  // namespace drydock
