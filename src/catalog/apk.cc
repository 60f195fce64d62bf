// Placeholder: the apk cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void ApkCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
