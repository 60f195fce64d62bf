// Advisory importers: one per source format, each turning the source's files
// into drydock's Advisory model (advisory.h) and handing them to a sink.
//
// Two layers per format:
//  - ParseXxx(bytes, …) parses one file's bytes into advisories. Pure, never
//    throws, bounded by the input; a malformed document is an error naming
//    why, a malformed record inside an otherwise good document is skipped
//    with a line appended to `warnings`. These are the fuzz entry points.
//  - ImportXxx(path, sink, stats) walks a file, a directory (recursively) or
//    an archive, calls ParseXxx per file and streams the advisories to the
//    sink one file at a time. A malformed file is a warning in `stats`
//    (skipped + 1), not a failure; an unreadable path or an error from the
//    sink stops the import with that error.
//
// Choices the database relies on:
//  - Debian DSA/DLA/DTSA lists: one Advisory per DSA/DLA/DTSA (id
//    "DSA-5380-1"), the CVEs it lists as aliases, one Affected per
//    `[release] - package` line (ecosystem "debian:<version>", SOURCE package,
//    range_type "DISTRO"). Statuses: a version = "fixed" with range
//    {introduced "", fixed version}; <not-affected> = "not_affected";
//    <unfixed> and <undetermined> = "affected"; <end-of-life> =
//    "end_of_life"; <no-dsa>, <ignored>, <postponed> = "will_not_fix".
//  - Debian tracker JSON: one Advisory per CVE (id the CVE), one Affected
//    per (source package, release). resolved with fixed_version "0" =
//    "not_affected".
//  - Alpine secdb: one Advisory per (CVE, branch file) with id the CVE, one
//    Affected per package; the secfixes key "0" = "not_affected".
//  - Node.js security-wg: Affected.raw_range holds `vulnerable_versions` as
//    written and is what matching must use (SemverSatisfies); `ranges` holds
//    the same set converted to OSV events for display of fixed versions.
//  - RustSec / RubySec: `patched` + `unaffected` requirement lists are
//    converted to the complementary OSV ranges (introduced/fixed/
//    last_affected). An affected stretch that starts just after a version
//    (a safe requirement `<= 1.2` or `= 1.2`) cannot be said in OSV events;
//    it starts at that version (one safe version may be reported).
//  - Go vulndb's `stdlib` and `toolchain` modules keep those names: the
//    inventory maps a Go binary's runtime version to package "stdlib".
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "vuln/advisory.h"

namespace drydock {

// Per-file parsers (see above). `source` is the Advisory.source to stamp;
// empty lets the parser choose from the content (OSV: by ecosystem).
Result<std::vector<Advisory>> ParseOsvJson(std::string_view bytes, std::string_view source,
                                           std::vector<std::string>& warnings);
Result<std::vector<Advisory>> ParseOsvYaml(std::string_view bytes, std::string_view source,
                                           std::vector<std::string>& warnings);
Result<std::vector<Advisory>> ParseRustSec(std::string_view bytes, std::vector<std::string>& warnings);
// `ruby_interpreter` for rubies/*.yml (ecosystem "ruby", package the engine).
Result<std::vector<Advisory>> ParseRubySec(std::string_view bytes, bool ruby_interpreter,
                                           std::vector<std::string>& warnings);
Result<std::vector<Advisory>> ParseNodeNpm(std::string_view bytes, std::vector<std::string>& warnings);
Result<std::vector<Advisory>> ParseAlpineSecdb(std::string_view bytes, std::vector<std::string>& warnings);
Result<std::vector<Advisory>> ParseWolfi(std::string_view bytes, std::vector<std::string>& warnings);
// `source` is "debian-dsa", "debian-dla" or "debian-dtsa".
Result<std::vector<Advisory>> ParseDebianList(std::string_view bytes, std::string_view source,
                                              std::vector<std::string>& warnings);
Result<std::vector<Advisory>> ParseDebianTrackerJson(std::string_view bytes, std::vector<std::string>& warnings);

// Importers: `path` is a file or directory of the source's files (OSV also
// takes .zip and .tar.gz archives).
Status ImportOsv(const std::string& path, const AdvisorySink& sink, ImportStats& stats);
Status ImportRustSec(const std::string& path, const AdvisorySink& sink, ImportStats& stats);
Status ImportRubySec(const std::string& path, const AdvisorySink& sink, ImportStats& stats);
Status ImportNodeNpm(const std::string& path, const AdvisorySink& sink, ImportStats& stats);
Status ImportAlpineSecdb(const std::string& path, const AdvisorySink& sink, ImportStats& stats);
Status ImportWolfi(const std::string& path, const AdvisorySink& sink, ImportStats& stats);
// A DSA/DLA/DTSA `list` file, or a tracker checkout holding data/{DSA,DLA,DTSA}/list.
Status ImportDebianList(const std::string& path, const AdvisorySink& sink, ImportStats& stats);
Status ImportDebianTrackerJson(const std::string& path, const AdvisorySink& sink, ImportStats& stats);

// Detects which source(s) `path` holds from its shape and imports each: a
// single file, one source's directory or archive, or a directory of sources
// (such as ../shared/data/advisories). One ImportStats per source found.
// A path that holds no known source is an error naming it.
Result<std::vector<ImportStats>> ImportPath(const std::string& path, const AdvisorySink& sink);

// The ecosystem key for an OSV ecosystem name ("PyPI" -> "pypi",
// "AlmaLinux:9" -> "almalinux:9", "crates.io" -> "cargo", "Packagist" ->
// "composer"); "" for an empty name.
std::string OsvEcosystemKey(std::string_view osv_ecosystem);
// The package name as the ecosystem key compares it (PEP 503 for pypi,
// lower-case for nuget/composer).
std::string NormalizePackageName(std::string_view ecosystem_key, std::string_view name);
// "bullseye" -> "11"; a number stays; "" for an unknown codename.
std::string DebianReleaseVersion(std::string_view codename);

}  // namespace drydock
