#include "catalog/catalog.h"

#include <algorithm>
#include <memory>
#include <unordered_map>
#include <unordered_set>

#include "base/digest.h"
#include "base/path.h"
#include "catalog/catalogers.h"

namespace drydock {

namespace {

std::vector<Cataloger> MakeTable() {
  std::vector<Cataloger> rows;
#define DRYDOCK_CATALOGER(fn) fn(rows);
#include "catalog/catalogers.inc"
#undef DRYDOCK_CATALOGER
  return rows;
}

// Runs a cataloger's on_file during the walk.
class FileAnalyzer final : public LayerAnalyzer {
 public:
  explicit FileAnalyzer(const Cataloger& c) : c_(c) {}
  std::string_view name() const override { return c_.id; }
  const FileWants& wants() const override { return c_.file_wants; }
  void OnFile(const FileNode& node, std::string_view content, LayerResult& out) const override {
    const size_t before = out.packages.size();
    c_.on_file(node, content, out);
    for (size_t i = before; i < out.packages.size(); ++i) {
      for (auto& e : out.packages[i].evidence) {
        if (e.cataloger.empty()) e.cataloger = std::string(c_.id);
        if (e.path.empty()) e.path = node.path;
      }
    }
  }

 private:
  const Cataloger& c_;
};

// Maps a path to its form with every directory symlink resolved, caching per
// directory (OS package file lists name /bin/x where merged-/usr images
// store /usr/bin/x).
class Canonicalizer {
 public:
  explicit Canonicalizer(const FileSystemView& fs) : fs_(fs) {}
  std::string operator()(const std::string& path) {
    std::string_view dir = Dirname(path);
    auto it = dirs_.find(std::string(dir));
    if (it == dirs_.end()) {
      auto real = fs_.RealPath(dir);
      it = dirs_.emplace(std::string(dir), real ? *real : std::string(dir)).first;
    }
    // Most directories have no symlink in them: the path is already its
    // canonical form, and cleaning it again is most of the cost.
    if (it->second == dir) return path;
    return JoinPath(it->second, Basename(path));
  }

 private:
  const FileSystemView& fs_;
  std::unordered_map<std::string, std::string> dirs_;
};

void MergeInto(Package& into, Package&& from) {
  for (auto& e : from.evidence) {
    bool dup = std::any_of(into.evidence.begin(), into.evidence.end(), [&](const PackageEvidence& x) {
      return x.path == e.path && x.inner == e.inner && x.cataloger == e.cataloger;
    });
    if (!dup) into.evidence.push_back(std::move(e));
  }
  for (auto& l : from.licenses) {
    if (std::find(into.licenses.begin(), into.licenses.end(), l) == into.licenses.end())
      into.licenses.push_back(std::move(l));
  }
  for (auto& [k, v] : from.metadata) into.metadata.try_emplace(k, std::move(v));
  if (into.source_name.empty()) into.source_name = std::move(from.source_name);
  if (into.source_version.empty()) into.source_version = std::move(from.source_version);
  if (into.arch.empty()) into.arch = std::move(from.arch);
}

}  // namespace

std::span<const Cataloger> Catalogers() {
  static const std::vector<Cataloger> table = MakeTable();
  return table;
}

std::vector<const LayerAnalyzer*> CatalogAnalyzers() {
  // Built once from the immutable table; the analyzers hold no state.
  static const auto analyzers = [] {
    std::vector<std::unique_ptr<LayerAnalyzer>> v;
    for (const auto& c : Catalogers()) {
      if (c.collect) v.push_back(std::make_unique<CaptureAnalyzer>(c.view_wants));
      if (c.on_file) v.push_back(std::make_unique<FileAnalyzer>(c));
    }
    return v;
  }();
  std::vector<const LayerAnalyzer*> out;
  for (const auto& a : analyzers) out.push_back(a.get());
  return out;
}

namespace {

// The captured files whose path satisfies `pred` and that survive in the
// final view as the layer that captured them wrote them, in path order.
template <typename Pred>
std::vector<CapturedFile> CapturedWhere(const FileSystemView& fs, Pred pred) {
  std::vector<CapturedFile> out;
  const auto& layers = fs.layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    for (const auto& [path, content] : layers[i]->captured) {
      if (!pred(path)) continue;
      const auto* n = fs.Lookup(path);
      if (n == nullptr || n->layer != static_cast<int>(i)) continue;  // replaced or deleted later
      out.push_back({path, content, static_cast<int>(i)});
    }
  }
  std::sort(out.begin(), out.end(), [](const CapturedFile& a, const CapturedFile& b) { return a.path < b.path; });
  return out;
}

}  // namespace

std::vector<CapturedFile> FindCaptured(const FileSystemView& fs, bool (*pred)(std::string_view path)) {
  return CapturedWhere(fs, pred);
}

std::vector<CapturedFile> FindCapturedByBasename(const FileSystemView& fs, std::string_view basename) {
  return CapturedWhere(fs, [basename](std::string_view path) { return Basename(path) == basename; });
}

namespace {

std::vector<CapturedFile> Unskipped(std::vector<CapturedFile> files, const CatalogInput& in) {
  if (in.skip == nullptr || in.skip->empty()) return files;
  std::erase_if(files, [&](const CapturedFile& f) { return in.skip->contains(std::string(f.path)); });
  return files;
}

// The lock files (by the base names lock-file catalogers want) that an OS
// package installed, as paths of the view. Parsing them would only list the
// upstream project's build dependencies, which BuildInventory drops anyway;
// a Debian image with nodejs ships a 68 KB pnpm-lock.yaml that alone costs
// more than the dpkg database.
std::unordered_set<std::string> OsOwnedLockFiles(const std::vector<Package>& found,
                                                 std::span<const Cataloger> catalogers, Canonicalizer& canon) {
  std::unordered_set<std::string_view> names;
  for (const auto& c : catalogers) {
    if (c.lockfile) names.insert(c.view_wants.basenames.begin(), c.view_wants.basenames.end());
  }
  std::unordered_set<std::string> owned;
  if (names.empty()) return owned;
  for (const auto& p : found) {
    if (!IsOsPackageType(p.type)) continue;
    for (const auto& f : p.files) {
      if (names.contains(Basename(f))) owned.insert(canon(f));
    }
  }
  return owned;
}

}  // namespace

std::vector<CapturedFile> FindCaptured(const CatalogInput& in, bool (*pred)(std::string_view path)) {
  return Unskipped(FindCaptured(in.fs, pred), in);
}

std::vector<CapturedFile> FindCapturedByBasename(const CatalogInput& in, std::string_view basename) {
  return Unskipped(FindCapturedByBasename(in.fs, basename), in);
}

Inventory BuildInventory(const ImageInfo& image, const FileSystemView& fs, const std::optional<OsRelease>& os,
                         std::span<const Cataloger> catalogers) {
  Inventory inv;
  std::vector<Package> found;
  Canonicalizer canon(fs);
  // Lock-file catalogers run last, so they can skip the lock files the OS
  // packages (found by then) installed.
  std::vector<const Cataloger*> order;
  for (const auto& c : catalogers) {
    inv.catalogers.emplace_back(c.id);
    if (c.collect && !c.lockfile) order.push_back(&c);
  }
  for (const auto& c : catalogers) {
    if (c.collect && c.lockfile) order.push_back(&c);
  }
  std::optional<std::unordered_set<std::string>> skip;
  for (const Cataloger* cp : order) {
    const Cataloger& c = *cp;
    if (c.lockfile && !skip) skip = OsOwnedLockFiles(found, catalogers, canon);
    CatalogOutput out;
    c.collect(CatalogInput{fs, os, c.lockfile ? &*skip : nullptr}, out);
    for (auto& p : out.packages) {
      for (auto& e : p.evidence) {
        if (e.cataloger.empty()) e.cataloger = std::string(c.id);
        if (e.layer_index >= 0) continue;
        const auto* n = fs.Lookup(e.path);
        if (n == nullptr) n = fs.Resolve(e.path);
        if (n != nullptr) e.layer_index = n->layer;
      }
      found.push_back(std::move(p));
    }
    for (auto& d : out.diagnostics)
      inv.diagnostics.push_back({Printable(d.where), std::string(c.id) + ": " + d.message});
  }
  // Finds made during the walk count only if the file is still there, as
  // that layer wrote it.
  const auto& layers = fs.layers();
  for (size_t i = 0; i < layers.size(); ++i) {
    for (const auto& p : layers[i]->packages) {
      if (p.evidence.empty()) continue;
      const auto* n = fs.Lookup(p.evidence.front().path);
      if (n == nullptr || n->layer != static_cast<int>(i)) continue;
      Package copy = p;
      for (auto& e : copy.evidence) e.layer_index = static_cast<int>(i);
      found.push_back(std::move(copy));
    }
  }

  // Language and binary finds of files an OS package installed are that
  // package, found a second way: their evidence joins it (lock files are
  // dropped instead, see Cataloger::lockfile). Only owned files whose base
  // name some find's evidence has are canonicalised: an OS lists tens of
  // thousands of files, the other finds name a few hundred.
  std::vector<Package> os_pkgs, others;
  for (auto& p : found) (IsOsPackageType(p.type) ? os_pkgs : others).push_back(std::move(p));
  std::unordered_set<std::string_view> lockfile_ids;
  for (const auto& c : catalogers) {
    if (c.lockfile) lockfile_ids.insert(c.id);
  }
  std::unordered_set<std::string_view> evidence_names;
  for (const auto& p : others) {
    for (const auto& e : p.evidence) evidence_names.insert(Basename(e.path));
  }
  std::unordered_map<std::string, size_t> owner;
  for (size_t k = 0; k < os_pkgs.size(); ++k) {
    for (const auto& f : os_pkgs[k].files) {
      if (evidence_names.contains(Basename(f))) owner.try_emplace(canon(f), k);
    }
  }
  std::vector<Package> kept;
  for (auto& p : others) {
    std::optional<size_t> by;
    for (const auto& e : p.evidence) {
      auto it = owner.find(canon(e.path));
      if (it != owner.end()) {
        by = it->second;
        break;
      }
    }
    if (!by) {
      kept.push_back(std::move(p));
      continue;
    }
    for (auto& e : p.evidence) {
      if (!lockfile_ids.contains(e.cataloger)) os_pkgs[*by].evidence.push_back(std::move(e));
    }
  }
  for (auto& p : os_pkgs) kept.push_back(std::move(p));

  // One entry per component: finds with the same purl merge.
  std::unordered_map<std::string, size_t> by_purl;
  for (auto& p : kept) {
    p.purl = MakePurl(p, os);
    auto [it, inserted] = by_purl.try_emplace(p.purl, inv.packages.size());
    if (inserted) {
      inv.packages.push_back(std::move(p));
    } else {
      MergeInto(inv.packages[it->second], std::move(p));
    }
  }
  for (auto& p : inv.packages) {
    p.layer_index = -1;
    for (const auto& e : p.evidence) {
      if (e.layer_index >= 0 && (p.layer_index < 0 || e.layer_index < p.layer_index)) p.layer_index = e.layer_index;
    }
    if (p.layer_index >= 0 && static_cast<size_t>(p.layer_index) < image.layers.size()) {
      const Layer& l = image.layers[static_cast<size_t>(p.layer_index)];
      if (image.source_kind != "dir") p.diff_id = l.diff_id.str();
      p.created_by = l.created_by;
    }
    std::sort(p.licenses.begin(), p.licenses.end());
    const std::string primary = p.evidence.empty() ? std::string() : p.evidence.front().Location();
    p.id = Sha256Of(p.purl + "\n" + primary).hex.substr(0, 16);
  }
  SortPackages(inv.packages);
  return inv;
}

}  // namespace drydock
