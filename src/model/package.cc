#include "model/package.h"

#include <algorithm>
#include <tuple>

#include "model/scan.h"

namespace drydock {

bool IsOsPackageType(std::string_view type) {
  return type == pkgtype::kDeb || type == pkgtype::kApk || type == pkgtype::kRpm;
}

std::string Package::FullName() const {
  if (namespace_.empty()) return name;
  return namespace_ + (type == pkgtype::kMaven ? ":" : "/") + name;
}

std::string PurlEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' ||
        c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

namespace {

// The purl namespace of an OS package: the distro id ("debian", "alpine",
// "redhat" …), lower-case as the purl spec asks.
std::string OsNamespace(const Package& p, const std::optional<OsRelease>& os) {
  std::string ns = os && !os->id.empty() ? os->id : std::string();
  if (ns.empty()) {
    if (p.type == pkgtype::kDeb) ns = "debian";
    if (p.type == pkgtype::kApk) ns = "alpine";
    if (p.type == pkgtype::kRpm) ns = "redhat";
  }
  if (ns == "rhel") ns = "redhat";
  std::transform(ns.begin(), ns.end(), ns.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return ns;
}

// PyPI names are compared normalised (PEP 503): lower case, runs of
// "-", "_", "." become "-"; the purl spec asks for the same.
std::string NormalizePypi(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      if (out.empty() || out.back() != '-') out.push_back('-');
    } else {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

}  // namespace

std::string MakePurl(const Package& p, const std::optional<OsRelease>& os) {
  std::string type = p.type.empty() ? std::string(pkgtype::kGeneric) : p.type;
  std::string ns = p.namespace_;
  std::string name = p.name;
  std::string version = p.version;
  std::vector<std::pair<std::string, std::string>> qualifiers;
  if (IsOsPackageType(type)) {
    ns = OsNamespace(p, os);
    if (!p.arch.empty()) qualifiers.emplace_back("arch", p.arch);
    if (os && !os->id.empty()) {
      qualifiers.emplace_back("distro", os->version_id.empty() ? os->id : os->id + "-" + os->version_id);
    }
    if (type == pkgtype::kRpm) {
      // rpm purls carry the epoch as a qualifier, not in the version.
      size_t colon = version.find(':');
      if (colon != std::string::npos && colon > 0 &&
          std::all_of(version.begin(), version.begin() + static_cast<std::ptrdiff_t>(colon),
                      [](char c) { return c >= '0' && c <= '9'; })) {
        qualifiers.emplace_back("epoch", version.substr(0, colon));
        version = version.substr(colon + 1);
      }
    }
    if (!p.source_name.empty() && p.source_name != p.name) {
      qualifiers.emplace_back("upstream", p.source_version.empty() || p.source_version == p.version
                                              ? p.source_name
                                              : p.source_name + "@" + p.source_version);
    }
  } else if (type == pkgtype::kPypi) {
    name = NormalizePypi(name);
  } else if (type == pkgtype::kNpm || type == pkgtype::kGem || type == pkgtype::kCargo || type == pkgtype::kComposer ||
             type == pkgtype::kNuget) {
    // npm and Composer names are lower case by rule; NuGet ids are compared
    // case-insensitively (purl spec); keep gem and cargo as written.
    if (type == pkgtype::kNpm || type == pkgtype::kComposer || type == pkgtype::kNuget) {
      auto lower = [](std::string s) {
        std::transform(s.begin(), s.end(), s.begin(),
                       [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
        return s;
      };
      if (type != pkgtype::kNuget) {
        ns = lower(ns);
        name = lower(name);
      }
    }
  }
  std::string out = "pkg:" + type + "/";
  if (!ns.empty()) {
    // Each namespace segment is encoded on its own; "/" separates them.
    size_t i = 0;
    while (i <= ns.size()) {
      size_t j = ns.find('/', i);
      if (j == std::string::npos) j = ns.size();
      if (j > i) out += PurlEncode(std::string_view(ns).substr(i, j - i)) + "/";
      i = j + 1;
    }
  }
  out += PurlEncode(name);
  if (!version.empty()) out += "@" + PurlEncode(version);
  std::sort(qualifiers.begin(), qualifiers.end());
  for (size_t i = 0; i < qualifiers.size(); ++i) {
    out += (i == 0 ? "?" : "&") + qualifiers[i].first + "=" + PurlEncode(qualifiers[i].second);
  }
  return out;
}

void SortPackages(std::vector<Package>& packages) {
  auto key = [](const Package& p) {
    return std::make_tuple(std::string_view(p.type), p.FullName(), std::string_view(p.version),
                           p.evidence.empty() ? std::string() : p.evidence.front().Location(),
                           std::string_view(p.purl));
  };
  std::stable_sort(packages.begin(), packages.end(),
                   [&](const Package& a, const Package& b) { return key(a) < key(b); });
}

}  // namespace drydock
