// Java archives (jar, war, ear, par, and Jenkins plugins hpi/jpi), read during the layer walk and never
// kept. From each archive and every archive nested in it (Spring Boot's
// BOOT-INF/lib, WEB-INF/lib, lib/, any *.jar entry; at most kMaxDepth
// levels):
//   - every META-INF/maven/<group>/<artifact>/pom.properties is a package
//     (shaded jars carry several);
//   - without one, the archive's own META-INF/maven/**/pom.xml;
//   - without either, the main section of META-INF/MANIFEST.MF names it
//     (a Jenkins plugin's Short-Name/Plugin-Version/Group-Id; else the
//     file name when it carries a version, then Implementation-Title …);
//   - without any, a file name like name-1.2.3.jar does.
// An archive that names no version yields no package.
// Licenses come from the manifest's Bundle-License. A zip bomb anywhere in
// an archive makes the whole archive yield nothing but a diagnostic; other
// damage skips only the entry it is in.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/pom_xml.h"
#include "catalog/zip.h"

namespace drydock {

namespace {

constexpr std::string_view kId = "java-archive";
constexpr int kMaxDepth = 4;                 // nested archives below the file itself
constexpr uint64_t kMaxMetaBytes = 1 << 20;  // pom.properties, manifest prefix
constexpr size_t kMaxPomsPerArchive = 4096;  // shaded jars have tens at most
constexpr size_t kMaxFieldBytes = 512;       // group, artifact, version
constexpr int64_t kMaxArchiveBytes = int64_t{256} << 20;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\f')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\f'))
    s.remove_suffix(1);
  return s;
}

bool IsArchiveName(std::string_view name) {
  if (name.size() < 5) return false;
  const std::string ext = Lower(name.substr(name.size() - 4));
  return ext == ".jar" || ext == ".war" || ext == ".ear" || ext == ".par" || ext == ".hpi" || ext == ".jpi";
}

// A field usable as a coordinate: not empty, short, no control bytes.
bool Plausible(std::string_view s) {
  if (s.empty() || s.size() > kMaxFieldBytes) return false;
  return std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

// java.util.Properties, as far as pom.properties uses it: "key=value",
// "key: value" or "key value" lines, '#'/'!' comments, backslash escapes
// and continuation lines.
std::map<std::string, std::string> ParseProperties(std::string_view text) {
  std::map<std::string, std::string> out;
  std::string logical;
  auto flush = [&] {
    std::string_view l = Trim(logical);
    if (l.empty() || l.front() == '#' || l.front() == '!') return;
    std::string key;
    size_t i = 0;
    for (; i < l.size(); ++i) {
      if (l[i] == '\\' && i + 1 < l.size()) {
        key.push_back(l[++i]);
        continue;
      }
      if (l[i] == '=' || l[i] == ':' || l[i] == ' ' || l[i] == '\t') break;
      key.push_back(l[i]);
    }
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    if (i < l.size() && (l[i] == '=' || l[i] == ':')) ++i;
    while (i < l.size() && (l[i] == ' ' || l[i] == '\t')) ++i;
    std::string value;
    for (; i < l.size(); ++i) {
      if (l[i] == '\\' && i + 1 < l.size()) {
        const char c = l[++i];
        value.push_back(c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c);
        continue;
      }
      value.push_back(l[i]);
    }
    out[std::move(key)] = std::move(value);
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    // An odd number of trailing backslashes continues the line.
    size_t slashes = 0;
    while (slashes < line.size() && line[line.size() - 1 - slashes] == '\\') ++slashes;
    if (slashes % 2 == 1) {
      logical += line.substr(0, line.size() - 1);
      if (logical.size() > kMaxMetaBytes) logical.clear();
      continue;
    }
    logical += logical.empty() ? line : Trim(line);
    flush();
    logical.clear();
  }
  flush();
  return out;
}

// The main section of a JAR manifest: attributes up to the first blank
// line, continuation lines (starting with one space) joined. Attribute
// names are case-insensitive (JAR spec), so keys are lower-cased.
std::map<std::string, std::string> ParseManifestMain(std::string_view text) {
  std::map<std::string, std::string> out;
  std::string key, value;
  auto flush = [&] {
    if (!key.empty()) out[Lower(key)] = std::string(Trim(value));
    key.clear();
    value.clear();
  };
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find_first_of("\r\n", pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    if (nl < text.size() && text[nl] == '\r' && pos < text.size() && text[pos] == '\n') ++pos;
    if (line.empty()) break;  // end of the main section
    if (line.front() == ' ') {
      if (!key.empty() && value.size() < kMaxMetaBytes) value += line.substr(1);
      continue;
    }
    flush();
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    key = std::string(Trim(line.substr(0, colon)));
    value = std::string(line.substr(colon + 1));
  }
  flush();
  return out;
}

struct NameVersion {
  std::string name;
  std::string version;
};

// "commons-lang3-3.12.0.jar" → commons-lang3, 3.12.0: the version starts at
// the first "-" followed by a digit.
NameVersion FromFileName(std::string_view file) {
  std::string_view stem = file.substr(0, file.size() - std::min<size_t>(file.size(), 4));
  for (size_t i = 1; i + 1 < stem.size(); ++i) {
    if (stem[i] == '-' && stem[i + 1] >= '0' && stem[i + 1] <= '9') {
      return {std::string(stem.substr(0, i)), std::string(stem.substr(i + 1))};
    }
  }
  return {std::string(stem), ""};
}

std::string Get(const std::map<std::string, std::string>& m, std::string_view key) {
  auto it = m.find(std::string(key));
  return it == m.end() ? std::string() : it->second;
}

// An OSGi attribute value without its parameters ("a.b;singleton:=true").
std::string Unparameterised(std::string v) { return std::string(Trim(v.substr(0, v.find(';')))); }

bool IsToken(std::string_view s) { return Plausible(s) && s.find_first_of(" \t") == std::string_view::npos; }

struct Walk {
  const FileNode& node;
  std::vector<Package> found;
  std::vector<Diagnostic> diagnostics;
  ZipBudget budget;
  bool bomb = false;

  std::string Where(const std::string& chain) const { return chain.empty() ? node.path : node.path + "!/" + chain; }
  void Diagnose(const std::string& chain, std::string message) {
    diagnostics.push_back({Where(chain), std::string(kId) + ": " + std::move(message)});
  }
};

Package MakePackage(std::string group, std::string artifact, std::string version, const std::string& chain) {
  Package p;
  p.type = std::string(pkgtype::kMaven);
  p.namespace_ = std::move(group);
  p.name = std::move(artifact);
  p.version = std::move(version);
  PackageEvidence e;
  e.inner = chain;
  p.evidence.push_back(std::move(e));
  return p;
}

// The package a manifest describes when the archive has no pom.properties;
// nullopt when it names nothing.
std::optional<Package> FromManifest(const std::map<std::string, std::string>& mf, std::string_view file_name,
                                    const std::string& chain) {
  // A Jenkins plugin (.hpi/.jpi) names itself: Short-Name is its artifact
  // id, Plugin-Version its version, Group-Id its group.
  if (const std::string short_name = Get(mf, "short-name"); IsToken(short_name)) {
    std::string version = Get(mf, "plugin-version");
    if (!Plausible(version)) version = Get(mf, "implementation-version");
    if (Plausible(version)) {
      std::string group = Get(mf, "group-id");
      if (!IsToken(group)) group.clear();
      Package p = MakePackage(std::move(group), short_name, std::move(version), chain);
      p.metadata["java.source"] = "MANIFEST.MF";
      p.metadata["java.jenkins_plugin"] = "true";
      return p;
    }
  }
  const NameVersion file = FromFileName(file_name);
  const std::string title = Get(mf, "implementation-title");
  const std::string symbolic = Unparameterised(Get(mf, "bundle-symbolicname"));
  std::string name;
  // The file name first (when it carries a version, it is the artifact id
  // as Maven wrote it: "junit-4.13.2.jar", not the display title "JUnit"),
  // then the manifest's names.
  for (const std::string& candidate : {file.version.empty() ? std::string() : file.name, title, symbolic,
                                       Get(mf, "specification-title"), Get(mf, "bundle-name")}) {
    if (IsToken(candidate)) {
      name = candidate;
      break;
    }
  }
  if (name.empty() && Plausible(title)) name = title;
  std::string version;
  for (const char* key : {"implementation-version", "bundle-version", "specification-version"}) {
    version = Get(mf, key);
    if (Plausible(version)) break;
    version.clear();
  }
  if (version.empty()) version = file.version;
  if (name.empty() || version.empty()) return std::nullopt;
  // The group only when the manifest states it (Maven's archiver writes
  // Implementation-Vendor-Id = groupId) or the bundle name is exactly
  // "<group>.<artifact>"; never guessed from a vendor's display name.
  std::string group = Get(mf, "implementation-vendor-id");
  if (!IsToken(group)) group.clear();
  if (group.empty() && symbolic.size() > name.size() + 1 && symbolic.ends_with("." + name)) {
    group = symbolic.substr(0, symbolic.size() - name.size() - 1);
  }
  Package p = MakePackage(std::move(group), std::move(name), std::move(version), chain);
  p.metadata["java.source"] = "MANIFEST.MF";
  return p;
}

// True when `name` is META-INF/maven/<group>/<artifact>/<file>.
bool IsMavenMetaFile(std::string_view name, std::string_view file, std::string_view& group,
                     std::string_view& artifact) {
  constexpr std::string_view kPrefix = "META-INF/maven/";
  if (!name.starts_with(kPrefix) || name.size() <= file.size() || !name.ends_with(file) ||
      name[name.size() - file.size() - 1] != '/') {
    return false;
  }
  const std::string_view kSuffix = name.substr(name.size() - file.size() - 1);
  std::string_view mid = name.substr(kPrefix.size(), name.size() - kPrefix.size() - kSuffix.size());
  const size_t slash = mid.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 >= mid.size()) return false;
  if (mid.find('/', slash + 1) != std::string_view::npos) return false;
  group = mid.substr(0, slash);
  artifact = mid.substr(slash + 1);
  return true;
}

void ScanArchive(std::string_view bytes, std::string_view file_name, const std::string& chain, int depth, Walk& w) {
  auto zip = ZipArchive::Open(bytes);
  if (!zip.ok()) {
    w.Diagnose(chain, zip.error().message);
    return;
  }
  auto read = [&](const ZipEntry& e, uint64_t max, bool prefix_ok) -> std::optional<std::string> {
    auto r = zip->ReadEntry(e, w.budget, max, prefix_ok);
    if (r.ok) return std::move(r.data);
    if (r.error.kind == ZipReadError::Kind::kBomb) {
      w.bomb = true;
      w.Diagnose(chain, "zip bomb refused: " + Printable(e.name) + " " + r.error.message + "; archive skipped");
    } else {
      w.Diagnose(chain, Printable(e.name) + ": " + r.error.message);
    }
    return std::nullopt;
  };

  std::optional<std::map<std::string, std::string>> manifest;
  std::vector<Package> poms;
  std::vector<const ZipEntry*> pom_xmls;  // read only when no pom.properties names the archive
  std::set<std::tuple<std::string, std::string, std::string>> seen;
  size_t pom_files = 0;
  for (const auto& e : zip->entries()) {
    if (e.name == "META-INF/MANIFEST.MF" && !manifest) {
      if (auto text = read(e, kMaxMetaBytes, /*prefix_ok=*/true)) manifest = ParseManifestMain(*text);
      if (w.bomb) return;
      continue;
    }
    std::string_view dir_group, dir_artifact;
    if (IsMavenMetaFile(e.name, "pom.xml", dir_group, dir_artifact)) {
      if (pom_xmls.size() < kMaxPomsPerArchive) pom_xmls.push_back(&e);
      continue;
    }
    if (!IsMavenMetaFile(e.name, "pom.properties", dir_group, dir_artifact)) continue;
    if (++pom_files > kMaxPomsPerArchive) {
      w.Diagnose(chain, "more than " + std::to_string(kMaxPomsPerArchive) + " pom.properties; the rest ignored");
      break;
    }
    auto text = read(e, kMaxMetaBytes, /*prefix_ok=*/false);
    if (w.bomb) return;
    if (!text) continue;
    auto props = ParseProperties(*text);
    std::string group = Get(props, "groupId"), artifact = Get(props, "artifactId"), version = Get(props, "version");
    if (group.empty()) group = std::string(dir_group);
    if (artifact.empty()) artifact = std::string(dir_artifact);
    if (!Plausible(group) || !Plausible(artifact) || !Plausible(version)) {
      w.Diagnose(chain, Printable(e.name) + ": no usable groupId, artifactId and version");
      continue;
    }
    if (!seen.emplace(group, artifact, version).second) continue;
    Package p = MakePackage(std::move(group), std::move(artifact), std::move(version), chain);
    p.metadata["java.source"] = "pom.properties";
    p.metadata["java.pom_properties"] = e.name;
    poms.push_back(std::move(p));
  }

  const std::string license = manifest ? Get(*manifest, "bundle-license") : std::string();
  if (!poms.empty()) {
    // The manifest's license is the archive's own: it goes to the one
    // package the archive is, when that is clear (a single pom, or the pom
    // whose artifact the file is named after), not to shaded passengers.
    const NameVersion file = FromFileName(file_name);
    for (auto& p : poms) {
      if (Plausible(license) && (poms.size() == 1 || p.name == file.name)) p.licenses.push_back(license);
      w.found.push_back(std::move(p));
    }
  } else {
    std::optional<Package> p;
    // Without pom.properties, the archive's own pom.xml (one, or the one
    // whose artifact the file is named after) states the coordinates.
    const NameVersion file = FromFileName(file_name);
    for (const ZipEntry* e : pom_xmls) {
      if (pom_xmls.size() > 1 && !std::string_view(e->name).ends_with("/" + file.name + "/pom.xml")) continue;
      auto text = read(*e, kMaxMetaBytes, /*prefix_ok=*/false);
      if (w.bomb) return;
      if (!text) continue;
      auto pom = ParsePom(*text);
      if (!pom.ok()) {
        w.Diagnose(chain, Printable(e->name) + ": " + pom.error().message);
        continue;
      }
      std::string group = pom->Interpolate(pom->Group()), version = pom->Interpolate(pom->Version());
      std::string artifact = pom->Interpolate(pom->artifact);
      if (!Plausible(group) || !Plausible(artifact) || !Plausible(version) || HasReference(group) ||
          HasReference(artifact) || HasReference(version)) {
        continue;
      }
      p = MakePackage(std::move(group), std::move(artifact), std::move(version), chain);
      p->metadata["java.source"] = "pom.xml";
      p->metadata["java.pom_xml"] = e->name;
      break;
    }
    if (!p && manifest) p = FromManifest(*manifest, file_name, chain);
    if (!p) {
      NameVersion file = FromFileName(file_name);
      if (Plausible(file.name) && Plausible(file.version)) {
        p = MakePackage("", std::move(file.name), std::move(file.version), chain);
        p->metadata["java.source"] = "file name";
      }
    }
    if (p) {
      if (Plausible(license)) p->licenses.push_back(license);
      w.found.push_back(std::move(*p));
    }
  }

  if (depth >= kMaxDepth) return;
  for (const auto& e : zip->entries()) {
    if (e.is_dir() || !IsArchiveName(e.name)) continue;
    auto inner = read(e, static_cast<uint64_t>(kMaxArchiveBytes), /*prefix_ok=*/false);
    if (w.bomb) return;
    if (!inner) continue;
    const std::string sub = chain.empty() ? e.name : chain + "!/" + e.name;
    const std::string_view base = std::string_view(e.name).substr(e.name.rfind('/') + 1);
    ScanArchive(*inner, base, sub, depth + 1, w);
    if (w.bomb) return;
  }
}

void OnArchive(const FileNode& node, std::string_view content, LayerResult& out) {
  Walk w{node, {}, {}, {}, false};
  ScanArchive(content, Basename(node.path), "", 0, w);
  for (auto& d : w.diagnostics) out.diagnostics.push_back(std::move(d));
  if (w.bomb) return;
  for (auto& p : w.found) out.packages.push_back(std::move(p));
}

}  // namespace

void JavaCatalogers(std::vector<Cataloger>& rows) {
  Cataloger c;
  c.id = kId;
  // .hpi and .jpi are Jenkins plugins: jars with a plugin manifest.
  c.file_wants.suffixes = {".jar", ".war", ".ear", ".par", ".hpi", ".jpi", ".JAR", ".WAR", ".EAR"};
  // Executable jars may start with a launch script before the zip.
  c.file_wants.magic = {std::string("PK\x03\x04", 4), "#!"};
  c.file_wants.max_size = kMaxArchiveBytes;
  c.on_file = &OnArchive;
  rows.push_back(std::move(c));
}

}  // namespace drydock
