// Placeholder: the dpkg cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void DpkgCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
