#include "vuln/match.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "base/digest.h"
#include "vuln/cvss.h"
#include "vuln/version/semver_range.h"

namespace drydock {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "12.4" → "12"; "3.11.2" → "3.11" (Alpine branches are major.minor).
std::string Major(std::string_view v) { return std::string(v.substr(0, v.find('.'))); }
std::string MajorMinor(std::string_view v) {
  size_t a = v.find('.');
  if (a == std::string_view::npos) return std::string(v);
  size_t b = v.find('.', a + 1);
  return std::string(v.substr(0, b));
}

// Go versions in advisories are bare semver ("1.21.4"); the inventory has
// "v1.21.4" for modules and the toolchain's version for stdlib.
std::string GoVersion(std::string_view v) {
  if (v.starts_with("go")) v.remove_prefix(2);
  if (v.empty() || v[0] == 'v') return std::string(v);
  return "v" + std::string(v);
}

bool IsKernelSource(const Package& p) {
  const std::string& src = p.source_name.empty() ? p.name : p.source_name;
  return src == "linux" || src == "kernel" || src.starts_with("linux-signed") || src == "linux-lts";
}

// True when the image ships a bootable kernel (then kernel CVEs apply).
bool ShipsKernel(const Inventory& inv) {
  for (const auto& p : inv.packages) {
    if (!IsOsPackageType(p.type)) continue;
    if (p.name.starts_with("linux-image-") || p.name == "kernel" || p.name == "kernel-core" || p.name == "linux-lts" ||
        p.name == "linux-virt") {
      return true;
    }
  }
  return false;
}

// Calls fn on each 0x1f-separated field of a JoinList encoding.
template <typename Fn>
void ForEachField(std::string_view s, Fn&& fn) {
  if (s.empty()) return;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find('\x1f', i);
    if (j == std::string_view::npos) j = s.size();
    fn(s.substr(i, j - i));
    i = j + 1;
  }
}

// Calls fn(introduced, fixed, last_affected, limit) on each range of an
// EncodeRanges encoding. One pass over the bytes: the fields are a few bytes
// long, and a find() per field cost more than the scan.
template <typename Fn>
void ForEachRecord(std::string_view s, Fn&& fn) {
  if (s.empty()) return;
  std::string_view f[4];
  int field = 0;
  size_t start = 0;
  for (size_t i = 0; i <= s.size(); ++i) {
    const char c = i == s.size() ? '\x1e' : s[i];
    if (c != '\x1f' && c != '\x1e') continue;
    if (field < 4) f[field++] = s.substr(start, i - start);
    start = i + 1;
    if (c == '\x1f') continue;
    for (; field < 4; ++field) f[field] = std::string_view();
    fn(f[0], f[1], f[2], f[3]);
    field = 0;
  }
}

int Cmp(VersionScheme scheme, std::string_view a, std::string_view b, bool& ok) {
  auto r = CompareVersions(scheme, a, b);
  if (!r.ok()) {
    ok = false;
    return 0;
  }
  return *r;
}

std::string SeverityFromText(std::string_view s) {
  std::string l = Lower(s);
  if (l == "critical") return "CRITICAL";
  if (l == "high" || l == "important") return "HIGH";
  if (l == "medium" || l == "moderate") return "MEDIUM";
  if (l == "low" || l == "negligible" || l == "unimportant") return "LOW";
  return "";
}

}  // namespace

std::string NormalizePypiName(std::string_view name) {
  std::string out;
  bool sep = false;
  for (char c : name) {
    if (c == '-' || c == '_' || c == '.') {
      sep = true;
      continue;
    }
    if (sep && !out.empty()) out.push_back('-');
    sep = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  return out;
}

std::optional<MatchKey> KeyFor(const Package& p, const std::optional<OsRelease>& os) {
  MatchKey k;
  const std::string_view t = p.type;
  if (t == pkgtype::kDeb) {
    if (!os || os->version_id.empty() || (os->id != "debian" && os->id != "ubuntu")) return std::nullopt;
    k.ecosystem = os->id + ":" + (os->id == "debian" ? Major(os->version_id) : os->version_id);
    k.names = {p.source_name.empty() ? p.name : p.source_name};
    // The tracker's fixed versions are source versions (a binNMU "+b1" is
    // still the same source).
    k.version = p.source_version.empty() ? p.version : p.source_version;
    k.scheme = VersionScheme::kDpkg;
  } else if (t == pkgtype::kApk) {
    if (!os) return std::nullopt;
    if (os->id == "alpine" && !os->version_id.empty()) {
      k.ecosystem = "alpine:" + MajorMinor(os->version_id);
    } else if (os->id == "wolfi" || os->id == "chainguard") {
      k.ecosystem = "wolfi";
    } else {
      return std::nullopt;
    }
    k.names = {p.source_name.empty() ? p.name : p.source_name};
    if (!p.source_name.empty() && p.source_name != p.name) k.names.push_back(p.name);
    k.version = p.version;
    k.scheme = VersionScheme::kApk;
  } else if (t == pkgtype::kRpm) {
    if (!os || os->version_id.empty()) return std::nullopt;
    if (os->id != "almalinux" && os->id != "rocky" && os->id != "rhel" && os->id != "centos") return std::nullopt;
    k.ecosystem = os->id + ":" + Major(os->version_id);
    k.names = {p.name};
    if (!p.source_name.empty() && p.source_name != p.name) k.names.push_back(p.source_name);
    k.version = p.version;
    k.scheme = VersionScheme::kRpm;
  } else if (t == pkgtype::kPypi) {
    k.ecosystem = "pypi";
    k.names = {NormalizePypiName(p.name)};
    k.version = p.version;
    k.scheme = VersionScheme::kPep440;
  } else if (t == pkgtype::kNpm) {
    k.ecosystem = "npm";
    k.names = {p.FullName()};
    k.version = p.version;
    k.scheme = VersionScheme::kSemver;
  } else if (t == pkgtype::kGolang) {
    k.ecosystem = "go";
    k.names = {p.FullName()};
    k.version = GoVersion(p.version);
    k.scheme = VersionScheme::kGo;
  } else if (t == pkgtype::kGem) {
    k.ecosystem = "rubygems";
    k.names = {p.name};
    k.version = p.version;
    k.scheme = VersionScheme::kRubyGems;
  } else if (t == pkgtype::kCargo) {
    k.ecosystem = "cargo";
    k.names = {p.name};
    k.version = p.version;
    k.scheme = VersionScheme::kCargo;
  } else if (t == pkgtype::kMaven) {
    k.ecosystem = "maven";
    k.names = {p.FullName()};
    k.version = p.version;
    k.scheme = VersionScheme::kMaven;
  } else if (t == pkgtype::kNuget) {
    k.ecosystem = "nuget";
    k.names = {Lower(p.name)};
    k.version = p.version;
    k.scheme = VersionScheme::kNuGet;
  } else if (t == pkgtype::kComposer) {
    k.ecosystem = "composer";
    k.names = {Lower(p.FullName())};
    k.version = p.version;
    k.scheme = VersionScheme::kComposer;
  } else {
    return std::nullopt;
  }
  if (k.version.empty()) return std::nullopt;
  return k;
}

RangeMatch EvaluateAffected(const Affected& a, std::string_view version, VersionScheme scheme) {
  const std::string ranges = EncodeRanges(a.ranges), versions = JoinList(a.versions);
  AffectedView v;
  v.range_type = a.range_type;
  v.ranges = ranges;
  v.versions = versions;
  v.raw_range = a.raw_range;
  v.status = a.status;
  v.severity = a.severity;
  return EvaluateAffected(v, version, scheme);
}

RangeMatch EvaluateAffected(const AffectedView& a, std::string_view version, VersionScheme scheme) {
  RangeMatch m;
  if (a.status == "not_affected") return m;
  const bool go = scheme == VersionScheme::kGo;
  const std::string v = go ? GoVersion(version) : std::string(version);
  std::string scratch;
  // Go bounds are bare semver; everything else compares as written.
  auto bound = [&](std::string_view b) -> std::string_view {
    if (!go) return b;
    scratch = GoVersion(b);
    return scratch;
  };
  auto cmp = [&](std::string_view b, bool& ok) { return Cmp(scheme, v, bound(b), ok); };
  bool hit = false;
  ForEachField(a.versions, [&](std::string_view x) {
    bool ok = true;
    if (!hit && (x == version || (cmp(x, ok) == 0 && ok))) hit = true;
  });
  ForEachRecord(a.ranges, [&](std::string_view introduced, std::string_view fixed, std::string_view last_affected,
                              std::string_view limit) {
    bool ok = true;
    const bool from_start = introduced.empty() || introduced == "0";
    if (!from_start && (cmp(introduced, ok) < 0 || !ok)) return;
    if (!limit.empty() && (cmp(limit, ok) >= 0 || !ok)) return;
    if (!fixed.empty()) {
      if (cmp(fixed, ok) >= 0 || !ok) return;
      hit = true;
      if (std::find(m.fixed_versions.begin(), m.fixed_versions.end(), fixed) == m.fixed_versions.end()) {
        m.fixed_versions.emplace_back(fixed);
      }
      return;
    }
    if (!last_affected.empty()) {
      if (cmp(last_affected, ok) > 0 || !ok) return;
      hit = true;
      return;
    }
    hit = true;  // introduced with no upper bound: every later version
  });
  if (!a.raw_range.empty()) {
    auto s = SemverSatisfies(a.raw_range, version);
    if (s.ok() && *s) hit = true;
  }
  // A distro record with a status and no ranges ("<unfixed>", "<no-dsa>",
  // "<end-of-life>") affects every version.
  if (!hit && a.ranges.empty() && a.versions.empty() && a.raw_range.empty() &&
      (a.status == "affected" || a.status == "will_not_fix" || a.status == "end_of_life")) {
    hit = true;
  }
  if (!hit) return m;
  m.verdict = MatchVerdict::kAffected;
  if (!a.status.empty() && a.status != "fixed") {
    m.status = a.status;
  } else {
    m.status = m.fixed_versions.empty() ? "affected" : "fixed";
  }
  return m;
}

Severity VulnSeverity(std::string_view distro_severity, const std::vector<std::pair<std::string, std::string>>& cvss,
                      std::string_view source_severity, std::string* source, std::vector<CvssScore>* scores,
                      CvssCache* cache) {
  std::optional<Severity> from_cvss;
  std::string cvss_version;
  static constexpr std::string_view kOrder[] = {"3.1", "3.0", "4.0", "2.0"};
  for (const auto& [ver, vec] : cvss) {
    double score = std::numeric_limits<double>::quiet_NaN();
    auto hit = cache ? cache->find(vec) : CvssCache::iterator();
    if (cache && hit != cache->end()) {
      score = hit->second;
    } else {
      auto computed = CvssBaseScore(vec);
      if (computed.ok()) score = *computed;
      if (cache) cache->emplace(vec, score);
    }
    if (std::isnan(score)) continue;
    if (scores) scores->push_back(CvssScore{ver, vec, score, ""});
    auto rank = [](std::string_view v) {
      for (size_t i = 0; i < std::size(kOrder); ++i) {
        if (kOrder[i] == v) return i;
      }
      return std::size(kOrder);
    };
    if (!from_cvss || rank(ver) < rank(cvss_version)) {
      from_cvss = SeverityFromScore(score);
      cvss_version = ver;
    }
  }
  std::string d = SeverityFromText(distro_severity);
  if (!d.empty()) {
    if (source) *source = "distro";
    return *ParseSeverity(d);
  }
  if (from_cvss) {
    if (source) *source = "cvss-" + cvss_version;
    return *from_cvss;
  }
  std::string s = SeverityFromText(source_severity);
  if (!s.empty()) {
    if (source) *source = "advisory";
    return *ParseSeverity(s);
  }
  if (source) source->clear();
  return Severity::kUnknown;
}

Result<std::vector<Finding>> MatchInventory(const Inventory& inv, const std::optional<OsRelease>& os, VulnDb& db,
                                            const MatchOptions& opts, MatchStats* stats) {
  // First every package's matching records, then their advisories' details
  // in one batched fetch (a statement per row cost more than the matching),
  // then the findings, package by package in inventory order.
  struct Hit {
    int64_t advisory = 0;
    std::string severity;  // the affected record's (distro) rating
    RangeMatch m;
  };
  struct PackageHits {
    const Package* package = nullptr;
    std::vector<Hit> hits;  // in lookup order
  };
  std::vector<PackageHits> matched;
  std::vector<int64_t> wanted;
  const bool kernel = ShipsKernel(inv);
  for (const auto& p : inv.packages) {
    auto key = KeyFor(p, os);
    if (!key) {
      if (stats) ++stats->unsupported;
      continue;
    }
    if (stats) ++stats->packages;
    if (!kernel && IsOsPackageType(p.type) && IsKernelSource(p)) continue;
    PackageHits ph;
    ph.package = &p;
    for (const auto& name : key->names) {
      if (stats) ++stats->lookups;
      ASSIGN_OR_RETURN(auto rows, db.Lookup(key->ecosystem, name));
      for (const auto& row : rows.rows) {
        RangeMatch m = EvaluateAffected(row, key->version, key->scheme);
        if (m.verdict != MatchVerdict::kAffected) continue;
        if (!opts.include_unfixed && m.status != "fixed") continue;
        wanted.push_back(row.advisory);
        ph.hits.push_back(Hit{row.advisory, std::string(row.severity), std::move(m)});
      }
    }
    if (!ph.hits.empty()) matched.push_back(std::move(ph));
  }
  // Each advisory once, sorted by row id.
  ASSIGN_OR_RETURN(auto details, db.Advisories(std::move(wanted)));
  std::sort(details.begin(), details.end(), [](const auto& a, const auto& b) { return a.first < b.first; });

  std::vector<Finding> out;
  // Usually one finding per hit: no reallocation moving large findings.
  size_t hit_count = 0;
  for (const auto& ph : matched) hit_count += ph.hits.size();
  out.reserve(hit_count);
  CvssCache cvss_cache;
  for (const auto& [pp, hits] : matched) {
    const Package& p = *pp;
    // One finding per vulnerability id: rows from several sources (a DSA and
    // the tracker's CVE) merge, keeping every fixed version and alias.
    std::map<std::string, Finding> by_id;
    for (const Hit& hit : hits) {
      const RangeMatch& m = hit.m;
      const auto it = std::lower_bound(details.begin(), details.end(), hit.advisory,
                                       [](const auto& d, int64_t row) { return d.first < row; });
      const DbAdvisory& adv = it->second;
      // Report by CVE when the advisory is a distro/GHSA wrapper of CVEs:
      // one finding per CVE, the advisory id kept as an alias.
      std::vector<std::string> ids;
      if (adv.id.starts_with("CVE-")) {
        ids.push_back(adv.id);
      } else {
        for (const auto& al : adv.aliases) {
          if (al.starts_with("CVE-")) ids.push_back(al);
        }
        if (ids.empty()) ids.push_back(adv.id);
      }
      for (const auto& id : ids) {
        auto [fit, fresh] = by_id.try_emplace(id);
        Finding& f = fit->second;
        if (fresh) {
          f.kind = FindingKind::kVulnerability;
          f.rule_id = id;
          VulnerabilityDetail d;
          d.id = id;
          d.package_name = p.FullName();
          d.package_id = p.id;
          d.purl = p.purl;
          d.installed_version = p.version;
          d.status = m.status;
          d.data_source = adv.source;
          d.published = adv.published;
          std::string sev_source;
          f.severity = VulnSeverity(hit.severity, adv.cvss, adv.severity, &sev_source, &d.cvss, &cvss_cache);
          d.severity_source = sev_source;
          f.title = adv.title;
          f.references.assign(adv.references.begin(), adv.references.end());
          f.location.layer_index = p.layer_index;
          f.location.diff_id = p.diff_id;
          f.location.created_by = p.created_by;
          f.location.path = p.evidence.empty() ? std::string() : p.evidence.front().Location();
          f.vuln = std::move(d);
        } else if (f.severity == Severity::kUnknown || !hit.severity.empty()) {
          std::string sev_source;
          std::vector<CvssScore> scores;
          Severity s = VulnSeverity(hit.severity, adv.cvss, adv.severity, &sev_source, &scores, &cvss_cache);
          if (s != Severity::kUnknown && (f.severity == Severity::kUnknown || sev_source == "distro")) {
            f.severity = s;
            f.vuln->severity_source = sev_source;
            if (f.vuln->cvss.empty()) f.vuln->cvss = std::move(scores);
          }
        }
        VulnerabilityDetail& d = *f.vuln;
        auto add_alias = [&](const std::string& a) {
          if (a != id && std::find(d.aliases.begin(), d.aliases.end(), a) == d.aliases.end()) d.aliases.push_back(a);
        };
        add_alias(adv.id);
        for (const auto& a : adv.aliases) add_alias(a);
        for (const auto& fx : m.fixed_versions) {
          if (std::find(d.fixed_versions.begin(), d.fixed_versions.end(), fx) == d.fixed_versions.end()) {
            d.fixed_versions.push_back(fx);
          }
        }
        // A fix from any source beats "affected" from another.
        if (!d.fixed_versions.empty()) d.status = "fixed";
        if (f.title.empty()) f.title = adv.title;
        for (const auto& r : adv.references) {
          if (std::find(f.references.begin(), f.references.end(), r) == f.references.end()) {
            f.references.push_back(r);
          }
        }
      }
    }
    for (auto& [id, f] : by_id) {
      auto& d = *f.vuln;
      if (f.severity == Severity::kUnknown && id.starts_with("CVE-")) {
        // The matching source has no rating: take another source's for the
        // same CVE (its CVSS vectors, computed here, or its rating).
        ASSIGN_OR_RETURN(auto rating, db.RatingOf(id));
        if (rating) {
          std::string how;
          std::vector<CvssScore> scores;
          Severity s = VulnSeverity("", rating->cvss, rating->severity, &how, &scores, &cvss_cache);
          if (s != Severity::kUnknown) {
            f.severity = s;
            d.severity_source = how + " (" + rating->source + ")";
            if (d.cvss.empty()) d.cvss = std::move(scores);
          }
        }
      }
      std::sort(d.aliases.begin(), d.aliases.end());
      if (f.title.empty()) f.title = id + " in " + d.package_name;
      f.remediation = d.fixed_versions.empty()
                          ? (d.status == "will_not_fix"  ? "No fix planned by the distribution"
                             : d.status == "end_of_life" ? "The package is end-of-life in this release"
                                                         : "No fixed version yet")
                          : "Upgrade " + d.package_name + " to " + d.fixed_versions.front() +
                                (d.fixed_versions.size() > 1 ? " (or a later fixed version)" : "");
      f.evidence = d.package_name + " " + d.installed_version;
      // Fingerprint by vulnerability and package (two packages can share a
      // lock file), not by wording.
      f.fingerprint = Sha256Of(id + '\0' + d.package_id + '\0' + f.location.path).hex.substr(0, 16);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace drydock
