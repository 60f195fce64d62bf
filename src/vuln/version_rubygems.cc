// Placeholder: the rubygems comparator is being written.
#include "vuln/version.h"

namespace drydock {

Result<int> CompareRubyGems(std::string_view, std::string_view) { return InputError("rubygems: version comparison not implemented yet"); }

}  // namespace drydock
