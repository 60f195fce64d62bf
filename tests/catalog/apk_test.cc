// The apk cataloger: fields of the installed database, owned files from
// F:/R: lines, layer attribution from the database's history, and hostile
// databases.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

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

constexpr char kDb[] = "/lib/apk/db/installed";

TEST(ApkCataloger, RealShapedDatabase) {
  const FileSystemView fs = MakeView({{.files = {{kDb, Testdata("catalog/apk/installed")}}}});
  const CatalogOutput out = RunCataloger("apk", fs);
  testing::ExpectDiagnostic(out.diagnostics, "");
  struct Case {
    std::string name;
    std::string version;
    std::string origin;
    std::vector<std::string> licenses;
    std::string commit;
    std::string maintainer;
    std::vector<std::string> files;
  };
  const Case cases[] = {
      {"musl",
       "1.2.4_git20230717-r4",
       "musl",
       {"MIT"},
       "a8b9a5b87aae2b94fbd8c7f6e1b63af6c1d8b7a1",
       "Timo Teräs <timo.teras@iki.fi>",
       {"/lib/ld-musl-x86_64.so.1", "/lib/libc.musl-x86_64.so.1"}},
      {"busybox",
       "1.36.1-r15",
       "busybox",
       {"GPL-2.0-only"},
       "5f8a9f1b1ec2d2f4c47c3c5c7c3c0d1a9f5b1a2e",
       "Sören Tempel <soeren+alpine@soeren-tempel.net>",
       {"/bin/busybox", "/etc/securetty", "/etc/udhcpd.conf", "/etc/logrotate.d/acpid",
        "/usr/share/udhcpc/default.script"}},
      {"libcrypto3",
       "3.1.4-r5",
       "openssl",
       {"Apache-2.0"},
       "0a3a0e8a5c0c6d1e5e6e3e0e2bb1cd7d70a4b2a1",
       "Ariadne Conill <ariadne@dereferenced.org>",
       {"/etc/ssl/ct_log_list.cnf", "/etc/ssl/ct_log_list.cnf.dist", "/lib/libcrypto.so.3", "/usr/lib/libcrypto.so.3"}},
      // A license expression stays one string.
      {"ca-certificates-bundle",
       "20230506-r0",
       "ca-certificates",
       {"MPL-2.0 AND MIT"},
       "59534a02716a92a10d177a118c34066162eff4a6",
       "Natanael Copa <ncopa@alpinelinux.org>",
       {"/etc/ssl/certs/ca-certificates.crt", "/etc/ssl/certs/cert.pem"}},
      {"zlib",
       "1.3.1-r0",
       "zlib",
       {"Zlib"},
       "b3a0e2a3c6d8f4f0dc7bd4e6ca6ee2bd01e34b5c",
       "Natanael Copa <ncopa@alpinelinux.org>",
       {"/lib/libz.so.1", "/lib/libz.so.1.3.1"}},
      {"alpine-baselayout-data",
       "3.4.3-r2",
       "alpine-baselayout",
       {"GPL-2.0-only"},
       "7749273fed55f8c71b2b0a4b33a6d3dbeb0aa1b1",
       "Natanael Copa <ncopa@alpinelinux.org>",
       {"/etc/fstab", "/etc/group", "/etc/hostname", "/etc/passwd", "/etc/shadow"}},
  };
  ASSERT_EQ(out.packages.size(), std::size(cases));
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const Package* p = FindPackage(out.packages, c.name);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->type, "apk");
    EXPECT_EQ(p->version, c.version);
    EXPECT_EQ(p->arch, "x86_64");
    EXPECT_EQ(p->source_name, c.origin);
    EXPECT_EQ(p->source_version, "");
    EXPECT_EQ(p->licenses, c.licenses);
    EXPECT_EQ(p->metadata.at("apk.commit"), c.commit);
    EXPECT_EQ(p->metadata.at("apk.maintainer"), c.maintainer);
    EXPECT_EQ(p->files, c.files);
    ASSERT_EQ(p->evidence.size(), 1u);
    EXPECT_EQ(p->evidence[0].cataloger, "apk");
    EXPECT_EQ(p->evidence[0].path, kDb);
    EXPECT_EQ(p->evidence[0].layer_index, 0);
  }
}

TEST(ApkCataloger, FieldForms) {
  struct Case {
    std::string name;
    std::string db;
    std::string pkg;
    std::string version;
    std::string arch;
    std::string source;
    std::vector<std::string> licenses;
    std::vector<std::string> files;
  };
  const Case cases[] = {
      {"no origin: the package is its own source", "P:a\nV:1-r0\nA:aarch64\n", "a", "1-r0", "aarch64", "a", {}, {}},
      {"files before any F: are in the root", "P:b\nV:2\nR:.dockerenv\n", "b", "2", "", "b", {}, {"/.dockerenv"}},
      {"CRLF line endings",
       "P:c\r\nV:3\r\nL:MIT\r\nF:usr/bin\r\nR:c\r\n\r\n",
       "c",
       "3",
       "",
       "c",
       {"MIT"},
       {"/usr/bin/c"}},
      {"no final newline", "P:x\nV:0\n\nP:d\nV:4", "d", "4", "", "d", {}, {}},
      {"many blank lines between records", "\n\n\nP:x\nV:0\n\n\n\nP:e\nV:5\n\n\n", "e", "5", "", "e", {}, {}},
      {"unknown and empty fields ignored", "P:f\nV:6\nL:\nk:100\nX:whatever\n", "f", "6", "", "f", {}, {}},
      {"unclean F: and R: paths are cleaned",
       "P:g\nV:7\nF:usr//lib/../share\nR:../../etc/x\n",
       "g",
       "7",
       "",
       "g",
       {},
       {"/etc/x"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView({{.files = {{kDb, c.db}}}});
    const CatalogOutput out = RunCataloger("apk", fs);
    testing::ExpectDiagnostic(out.diagnostics, "");
    const Package* p = FindPackage(out.packages, c.pkg);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->version, c.version);
    EXPECT_EQ(p->arch, c.arch);
    EXPECT_EQ(p->source_name, c.source);
    EXPECT_EQ(p->licenses, c.licenses);
    EXPECT_EQ(p->files, c.files);
  }
}

TEST(ApkCataloger, DatabaseLocations) {
  const std::string db = "P:a\nV:1\n";
  struct Case {
    std::string name;
    ViewLayer layer;
    std::string evidence;  // "" = no package
  };
  const Case cases[] = {
      {"/lib/apk/db/installed", {.files = {{"/lib/apk/db/installed", db}}}, "/lib/apk/db/installed"},
      {"apk-tools 3 under /usr/lib", {.files = {{"/usr/lib/apk/db/installed", db}}}, "/usr/lib/apk/db/installed"},
      {"merged /usr: /lib is a symlink, listed once",
       {.files = {{"/usr/lib/apk/db/installed", db}}, .symlinks = {{"/lib", "usr/lib"}}},
       "/usr/lib/apk/db/installed"},
      {"a directory where the database should be", {.dirs = {"/lib/apk/db/installed"}}, ""},
      {"no database", {.files = {{"/etc/apk/world", "a\n"}}}, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView({c.layer});
    const CatalogOutput out = RunCataloger("apk", fs);
    if (c.evidence.empty()) {
      EXPECT_TRUE(out.packages.empty());
      continue;
    }
    ASSERT_EQ(out.packages.size(), 1u);
    EXPECT_EQ(out.packages[0].evidence[0].path, c.evidence);
  }
}

TEST(ApkCataloger, LayerAttribution) {
  const std::string a1 = "P:a\nV:1.0-r0\nA:x86_64\n\n";
  const std::string a2 = "P:a\nV:1.0-r1\nA:x86_64\n\n";
  const std::string b1 = "P:b\nV:2.0-r0\nA:x86_64\n\n";
  struct Case {
    std::string name;
    std::vector<ViewLayer> layers;
    std::map<std::string, int> want;
  };
  const Case cases[] = {
      {"one layer", {{.files = {{kDb, a1 + b1}}}}, {{"a", 0}, {"b", 0}}},
      {"apk add in a later layer", {{.files = {{kDb, a1}}}, {.files = {{kDb, a1 + b1}}}}, {{"a", 0}, {"b", 1}}},
      {"apk upgrade in a later layer",
       {{.files = {{kDb, a1 + b1}}}, {.files = {{kDb, a2 + b1}}}},
       {{"a", 1}, {"b", 0}}},
      {"a layer not touching the database changes nothing",
       {{.files = {{kDb, a1}}}, {.files = {{"/etc/motd", "hi\n"}}}, {.files = {{kDb, b1 + a1}}}},
       {{"a", 0}, {"b", 2}}},
      {"removed, then added again",
       {{.files = {{kDb, a1 + b1}}}, {.files = {{kDb, b1}}}, {.files = {{kDb, b1 + a1}}}},
       {{"a", 2}, {"b", 0}}},
      {"a malformed older version does not hide a package's history",
       {{.files = {{kDb, a1}}}, {.files = {{kDb, a1 + "garbage\n"}}}, {.files = {{kDb, a1 + b1}}}},
       {{"a", 0}, {"b", 2}}},
      {"database deleted by a later layer", {{.files = {{kDb, a1}}}, {.whiteouts = {"/lib/apk"}}}, {}},
      {"deleted, then written again",
       {{.files = {{kDb, a1}}}, {.whiteouts = {kDb}}, {.files = {{kDb, a1}}}},
       {{"a", 2}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView(c.layers);
    const CatalogOutput out = RunCataloger("apk", fs);
    std::map<std::string, int> got;
    for (const auto& p : out.packages) {
      ASSERT_EQ(p.evidence.size(), 1u);
      got[p.name] = p.evidence[0].layer_index;
    }
    EXPECT_EQ(got, c.want);
  }
}

TEST(ApkCataloger, HostileDatabases) {
  struct Case {
    std::string name;
    std::string db;
    std::vector<std::string> listed;
    std::string diagnostic;
  };
  const std::string good = "P:good\nV:1\n\n";
  std::string binary;
  for (int i = 0; i < 4096; ++i) binary.push_back(static_cast<char>((i * 131 + 7) % 256));
  const Case cases[] = {
      {"binary garbage", binary, {}, "not a \"X:value\" line"},
      {"a malformed line drops its record",
       "P:bad\nV:1\nnot a field\n\n" + good,
       {"good"},
       "line 3: not a \"X:value\" line"},
      {"record without a name", "V:1\nA:x86_64\n\n" + good, {"good"}, "line 1: record without a valid package name"},
      {"record without a version", "P:nov\nA:x86_64\n\n" + good, {"good"}, "package nov has no valid version"},
      {"name with a slash", "P:../x\nV:1\n\n" + good, {"good"}, "record without a valid package name"},
      {"NUL in the name", std::string("P:a\0b\nV:1\n\n", 11) + good, {"good"}, "record without a valid package name"},
      {"control bytes in the version", "P:ctl\nV:1\x02\n\n" + good, {"good"}, "has no valid version"},
      {"truncated mid-record keeps what it has", good + "P:cut\nV:2", {"cut", "good"}, ""},
      {"truncated inside a field name", good + "P", {"good"}, "not a \"X:value\" line"},
      {"only blank lines", "\n\n\r\n", {}, ""},
      {"text without records", "hello\n", {}, "not a \"X:value\" line"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView({{.files = {{kDb, c.db}}}});
    const CatalogOutput out = RunCataloger("apk", fs);
    std::vector<std::string> got;
    for (const auto& p : out.packages) got.push_back(p.name);
    std::sort(got.begin(), got.end());
    EXPECT_EQ(got, c.listed);
    testing::ExpectDiagnostic(out.diagnostics, c.diagnostic);
    for (const auto& d : out.diagnostics) EXPECT_EQ(d.where, kDb);
  }
}

TEST(ApkCataloger, Caps) {
  struct Case {
    std::string name;
    std::string db;
    size_t packages;
    size_t files;  // of the first package
    std::string diagnostic;
  };
  std::string many_files = "P:wide\nV:1\nF:d\n";
  for (int i = 0; i < 270000; ++i) many_files += "R:f\n";
  std::string many_records;
  for (int i = 0; i < 100005; ++i) many_records += "P:p\nV:" + std::to_string(i) + "\n\n";
  const Case cases[] = {
      {"files per package", many_files, 1, 262144, "more than 262144 files in one package"},
      {"packages per database", many_records, 100000, 0, "more than 100000 packages"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView fs = MakeView({{.files = {{kDb, c.db}}}});
    const CatalogOutput out = RunCataloger("apk", fs);
    ASSERT_EQ(out.packages.size(), c.packages);
    EXPECT_EQ(out.packages[0].files.size(), c.files);
    testing::ExpectDiagnostic(out.diagnostics, c.diagnostic);
    EXPECT_LE(out.diagnostics.size(), 9u);
  }
}

TEST(ApkCataloger, WantsEveryFileItReads) {
  struct Case {
    std::string path;
    bool wanted;
  };
  const Case cases[] = {
      {"/lib/apk/db/installed", true}, {"/usr/lib/apk/db/installed", true},     {"/lib/apk/db/triggers", false},
      {"/etc/apk/world", false},       {"/home/x/lib/apk/db/installed", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.path);
    EXPECT_EQ(testing::CatalogerWants("apk", c.path), c.wanted);
  }
}

// The whole pipeline: an OCI image whose second layer runs "apk add zlib".
TEST(ApkCataloger, ScanImageAttributesLayers) {
  using testing::File;
  const std::string musl = "P:musl\nV:1.2.4-r2\nA:x86_64\nL:MIT\no:musl\nF:lib\nR:ld-musl-x86_64.so.1\n\n";
  const std::string zlib = "P:zlib\nV:1.3.1-r0\nA:x86_64\nL:Zlib\no:zlib\nF:lib\nR:libz.so.1\n\n";
  std::string l1 = testing::MakeTar({
      File("etc/os-release", "ID=alpine\nVERSION_ID=3.19.1\n"),
      File("lib/apk/db/installed", musl),
  });
  std::string l2 = testing::MakeTar({File("lib/apk/db/installed", musl + zlib)});
  testing::TempDir dir;
  auto r = testing::ScanLayerTars(dir, {l1, l2});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory.has_value());
  testing::ExpectDiagnostic(r->inventory->diagnostics, "");
  ASSERT_EQ(r->inventory->packages.size(), 2u);
  const Package* m = FindPackage(r->inventory->packages, "musl");
  const Package* z = FindPackage(r->inventory->packages, "zlib");
  ASSERT_NE(m, nullptr);
  ASSERT_NE(z, nullptr);
  EXPECT_EQ(m->layer_index, 0);
  EXPECT_EQ(z->layer_index, 1);
  EXPECT_EQ(m->purl, "pkg:apk/alpine/musl@1.2.4-r2?arch=x86_64&distro=alpine-3.19.1");
  EXPECT_EQ(z->licenses, std::vector<std::string>{"Zlib"});
  EXPECT_EQ(z->files, std::vector<std::string>{"/lib/libz.so.1"});
}

}  // namespace
}  // namespace drydock
