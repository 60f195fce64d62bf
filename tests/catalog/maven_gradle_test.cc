// The gradle.lockfile and pom.xml catalogers (gradle.cc, maven_pom.cc) and
// the POM reader (pom_xml.cc): fixtures written from Gradle's dependency
// locking documentation and the Maven POM reference.
#include <gtest/gtest.h>

#include "catalog/lang_test_util.h"
#include "catalog/pom_xml.h"
#include "catalog/purl_util.h"

namespace drydock {
namespace {

using testing::CatalogTestdata;
using testing::RunCases;

TEST(GradleLockfile, Cases) {
  const std::string at = " </app/gradle.lockfile>";
  RunCases({
      {"coordinates and configurations; test-only ones marked dev; empty= and comments skipped",
       "gradle-lockfile",
       {{"/app/gradle.lockfile", CatalogTestdata("formats/gradle.lockfile")}},
       {"maven com.fasterxml.jackson.core:jackson-core@2.17.1 "
        "{gradle.configurations=compileClasspath,runtimeClasspath}" +
            at,
        "maven com.google.guava:guava@33.2.1-jre {gradle.configurations=compileClasspath,runtimeClasspath,"
        "testCompileClasspath,testRuntimeClasspath}" +
            at,
        "maven junit:junit@4.13.2 {gradle.configurations=testCompileClasspath,testRuntimeClasspath scope=dev}" + at,
        "maven org.hamcrest:hamcrest-core@1.3 {gradle.configurations=testCompileClasspath,testRuntimeClasspath "
        "scope=dev}" +
            at,
        "maven org.slf4j:slf4j-api@2.0.13 {gradle.configurations=runtimeClasspath}" + at},
       ""},
      {"a line that is no coordinate is one diagnostic",
       "gradle-lockfile",
       {{"/app/gradle.lockfile", "a:b:1=x\nnot a coordinate\nalso:not\n"}},
       {"maven a:b@1 {gradle.configurations=x}" + at},
       "line 2"},
  });
  EXPECT_EQ(
      testing::PurlsOf("gradle-lockfile", {{"/app/gradle.lockfile", "org.slf4j:slf4j-api:2.0.13=runtimeClasspath\n"}}),
      std::vector<std::string>{"pkg:maven/org.slf4j/slf4j-api@2.0.13"});
}

TEST(MavenPom, Cases) {
  const std::string at = " </src/app/pom.xml>";
  RunCases({
      {"declared dependencies: properties, project.*, dependencyManagement; unresolved ones left out",
       "maven-pom",
       {{"/src/app/pom.xml", CatalogTestdata("formats/pom.xml")}},
       {"maven com.fasterxml.jackson.core:jackson-databind@2.17.1 {maven.scope=compile}" + at,
        "maven jakarta.servlet:jakarta.servlet-api@6.0.0 {maven.optional=true maven.scope=provided}" + at,
        "maven org.example:app-core@1.4.0 {maven.scope=compile}" + at,
        "maven org.junit.jupiter:junit-jupiter@5.10.2 {maven.scope=test scope=dev}" + at,
        "maven org.slf4j:slf4j-api@2.0.13 {maven.scope=compile}" + at},
       "2 dependencies left out"},
      {"not XML is a diagnostic", "maven-pom", {{"/src/pom.xml", "<project><a></b></project>"}}, {}, "mismatched"},
      {"a DOCTYPE with an internal subset is refused",
       "maven-pom",
       {{"/src/pom.xml", "<!DOCTYPE p [<!ENTITY x \"y\">]><project/>"}},
       {},
       "internal subset"},
      {"another root element is refused", "maven-pom", {{"/src/pom.xml", "<settings/>"}}, {}, "not <project>"},
  });
}

TEST(PomXml, EntitiesCdataAndReferenceLoops) {
  auto pom = ParsePom(
      "<project><groupId>a&amp;b</groupId><artifactId><![CDATA[x<y]]></artifactId><version>&#49;.&#x32;</version>"
      "<properties><p>${q}</p><q>${p}</q></properties></project>");
  ASSERT_TRUE(pom.ok()) << pom.error().message;
  EXPECT_EQ(pom->group, "a&b");
  EXPECT_EQ(pom->artifact, "x<y");
  EXPECT_EQ(pom->version, "1.2");
  EXPECT_TRUE(HasReference(pom->Interpolate("${p}")));  // a loop stays unresolved, bounded
  EXPECT_FALSE(ParsePom("<project>&bogus;</project>").ok());
  EXPECT_FALSE(ParsePom("<project>").ok());
  EXPECT_FALSE(ParsePom("<project/><project/>").ok());
}

}  // namespace
}  // namespace drydock
