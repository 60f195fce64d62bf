// CIS §4 in the live container audit: the image rules (check/image/)
// run on the config and history the Engine API gives for the images the
// audited containers run. See audit/container/container.h.
#include <optional>

#include <fmt/format.h>

#include "audit/container/container.h"
#include "check/image/check.h"
#include "layer/view.h"

namespace drydock {

namespace {

// One §4 check that an image rule decides.
struct ImageItem {
  std::string_view id;  // "4.6"
  int level;
  std::string_view title;  // the benchmark's recommendation
  std::string_view rule;   // the image rule that decides it
  CheckStatus when_found;  // WARN, or INFO for Docker Bench's manual items
  std::string_view pass_evidence;
};

constexpr ImageItem kUser{"4.1", 1, "Ensure that a user for the container has been created", "DD-CIS-4.1",
                          CheckStatus::kWarn, "Config.User runs as a non-root user"};
constexpr ImageItem kConfigItems[] = {
    {"4.6", 1, "Ensure that HEALTHCHECK instructions have been added to container images", "DD-CIS-4.6",
     CheckStatus::kWarn, "Config.Healthcheck is set"},
    {"4.7", 1, "Ensure update instructions are not used alone in Dockerfiles", "DD-CIS-4.7", CheckStatus::kInfo,
     "no history step updates a package index without installing in the same step"},
    {"4.9", 1, "Ensure that COPY is used instead of ADD in Dockerfiles", "DD-CIS-4.9", CheckStatus::kInfo,
     "no ADD step in the history besides the base image's root filesystem"},
    {"4.10", 1, "Ensure secrets are not stored in Dockerfiles", "DD-CIS-4.10", CheckStatus::kWarn,
     "no secret-looking value in Config.Env or in the history's ENV/ARG steps"},
};

// The manual items: no API field decides them.
struct ManualItem {
  std::string_view id;
  std::string_view title;
  std::string_view remediation;
};
constexpr ManualItem kManualItems[] = {
    {"4.2", "Ensure that containers use only trusted base images",
     "Pull base images from registries you trust, pin them by digest, and scan them (drydock image)."},
    {"4.3", "Ensure that unnecessary packages are not installed in the container",
     "List what the image holds (drydock sbom) and remove what the service does not need."},
    {"4.4", "Ensure images are scanned and rebuilt to include security patches",
     "Scan images for vulnerabilities (drydock image --scanners vuln) and rebuild them on patched bases."},
    {"4.8", "Ensure setuid and setgid permissions are removed",
     "Run drydock image on the image: DD-CIS-4.8 lists its setuid/setgid files from the layers."},
    {"4.11", "Ensure only verified packages are installed",
     "Install packages through the distribution's package manager with signature checking on (no --allow-"
     "unauthenticated, no --nogpgcheck)."},
    {"4.12", "Ensure all signed artifacts are validated",
     "Verify image signatures and attestations before running (e.g. cosign verify, Docker Content Trust)."},
};

const CheckRule* ImageRule(std::string_view id) {
  for (const CheckRule& r : ImageCheckRules()) {
    if (r.id == id) return &r;
  }
  return nullptr;
}

void Judge(const ImageItem& item, const ImageInfo& image, std::string target, const CheckSelection& sel,
           std::vector<CheckOutcome>& outcomes, std::vector<Finding>& findings) {
  if (!sel.Selected(item.id)) return;
  const CheckRule* rule = ImageRule(item.rule);
  if (rule == nullptr) return;  // a renamed image rule: the unit tests catch it
  const FileSystemView no_files({});
  const std::optional<OsRelease> no_os;
  std::vector<Finding> found;
  rule->run(ImageCheckInput{image, no_files, no_os}, *rule, found);
  CheckOutcome o;
  o.id = std::string(item.id);
  o.level = item.level;
  o.title = std::string(item.title);
  o.target = std::move(target);
  o.remediation = std::string(rule->remediation);
  if (found.empty()) {
    o.status = CheckStatus::kPass;
    o.evidence = std::string(item.pass_evidence);
  } else {
    o.status = item.when_found;
    o.evidence = found.front().evidence;
    if (found.size() > 1) o.evidence += fmt::format(" (and {} more)", found.size() - 1);
    if (o.status == CheckStatus::kWarn) {
      Finding f = AuditFinding(o, rule->severity, found.front().location.config_field);
      f.location.created_by = found.front().location.created_by;
      findings.push_back(std::move(f));
    }
  }
  outcomes.push_back(std::move(o));
}

}  // namespace

std::string ImageTarget(const ImageInfo& image) {
  if (!image.repo_tags.empty()) return image.repo_tags.front();
  if (!image.config_digest.empty()) return image.config_digest.str().substr(0, 19);  // "sha256:" + 12 hex
  return image.reference;
}

void RunContainerUserCheck(const ContainerInspect& c, const ImageInfo& image, const CheckSelection& sel,
                           std::vector<CheckOutcome>& outcomes, std::vector<Finding>& findings) {
  ImageInfo as_run = image;
  as_run.config.user = c.user;
  Judge(kUser, as_run, c.name.empty() ? c.id.substr(0, 12) : c.name, sel, outcomes, findings);
}

void RunImageConfigChecks(const ImageInfo& image, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                          std::vector<Finding>& findings) {
  for (const ImageItem& item : kConfigItems) Judge(item, image, ImageTarget(image), sel, outcomes, findings);
}

void RunImageSectionChecks(bool content_trust, const CheckSelection& sel, std::vector<CheckOutcome>& outcomes,
                           std::vector<Finding>& findings) {
  if (sel.Selected("4.5")) {
    CheckOutcome o;
    o.id = "4.5";
    o.level = 2;
    o.title = "Ensure Content trust for Docker is Enabled";
    o.target = "daemon";
    o.status = content_trust ? CheckStatus::kPass : CheckStatus::kWarn;
    o.evidence = content_trust ? "DOCKER_CONTENT_TRUST=1" : "DOCKER_CONTENT_TRUST is not 1 in this environment";
    o.remediation = "export DOCKER_CONTENT_TRUST=1 (e.g. in /etc/environment) so the docker client only pulls and "
                    "runs signed tags.";
    if (!content_trust) findings.push_back(AuditFinding(o, Severity::kLow, "DOCKER_CONTENT_TRUST"));
    outcomes.push_back(std::move(o));
  }
  for (const ManualItem& m : kManualItems) {
    if (!sel.Selected(m.id)) continue;
    CheckOutcome o;
    o.id = std::string(m.id);
    o.level = 1;
    o.title = std::string(m.title);
    o.target = "daemon";
    o.status = CheckStatus::kNote;
    o.evidence = "manual review: no Engine API field decides it";
    o.remediation = std::string(m.remediation);
    outcomes.push_back(std::move(o));
  }
}

}  // namespace drydock
