// PHP packages: Composer's composer.lock and the record of what it
// installed, vendor/composer/installed.json (Composer 1: an array;
// Composer 2: {"packages": [...]}).
#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"
#include "model/json_util.h"

namespace drydock {

namespace {

bool IsComposerLock(std::string_view path) { return Basename(path) == "composer.lock"; }

// Composer keeps installed.json in VENDOR/composer/; the vendor directory
// may be renamed (config.vendor-dir), the composer/ folder may not.
bool IsInstalledJson(std::string_view path) {
  return Basename(path) == "installed.json" && Basename(Dirname(path)) == "composer";
}

// Adds the packages of a JSON array of Composer package objects
// ({"name": "vendor/pkg", "version": "v1.2.3", "license": ["MIT"]}); all
// are dev-only when `dev`, else those named in `dev_names`.
void AddPackages(simdjson::dom::array packages, bool dev, const std::unordered_set<std::string_view>& dev_names,
                 lang::PackageSink& sink) {
  for (auto entry : packages) {
    std::string_view full, version;
    if (entry["name"].get_string().get(full) || entry["version"].get_string().get(version)) continue;
    const size_t slash = full.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 == full.size()) continue;
    bool added = false;
    Package* p =
        sink.Add(std::string(full.substr(0, slash)), std::string(full.substr(slash + 1)), std::string(version), &added);
    if (p == nullptr || !added) continue;
    if (dev || dev_names.contains(full)) {
      lang::MarkDev(*p, "composer.dev");
    }
    simdjson::dom::array licenses;
    std::string_view one;
    if (!entry["license"].get_array().get(licenses)) {
      for (auto l : licenses) {
        if (!l.get_string().get(one) && !one.empty()) p->licenses.emplace_back(one);
      }
    } else if (!entry["license"].get_string().get(one) && !one.empty()) {
      p->licenses.emplace_back(one);
    }
  }
}

void CollectComposerLock(const CatalogInput& in, CatalogOutput& out) {
  simdjson::dom::parser parser;
  for (const auto& f : FindCaptured(in, IsComposerLock)) {
    auto root = json::Parse(parser, f.content, "composer.lock");
    if (!root.ok()) {
      out.Skip(f.path, root.error().message);
      continue;
    }
    simdjson::dom::array prod, dev;
    const bool has_prod = !(*root)["packages"].get_array().get(prod);
    const bool has_dev = !(*root)["packages-dev"].get_array().get(dev);
    if (!has_prod && !has_dev) {
      out.Skip(f.path, "composer.lock: no \"packages\" array");
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kComposer, out);
    if (has_prod) AddPackages(prod, false, {}, sink);
    if (has_dev) AddPackages(dev, true, {}, sink);
  }
}

void CollectInstalledJson(const CatalogInput& in, CatalogOutput& out) {
  simdjson::dom::parser parser;
  for (const auto& f : FindCaptured(in, IsInstalledJson)) {
    auto root = json::Parse(parser, f.content, "installed.json");
    if (!root.ok()) {
      out.Skip(f.path, root.error().message);
      continue;
    }
    simdjson::dom::array packages;
    if (root->get_array().get(packages) && (*root)["packages"].get_array().get(packages)) {
      out.Skip(f.path, "installed.json: neither an array nor an object with a \"packages\" array");
      continue;
    }
    // Composer 2 lists the dev-only packages by name.
    std::unordered_set<std::string_view> dev_names;
    simdjson::dom::array dev;
    if (!(*root)["dev-package-names"].get_array().get(dev)) {
      for (auto d : dev) {
        std::string_view s;
        if (!d.get_string().get(s)) dev_names.insert(s);
      }
    }
    lang::PackageSink sink(f, pkgtype::kComposer, out);
    AddPackages(packages, false, dev_names, sink);
  }
}

}  // namespace

void PhpCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "composer-lock",
                  .view_wants = lang::Wants({"composer.lock"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectComposerLock,
                  .lockfile = true});
  rows.push_back({.id = "composer-installed",
                  .view_wants = lang::Wants({"installed.json"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectInstalledJson});
}

}  // namespace drydock
