// Placeholder: the node cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void NodeCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
