// The files the lock-file and database catalogers added for Syft parity
// (uv, pdm, bun, gradle, maven-pom, nuget-packages-lock, opkg,
// rpm-manifest) are captured, and look-alikes are not.
#include <gtest/gtest.h>

#include <string>

#include "catalog/layered_view.h"

namespace drydock {
namespace {

TEST(FormatCatalogers, WantTheirFiles) {
  struct Case {
    std::string cataloger, path;
    bool wanted;
  };
  const Case cases[] = {
      {"python-uv-lock", "/app/uv.lock", true},
      {"python-uv-lock", "/app/uv.lock.bak", false},
      {"python-pdm-lock", "/srv/pdm.lock", true},
      {"bun-lock", "/app/bun.lock", true},
      {"bun-lock", "/app/bun.lockb", false},
      {"gradle-lockfile", "/src/app/gradle.lockfile", true},
      {"gradle-lockfile", "/src/app/gradle/dependency-locks/compileClasspath.lockfile", true},
      {"maven-pom", "/src/app/pom.xml", true},
      {"maven-pom", "/root/.m2/repository/g/a/1/a-1.pom", false},
      {"nuget-packages-lock", "/src/App/packages.lock.json", true},
      {"nuget-packages-lock", "/src/App/package-lock.json", false},
      {"opkg", "/usr/lib/opkg/status", true},
      {"opkg", "/var/lib/opkg/status", true},
      {"opkg", "/usr/lib/opkg/status-old", false},
      {"rpm-manifest", "/var/lib/rpmmanifest/container-manifest-2", true},
      {"rpm-manifest", "/var/lib/rpmmanifest/container-manifest-1", false},
      {"python-installed", "/usr/lib/python3/site-packages/X-1.0.EGG-INFO", true},
      {"python-installed", "/usr/lib/python3/site-packages/X-1.0.DIST-INFO/METADATA", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.cataloger + " " + c.path);
    EXPECT_EQ(testing::CatalogerWants(c.cataloger, c.path), c.wanted);
  }
}

}  // namespace
}  // namespace drydock
