// Placeholder: the cargo-auditable cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void RustAuditableCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
