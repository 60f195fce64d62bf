// `drydock dockerfile PATH...` and `drydock compose FILE...`: lint
// Dockerfiles and audit compose files without a daemon.
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "base/memory.h"
#include "lint/lint.h"
#include "cli/commands.h"
#include "report/report.h"

namespace drydock {

namespace {

struct LintFlags : ReportFlags {
  std::vector<std::string> paths;
  std::string trusted_registries;
  std::vector<std::string> require_labels;  // Hadolint's --require-label NAME:TYPE
  bool strict_labels = false;
  bool forbid_inline_ignores = false;
  bool dump_instructions = false;  // hidden: the instruction split, for the docker oracle test
  bool dump_model = false;         // hidden: the merged compose model, for the docker-compose oracle test
};

Result<std::string> ReadInput(const std::string& path) {
  if (path == "-") {
    std::string data((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    if (data.size() > kMaxDockerfileBytes) return InputError("stdin: larger than {} MiB", kMaxDockerfileBytes >> 20);
    return data;
  }
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return InputError("{}: {}", path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) return InputError("{}: not a regular file", path);
  if (static_cast<size_t>(st.st_size) > kMaxDockerfileBytes) {
    return InputError("{}: {} bytes is larger than the {} MiB a Dockerfile may have", path, st.st_size,
                      kMaxDockerfileBytes >> 20);
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError("{}: cannot open: {}", path, std::strerror(errno));
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// A directory means its Dockerfile.
std::string DockerfilePath(const std::string& p) {
  struct stat st {};
  if (p != "-" && stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode))
    return p + (p.ends_with("/") ? "" : "/") + "Dockerfile";
  return p;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out;
}

int Finish(const LintFlags& f, ScanResult& scan) {
  auto format = ParseReportFormat(f.format);
  if (!format.ok()) return Fail(format.error());
  if (*format != ReportFormat::kTable && *format != ReportFormat::kJson && *format != ReportFormat::kSarif) {
    return Fail(UsageError("--format {}: want table, json or sarif", f.format));
  }
  if (auto s = FilterSeverity(f.severity, scan.findings); !s.ok()) return Fail(s.error());
  ReportOptions ropts;
  ropts.tool_version = DRYDOCK_VERSION;
  ropts.color = *format == ReportFormat::kTable && WantColor(f.output);
  if (auto s = WriteReport(f.output, *format, scan, ropts); !s.ok()) return Fail(s.error());
  return f.exit_code != 0 && !scan.findings.empty() ? f.exit_code : 0;
}

// One JSON object per instruction: {"file","line","end_line","keyword","text","heredocs"}.
std::string DumpInstructions(const Dockerfile& df) {
  std::string out;
  for (const Instruction& ins : df.instructions) {
    nlohmann::json j = {{"file", df.path},      {"line", ins.line},       {"end_line", ins.end_line},
                        {"column", ins.column}, {"keyword", ins.keyword}, {"text", ins.joined},
                        {"json", ins.json},     {"stage", ins.stage},     {"heredocs", ins.heredocs.size()}};
    out += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  }
  return out;
}

// --require-label NAME:TYPE (Hadolint's label schema types; "hash" is
// Hadolint's spelling of githash).
Result<std::map<std::string, std::string>> LabelSchema(const std::vector<std::string>& specs) {
  std::map<std::string, std::string> out;
  for (const std::string& spec : specs) {
    const size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0)
      return UsageError("--require-label {:?}: want NAME:TYPE (TYPE one of text, url, rfc3339, spdx, hash, semver, email)",
                        spec);
    std::string type = spec.substr(colon + 1);
    if (type == "hash") type = "githash";
    if (type == "rawtext") type = "text";
    static const std::set<std::string, std::less<>> kTypes = {"text",    "url",    "rfc3339", "spdx",
                                                               "githash", "semver", "email"};
    if (!kTypes.contains(type))
      return UsageError("--require-label {:?}: unknown type {:?} (text, url, rfc3339, spdx, hash, semver, email)", spec,
                        spec.substr(colon + 1));
    out[spec.substr(0, colon)] = type;
  }
  return out;
}

int RunDockerfile(const LintFlags& f) {
  LintOptions opts;
  opts.trusted_registries = SplitComma(f.trusted_registries);
  auto schema = LabelSchema(f.require_labels);
  if (!schema.ok()) return Fail(schema.error());
  opts.label_schema = std::move(*schema);
  opts.strict_labels = f.strict_labels;
  opts.forbid_inline_ignores = f.forbid_inline_ignores;
  ScanResult scan;
  scan.scanners = {"dockerfile"};
  std::vector<std::string> names;
  std::string dump;
  for (const std::string& p : f.paths) {
    const std::string path = DockerfilePath(p);
    auto text = ReadInput(path);
    if (!text.ok()) return Fail(text.error());
    auto df = ParseDockerfile(*text, path == "-" ? "stdin" : path);
    if (!df.ok()) return Fail(df.error());
    names.push_back(path == "-" ? "stdin" : path);
    if (f.dump_instructions) {
      dump += DumpInstructions(*df);
      continue;
    }
    for (Finding& finding : LintDockerfile(*df, opts)) scan.findings.push_back(std::move(finding));
  }
  if (f.dump_instructions) {
    if (auto s = WriteOutput(f.output, dump); !s.ok()) return Fail(s.error());
    return 0;
  }
  scan.target = Join(names);
  return Finish(f, scan);
}

nlohmann::json ModelJson(const ComposeNode& n) {
  switch (n.kind) {
    case ComposeNode::Kind::kNull:
      return nullptr;
    case ComposeNode::Kind::kScalar:
      return n.scalar;
    case ComposeNode::Kind::kSeq: {
      nlohmann::json a = nlohmann::json::array();
      for (const auto& e : n.seq) a.push_back(ModelJson(e));
      return a;
    }
    case ComposeNode::Kind::kMap: {
      nlohmann::json o = nlohmann::json::object();
      for (const auto& [k, v] : n.map) o[k] = ModelJson(v);
      return o;
    }
  }
  return nullptr;
}

int RunCompose(const LintFlags& f) {
  LintOptions opts;
  opts.trusted_registries = SplitComma(f.trusted_registries);
  auto project = LoadCompose(f.paths, ComposeOptions{});
  if (!project.ok()) return Fail(project.error());
  if (f.dump_model) {
    const std::string text =
        ModelJson(project->root).dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    if (auto s = WriteOutput(f.output, text); !s.ok()) return Fail(s.error());
    return 0;
  }
  ScanResult scan;
  scan.scanners = {"compose"};
  scan.target = Join(f.paths);
  scan.findings = LintCompose(*project, opts);
  // The findings copy what they say; the model (and the YAML behind it) is
  // released before the report is written, which needs memory of its own.
  project = ComposeProject{};
  ReleaseFreedMemory();
  return Finish(f, scan);
}

void CommonFlags(CLI::App* sub, LintFlags& f) {
  AddReportFlags(sub, f, "table, json or sarif");
  sub->add_option("--trusted-registries", f.trusted_registries,
                  "comma-separated registries base images may come from (docker.io,ghcr.io,…)");
}

}  // namespace

std::vector<Command> LintCommands(CLI::App& app) {
  static LintFlags dockerfile;
  auto* df = app.add_subcommand("dockerfile", "Lint Dockerfiles (BuildKit-compatible parser, 90+ rules, Hadolint pragmas)");
  df->add_option("paths", dockerfile.paths, "Dockerfile paths (a directory means DIR/Dockerfile; - is stdin)")
      ->required();
  CommonFlags(df, dockerfile);
  df->add_option("--require-label", dockerfile.require_labels,
                 "a label every stage must have, with the type of its value: NAME:TYPE, TYPE one of text, url, "
                 "rfc3339, spdx, hash, semver, email (repeatable; Hadolint's label schema)");
  df->add_flag("--strict-labels", dockerfile.strict_labels, "report labels that are not in the --require-label schema");
  df->add_flag("--forbid-inline-ignores", dockerfile.forbid_inline_ignores,
               "report '# hadolint ignore=' / '# drydock ignore=' pragmas themselves (Hadolint DL1001)");
  df->add_flag("--dump-instructions", dockerfile.dump_instructions,
               "print the parsed instructions as JSON lines (for parser tests)")
      ->group("");

  static LintFlags compose;
  auto* cp = app.add_subcommand("compose", "Audit compose files (merged like docker compose config)");
  cp->add_option("files", compose.paths, "compose files, merged in order")->required();
  CommonFlags(cp, compose);
  cp->add_flag("--dump-model", compose.dump_model, "print the merged compose model as JSON (for tests)")->group("");
  return {{df, [] { return RunDockerfile(dockerfile); }}, {cp, [] { return RunCompose(compose); }}};
}

}  // namespace drydock
