// The opkg status and rpm container-manifest catalogers (opkg.cc,
// rpm_manifest.cc): fixtures written from opkg's status format (deb822
// stanzas) and Azure Linux's container-manifest-2 layout.
#include <gtest/gtest.h>

#include "catalog/lang_test_util.h"
#include "catalog/purl_util.h"

namespace drydock {
namespace {

using testing::CatalogTestdata;
using testing::RunCases;

TEST(OpkgStatus, Cases) {
  const std::string at = " </usr/lib/opkg/status>";
  RunCases({
      {"installed packages only; license and source kept",
       "opkg",
       {{"/usr/lib/opkg/status", CatalogTestdata("formats/opkg-status")}},
       {"deb busybox@1.36.1-r2 [GPL-2.0-only] {package_manager=opkg}" + at,
        "deb dropbear@2022.82-r3 {package_manager=opkg}" + at, "deb libc@1.2.4-r2 {package_manager=opkg}" + at},
       ""},
      {"a stanza without a version is a diagnostic",
       "opkg",
       {{"/var/lib/opkg/status", "Package: x\nStatus: install ok installed\n"}},
       {},
       "without a usable Package and Version"},
  });
  OsRelease os;
  os.id = "openwrt";
  os.version_id = "23.05.3";
  EXPECT_EQ(
      testing::PurlsOf("opkg", {{"/usr/lib/opkg/status", CatalogTestdata("formats/opkg-status")}}, os),
      (std::vector<std::string>{"pkg:deb/openwrt/busybox@1.36.1-r2?arch=x86_64&distro=openwrt-23.05.3",
                                "pkg:deb/openwrt/dropbear@2022.82-r3?arch=x86_64&distro=openwrt-23.05.3",
                                "pkg:deb/openwrt/libc@1.2.4-r2?arch=x86_64&distro=openwrt-23.05.3&upstream=musl"}));
}

TEST(RpmContainerManifest, Cases) {
  const std::string at = " </var/lib/rpmmanifest/container-manifest-2>";
  const std::string ms = "rpm.vendor=Microsoft Corporation";
  RunCases({
      {"one package per line; epoch from its column",
       "rpm-manifest",
       {{"/var/lib/rpmmanifest/container-manifest-2", CatalogTestdata("formats/container-manifest-2")}},
       {"rpm filesystem@1.1-9.cm2 {rpm.sourcerpm=filesystem-1.1-9.cm2.src.rpm " + ms + "}" + at,
        "rpm mariner-release@2.0-12.cm2 {rpm.sourcerpm=mariner-release-2.0-12.cm2.src.rpm " + ms + "}" + at,
        "rpm openssl-libs@1.1.1k-15.cm2 {rpm.sourcerpm=openssl-1.1.1k-15.cm2.src.rpm " + ms + "}" + at,
        "rpm vim@2:9.0-1.cm2 {rpm.epoch=2 rpm.sourcerpm=vim-9.0-1.cm2.src.rpm " + ms + "}" + at},
       ""},
      {"a short line is a diagnostic",
       "rpm-manifest",
       {{"/var/lib/rpmmanifest/container-manifest-2", "glibc\t2.35-2.cm2\n"}},
       {},
       "line 1"},
  });
  OsRelease os;
  os.id = "mariner";
  os.version_id = "2.0";
  const auto purls = testing::PurlsOf(
      "rpm-manifest", {{"/var/lib/rpmmanifest/container-manifest-2", CatalogTestdata("formats/container-manifest-2")}},
      os);
  ASSERT_EQ(purls.size(), 4u);
  EXPECT_EQ(purls[1], "pkg:rpm/mariner/mariner-release@2.0-12.cm2?arch=noarch&distro=mariner-2.0");
  EXPECT_EQ(purls[2], "pkg:rpm/mariner/openssl-libs@1.1.1k-15.cm2?arch=x86_64&distro=mariner-2.0&upstream=openssl");
  EXPECT_EQ(purls[3], "pkg:rpm/mariner/vim@9.0-1.cm2?arch=x86_64&distro=mariner-2.0&epoch=2");
}

}  // namespace
}  // namespace drydock
