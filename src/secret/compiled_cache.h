// The compiled Vectorscan database of a rule set, kept in the cache dir.
// Compiling the ~130 built-in rules costs about 1.5 s of CPU; loading the
// serialized database costs a few milliseconds. The cache only saves time:
// a missing, damaged or foreign file means "compile", and a cache dir that
// cannot be written is not an error.
#pragma once

#include <hs/hs.h>

#include <array>
#include <string>
#include <vector>

namespace drydock::secret {

// What hs_compile_multi is given.
struct PatternSet {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
};

// The cache key: SHA-256 (hex) over the Vectorscan version, the mode and
// every pattern with its flags and id. Any change to the rules changes it.
std::string CompiledKey(const PatternSet& patterns, unsigned mode);

// The database stored in `dir` under `key`, or null when there is none or
// it does not verify (checksum, size, Vectorscan version or platform).
hs_database_t* LoadCompiled(const std::string& dir, const std::string& key);

// Writes `db` to `dir` under `key` (temporary file, then rename, so a
// concurrent scan never reads half a file) and prunes the oldest entries
// beyond a few. Errors are ignored.
void StoreCompiled(const std::string& dir, const std::string& key, const hs_database_t* db);

// The key of Engine::ValueDigest: 32 random bytes kept in `dir`/value.key
// (created once, 0600, by link so concurrent first runs agree on one), so
// that the secret digests the layer cache stores stay comparable across
// runs. A fresh random key, not kept, when `dir` is empty or cannot be
// written.
std::array<unsigned char, 32> ValueKey(const std::string& dir);

}  // namespace drydock::secret
