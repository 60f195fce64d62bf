// Node packages: installed packages (`node_modules/**/package.json`) and the
// lock files of npm (package-lock.json v1–v3, npm-shrinkwrap.json), yarn
// (v1 and berry) and pnpm (lockfile v5, v6 and v9).
#include <simdjson.h>

#include <algorithm>
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"
#include "catalog/yaml_walk.h"
#include "model/json_util.h"

namespace drydock {

namespace {

using lang::NextLine;
using lang::PackageSink;
using lang::SplitScope;
using lang::StripQuotes;
using lang::Trim;
using lang::Wants;

// package-lock v1 nests dependencies inside dependencies; real trees are a
// few levels deep, so deeper nesting is refused rather than followed.
constexpr int kMaxLockDepth = 64;
constexpr int kMaxYamlDepth = 64;

std::string_view StringField(simdjson::dom::element obj, std::string_view key) {
  std::string_view s;
  if (obj[key].get_string().get(s)) return {};
  return s;
}

bool BoolField(simdjson::dom::element obj, std::string_view key) {
  bool b = false;
  if (obj[key].get_bool().get(b)) return false;
  return b;
}

// "license": "MIT" | {"type": "MIT"}; legacy "licenses": ["MIT" | {"type": "MIT"}, …].
std::vector<std::string> LicensesOf(simdjson::dom::element pkg) {
  std::vector<std::string> out;
  auto one = [&](simdjson::dom::element e) {
    std::string_view s;
    if (!e.get_string().get(s) || !e["type"].get_string().get(s)) {
      if (!Trim(s).empty()) out.emplace_back(Trim(s));
    }
  };
  simdjson::dom::element l;
  if (!pkg["license"].get(l)) one(l);
  simdjson::dom::array arr;
  if (!pkg["licenses"].get_array().get(arr)) {
    for (auto e : arr) one(e);
  }
  return out;
}

// --- node_modules/**/package.json ----------------------------------------------------

// A package.json is an installed package when its directory is
// node_modules/NAME or node_modules/@scope/NAME; any other package.json
// (a project root, test fixtures, a "type": "module" marker in lib/) is not.
bool IsInstalledPackageJson(std::string_view path) {
  if (Basename(path) != "package.json") return false;
  const std::string_view dir = Dirname(path);
  const std::string_view name = Basename(dir);
  if (name.empty() || name.front() == '.') return false;
  const std::string_view parent_dir = Dirname(dir);
  const std::string_view parent = Basename(parent_dir);
  if (name.front() != '@' && parent == "node_modules") return true;
  return parent.size() > 1 && parent.front() == '@' && Basename(Dirname(parent_dir)) == "node_modules";
}

void CollectInstalled(const CatalogInput& in, CatalogOutput& out) {
  simdjson::dom::parser parser;
  for (const auto& f : FindCaptured(in, IsInstalledPackageJson)) {
    auto root = json::Parse(parser, f.content, "package.json");
    if (!root.ok()) {
      out.Skip(f.path, root.error().message);
      continue;
    }
    if (!root->is_object()) {
      out.Skip(f.path, "package.json: not a JSON object");
      continue;
    }
    const std::string_view name = StringField(*root, "name");
    const std::string_view version = StringField(*root, "version");
    if (name.empty() || version.empty()) continue;  // not a published package (workspace stubs, fixtures)
    auto [ns, n] = SplitScope(name);
    PackageSink sink(f, pkgtype::kNpm, out);
    if (Package* p = sink.Add(std::move(ns), std::move(n), std::string(version))) p->licenses = LicensesOf(*root);
  }
}

// --- package-lock.json ------------------------------------------------------------------

bool IsPackageLock(std::string_view path) {
  const std::string_view base = Basename(path);
  return base == "package-lock.json" || base == "npm-shrinkwrap.json";
}

void AddLockEntry(PackageSink& sink, std::string_view full_name, simdjson::dom::element entry) {
  std::string_view version = StringField(entry, "version");
  // v1 writes an aliased dependency as "npm:real-name@1.2.3".
  if (version.starts_with("npm:")) {
    const std::string_view alias = version.substr(4);
    const size_t at = alias.find('@', 1);
    if (at == std::string_view::npos) return;
    full_name = alias.substr(0, at);
    version = alias.substr(at + 1);
  }
  // Git, file and tarball dependencies carry a URL, not a version.
  if (version.find(':') != std::string_view::npos || version.find('/') != std::string_view::npos) return;
  auto [ns, n] = SplitScope(full_name);
  bool added = false;
  Package* p = sink.Add(std::move(ns), std::move(n), std::string(version), &added);
  if (p == nullptr) return;
  const bool dev = BoolField(entry, "dev");
  // A package that some path needs outside development is not dev-only.
  if (added && dev) lang::MarkDev(*p, "npm.dev");
  if (!added && !dev) lang::ClearDev(*p, "npm.dev");
  if (added) p->licenses = LicensesOf(entry);
}

Status ReadPackageLock(simdjson::dom::element root, PackageSink& sink) {
  simdjson::dom::object packages;
  if (!root["packages"].get_object().get(packages)) {
    // v2 and v3: one entry per installed path.
    constexpr std::string_view kNm = "node_modules/";
    for (auto [key, entry] : packages) {
      const size_t at = key.rfind(kNm);
      if (at == std::string_view::npos) continue;  // the root ("") and workspace folders
      if (!entry.is_object() || BoolField(entry, "link")) continue;
      std::string_view name = StringField(entry, "name");
      if (name.empty()) name = key.substr(at + kNm.size());
      AddLockEntry(sink, name, entry);
    }
    return Ok();
  }
  // v1: a tree of "dependencies", walked with an explicit stack.
  struct Level {
    simdjson::dom::object deps;
    int depth;
  };
  std::vector<Level> stack;
  simdjson::dom::object top;
  if (root["dependencies"].get_object().get(top)) return Ok();  // no dependencies at all
  stack.push_back({top, 1});
  while (!stack.empty()) {
    Level level = stack.back();
    stack.pop_back();
    for (auto [name, entry] : level.deps) {
      if (!entry.is_object()) continue;
      AddLockEntry(sink, name, entry);
      simdjson::dom::object nested;
      if (!entry["dependencies"].get_object().get(nested)) {
        if (level.depth >= kMaxLockDepth) return InputError("dependencies nested deeper than {}", kMaxLockDepth);
        stack.push_back({nested, level.depth + 1});
      }
    }
  }
  return Ok();
}

void CollectPackageLock(const CatalogInput& in, CatalogOutput& out) {
  simdjson::dom::parser parser;
  for (const auto& f : FindCaptured(in, IsPackageLock)) {
    const std::string what(Basename(f.path));
    auto root = json::Parse(parser, f.content, what);
    if (!root.ok()) {
      out.Skip(f.path, root.error().message);
      continue;
    }
    if (!root->is_object()) {
      out.Skip(f.path, what + ": not a JSON object");
      continue;
    }
    PackageSink sink(f, pkgtype::kNpm, out);
    if (auto st = ReadPackageLock(*root, sink); !st.ok()) out.Skip(f.path, what + ": " + st.error().message);
  }
}

// --- yarn.lock --------------------------------------------------------------------------

bool IsYarnLock(std::string_view path) { return Basename(path) == "yarn.lock"; }

// Local packages (the project's own workspaces, links, portals, folders)
// are not dependencies fetched from a registry.
bool IsLocalRange(std::string_view range) {
  for (std::string_view p : {"workspace:", "link:", "portal:", "file:"}) {
    if (range.starts_with(p)) return true;
  }
  return false;
}

// The package a yarn descriptor ("debug@^4.1.0", "@types/node@npm:^20",
// "alias@npm:real@^1") resolves to, and its range; false for local ones.
bool SplitDescriptor(std::string_view spec, std::string_view& name, std::string_view& range) {
  spec = StripQuotes(Trim(spec));
  const size_t at = spec.find('@', 1);
  if (at == std::string_view::npos || at == 0) return false;
  name = spec.substr(0, at);
  range = spec.substr(at + 1);
  if (range.starts_with("npm:")) {
    const std::string_view rest = range.substr(4);
    const size_t at2 = rest.find('@', 1);
    if (at2 != std::string_view::npos) {  // an alias names the real package
      name = rest.substr(0, at2);
      range = rest.substr(at2 + 1);
    } else {
      range = rest;
    }
  }
  return !name.empty() && !IsLocalRange(range);
}

// The package a registry tarball URL names, when the tarball is that
// package's NAME-VERSION.tgz: ".../@scope/name/-/name-1.2.3.tgz#sha1" →
// "@scope/name" (also with the scope's slash encoded as %2f). Empty when
// the URL is no registry tarball of `version`.
std::string NameFromTarballUrl(std::string_view url, std::string_view version) {
  url = url.substr(0, url.find('#'));
  url = url.substr(0, url.find('?'));
  const size_t dash = url.rfind("/-/");
  if (dash == std::string_view::npos) return {};
  const std::string_view file = url.substr(dash + 3);
  std::string_view before = url.substr(0, dash);
  std::string name;
  const size_t slash = before.rfind('/');
  if (slash == std::string_view::npos) return {};
  const std::string_view last = before.substr(slash + 1);
  const size_t enc = last.find("%2f") != std::string_view::npos ? last.find("%2f") : last.find("%2F");
  if (last.starts_with('@') && enc != std::string_view::npos) {
    name = std::string(last.substr(0, enc)) + "/" + std::string(last.substr(enc + 3));
  } else {
    const std::string_view head = before.substr(0, slash);
    const size_t slash2 = head.rfind('/');
    const std::string_view scope = slash2 == std::string_view::npos ? std::string_view() : head.substr(slash2 + 1);
    name = scope.starts_with('@') ? std::string(scope) + "/" + std::string(last) : std::string(last);
  }
  const std::string_view bare =
      std::string_view(name).substr(name.find('/') == std::string::npos ? 0 : name.find('/') + 1);
  if (bare.empty() || file != std::string(bare) + "-" + std::string(version) + ".tgz") return {};
  return name;
}

// Yarn v1's own format: unindented "spec, spec:" headers, each followed by
// indented fields, one of them `version "1.2.3"`. An alias ("alias@npm:
// real@^1" in the header, or a registry tarball of another package in
// `resolved`) is reported as the package it resolves to.
Status ReadYarnV1(std::string_view text, PackageSink& sink) {
  std::string_view name, version, resolved;
  bool in_entry = false;
  auto flush = [&] {
    if (in_entry && !version.empty()) {
      std::string real = NameFromTarballUrl(resolved, version);
      auto [ns, n] = SplitScope(real.empty() ? name : std::string_view(real));
      sink.Add(std::move(ns), std::move(n), std::string(version));
    }
    in_entry = false;
    version = resolved = {};
  };
  int line_no = 0;
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    ++line_no;
    if (Trim(line).empty() || line.front() == '#') continue;
    if (line.front() != ' ' && line.front() != '\t') {
      flush();
      if (line.back() != ':') return InputError("line {}: expected an entry header ending in ':'", line_no);
      std::string_view header = line.substr(0, line.size() - 1);
      std::string_view first = header.substr(0, header.find(','));
      std::string_view range;
      in_entry = SplitDescriptor(first, name, range);
      continue;
    }
    if (!in_entry) continue;
    // The entry's own fields; deeper lines are its dependency lists, where
    // a dependency may be named "version" or "resolved".
    const std::string_view field = Trim(line);
    if (line.find_first_not_of(" \t") > 2) continue;
    if (field.starts_with("version ") && version.empty()) {
      version = StripQuotes(Trim(field.substr(8)));
    } else if (field.starts_with("resolved ") && resolved.empty()) {
      resolved = StripQuotes(Trim(field.substr(9)));
    }
  }
  flush();
  return Ok();
}

// Yarn 2+ ("berry") writes YAML: `"debug@npm:^4.1.0, debug@npm:^4.3.4":`
// entries with `version` and `resolution`, and a `__metadata` entry.
Status ReadYarnBerry(std::string_view text, PackageSink& sink) {
  struct Entry {
    std::string key, version, resolution;
  };
  std::vector<Entry> entries;
  RETURN_IF_ERROR(lang::WalkYaml(text, kMaxYamlDepth,
                                 [&](const std::vector<std::string>& path, lang::YamlKind kind, const std::string& v) {
                                   if (path.size() == 1 && kind == lang::YamlKind::kMap) {
                                     if (entries.size() < lang::kMaxPackagesPerFile)
                                       entries.push_back({path[0], {}, {}});
                                   } else if (path.size() == 2 && kind == lang::YamlKind::kScalar && !entries.empty() &&
                                              entries.back().key == path[0]) {
                                     if (path[1] == "version") entries.back().version = v;
                                     if (path[1] == "resolution") entries.back().resolution = v;
                                   }
                                 }));
  for (const auto& e : entries) {
    if (e.key == "__metadata") continue;
    std::string_view spec = e.resolution.empty() ? std::string_view(e.key) : std::string_view(e.resolution);
    spec = spec.substr(0, spec.find(','));
    std::string_view name, range;
    if (!SplitDescriptor(spec, name, range)) continue;
    auto [ns, n] = SplitScope(name);
    sink.Add(std::move(ns), std::move(n), e.version);
  }
  return Ok();
}

bool IsYarnBerry(std::string_view text) {
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    if (line.starts_with("__metadata:")) return true;
    if (!line.empty() && line.front() != '#') return false;
  }
  return false;
}

void CollectYarnLock(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsYarnLock)) {
    if (lang::HasNul(f.content)) {
      out.Skip(f.path, "yarn.lock: binary data (NUL byte)");
      continue;
    }
    PackageSink sink(f, pkgtype::kNpm, out);
    const Status st = IsYarnBerry(f.content) ? ReadYarnBerry(f.content, sink) : ReadYarnV1(f.content, sink);
    if (!st.ok()) out.Skip(f.path, "yarn.lock: " + st.error().message);
  }
}

// --- pnpm-lock.yaml -----------------------------------------------------------------------

bool IsPnpmLock(std::string_view path) { return Basename(path) == "pnpm-lock.yaml"; }

// The package a `packages:` key names: v5 "/name/1.2.3_peer@1.0.0" or
// "/@scope/name/1.2.3", v6 "/name@1.2.3(peer@1.0.0)", v9 "name@1.2.3".
bool ParsePnpmKey(std::string_view key, int major, std::string_view& name, std::string_view& version) {
  if (key.starts_with('/')) key.remove_prefix(1);
  if (major != 0 && major < 6) {
    const size_t slash = key.rfind('/');
    if (slash == std::string_view::npos) return false;
    name = key.substr(0, slash);
    version = key.substr(slash + 1);
    version = version.substr(0, version.find('_'));
  } else {
    key = key.substr(0, key.find('('));
    const size_t at = key.find('@', 1);
    if (at == std::string_view::npos) return false;
    name = key.substr(0, at);
    version = key.substr(at + 1);
  }
  // Tarball and git keys name no registry version; such entries carry
  // name and version fields instead.
  return !name.empty() && !version.empty() && version.front() >= '0' && version.front() <= '9';
}

// pnpm 9 and later may write several YAML documents into one lock file
// (the first one pins pnpm itself and the config dependencies when
// `managePackageManagerVersions` is on); every document is read.
constexpr size_t kMaxPnpmDocuments = 64;

void CollectPnpmLock(const CatalogInput& in, CatalogOutput& out) {
  struct Entry {
    std::string key, name, version;
    bool dev = false;
  };
  for (const auto& f : FindCaptured(in, IsPnpmLock)) {
    if (lang::HasNul(f.content)) {
      out.Skip(f.path, "pnpm-lock.yaml: binary data (NUL byte)");
      continue;
    }
    struct Document {
      std::vector<Entry> entries;
      std::string lockfile_version;
    };
    std::vector<Document> docs;
    size_t total = 0;
    Status st = Ok();
    for (std::string_view text : lang::SplitYamlDocuments(f.content, kMaxPnpmDocuments)) {
      Document& d = docs.emplace_back();
      st = lang::WalkYaml(text, kMaxYamlDepth,
                          [&](const std::vector<std::string>& path, lang::YamlKind kind, const std::string& v) {
                            if (path.size() == 1 && path[0] == "lockfileVersion" && kind == lang::YamlKind::kScalar) {
                              d.lockfile_version = v;
                            } else if (path.size() == 2 && path[0] == "packages" && kind == lang::YamlKind::kMap) {
                              if (total < lang::kMaxPackagesPerFile) {
                                d.entries.push_back({path[1], {}, {}, false});
                                ++total;
                              }
                            } else if (path.size() == 3 && path[0] == "packages" && kind == lang::YamlKind::kScalar &&
                                       !d.entries.empty() && d.entries.back().key == path[1]) {
                              if (path[2] == "name") d.entries.back().name = v;
                              if (path[2] == "version") d.entries.back().version = v;
                              if (path[2] == "dev") d.entries.back().dev = v == "true";
                            }
                          });
      if (!st.ok()) break;
    }
    if (!st.ok()) {
      out.Skip(f.path, "pnpm-lock.yaml: " + st.error().message);
      continue;
    }
    if (std::none_of(docs.begin(), docs.end(), [](const Document& d) { return !d.lockfile_version.empty(); })) {
      out.Skip(f.path, "pnpm-lock.yaml: no lockfileVersion; not a pnpm lock file");
      continue;
    }
    PackageSink sink(f, pkgtype::kNpm, out);
    for (const Document& d : docs) {
      int major = 0;
      std::from_chars(d.lockfile_version.data(), d.lockfile_version.data() + d.lockfile_version.size(), major);
      for (const auto& e : d.entries) {
        std::string_view name = e.name, version = e.version;
        if (name.empty() && !ParsePnpmKey(e.key, major, name, version)) continue;
        auto [ns, n] = SplitScope(name);
        bool added = false;
        Package* p = sink.Add(std::move(ns), std::move(n), std::string(version), &added);
        if (p == nullptr) continue;
        if (added && e.dev) lang::MarkDev(*p, "npm.dev");
        if (!added && !e.dev) lang::ClearDev(*p, "npm.dev");
      }
    }
  }
}

}  // namespace

void NodeCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "npm-package",
                  .view_wants = Wants({"package.json"}, {}, lang::kMaxMetadataSize),
                  .collect = CollectInstalled});
  rows.push_back({.id = "npm-package-lock",
                  .view_wants = Wants({"package-lock.json", "npm-shrinkwrap.json"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectPackageLock,
                  .lockfile = true});
  rows.push_back({.id = "yarn-lock",
                  .view_wants = Wants({"yarn.lock"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectYarnLock,
                  .lockfile = true});
  rows.push_back({.id = "pnpm-lock",
                  .view_wants = Wants({"pnpm-lock.yaml"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectPnpmLock,
                  .lockfile = true});
}

}  // namespace drydock
