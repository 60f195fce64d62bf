// Placeholder: the pep440 comparator is being written.
#include "vuln/version.h"

namespace drydock {

Result<int> ComparePep440(std::string_view, std::string_view) { return InputError("pep440: version comparison not implemented yet"); }

}  // namespace drydock
