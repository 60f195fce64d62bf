#include "model/compare.h"

#include <algorithm>
#include <functional>
#include <map>
#include <string>
#include <tuple>

namespace drydock {
namespace {

CompareSide SideOf(const ScanResult& scan) {
  CompareSide s;
  s.target = scan.target;
  s.image_id = scan.image.config_digest.str();
  s.manifest_digest = scan.image.manifest_digest.str();
  const ImageConfig& config = scan.image.config;
  for (const std::string* part : {&config.os, &config.architecture, &config.variant}) {
    if (!part->empty()) s.platform += (s.platform.empty() ? "" : "/") + *part;
  }
  s.os = scan.summary.os;
  s.scanners = scan.scanners;
  s.diagnostics = scan.diagnostics.size();
  s.layers = static_cast<int64_t>(scan.summary.layers.size());
  s.total_tar_bytes = scan.summary.total_tar_bytes;
  s.total_blob_bytes = scan.summary.total_blob_bytes;
  s.files = scan.summary.files;
  if (scan.inventory) s.packages = static_cast<int64_t>(scan.inventory->packages.size());
  for (const Finding& f : scan.findings) {
    ++(f.kind == FindingKind::kVulnerability ? s.vulnerabilities : s.findings);
  }
  return s;
}

bool Ran(const ScanResult& scan, std::string_view scanner) {
  return std::find(scan.scanners.begin(), scan.scanners.end(), scanner) != scan.scanners.end();
}

// Packages under one identity: type and full name, and the architecture for
// OS packages (libc6:amd64 and libc6:i386 are two packages).
std::string GroupKey(const Package& p) {
  std::string key = p.type;
  key.push_back('\0');
  key += p.FullName();
  if (IsOsPackageType(p.type)) {
    key.push_back('\0');
    key += p.arch;
  }
  return key;
}

std::string Where(const Package& p) { return p.evidence.empty() ? std::string() : p.evidence.front().Location(); }

auto SortKey(const Package& p) { return std::make_tuple(p.type, p.FullName(), p.version, Where(p), p.purl); }

// The package diff, and for each side the identity of every package id, so
// that vulnerabilities can be keyed by a package identity that survives a
// version change (pairs share one identity; the unpaired have their own).
struct PackageDiff {
  std::vector<Package> added;
  std::vector<Package> removed;
  std::vector<PackageChange> changed;
  int64_t unchanged = 0;
  std::map<std::string, std::string> a_identity;  // Package::id → identity
  std::map<std::string, std::string> b_identity;
};

PackageDiff DiffPackages(const std::vector<Package>& a, const std::vector<Package>& b) {
  std::map<std::string, std::pair<std::vector<size_t>, std::vector<size_t>>> groups;
  for (size_t i = 0; i < a.size(); ++i) groups[GroupKey(a[i])].first.push_back(i);
  for (size_t j = 0; j < b.size(); ++j) groups[GroupKey(b[j])].second.push_back(j);
  PackageDiff d;
  std::vector<bool> used_a(a.size()), used_b(b.size());
  int64_t pairs = 0;
  auto pair = [&](size_t i, size_t j, bool changed) {
    used_a[i] = used_b[j] = true;
    const std::string identity = "p" + std::to_string(pairs++);
    d.a_identity.emplace(a[i].id, identity);
    d.b_identity.emplace(b[j].id, identity);
    if (changed) {
      d.changed.push_back({a[i], b[j]});
    } else {
      ++d.unchanged;
    }
  };
  for (const auto& [key, members] : groups) {
    // Plain references, not structured bindings: lambdas may not capture
    // those before C++20 P1091 (clang 14).
    const auto& ia = members.first;
    const auto& ib = members.second;
    // Each pass pairs what the one before left, first match in inventory
    // order (which sorts by version, then location).
    auto pass = [&](const std::function<bool(const Package&, const Package&)>& same, bool changed) {
      for (size_t i : ia) {
        if (used_a[i]) continue;
        for (size_t j : ib) {
          if (used_b[j] || !same(a[i], b[j])) continue;
          pair(i, j, changed);
          break;
        }
      }
    };
    // The same place and version; the same place at another version; the
    // same version moved (a python3.11 → python3.12 site-packages).
    pass([](const Package& x, const Package& y) { return Where(x) == Where(y) && x.version == y.version; }, false);
    pass([](const Package& x, const Package& y) { return Where(x) == Where(y); }, true);
    pass([](const Package& x, const Package& y) { return x.version == y.version; }, false);
    // One left on each side is one package whose place changed with its
    // version ("foo-1.0.dist-info" → "foo-1.1.dist-info"); several cannot
    // be told apart and are reported as removed and added.
    std::vector<size_t> left_a, left_b;
    std::copy_if(ia.begin(), ia.end(), std::back_inserter(left_a), [&](size_t i) { return !used_a[i]; });
    std::copy_if(ib.begin(), ib.end(), std::back_inserter(left_b), [&](size_t j) { return !used_b[j]; });
    if (left_a.size() == 1 && left_b.size() == 1)
      pair(left_a[0], left_b[0], a[left_a[0]].version != b[left_b[0]].version);
  }
  for (size_t i = 0; i < a.size(); ++i) {
    if (used_a[i]) continue;
    d.a_identity.emplace(a[i].id, "a" + std::to_string(i));
    d.removed.push_back(a[i]);
  }
  for (size_t j = 0; j < b.size(); ++j) {
    if (used_b[j]) continue;
    d.b_identity.emplace(b[j].id, "b" + std::to_string(j));
    d.added.push_back(b[j]);
  }
  SortPackages(d.added);
  SortPackages(d.removed);
  std::stable_sort(d.changed.begin(), d.changed.end(), [](const PackageChange& x, const PackageChange& y) {
    return std::make_pair(SortKey(x.a), SortKey(x.b)) < std::make_pair(SortKey(y.a), SortKey(y.b));
  });
  return d;
}

// Findings keyed one per key (the first in report order wins), with the
// keys each side has and the other lacks.
struct KeyedDiff {
  std::vector<Finding> only_a;
  std::vector<Finding> only_b;
  int64_t both = 0;
};

KeyedDiff DiffKeyed(const std::vector<Finding>& a, const std::vector<Finding>& b,
                    const std::function<std::string(const Finding&, bool is_b)>& key) {
  std::map<std::string, const Finding*> in_a, in_b;
  for (const Finding& f : a) in_a.emplace(key(f, false), &f);
  for (const Finding& f : b) in_b.emplace(key(f, true), &f);
  KeyedDiff d;
  for (const auto& [k, f] : in_a) {
    if (in_b.count(k) > 0) {
      ++d.both;
    } else {
      d.only_a.push_back(*f);
    }
  }
  for (const auto& [k, f] : in_b) {
    if (in_a.count(k) == 0) d.only_b.push_back(*f);
  }
  SortFindings(d.only_a);
  SortFindings(d.only_b);
  return d;
}

// The findings of one kind class, fingerprinted and in report order.
std::vector<Finding> Select(const ScanResult& scan, bool vulnerabilities) {
  std::vector<Finding> out;
  for (const Finding& f : scan.findings) {
    if ((f.kind == FindingKind::kVulnerability) != vulnerabilities) continue;
    out.push_back(f);
    if (out.back().fingerprint.empty()) out.back().Fingerprint();
  }
  SortFindings(out);
  return out;
}

void DiffLayers(const ImageSummary& a, const ImageSummary& b, Comparison& c) {
  std::map<std::string, std::vector<size_t>> a_by_diff_id;  // indices not yet matched, in order
  for (size_t i = 0; i < a.layers.size(); ++i) {
    if (!a.layers[i].diff_id.empty()) a_by_diff_id[a.layers[i].diff_id].push_back(i);
  }
  std::vector<bool> shared_a(a.layers.size());
  for (const LayerSummary& layer : b.layers) {
    auto it = layer.diff_id.empty() ? a_by_diff_id.end() : a_by_diff_id.find(layer.diff_id);
    if (it == a_by_diff_id.end() || it->second.empty()) {
      c.layers_only_b.push_back(layer);
      continue;
    }
    const size_t i = it->second.front();
    it->second.erase(it->second.begin());
    shared_a[i] = true;
    c.layers_shared.push_back({a.layers[i], layer});
  }
  for (size_t i = 0; i < a.layers.size(); ++i) {
    if (!shared_a[i]) c.layers_only_a.push_back(a.layers[i]);
  }
}

}  // namespace

Comparison Compare(const ScanResult& a, const ScanResult& b) {
  Comparison c;
  c.a = SideOf(a);
  c.b = SideOf(b);

  PackageDiff packages;
  if (a.inventory && b.inventory) {
    c.packages_compared = true;
    packages = DiffPackages(a.inventory->packages, b.inventory->packages);
    c.packages_added = std::move(packages.added);
    c.packages_removed = std::move(packages.removed);
    c.packages_changed = std::move(packages.changed);
    c.packages_unchanged = packages.unchanged;
  }

  if (Ran(a, "vuln") && Ran(b, "vuln")) {
    c.vulnerabilities_compared = true;
    auto key = [&](const Finding& f, bool is_b) {
      std::string k = f.vuln ? f.vuln->id : f.rule_id;
      k.push_back('\0');
      const auto& identities = is_b ? packages.b_identity : packages.a_identity;
      auto it = f.vuln ? identities.find(f.vuln->package_id) : identities.end();
      if (it != identities.end()) return k + it->second;
      // Not in the inventory (it always is when "vuln" ran): the package as
      // the finding names it.
      return k + "?" + (f.vuln ? f.vuln->package_name : std::string()) + '\0' + f.location.path;
    };
    KeyedDiff v = DiffKeyed(Select(a, true), Select(b, true), key);
    c.vulnerabilities_fixed = std::move(v.only_a);
    c.vulnerabilities_new = std::move(v.only_b);
    c.vulnerabilities_unchanged = v.both;
  }

  KeyedDiff f = DiffKeyed(Select(a, false), Select(b, false), [](const Finding& x, bool) { return x.fingerprint; });
  c.findings_removed = std::move(f.only_a);
  c.findings_added = std::move(f.only_b);
  c.findings_unchanged = f.both;

  DiffLayers(a.summary, b.summary, c);
  return c;
}

std::vector<const Finding*> Introduced(const Comparison& c) {
  std::vector<const Finding*> out;
  for (const Finding& f : c.vulnerabilities_new) out.push_back(&f);
  for (const Finding& f : c.findings_added) out.push_back(&f);
  return out;
}

}  // namespace drydock
