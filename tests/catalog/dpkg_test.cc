// The dpkg cataloger: fields of status and status.d stanzas, which dpkg
// states count as installed, owned files, licenses from copyright files,
// layer attribution, and hostile databases. Also the deb822 reader and the
// copyright license reader it is built on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/path.h"
#include "catalog/deb822.h"
#include "catalog/deb_copyright.h"
#include "catalog/lang_test_util.h"
#include "catalog/layered_view.h"
#include "cli/scan.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

using testing::FindPackage;
using testing::MakeView;
using testing::RunCataloger;
using testing::Testdata;
using testing::ViewLayer;

constexpr char kStatus[] = "/var/lib/dpkg/status";
constexpr char kInfo[] = "/var/lib/dpkg/info/";

// The testdata tree: a real bookworm status excerpt, .list files and
// copyright files, laid out where dpkg puts them.
ViewLayer RealDebianLayer() {
  ViewLayer l;
  l.files[kStatus] = Testdata("catalog/dpkg/status");
  for (const char* pkg : {"libbz2-1.0", "libzstd1", "zlib1g"}) {
    l.files[std::string(kInfo) + pkg + ":amd64.list"] =
        Testdata(std::string("catalog/dpkg/info/") + pkg + "_amd64.list");
  }
  for (const char* pkg : {"libzstd1", "zlib1g", "libgmp10", "tzdata", "libc6", "base-files", "libbz2-1.0"}) {
    l.files[std::string("/usr/share/doc/") + pkg + "/copyright"] =
        Testdata(std::string("catalog/dpkg/doc/") + pkg + ".copyright");
  }
  // libgcc-s1's doc directory is a symlink to gcc-12-base's, as in Debian.
  l.symlinks["/usr/share/doc/libgcc-s1"] = "gcc-12-base";
  l.files["/usr/share/doc/gcc-12-base/copyright"] =
      "This is the Debian GNU/Linux prepackaged version of the GNU compiler collection.\n"
      "On Debian GNU/Linux systems, the complete text of the GNU General Public License is in\n"
      "`/usr/share/common-licenses/GPL-3'.\n";
  return l;
}

struct Want {
  std::string name;
  std::string arch;
  std::string version;
  std::string source_name;
  std::string source_version;
  std::vector<std::string> licenses;
};

TEST(DpkgCataloger, RealStatusFields) {
  const FileSystemView fs = MakeView({RealDebianLayer()});
  const CatalogOutput out = RunCataloger("dpkg", fs);
  testing::ExpectDiagnostic(out.diagnostics, "");
  const Want cases[] = {
      {"libzstd1", "amd64", "1.5.4+dfsg2-5", "libzstd", "", {"BSD-3-Clause", "GPL-2.0-only", "MIT", "Zlib"}},
      {"zlib1g", "amd64", "1:1.2.13.dfsg-1", "zlib", "", {"Zlib"}},
      {"libgmp10",
       "amd64",
       "2:6.2.1+dfsg1-1.1",
       "gmp",
       "",
       {"GPL-2.0-or-later", "GPL-3+ with Bison exception", "GPL-3.0-or-later", "LGPL-3.0-or-later"}},
      // binNMU: "Source: bzip2 (1.0.8-5)" for binary version 1.0.8-5+b1.
      {"libbz2-1.0", "amd64", "1.0.8-5+b1", "bzip2", "1.0.8-5", {"BSD-variant", "GPL-2.0-only"}},
      // Not machine-readable: the common-licenses files it points to.
      {"libc6", "amd64", "2.36-9+deb12u14", "glibc", "", {"GPL-2", "LGPL-2.1"}},
      {"libc6", "i386", "2.36-9+deb12u14", "glibc", "", {"GPL-2", "LGPL-2.1"}},
      // Only the unversioned common-licenses/GPL: no license claimed.
      {"base-files", "amd64", "12.4+deb12u15", "base-files", "", {}},
      {"tzdata", "all", "2026b-0+deb12u1", "tzdata", "", {"public-domain"}},
      // Doc directory symlinked to another package's.
      {"libgcc-s1", "amd64", "12.2.0-14+deb12u1", "gcc-12", "", {"GPL-3"}},
      {"libgcc-s1", "i386", "12.2.0-14+deb12u1", "gcc-12", "", {"GPL-3"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name + ":" + c.arch);
    const Package* p = FindPackage(out.packages, c.name, c.arch);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->type, "deb");
    EXPECT_EQ(p->version, c.version);
    EXPECT_EQ(p->source_name, c.source_name);
    EXPECT_EQ(p->source_version, c.source_version);
    EXPECT_EQ(p->licenses, c.licenses);
    ASSERT_EQ(p->evidence.size(), 1u);
    EXPECT_EQ(p->evidence[0].path, kStatus);
    EXPECT_EQ(p->evidence[0].layer_index, 0);
  }
  // netbase is "deinstall ok config-files": its files are gone.
  EXPECT_EQ(FindPackage(out.packages, "netbase"), nullptr);
  EXPECT_EQ(out.packages.size(), std::size(cases));
}

TEST(DpkgCataloger, RealMetadataAndOwnedFiles) {
  const FileSystemView fs = MakeView({RealDebianLayer()});
  const CatalogOutput out = RunCataloger("dpkg", fs);
  const Package* p = FindPackage(out.packages, "libzstd1");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->metadata.at("dpkg.maintainer"), "RPM packaging team <team+pkg-rpm@tracker.debian.org>");
  EXPECT_EQ(p->metadata.at("dpkg.multi_arch"), "same");
  EXPECT_EQ(p->metadata.at("dpkg.installed_size"), "785");
  EXPECT_EQ(p->metadata.count("dpkg.status"), 0u);
  // libzstd1:amd64.list without "/." and the directories (each followed by
  // a path below it), in the list's order.
  EXPECT_EQ(p->files, (std::vector<std::string>{
                          "/usr/lib/x86_64-linux-gnu/libzstd.so.1.5.4",
                          "/usr/share/doc/libzstd1/changelog.Debian.gz",
                          "/usr/share/doc/libzstd1/changelog.gz",
                          "/usr/share/doc/libzstd1/copyright",
                          "/usr/lib/x86_64-linux-gnu/libzstd.so.1",
                      }));
  // No .list in the testdata for tzdata: no owned files.
  const Package* tz = FindPackage(out.packages, "tzdata");
  ASSERT_NE(tz, nullptr);
  EXPECT_TRUE(tz->files.empty());
}

// A status stanza with the given status line, version and extra fields.
std::string Stanza(std::string_view name, std::string_view status, std::string_view version = "1.0-1",
                   std::string_view extra = "") {
  std::string s = "Package: " + std::string(name) + "\n";
  if (!status.empty()) s += "Status: " + std::string(status) + "\n";
  s += "Architecture: amd64\nVersion: " + std::string(version) + "\n" + std::string(extra);
  s += "Description: test package\n some continuation\n .\n more\n\n";
  return s;
}

TEST(DpkgCataloger, StatusStates) {
  struct Case {
    std::string status;
    bool listed;
    std::string state;  // dpkg.status metadata, when not "installed"
  };
  const Case cases[] = {
      {"install ok installed", true, ""},
      {"hold ok installed", true, ""},
      {"deinstall ok installed", true, ""},  // marked for removal, still there
      {"install ok unpacked", true, "unpacked"},
      {"install ok half-configured", true, "half-configured"},
      {"install reinstreq half-installed", true, "half-installed"},
      {"install ok triggers-awaited", true, "triggers-awaited"},
      {"install ok triggers-pending", true, "triggers-pending"},
      {"deinstall ok config-files", false, ""},
      {"purge ok not-installed", false, ""},
      {"", false, ""},  // no Status: dpkg's default, not installed
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("Status: " + c.status);
    const FileSystemView fs = MakeView({{.files = {{kStatus, Stanza("pkg", c.status)}}}});
    const CatalogOutput out = RunCataloger("dpkg", fs);
    testing::ExpectDiagnostic(out.diagnostics, "");
    ASSERT_EQ(out.packages.size(), c.listed ? 1u : 0u);
    if (!c.listed) continue;
    auto it = out.packages[0].metadata.find("dpkg.status");
    EXPECT_EQ(it == out.packages[0].metadata.end() ? "" : it->second, c.state);
  }
}

TEST(DpkgCataloger, FieldForms) {
  struct Case {
    std::string name;
    std::string stanza;
    Want want;
  };
  const Case cases[] = {
      {"no Source: the package is its own source",
       Stanza("a", "install ok installed"),
       {"a", "amd64", "1.0-1", "a", "", {}}},
      {"Source with a version equal to the binary's",
       Stanza("b", "install ok installed", "2.0-1", "Source: bsrc (2.0-1)\n"),
       {"b", "amd64", "2.0-1", "bsrc", "", {}}},
      {"epoch kept in the version",
       Stanza("c", "install ok installed", "3:1.2-0"),
       {"c", "amd64", "3:1.2-0", "c", "", {}}},
      {"field names are case-insensitive",
       "package: d\nstatus: install ok installed\nVERSION: 4\narchitecture: arm64\nsource: dsrc\n\n",
       {"d", "arm64", "4", "dsrc", "", {}}},
      {"CRLF line endings",
       "Package: e\r\nStatus: install ok installed\r\nVersion: 5\r\nArchitecture: all\r\n\r\n",
       {"e", "all", "5", "e", "", {}}},
      {"blank-only separator lines and no final newline",
       "Package: x\nStatus: install ok installed\nVersion: 1\n \t\nPackage: f\nStatus: install ok installed\nVersion: "
       "6",
       {"f", "", "6", "f", "", {}}},
      {"continuation lines do not start fields",
       "Package: g\nStatus: install ok installed\nVersion: 7\nDescription: x\n Version: 99\n Package: evil\n\n",
       {"g", "", "7", "g", "", {}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView({{.files = {{kStatus, c.stanza}}}});
    const CatalogOutput out = RunCataloger("dpkg", fs);
    testing::ExpectDiagnostic(out.diagnostics, "");
    const Package* p = FindPackage(out.packages, c.want.name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->arch, c.want.arch);
    EXPECT_EQ(p->version, c.want.version);
    EXPECT_EQ(p->source_name, c.want.source_name);
    EXPECT_EQ(p->source_version, c.want.source_version);
    EXPECT_EQ(FindPackage(out.packages, "evil"), nullptr);
  }
}

TEST(DpkgCataloger, OwnedFileLists) {
  struct Case {
    std::string name;
    std::map<std::string, std::string> files;
    std::vector<std::string> want;
  };
  const std::string status = Stanza("p", "install ok installed", "1", "Multi-Arch: same\n");
  const Case cases[] = {
      {"NAME:ARCH.list", {{"/var/lib/dpkg/info/p:amd64.list", "/.\n/usr\n/usr/bin/p\n"}}, {"/usr/bin/p"}},
      {"directories are the lines the next line lies below",
       {{"/var/lib/dpkg/info/p.list", "/etc\n/etc/p\n/etc/p/conf\n/etc/p.d\n/usr/share/empty\n/usr/bin/p\n"}},
       {"/etc/p/conf", "/etc/p.d", "/usr/share/empty", "/usr/bin/p"}},
      {"NAME.list", {{"/var/lib/dpkg/info/p.list", "/usr/bin/q\n"}}, {"/usr/bin/q"}},
      {"NAME:ARCH.list wins over NAME.list",
       {{"/var/lib/dpkg/info/p:amd64.list", "/a\n"}, {"/var/lib/dpkg/info/p.list", "/b\n"}},
       {"/a"}},
      {"another architecture's list is not this package's", {{"/var/lib/dpkg/info/p:i386.list", "/c\n"}}, {}},
      {"unclean and CRLF lines are cleaned",
       {{"/var/lib/dpkg/info/p.list", "/usr//lib/./x\r\n\n/usr/../etc/y\n"}},
       {"/usr/lib/x", "/etc/y"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ViewLayer l{.files = c.files};
    l.files[kStatus] = status;
    const FileSystemView fs = MakeView({l});
    const CatalogOutput out = RunCataloger("dpkg", fs);
    ASSERT_EQ(out.packages.size(), 1u);
    EXPECT_EQ(out.packages[0].files, c.want);
  }
}

TEST(DpkgCataloger, Distroless) {
  ViewLayer l;
  l.dirs = {"/var/lib/dpkg/status.d"};
  l.files["/var/lib/dpkg/status.d/libzstd1"] = Testdata("catalog/dpkg/status.d/libzstd1");
  l.files["/var/lib/dpkg/status.d/libzstd1.md5sums"] = Testdata("catalog/dpkg/status.d/libzstd1.md5sums");
  l.files["/var/lib/dpkg/status.d/tzdata"] = Testdata("catalog/dpkg/status.d/tzdata");
  // Two stanzas in one file; the md5sums file is named after the stanza file.
  l.files["/var/lib/dpkg/status.d/multi"] =
      "Package: one\nVersion: 1\nArchitecture: amd64\n\nPackage: two\nVersion: 2\nArchitecture: amd64\n";
  l.files["/var/lib/dpkg/status.d/multi.md5sums"] = "d41d8cd98f00b204e9800998ecf8427e  usr/bin/two\n";
  // A Status line, when a status.d stanza has one, is honoured.
  l.files["/var/lib/dpkg/status.d/removed"] =
      "Package: removed\nStatus: deinstall ok config-files\nVersion: 1\nArchitecture: amd64\n";
  l.files["/usr/share/doc/tzdata/copyright"] = Testdata("catalog/dpkg/doc/tzdata.copyright");
  // Other control-archive members some image builders put beside the
  // stanza (Syft's image-distroless-deb fixture has a .preinst) are not
  // stanzas: no package, no diagnostic. A name with a dot is still a stanza.
  l.files["/var/lib/dpkg/status.d/libzstd1.preinst"] = "#!/bin/sh\nset -e\nexit 0\n";
  l.files["/var/lib/dpkg/status.d/libzstd1.conffiles"] = "/etc/zstd.conf\n";
  l.files["/var/lib/dpkg/status.d/libzstd1.postrm"] = "#!/bin/sh\n";
  l.files["/var/lib/dpkg/status.d/python3.11"] = "Package: python3.11\nVersion: 3.11.2-6\nArchitecture: amd64\n";
  const FileSystemView fs = MakeView({l});
  const CatalogOutput out = RunCataloger("dpkg", fs);
  testing::ExpectDiagnostic(out.diagnostics, "");
  ASSERT_EQ(out.packages.size(), 5u);
  ASSERT_NE(FindPackage(out.packages, "python3.11"), nullptr);

  struct Case {
    std::string name;
    std::string version;
    std::string evidence;
    std::vector<std::string> licenses;
    size_t files;
  };
  const Case cases[] = {
      {"libzstd1", "1.5.4+dfsg2-5", "/var/lib/dpkg/status.d/libzstd1", {}, 4},
      {"tzdata", "2026b-0+deb12u1", "/var/lib/dpkg/status.d/tzdata", {"public-domain"}, 0},
      {"one", "1", "/var/lib/dpkg/status.d/multi", {}, 1},
      {"two", "2", "/var/lib/dpkg/status.d/multi", {}, 1},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Package* p = FindPackage(out.packages, c.name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->version, c.version);
    ASSERT_EQ(p->evidence.size(), 1u);
    EXPECT_EQ(p->evidence[0].path, c.evidence);
    EXPECT_EQ(p->evidence[0].layer_index, 0);
    EXPECT_EQ(p->licenses, c.licenses);
    EXPECT_EQ(p->files.size(), c.files);
  }
  const Package* z = FindPackage(out.packages, "libzstd1");
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(z->files.front(), "/usr/lib/x86_64-linux-gnu/libzstd.so.1.5.4");
  EXPECT_EQ(FindPackage(out.packages, "two")->files, std::vector<std::string>{"/usr/bin/two"});
}

// Layer attribution: the layer that last wrote the package's .list, else
// the layer from which the database held the package at that version.
TEST(DpkgCataloger, LayerAttribution) {
  const std::string a1 = Stanza("a", "install ok installed", "1.0");
  const std::string a2 = Stanza("a", "install ok installed", "2.0");
  const std::string b1 = Stanza("b", "install ok installed", "1.0");
  struct Case {
    std::string name;
    std::vector<ViewLayer> layers;
    std::map<std::string, int> want;  // package → layer; absent packages are not listed
  };
  const std::string sd = "/var/lib/dpkg/status.d/";
  const Case cases[] = {
      {"the layer that wrote each .list",
       {{.files = {{kStatus, a1}, {"/var/lib/dpkg/info/a.list", "/a\n"}}},
        {.files = {{kStatus, a1 + b1}, {"/var/lib/dpkg/info/b.list", "/b\n"}}}},
       {{"a", 0}, {"b", 1}}},
      {"an upgrade rewrites the .list",
       {{.files = {{kStatus, a1}, {"/var/lib/dpkg/info/a.list", "/a\n"}}},
        {.files = {{kStatus, a2}, {"/var/lib/dpkg/info/a.list", "/a\n"}}}},
       {{"a", 1}}},
      {"no .list: the first layer of the unbroken run of status versions holding it",
       {{.files = {{kStatus, a1}}}, {.files = {{kStatus, a1 + b1}}}, {.files = {{kStatus, b1 + a1}}}},
       {{"a", 0}, {"b", 1}}},
      {"no .list: a new version counts from the layer that wrote it",
       {{.files = {{kStatus, a1 + b1}}}, {.files = {{kStatus, a2 + b1}}}},
       {{"a", 1}, {"b", 0}}},
      {"no .list: removed and installed again counts from the reinstall",
       {{.files = {{kStatus, a1 + b1}}}, {.files = {{kStatus, b1}}}, {.files = {{kStatus, a1 + b1}}}},
       {{"a", 2}, {"b", 0}}},
      {"no .list: a layer that deleted the database resets the history",
       {{.files = {{kStatus, a1}}}, {.whiteouts = {kStatus}}, {.files = {{kStatus, a1}}}},
       {{"a", 2}}},
      {"a later layer deleting the database removes its packages",
       {{.files = {{kStatus, a1}, {"/var/lib/dpkg/info/a.list", "/a\n"}}}, {.whiteouts = {kStatus}}},
       {}},
      {"a later layer deleting /var/lib/dpkg removes its packages",
       {{.files = {{kStatus, a1}}}, {.whiteouts = {"/var/lib/dpkg"}}},
       {}},
      {"config-files in an older version does not count as installed",
       {{.files = {{kStatus, Stanza("a", "deinstall ok config-files", "1.0")}}}, {.files = {{kStatus, a1}}}},
       {{"a", 1}}},
      {"status.d: a rewrite with the same stanza keeps the first layer",
       {{.files = {{sd + "a", a1}}}, {.files = {{sd + "a", a1}, {sd + "b", b1}}}},
       {{"a", 0}, {"b", 1}}},
      {"status.d: a file a later layer deletes is not listed",
       {{.files = {{sd + "a", a1}, {sd + "b", b1}}}, {.whiteouts = {sd + "a"}}},
       {{"b", 0}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView(c.layers);
    const CatalogOutput out = RunCataloger("dpkg", fs);
    testing::ExpectDiagnostic(out.diagnostics, "");
    std::map<std::string, int> got;
    for (const auto& p : out.packages) {
      ASSERT_EQ(p.evidence.size(), 1u);
      got[p.name] = p.evidence[0].layer_index;
    }
    EXPECT_EQ(got, c.want);
  }
}

TEST(DpkgCataloger, HostileDatabases) {
  struct Case {
    std::string name;
    std::string status;
    std::vector<std::string> listed;  // packages still found
    std::string diagnostic;           // "" = none
  };
  const std::string good = Stanza("good", "install ok installed");
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 131 + 7) % 256));
  std::string many_fields = "Package: wide\nStatus: install ok installed\nVersion: 1\n";
  for (int i = 0; i < 5000; ++i) many_fields += "X-F" + std::to_string(i) + ": v\n";
  many_fields += "\n";
  const Case cases[] = {
      {"binary garbage", binary, {}, "not a \"Name: value\" field"},
      {"a line without a colon spoils only its stanza",
       "Package: bad\nStatus: install ok installed\nVersion: 1\nthis is not a field\n\n" + good,
       {"good"},
       "line 4: not a \"Name: value\" field"},
      {"truncated in the middle of a stanza keeps what is complete",
       good + "Package: cut\nStatus: install ok installed\nVers",
       {"good"},
       "not a \"Name: value\" field"},
      {"truncated after a complete field",
       good + "Package: cut2\nStatus: install ok installed\nVersion: 3",
       {"cut2", "good"},
       ""},
      {"installed package without a version",
       Stanza("nov", "install ok installed", "") + good,
       {"good"},
       "package nov has no valid Version"},
      {"path characters in the name",
       Stanza("../../etc/passwd", "install ok installed") + good,
       {"good"},
       "invalid package name"},
      {"NUL in the name",
       Stanza(std::string("a\0b", 3), "install ok installed") + good,
       {"good"},
       "invalid package name"},
      {"control bytes in the version",
       Stanza("ctl", "install ok installed", "1\x01") + good,
       {"good"},
       "has no valid Version"},
      {"stanza without a Package field",
       "Status: install ok installed\nVersion: 1\n\n" + good,
       {"good"},
       "without a Package field"},
      {"continuation before any field",
       " orphan continuation\n\n" + good,
       {"good"},
       "continuation line without a field"},
      {"thousands of fields in one stanza", many_fields + good, {"good"}, "more than 512 fields"},
      {"only blank lines", "\n\n \n\t\n", {}, ""},
      {"empty file", "", {}, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView({{.files = {{kStatus, c.status}}}});
    const CatalogOutput out = RunCataloger("dpkg", fs);
    std::vector<std::string> got;
    for (const auto& p : out.packages) got.push_back(p.name);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, c.listed);
    testing::ExpectDiagnostic(out.diagnostics, c.diagnostic);
    for (const auto& d : out.diagnostics) EXPECT_EQ(d.where, kStatus);
  }
}

TEST(DpkgCataloger, ManyMalformedStanzasGiveBoundedDiagnostics) {
  std::string status;
  for (int i = 0; i < 1000; ++i) status += "garbage line " + std::to_string(i) + "\n\n";
  const FileSystemView fs = MakeView({{.files = {{kStatus, status}}}});
  const CatalogOutput out = RunCataloger("dpkg", fs);
  EXPECT_TRUE(out.packages.empty());
  ASSERT_EQ(out.diagnostics.size(), 9u);
  EXPECT_EQ(out.diagnostics.back().message, "and 992 more malformed entries");
}

TEST(DpkgCataloger, HostileSideFiles) {
  struct Case {
    std::string name;
    ViewLayer layer;
    size_t files;  // kAny: only checked to be clean paths
    std::vector<std::string> licenses;
    std::string diagnostic;
  };
  constexpr size_t kAny = SIZE_MAX;
  const std::string status = Stanza("p", "install ok installed");
  std::string huge_list;
  for (int i = 0; i < 300000; ++i) huge_list += "/f" + std::to_string(i) + "\n";
  std::string binary;
  for (int i = 0; i < 2048; ++i) binary.push_back(static_cast<char>((i * 37) % 256));
  const Case cases[] = {
      {"a .list over the file cap",
       {.files = {{kStatus, status}, {"/var/lib/dpkg/info/p.list", huge_list}}},
       262144,
       {},
       "more than 262144 files"},
      {"binary .list", {.files = {{kStatus, status}, {"/var/lib/dpkg/info/p.list", binary}}}, kAny, {}, ""},
      {"relative and NUL lines in a .list are not paths",
       {.files = {{kStatus, status}, {"/var/lib/dpkg/info/p.list", std::string("rel/x\n/ok\n/a\0b\n", 15)}}},
       1,
       {},
       ""},
      {"binary copyright", {.files = {{kStatus, status}, {"/usr/share/doc/p/copyright", binary}}}, 0, {}, ""},
      {"copyright with a DEP-5 header and garbage",
       {.files = {{kStatus, status},
                  {"/usr/share/doc/p/copyright",
                   "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n" + binary}}},
       0,
       {},
       ""},
      {"copyright symlink loop", {.files = {{kStatus, status}}, .symlinks = {{"/usr/share/doc/p", "p"}}}, 0, {}, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView({c.layer});
    const CatalogOutput out = RunCataloger("dpkg", fs);
    ASSERT_EQ(out.packages.size(), 1u);
    if (c.files != kAny) {
      EXPECT_EQ(out.packages[0].files.size(), c.files);
    }
    for (const auto& f : out.packages[0].files) {
      EXPECT_TRUE(f.starts_with("/") && f.find('\0') == std::string::npos && CleanPath(f) == f) << Printable(f);
    }
    EXPECT_EQ(out.packages[0].licenses, c.licenses);
    testing::ExpectDiagnostic(out.diagnostics, c.diagnostic);
  }
}

TEST(DpkgCataloger, WantsEveryFileItReads) {
  struct Case {
    std::string path;
    bool wanted;
  };
  const Case cases[] = {
      {"/var/lib/dpkg/status", true},
      {"/var/lib/dpkg/status.d/libc6", true},
      {"/var/lib/dpkg/status.d/libc6.md5sums", true},
      {"/var/lib/dpkg/info/libc6:amd64.list", true},
      {"/var/lib/dpkg/info/bash.list", true},
      {"/usr/share/doc/bash/copyright", true},
      {"/var/lib/dpkg/status-old", false},
      {"/var/lib/dpkg/info/bash.md5sums", false},
      {"/etc/apt/sources.list", false},
      {"/usr/share/doc/bash/changelog.gz", false},
      {"/opt/app/copyright", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    EXPECT_EQ(testing::CatalogerWants("dpkg", c.path), c.wanted);
  }
}

// The whole pipeline: a two-layer OCI image, the second layer running
// "apt-get install" (status rewritten, a new .list), then a third layer
// deleting the status.d tree of a distroless-style remnant.
TEST(DpkgCataloger, ScanImageAttributesLayers) {
  using testing::File;
  const std::string a = Stanza("a", "install ok installed", "1.0", "Source: asrc (0.9)\n");
  const std::string b = Stanza("b", "install ok installed", "2.0");
  std::string l1 = testing::MakeTar({
      File("etc/os-release", "ID=debian\nVERSION_ID=\"12\"\n"),
      File("var/lib/dpkg/status", a),
      File("var/lib/dpkg/info/a.list", "/.\n/usr\n/usr/bin/a\n"),
      File("usr/share/doc/a/copyright",
           "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n"
           "Files: *\nCopyright: 2024 A\nLicense: Expat\n"),
      File("var/lib/dpkg/status.d/old", Stanza("old", "", "1")),
  });
  std::string l2 = testing::MakeTar({
      File("var/lib/dpkg/status", a + b),
      File("var/lib/dpkg/info/b.list", "/usr/bin/b\n"),
  });
  std::string l3 = testing::MakeTar({testing::Whiteout("var/lib/dpkg", "status.d")});
  testing::TempDir dir;
  auto r = testing::ScanLayerTars(dir, {l1, l2, l3});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory.has_value());
  testing::ExpectDiagnostic(r->inventory->diagnostics, "");
  ASSERT_EQ(r->inventory->packages.size(), 2u);
  const Package* pa = FindPackage(r->inventory->packages, "a");
  const Package* pb = FindPackage(r->inventory->packages, "b");
  ASSERT_NE(pa, nullptr);
  ASSERT_NE(pb, nullptr);
  EXPECT_EQ(pa->layer_index, 0);
  EXPECT_EQ(pb->layer_index, 1);
  EXPECT_EQ(pa->purl, "pkg:deb/debian/a@1.0?arch=amd64&distro=debian-12&upstream=asrc%400.9");
  EXPECT_EQ(pa->licenses, std::vector<std::string>{"MIT"});
  EXPECT_EQ(pa->evidence[0].path, "/var/lib/dpkg/status");
  EXPECT_EQ(pa->files, std::vector<std::string>{"/usr/bin/a"});
  EXPECT_EQ(pb->files, std::vector<std::string>{"/usr/bin/b"});
  ASSERT_TRUE(r->summary.os.has_value());
  EXPECT_FALSE(r->summary.os->distroless);
}

TEST(Deb822Reader, Cases) {
  struct Field {
    std::string name;
    std::string value;
  };
  struct Case {
    std::string name;
    std::string text;
    std::vector<std::vector<Field>> want;
    std::vector<std::string> errors;  // per stanza
  };
  const Case cases[] = {
      {"two stanzas", "A: 1\nB: 2\n\nC: 3\n", {{{"A", "1"}, {"B", "2"}}, {{"C", "3"}}}, {"", ""}},
      {"continuation lines stay in the raw value",
       "Description: short\n long line\n .\n end\nNext: x\n",
       {{{"Description", "short\n long line\n .\n end"}, {"Next", "x"}}},
       {""}},
      {"empty first line with continuations",
       "Conffiles:\n /etc/a 123\n /etc/b 456\n",
       {{{"Conffiles", "\n /etc/a 123\n /etc/b 456"}}},
       {""}},
      {"comments are skipped", "# comment\nA: 1\n# another\nB: 2\n", {{{"A", "1"}, {"B", "2"}}}, {""}},
      {"leading blank lines and many separators", "\n\n\nA: 1\n\n\n\nB: 2\n\n", {{{"A", "1"}}, {{"B", "2"}}}, {"", ""}},
      {"a bad line is reported with its line number",
       "A: 1\nbad line\nB: 2\n",
       {{{"A", "1"}, {"B", "2"}}},
       {"line 2: not a \"Name: value\" field"}},
      {"empty name", ": value\n", {{}}, {"line 1: not a \"Name: value\" field"}},
      {"value with colons", "Maintainer: A <a@b.c>: x\n", {{{"Maintainer", "A <a@b.c>: x"}}}, {""}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Deb822Reader reader(c.text);
    Deb822Stanza s;
    size_t i = 0;
    while (reader.Next(s)) {
      ASSERT_LT(i, c.want.size());
      std::vector<std::pair<std::string, std::string>> got, want;
      for (const auto& f : s.fields) got.emplace_back(f.name, f.value);
      for (const auto& f : c.want[i]) want.emplace_back(f.name, f.value);
      EXPECT_EQ(got, want);
      EXPECT_EQ(s.error, c.errors[i]);
      ++i;
    }
    EXPECT_EQ(i, c.want.size());
  }
}

TEST(DebianCopyright, Licenses) {
  struct Case {
    std::string name;
    std::string text;
    std::vector<std::string> want;
  };
  const std::string dep5 = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n";
  const Case cases[] = {
      {"real: libzstd1",
       Testdata("catalog/dpkg/doc/libzstd1.copyright"),
       {"BSD-3-Clause", "GPL-2.0-only", "MIT", "Zlib"}},
      {"real: zlib1g (http Format URL)", Testdata("catalog/dpkg/doc/zlib1g.copyright"), {"Zlib"}},
      {"real: libc6 (not machine-readable)", Testdata("catalog/dpkg/doc/libc6.copyright"), {"GPL-2", "LGPL-2.1"}},
      {"real: base-files (only the unversioned GPL)", Testdata("catalog/dpkg/doc/base-files.copyright"), {}},
      {"old DEP-5 Format URL",
       "Format: http://dep.debian.net/deps/dep5\n\nFiles: *\nLicense: GPL-2+\n",
       {"GPL-2.0-or-later"}},
      {"License in the header stanza", dep5.substr(0, dep5.size() - 1) + "License: Apache-2.0\n", {"Apache-2.0"}},
      {"and, or and commas split",
       dep5 + "Files: *\nLicense: GPL-2+ or Artistic, and BSD-2-clause\n",
       {"Artistic-1.0-Perl", "BSD-2-Clause", "GPL-2.0-or-later"}},
      {"with-exception stays whole",
       dep5 + "Files: *\nLicense: GPL-3+ with OpenSSL exception\n",
       {"GPL-3+ with OpenSSL exception"}},
      {"full text in continuation lines is not a name",
       dep5 + "Files: *\nLicense: MIT\n\nLicense: MIT\n Permission is hereby granted, or not, and so on\n",
       {"MIT"}},
      {"unknown names kept as written", dep5 + "Files: *\nLicense: BSD-variant\n", {"BSD-variant"}},
      {"no Format: not machine-readable, License fields ignored", "Files: *\nLicense: MIT\n", {}},
      {"common-licenses mentions at end of sentence",
       "See /usr/share/common-licenses/GPL-3. Also /usr/share/common-licenses/Apache-2.0\n",
       {"Apache-2.0", "GPL-3"}},
      {"empty", "", {}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(DebianCopyrightLicenses(c.text), c.want);
  }
}

TEST(DebianCopyright, LicenseCaps) {
  std::string text = "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/\n\n";
  for (int i = 0; i < 1000; ++i) text += "Files: f" + std::to_string(i) + "\nLicense: L" + std::to_string(i) + "\n\n";
  text += "Files: x\nLicense: " + std::string(1000, 'x') + "\n";
  const auto got = DebianCopyrightLicenses(text);
  EXPECT_EQ(got.size(), kMaxLicenses);
  for (const auto& l : got) EXPECT_LE(l.size(), kMaxNameLength);
}

TEST(DebianCopyright, SpdxIds) {
  struct Case {
    std::string debian;
    std::string spdx;
  };
  const Case cases[] = {
      {"GPL-2", "GPL-2.0-only"},
      {"GPL-2+", "GPL-2.0-or-later"},
      {"GPL-2.0+", "GPL-2.0-or-later"},
      {"GPL-3", "GPL-3.0-only"},
      {"gpl-3+", "GPL-3.0-or-later"},
      {"GPL-1+", "GPL-1.0-or-later"},
      {"LGPL-2", "LGPL-2.0-only"},
      {"LGPL-2.1", "LGPL-2.1-only"},
      {"LGPL-2.1+", "LGPL-2.1-or-later"},
      {"LGPL-3+", "LGPL-3.0-or-later"},
      {"AGPL-3+", "AGPL-3.0-or-later"},
      {"GFDL-1.2+", "GFDL-1.2-or-later"},
      {"GFDL-1.3", "GFDL-1.3-only"},
      {"BSD-3-clause", "BSD-3-Clause"},
      {"BSD-2-Clause", "BSD-2-Clause"},
      {"Expat", "MIT"},
      {"Apache-2.0", "Apache-2.0"},
      {"Apache-2.0+", "Apache-2.0+"},
      {"Artistic", "Artistic-1.0-Perl"},
      {"Artistic-2.0", "Artistic-2.0"},
      {"zlib", "Zlib"},
      {"ISC", "ISC"},
      {"MPL-2.0", "MPL-2.0"},
      {"CC0-1.0", "CC0-1.0"},
      {"public-domain", "public-domain"},
      {"GPL", "GPL"},
      {"GPL-4+", "GPL-4+"},
      {"LGPL-2.2", "LGPL-2.2"},
      {"permissive", "permissive"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.debian);
    EXPECT_EQ(DebianLicenseToSpdx(c.debian), c.spdx);
  }
}

}  // namespace
}  // namespace drydock
