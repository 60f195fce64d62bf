// The advisory model every importer produces and the database stores:
// one record per advisory, its affected packages normalized across sources
// (OSV, RustSec, RubySec, Node.js security-wg, Alpine secdb, Wolfi, Debian).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.h"

namespace drydock {

// One OSV-style range of events. Empty fields are absent; introduced ""
// means "from the beginning" (OSV "0").
struct AffectedRange {
  std::string introduced;
  std::string fixed;
  std::string last_affected;
  std::string limit;
};

// One affected package of an advisory.
struct Affected {
  // drydock's ecosystem key: "debian:11", "alpine:3.11", "wolfi", "almalinux:9",
  // "pypi", "npm", "go", "cargo", "rubygems", "ruby", "maven", "nuget", "composer".
  std::string ecosystem;
  // The package as the ecosystem names it, normalized by the importer:
  // PEP 503 for PyPI, lower-case where the ecosystem is case-insensitive;
  // for Debian the SOURCE package, for RPM distros the source rpm name.
  std::string package;
  std::string range_type;  // "ECOSYSTEM", "SEMVER", "DISTRO" (a distro fixed version)
  std::vector<AffectedRange> ranges;
  std::vector<std::string> versions;  // explicit affected versions
  // A node-semver range kept as written ("<1.2.3 || >=2.0.0 <2.0.5") when the
  // source gives ranges in that form (Node.js security-wg); empty otherwise.
  std::string raw_range;
  // Distro status: "fixed", "affected", "will_not_fix", "not_affected",
  // "end_of_life"; "" for plain ranges.
  std::string status;
  std::string severity;  // distro urgency mapped to "LOW".."CRITICAL", or ""
};

struct Advisory {
  // "GHSA-…", "PYSEC-…", "GO-2024-0001", "RUSTSEC-…", "DSA-5380-1", "CVE-…", "ALSA-2026:9693"
  std::string id;
  std::vector<std::string> aliases;  // CVE ids and other ids of the same issue
  // Importer id: "osv-pypa", "go-vulndb", "rustsec", "rubysec", "nodejs-npm",
  // "alpine-secdb", "wolfi", "debian-dsa", "debian-dla", "debian-dtsa",
  // "debian-tracker-json", "osv-almalinux", "osv".
  std::string source;
  std::string title;        // one line
  std::string description;  // at most 2 KiB
  std::string severity;     // the source's own qualitative severity ("HIGH") or ""
  // {"3.1", "CVSS:3.1/AV:N/…"}, {"4.0", "CVSS:4.0/…"}, {"3.0", …}, {"2.0", …}
  std::vector<std::pair<std::string, std::string>> cvss;
  std::vector<std::string> references;  // URLs
  std::string published, modified;      // RFC 3339 or ""
  std::vector<Affected> affected;
};

// Receives advisories as an importer produces them; importers stream and
// never hold a whole source. An error from the sink stops the import.
using AdvisorySink = std::function<Status(Advisory&&)>;

// What one import of one source did.
struct ImportStats {
  std::string source;
  int64_t files = 0;
  int64_t advisories = 0;
  int64_t affected = 0;
  int64_t skipped = 0;                // malformed files or records, each with a warning
  std::vector<std::string> warnings;  // "path: why", capped
};

}  // namespace drydock
