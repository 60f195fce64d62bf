// Catalogers: rules as data. Each cataloger is a table row with the files it
// wants and up to two functions:
//   - `collect` reads captured metadata files from the read-only merged view
//     after all layers are walked (dpkg status, package.json, lock files …);
//   - `on_file` sees a file's bytes during the layer walk without keeping
//     them (jars, ELF binaries), and appends what it finds to
//     LayerResult::packages. Such finds are kept only if the file is still
//     in the final view, from that same layer.
// Catalogers never see a tar, a blob or the disk. The list is explicit
// (catalogers.inc), one line per cataloger file.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "layer/analyzer.h"
#include "layer/view.h"
#include "model/image.h"
#include "model/package.h"
#include "model/scan.h"

namespace drydock {

struct CatalogInput {
  const FileSystemView& fs;
  const std::optional<OsRelease>& os;
  // Files the cataloger should not read (set for lock-file catalogers: the
  // lock files an OS package installed, see Cataloger::lockfile). Null or
  // empty: none. FindCaptured(in, …) honours it.
  const std::unordered_set<std::string>* skip = nullptr;
};

// What `collect` appends to. Packages need type, name, version and at least
// one evidence; the catalog stage fills purl, id and layer.
struct CatalogOutput {
  std::vector<Package> packages;
  std::vector<Diagnostic> diagnostics;  // where = the file's path

  // A malformed or unreadable file: skipped, the inventory is partial.
  void Skip(std::string_view path, std::string message) {
    diagnostics.push_back({std::string(path), std::move(message)});
  }
};

using CollectFn = void (*)(const CatalogInput& in, CatalogOutput& out);
using OnFileFn = void (*)(const FileNode& node, std::string_view content, LayerResult& out);

struct Cataloger {
  std::string_view id;  // "dpkg", "python-dist-info", "java-archive" …
  // Files `collect` reads through the view; the pipeline captures them
  // (FileWants::capture is forced on).
  FileWants view_wants;
  CollectFn collect = nullptr;
  // Files `on_file` reads during the walk; never captured.
  FileWants file_wants;
  OnFileFn on_file = nullptr;
  // The files declare what a project depends on (lock files, go.mod,
  // pinned requirements) rather than being an installed package. When an
  // OS package installed such a file (e.g. the pnpm-lock.yaml Debian ships
  // in a node-* package), its finds are the upstream project's build
  // dependencies, not software in the image: they are dropped, not joined
  // to the OS package as evidence.
  bool lockfile = false;
};

// Every cataloger, in catalogers.inc order.
std::span<const Cataloger> Catalogers();

// One LayerAnalyzer per cataloger that needs the walk (capture or on_file).
// The returned objects live as long as the process.
std::vector<const LayerAnalyzer*> CatalogAnalyzers();

// Runs every collect step on the merged view, adds the per-layer finds still
// present in the view, drops language and binary finds of files an OS
// package owns (their evidence joins the OS package), merges finds of the
// same component (same purl) into one entry, fills purl, id and the layer
// that introduced each package, and sorts.
// `catalogers` defaults to the whole table; tests pass their own rows.
Inventory BuildInventory(const ImageInfo& image, const FileSystemView& fs, const std::optional<OsRelease>& os,
                         std::span<const Cataloger> catalogers = Catalogers());

// --- helpers for catalogers -------------------------------------------------

// Captured files whose path matches `pred`, in path order (skips files that
// were not captured, e.g. over the size limit).
struct CapturedFile {
  std::string_view path;
  std::string_view content;
  int layer = -1;
};
std::vector<CapturedFile> FindCaptured(const FileSystemView& fs, bool (*pred)(std::string_view path));
std::vector<CapturedFile> FindCapturedByBasename(const FileSystemView& fs, std::string_view basename);
// The same, leaving out the files `in.skip` names.
std::vector<CapturedFile> FindCaptured(const CatalogInput& in, bool (*pred)(std::string_view path));
std::vector<CapturedFile> FindCapturedByBasename(const CatalogInput& in, std::string_view basename);

}  // namespace drydock
