// Placeholder: the dotnet cataloger is being written.
#include "catalog/catalogers.h"

namespace drydock {

void DotnetCatalogers(std::vector<Cataloger>&) {}

}  // namespace drydock
