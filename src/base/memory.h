// Memory the process no longer uses, given back.
#pragma once

namespace drydock {

// Returns the heap's free pages to the kernel (glibc's malloc_trim), so a
// phase that freed a large model before the next one starts does not keep
// its peak resident. Cheap when there is nothing to return.
void ReleaseFreedMemory();

}  // namespace drydock
