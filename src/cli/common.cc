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

}  // namespace drydock
