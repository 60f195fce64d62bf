// Placeholder: the apk comparator is being written.
#include "vuln/version.h"

namespace drydock {

Result<int> CompareApk(std::string_view, std::string_view) { return InputError("apk: version comparison not implemented yet"); }

}  // namespace drydock
