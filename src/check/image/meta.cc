// Checks on the image as a whole: its tag, the base OS's end of life, OCI
// traceability labels, size and layer count, and VOLUMEs over system paths.
#include <algorithm>
#include <ctime>

#include <fmt/ranges.h>

#include "check/image/check.h"
#include "check/image/groups.h"

namespace drydock {

namespace {

void CheckTag(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  if (in.image.source_kind == "dir") return;  // a bare rootfs has no name
  const auto& tags = in.image.repo_tags;
  std::string evidence;
  if (tags.empty()) {
    evidence = "the image has no tag: nothing says which version this is";
  } else {
    // Entries are "name:tag" (docker save) or a bare tag (an OCI ref.name).
    bool all_latest = std::all_of(tags.begin(), tags.end(), [](const std::string& t) {
      size_t slash = t.rfind('/');
      size_t colon = t.rfind(':');
      if (colon == std::string::npos) return slash != std::string::npos || t == "latest";
      if (slash != std::string::npos && colon < slash) return true;  // "registry:5000/app"
      return std::string_view(t).substr(colon + 1) == "latest";
    });
    if (!all_latest) return;
    evidence = fmt::format("the image is tagged only {}: a moving tag, not a version", fmt::join(tags, ", "));
  }
  Finding f = MakeFinding(rule);
  f.location.config_field = "RepoTags";
  f.evidence = std::move(evidence);
  out.push_back(std::move(f));
}

// End of security support of distribution releases: the last day updates
// ship, including the distribution's own LTS where it has one (as Trivy's
// EOSL tables do). A version_id matches an entry when it equals the entry's
// version or starts with it and a dot ("3.18.4" → "3.18", "8.9" → "8").
struct Eol {
  std::string_view id;
  std::string_view version;
  std::string_view date;  // YYYY-MM-DD
};
constexpr Eol kEol[] = {
    // Debian: end of Debian LTS, https://wiki.debian.org/LTS
    {"debian", "7", "2018-05-31"},
    {"debian", "8", "2020-06-30"},
    {"debian", "9", "2022-06-30"},
    {"debian", "10", "2024-06-30"},
    {"debian", "11", "2026-08-31"},
    {"debian", "12", "2028-06-30"},
    {"debian", "13", "2030-06-30"},
    // Ubuntu: end of standard support, https://ubuntu.com/about/release-cycle
    {"ubuntu", "14.04", "2019-04-30"},
    {"ubuntu", "16.04", "2021-04-30"},
    {"ubuntu", "18.04", "2023-05-31"},
    {"ubuntu", "20.04", "2025-05-31"},
    {"ubuntu", "22.04", "2027-06-01"},
    {"ubuntu", "22.10", "2023-07-20"},
    {"ubuntu", "23.04", "2024-01-25"},
    {"ubuntu", "23.10", "2024-07-11"},
    {"ubuntu", "24.04", "2029-05-31"},
    {"ubuntu", "24.10", "2025-07-10"},
    // Alpine: end of support per branch, https://alpinelinux.org/releases/
    {"alpine", "3.12", "2022-05-01"},
    {"alpine", "3.13", "2022-11-01"},
    {"alpine", "3.14", "2023-05-01"},
    {"alpine", "3.15", "2023-11-01"},
    {"alpine", "3.16", "2024-05-23"},
    {"alpine", "3.17", "2024-11-22"},
    {"alpine", "3.18", "2025-05-09"},
    {"alpine", "3.19", "2025-11-01"},
    {"alpine", "3.20", "2026-04-01"},
    {"alpine", "3.21", "2026-11-01"},
    {"alpine", "3.22", "2027-05-01"},
    // CentOS: https://www.centos.org/centos-linux-eol/
    {"centos", "6", "2020-11-30"},
    {"centos", "7", "2024-06-30"},
    {"centos", "8", "2021-12-31"},
    // RHEL / UBI and rebuilds: end of maintenance support,
    // https://access.redhat.com/support/policy/updates/errata
    {"rhel", "7", "2024-06-30"},
    {"rhel", "8", "2029-05-31"},
    {"rhel", "9", "2032-05-31"},
    {"rocky", "8", "2029-05-31"},
    {"rocky", "9", "2032-05-31"},
    {"almalinux", "8", "2029-05-31"},
    {"almalinux", "9", "2032-05-31"},
    // Amazon Linux: https://aws.amazon.com/amazon-linux-2/faqs/
    {"amzn", "2018.03", "2023-12-31"},
    {"amzn", "2", "2026-06-30"},
    {"amzn", "2023", "2029-06-30"},
    // Fedora: https://docs.fedoraproject.org/en-US/releases/eol/
    {"fedora", "37", "2023-12-05"},
    {"fedora", "38", "2024-05-21"},
    {"fedora", "39", "2024-11-26"},
    {"fedora", "40", "2025-05-13"},
    {"fedora", "41", "2025-12-15"},
};

std::string Today() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return fmt::format("{:04}-{:02}-{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

void CheckEol(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  if (!in.os) return;
  const OsRelease& os = *in.os;
  const std::string today = Today();
  for (const auto& e : kEol) {
    if (e.id != os.id) continue;
    std::string_view v = os.version_id;
    if (v != e.version && !(v.starts_with(e.version) && v.size() > e.version.size() && v[e.version.size()] == '.'))
      continue;
    if (std::string_view(today) <= e.date) return;
    std::string path = os.source_path.empty() ? "/etc/os-release" : os.source_path;
    const auto* node = in.fs.Lookup(path);
    Finding f = FindingAtPath(rule, in, path, node ? node->layer : -1);
    f.evidence = fmt::format("{} {} reached end of life on {}: it gets no security updates",
                             os.pretty_name.empty() ? os.id : os.pretty_name, os.version_id, e.date);
    out.push_back(std::move(f));
    return;
  }
}

void CheckLabels(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  if (in.image.source_kind == "dir") return;
  std::vector<std::string_view> missing;
  for (std::string_view k :
       {"org.opencontainers.image.source", "org.opencontainers.image.revision", "org.opencontainers.image.created"}) {
    auto it = in.image.config.labels.find(std::string(k));
    if (it == in.image.config.labels.end() || it->second.empty()) missing.push_back(k);
  }
  if (missing.empty()) return;
  Finding f = MakeFinding(rule);
  f.location.config_field = "config.Labels";
  f.evidence = fmt::format("missing label{}: {}", missing.size() > 1 ? "s" : "", fmt::join(missing, ", "));
  out.push_back(std::move(f));
}

// Thresholds for the size finding: past them, an image is worth slimming.
constexpr int64_t kLargeImageBytes = int64_t{1} << 30;
constexpr size_t kManyLayers = 20;

std::string HumanBytes(int64_t n) {
  if (n >= (int64_t{1} << 30)) return fmt::format("{:.1f} GiB", static_cast<double>(n) / (1 << 30));
  if (n >= (1 << 20)) return fmt::format("{:.1f} MiB", static_cast<double>(n) / (1 << 20));
  return fmt::format("{} KiB", (n + 1023) / 1024);
}

void CheckSize(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  const auto& layers = in.fs.layers();
  if (layers.empty()) return;
  int64_t total = 0;
  std::vector<std::pair<int64_t, size_t>> sizes;
  for (size_t i = 0; i < layers.size(); ++i) {
    total += layers[i]->tar_bytes;
    sizes.emplace_back(layers[i]->tar_bytes, i);
  }
  if (total < kLargeImageBytes && layers.size() <= kManyLayers) return;
  std::sort(sizes.begin(), sizes.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> largest;
  for (size_t k = 0; k < std::min<size_t>(3, sizes.size()); ++k) {
    size_t i = sizes[k].second;
    std::string by = i < in.image.layers.size() ? RedactCreatedBy(in.image.layers[i].created_by) : "";
    if (by.size() > 80) by = by.substr(0, 77) + "...";
    largest.push_back(
        fmt::format("layer {} {}{}", i + 1, HumanBytes(sizes[k].first), by.empty() ? "" : " (" + by + ")"));
  }
  Finding f = MakeFinding(rule);
  f.location.config_field = "rootfs.diff_ids";
  if (!largest.empty()) f.location.layer_index = static_cast<int>(sizes[0].second);
  if (sizes[0].second < in.image.layers.size()) {
    const Layer& l = in.image.layers[sizes[0].second];
    f.location.diff_id = l.diff_id.empty() ? "" : l.diff_id.str();
    f.location.created_by = RedactCreatedBy(l.created_by);
  }
  f.evidence = fmt::format("{} in {} layers (thresholds: {}, {} layers); largest: {}", HumanBytes(total), layers.size(),
                           HumanBytes(kLargeImageBytes), kManyLayers, fmt::join(largest, "; "));
  out.push_back(std::move(f));
}

void CheckSensitiveVolumes(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  for (const auto& v : in.image.config.volumes) {
    std::string_view p = v;
    while (p.size() > 1 && p.back() == '/') p.remove_suffix(1);
    for (std::string_view s :
         {"/", "/boot", "/dev", "/etc", "/lib", "/proc", "/sys", "/usr", "/var/run/docker.sock", "/run/docker.sock"}) {
      if (p != s) continue;
      Finding f = MakeFinding(rule);
      f.location.config_field = "config.Volumes";
      f.location.path = std::string(p);
      f.evidence = fmt::format("VOLUME {}: a system path declared as a volume invites mounting the host's", p);
      out.push_back(std::move(f));
    }
  }
}

}  // namespace

void MetaChecks(std::vector<CheckRule>& rules) {
  rules.push_back(CheckRule{
      .id = "DD-IMG-009",
      .cis = "",
      .severity = Severity::kLow,
      .title = "Image tagged latest or not tagged",
      .rationale = "latest (or no tag) says nothing about which build this is: deployments drift, rollbacks and "
                   "audits cannot name a version.",
      .remediation = "Tag every build with a version or the commit (app:1.4.2, app:git-3f2a1c0) and deploy by "
                     "that tag or by digest.",
      .references = {"Dockle DKL-DI-0006"},
      .run = &CheckTag,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-017",
      .cis = "",
      .severity = Severity::kHigh,
      .title = "End-of-life base OS",
      .rationale = "An end-of-life distribution gets no security updates: new vulnerabilities in its packages are "
                   "never fixed.",
      .remediation = "Rebuild FROM a supported release of the base image (and pin it by digest).",
      .references = {"https://endoflife.date/"},
      .run = &CheckEol,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-018",
      .cis = "",
      .severity = Severity::kLow,
      .title = "Missing OCI traceability labels",
      .rationale = "Without org.opencontainers.image.source, .revision and .created nobody can tell which source "
                   "and commit an image was built from, or when.",
      .remediation = "Add LABEL org.opencontainers.image.source=… org.opencontainers.image.revision=$GIT_SHA "
                     "org.opencontainers.image.created=$BUILD_DATE (docker buildx --label, or the metadata action).",
      .references = {"https://github.com/opencontainers/image-spec/blob/main/annotations.md"},
      .run = &CheckLabels,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-019",
      .cis = "",
      .severity = Severity::kLow,
      .title = "Large image or many layers",
      .rationale = "Big images and long layer chains pull slowly and carry more to attack and patch; the largest "
                   "layers are where to start.",
      .remediation = "Use a multi-stage build with a slim or distroless final stage, clean caches in the RUN that "
                     "creates them, and merge RUN steps.",
      .references = {"https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers"},
      .run = &CheckSize,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-020",
      .cis = "",
      .severity = Severity::kMedium,
      .title = "VOLUME over a sensitive system path",
      .rationale = "A VOLUME on /etc, /proc, /sys, /dev, /usr, /lib or /boot (or docker.sock) encourages mounting "
                   "the host's own directory there, handing the container the host.",
      .remediation = "Declare volumes only for application data (VOLUME /data).",
      .references = {"Dockle DKL-DI-0002", "CIS Docker Benchmark v1.6.0 5.5"},
      .run = &CheckSensitiveVolumes,
  });
}

}  // namespace drydock
