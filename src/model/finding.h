// The finding model every scanner produces and every report consumes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/box.h"
#include "base/result.h"
#include "base/shared_text.h"

namespace drydock {

enum class Severity { kUnknown = 0, kLow, kMedium, kHigh, kCritical };

std::string_view SeverityName(Severity s);           // "UNKNOWN".."CRITICAL"
Result<Severity> ParseSeverity(std::string_view s);  // case-insensitive

enum class FindingKind { kVulnerability, kSecret, kMisconfiguration, kLicense };
std::string_view FindingKindName(FindingKind k);  // "vulnerability", …

// Where a finding is: a file in a layer (path, optional line), or a field of
// the image config ("config.User"), or both absent for image-wide findings.
struct Location {
  int layer_index = -1;      // -1: not tied to a layer
  SharedText diff_id;        // "sha256:…" of that layer (shared: every finding of a layer holds it)
  SharedText created_by;     // the instruction that made that layer
  std::string path;          // clean path in the image, or empty
  int line = 0;              // 1-based, 0 when not applicable
  std::string config_field;  // e.g. "config.User", "config.Healthcheck"
  int column = 0;            // 1-based, 0 when not applicable (lint findings)
};

// A CVSS score computed from its vector (never copied from the advisory).
struct CvssScore {
  std::string version;  // "3.1", "4.0"
  std::string vector;   // "CVSS:3.1/AV:N/…"
  double score = 0;     // base score
  std::string source;   // who assigned the vector: "nvd", "ghsa", …
};

// What a vulnerability finding adds: the advisory and the package it hit.
struct VulnerabilityDetail {
  std::string id;                    // "CVE-2023-1234", "GHSA-…", "GO-2024-0001", "DSA-5380-1"
  std::vector<std::string> aliases;  // the other ids of the same advisory
  std::string package_name;          // as the inventory names it
  std::string package_id;            // Package::id
  std::string purl;
  std::string installed_version;
  std::vector<std::string> fixed_versions;  // empty: no fix
  // "fixed" (a fix exists), "affected" (no fix yet), "will_not_fix",
  // "end_of_life", "not_affected" (kept only when the user asks).
  std::string status;
  std::string severity_source;  // "debian", "nvd", "ghsa", "cvss", …
  std::vector<CvssScore> cvss;
  std::string data_source;  // the database source the match came from
  std::string published;    // RFC 3339 or ""
};

// Why a finding is suppressed (src/policy): which kind of source, where in
// it, and what it says. Also used for a VEX statement about a finding that
// does not suppress it (status "under_investigation" or "affected").
struct Suppression {
  std::string kind;           // "ignorefile", "policy", "vex"
  std::string source;         // ".trivyignore:12", "policy.yaml:8 (ignore[2])", "vex.json: statements[3]"
  std::string reason;         // the user's or the VEX author's words
  std::string justification;  // VEX only: "vulnerable_code_not_present", "code_not_reachable", …
  std::string expires;        // "YYYY-MM-DD", when the entry has an expiry date
  std::string status;         // VEX only: "not_affected", "fixed", "under_investigation", "affected"
};

// The rule's words (title, description, remediation, references) are
// SharedTexts: every finding of a rule holds one copy of them, so a scan's
// memory grows by the location and evidence of a finding, not its prose. The
// rarely-set parts (vuln, suppression, vex_note) are Boxes: one pointer when
// absent.
struct Finding {
  std::string rule_id;  // "DD-CIS-4.1", stable
  FindingKind kind = FindingKind::kMisconfiguration;
  Severity severity = Severity::kUnknown;
  SharedText title;        // one line
  SharedText description;  // rationale
  SharedText remediation;  // what to change
  Location location;
  std::string evidence;                // redacted; never a full secret
  std::vector<SharedText> references;  // "CIS Docker Benchmark 4.1", URLs
  std::string fingerprint;             // stable across runs: rule + location hash
  Box<VulnerabilityDetail> vuln;       // kind == kVulnerability
  // Secrets: the other places the same secret value was found (the scan
  // merges them into one finding), and a per-process keyed digest of the
  // value that groups them. The digest is never rendered.
  std::vector<Location> more_locations;
  std::string secret_digest;
  // Set on the findings of ScanResult::suppressed: why.
  Box<Suppression> suppression;
  // A VEX statement that applies but does not suppress (under_investigation,
  // affected): shown beside the finding.
  Box<Suppression> vex_note;

  // Computes `fingerprint` from the rule id and the location (not from
  // severity, title or evidence, so wording changes keep ids stable).
  void Fingerprint();
};

// A per-file problem that does not stop the scan (e.g. an unreadable member
// or a malformed package file). A scan with diagnostics is reported partial.
struct Diagnostic {
  std::string where;  // "layer 2 (sha256:…) /etc/passwd"
  std::string message;
};

// Orders findings for reports: severity descending, then rule id, then path.
void SortFindings(std::vector<Finding>& findings);
// The order SortFindings sorts by (a strict weak order).
bool FindingBefore(const Finding& a, const Finding& b);

}  // namespace drydock
