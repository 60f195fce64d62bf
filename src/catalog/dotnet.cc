// .NET packages from `*.deps.json`, the dependency manifest the SDK writes
// beside every application: its `libraries` map ("Name/Version" → entry)
// lists NuGet packages (type "package"), the app's own projects ("project")
// and framework references ("reference"); only packages are inventoried.
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

bool IsDepsJson(std::string_view path) {
  const std::string_view base = Basename(path);
  return base.size() > 10 && base.ends_with(".deps.json");
}

void CollectDepsJson(const CatalogInput& in, CatalogOutput& out) {
  simdjson::dom::parser parser;
  for (const auto& f : FindCaptured(in, IsDepsJson)) {
    auto root = json::Parse(parser, f.content, "deps.json");
    if (!root.ok()) {
      out.Skip(f.path, root.error().message);
      continue;
    }
    simdjson::dom::object libraries;
    if ((*root)["libraries"].get_object().get(libraries)) {
      out.Skip(f.path, "deps.json: no \"libraries\" object");
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kNuget, out);
    for (auto [key, lib] : libraries) {
      std::string_view type;
      if (lib["type"].get_string().get(type) || type != "package") continue;
      const size_t slash = key.find('/');
      if (slash == std::string_view::npos) continue;
      sink.Add("", std::string(key.substr(0, slash)), std::string(key.substr(slash + 1)));
    }
  }
}

}  // namespace

void DotnetCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "dotnet-deps",
                  .view_wants = lang::Wants({}, {".deps.json"}, lang::kMaxLockFileSize),
                  .collect = CollectDepsJson});
}

}  // namespace drydock
