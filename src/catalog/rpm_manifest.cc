// The rpm container manifest of CBL-Mariner / Azure Linux distroless
// images, which ship no rpm database: /var/lib/rpmmanifest/container-
// manifest-2, one package per line, tab-separated:
//   name, version-release, install time, build time, vendor, epoch
//   ("(none)" or a number), size, arch, signature flag, source rpm.
// (container-manifest-1 lists only "name-version-release.arch" strings and
// is not read: it does not separate name from version.)
#include <charconv>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"

namespace drydock {

namespace {

constexpr std::string_view kPath = "/var/lib/rpmmanifest/container-manifest-2";
constexpr size_t kMaxPackages = 100000;
constexpr size_t kMaxDiagnostics = 10;

bool IsManifest(std::string_view path) { return path == kPath; }

bool Plausible(std::string_view s) {
  if (s.empty() || s.size() > 512) return false;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

// "name-version-release.src.rpm" → name and version-release, split from
// the right as names may hold dashes.
void SplitSourceRpm(std::string_view srpm, std::string& name, std::string& version) {
  for (std::string_view suffix : {".src.rpm", ".nosrc.rpm"}) {
    if (!srpm.ends_with(suffix) || srpm.size() == suffix.size()) continue;
    srpm.remove_suffix(suffix.size());
    const size_t rel = srpm.rfind('-');
    if (rel == std::string_view::npos || rel == 0) return;
    const size_t ver = srpm.rfind('-', rel - 1);
    if (ver == std::string_view::npos || ver == 0) return;
    name = std::string(srpm.substr(0, ver));
    version = std::string(srpm.substr(ver + 1));
    return;
  }
}

void CollectRpmManifest(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in.fs, IsManifest)) {
    if (lang::HasNul(f.content)) {
      out.Skip(f.path, "rpm manifest: binary data (NUL byte)");
      continue;
    }
    std::string_view text = f.content;
    size_t line_no = 0, count = 0, diagnostics = 0;
    while (!text.empty()) {
      const std::string_view line = lang::NextLine(text);
      ++line_no;
      if (lang::Trim(line).empty()) continue;
      std::vector<std::string_view> cols;
      for (std::string_view rest = line; cols.size() < 16;) {
        const size_t tab = rest.find('\t');
        cols.push_back(rest.substr(0, tab));
        if (tab == std::string_view::npos) break;
        rest.remove_prefix(tab + 1);
      }
      if (cols.size() < 10 || !Plausible(cols[0]) || !Plausible(cols[1]) ||
          cols[1].find('-') == std::string_view::npos) {
        if (diagnostics++ < kMaxDiagnostics) {
          out.Skip(f.path, "rpm manifest: line " + std::to_string(line_no) + ": not a container-manifest-2 record");
        }
        continue;
      }
      if (++count > kMaxPackages) {
        out.Skip(f.path, "rpm manifest: more than " + std::to_string(kMaxPackages) + " packages; the rest ignored");
        break;
      }
      Package p;
      p.type = std::string(pkgtype::kRpm);
      p.name = std::string(cols[0]);
      p.version = std::string(cols[1]);
      unsigned epoch = 0;
      const std::string_view e = cols[5];
      if (!e.empty() && e != "(none)") {
        auto [ptr, ec] = std::from_chars(e.data(), e.data() + e.size(), epoch);
        if (ec == std::errc() && ptr == e.data() + e.size()) {
          p.version = std::to_string(epoch) + ":" + p.version;
          p.metadata["rpm.epoch"] = std::to_string(epoch);
        }
      }
      if (Plausible(cols[7])) p.arch = std::string(cols[7]);
      if (!cols[4].empty() && cols[4].size() <= 256) p.metadata["rpm.vendor"] = std::string(cols[4]);
      if (Plausible(cols[9])) {
        p.metadata["rpm.sourcerpm"] = std::string(cols[9]);
        SplitSourceRpm(cols[9], p.source_name, p.source_version);
      }
      p.evidence.push_back(
          PackageEvidence{.cataloger = "", .path = std::string(f.path), .inner = "", .layer_index = f.layer});
      out.packages.push_back(std::move(p));
    }
  }
}

}  // namespace

void RpmManifestCatalogers(std::vector<Cataloger>& rows) {
  FileWants w;
  w.globs = {std::string(kPath)};
  w.max_size = 32 << 20;
  rows.push_back(Cataloger{.id = "rpm-manifest", .view_wants = std::move(w), .collect = CollectRpmManifest});
}

}  // namespace drydock
