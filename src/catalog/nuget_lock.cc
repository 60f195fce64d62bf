// .NET packages from NuGet's packages.lock.json (written when a project
// sets RestorePackagesWithLockFile): `dependencies` maps each target
// framework ("net8.0", "net8.0/linux-x64") to the packages restored for
// it, each with `type` (Direct, Transitive, CentralTransitive, or Project
// for the solution's own projects, which are not packages) and the
// `resolved` version.
#include <simdjson.h>

#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"
#include "model/json_util.h"

namespace drydock {

namespace {

bool IsPackagesLock(std::string_view path) { return Basename(path) == "packages.lock.json"; }

void CollectPackagesLock(const CatalogInput& in, CatalogOutput& out) {
  simdjson::dom::parser parser;
  for (const auto& f : FindCaptured(in, IsPackagesLock)) {
    auto root = json::Parse(parser, f.content, "packages.lock.json");
    if (!root.ok()) {
      out.Skip(f.path, root.error().message);
      continue;
    }
    simdjson::dom::object frameworks;
    if ((*root)["dependencies"].get_object().get(frameworks)) {
      out.Skip(f.path, "packages.lock.json: no \"dependencies\" object");
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kNuget, out);
    for (auto [framework, deps] : frameworks) {
      simdjson::dom::object packages;
      if (deps.get_object().get(packages)) continue;
      for (auto [name, entry] : packages) {
        std::string_view type, resolved;
        if (entry["type"].get_string().get(type) || type == "Project") continue;
        if (entry["resolved"].get_string().get(resolved)) continue;
        bool added = false;
        Package* p = sink.Add("", std::string(name), std::string(lang::Trim(resolved)), &added);
        if (p != nullptr && type == "Direct") p->metadata["nuget.direct"] = "true";
      }
    }
  }
}

}  // namespace

void NugetLockCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "nuget-packages-lock",
                  .view_wants = lang::Wants({"packages.lock.json"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectPackagesLock,
                  .lockfile = true});
}

}  // namespace drydock
