// node-semver ranges ("<1.2.3 || >=2.0.0 <2.0.5", "^1.2", "1.x", "1.2.3 -
// 2.3"), as the npm registry and the Node.js security-wg advisories write
// them, desugared and matched the way node-semver's Range does.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

// One primitive comparator: op is "<", "<=", ">", ">=" or "=", version a
// full x.y.z[-pre] ("" with op "" means any version).
struct SemverComparator {
  std::string op;
  std::string version;
};

// The comparator sets of `range` (OR of ANDs) after desugaring tilde,
// caret, X-ranges, partial versions and hyphen ranges exactly as
// node-semver (non-loose, but 'v'/'=' prefixes and spaces after operators
// accepted). An error names the part that is not a range.
Result<std::vector<std::vector<SemverComparator>>> ParseSemverRange(std::string_view range);

// True when `version` satisfies `range` (node-semver's satisfies() without
// includePrerelease: a prerelease version matches only a comparator set
// that names a prerelease of the same major.minor.patch).
Result<bool> SemverSatisfies(std::string_view range, std::string_view version);

}  // namespace drydock
