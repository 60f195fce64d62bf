// Target resolution: "docker-archive:F", "oci:DIR[:TAG]", "dir:ROOT",
// "docker:NAME", or a bare argument (an existing path by what it is;
// otherwise the local engine).
#include <sys/stat.h>

#include "base/path.h"
#include "source/source.h"

namespace drydock {

namespace {

// "oci:DIR:TAG" — the tag is what follows the last ':' when that part has no
// '/', so "oci:./a:b/c" is a directory named "./a:b/c".
std::pair<std::string, std::string> SplitOci(std::string_view rest) {
  size_t k = rest.rfind(':');
  if (k == std::string_view::npos || rest.substr(k + 1).find('/') != std::string_view::npos) {
    return {std::string(rest), ""};
  }
  struct stat st {};
  if (stat(std::string(rest).c_str(), &st) == 0) return {std::string(rest), ""};  // a dir with ':' in its name
  return {std::string(rest.substr(0, k)), std::string(rest.substr(k + 1))};
}

bool IsDir(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

bool Exists(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0;
}

}  // namespace

Result<std::unique_ptr<ImageSource>> OpenSource(std::string_view target, const SourceOptions& opts) {
  auto after = [&](std::string_view prefix) { return std::string(target.substr(prefix.size())); };
  if (target.empty()) return UsageError("no target given");
  if (target.starts_with("docker-archive:")) return OpenDockerArchive(after("docker-archive:"), opts);
  if (target.starts_with("oci:")) {
    auto [dir, tag] = SplitOci(target.substr(4));
    return OpenOciLayout(dir, tag, opts);
  }
  if (target.starts_with("dir:")) return OpenRootfsDir(after("dir:"), opts);
  if (target.starts_with("docker:")) return OpenDockerEngine(after("docker:"), opts);
  if (target.starts_with("registry:")) {
    return UsageError("registry: targets are not supported yet; pull the image and use docker: or docker save");
  }
  std::string t(target);
  if (IsDir(t)) {
    if (Exists(t + "/oci-layout")) return OpenOciLayout(t, "", opts);
    return OpenRootfsDir(t, opts);
  }
  if (Exists(t)) return OpenDockerArchive(t, opts);
  auto engine = OpenDockerEngine(t, opts);
  if (!engine.ok()) {
    return Error{engine.error().kind, fmt::format("{}: no such file or directory, and as an image name: {}",
                                                  Printable(t), engine.error().message)};
  }
  return engine;
}

}  // namespace drydock
