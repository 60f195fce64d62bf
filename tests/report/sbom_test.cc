// The SBOM writers (CycloneDX 1.6, SPDX 2.3): golden files, determinism,
// unique and legal ids, license classification, timestamps, image names,
// schema validation and hostile package data.
//
// Regenerate the golden files with:
//   DRYDOCK_UPDATE_GOLDEN=1 ./drydock_tests --gtest_filter='Sbom*'
// and review the diff like code.
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/scan.h"
#include "model/package.h"
#include "model/scan.h"
#include "report/report.h"
#include "report/sbom_common.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

using Json = nlohmann::json;

const std::string kTestdata = DRYDOCK_TESTDATA;
const std::string kSourceDir = DRYDOCK_SOURCE_DIR;

// Sets (or unsets, for nullopt) SOURCE_DATE_EPOCH for one scope and puts the
// old value back afterwards, so tests do not depend on the caller's shell.
class SourceDateEpoch {
 public:
  explicit SourceDateEpoch(std::optional<std::string> value) {
    if (const char* old = std::getenv("SOURCE_DATE_EPOCH")) old_ = old;
    if (value) {
      ::setenv("SOURCE_DATE_EPOCH", value->c_str(), 1);
    } else {
      ::unsetenv("SOURCE_DATE_EPOCH");
    }
  }
  ~SourceDateEpoch() {
    if (old_) {
      ::setenv("SOURCE_DATE_EPOCH", old_->c_str(), 1);
    } else {
      ::unsetenv("SOURCE_DATE_EPOCH");
    }
  }
  SourceDateEpoch(const SourceDateEpoch&) = delete;
  SourceDateEpoch& operator=(const SourceDateEpoch&) = delete;

 private:
  std::optional<std::string> old_;
};

std::string Hex(char fill) { return std::string(64, fill); }

Package MakePackage(std::string type, std::string ns, std::string name, std::string version,
                    std::vector<std::string> licenses, std::vector<PackageEvidence> evidence) {
  Package p;
  p.type = std::move(type);
  p.namespace_ = std::move(ns);
  p.name = std::move(name);
  p.version = std::move(version);
  p.licenses = std::move(licenses);
  p.evidence = std::move(evidence);
  return p;
}

// Fills what the catalog stage fills (purl, id, layer), as BuildInventory does.
void Attribute(Package& p, const ScanResult& scan) {
  p.purl = MakePurl(p, scan.summary.os);
  p.id = Sha256Of(p.purl + "\n" + p.evidence.front().Location()).hex.substr(0, 16);
  p.layer_index = p.evidence.front().layer_index;
  for (const PackageEvidence& e : p.evidence) p.layer_index = std::min(p.layer_index, e.layer_index);
  const Layer& l = scan.image.layers.at(static_cast<size_t>(p.layer_index));
  p.diff_id = l.diff_id.str();
  p.created_by = l.created_by;
}

// An image of three layers with one package of each kind the writers treat
// differently. Packages are deliberately not in report order.
ScanResult SampleScan() {
  ScanResult scan;
  scan.target = "registry:example.com/team/app:1.2.3";
  ImageInfo& image = scan.image;
  image.source_kind = "registry";
  image.reference = "registry:example.com/team/app:1.2.3";
  image.repo_tags = {"example.com/team/app:1.2.3"};
  image.config_digest = Digest{"sha256", Hex('a')};
  image.manifest_digest = Digest{"sha256", Hex('b')};
  image.config.architecture = "amd64";
  image.config.os = "linux";
  image.config.created = "2024-05-01T14:00:00.123456789+02:00";
  const std::vector<std::string> created_by = {
      "/bin/sh -c #(nop) ADD file:9a7c2e8f3b1d in / ",
      "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends bsdutils && rm -rf "
      "/var/lib/apt/lists/* # buildkit",
      "COPY app/ /app/ # buildkit"};
  for (int i = 0; i < 3; ++i) {
    Layer l;
    l.index = i;
    l.diff_id = Digest{"sha256", Hex(static_cast<char>('1' + i))};
    l.created_by = created_by[static_cast<size_t>(i)];
    image.layers.push_back(l);
  }
  scan.summary.os = OsRelease{"debian", "12", "bookworm", "Debian GNU/Linux 12 (bookworm)", "/etc/os-release"};

  Inventory inv;
  // deb with an epoch, a Source of another name and version, DEP-5 licenses
  // (one not on the SPDX list, one in the wrong case).
  Package deb = MakePackage("deb", "", "bsdutils", "1:2.38.1-5+deb12u1",
                            {"BSD-3-clause", "GPL-2.0-or-later", "LGPL-2.1-or-later", "public-domain"},
                            {{"dpkg", "/var/lib/dpkg/status", "", 1}});
  deb.arch = "amd64";
  deb.source_name = "util-linux";
  deb.source_version = "2.38.1-5+deb12u1";
  deb.metadata = {{"dpkg.installed_size", "355"}};
  // npm with a scope.
  Package npm = MakePackage("npm", "@types", "node", "20.11.5", {"MIT"},
                            {{"node-package-json", "/app/node_modules/@types/node/package.json", "", 2}});
  // Maven with a group and an expression with an exception.
  Package maven = MakePackage("maven", "org.glassfish", "jakarta.json", "2.0.1",
                              {"EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0"},
                              {{"java-archive", "/app/app.jar", "BOOT-INF/lib/jakarta.json-2.0.1.jar", 2}});
  maven.metadata = {{"maven.nested", "true"}};
  // Go module from a binary.
  Package go = MakePackage("golang", "github.com/spf13", "cobra", "v1.8.0", {"Apache-2.0"},
                           {{"go-binary", "/usr/local/bin/app", "", 2}});
  go.metadata = {{"go.version", "go1.21.5"}};
  // Software recognised in a binary inside an archive, seen by two catalogers.
  Package generic = MakePackage("generic", "", "openssl", "3.0.13", {},
                                {{"binary", "/app/app.jar", "META-INF/native/libnetty_tcnative.so", 2},
                                 {"binary", "/usr/lib/x86_64-linux-gnu/libssl.so.3", "", 1}});
  generic.metadata = {{"binary.match", "OpenSSL 3.0.13 30 Jan 2024"}};
  // A license that is no SPDX id (a trove classifier), twice, so both
  // packages share one LicenseRef.
  Package pypi =
      MakePackage("pypi", "", "requests", "2.31.0", {"Apache Software License"},
                  {{"python-dist-info", "/usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", "", 1}});
  Package pypi2 = MakePackage(
      "pypi", "", "certifi", "2023.11.17", {"Apache Software License", "MPL-2.0"},
      {{"python-dist-info", "/usr/lib/python3/dist-packages/certifi-2023.11.17.dist-info/METADATA", "", 1}});
  // A license expression written in lower case.
  Package cargo = MakePackage("cargo", "", "serde", "1.0.195", {"mit or apache-2.0"},
                              {{"rust-cargo-lock", "/app/Cargo.lock", "", 2}});
  inv.packages = {cargo, pypi, generic, go, maven, npm, deb, pypi2};
  for (Package& p : inv.packages) Attribute(p, scan);
  inv.catalogers = {"dpkg", "python-dist-info", "node-package-json", "java-archive", "go-binary", "binary"};
  scan.inventory = std::move(inv);
  return scan;
}

// An image whose inventory ran and found nothing.
ScanResult EmptyScan() {
  ScanResult scan;
  scan.target = "dir:/srv/rootfs";
  scan.image.source_kind = "dir";
  scan.image.reference = "dir:/srv/rootfs";
  scan.inventory = Inventory{};
  return scan;
}

ReportOptions TestOptions() { return ReportOptions{.color = false, .tool_version = "0.0.0-test"}; }

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool UpdateGolden() {
  const char* v = std::getenv("DRYDOCK_UPDATE_GOLDEN");
  return v != nullptr && std::string(v) == "1";
}

std::string RenderSbom(ReportFormat f, const ScanResult& scan) { return Render(f, scan, TestOptions()); }

// Runs tests/validate_sbom.sh on `content`; its exit status (77: no validator).
int Validate(const std::string& content, const std::string& name) {
  testing::TempDir dir;
  const std::string path = dir.Write(name, content);
  const std::string cmd = "'" + kSourceDir + "/tests/validate_sbom.sh' '" + path + "' >/dev/null";
  const int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

TEST(SbomGolden, MatchesGoldenFiles) {
  SourceDateEpoch env(std::nullopt);
  struct Case {
    ReportFormat format;
    ScanResult (*scan)();
    std::string file;
  };
  const std::vector<Case> cases = {
      {ReportFormat::kCycloneDx, SampleScan, "sbom.cdx.json"},
      {ReportFormat::kSpdxJson, SampleScan, "sbom.spdx.json"},
      {ReportFormat::kCycloneDx, EmptyScan, "sbom-empty.cdx.json"},
      {ReportFormat::kSpdxJson, EmptyScan, "sbom-empty.spdx.json"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.file);
    const std::string path = kTestdata + "/golden/" + c.file;
    const std::string got = RenderSbom(c.format, c.scan());
    if (UpdateGolden()) {
      ASSERT_TRUE(WriteOutput(path, got).ok());
      continue;
    }
    EXPECT_EQ(got, ReadFile(path)) << "regenerate with DRYDOCK_UPDATE_GOLDEN=1 and review the diff";
  }
}

TEST(SbomGolden, GoldenFilesValidateAgainstTheSchemas) {
  for (const std::string file : {"sbom.cdx.json", "sbom.spdx.json", "sbom-empty.cdx.json", "sbom-empty.spdx.json"}) {
    SCOPED_TRACE(file);
    const int rc = Validate(ReadFile(kTestdata + "/golden/" + file), file);
    if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
    EXPECT_EQ(rc, 0);
  }
}

TEST(SbomDeterminism, SameBytesWhateverTheRunOrInputOrder) {
  SourceDateEpoch env(std::nullopt);
  struct Case {
    std::string name;
    void (*mutate)(ScanResult&);
  };
  const std::vector<Case> cases = {
      {"same input again", [](ScanResult&) {}},
      {"packages reversed",
       [](ScanResult& s) { std::reverse(s.inventory->packages.begin(), s.inventory->packages.end()); }},
      {"packages rotated",
       [](ScanResult& s) {
         std::rotate(s.inventory->packages.begin(), s.inventory->packages.begin() + 3, s.inventory->packages.end());
       }},
  };
  for (ReportFormat f : {ReportFormat::kCycloneDx, ReportFormat::kSpdxJson}) {
    const std::string want = RenderSbom(f, SampleScan());
    for (const Case& c : cases) {
      SCOPED_TRACE(c.name);
      ScanResult scan = SampleScan();
      c.mutate(scan);
      EXPECT_EQ(RenderSbom(f, scan), want);
    }
  }
}

TEST(SbomDeterminism, DocumentIdentityChangesWithTheContent) {
  SourceDateEpoch env(std::nullopt);
  struct Case {
    std::string name;
    void (*mutate)(ScanResult&);
  };
  const std::vector<Case> cases = {
      {"another image id", [](ScanResult& s) { s.image.config_digest.hex = Hex('c'); }},
      {"another manifest", [](ScanResult& s) { s.image.manifest_digest.hex = Hex('d'); }},
      {"another name", [](ScanResult& s) { s.image.reference = "registry:example.com/team/app:1.2.4"; }},
      {"one package fewer", [](ScanResult& s) { s.inventory->packages.pop_back(); }},
  };
  const Json base_cdx = Json::parse(RenderCycloneDx(SampleScan(), TestOptions()));
  const Json base_spdx = Json::parse(RenderSpdx(SampleScan(), TestOptions()));
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ScanResult scan = SampleScan();
    c.mutate(scan);
    EXPECT_NE(Json::parse(RenderCycloneDx(scan, TestOptions()))["serialNumber"], base_cdx["serialNumber"]);
    EXPECT_NE(Json::parse(RenderSpdx(scan, TestOptions()))["documentNamespace"], base_spdx["documentNamespace"]);
  }
}

TEST(SbomTimestamp, SourceDateEpochThenConfigCreatedThenEpoch) {
  struct Case {
    std::string name;
    const char* epoch;
    std::string created;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"SOURCE_DATE_EPOCH wins", "1700000000", "2024-05-01T12:00:00Z", "2023-11-14T22:13:20Z"},
      {"SOURCE_DATE_EPOCH zero", "0", "2024-05-01T12:00:00Z", "1970-01-01T00:00:00Z"},
      {"malformed epoch falls through", "17e8", "2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z"},
      {"negative epoch falls through", "-5", "2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z"},
      {"empty epoch falls through", "", "2024-05-01T12:00:00Z", "2024-05-01T12:00:00Z"},
      {"epoch past year 9999 falls through", "253402300800", "", "1970-01-01T00:00:00Z"},
      {"created with fraction and offset", nullptr, "2024-05-01T14:00:00.999999999+02:00", "2024-05-01T12:00:00Z"},
      {"created west of UTC crosses midnight", nullptr, "2023-12-31T23:30:00-01:00", "2024-01-01T00:30:00Z"},
      {"created in lower case", nullptr, "2024-02-29t08:00:00z", "2024-02-29T08:00:00Z"},
      {"created zero time of Go", nullptr, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"},
      {"created not a date", nullptr, "yesterday", "1970-01-01T00:00:00Z"},
      {"created Feb 30", nullptr, "2023-02-30T00:00:00Z", "1970-01-01T00:00:00Z"},
      {"created without zone", nullptr, "2024-05-01T12:00:00", "1970-01-01T00:00:00Z"},
      {"created with trailing bytes", nullptr, "2024-05-01T12:00:00Zjunk", "1970-01-01T00:00:00Z"},
      {"nothing known", nullptr, "", "1970-01-01T00:00:00Z"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ImageConfig config;
    config.created = c.created;
    EXPECT_EQ(report::SbomTimestamp(config, c.epoch), c.want);
  }
}

TEST(SbomTimestamp, WritersReadSourceDateEpoch) {
  SourceDateEpoch env(std::string("1700000000"));
  const ScanResult scan = SampleScan();
  EXPECT_EQ(Json::parse(RenderCycloneDx(scan, TestOptions()))["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
  EXPECT_EQ(Json::parse(RenderSpdx(scan, TestOptions()))["creationInfo"]["created"], "2023-11-14T22:13:20Z");
}

TEST(SbomLicense, Classify) {
  using report::LicenseKind;
  struct Case {
    std::string input;
    LicenseKind kind;
    std::string text;
  };
  const std::string deep_open(10000, '(');
  std::string many_terms = "MIT";
  for (int i = 0; i < 2000; ++i) many_terms += " OR MIT";
  const std::vector<Case> cases = {
      {"MIT", LicenseKind::kId, "MIT"},
      {"  Apache-2.0\n", LicenseKind::kId, "Apache-2.0"},
      {"bsd-3-CLAUSE", LicenseKind::kId, "BSD-3-Clause"},
      {"GPL-2.0+", LicenseKind::kId, "GPL-2.0+"},  // a (deprecated) id of its own
      {"GPL-2.0-only+", LicenseKind::kExpression, "GPL-2.0-only+"},
      {"mit or apache-2.0", LicenseKind::kExpression, "MIT OR Apache-2.0"},
      {"(MIT  AND\tBSD-2-Clause) OR Apache-2.0", LicenseKind::kExpression, "(MIT AND BSD-2-Clause) OR Apache-2.0"},
      {"GPL-2.0-only WITH Classpath-exception-2.0", LicenseKind::kExpression,
       "GPL-2.0-only WITH Classpath-exception-2.0"},
      {"LicenseRef-acme-1.0", LicenseKind::kExpression, "LicenseRef-acme-1.0"},
      {"NOASSERTION", LicenseKind::kNone, ""},
      {"none", LicenseKind::kNone, ""},
      {"", LicenseKind::kNone, ""},
      {"public-domain", LicenseKind::kOther, "public-domain"},
      {"Apache Software License", LicenseKind::kOther, "Apache Software License"},
      {"Classpath-exception-2.0", LicenseKind::kOther, "Classpath-exception-2.0"},  // an exception alone
      {"MIT WITH MIT", LicenseKind::kOther, "MIT WITH MIT"},
      {"MIT AND", LicenseKind::kOther, "MIT AND"},
      {"(MIT", LicenseKind::kOther, "(MIT"},
      {"MIT)", LicenseKind::kOther, "MIT)"},
      {"LicenseRef-", LicenseKind::kOther, "LicenseRef-"},
      {"LicenseRef-a_b", LicenseKind::kOther, "LicenseRef-a_b"},
      {"DocumentRef-x:LicenseRef-y", LicenseKind::kOther, "DocumentRef-x:LicenseRef-y"},
      {"MIT/Apache-2.0", LicenseKind::kOther, "MIT/Apache-2.0"},
      {"\xff\xfe MIT", LicenseKind::kOther, "\xff\xfe MIT"},
      {deep_open + "MIT", LicenseKind::kOther, deep_open + "MIT"},
      {many_terms, LicenseKind::kOther, many_terms},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.input.substr(0, 60));
    const report::License got = report::ClassifyLicense(c.input);
    EXPECT_EQ(got.kind, c.kind);
    EXPECT_EQ(got.text, c.text);
  }
}

TEST(SbomLicense, LicenseRefsAreIdstrings) {
  struct Case {
    std::string text;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"public-domain", "LicenseRef-public-domain"},
      {"Apache Software License", "LicenseRef-Apache-Software-License"},
      {"  (c) ACME, Inc.  ", "LicenseRef-c-ACME-Inc"},
      {"\xe2\x80\xae\xff", "LicenseRef-unknown"},
      {std::string(500, 'x'), "LicenseRef-" + std::string(64, 'x')},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.want);
    EXPECT_EQ(report::LicenseRefFor(c.text), c.want);
  }
}

TEST(SbomImageName, ParsesRepositoryReferences) {
  struct Case {
    std::string ref;
    bool ok;
    std::string repository_url, name, tag;
  };
  const std::vector<Case> cases = {
      {"debian", true, "docker.io/library/debian", "debian", ""},
      {"debian:12", true, "docker.io/library/debian", "debian", "12"},
      {"registry:bitnami/redis:7.2", true, "docker.io/bitnami/redis", "redis", "7.2"},
      {"docker:nginx@sha256:" + Hex('e'), true, "docker.io/library/nginx", "nginx", ""},
      {"localhost:5000/team/app:v1", true, "localhost:5000/team/app", "app", "v1"},
      {"Example.COM/team/app", true, "example.com/team/app", "app", ""},
      {"index.docker.io/library/alpine:3.19", true, "docker.io/library/alpine", "alpine", "3.19"},
      {"/tmp/app.tar", false, "", "", ""},
      {"oci:/srv/layout:1.0", false, "", "", ""},
      {"Team/App", false, "", "", ""},
      {"app:", false, "", "", ""},
      {"", false, "", "", ""},
      {"a//b", false, "", "", ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.ref);
    const auto got = report::ParseImageName(c.ref);
    ASSERT_EQ(got.has_value(), c.ok);
    if (!c.ok) continue;
    EXPECT_EQ(got->repository_url, c.repository_url);
    EXPECT_EQ(got->name, c.name);
    EXPECT_EQ(got->tag, c.tag);
  }
}

TEST(SbomImageName, PurlOnlyWithARepositoryAndAManifestDigest) {
  struct Case {
    std::string name;
    void (*mutate)(ScanResult&);
    std::string want;
  };
  const std::string digest = "sha256%3A" + Hex('b');
  const std::vector<Case> cases = {
      {"registry reference", [](ScanResult&) {},
       "pkg:oci/app@" + digest + "?arch=amd64&repository_url=example.com%2Fteam%2Fapp&tag=1.2.3"},
      {"no manifest digest (classic docker save)", [](ScanResult& s) { s.image.manifest_digest = Digest{}; }, ""},
      {"archive path: the repo tag names it",
       [](ScanResult& s) {
         s.image.source_kind = "docker-archive";
         s.image.reference = "/tmp/app.tar";
         s.image.repo_tags = {"app:2"};
       },
       "pkg:oci/app@" + digest + "?arch=amd64&repository_url=docker.io%2Flibrary%2Fapp&tag=2"},
      {"layout whose ref.name is only a tag",
       [](ScanResult& s) {
         s.image.source_kind = "oci-layout";
         s.image.reference = "oci:/srv/layout";
         s.image.repo_tags = {"1.0"};
       },
       ""},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ScanResult scan = SampleScan();
    c.mutate(scan);
    EXPECT_EQ(report::ImagePurl(scan), c.want);
  }
}

TEST(SbomUuid, NameBasedVersionAndVariant) {
  struct Case {
    std::string hex;
    std::string want;
  };
  const std::vector<Case> cases = {
      {std::string(64, '0'), "00000000-0000-5000-8000-000000000000"},
      {std::string(64, 'f'), "ffffffff-ffff-5fff-bfff-ffffffffffff"},
      {"0123456789abcdef0123456789abcdef", "01234567-89ab-5def-8123-456789abcdef"},
      {"short", "00000000-0000-5000-8000-000000000000"},  // non-hex reads as 0, short pads
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.hex);
    EXPECT_EQ(report::UuidFromHash(c.hex), c.want);
  }
}

// What the CycloneDX document says about each package of SampleScan.
TEST(SbomCycloneDx, ComponentFields) {
  SourceDateEpoch env(std::nullopt);
  const Json doc = Json::parse(RenderCycloneDx(SampleScan(), TestOptions()));
  auto component = [&](const std::string& name) -> Json {
    for (const Json& c : doc["components"]) {
      if (c["name"] == name) return c;
    }
    return Json();
  };
  struct Case {
    std::string component;
    std::string pointer;
    Json want;
  };
  const std::vector<Case> cases = {
      {"bsdutils", "/version", "1:2.38.1-5+deb12u1"},
      {"bsdutils", "/purl",
       "pkg:deb/debian/bsdutils@1%3A2.38.1-5%2Bdeb12u1?arch=amd64&distro=debian-12&upstream=util-linux%402.38.1-5%"
       "2Bdeb12u1"},
      {"bsdutils", "/licenses", Json::parse(R"([{"license":{"id":"BSD-3-Clause"}},{"license":{"id":"GPL-2.0-or-later"}},
                      {"license":{"id":"LGPL-2.1-or-later"}},{"license":{"name":"public-domain"}}])")},
      {"bsdutils", "/evidence/occurrences",
       Json::parse(R"([{"location":"/var/lib/dpkg/status","additionalContext":"cataloger: dpkg; layer_index: 1"}])")},
      {"node", "/group", "@types"},
      {"node", "/purl", "pkg:npm/%40types/node@20.11.5"},
      {"node", "/licenses", Json::parse(R"([{"license":{"id":"MIT"}}])")},
      {"jakarta.json", "/group", "org.glassfish"},
      {"jakarta.json", "/licenses",
       Json::parse(R"([{"expression":"EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0"}])")},
      {"jakarta.json", "/evidence/occurrences/0/location", "/app/app.jar!/BOOT-INF/lib/jakarta.json-2.0.1.jar"},
      {"github.com/spf13/cobra", "/version", "v1.8.0"},
      {"openssl", "/evidence/occurrences/0/location", "/app/app.jar!/META-INF/native/libnetty_tcnative.so"},
      {"openssl", "/evidence/occurrences/1/location", "/usr/lib/x86_64-linux-gnu/libssl.so.3"},
      {"requests", "/licenses", Json::parse(R"([{"license":{"name":"Apache Software License"}}])")},
      {"serde", "/licenses", Json::parse(R"([{"expression":"MIT OR Apache-2.0"}])")},
      {"debian", "/type", "operating-system"},
      {"debian", "/version", "12"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.component + c.pointer);
    const Json comp = component(c.component);
    ASSERT_FALSE(comp.is_null());
    ASSERT_TRUE(comp.contains(Json::json_pointer(c.pointer)));
    EXPECT_EQ(comp.at(Json::json_pointer(c.pointer)), c.want);
  }
  // A group-less ecosystem keeps its full name; no group is written.
  EXPECT_FALSE(component("github.com/spf13/cobra").contains("group"));
  // The generic package has no license and so no licenses key.
  EXPECT_FALSE(component("openssl").contains("licenses"));
}

TEST(SbomCycloneDx, PackagePropertiesCarryLayerAndSource) {
  SourceDateEpoch env(std::nullopt);
  const Json doc = Json::parse(RenderCycloneDx(SampleScan(), TestOptions()));
  Json deb;
  for (const Json& c : doc["components"]) {
    if (c["name"] == "bsdutils") deb = c;
  }
  ASSERT_FALSE(deb.is_null());
  std::vector<std::pair<std::string, std::string>> props;
  for (const Json& p : deb["properties"]) props.emplace_back(p["name"], p["value"]);
  const std::vector<std::pair<std::string, std::string>> want = {
      {"drydock:package_type", "deb"},
      {"drydock:arch", "amd64"},
      {"drydock:source_name", "util-linux"},
      {"drydock:source_version", "2.38.1-5+deb12u1"},
      {"drydock:layer_index", "1"},
      {"drydock:layer_diff_id", "sha256:" + Hex('2')},
      {"drydock:created_by",
       "RUN /bin/sh -c apt-get update && apt-get install -y --no-install-recommends bsdutils && rm -rf "
       "/var/lib/apt/lists/* # buildkit"},
      {"drydock:cataloger", "dpkg"},
      {"drydock:meta:dpkg.installed_size", "355"},
  };
  EXPECT_EQ(props, want);
}

TEST(SbomCycloneDx, ImageIsTheMetadataComponentAndDependsOnEverything) {
  SourceDateEpoch env(std::nullopt);
  const ScanResult scan = SampleScan();
  const Json doc = Json::parse(RenderCycloneDx(scan, TestOptions()));
  const Json& image = doc["metadata"]["component"];
  EXPECT_EQ(image["type"], "container");
  EXPECT_EQ(image["name"], "registry:example.com/team/app:1.2.3");
  EXPECT_EQ(image["version"], "sha256:" + Hex('b'));
  EXPECT_EQ(image["bom-ref"], image["purl"]);
  EXPECT_EQ(doc["metadata"]["timestamp"], "2024-05-01T12:00:00Z");
  EXPECT_EQ(doc["metadata"]["tools"]["components"][0]["name"], "drydock");
  EXPECT_EQ(doc["metadata"]["tools"]["components"][0]["version"], "0.0.0-test");
  const std::string serial = doc["serialNumber"];
  EXPECT_TRUE(std::regex_match(serial, std::regex("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                                  "[0-9a-f]{12}")))
      << serial;

  // Every component is reachable from the image: OS packages through the OS.
  std::set<std::string> reached;
  for (const Json& d : doc["dependencies"]) {
    for (const Json& r : d["dependsOn"]) reached.insert(r.get<std::string>());
  }
  std::set<std::string> refs;
  for (const Json& c : doc["components"]) refs.insert(c["bom-ref"].get<std::string>());
  EXPECT_EQ(reached, refs);
  EXPECT_EQ(refs.size(), doc["components"].size()) << "bom-refs are not unique";
  EXPECT_EQ(doc["components"].size(), scan.inventory->packages.size() + 1);  // + the OS
}

TEST(SbomSpdx, PackageFields) {
  SourceDateEpoch env(std::nullopt);
  const Json doc = Json::parse(RenderSpdx(SampleScan(), TestOptions()));
  auto package = [&](const std::string& name) -> Json {
    for (const Json& p : doc["packages"]) {
      if (p["name"] == name) return p;
    }
    return Json();
  };
  struct Case {
    std::string package;
    std::string pointer;
    Json want;
  };
  const std::vector<Case> cases = {
      {"bsdutils", "/licenseDeclared",
       "BSD-3-Clause AND GPL-2.0-or-later AND LGPL-2.1-or-later AND LicenseRef-public-domain"},
      {"bsdutils", "/sourceInfo",
       "built package from: util-linux 2.38.1-5+deb12u1; acquired package info from dpkg: /var/lib/dpkg/status "
       "(layer_index 1); introduced by layer sha256:" +
           Hex('2')},
      {"bsdutils", "/externalRefs/0/referenceType", "purl"},
      {"bsdutils", "/primaryPackagePurpose", "LIBRARY"},
      {"@types/node", "/versionInfo", "20.11.5"},
      {"org.glassfish:jakarta.json", "/licenseDeclared", "EPL-2.0 OR GPL-2.0-only WITH Classpath-exception-2.0"},
      {"requests", "/licenseDeclared", "LicenseRef-Apache-Software-License"},
      {"certifi", "/licenseDeclared", "LicenseRef-Apache-Software-License AND MPL-2.0"},
      {"serde", "/licenseDeclared", "MIT OR Apache-2.0"},
      {"openssl", "/licenseDeclared", "NOASSERTION"},
      {"openssl", "/licenseConcluded", "NOASSERTION"},
      {"debian", "/primaryPackagePurpose", "OPERATING_SYSTEM"},
      {"registry:example.com/team/app:1.2.3", "/primaryPackagePurpose", "CONTAINER"},
      {"registry:example.com/team/app:1.2.3", "/SPDXID", "SPDXRef-Image"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.package + c.pointer);
    const Json p = package(c.package);
    ASSERT_FALSE(p.is_null());
    ASSERT_TRUE(p.contains(Json::json_pointer(c.pointer)));
    EXPECT_EQ(p.at(Json::json_pointer(c.pointer)), c.want);
  }
  // One declaration per distinct non-SPDX text, shared by the packages.
  EXPECT_EQ(doc["hasExtractedLicensingInfos"],
            Json::parse(R"([{"licenseId":"LicenseRef-Apache-Software-License","extractedText":"Apache Software License",
                              "name":"Apache Software License"},
                             {"licenseId":"LicenseRef-public-domain","extractedText":"public-domain",
                              "name":"public-domain"}])"));
}

TEST(SbomSpdx, IdsAreLegalUniqueAndRelated) {
  SourceDateEpoch env(std::nullopt);
  const ScanResult scan = SampleScan();
  const Json doc = Json::parse(RenderSpdx(scan, TestOptions()));
  const std::regex legal("SPDXRef-[A-Za-z0-9.-]+");
  std::set<std::string> ids;
  for (const Json& p : doc["packages"]) {
    const std::string id = p["SPDXID"];
    EXPECT_TRUE(std::regex_match(id, legal)) << id;
    EXPECT_TRUE(ids.insert(id).second) << "duplicate " << id;
  }
  ASSERT_EQ(ids.size(), scan.inventory->packages.size() + 2);  // + image + OS
  std::set<std::string> contained;
  for (const Json& r : doc["relationships"]) {
    if (r["relationshipType"] == "DESCRIBES") {
      EXPECT_EQ(r["spdxElementId"], "SPDXRef-DOCUMENT");
      EXPECT_EQ(r["relatedSpdxElement"], "SPDXRef-Image");
      continue;
    }
    EXPECT_EQ(r["relationshipType"], "CONTAINS");
    EXPECT_EQ(r["spdxElementId"], "SPDXRef-Image");
    contained.insert(r["relatedSpdxElement"].get<std::string>());
  }
  ids.erase("SPDXRef-Image");
  EXPECT_EQ(contained, ids);
  const std::string ns = doc["documentNamespace"];
  EXPECT_TRUE(
      std::regex_match(ns, std::regex("https://drydock\\.invalid/spdx/registry-example\\.com-team-app-1\\.2\\.3-"
                                      "[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")))
      << ns;
}

TEST(SbomIds, RepeatedOrMissingIdsBecomeUnique) {
  SourceDateEpoch env(std::nullopt);
  ScanResult scan = SampleScan();
  for (Package& p : scan.inventory->packages) p.id = "same_id";
  scan.inventory->packages[0].id.clear();
  scan.inventory->packages[1].purl.clear();
  const Json cdx = Json::parse(RenderCycloneDx(scan, TestOptions()));
  std::set<std::string> refs;
  for (const Json& c : cdx["components"]) refs.insert(c["bom-ref"].get<std::string>());
  EXPECT_EQ(refs.size(), cdx["components"].size());
  for (const Json& c : cdx["components"]) {
    if (c["type"] == "library") {
      EXPECT_FALSE(c["purl"].get<std::string>().empty());
    }
  }

  const Json spdx = Json::parse(RenderSpdx(scan, TestOptions()));
  std::set<std::string> ids;
  for (const Json& p : spdx["packages"]) {
    const std::string id = p["SPDXID"];
    EXPECT_TRUE(std::regex_match(id, std::regex("SPDXRef-[A-Za-z0-9.-]+"))) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), spdx["packages"].size());
  const int rc1 = Validate(cdx.dump(), "ids.cdx.json");
  if (rc1 == 77) GTEST_SKIP() << "python3-jsonschema not installed";
  EXPECT_EQ(rc1, 0);
  EXPECT_EQ(Validate(spdx.dump(), "ids.spdx.json"), 0);
}

TEST(SbomHostile, HostilePackageDataStillRendersValidDocuments) {
  SourceDateEpoch env(std::nullopt);
  struct Case {
    std::string name;
    void (*mutate)(Package&);
  };
  const std::vector<Case> cases = {
      {"invalid UTF-8 and controls in names",
       [](Package& p) {
         p.name = "bad\xff\xfe\x1b[2J\n";
         p.version = "1.0\x01";
         p.evidence[0].path = "/tmp/\xc3(x";
       }},
      {"hostile license texts",
       [](Package& p) {
         p.licenses = {std::string(100000, '('),  "MIT AND (",    "LicenseRef-\xff",
                       std::string(1 << 20, 'L'), "LicenseRef-x", "x"};
       }},
      {"empty everything",
       [](Package& p) {
         p.name.clear();
         p.version.clear();
         p.type.clear();
         p.evidence.clear();
         p.purl.clear();
         p.id.clear();
       }},
      {"bidi override in metadata", [](Package& p) { p.metadata["k\xe2\x80\xae"] = "v\xe2\x80\xae"; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    ScanResult scan = SampleScan();
    c.mutate(scan.inventory->packages[0]);
    for (ReportFormat f : {ReportFormat::kCycloneDx, ReportFormat::kSpdxJson}) {
      const std::string out = RenderSbom(f, scan);
      ASSERT_TRUE(Json::accept(out));
      const int rc = Validate(out, f == ReportFormat::kCycloneDx ? "h.cdx.json" : "h.spdx.json");
      if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
      EXPECT_EQ(rc, 0);
    }
  }
}

// A hostile copyright file can list very many licenses: each is kept once,
// and the ctest timeout catches a dedupe that turns quadratic again.
TEST(SbomHostile, VeryManyLicensesAreKeptOnceEach) {
  SourceDateEpoch env(std::nullopt);
  ScanResult scan = SampleScan();
  std::vector<std::string>& licenses = scan.inventory->packages[0].licenses;
  licenses.clear();
  for (int i = 0; i < 20000; ++i) licenses.push_back("custom license " + std::to_string(i));
  licenses.insert(licenses.end(), licenses.begin(), licenses.end());  // each twice
  const Json spdx = Json::parse(RenderSpdx(scan, TestOptions()));
  // 20000 texts of the package plus the two of SampleScan's other packages.
  EXPECT_EQ(spdx["hasExtractedLicensingInfos"].size(), 20002u);
  const Json cdx = Json::parse(RenderCycloneDx(scan, TestOptions()));
  size_t most = 0;
  for (const Json& c : cdx["components"]) most = std::max(most, c.value("licenses", Json::array()).size());
  EXPECT_EQ(most, 20000u);
}

TEST(SbomValidator, RejectsBrokenDocuments) {
  SourceDateEpoch env(std::nullopt);
  struct Case {
    std::string name;
    ReportFormat format;
    void (*mutate)(Json&);
  };
  const std::vector<Case> cases = {
      {"cyclonedx duplicate bom-ref", ReportFormat::kCycloneDx,
       [](Json& d) { d["components"][1]["bom-ref"] = d["components"][2]["bom-ref"]; }},
      {"cyclonedx dangling dependency", ReportFormat::kCycloneDx,
       [](Json& d) { d["dependencies"][0]["dependsOn"].push_back("nope"); }},
      {"cyclonedx license id not on the list", ReportFormat::kCycloneDx,
       [](Json& d) { d["components"][1]["licenses"] = Json::parse(R"([{"license":{"id":"Apache-2"}}])"); }},
      {"cyclonedx bad expression", ReportFormat::kCycloneDx,
       [](Json& d) { d["components"][1]["licenses"] = Json::parse(R"([{"expression":"MIT OR"}])"); }},
      {"cyclonedx bad serial", ReportFormat::kCycloneDx, [](Json& d) { d["serialNumber"] = "urn:uuid:nope"; }},
      {"spdx illegal SPDXID", ReportFormat::kSpdxJson, [](Json& d) { d["packages"][2]["SPDXID"] = "SPDXRef-a_b"; }},
      {"spdx undeclared LicenseRef", ReportFormat::kSpdxJson,
       [](Json& d) { d["packages"][2]["licenseDeclared"] = "LicenseRef-nowhere"; }},
      {"spdx dangling relationship", ReportFormat::kSpdxJson,
       [](Json& d) { d["relationships"][1]["relatedSpdxElement"] = "SPDXRef-gone"; }},
      {"spdx missing downloadLocation", ReportFormat::kSpdxJson,
       [](Json& d) { d["packages"][2].erase("downloadLocation"); }},
      {"spdx namespace with fragment", ReportFormat::kSpdxJson,
       [](Json& d) { d["documentNamespace"] = "https://drydock.invalid/x#y"; }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Json doc = Json::parse(RenderSbom(c.format, SampleScan()));
    c.mutate(doc);
    const int rc = Validate(doc.dump(), c.format == ReportFormat::kCycloneDx ? "bad.cdx.json" : "bad.spdx.json");
    if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
    EXPECT_EQ(rc, 1);
  }
}

// The writers on a real scan: an OCI layout read by ScanImage with the
// inventory on. A layout's ref.name is a bare tag ("1.0"), which names no
// repository, so the image gets no purl; its version is the manifest digest.
TEST(SbomScan, ImageFromALayoutIsDescribedByItsManifestAndLayers) {
  SourceDateEpoch env(std::nullopt);
  testing::TempDir dir;
  testing::BlobStore store;
  const std::string base = testing::MakeTar(
      {testing::File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n")});
  const std::string app = testing::MakeTar({testing::File("app/run.sh", "#!/bin/sh\n", 0755)});
  const Json desc = testing::Tagged(store.AddImage({base, app}), "1.0");
  for (const auto& [path, bytes] : store.blobs()) dir.Write(path, bytes);
  dir.Write("oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
  dir.Write("index.json", testing::IndexJson({desc}));
  ScanOptions opts;
  opts.source = testing::Amd64Host();
  opts.inventory = true;
  opts.checks = false;
  auto scan = ScanImage("oci:" + dir.path() + ":1.0", opts);
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  const std::string manifest = desc["digest"];

  const Json cdx = Json::parse(RenderCycloneDx(*scan, TestOptions()));
  const Json& image = cdx["metadata"]["component"];
  EXPECT_EQ(image["name"], "oci:" + dir.path() + ":1.0");
  EXPECT_EQ(image["version"], manifest);
  EXPECT_FALSE(image.contains("purl"));
  EXPECT_EQ(image["bom-ref"].get<std::string>().rfind("image:", 0), 0u);
  std::vector<std::string> diff_ids;
  for (const Json& p : image["properties"]) {
    if (p["name"] == "drydock:image:layer_diff_id") diff_ids.push_back(p["value"]);
  }
  ASSERT_EQ(diff_ids.size(), 2u);
  EXPECT_EQ(diff_ids[0], "sha256:" + Sha256Of(base).hex);
  EXPECT_EQ(diff_ids[1], "sha256:" + Sha256Of(app).hex);
  EXPECT_EQ(cdx["components"][0]["name"], "alpine");
  EXPECT_EQ(cdx["components"][0]["version"], "3.19.1");

  const Json spdx = Json::parse(RenderSpdx(*scan, TestOptions()));
  EXPECT_EQ(spdx["packages"][0]["versionInfo"], manifest);
  EXPECT_EQ(spdx["packages"][1]["name"], "alpine");
  for (ReportFormat f : {ReportFormat::kCycloneDx, ReportFormat::kSpdxJson}) {
    const std::string out = RenderSbom(f, *scan);
    EXPECT_EQ(out, RenderSbom(f, *scan));
    const int rc = Validate(out, f == ReportFormat::kCycloneDx ? "scan.cdx.json" : "scan.spdx.json");
    if (rc == 77) GTEST_SKIP() << "python3-jsonschema not installed";
    EXPECT_EQ(rc, 0);
  }
}

}  // namespace
}  // namespace drydock
