// A Maven POM reader, for the pom.xml files inside jars
// (META-INF/maven/<group>/<artifact>/pom.xml) and beside a project's
// sources: the project's coordinates, its parent's, its <properties> and
// its declared <dependencies> (not <dependencyManagement>, not <plugins>).
//
// What it promises: untrusted bytes in, never a throw or recursion; the
// element path is capped at kMaxPomDepth and the text kept per element at
// kMaxPomText, and at most kMaxPomDependencies dependencies and
// kMaxPomProperties properties are kept. The XML reader is a tolerant
// subset: elements, attributes (skipped), comments, CDATA, processing
// instructions, a DOCTYPE without an internal subset, and the five
// predefined entities plus numeric character references. Anything else is
// an InputError naming the byte offset.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

inline constexpr int kMaxPomDepth = 64;
inline constexpr size_t kMaxPomText = 4096;
inline constexpr size_t kMaxPomDependencies = 10000;
inline constexpr size_t kMaxPomProperties = 10000;

struct PomDependency {
  std::string group, artifact, version, scope;  // as written (not interpolated)
  bool optional = false;
};

struct PomProject {
  std::string group, artifact, version, packaging;
  std::string parent_group, parent_artifact, parent_version;
  std::map<std::string, std::string> properties;
  std::vector<PomDependency> dependencies;
  std::vector<PomDependency> managed;  // <dependencyManagement><dependencies>

  // The group and version, inherited from the parent when not written.
  std::string_view Group() const { return group.empty() ? parent_group : group; }
  std::string_view Version() const { return version.empty() ? parent_version : version; }

  // `s` with its ${…} references replaced: project.groupId/artifactId/
  // version (also the old pom.* spelling), project.parent.*, and the
  // POM's own <properties>, followed up to 8 levels. A reference it cannot
  // resolve is left as written, so the caller can tell (HasReference).
  std::string Interpolate(std::string_view s) const;
};

// True when `s` still holds a "${".
bool HasReference(std::string_view s);

// Reads a POM. An error names the offset of the first thing it cannot read;
// a document whose root is not <project> is an error too.
Result<PomProject> ParsePom(std::string_view xml);

}  // namespace drydock
