#include "base/memory.h"

#include <malloc.h>

namespace drydock {

void ReleaseFreedMemory() { ::malloc_trim(0); }

}  // namespace drydock
