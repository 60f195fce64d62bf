// Python packages: installed distributions (`*.dist-info/METADATA`,
// `*.egg-info/PKG-INFO`, `*.egg-info` files) and the lock files a project
// ships (poetry.lock, Pipfile.lock, requirements files with exact pins).
#include <simdjson.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"
#include "model/json_util.h"

namespace drydock {

namespace {

using lang::NextLine;
using lang::PackageSink;
using lang::Trim;

using lang::Wants;
constexpr int64_t kMetadataMax = lang::kMaxMetadataSize;
constexpr int64_t kLockMax = lang::kMaxLockFileSize;

// --- installed distributions (core metadata) ---------------------------------

// ASCII case-insensitive suffix test: setuptools on case-insensitive file
// systems and some vendored trees write NAME.EGG-INFO / NAME.DIST-INFO.
bool EndsWithIgnoreCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  s = s.substr(s.size() - suffix.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[i])) != suffix[i]) return false;
  }
  return true;
}

bool IsInstalledMetadata(std::string_view path) {
  const std::string_view base = Basename(path);
  const std::string_view dir = Dirname(path);
  if (base == "METADATA") return EndsWithIgnoreCase(dir, ".dist-info");
  if (base == "PKG-INFO") return EndsWithIgnoreCase(dir, ".egg-info");
  return base.size() > 9 && EndsWithIgnoreCase(base, ".egg-info");  // an egg-info file is PKG-INFO itself
}

// The fields of core metadata (the email-header format of METADATA and
// PKG-INFO) that the inventory uses.
struct CoreMetadata {
  std::string name, version, license, license_expression;
  std::vector<std::string> license_classifiers;  // "MIT License", from "License :: OSI Approved :: MIT License"
};

// Reads the header block; the body (the long description) after the first
// blank line is not looked at. Continuation lines (leading space or tab)
// extend the previous field.
Result<CoreMetadata> ParseCoreMetadata(std::string_view text) {
  if (lang::HasNul(text)) return InputError("binary data (NUL byte)");
  CoreMetadata md;
  std::string* last = nullptr;  // the field continuation lines extend
  while (!text.empty()) {
    const std::string_view line = NextLine(text);
    if (Trim(line).empty()) break;
    if (line.front() == ' ' || line.front() == '\t') {
      if (last != nullptr) *last += "\n" + std::string(Trim(line));
      continue;
    }
    last = nullptr;
    const size_t colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view key = line.substr(0, colon);
    const std::string_view value = Trim(line.substr(colon + 1));
    if (key == "Name") {
      md.name = value;
    } else if (key == "Version") {
      md.version = value;
    } else if (key == "License") {
      md.license = value;
      last = &md.license;
    } else if (key == "License-Expression") {
      md.license_expression = value;
    } else if (key == "Classifier" && value.starts_with("License :: ")) {
      std::string_view c = value.substr(11);
      if (c.starts_with("OSI Approved :: ")) c.remove_prefix(16);
      if (c != "OSI Approved" && !c.empty()) md.license_classifiers.emplace_back(c);
    }
  }
  if (md.name.empty()) return InputError("no Name field");
  if (md.version.empty()) return InputError("no Version field");
  return md;
}

// SPDX ids for the license classifiers in common use; a classifier not
// listed here (or ambiguous, like "BSD License") is kept as written.
std::string_view ClassifierToSpdx(std::string_view c) {
  struct Row {
    std::string_view classifier, spdx;
  };
  static constexpr std::array kRows = {
      Row{"MIT License", "MIT"},
      Row{"MIT No Attribution License (MIT-0)", "MIT-0"},
      Row{"Apache Software License", "Apache-2.0"},
      Row{"ISC License (ISCL)", "ISC"},
      Row{"Python Software Foundation License", "PSF-2.0"},
      Row{"Mozilla Public License 2.0 (MPL 2.0)", "MPL-2.0"},
      Row{"Mozilla Public License 1.1 (MPL 1.1)", "MPL-1.1"},
      Row{"GNU General Public License v2 (GPLv2)", "GPL-2.0-only"},
      Row{"GNU General Public License v2 or later (GPLv2+)", "GPL-2.0-or-later"},
      Row{"GNU General Public License v3 (GPLv3)", "GPL-3.0-only"},
      Row{"GNU General Public License v3 or later (GPLv3+)", "GPL-3.0-or-later"},
      Row{"GNU Lesser General Public License v2 (LGPLv2)", "LGPL-2.0-only"},
      Row{"GNU Lesser General Public License v2 or later (LGPLv2+)", "LGPL-2.0-or-later"},
      Row{"GNU Lesser General Public License v3 (LGPLv3)", "LGPL-3.0-only"},
      Row{"GNU Lesser General Public License v3 or later (LGPLv3+)", "LGPL-3.0-or-later"},
      Row{"GNU Affero General Public License v3", "AGPL-3.0-only"},
      Row{"GNU Affero General Public License v3 or later (AGPLv3+)", "AGPL-3.0-or-later"},
      Row{"Eclipse Public License 1.0 (EPL-1.0)", "EPL-1.0"},
      Row{"Eclipse Public License 2.0 (EPL-2.0)", "EPL-2.0"},
      Row{"The Unlicense (Unlicense)", "Unlicense"},
      Row{"zlib/libpng License", "Zlib"},
      Row{"Boost Software License 1.0 (BSL-1.0)", "BSL-1.0"},
      Row{"Historical Permission Notice and Disclaimer (HPND)", "HPND"},
      Row{"Universal Permissive License (UPL)", "UPL-1.0"},
      Row{"European Union Public Licence 1.2 (EUPL 1.2)", "EUPL-1.2"},
      Row{"CC0 1.0 Universal (CC0 1.0) Public Domain Dedication", "CC0-1.0"},
  };
  for (const auto& r : kRows) {
    if (r.classifier == c) return r.spdx;
  }
  return c;
}

// License-Expression (PEP 639) is exact; a short License field comes next
// (many packages put the whole license text there, which is no identifier);
// the classifiers last.
std::vector<std::string> LicensesOf(const CoreMetadata& md) {
  if (!md.license_expression.empty()) return {md.license_expression};
  const std::string_view l = Trim(md.license);
  if (!l.empty() && l != "UNKNOWN" && l.size() <= 100 && l.find('\n') == std::string_view::npos) {
    return {std::string(l)};
  }
  std::vector<std::string> out;
  for (const auto& c : md.license_classifiers) out.emplace_back(ClassifierToSpdx(c));
  return out;
}

// CPython 2's build installs its own metadata as
// lib/python2.7/lib-dynload/Python-2.7.egg-info (Name: Python): that is the
// interpreter, not a package from PyPI (the OS package or the binary
// cataloger reports the interpreter).
bool IsInterpreterMetadata(std::string_view path, const CoreMetadata& md) {
  return md.name == "Python" && Basename(Dirname(path)) == "lib-dynload";
}

void CollectInstalled(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsInstalledMetadata)) {
    auto md = ParseCoreMetadata(f.content);
    if (!md.ok()) {
      out.Skip(f.path, "python metadata: " + md.error().message);
      continue;
    }
    if (IsInterpreterMetadata(f.path, *md)) continue;
    PackageSink sink(f, pkgtype::kPypi, out);
    if (Package* p = sink.Add("", md->name, md->version)) p->licenses = LicensesOf(*md);
  }
}

// --- poetry.lock ---------------------------------------------------------------

bool IsPoetryLock(std::string_view path) { return Basename(path) == "poetry.lock"; }

void CollectPoetry(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsPoetryLock)) {
    auto tables = lang::ReadTomlTables(f.content, "package");
    if (!tables.ok()) {
      out.Skip(f.path, "poetry.lock: " + tables.error().message);
      continue;
    }
    PackageSink sink(f, pkgtype::kPypi, out);
    for (const auto& t : *tables) {
      Package* p = sink.Add("", std::string(t.Get("name")), std::string(t.Get("version")));
      // Poetry before 1.5 wrote category = "dev" for development-only packages.
      if (p != nullptr && t.Get("category") == "dev") lang::MarkDev(*p, "python.dev");
    }
  }
}

// --- Pipfile.lock ----------------------------------------------------------------

bool IsPipfileLock(std::string_view path) { return Basename(path) == "Pipfile.lock"; }

void CollectPipfile(const CatalogInput& in, CatalogOutput& out) {
  simdjson::dom::parser parser;
  for (const auto& f : FindCaptured(in, IsPipfileLock)) {
    auto root = json::Parse(parser, f.content, "Pipfile.lock");
    if (!root.ok()) {
      out.Skip(f.path, root.error().message);
      continue;
    }
    if (!root->is_object()) {
      out.Skip(f.path, "Pipfile.lock: not a JSON object");
      continue;
    }
    PackageSink sink(f, pkgtype::kPypi, out);
    for (const std::string_view section : {"default", "develop"}) {
      simdjson::dom::object deps;
      if ((*root)[section].get_object().get(deps)) continue;
      for (auto [name, entry] : deps) {
        std::string_view version;
        if (entry["version"].get_string().get(version)) continue;  // VCS, path and URL entries have none
        if (!version.starts_with("==")) continue;
        version.remove_prefix(version.starts_with("===") ? 3 : 2);
        bool added = false;
        Package* p = sink.Add("", std::string(name), std::string(Trim(version)), &added);
        if (p != nullptr && added && section == "develop") lang::MarkDev(*p, "python.dev");
      }
    }
  }
}

// --- requirements files -------------------------------------------------------------

// The names pip projects conventionally give their requirements files. The
// FileWants take basenames, not a "requirements*.txt" glob, to stay cheap
// per tar entry; collect accepts any requirements*.txt it is given.
constexpr std::array kRequirementsNames = {
    "requirements.txt",      "requirements-dev.txt",  "requirements_dev.txt",  "requirements-test.txt",
    "requirements_test.txt", "requirements-prod.txt", "requirements_prod.txt", "requirements-base.txt",
    "requirements-lock.txt", "requirements.lock.txt", "requirements-docs.txt", "requirements-ci.txt",
};

bool IsRequirements(std::string_view path) {
  const std::string_view base = Basename(path);
  return base.starts_with("requirements") && base.ends_with(".txt");
}

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

// "name[extra]==1.2.3 ; marker --hash=…" → (name, version); anything but an
// exact pin ("==" without wildcard, a single specifier) yields nothing.
bool ParsePin(std::string_view line, std::string& name, std::string& version) {
  size_t i = 0;
  while (i < line.size() && IsNameChar(line[i])) ++i;
  if (i == 0) return false;
  name = line.substr(0, i);
  if (!std::isalnum(static_cast<unsigned char>(name.front())) ||
      !std::isalnum(static_cast<unsigned char>(name.back()))) {
    return false;
  }
  while (i < line.size() && line[i] == ' ') ++i;
  if (i < line.size() && line[i] == '[') {
    const size_t close = line.find(']', i);
    if (close == std::string_view::npos) return false;
    i = close + 1;
    while (i < line.size() && line[i] == ' ') ++i;
  }
  if (line.substr(i, 2) != "==") return false;
  i += line.substr(i, 3) == "===" ? 3 : 2;
  while (i < line.size() && line[i] == ' ') ++i;
  const size_t start = i;
  while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != ';' && line[i] != ',') ++i;
  version = line.substr(start, i - start);
  if (version.empty() || version.find('*') != std::string::npos) return false;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
  // A second specifier ("==1.0,<2") is a range, not a pin.
  return i >= line.size() || line[i] != ',';
}

void CollectRequirements(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsRequirements)) {
    if (lang::HasNul(f.content)) {
      out.Skip(f.path, "requirements: binary data (NUL byte)");
      continue;
    }
    PackageSink sink(f, pkgtype::kPypi, out);
    std::string_view text = f.content;
    std::string logical;  // a line with its "\" continuations joined
    while (!text.empty()) {
      std::string_view line = NextLine(text);
      const bool continued = !line.empty() && line.back() == '\\';
      if (continued) line.remove_suffix(1);
      logical += line;
      logical += ' ';
      if (continued && !text.empty() && logical.size() < (1u << 20)) continue;
      std::string_view l = logical;
      // A comment starts at '#' at the start or after whitespace (pip's rule).
      for (size_t h = l.find('#'); h != std::string_view::npos; h = l.find('#', h + 1)) {
        if (h == 0 || l[h - 1] == ' ' || l[h - 1] == '\t') {
          l = l.substr(0, h);
          break;
        }
      }
      l = Trim(l);
      std::string name, version;
      if (!l.empty() && l.front() != '-' && ParsePin(l, name, version)) sink.Add("", name, version);
      logical.clear();
    }
  }
}

}  // namespace

void PythonCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "python-installed",
                  .view_wants = Wants({"METADATA", "PKG-INFO"}, {".egg-info", ".EGG-INFO"}, kMetadataMax),
                  .collect = CollectInstalled});
  rows.push_back({.id = "python-poetry-lock",
                  .view_wants = Wants({"poetry.lock"}, {}, kLockMax),
                  .collect = CollectPoetry,
                  .lockfile = true});
  rows.push_back({.id = "python-pipfile-lock",
                  .view_wants = Wants({"Pipfile.lock"}, {}, kLockMax),
                  .collect = CollectPipfile,
                  .lockfile = true});
  rows.push_back({.id = "python-requirements",
                  .view_wants = Wants({kRequirementsNames.begin(), kRequirementsNames.end()}, {}, kLockMax),
                  .collect = CollectRequirements,
                  .lockfile = true});
}

}  // namespace drydock
