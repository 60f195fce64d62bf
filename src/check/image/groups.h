// Internal to check/image/: each group file appends its rules to the table.
// The list of groups is checks.inc.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "check/image/check.h"

namespace drydock {

#define DRYDOCK_CHECK_GROUP(fn) void fn(std::vector<CheckRule>& rules);
#include "check/image/checks.inc"
#undef DRYDOCK_CHECK_GROUP

// ---- helpers the group files share (image_checks.cc) ----

// A finding for `rule` at `path` of the merged view, in layer `layer` (the
// view node's layer; -1 when unknown): diff_id and created_by come from
// the image's layer list.
Finding FindingAtPath(const CheckRule& rule, const ImageCheckInput& in, std::string_view path, int layer);

// A finding for `rule` tied to config.history[index]: created_by is that
// entry, and the layer it made when it made one.
Finding FindingAtHistory(const CheckRule& rule, const ImageCheckInput& in, size_t index);

// One build step as the image history records it, whichever builder wrote
// it: instruction ("RUN", "ADD", "COPY", "ENV", "ARG", "EXPOSE", …), its
// arguments (for RUN, the shell command without "/bin/sh -c"), and the
// build arguments a RUN saw ("|2 A=1 B=2 /bin/sh -c …").
struct HistoryStep {
  std::string instruction;
  std::string args;
  std::vector<std::pair<std::string, std::string>> build_args;
};
HistoryStep ParseHistoryStep(std::string_view created_by);

// The simple commands of a shell command line: split at ;, &&, ||, |, & and
// newlines, each trimmed and split into words (quotes removed, no
// expansion). Good enough to recognise "apt-get update" or "curl … | sh".
std::vector<std::vector<std::string>> ShellCommands(std::string_view cmd);

// True when the distro is Alpine-like (apk) / Debian-like (apt).
bool IsApkDistro(const std::optional<OsRelease>& os);
bool IsAptDistro(const std::optional<OsRelease>& os);

}  // namespace drydock
