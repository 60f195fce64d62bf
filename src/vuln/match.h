// Vulnerability matching: the inventory against the database. Sees packages
// only, never image files. A package matches only advisories of its own
// ecosystem and name (no CPE or product-name guessing).
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/finding.h"
#include "model/package.h"
#include "model/scan.h"
#include "vuln/db.h"
#include "vuln/version/version.h"

namespace drydock {

// Where a package is looked up and how its versions are ordered.
struct MatchKey {
  std::string ecosystem;           // "debian:11", "pypi", …
  std::vector<std::string> names;  // normalized names to look up (source first for OS packages)
  std::string version;             // normalized installed version
  VersionScheme scheme = VersionScheme::kSemver;
};

// The key for `p` on `os`, or nullopt when drydock has no advisory
// ecosystem for it (generic binaries, an unknown distro).
std::optional<MatchKey> KeyFor(const Package& p, const std::optional<OsRelease>& os);

// PEP 503: lower-case, runs of -_. become "-".
std::string NormalizePypiName(std::string_view name);

// Why an Affected record does or does not apply to `version`.
enum class MatchVerdict { kNotAffected, kAffected };
struct RangeMatch {
  MatchVerdict verdict = MatchVerdict::kNotAffected;
  std::vector<std::string> fixed_versions;  // the fixes of the range(s) that hold the version
  std::string status;                       // "fixed", "affected", "will_not_fix", "end_of_life"
};
// Evaluates one affected record (OSV ranges and versions, distro statuses,
// node-semver raw ranges). Versions that do not parse under the scheme never
// match (and are not errors: advisories hold the odd free-text bound).
RangeMatch EvaluateAffected(const Affected& a, std::string_view version, VersionScheme scheme);
// The same on a record read from the database (no copies).
RangeMatch EvaluateAffected(const AffectedView& a, std::string_view version, VersionScheme scheme);

struct MatchOptions {
  // Report will_not_fix / end_of_life / affected-without-fix statuses (on by
  // default, like Trivy's --ignore-unfixed off).
  bool include_unfixed = true;
};

struct MatchStats {
  int64_t packages = 0;     // looked up
  int64_t unsupported = 0;  // no ecosystem
  int64_t lookups = 0;
};

// Findings (kind kVulnerability, one per package and vulnerability id,
// duplicates across sources merged) for every package of `inv`.
Result<std::vector<Finding>> MatchInventory(const Inventory& inv, const std::optional<OsRelease>& os, VulnDb& db,
                                            const MatchOptions& opts = {}, MatchStats* stats = nullptr);

// Base scores already computed, by vector (NaN: the vector did not parse):
// one scan computes each distinct vector once.
using CvssCache = std::unordered_map<std::string, double>;

// Severity of a vulnerability: the distro's rating first, then the CVSS base
// score computed from the vectors (3.1, 3.0, 4.0, 2.0 in that order), then
// the source's own rating. `source` says which one was used.
Severity VulnSeverity(std::string_view distro_severity, const std::vector<std::pair<std::string, std::string>>& cvss,
                      std::string_view source_severity, std::string* source, std::vector<CvssScore>* scores,
                      CvssCache* cache = nullptr);

}  // namespace drydock
