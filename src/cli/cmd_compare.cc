#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>

#include "base/path.h"
#include "cli/commands.h"
#include "cli/config.h"
#include "cli/progress.h"
#include "cli/scan.h"
#include "model/compare.h"
#include "report/compare.h"
#include "vuln/db.h"

namespace drydock {

namespace {

constexpr char kDefaultScanners[] = "vuln,secret,misconfig";

struct CompareFlags : ReportFlags {
  std::string a;
  std::string b;
  SourceFlags source;
  std::string scanners = kDefaultScanners;
  const CLI::Option* scanners_option = nullptr;  // says whether --scanners was given
  std::string secret_config;
  bool ignore_unfixed = false;
};

bool Has(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

int64_t SizeHint(const std::string& target) {
  std::string path = target.starts_with("docker-archive:") ? target.substr(15) : target;
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size : 0;
}

// Scans one side; an error names the side and its target ("B (x.tar): …").
Result<ScanResult> ScanSide(std::string_view side, const std::string& target, ScanOptions opts, const CompareFlags& f) {
  Progress progress(!f.quiet && !f.no_progress && isatty(STDERR_FILENO), SizeHint(target));
  opts.on_progress = [&](int64_t n) { progress.Add(n); };
  auto scan = ScanImage(target, opts);
  progress.Done();
  if (!scan.ok()) {
    // Errors about the flags (a scanner name, the rules file) come before
    // the target is opened and hold for both sides: they name no side.
    const std::string& m = scan.error().message;
    if ((scan.error().kind == Error::Kind::kUsage && m.starts_with("--")) ||
        (!f.secret_config.empty() && m.starts_with(Printable(f.secret_config) + ":"))) {
      return scan.error();
    }
    const std::string name = Printable(target);
    std::string_view message = scan.error().message;
    // Most errors already start with the target; it is said once.
    if (message.starts_with(name + ": ")) message.remove_prefix(name.size() + 2);
    return Error{scan.error().kind, fmt::format("{} ({}): {}", side, name, message)};
  }
  if (!f.quiet && !scan->diagnostics.empty()) {
    std::fprintf(stderr,
                 "drydock: warning: partial scan of %s, %zu file(s) could not be read (`drydock image --format json` "
                 "lists them)\n",
                 std::string(side).c_str(), scan->diagnostics.size());
  }
  return scan;
}

int RunCompare(const CompareFlags& f) {
  auto format = ParseCompareFormat(f.format);
  if (!format.ok()) return Fail(format.error());
  auto source = MakeSourceOptions(f.source, f.quiet);
  if (!source.ok()) return Fail(source.error());
  // A bad --severity is said before two scans, not after.
  std::vector<Finding> none;
  if (auto s = FilterSeverity(f.severity, none); !s.ok()) return Fail(s.error());
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  ScanOptions opts;
  opts.source = std::move(source).value();
  opts.scanners = SplitComma(f.scanners);
  const bool asked = f.scanners_option != nullptr && f.scanners_option->count() > 0;
  auto vuln_skipped = PrepareVulnDb(*cfg, asked, opts.scanners);
  if (!vuln_skipped.ok()) return Fail(vuln_skipped.error());
  opts.inventory = true;
  opts.secret_config = f.secret_config;
  opts.vuln_db = cfg->DbPath();
  opts.cache_dir = cfg->cache_dir;
  opts.layer_cache = !cfg->no_cache;
  opts.cache_max_bytes = cfg->cache_max_bytes;
  opts.include_unfixed = !f.ignore_unfixed;
  if (Has(opts.scanners, "vuln") && !f.quiet) WarnIfDbStale(*cfg);

  // One after the other: each scan already reads its layers on several
  // threads, and two at once would race on the caches' temporary files.
  auto a = ScanSide("A", f.a, opts, f);
  if (!a.ok()) return Fail(a.error());
  auto b = ScanSide("B", f.b, opts, f);
  if (!b.ok()) return Fail(b.error());
  for (ScanResult* scan : {&*a, &*b}) {
    ApplyRuleOverrides(*cfg, scan->findings);
    if (auto s = FilterSeverity(f.severity, scan->findings); !s.ok()) return Fail(s.error());
  }

  if (*vuln_skipped && !f.quiet) std::fprintf(stderr, "%s\n", VulnSkippedWarning(*cfg).c_str());
  const Comparison c = Compare(*a, *b);
  ReportOptions ropts;
  ropts.tool_version = DRYDOCK_VERSION;
  ropts.color = *format == CompareFormat::kTable && WantColor(f.output);
  if (auto s = WriteOutput(f.output, RenderCompare(*format, c, ropts)); !s.ok()) return Fail(s.error());
  return f.exit_code != 0 && !Introduced(c).empty() ? f.exit_code : 0;
}

}  // namespace

std::vector<Command> CompareCommands(CLI::App& app) {
  // Flags live as long as the app: the callbacks run after parsing.
  static CompareFlags flags;
  auto* cmd = app.add_subcommand(
      "compare", "Compare two images: packages, vulnerabilities, findings, layers and size (A is the base)");
  constexpr char kTargets[] =
      "FILE.tar | docker-archive:FILE | oci:DIR[:TAG] | dir:ROOTFS | docker:NAME | registry:REF | NAME";
  cmd->add_option("a", flags.a, std::string("the base image: ") + kTargets)->required();
  cmd->add_option("b", flags.b, "the image compared with it (same forms)")->required();
  AddReportFlags(cmd, flags, "table, json or markdown (a pull-request comment)");
  cmd->get_option("--severity")
      ->description("compare only vulnerabilities and findings of these severities, e.g. HIGH,CRITICAL");
  cmd->get_option("--exit-code")
      ->description(
          "exit with this status when B adds vulnerabilities (new in B) or findings (a fingerprint A lacks) of a "
          "--severity severity (default: any)");
  AddSourceFlags(cmd, flags.source);
  flags.scanners_option =
      cmd->add_option("--scanners", flags.scanners,
                      "comma-separated scanners: vuln, secret, misconfig (by default vuln is skipped with a "
                      "warning when there is no database)")
          ->capture_default_str();
  cmd->add_flag("--ignore-unfixed", flags.ignore_unfixed, "compare only vulnerabilities that have a fixed version");
  cmd->add_option("--secret-config", flags.secret_config,
                  "YAML file that adds, disables or allow-lists secret rules (see docs/secrets.md)");
  cmd->footer(
      "Both images are scanned with the same scanners, inventory included. Exit status: 2 on an error (one line "
      "naming A or B), N from --exit-code when B adds a vulnerability or finding left by --severity, else 0.");
  return {{cmd, [] { return RunCompare(flags); }}};
}

}  // namespace drydock
