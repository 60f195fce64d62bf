// The subcommands. Each command file adds its subcommand to the app and
// returns the function that runs it once argv has been parsed; the list of
// commands is explicit (commands.inc), one line per file.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/result.h"
#include "model/finding.h"

namespace drydock {

// Runs a parsed subcommand; returns the process exit status.
using CommandRun = std::function<int()>;
// One registration: the subcommand it added and how to run it.
struct Command {
  CLI::App* sub = nullptr;
  CommandRun run;
};

#define DRYDOCK_COMMAND(fn) std::vector<Command> fn(CLI::App& app);
#include "cli/commands.inc"
#undef DRYDOCK_COMMAND

// ---- helpers every command uses (cli/common.cc) ----

inline constexpr int kExitError = 2;

// The report flags `image`, the linters and the audits share.
struct ReportFlags {
  std::string format = "table";
  std::string output;
  std::string severity;
  int exit_code = 0;
  bool quiet = false;
  bool no_progress = false;
};

// Adds -f/--format (`formats` names the choices), -o/--output,
// -s/--severity, --exit-code, -q/--quiet and --no-progress (accepted by the
// commands without a progress bar too, so scripts can pass the same flags).
void AddReportFlags(CLI::App* sub, ReportFlags& f, const std::string& formats);

// One line on stderr ("drydock: message"), whatever the message holds;
// returns kExitError.
int Fail(const Error& e);

// "a,b,,c" → {"a","b","c"}.
std::vector<std::string> SplitComma(const std::string& s);

// Keeps findings whose severity is listed in `spec` ("HIGH,CRITICAL"); an
// empty spec keeps all.
Status FilterSeverity(const std::string& spec, std::vector<Finding>& findings);

// True when stdout is a terminal that wants colour (and NO_COLOR is unset)
// and the report goes to stdout.
bool WantColor(const std::string& output);

}  // namespace drydock
