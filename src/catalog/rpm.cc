// The rpm cataloger: installed packages from the rpm database in any of its
// three formats (rpmdb.h reads them), in /var/lib/rpm or, on openSUSE and
// Fedora >= 36, /usr/lib/sysimage/rpm. Each package is attributed to the
// lowest layer from which every later version of the database lists it.
#include <unordered_set>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/rpmdb.h"

namespace drydock {

namespace {

// A RHEL Berkeley DB Packages file reaches 50-100 MB.
constexpr int64_t kMaxDbSize = int64_t{256} << 20;
constexpr size_t kMaxRecordDiagnostics = 10;
// File lists of one database, in bytes (a Fedora workstation's 300k files
// take about 25 MiB); past this, packages keep no file list, which only
// weakens ownership dedupe.
constexpr size_t kMaxFileListBytes = size_t{128} << 20;

constexpr std::string_view kDbDirs[] = {"/var/lib/rpm", "/usr/lib/sysimage/rpm"};
// When one directory holds several formats, rpm >= 4.16 reads the newest
// (a conversion can leave the old file behind), so they are tried in this
// order and only the first present is read.
constexpr std::string_view kDbFiles[] = {"rpmdb.sqlite", "Packages.db", "Packages"};

std::string Evr(const RpmHeader& h) {
  std::string v = h.epoch ? std::to_string(*h.epoch) + ":" : std::string();
  return v + h.version + "-" + h.release;
}

// What identifies a package across versions of the database.
std::string Key(const RpmHeader& h) { return h.name + '\t' + Evr(h) + '\t' + h.arch; }

// "name-version-release.src.rpm" (or .nosrc.rpm) split from the right, as
// names may hold dashes and versions may not.
bool SplitSourceRpm(std::string_view srpm, std::string& name, std::string& version) {
  for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"}) {
    if (srpm.size() > suffix.size() && srpm.substr(srpm.size() - suffix.size()) == suffix) {
      srpm.remove_suffix(suffix.size());
      const size_t rel = srpm.rfind('-');
      if (rel == std::string_view::npos || rel == 0) return false;
      const size_t ver = srpm.rfind('-', rel - 1);
      if (ver == std::string_view::npos || ver == 0) return false;
      name = std::string(srpm.substr(0, ver));
      version = std::string(srpm.substr(ver + 1));
      return true;
    }
  }
  return false;
}

Package ToPackage(RpmHeader&& h, std::string_view path, int layer) {
  Package p;
  p.type = std::string(pkgtype::kRpm);
  p.name = std::move(h.name);
  p.version = (h.epoch ? std::to_string(*h.epoch) + ":" : std::string()) + h.version + "-" + h.release;
  p.arch = std::move(h.arch);
  if (!h.source_rpm.empty()) {
    SplitSourceRpm(h.source_rpm, p.source_name, p.source_version);
    p.metadata["rpm.sourcerpm"] = h.source_rpm;
  }
  if (!h.license.empty()) p.licenses.push_back(std::move(h.license));
  if (h.epoch) p.metadata["rpm.epoch"] = std::to_string(*h.epoch);
  if (!h.vendor.empty()) p.metadata["rpm.vendor"] = std::move(h.vendor);
  if (h.size) p.metadata["rpm.size"] = std::to_string(*h.size);
  p.files = std::move(h.files);
  p.evidence.push_back(PackageEvidence{.cataloger = "", .path = std::string(path), .inner = "", .layer_index = layer});
  return p;
}

// True if `l` removes what lower layers had at `path`: a whiteout of it or
// of a parent, an opaque parent, or (with `rewrites`) a new entry at that
// path that was not captured.
bool LayerDeletes(const LayerResult& l, std::string_view path, bool rewrites) {
  auto covers = [&](std::string_view dir) {
    return path == dir || (path.size() > dir.size() && path.substr(0, dir.size()) == dir && path[dir.size()] == '/');
  };
  for (const auto& w : l.whiteouts) {
    if (covers(w)) return true;
  }
  for (const auto& d : l.opaque_dirs) {
    if (path.size() > d.size() && covers(d)) return true;
  }
  if (rewrites) {
    for (const auto& e : l.entries) {
      if (e.path == path) return true;
    }
  }
  return false;
}

// The keys of the packages in one version of the database; records that
// do not parse are left out.
std::unordered_set<std::string> KeysOf(RpmdbFormat format, std::string_view bytes) {
  std::unordered_set<std::string> keys;
  std::vector<std::string> ignored;
  auto status = ReadRpmdb(
      format, bytes,
      [&](std::string_view blob) {
        auto h = ParseRpmHeader(blob, /*with_files=*/false);
        if (h.ok()) keys.insert(Key(*h));
      },
      ignored);
  (void)status;  // an unreadable older version attributes nothing
  return keys;
}

void ReadDatabase(const CatalogInput& in, const std::string& path, const FileSystemView::Node& node, RpmdbFormat format,
                  CatalogOutput& out) {
  const std::string label = "rpmdb " + std::string(Basename(path));
  const auto history = in.fs.History(path);
  if (history.empty() || history.back().layer != node.layer) {
    if (node.file->size > kMaxDbSize) {
      out.Skip(path, fmt::format("{}: {} bytes, over the {}-byte limit", label, node.file->size, kMaxDbSize));
    } else {
      out.Skip(path, label + ": not captured");
    }
    return;
  }

  // Parse the version in the final view, with file lists.
  std::vector<RpmHeader> headers;
  std::vector<std::string> problems;
  size_t record = 0;
  size_t bad_records = 0;
  size_t file_bytes = 0;
  bool files_dropped = false;
  auto status = ReadRpmdb(
      format, history.back().content,
      [&](std::string_view blob) {
        ++record;
        auto h = ParseRpmHeader(blob, /*with_files=*/true);
        if (!h.ok()) {
          if (++bad_records <= kMaxRecordDiagnostics)
            out.Skip(path, fmt::format("{}: record {}: {}", label, record, h.error().message));
          return;
        }
        if (h->name == "gpg-pubkey") return;  // an imported signing key, not a package
        for (const auto& f : h->files) file_bytes += f.size() + sizeof(std::string);
        if (file_bytes > kMaxFileListBytes) {
          if (!files_dropped)
            out.Skip(path, fmt::format("{}: file lists past {} bytes; packages from record {} on keep none", label,
                                       kMaxFileListBytes, record));
          files_dropped = true;
          h->files.clear();
        }
        headers.push_back(std::move(*h));
      },
      problems);
  if (bad_records > kMaxRecordDiagnostics)
    out.Skip(path, fmt::format("{}: and {} more unreadable records", label, bad_records - kMaxRecordDiagnostics));
  for (auto& p : problems) out.Skip(path, label + ": " + p);
  if (!status.ok()) {
    out.Skip(path, label + ": " + status.error().message);
    return;
  }

  // Walk older versions back while each package is still listed; a layer
  // that deleted the database in between ends every run.
  std::vector<int> layer(headers.size(), history.back().layer);
  std::vector<size_t> alive(headers.size());
  for (size_t i = 0; i < headers.size(); ++i) alive[i] = i;
  std::vector<std::string> keys;
  keys.reserve(headers.size());
  for (const auto& h : headers) keys.push_back(Key(h));
  const auto& layers = in.fs.layers();
  for (size_t v = history.size() - 1; v > 0 && !alive.empty(); --v) {
    const int lower = history[v - 1].layer;
    const int upper = history[v].layer;
    bool deleted = false;
    for (int l = lower + 1; l <= upper && !deleted; ++l)
      deleted = LayerDeletes(*layers[static_cast<size_t>(l)], path, /*rewrites=*/l != upper);
    if (deleted) break;
    const auto older = KeysOf(format, history[v - 1].content);
    std::vector<size_t> still;
    for (size_t i : alive) {
      if (older.count(keys[i]) != 0) {
        layer[i] = lower;
        still.push_back(i);
      }
    }
    alive = std::move(still);
  }
  for (size_t i = 0; i < headers.size(); ++i) out.packages.push_back(ToPackage(std::move(headers[i]), path, layer[i]));
}

void Collect(const CatalogInput& in, CatalogOutput& out) {
  for (std::string_view dir : kDbDirs) {
    for (std::string_view file : kDbFiles) {
      const std::string path = std::string(dir) + "/" + std::string(file);
      const auto* node = in.fs.Lookup(path);
      if (node == nullptr || node->file == nullptr || !node->file->is_regular()) continue;
      ReadDatabase(in, path, *node, *RpmdbFormatOf(file), out);
      break;
    }
  }
}

}  // namespace

void RpmCatalogers(std::vector<Cataloger>& rows) {
  Cataloger c;
  c.id = "rpm";
  for (std::string_view dir : kDbDirs) {
    for (std::string_view file : kDbFiles) c.view_wants.globs.push_back(std::string(dir) + "/" + std::string(file));
  }
  c.view_wants.max_size = kMaxDbSize;
  c.collect = Collect;
  rows.push_back(std::move(c));
}

}  // namespace drydock
