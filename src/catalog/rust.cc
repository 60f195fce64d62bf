// Placeholder: the rust cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void RustCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
