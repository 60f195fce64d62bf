// Placeholder: the binary cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void BinaryCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
