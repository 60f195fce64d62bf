// Java packages a Maven project declares: the <dependencies> of a pom.xml
// found in the image (a project's sources copied into it). Versions come
// from the dependency itself, else from the same POM's
// <dependencyManagement>, with ${…} references resolved from the POM's own
// <properties>, project.* and parent.* coordinates. A version that needs
// the parent POM, an imported BOM or a remote repository is not known
// offline: such a dependency is left out (and counted in one diagnostic),
// never reported without a version or with a "${…}" in it.
// Dev policy: test-scoped dependencies are kept and marked dev (scope=dev);
// every dependency keeps its Maven scope as maven.scope.
// pom.xml files inside jars are the java-archive cataloger's.
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"
#include "catalog/pom_xml.h"

namespace drydock {

namespace {

bool IsPomXml(std::string_view path) { return Basename(path) == "pom.xml"; }

bool Usable(std::string_view s) {
  if (s.empty() || s.size() > 512 || HasReference(s)) return false;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return false;
  }
  return true;
}

void CollectPoms(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsPomXml)) {
    auto pom = ParsePom(f.content);
    if (!pom.ok()) {
      out.Skip(f.path, "pom.xml: " + pom.error().message);
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kMaven, out);
    size_t unresolved = 0;
    for (const PomDependency& d : pom->dependencies) {
      const std::string group = pom->Interpolate(d.group), artifact = pom->Interpolate(d.artifact);
      std::string version = pom->Interpolate(d.version);
      std::string scope = pom->Interpolate(d.scope);
      if (d.version.empty()) {
        for (const PomDependency& m : pom->managed) {
          if (pom->Interpolate(m.group) == group && pom->Interpolate(m.artifact) == artifact) {
            version = pom->Interpolate(m.version);
            if (scope.empty()) scope = pom->Interpolate(m.scope);
            break;
          }
        }
      }
      if (!Usable(group) || !Usable(artifact)) continue;
      if (!Usable(version)) {
        ++unresolved;
        continue;
      }
      bool added = false;
      Package* p = sink.Add(group, artifact, version, &added);
      if (p == nullptr || !added) continue;
      if (scope.empty()) scope = "compile";
      if (Usable(scope)) p->metadata["maven.scope"] = scope;
      if (d.optional) p->metadata["maven.optional"] = "true";
      if (scope == "test") lang::MarkDev(*p);
    }
    if (unresolved > 0) {
      out.Skip(f.path, "pom.xml: " + std::to_string(unresolved) +
                           " dependencies left out: their version is set by a parent POM, an imported BOM or a "
                           "property not defined in this file");
    }
  }
}

}  // namespace

void MavenPomCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "maven-pom",
                  .view_wants = lang::Wants({"pom.xml"}, {}, lang::kMaxMetadataSize),
                  .collect = CollectPoms,
                  .lockfile = true});
}

}  // namespace drydock
