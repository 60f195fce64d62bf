// Placeholder: the ruby cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void RubyCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
