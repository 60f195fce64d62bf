// Placeholder: the php cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void PhpCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
