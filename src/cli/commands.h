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
#include "source/source.h"

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

// The flags that say where and how to read a target, shared by every
// command that takes one (image, sbom, harden, compare): --platform and the
// registry flags.
struct SourceFlags {
  std::string platform;
  std::string username;
  bool password_stdin = false;
  std::vector<std::string> registry_ca;
  std::vector<std::string> insecure_registries;
  bool allow_foreign_layers = false;
};

// Adds --platform, --username, --password-stdin, --registry-ca,
// --insecure-registry and --allow-foreign-layers.
void AddSourceFlags(CLI::App* sub, SourceFlags& f);

// SourceOptions from the flags (reads the password from stdin when asked;
// `quiet` silences registry warnings). Usage errors for a bad --platform or
// --password-stdin without --username.
Result<SourceOptions> MakeSourceOptions(const SourceFlags& f, bool quiet);

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
