// Python packages from pdm.lock (PDM's lock file, TOML): one `[[package]]`
// table per distribution with name, version and `groups`, the dependency
// groups that need it ("default" is the project's runtime dependencies;
// others, like "dev" or "test", are development groups). A package no
// runtime group needs is kept and marked dev (scope=dev, python.dev);
// pdm.lock before format 4.1 has no `groups` and nothing is marked.
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"

namespace drydock {

namespace {

bool IsPdmLock(std::string_view path) { return Basename(path) == "pdm.lock"; }

// True when the raw TOML array `["default", "dev"]` names a group other
// than "default" and not "default" itself.
bool DevOnly(std::string_view groups) {
  groups = lang::Trim(groups);
  if (!groups.starts_with('[') || !groups.ends_with(']')) return false;
  groups = groups.substr(1, groups.size() - 2);
  bool any = false;
  while (!groups.empty()) {
    const size_t comma = groups.find(',');
    const std::string_view g = lang::StripQuotes(lang::Trim(groups.substr(0, comma)));
    if (g == "default") return false;
    any |= !g.empty();
    groups = comma == std::string_view::npos ? std::string_view() : groups.substr(comma + 1);
  }
  return any;
}

void CollectPdmLock(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsPdmLock)) {
    auto tables = lang::ReadTomlTables(f.content, "package");
    if (!tables.ok()) {
      out.Skip(f.path, "pdm.lock: " + tables.error().message);
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kPypi, out);
    for (const auto& t : *tables) {
      bool added = false;
      Package* p = sink.Add("", std::string(t.Get("name")), std::string(t.Get("version")), &added);
      if (p == nullptr) continue;
      const bool dev = DevOnly(t.Get("groups"));
      // The same distribution may appear once per extra set; one runtime
      // entry makes it a runtime package.
      if (added && dev) lang::MarkDev(*p, "python.dev");
      if (!added && !dev) lang::ClearDev(*p, "python.dev");
    }
  }
}

}  // namespace

void PdmCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "python-pdm-lock",
                  .view_wants = lang::Wants({"pdm.lock"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectPdmLock,
                  .lockfile = true});
}

}  // namespace drydock
