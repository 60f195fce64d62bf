#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <ctime>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/fleet.h"
#include "cli/progress.h"
#include "cli/remote.h"
#include "cli/scan.h"
#include "policy/policy.h"
#include "report/report.h"

namespace drydock {

namespace {

struct ImageFlags : ReportFlags {
  std::string target;
  SourceFlags source;
  std::string scanners = "vuln,secret,misconfig";
  const CLI::Option* scanners_option = nullptr;  // says whether --scanners was given
  std::string secret_config;
  bool list_all_pkgs = false;
  bool ignore_unfixed = false;
  bool sbom = false;  // the `sbom` command: inventory only
  // Suppression (src/policy, docs/policy.md).
  std::string ignorefile;
  std::string ignore_policy;
  std::vector<std::string> vex;
  bool show_suppressed = false;
  // Client mode (docs/fleet.md): the scan runs on a fleet server.
  std::string server;
  std::string token_file;
};

// The ignore file, policy and VEX documents the flags name, read before the
// scan so that a malformed one stops it early. "Today" is DRYDOCK_TODAY
// when set (tests), else the UTC date.
Result<policy::Policy> LoadPolicy(const ImageFlags& f) {
  if (f.sbom) return policy::Policy();
  ASSIGN_OR_RETURN(policy::Date today, policy::Today(std::getenv("DRYDOCK_TODAY"), std::time(nullptr)));
  policy::LoadOptions o;
  o.today = today;
  o.ignore_file = f.ignorefile;
  o.policy_file = f.ignore_policy;
  o.vex_files = f.vex;
  return policy::Load(o);
}

int64_t SizeHint(const std::string& target) {
  std::string path = target.starts_with("docker-archive:") ? target.substr(15) : target;
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
}

// The scan of `opts` run by the fleet at --server. What only this machine
// knows (a secret rules file, registry credentials) cannot travel with it.
Result<ScanResult> ScanOnServer(const ImageFlags& f, const ScanOptions& opts) {
  if (!f.secret_config.empty()) return UsageError("--secret-config cannot be used with --server (the workers' rules apply)");
  if (!f.source.username.empty() || f.source.password_stdin || !f.source.registry_ca.empty() ||
      !f.source.insecure_registries.empty() || f.source.allow_foreign_layers) {
    return UsageError("registry flags cannot be used with --server (the workers' registry settings apply)");
  }
  RemoteOptions remote;
  remote.server = f.server;
  if (!f.token_file.empty()) {
    ASSIGN_OR_RETURN(remote.token, ReadTokenFile(f.token_file));
  }
  const bool show = !f.quiet && !f.no_progress && isatty(STDERR_FILENO);
  remote.on_state = [show](const std::string& st) {
    if (show) std::fprintf(stderr, "drydock: server: %s\n", st.c_str());
  };
  server::ScanRequestOptions o;
  o.scanners = opts.scanners;
  o.checks = opts.checks;
  o.inventory = opts.inventory;
  o.include_unfixed = opts.include_unfixed;
  o.platform = f.source.platform;
  return ScanRemote(f.target, o, remote);
}

int RunImage(const ImageFlags& f) {
  auto format = ParseReportFormat(f.format);
  if (!format.ok()) return Fail(format.error());
  ScanOptions opts;
  opts.scanners = f.sbom ? std::vector<std::string>{} : SplitComma(f.scanners);
  opts.checks = !f.sbom;
  opts.secret_config = f.secret_config;
  opts.inventory = f.sbom || f.list_all_pkgs || NeedsInventory(*format);
  if (f.sbom && !NeedsInventory(*format) && *format != ReportFormat::kJson && *format != ReportFormat::kTable) {
    return Fail(UsageError("sbom --format {}: want cyclonedx, spdx-json, json or table", f.format));
  }
  auto source = MakeSourceOptions(f.source, f.quiet);
  if (!source.ok()) return Fail(source.error());
  opts.source = std::move(source).value();
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  auto pol = LoadPolicy(f);
  if (!pol.ok()) return Fail(pol.error());
  if (!f.quiet) {
    for (const std::string& w : pol->warnings()) std::fprintf(stderr, "drydock: warning: %s\n", w.c_str());
  }
  opts.vuln_db = cfg->DbPath();
  opts.cache_dir = cfg->cache_dir;
  opts.layer_cache = !cfg->no_cache;
  opts.cache_max_bytes = cfg->cache_max_bytes;
  opts.include_unfixed = !f.ignore_unfixed;
  const bool asked = f.scanners_option != nullptr && f.scanners_option->count() > 0;
  auto vuln_skipped = PrepareVulnDb(*cfg, asked, opts.scanners);
  if (!vuln_skipped.ok()) return Fail(vuln_skipped.error());
  const bool vuln = std::find(opts.scanners.begin(), opts.scanners.end(), "vuln") != opts.scanners.end();
  if (vuln && !f.quiet && f.server.empty()) WarnIfDbStale(*cfg);
  Progress progress(!f.quiet && !f.no_progress && isatty(STDERR_FILENO), SizeHint(f.target));
  opts.on_progress = [&](int64_t n) { progress.Add(n); };
  Result<ScanResult> scan = f.server.empty() ? ScanImage(f.target, opts) : ScanOnServer(f, opts);
  progress.Done();
  if (!scan.ok()) return Fail(scan.error());
  // Suppressed findings leave the --exit-code gate but stay in the reports.
  // Applied before the inventory is dropped: VEX products are matched to it.
  const Inventory* inv = scan->inventory ? &*scan->inventory : nullptr;
  policy::Applied applied = policy::Apply(*pol, std::move(scan->findings), {inv, &scan->image});
  scan->findings = std::move(applied.kept);
  scan->suppressed = std::move(applied.suppressed);
  // The vulnerability scan needs the inventory; it is printed only when asked
  // (the HTML report lists the packages whenever it has them).
  if (!f.sbom && !f.list_all_pkgs && !NeedsInventory(*format) && *format != ReportFormat::kHtml) {
    scan->inventory.reset();
  }
  ApplyRuleOverrides(*cfg, scan->findings);
  if (auto s = FilterSeverity(f.severity, scan->findings); !s.ok()) return Fail(s.error());
  ApplyRuleOverrides(*cfg, scan->suppressed);
  if (auto s = FilterSeverity(f.severity, scan->suppressed); !s.ok()) return Fail(s.error());
  ReportOptions ropts;
  ropts.show_suppressed = f.show_suppressed;
  ropts.tool_version = DRYDOCK_VERSION;
  ropts.color = *format == ReportFormat::kTable && WantColor(f.output);
  for (const std::string& name : SplitComma(f.severity)) {
    auto s = ParseSeverity(name);  // FilterSeverity has checked the names
    if (s.ok()) ropts.severity_floor = std::min(*s, ropts.severity_floor.value_or(*s));
  }
  if (auto s = WriteReport(f.output, *format, *scan, ropts); !s.ok()) return Fail(s.error());
  if (*vuln_skipped && !f.quiet) std::fprintf(stderr, "%s\n", VulnSkippedWarning(*cfg).c_str());
  if (!f.quiet && !scan->diagnostics.empty()) {
    std::fprintf(stderr,
                 "drydock: warning: partial scan, %zu file(s) could not be read (see diagnostics in the report)\n",
                 scan->diagnostics.size());
  }
  return f.exit_code != 0 && !scan->findings.empty() ? f.exit_code : 0;
}

}  // namespace

std::vector<Command> ImageCommands(CLI::App& app) {
  // Flags live as long as the app: the callbacks run after parsing.
  static ImageFlags image;
  auto* img = app.add_subcommand("image", "Scan a container image");
  img->add_option("target", image.target,
                  "FILE.tar | docker-archive:FILE | oci:DIR[:TAG] | dir:ROOTFS | docker:NAME | registry:REF | NAME")
      ->required();
  AddReportFlags(img, image, "table, json, sarif, junit, cyclonedx, spdx-json, html or markdown");
  AddSourceFlags(img, image.source);
  image.scanners_option =
      img->add_option("--scanners", image.scanners,
                      "comma-separated scanners: vuln, secret, misconfig (by default vuln is skipped with a "
                      "warning when there is no vulnerability database)")
          ->capture_default_str();
  img->add_flag("--ignore-unfixed", image.ignore_unfixed, "report only vulnerabilities that have a fixed version");
  img->add_option("--secret-config", image.secret_config,
                  "YAML file that adds, disables or allow-lists secret rules (see docs/secrets.md)");

  img->add_flag("--list-all-pkgs", image.list_all_pkgs, "list every package found (table and json)");
  img->add_option("--ignorefile", image.ignorefile,
                  "ids to suppress, one a line, Trivy's .trivyignore format (default: .drydockignore, else "
                  ".trivyignore, in the working directory)");
  img->add_option("--ignore-policy", image.ignore_policy,
                  "YAML file of suppressions by id, purl and version range, path or layer, each with a reason "
                  "(see docs/policy.md)");
  img->add_option("--vex", image.vex, "OpenVEX 0.2 or CycloneDX VEX document (repeatable)")
      ->type_size(1)
      ->allow_extra_args(false);
  img->add_flag("--show-suppressed", image.show_suppressed,
                "list suppressed findings in the table, with the reason and source");
  img->add_option("--server", image.server, "run the scan on a drydock fleet server (http://HOST:PORT)");
  img->add_option("--token-file", image.token_file, "file holding the bearer token for --server");

  static ImageFlags sbom;
  sbom.sbom = true;
  sbom.format = "cyclonedx";
  auto* sb = app.add_subcommand("sbom", "Inventory of an image as an SBOM (CycloneDX 1.6 or SPDX 2.3)");
  sb->add_option("target", sbom.target,
                 "FILE.tar | docker-archive:FILE | oci:DIR[:TAG] | dir:ROOTFS | docker:NAME | registry:REF | NAME")
      ->required();
  sb->add_option("-f,--format", sbom.format, "cyclonedx, spdx-json, json or table")->capture_default_str();
  sb->add_option("-o,--output", sbom.output, "write the SBOM to FILE (atomically) instead of stdout");
  AddSourceFlags(sb, sbom.source);
  sb->add_flag("-q,--quiet", sbom.quiet, "no progress and no warnings");
  sb->add_flag("--no-progress", sbom.no_progress, "no progress bar");
  sb->add_option("--server", sbom.server, "run the scan on a drydock fleet server (http://HOST:PORT)");
  sb->add_option("--token-file", sbom.token_file, "file holding the bearer token for --server");

  return {{img, [] { return RunImage(image); }}, {sb, [] { return RunImage(sbom); }}};
}

}  // namespace drydock
