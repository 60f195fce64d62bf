// Fuzzes the policy sources (src/policy): the ignore file, the YAML ignore
// policy and VEX documents, then applies what parsed to a fixed set of
// findings. The first byte picks the entry point (mod 5): 0 ignore file,
// 1 policy YAML, 2 VEX JSON, 3 a purl and a glob (input split at the first
// NUL: the glob is matched against the rest), 4 a version range under every
// scheme. Besides "no crash", it asserts what the headers promise: errors
// are input errors of one printable line naming the file; Apply keeps every
// finding (kept + suppressed = input) and says why for each it suppressed.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "policy/internal.h"
#include "policy/policy.h"

namespace drydock::fuzz {
namespace {

using namespace drydock::policy;

void CheckError(const Error& e, std::string_view name) {
  FUZZ_CHECK(e.kind == Error::Kind::kInput, "non-input error: %s", e.message.c_str());
  FUZZ_CHECK(e.message.find('\n') == std::string::npos, "multi-line error: %s", e.message.c_str());
  FUZZ_CHECK(e.message.size() <= 1000, "error of %zu bytes", e.message.size());
  FUZZ_CHECK(name.empty() || e.message.starts_with(name), "error does not name the file: %s", e.message.c_str());
}

std::vector<Finding> SampleFindings() {
  std::vector<Finding> out;
  for (const char* version : {"1.1.1n-0+deb11u3", "1.1.1n-0+deb11u5", "1:2.0"}) {
    Finding f;
    f.rule_id = "CVE-2023-0286";
    f.kind = FindingKind::kVulnerability;
    f.location = {0, "sha256:" + std::string(64, '1'), "", "/var/lib/dpkg/status", 0, ""};
    VulnerabilityDetail v;
    v.id = f.rule_id;
    v.aliases = {"DSA-5343-1", "GHSA-abcd"};
    v.package_name = "openssl";
    v.package_id = "0123456789abcdef";
    v.installed_version = version;
    v.purl = std::string("pkg:deb/debian/openssl@") + version + "?arch=amd64&distro=debian-11";
    f.vuln = v;
    out.push_back(f);
  }
  Finding secret;
  secret.rule_id = "DD-SECRET-github-pat";
  secret.kind = FindingKind::kSecret;
  secret.location.path = "/app/.env";
  Location more = secret.location;
  more.path = "/srv/x/.env";
  secret.more_locations = {more};
  out.push_back(secret);
  Finding root;
  root.rule_id = "DD-CIS-4.1";
  root.location.config_field = "config.User";
  out.push_back(root);
  return out;
}

void CheckApply(std::shared_ptr<PolicyData> data) {
  ImageInfo image;
  image.manifest_digest = Digest{"sha256", std::string(64, 'b')};
  image.repo_tags = {"example.com/app:1"};
  Inventory inv;
  Package p;
  p.purl = "pkg:golang/example.com/app@v1.0.0";
  inv.packages = {p};
  const std::vector<Finding> findings = SampleFindings();
  const Applied a = Apply(Policy(std::move(data)), findings, {&inv, &image});
  FUZZ_CHECK(a.kept.size() + a.suppressed.size() == findings.size(), "Apply lost findings");
  for (const Finding& f : a.suppressed) {
    FUZZ_CHECK(f.suppression.has_value() && !f.suppression->kind.empty() && !f.suppression->source.empty() &&
                   !f.suppression->reason.empty(),
               "a suppressed finding without a full reason");
  }
  for (const Finding& f : a.kept) FUZZ_CHECK(!f.suppression.has_value(), "a kept finding with a suppression");
}

void Run(std::string_view data) {
  if (data.empty()) return;
  const int which = static_cast<unsigned char>(data[0]) % 5;
  data.remove_prefix(1);
  const Date today{2024, 6, 1};
  auto pd = std::make_shared<PolicyData>();
  switch (which) {
    case 0: {
      auto r = ParseIgnoreFile(data, "f.ignore", today, pd->warnings);
      if (!r.ok()) return CheckError(r.error(), "f.ignore");
      Say("ignore", std::to_string(r->lines.size()) + " lines");
      pd->ignore = std::move(*r);
      return CheckApply(pd);
    }
    case 1: {
      auto r = ParsePolicyFile(data, "p.yaml", today, pd->warnings);
      if (!r.ok()) return CheckError(r.error(), "p.yaml");
      Say("policy", std::to_string(r->entries.size()) + " entries");
      pd->policy = std::move(*r);
      return CheckApply(pd);
    }
    case 2: {
      const Status s = AddVexDocument(pd->vex, data, "v.json");
      if (!s.ok()) return CheckError(s.error(), "v.json");
      FUZZ_CHECK(pd->vex.claims.size() <= kMaxVexClaims, "claims over the limit");
      IndexVex(pd->vex);
      Say("vex", std::to_string(pd->vex.statements.size()) + " statements");
      return CheckApply(pd);
    }
    case 3: {
      const size_t nul = data.find('\0');
      const std::string_view a = data.substr(0, nul);
      const std::string_view b = nul == std::string_view::npos ? std::string_view() : data.substr(nul + 1);
      auto p = ParsePurl(a);
      if (!p.ok()) {
        CheckError(p.error(), "");
      } else {
        FUZZ_CHECK(PurlCovers(*p, *p), "a purl does not cover itself");
        FUZZ_CHECK(!p->name.empty() && !p->type.empty(), "a purl without type or name");
      }
      auto g = CompileGlob(a);
      if (g.ok()) {
        (void)g->Match(b);
      } else {
        CheckError(g.error(), "");
      }
      return;
    }
    default:
      break;
  }
  for (VersionScheme scheme :
       {VersionScheme::kDpkg, VersionScheme::kApk, VersionScheme::kRpm, VersionScheme::kPep440, VersionScheme::kSemver,
        VersionScheme::kGo, VersionScheme::kMaven, VersionScheme::kRubyGems, VersionScheme::kCargo,
        VersionScheme::kNuGet, VersionScheme::kComposer}) {
    const size_t nul = data.find('\0');
    auto r = ParseVersionRange(data.substr(0, nul), scheme);
    if (!r.ok()) {
      CheckError(r.error(), "");
      continue;
    }
    FUZZ_CHECK(!r->bounds.empty(), "a range without bounds");
    if (nul != std::string_view::npos) (void)InRange(*r, data.substr(nul + 1));
  }
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  drydock::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
