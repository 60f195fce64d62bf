// Transparent huge pages for the few large, short-lived arrays of a scan
// (a cached layer's entry file, its decoded entries, the view's index).
//
// Why: memory is paid for at first touch, one fault per 4 KiB page, and on
// a virtual machine a fault costs 10-20 µs: a warm re-scan of a 50k-file
// image touches ~3,000 such pages, more time than decoding the entries takes.
// With THP in "madvise" mode (a common default) a range advised before it
// is touched faults in 2 MiB at a time. Only a hint: where THP is off or
// "always", or the range holds no whole huge page, nothing changes.
#pragma once

#include <sys/mman.h>

#include <cstddef>
#include <cstdint>

namespace drydock {

inline constexpr size_t kHugePageBytes = size_t{2} << 20;

// Advises the whole huge pages inside [p, p + n), which the caller owns and
// has not yet touched (what is already resident stays as it is).
inline void AdviseHugePages(const void* p, size_t n) {
  const auto begin = (reinterpret_cast<uintptr_t>(p) + kHugePageBytes - 1) & ~uintptr_t{kHugePageBytes - 1};
  const auto end = (reinterpret_cast<uintptr_t>(p) + n) & ~uintptr_t{kHugePageBytes - 1};
  if (end > begin) madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
}

// Reserves room for `n` elements and advises it when it spans a huge page.
template <typename Vec>
void ReserveHuge(Vec& v, size_t n) {
  v.reserve(n);
  if (n * sizeof(typename Vec::value_type) >= kHugePageBytes) {
    AdviseHugePages(v.data(), v.capacity() * sizeof(typename Vec::value_type));
  }
}

}  // namespace drydock
