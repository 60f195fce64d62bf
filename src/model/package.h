// The inventory model: every package a cataloger found in an image, with the
// evidence (which file, which layer) and the identifiers SBOM formats and the
// vulnerability matcher read. Catalogers fill the descriptive fields; the
// catalog stage fills layer attribution, purl and id.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"

namespace drydock {

struct OsRelease;

// Where one cataloger saw a package.
struct PackageEvidence {
  std::string cataloger;  // "dpkg", "python-dist-info", "go-binary", …
  std::string path;       // the real file in the merged view ("/app/app.jar")
  // Path inside archives, for nested finds: "BOOT-INF/lib/x.jar" (joined to
  // `path` with "!/" when printed). Empty for plain files.
  std::string inner;
  int layer_index = -1;  // -1: the catalog stage takes the layer that last wrote `path`

  std::string Location() const { return inner.empty() ? path : path + "!/" + inner; }
};

// Package types, named as the purl spec names them.
namespace pkgtype {
inline constexpr std::string_view kDeb = "deb";
inline constexpr std::string_view kApk = "apk";
inline constexpr std::string_view kRpm = "rpm";
inline constexpr std::string_view kPypi = "pypi";
inline constexpr std::string_view kNpm = "npm";
inline constexpr std::string_view kMaven = "maven";
inline constexpr std::string_view kGolang = "golang";
inline constexpr std::string_view kGem = "gem";
inline constexpr std::string_view kCargo = "cargo";
inline constexpr std::string_view kComposer = "composer";
inline constexpr std::string_view kNuget = "nuget";
inline constexpr std::string_view kGeneric = "generic";  // software recognised in a binary
}  // namespace pkgtype

// True for deb, apk and rpm: packages the OS package manager installed.
bool IsOsPackageType(std::string_view type);

struct Package {
  std::string type;            // a pkgtype value
  std::string namespace_;      // purl namespace: npm scope ("@types"), Maven group, Go module dir, Composer vendor
  std::string name;            // as the ecosystem spells it (npm without scope, Go: last path element)
  std::string version;         // as the ecosystem writes it; deb "1:2.3-4", rpm "[E:]V-R", Go "v1.2.3"
  std::string arch;            // deb/apk/rpm architecture, when known
  std::string source_name;     // Debian Source / RPM source rpm name / apk origin
  std::string source_version;  // when it differs from `version`
  std::vector<std::string> licenses;  // SPDX ids or expressions when known, else the text found
  // Extra facts kept for reports ("go.version", "apk.commit", "rpm.epoch",
  // "maven.nested", "binary.match" …); ordered, so output is stable.
  std::map<std::string, std::string> metadata;
  std::vector<PackageEvidence> evidence;  // at least one; first is the primary
  // OS packages: the files the package manager says it installed (clean
  // absolute paths). Used to drop language/binary finds of the same files;
  // not rendered in reports.
  std::vector<std::string> files;

  // Filled by the catalog stage:
  std::string purl;
  std::string id;        // stable: hash of purl and primary location, 16 hex
  int layer_index = -1;  // layer that introduced it (lowest evidence layer)
  std::string diff_id;
  std::string created_by;

  // Full name as the ecosystem prints it: "@types/node", "org.slf4j:slf4j-api",
  // "github.com/x/y" (namespace joined with "/" or ":" for Maven).
  std::string FullName() const;
};

// The packages of one image, sorted by type, full name, version and location.
struct Inventory {
  std::vector<Package> packages;
  std::vector<Diagnostic> diagnostics;  // malformed package files (the inventory is partial)
  std::vector<std::string> catalogers;  // which ran, in order
};

// Builds the package URL (purl spec): type, namespace, name, version,
// qualifiers (arch, distro=ID-VERSION_ID for OS packages, epoch for rpm,
// upstream for deb/rpm/apk source packages) sorted by key; every component
// percent-encoded.
std::string MakePurl(const Package& p, const std::optional<OsRelease>& os);

// Percent-encodes all but the unreserved characters (A-Z a-z 0-9 . - _ ~).
std::string PurlEncode(std::string_view s);

// Orders packages for reports: type, full name, version, primary location.
void SortPackages(std::vector<Package>& packages);

}  // namespace drydock
