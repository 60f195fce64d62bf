// Target resolution: "docker-archive:F", "oci:DIR[:TAG]", "dir:ROOT",
// "docker:NAME", or a bare argument (an existing path by what it is;
// otherwise the local engine).
#include <sys/stat.h>

#include "base/path.h"
#include "source/reference.h"
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

bool IsReference(const std::string& t) { return ParseReference(t).ok(); }

// A name that is plainly meant as a file: a missing file, not an image to
// look for in a registry.
bool LooksLikePath(std::string_view t) {
  for (std::string_view p : {"/", "./", "../", "~"}) {
    if (t.starts_with(p)) return true;
  }
  for (std::string_view s : {".tar", ".tar.gz", ".tgz", ".tar.zst", ".tar.xz"}) {
    if (t.ends_with(s)) return true;
  }
  return false;
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
  if (target.starts_with("registry:")) return OpenRegistry(after("registry:"), opts);
  std::string t(target);
  if (IsDir(t)) {
    if (Exists(t + "/oci-layout")) return OpenOciLayout(t, "", opts);
    return OpenRootfsDir(t, opts);
  }
  if (Exists(t)) return OpenDockerArchive(t, opts);
  // A bare name: the local engine when it has the image, else the registry
  // the name points at (docker.io by default), as `docker run` would.
  if (LooksLikePath(t)) return InputError("{}: no such file or directory", Printable(t));
  auto local = DockerEngineHasImage(t, opts);
  if (local.ok() && *local) return OpenDockerEngine(t, opts);
  if (!IsReference(t)) {
    return UsageError("{}: no such file or directory, and not an image reference", Printable(t));
  }
  return OpenRegistry(t, opts);
}

}  // namespace drydock
