// OpenWrt's and Yocto's opkg (ipkg's successor): the status database,
// /usr/lib/opkg/status (OpenWrt) or /var/lib/opkg/status, deb822 stanzas
// like dpkg's with Package, Version, Architecture, Status ("install user
// installed"), License and Source. Packages are of type deb, as the purl
// spec has no opkg type and opkg's control format is Debian's (Syft does
// the same); the distro qualifier names the OS (openwrt-23.05.3), so they
// are never taken for Debian's. Only installed packages are inventoried.
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalogers.h"
#include "catalog/deb822.h"

namespace drydock {

namespace {

constexpr std::string_view kStatusPaths[] = {"/usr/lib/opkg/status", "/var/lib/opkg/status"};
constexpr int64_t kMaxStatusSize = 32 << 20;
constexpr size_t kMaxPackages = 100000;
constexpr size_t kMaxDiagnostics = 10;

bool IsOpkgStatus(std::string_view path) {
  for (std::string_view p : kStatusPaths) {
    if (path == p) return true;
  }
  return false;
}

bool Plausible(std::string_view s) {
  if (s.empty() || s.size() > 512) return false;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return false;
  }
  return true;
}

void CollectOpkg(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in.fs, IsOpkgStatus)) {
    Deb822Reader reader(f.content);
    Deb822Stanza s;
    size_t count = 0, diagnostics = 0;
    auto diagnose = [&](std::string message) {
      if (diagnostics++ < kMaxDiagnostics) out.Skip(f.path, "opkg status: " + std::move(message));
    };
    while (reader.Next(s)) {
      if (!s.error.empty()) {
        diagnose(s.error);
        continue;
      }
      const std::string_view name = s.Get("Package"), version = s.Get("Version");
      if (!Plausible(name) || !Plausible(version)) {
        diagnose("line " + std::to_string(s.line) + ": stanza without a usable Package and Version");
        continue;
      }
      // "want flag state"; opkg writes e.g. "install user installed" or
      // "install ok installed"; other states are not on disk.
      const std::string_view status = s.Get("Status");
      if (!status.empty() && !status.ends_with(" installed")) continue;
      if (++count > kMaxPackages) {
        diagnose("more than " + std::to_string(kMaxPackages) + " packages; the rest ignored");
        break;
      }
      Package p;
      p.type = std::string(pkgtype::kDeb);
      p.name = std::string(name);
      p.version = std::string(version);
      if (const std::string_view arch = s.Get("Architecture"); Plausible(arch)) p.arch = std::string(arch);
      if (const std::string_view src = s.Get("Source"); Plausible(src) && src != name) {
        // Source may be a path in the build tree (OpenWrt: "package/utils/busybox").
        const size_t slash = src.rfind('/');
        p.source_name = std::string(slash == std::string_view::npos ? src : src.substr(slash + 1));
        if (p.source_name == p.name) p.source_name.clear();
      }
      if (const std::string_view lic = s.Get("License"); !lic.empty() && lic.size() <= 512) {
        p.licenses.emplace_back(lic);
      }
      p.metadata["package_manager"] = "opkg";
      p.evidence.push_back(
          PackageEvidence{.cataloger = "", .path = std::string(f.path), .inner = "", .layer_index = f.layer});
      out.packages.push_back(std::move(p));
    }
  }
}

}  // namespace

void OpkgCatalogers(std::vector<Cataloger>& rows) {
  FileWants w;
  w.globs = {std::string(kStatusPaths[0]), std::string(kStatusPaths[1])};
  w.max_size = kMaxStatusSize;
  rows.push_back(Cataloger{.id = "opkg", .view_wants = std::move(w), .collect = CollectOpkg});
}

}  // namespace drydock
