// Fuzzes the language catalogers (python, node, ruby, rust, php, dotnet,
// java lock files and POMs) and the opkg and rpm-manifest databases:
// the first input byte picks the file (mod the table below), the rest is
// its content. The file is put alone in a one-layer view and the
// cataloger's collect runs on it, as in a scan. Besides "no crash, no hang,
// bounded memory", it asserts what catalog.h promises of every package:
// a type, a name, a version and an evidence naming the file. One more
// selector compares the two YAML readers: whenever the line reader takes a
// document, it must report exactly what yaml-cpp reports.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/yaml_walk.h"
#include "fuzz_util.h"

namespace drydock::fuzz {
namespace {

struct Target {
  std::string_view cataloger;
  std::string_view path;
};

constexpr Target kTargets[] = {
    {"python-installed", "/usr/lib/python3/site-packages/x-1.0.dist-info/METADATA"},
    {"python-installed", "/usr/lib/python3/site-packages/x-1.0.egg-info"},
    {"python-poetry-lock", "/app/poetry.lock"},
    {"python-pipfile-lock", "/app/Pipfile.lock"},
    {"python-requirements", "/app/requirements.txt"},
    {"npm-package", "/app/node_modules/@s/x/package.json"},
    {"npm-package-lock", "/app/package-lock.json"},
    {"yarn-lock", "/app/yarn.lock"},
    {"pnpm-lock", "/app/pnpm-lock.yaml"},
    {"gemspec", "/usr/local/bundle/specifications/x-1.0.gemspec"},
    {"gemfile-lock", "/app/Gemfile.lock"},
    {"cargo-lock", "/app/Cargo.lock"},
    {"composer-lock", "/app/composer.lock"},
    {"composer-installed", "/app/vendor/composer/installed.json"},
    {"dotnet-deps", "/app/App.deps.json"},
    {"", "yaml: line reader vs yaml-cpp"},
    // Appended, so the seeds above keep their selector byte.
    {"python-uv-lock", "/app/uv.lock"},
    {"python-pdm-lock", "/app/pdm.lock"},
    {"bun-lock", "/app/bun.lock"},
    {"gradle-lockfile", "/app/gradle.lockfile"},
    {"maven-pom", "/app/pom.xml"},
    {"nuget-packages-lock", "/app/packages.lock.json"},
    {"opkg", "/usr/lib/opkg/status"},
    {"rpm-manifest", "/var/lib/rpmmanifest/container-manifest-2"},
    {"pnpm-lock", "/app/pnpm-lock.yaml"},
    {"yarn-lock", "/app/yarn.lock"},
};

// "path kind value" lines of a YAML walk.
std::vector<std::string> Events(bool (*walk)(std::string_view, const lang::YamlVisitor&), std::string_view text,
                                bool* ok) {
  std::vector<std::string> out;
  *ok = walk(text, [&](const std::vector<std::string>& path, lang::YamlKind kind, const std::string& value) {
    std::string s;
    for (const auto& k : path) s += k + '\x1f';
    out.push_back(s + ' ' + std::to_string(static_cast<int>(kind)) + ' ' + value);
  });
  return out;
}

void CompareYamlReaders(std::string_view text) {
  constexpr int kDepth = 16;
  bool fast_ok = false, ref_ok = false;
  const auto fast = Events(
      [](std::string_view t, const lang::YamlVisitor& v) { return lang::WalkBlockYaml(t, kDepth, v); }, text, &fast_ok);
  if (!fast_ok) return;  // outside the line reader's subset: yaml-cpp alone decides
  const auto ref =
      Events([](std::string_view t, const lang::YamlVisitor& v) { return lang::WalkYamlCpp(t, kDepth, v).ok(); }, text,
             &ref_ok);
  FUZZ_CHECK(ref_ok, "the line reader took a document yaml-cpp rejects");
  FUZZ_CHECK(fast == ref, "the readers disagree (%zu vs %zu events)", fast.size(), ref.size());
}

const Cataloger* Find(std::string_view id) {
  for (const auto& c : Catalogers()) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  using namespace drydock::fuzz;
  if (size == 0) return 0;
  const Target& t = kTargets[data[0] % (sizeof(kTargets) / sizeof(kTargets[0]))];
  const std::string_view content(reinterpret_cast<const char*>(data + 1), size - 1);
  if (t.cataloger.empty()) {
    CompareYamlReaders(content);
    return 0;
  }
  const Cataloger* c = Find(t.cataloger);
  FUZZ_CHECK(c != nullptr && c->collect != nullptr, "no cataloger %s", std::string(t.cataloger).c_str());

  auto layer = std::make_shared<LayerResult>();
  layer->entries.push_back(FileNode{.path = std::string(t.path),
                                    .type = EntryType::kFile,
                                    .mode = 0644,
                                    .size = static_cast<int64_t>(content.size())});
  layer->captured[std::string(t.path)] = std::string(content);
  const FileSystemView fs({layer});
  const std::optional<OsRelease> os;
  CatalogOutput out;
  c->collect(CatalogInput{fs, os}, out);

  Say("lockfiles", std::string(t.cataloger) + ": " + std::to_string(out.packages.size()) + " packages, " +
                       std::to_string(out.diagnostics.size()) + " diagnostics");
  for (const auto& p : out.packages) {
    FUZZ_CHECK(!p.type.empty() && !p.name.empty() && !p.version.empty(), "package without type/name/version: %s",
               p.FullName().c_str());
    FUZZ_CHECK(!p.evidence.empty() && p.evidence.front().path == t.path, "evidence does not name the file");
    (void)MakePurl(p, os);
  }
  for (const auto& d : out.diagnostics) FUZZ_CHECK(d.where == t.path, "diagnostic about another file");
  return 0;
}
