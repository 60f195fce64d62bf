#include "check/image/check.h"
#include "check/image/groups.h"

namespace drydock {

namespace {

std::vector<CheckRule> BuildRules() {
  std::vector<CheckRule> rules;
#define DRYDOCK_CHECK_GROUP(fn) fn(rules);
#include "check/image/checks.inc"
#undef DRYDOCK_CHECK_GROUP
  return rules;
}

}  // namespace

std::span<const CheckRule> ImageCheckRules() {
  static const std::vector<CheckRule> kRules = BuildRules();  // immutable after first use
  return kRules;
}

FileWants ImageCheckWants() {
  FileWants w;
  // Accounts (4.1, empty passwords, duplicate ids). Other checks look at
  // entry metadata (modes, names) only and need no contents.
  w.globs = {"/etc/passwd", "/etc/group", "/etc/shadow", "/etc/gshadow"};
  w.max_size = 1 << 20;
  w.capture = true;
  return w;
}

Finding FindingAtPath(const CheckRule& rule, const ImageCheckInput& in, std::string_view path, int layer) {
  Finding f = MakeFinding(rule);
  f.location.path = std::string(path);
  if (layer >= 0) {
    f.location.layer_index = layer;
    if (static_cast<size_t>(layer) < in.image.layers.size()) {
      const Layer& l = in.image.layers[static_cast<size_t>(layer)];
      if (!l.diff_id.empty()) f.location.diff_id = l.diff_id.str();
      f.location.created_by = RedactCreatedBy(l.created_by);
    }
  }
  return f;
}

Finding FindingAtHistory(const CheckRule& rule, const ImageCheckInput& in, size_t index) {
  Finding f = MakeFinding(rule);
  const auto& history = in.image.config.history;
  if (index >= history.size()) return f;
  f.location.created_by = RedactCreatedBy(history[index].created_by);
  if (history[index].empty_layer) return f;
  int layer = 0;
  for (size_t i = 0; i < index; ++i) layer += history[i].empty_layer ? 0 : 1;
  if (static_cast<size_t>(layer) < in.image.layers.size()) {
    f.location.layer_index = layer;
    const Layer& l = in.image.layers[static_cast<size_t>(layer)];
    if (!l.diff_id.empty()) f.location.diff_id = l.diff_id.str();
  }
  return f;
}

bool IsApkDistro(const std::optional<OsRelease>& os) {
  return os && (os->id == "alpine" || os->id == "wolfi" || os->id == "chainguard" || os->id == "postmarketos");
}

bool IsAptDistro(const std::optional<OsRelease>& os) {
  return os && (os->id == "debian" || os->id == "ubuntu" || os->id == "raspbian" || os->id == "linuxmint" ||
                os->id == "kali" || os->id == "pop");
}

std::vector<Finding> RunImageChecks(const ImageCheckInput& in) {
  std::vector<Finding> out;
  for (const auto& rule : ImageCheckRules()) rule.run(in, rule, out);
  for (auto& f : out) f.Fingerprint();
  return out;
}

}  // namespace drydock
