// Placeholder: the rpm cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void RpmCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
