// npm packages from bun.lock, Bun's text lock file (bun >= 1.2; the binary
// bun.lockb is not read). It is JSON with comments and trailing commas
// (JSONC): `workspaces` maps each workspace path ("" is the root) to its
// name and dependency maps; `packages` maps an install path ("lodash",
// "foo/bar" for bar nested under foo) to an array whose first element is
// the resolved "name@version" (for an alias, the real package's name). A
// workspace, git, file or link entry names no registry version and is not
// a package here.
// Dev policy: a package reachable only from devDependencies is kept and
// marked dev (scope=dev, npm.dev); one reachable from dependencies,
// optionalDependencies or peerDependencies of any workspace is not.
#include <simdjson.h>

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"
#include "model/json_util.h"

namespace drydock {

namespace {

bool IsBunLock(std::string_view path) { return Basename(path) == "bun.lock"; }

// JSONC → JSON: comments become spaces and a comma before '}' or ']' is
// dropped; strings are copied as they are. Offsets are kept (same length
// but for dropped commas, replaced by spaces), so parse errors still point
// near the right place. False on an unterminated comment or string.
bool StripJsonc(std::string_view in, std::string& out) {
  out.assign(in.begin(), in.end());
  size_t last_comma = std::string::npos;  // a comma with only blanks after it so far
  for (size_t i = 0; i < out.size(); ++i) {
    const char c = out[i];
    if (c == '"') {
      last_comma = std::string::npos;
      for (++i; i < out.size() && out[i] != '"'; ++i) {
        if (out[i] == '\\') ++i;
      }
      if (i >= out.size()) return false;
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '/') {
      while (i < out.size() && out[i] != '\n') out[i++] = ' ';
    } else if (c == '/' && i + 1 < out.size() && out[i + 1] == '*') {
      const size_t end = out.find("*/", i + 2);
      if (end == std::string::npos) return false;
      for (; i < end + 2; ++i) {
        if (out[i] != '\n') out[i] = ' ';
      }
      --i;
    } else if (c == ',') {
      last_comma = i;
    } else if (c == '}' || c == ']') {
      if (last_comma != std::string::npos) out[last_comma] = ' ';
      last_comma = std::string::npos;
    } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      last_comma = std::string::npos;
    }
  }
  return true;
}

struct BunEntry {
  std::string name, version;
  std::vector<std::string> deps;  // names this entry depends on
};

void CollectBunLock(const CatalogInput& in, CatalogOutput& out) {
  simdjson::dom::parser parser;
  std::string json;
  for (const auto& f : FindCaptured(in, IsBunLock)) {
    if (!StripJsonc(f.content, json)) {
      out.Skip(f.path, "bun.lock: unterminated string or comment");
      continue;
    }
    auto root = json::Parse(parser, json, "bun.lock");
    if (!root.ok()) {
      out.Skip(f.path, root.error().message);
      continue;
    }
    simdjson::dom::object packages;
    if ((*root)["packages"].get_object().get(packages)) {
      out.Skip(f.path, "bun.lock: no \"packages\" object");
      continue;
    }
    std::unordered_map<std::string, BunEntry> entries;  // install path → entry
    std::vector<std::string> order;
    for (auto [key, value] : packages) {
      if (entries.size() >= lang::kMaxPackagesPerFile) break;
      simdjson::dom::array arr;
      std::string_view ident;
      if (value.get_array().get(arr) || arr.at(0).get_string().get(ident)) continue;
      const size_t at = ident.find('@', 1);
      if (at == std::string_view::npos) continue;
      BunEntry e{std::string(ident.substr(0, at)), std::string(ident.substr(at + 1)), {}};
      for (auto item : arr) {
        simdjson::dom::object info;
        if (item.get_object().get(info)) continue;
        for (const char* field : {"dependencies", "optionalDependencies", "peerDependencies"}) {
          simdjson::dom::object deps;
          if (info[field].get_object().get(deps)) continue;
          for (auto [dep, range] : deps) {
            if (e.deps.size() < 10000) e.deps.emplace_back(dep);
          }
        }
        break;
      }
      order.emplace_back(key);
      entries.emplace(std::string(key), std::move(e));
    }

    // Reachability from the workspaces' runtime and dev roots. A
    // dependency of the entry at path P is installed at P/dep if present,
    // else hoisted to the top level (dep).
    auto resolve = [&](const std::string& parent, const std::string& dep) -> const std::string* {
      if (!parent.empty()) {
        auto it = entries.find(parent + "/" + dep);
        if (it != entries.end()) return &it->first;
      }
      auto it = entries.find(dep);
      return it == entries.end() ? nullptr : &it->first;
    };
    auto reach = [&](const std::vector<std::string>& roots) {
      std::unordered_set<std::string> seen;
      std::vector<std::string> stack;
      for (const auto& r : roots) {
        if (const std::string* k = resolve("", r)) stack.push_back(*k);
      }
      while (!stack.empty()) {
        std::string k = std::move(stack.back());
        stack.pop_back();
        if (!seen.insert(k).second) continue;
        for (const auto& d : entries.at(k).deps) {
          if (const std::string* n = resolve(k, d); n != nullptr && !seen.contains(*n)) stack.push_back(*n);
        }
      }
      return seen;
    };
    std::vector<std::string> prod_roots, dev_roots;
    simdjson::dom::object workspaces;
    if (!(*root)["workspaces"].get_object().get(workspaces)) {
      for (auto [path, ws] : workspaces) {
        for (const char* field : {"dependencies", "optionalDependencies", "peerDependencies", "devDependencies"}) {
          simdjson::dom::object deps;
          if (ws[field].get_object().get(deps)) continue;
          auto& roots = std::string_view(field) == "devDependencies" ? dev_roots : prod_roots;
          for (auto [dep, range] : deps) {
            if (roots.size() < 100000) roots.emplace_back(dep);
          }
        }
      }
    }
    const auto prod = reach(prod_roots);
    const auto dev = reach(dev_roots);

    lang::PackageSink sink(f, pkgtype::kNpm, out);
    for (const auto& key : order) {
      const BunEntry& e = entries.at(key);
      // Registry versions start with a digit; workspace:, github:, git+,
      // file: and link: entries do not.
      if (e.version.empty() || e.version.front() < '0' || e.version.front() > '9') continue;
      auto [ns, n] = lang::SplitScope(e.name);
      bool added = false;
      Package* p = sink.Add(std::move(ns), std::move(n), e.version, &added);
      if (p == nullptr) continue;
      const bool dev_only = dev.contains(key) && !prod.contains(key);
      if (added && dev_only) lang::MarkDev(*p, "npm.dev");
      if (!added && !dev_only) lang::ClearDev(*p, "npm.dev");
    }
  }
}

}  // namespace

void BunCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "bun-lock",
                  .view_wants = lang::Wants({"bun.lock"}, {}, lang::kMaxLockFileSize),
                  .collect = CollectBunLock,
                  .lockfile = true});
}

}  // namespace drydock
