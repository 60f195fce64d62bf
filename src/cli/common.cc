#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/commands.h"

namespace drydock {

int Fail(const Error& e) {
  std::string m = e.message;
  for (auto& c : m) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::fprintf(stderr, "drydock: %s\n", m.c_str());
  return kExitError;
}

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(',', i);
    if (j == std::string::npos) j = s.size();
    if (j > i) out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Status FilterSeverity(const std::string& spec, std::vector<Finding>& findings) {
  if (spec.empty()) return Ok();
  std::vector<Severity> keep;
  for (const auto& s : SplitComma(spec)) {
    ASSIGN_OR_RETURN(Severity sev, ParseSeverity(s));
    keep.push_back(sev);
  }
  std::erase_if(findings,
                [&](const Finding& f) { return std::find(keep.begin(), keep.end(), f.severity) == keep.end(); });
  return Ok();
}

bool WantColor(const std::string& output) {
  const bool to_stdout = output.empty() || output == "-";
  return to_stdout && isatty(STDOUT_FILENO) && !std::getenv("NO_COLOR");
}

void AddReportFlags(CLI::App* sub, ReportFlags& f, const std::string& formats) {
  sub->add_option("-f,--format", f.format, formats)->capture_default_str();
  sub->add_option("-o,--output", f.output, "write the report to FILE (atomically) instead of stdout");
  sub->add_option("-s,--severity", f.severity, "report only findings of these severities, e.g. HIGH,CRITICAL");
  sub->add_option("--exit-code", f.exit_code, "exit with this status when findings remain after --severity");
  sub->add_flag("-q,--quiet", f.quiet, "no progress bar and no warnings on stderr");
  sub->add_flag("--no-progress", f.no_progress, "no progress bar");
}

void AddSourceFlags(CLI::App* sub, SourceFlags& f) {
  sub->add_option("--platform", f.platform, "OS/ARCH[/VARIANT] to pick from a multi-platform index");
  sub->add_option("--username", f.username, "registry user name (with --password-stdin)");
  sub->add_flag("--password-stdin", f.password_stdin, "read the registry password or token from stdin");
  sub->add_option("--registry-ca", f.registry_ca, "PEM file of a CA to trust for registries, beside the system's")
      ->type_size(1)
      ->allow_extra_args(false);
  sub->add_option("--insecure-registry", f.insecure_registries,
                  "HOST[:PORT] that may be reached over plain HTTP or unverified TLS")
      ->type_size(1)
      ->allow_extra_args(false);
  sub->add_flag("--allow-foreign-layers", f.allow_foreign_layers,
                "fetch non-distributable layers from the URLs their manifest names");
}

Result<SourceOptions> MakeSourceOptions(const SourceFlags& f, bool quiet) {
  SourceOptions o;
  if (!f.platform.empty()) {
    ASSIGN_OR_RETURN(o.platform, Platform::Parse(f.platform));
    o.platform_explicit = true;
  }
  if (f.password_stdin && f.username.empty()) return UsageError("--password-stdin needs --username");
  if (!f.username.empty() && !f.password_stdin) return UsageError("--username needs --password-stdin");
  o.registry.username = f.username;
  if (f.password_stdin) {
    std::string pw;
    char buf[4096];
    size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0) {
      pw.append(buf, n);
      if (pw.size() > (64 << 10)) return UsageError("--password-stdin: more than 64 KiB on stdin");
    }
    while (!pw.empty() && (pw.back() == '\n' || pw.back() == '\r')) pw.pop_back();
    if (pw.empty()) return UsageError("--password-stdin: nothing on stdin");
    o.registry.password = std::move(pw);
  }
  o.registry.ca_files = f.registry_ca;
  o.registry.insecure_hosts = f.insecure_registries;
  o.registry.allow_foreign_layers = f.allow_foreign_layers;
  o.registry.quiet = quiet;
  // No byte for this long ends a registry transfer (default 30 s).
  if (const char* t = std::getenv("DRYDOCK_STALL_TIMEOUT"); t && *t) {
    char* end = nullptr;
    long v = std::strtol(t, &end, 10);
    if (*end != '\0' || v < 1 || v > 3600) return UsageError("DRYDOCK_STALL_TIMEOUT={:?}: want seconds, 1 to 3600", t);
    o.registry.stall_timeout_s = static_cast<int>(v);
  }
  return o;
}

}  // namespace drydock
