// What the two SBOM writers (cyclonedx.cc, spdx.cc) share: the packages in
// document order with unique ids, the document timestamp and identity, SPDX
// license classification against the license list CycloneDX's schema
// enumerates, and the image's name and purl. Private to src/report.
//
// Promises: every function is a pure function of its arguments (the caller
// passes SOURCE_DATE_EPOCH in), so the same scan always renders the same
// bytes; none throws, and none trusts its input: license strings, names and
// dates come from image content and may be hostile (huge, deeply nested,
// not UTF-8). Work is linear in the input, and recursion is capped.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/image.h"
#include "model/package.h"
#include "model/scan.h"

namespace drydock::report {

// The packages of scan.inventory (none when the inventory did not run) in
// report order (SortPackages, so input order does not matter). A package
// whose purl or id is empty (a hand-built scan) gets them as the catalog
// stage would make them; an id seen before gets "-2", "-3" … appended, so
// ids are unique within the result.
std::vector<Package> SbomPackages(const ScanResult& scan);

// The document's creation time as RFC 3339 UTC, "YYYY-MM-DDTHH:MM:SSZ":
// `source_date_epoch` (the SOURCE_DATE_EPOCH value, nullptr when unset) when
// it is a plain decimal count of seconds within years 1970–9999; else the
// image config's `created` when it parses (NormalizeRfc3339); else
// "1970-01-01T00:00:00Z". Never the wall clock: two runs must be identical.
std::string SbomTimestamp(const ImageConfig& config, const char* source_date_epoch);

// An RFC 3339 date-time ("2024-05-01T12:00:00.123456789+02:00") as UTC to
// the second ("2024-05-01T10:00:00Z"); fractions are dropped. nullopt when
// `s` is not one, or the result falls outside years 0000–9999.
std::optional<std::string> NormalizeRfc3339(std::string_view s);

// Hex SHA-256 over what identifies the document: the image (reference,
// image id, manifest digest) and each package's purl and id, in order.
std::string DocumentHash(const ScanResult& scan, const std::vector<Package>& packages);

// A UUID in RFC 4122 form built from the first 16 bytes of a hex digest
// (at least 32 hex digits), with the version nibble set to 5 and the variant
// to 10xx as name-based UUIDs have: "xxxxxxxx-xxxx-5xxx-[89ab]xxx-…".
std::string UuidFromHash(std::string_view hex);

// What a license string found by a cataloger is, in SPDX terms.
enum class LicenseKind {
  kNone,        // empty, "NOASSERTION", "NONE" or "UNKNOWN": says nothing
  kId,          // one id of the SPDX license list
  kExpression,  // a valid SPDX expression (AND/OR/WITH, "+", parentheses, LicenseRef-…)
  kOther,       // anything else: a name or text that is not SPDX
};

struct License {
  LicenseKind kind = LicenseKind::kNone;
  // kId: the id as the list spells it ("mit" -> "MIT"); kExpression: the
  // expression with ids spelled as listed, operators upper-case and single
  // spaces; kOther: the input without surrounding white space.
  std::string text;
};

// Classifies one license string. Ids match case-insensitively (SPDX says
// so); an expression longer than 512 tokens or nested deeper than 32
// parentheses is kOther.
License ClassifyLicense(std::string_view s);

// The license id as the SPDX list spells it, when `s` is one (ignoring
// case); exception ids ("Classpath-exception-2.0") are not license ids.
std::optional<std::string_view> CanonicalLicenseId(std::string_view s);

// `licenses` as one SPDX expression: kNone dropped, repeats dropped, parts
// joined with " AND ", compound parts in parentheses. A kOther string is
// written as `other_ref(text)` (SPDX: its LicenseRef). "" when nothing is left.
std::string JoinLicenses(const std::vector<License>& licenses,
                         const std::function<std::string(const std::string&)>& other_ref);

// The licenses of a package, classified, without kNone and duplicates, in
// the package's order.
std::vector<License> PackageLicenses(const Package& p);

// "LicenseRef-" + `text` reduced to the characters SPDX allows in an
// idstring (letters, digits, '.', '-'), at most 64 of them.
std::string LicenseRefFor(std::string_view text);

// `s` reduced to an SPDX idstring (letters, digits, '.', '-'; every run of
// other bytes becomes one '-'), at most `max` bytes; "" when nothing is left.
std::string Idstring(std::string_view s, size_t max);

// The LicenseRef-… names an SPDX expression uses (in order, no repeats).
std::vector<std::string> LicenseRefsIn(std::string_view expression);

// A repository reference split the way the OCI purl wants it:
// "example.com/team/app:1.2" -> {"example.com/team/app", "app", "1.2"};
// Docker Hub short names gain "docker.io/" and "library/"; a "registry:" or
// "docker:" prefix and an "@digest" suffix are dropped. nullopt for what is
// no repository name (a file path, upper case in the path, an empty part).
struct ImageName {
  std::string repository_url;
  std::string name;  // last path component, lower case
  std::string tag;   // "" when none
};
std::optional<ImageName> ParseImageName(std::string_view ref);

// The name the user gave the image (image.reference, else scan.target, else
// "image").
std::string ImageDisplayName(const ScanResult& scan);
// The image digest a reader can look the image up by: the manifest digest,
// else the image id (config digest); "" when neither is known.
std::string ImageVersion(const ScanResult& scan);
// "pkg:oci/NAME@sha256%3A…?arch=…&repository_url=…&tag=…" when both a
// manifest digest and a repository are known: the reference when the source
// is a registry or engine, else the first repo tag that names a repository.
// "" otherwise (a purl without a pullable digest would mislead).
std::string ImagePurl(const ScanResult& scan);

// `s` cut to at most `max` bytes on a UTF-8 character boundary, with "…"
// appended when cut.
std::string TruncateUtf8(std::string_view s, size_t max);

}  // namespace drydock::report
