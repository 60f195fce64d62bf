// The pieces of src/policy behind policy.h: the three parsers and what they
// produce, and the matchers they share (purls, version ranges, globs, RFC
// 3339 times). Private to src/policy, its tests and its fuzz target.
//
// Every parser takes the file's bytes and a display name, never opens a
// file itself, and returns one-line input errors that name the file and the
// line (or JSON element). Each bounds its work by the input size.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"
#include "model/finding.h"
#include "policy/policy.h"
#include "vuln/version/version.h"

namespace drydock::policy {

// ---- limits -----------------------------------------------------------------

inline constexpr size_t kMaxIgnoreFileBytes = 16u << 20;  // 16 MiB
inline constexpr size_t kMaxIgnoreLineBytes = 64u << 10;  // Trivy's bufio.Scanner limit
inline constexpr size_t kMaxPolicyFileBytes = 4u << 20;   // yaml-cpp needs ~50x in nodes
inline constexpr size_t kMaxPolicyEntries = 10000;        // unindexed entries are tried per finding
inline constexpr size_t kMaxVexFileBytes = 16u << 20;     // simdjson's DOM takes ~12x
inline constexpr size_t kMaxVexClaims = 300000;           // (statement, product) pairs over all documents
inline constexpr size_t kMaxVexAliases = 256;             // names of one vulnerability in one statement
inline constexpr size_t kMaxVexIndexed = 1000000;         // (name, product) pairs: the size of the index
inline constexpr size_t kMaxPatternBytes = 4096;

// ---- text -------------------------------------------------------------------

// True when `s` is well-formed UTF-8 (no overlongs, surrogates or code
// points above U+10FFFF).
bool IsUtf8(std::string_view s);

// ---- times ------------------------------------------------------------------

// A point in time, UTC.
struct Instant {
  int64_t seconds = 0;  // since 1970-01-01T00:00:00Z
  int32_t nanos = 0;
  auto operator<=>(const Instant&) const = default;
};

// RFC 3339 date-time ("2023-01-08T18:02:03.647787998-06:00", "…Z"); the
// calendar is checked (no 2024-02-30). nullopt when `s` is not one.
std::optional<Instant> ParseRfc3339(std::string_view s);

// ---- purls ------------------------------------------------------------------

// A parsed package URL, components percent-decoded; type lower-cased, and
// a pypi name normalised as PEP 503 says (the purl spec asks for both).
struct Purl {
  std::string type;
  std::string ns;  // namespace, segments joined with '/'
  std::string name;
  std::string version;
  std::vector<std::pair<std::string, std::string>> qualifiers;  // keys lower-cased
  std::string subpath;

  // "type/namespace/name": what two purls of the same package share.
  std::string Identity() const;
  const std::string* Qualifier(std::string_view key) const;
};

// Parses "pkg:type/namespace/name@version?qualifiers#subpath". An error
// says what is wrong ("no name", "bad percent-escape").
Result<Purl> ParsePurl(std::string_view s);

// OpenVEX's rule (go-vex PurlMatches): `general` covers `specific` when the
// type, namespace and name are equal; a version in `general` must equal
// the version of `specific`; every qualifier `general` has must be in
// `specific` with the same value (extra ones in `specific` are fine).
bool PurlCovers(const Purl& general, const Purl& specific);

// ---- version ranges ---------------------------------------------------------

// The ordering of a purl type's versions: SchemeForPurlType
// (vuln/version/version.h, from the scheme table).

// "< 1.1.1n-0+deb11u5", ">= 1.0, < 2.0": comparators joined by ',' (all
// must hold). Operators: < <= > >= = == !=.
struct VersionRange {
  enum class Op { kLt, kLe, kGt, kGe, kEq, kNe };
  struct Bound {
    Op op;
    std::string version;
  };
  VersionScheme scheme = VersionScheme::kSemver;
  std::vector<Bound> bounds;
};

// Parses `text` under `scheme`; every bound must be a valid version of it.
Result<VersionRange> ParseVersionRange(std::string_view text, VersionScheme scheme);

// True when `version` satisfies every bound. A version the scheme cannot
// parse satisfies nothing (the entry then does not suppress).
bool InRange(const VersionRange& range, std::string_view version);

// ---- globs ------------------------------------------------------------------

// A path glob: '*' (within one component), '**' (a whole component: any
// number of components), '?', '[abc]', '[a-z]', '[!x]'; a leading '/' is
// optional on both the pattern and the path. Matching is O(pattern ×
// path): no backtracking blow-up on hostile patterns.
struct Glob {
  std::vector<std::string> segments;  // "**" or a component pattern
  bool Match(std::string_view path) const;
};
Result<Glob> CompileGlob(std::string_view pattern);

// ---- the ignore file (.drydockignore, .trivyignore) ----------------------------

struct IgnoreLine {
  std::string id;
  int line = 0;
  std::optional<Date> expires;
  std::string comment;  // a trailing "# …", without the '#'
};

struct IgnoreFile {
  std::string name;                                            // as given (the default file's name when picked up)
  std::vector<IgnoreLine> lines;                               // in file order, expired ones dropped
  std::unordered_map<std::string, std::vector<size_t>> by_id;  // id -> indexes into lines
};

// Parses an ignore file. Lines expired by `today` are dropped with a
// warning naming name:line; tokens other than the id and exp:DATE get a
// warning too. Errors: a bad date, a repeated exp:, NUL bytes, a line that
// is not UTF-8 or is over 64 KiB, a file over 16 MiB.
Result<IgnoreFile> ParseIgnoreFile(std::string_view text, std::string_view name, Date today,
                                   std::vector<std::string>& warnings);

// ---- the ignore policy (YAML) ---------------------------------------------------

struct PolicyEntry {
  int index = 0;  // position in `ignore:`
  int line = 0;   // 1-based line of the entry
  std::string id;
  std::optional<Purl> purl;
  std::optional<VersionRange> versions;
  std::optional<Glob> path;
  std::string path_text;
  std::string layer;
  std::string reason;
  std::optional<Date> expires;
};

struct PolicyFile {
  std::string name;
  std::vector<PolicyEntry> entries;                              // in file order, expired ones dropped
  std::unordered_map<std::string, std::vector<size_t>> by_id;    // entries with an id
  std::unordered_map<std::string, std::vector<size_t>> by_purl;  // with a purl (no id), by Purl::Identity
  std::vector<size_t> others;                                    // with neither
};

Result<PolicyFile> ParsePolicyFile(std::string_view text, std::string_view name, Date today,
                                   std::vector<std::string>& warnings);

// ---- VEX --------------------------------------------------------------------

enum class VexStatus { kNotAffected, kFixed, kUnderInvestigation, kAffected };
std::string_view VexStatusName(VexStatus s);

// One statement of one document, as the matcher needs it.
struct VexStatement {
  int document = 0;                // position of its document among --vex files
  int order = 0;                   // position in its document
  std::vector<std::string> vulns;  // name and aliases (OpenVEX); id and references[].id (CycloneDX)
  VexStatus status = VexStatus::kUnderInvestigation;
  std::string justification;
  std::string reason;
  std::string source;           // "vex.json: statements[3]"
  std::optional<Instant> time;  // statement time, else the document's; none = oldest
};

// What one statement says about one product (a package, or every package of
// the image): a statement with three products is three claims.
struct VexClaim {
  size_t statement = 0;
  enum class Target { kPurl, kRef, kAnyPackage } target = Target::kPurl;
  Purl purl;            // kPurl: the package
  std::string ref;      // kRef: a package id (drydock SBOM bom-ref)
  std::string version;  // kRef: only this installed version ("" = any)
  // When >= 0, VexSet::scopes[scope] must hold too: a product that is the
  // image (a pkg:oci purl) or, for a package product with subcomponents, a
  // package of the inventory.
  int scope = -1;
};

struct VexSet {
  std::vector<std::string> names;  // the documents, in order
  std::vector<VexStatement> statements;
  std::vector<VexClaim> claims;
  std::vector<Purl> scopes;
  std::vector<std::string> warnings;
  size_t indexed = 0;  // index entries the claims will make (bounded by kMaxVexIndexed)
  // Claims by what they are matched on (IndexVex): ClaimKey(vuln, 'p',
  // purl identity), ClaimKey(vuln, 'r', ref), ClaimKey(vuln, '*', "") for
  // claims about every package. One flat map: documents with many
  // vulnerabilities cost one entry each, not a map each.
  std::unordered_map<std::string, std::vector<size_t>> index;
};

// Adds one document (OpenVEX 0.2 or CycloneDX 1.4–1.6 JSON) to `set`.
// Errors: not JSON, nested too deep, neither format, a CSAF document, an
// unknown status or justification, a bad timestamp or purl, too many
// statements.
Status AddVexDocument(VexSet& set, std::string_view text, std::string_view name);
void IndexVex(VexSet& set);
std::string ClaimKey(std::string_view vuln, char kind, std::string_view target);

// ---- everything ------------------------------------------------------------------

struct PolicyData {
  std::optional<IgnoreFile> ignore;
  std::optional<PolicyFile> policy;
  VexSet vex;
  std::vector<std::string> warnings;
};

}  // namespace drydock::policy
