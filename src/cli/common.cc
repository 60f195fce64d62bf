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

}  // namespace drydock
