// CIS Docker Benchmark 4.6: the image should define a HEALTHCHECK.
#include "check/image/check.h"
#include "check/image/groups.h"

namespace drydock {

namespace {

void CheckHealthcheck(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  if (in.image.source_kind == "dir") return;  // a bare rootfs has no runtime config
  const auto& hc = in.image.config.healthcheck;
  if (hc && !hc->test.empty() && !hc->disabled()) return;
  Finding f = MakeFinding(rule);
  f.location.config_field = "config.Healthcheck";
  f.evidence = hc && hc->disabled() ? "HEALTHCHECK NONE disables the inherited health check"
                                    : "no HEALTHCHECK instruction in the image";
  out.push_back(std::move(f));
}

}  // namespace

void HealthcheckChecks(std::vector<CheckRule>& rules) {
  rules.push_back(CheckRule{
      .id = "DD-CIS-4.6",
      .cis = "4.6",
      .severity = Severity::kLow,
      .title = "No HEALTHCHECK instruction",
      .rationale = "Without a health check the engine (and orchestrators that read it) cannot tell a hung "
                   "service from a healthy one, so it is never restarted.",
      .remediation = "Add HEALTHCHECK CMD <command that exits non-zero when the service is unhealthy>, "
                     "e.g. HEALTHCHECK --interval=30s CMD wget -qO- http://127.0.0.1:8080/health || exit 1.",
      .references = {"CIS Docker Benchmark v1.6.0 4.6", "https://docs.docker.com/reference/dockerfile/#healthcheck"},
      .run = &CheckHealthcheck,
  });
}

}  // namespace drydock
