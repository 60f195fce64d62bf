// `drydock harden TARGET`: the least-privilege way to run an image, as a
// docker run script, a compose service, a Kubernetes Pod or a seccomp
// profile (src/harden/).
#include <unistd.h>

#include "cli/commands.h"
#include "cli/progress.h"
#include "cli/scan.h"
#include "harden/harden.h"
#include "report/report.h"

namespace drydock {

namespace {

struct HardenFlags {
  std::string target;
  std::string format = "run";
  std::string output;
  SourceFlags source;
  HardenLimits limits;
  bool quiet = false;
};

int RunHarden(const HardenFlags& f) {
  std::string (*render)(const HardenProfile&) = nullptr;
  if (f.format == "run") render = &RenderRun;
  if (f.format == "compose") render = &RenderCompose;
  if (f.format == "k8s" || f.format == "kubernetes") render = &RenderKubernetes;
  if (f.format == "seccomp") render = &RenderSeccomp;
  if (!render) return Fail(UsageError("harden --format {}: want run, compose, k8s or seccomp", f.format));
  if (f.limits.pids_limit < 1) return Fail(UsageError("--pids-limit {}: want a positive number", f.limits.pids_limit));
  for (const auto& [flag, v] : {std::pair{"--memory", f.limits.memory}, std::pair{"--cpus", f.limits.cpus},
                                std::pair{"--name", f.limits.name}, std::pair{"--network", f.limits.network}}) {
    // The values end up in shell, YAML and JSON: keep them to plain tokens.
    if (v.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") != std::string::npos)
      return Fail(UsageError("{} {:?}: want letters, digits, '.', '_' or '-'", flag, v));
  }
  ScanOptions opts;
  // ReadImage runs no scanner; "misconfig" with checks on makes the walk
  // capture the files the image checks read (/etc/passwd and /etc/group for
  // the user decision).
  opts.scanners = {"misconfig"};
  opts.checks = true;
  auto source = MakeSourceOptions(f.source, f.quiet);
  if (!source.ok()) return Fail(source.error());
  opts.source = std::move(source).value();
  Progress progress(!f.quiet && isatty(STDERR_FILENO), 0);
  opts.on_progress = [&](int64_t n) { progress.Add(n); };
  auto read = ReadImage(f.target, opts);
  progress.Done();
  if (!read.ok()) return Fail(read.error());
  HardenProfile profile = DecideProfile(HardenInput{read->image, *read->view, read->os, f.target}, f.limits);
  if (auto s = WriteOutput(f.output, render(profile)); !s.ok()) return Fail(s.error());
  return 0;
}

}  // namespace

std::vector<Command> HardenCommands(CLI::App& app) {
  static HardenFlags flags;  // lives as long as the app: the callback runs after parsing
  auto* sub =
      app.add_subcommand("harden", "Least-privilege run profile for an image (docker run, compose, k8s, seccomp)");
  sub->add_option("target", flags.target,
                  "FILE.tar | docker-archive:FILE | oci:DIR[:TAG] | dir:ROOTFS | docker:NAME | NAME")
      ->required();
  sub->add_option("-f,--format", flags.format, "run (docker run script), compose, k8s or seccomp")
      ->capture_default_str();
  sub->add_option("-o,--output", flags.output, "write to FILE (atomically) instead of stdout");
  AddSourceFlags(sub, flags.source);
  sub->add_option("--name", flags.limits.name, "container/service name (default: from the image name)");
  sub->add_option("--network", flags.limits.network, "user-defined network (default: NAME-net)");
  sub->add_option("--memory", flags.limits.memory, "memory limit")->capture_default_str();
  sub->add_option("--cpus", flags.limits.cpus, "CPU limit")->capture_default_str();
  sub->add_option("--pids-limit", flags.limits.pids_limit, "process/thread limit")->capture_default_str();
  sub->add_flag("-q,--quiet", flags.quiet, "no progress");
  return {{sub, [] { return RunHarden(flags); }}};
}

}  // namespace drydock
