// Placeholder: the python cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void PythonCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
