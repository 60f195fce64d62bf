// Placeholder: the java cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void JavaCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
