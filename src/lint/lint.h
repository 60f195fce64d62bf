// Dockerfile and compose lint: rules as data, like the image checks
// (check.h). Each rule has an id (DD-DF-NNN / DD-CMP-NNN), a severity,
// rationale, remediation and Hadolint / Trivy / CIS cross-references, and a
// function that reads the parsed file and appends findings. The groups are
// listed explicitly in dockerfile/checks.inc and compose/checks.inc.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lint/compose/compose.h"
#include "lint/dockerfile/dockerfile.h"
#include "lint/dockerfile/shell.h"
#include "check/image/check.h"
#include "model/finding.h"

namespace drydock {

struct LintOptions {
  // Registries a FROM may pull from (DD-DF-025); empty: the rule is off.
  // "docker.io" also covers images named without a registry.
  // Entries may be wildcards as in Hadolint's allowedRegistries: "*" (any),
  // "*.example.com" (any subdomain).
  std::vector<std::string> trusted_registries;
  // Hadolint's labelSchema: label name → the value's type ("text", "url",
  // "rfc3339", "spdx", "githash", "semver", "email"). Empty: the label-schema
  // rules (DL3049-DL3056, DL3058) are off. strict_labels: labels not in the
  // schema are reported too (DL3050).
  std::map<std::string, std::string> label_schema;
  bool strict_labels = false;
  // Report inline ignore pragmas themselves (Hadolint DL1001, off by default
  // there too).
  bool forbid_inline_ignores = false;
};

// What the Dockerfile rules see: the parse, and each RUN's tokenized script
// (index-aligned with df.instructions; empty for other instructions) with
// each command's effective argv worked out once (argvs[i][j] is
// EffectiveArgv(scripts[i].commands[j])): some 40 rules walk the commands.
struct DockerfileCheckInput {
  const Dockerfile& df;
  const std::vector<ShellScript>& scripts;
  const LintOptions& opts;
  const std::vector<std::vector<std::vector<std::string>>>& argvs;
};

struct LintRule;
using DockerfileCheckFn = void (*)(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out);
using ComposeCheckFn = void (*)(const ComposeProject& project, const LintRule& rule, std::vector<Finding>& out);

struct LintRule {
  std::string_view id;  // "DD-DF-008", "DD-CMP-001"
  Severity severity;
  std::string_view title;
  std::string_view rationale;
  std::string_view remediation;
  std::vector<std::string_view> references;  // "Hadolint DL3008", "Trivy DS029", "CIS Docker Benchmark 4.1"
  DockerfileCheckFn dockerfile = nullptr;
  ComposeCheckFn compose = nullptr;
};

// Every Dockerfile rule / compose rule, in a fixed order.
std::span<const LintRule> DockerfileRules();
std::span<const LintRule> ComposeRules();

// Runs every Dockerfile rule, and the rules about instruction contents again
// over each stage's ONBUILD triggers (linted as the child build's
// instructions, reported at the ONBUILD line). Drops findings an inline
// "# drydock ignore=ID" or "# hadolint ignore=DLnnnn" on the line before the
// instruction names, and those a "# … global ignore=" names anywhere (a DL
// number covers every rule that references it). Findings carry path, line
// and column, sorted by line.
std::vector<Finding> LintDockerfile(const Dockerfile& df, const LintOptions& opts);

// Runs every compose rule over the merged model of a project.
std::vector<Finding> LintCompose(const ComposeProject& project, const LintOptions& opts);

// The ShellScript a RUN instruction runs (shell form, heredoc bodies fed to
// a shell, or the exec-form argv as one command).
ShellScript RunScript(const Instruction& ins);

// LooksLikeSecret and RedactValue (check/image/check.h) are shared with the
// image checks (CIS 4.10): one notion of a secret-looking ENV/ARG.

}  // namespace drydock
