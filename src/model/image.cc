#include "model/image.h"

#include <sys/utsname.h>

#include "model/json_util.h"

namespace drydock {

using simdjson::dom::element;

namespace {

constexpr std::string_view kWhat = "image config";

Status ParseRuntime(element cfg, ImageConfig& out) {
  ASSIGN_OR_RETURN(out.user, json::String(cfg, "User", kWhat));
  ASSIGN_OR_RETURN(out.env, json::StringArray(cfg, "Env", kWhat));
  ASSIGN_OR_RETURN(out.entrypoint, json::StringArray(cfg, "Entrypoint", kWhat));
  ASSIGN_OR_RETURN(out.cmd, json::StringArray(cfg, "Cmd", kWhat));
  ASSIGN_OR_RETURN(out.working_dir, json::String(cfg, "WorkingDir", kWhat));
  ASSIGN_OR_RETURN(out.exposed_ports, json::Keys(cfg, "ExposedPorts", kWhat));
  ASSIGN_OR_RETURN(out.volumes, json::Keys(cfg, "Volumes", kWhat));
  ASSIGN_OR_RETURN(out.labels, json::StringMap(cfg, "Labels", kWhat));
  ASSIGN_OR_RETURN(out.stop_signal, json::String(cfg, "StopSignal", kWhat));
  if (auto hc = json::Get(cfg, "Healthcheck"); hc && hc->is_object()) {
    Healthcheck h;
    ASSIGN_OR_RETURN(h.test, json::StringArray(*hc, "Test", "image config Healthcheck"));
    out.healthcheck = std::move(h);
  }
  return Ok();
}

Status ParseHistory(element root, ImageConfig& out) {
  auto hist = json::Get(root, "history");
  if (!hist) return Ok();
  simdjson::dom::array arr;
  if (hist->get_array().get(arr)) return InputError("image config: history is not an array");
  for (element h : arr) {
    HistoryEntry e;
    ASSIGN_OR_RETURN(e.created, json::String(h, "created", "image config history"));
    ASSIGN_OR_RETURN(e.created_by, json::String(h, "created_by", "image config history"));
    ASSIGN_OR_RETURN(e.comment, json::String(h, "comment", "image config history"));
    if (auto el = json::Get(h, "empty_layer")) {
      bool b = false;
      if (!el->get_bool().get(b)) e.empty_layer = b;
    }
    out.history.push_back(std::move(e));
  }
  return Ok();
}

}  // namespace

Result<ImageConfig> ParseImageConfig(std::string_view text) {
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, text, kWhat));
  if (!root.is_object()) return InputError("image config: not a JSON object");
  ImageConfig out;
  ASSIGN_OR_RETURN(out.architecture, json::String(root, "architecture", kWhat));
  ASSIGN_OR_RETURN(out.os, json::String(root, "os", kWhat));
  ASSIGN_OR_RETURN(out.variant, json::String(root, "variant", kWhat));
  ASSIGN_OR_RETURN(out.created, json::String(root, "created", kWhat));
  if (auto cfg = json::Get(root, "config"); cfg && cfg->is_object()) {
    RETURN_IF_ERROR(ParseRuntime(*cfg, out));
  }
  auto rootfs = json::Get(root, "rootfs");
  if (!rootfs || !rootfs->is_object()) return InputError("image config: missing rootfs");
  ASSIGN_OR_RETURN(auto ids, json::StringArray(*rootfs, "diff_ids", "image config rootfs"));
  for (size_t i = 0; i < ids.size(); ++i) {
    auto d = Digest::Parse(ids[i]);
    if (!d.ok()) return d.error().Wrap(fmt::format("image config rootfs.diff_ids[{}]", i));
    out.diff_ids.push_back(std::move(d).value());
  }
  RETURN_IF_ERROR(ParseHistory(root, out));
  return out;
}

Status ParseRuntimeConfig(std::string_view text, ImageConfig& out) {
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, text, kWhat));
  if (!root.is_object()) return InputError("image config: Config is not a JSON object");
  return ParseRuntime(root, out);
}

void ImageInfo::LinkHistory() {
  size_t h = 0;
  const auto& hist = config.history;
  for (auto& layer : layers) {
    while (h < hist.size() && hist[h].empty_layer) ++h;
    layer.created_by = h < hist.size() ? hist[h].created_by : "";
    if (h < hist.size()) ++h;
  }
}

std::string Platform::str() const {
  std::string s = os + "/" + architecture;
  if (!variant.empty()) s += "/" + variant;
  return s;
}

namespace {
std::string NormalizeArch(std::string_view a) {
  if (a == "x86_64" || a == "x86-64") return "amd64";
  if (a == "aarch64") return "arm64";
  if (a == "armhf" || a == "armel") return "arm";
  if (a == "i386" || a == "i686") return "386";
  return std::string(a);
}
}  // namespace

Result<Platform> Platform::Parse(std::string_view s) {
  Platform p;
  size_t a = s.find('/');
  if (a == std::string_view::npos || a == 0)
    return UsageError("--platform {:?}: want OS/ARCH[/VARIANT]", std::string(s));
  p.os = std::string(s.substr(0, a));
  std::string_view rest = s.substr(a + 1);
  size_t b = rest.find('/');
  p.architecture = NormalizeArch(rest.substr(0, b));
  if (b != std::string_view::npos) p.variant = std::string(rest.substr(b + 1));
  if (p.architecture.empty()) return UsageError("--platform {:?}: empty architecture", std::string(s));
  return p;
}

Platform Platform::Host() {
  struct utsname u {};
  uname(&u);
  Platform p{"linux", NormalizeArch(u.machine), ""};
  if (p.architecture == "arm64") p.variant = "v8";
  return p;
}

bool Platform::Matches(const Platform& other) const {
  if (os != other.os || architecture != NormalizeArch(other.architecture)) return false;
  if (variant.empty() || other.variant.empty()) return true;
  return variant == other.variant;
}

}  // namespace drydock
