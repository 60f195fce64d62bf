// Placeholder: the go cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void GoCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
