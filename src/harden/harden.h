// `drydock harden`: the least-privilege way to run an image, decided from its
// config (user, exposed ports, volumes, health check) and its filesystem
// (accounts, binaries present, known server layouts), and written as a
// `docker run` script, a compose service, a Kubernetes Pod or a seccomp
// profile narrowed from Docker's default. Every setting carries the reason
// it was chosen; the renderers put that reason next to the line.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "layer/view.h"
#include "model/image.h"
#include "model/scan.h"

namespace drydock {

struct HardenInput {
  const ImageInfo& image;
  const FileSystemView& fs;
  const std::optional<OsRelease>& os;
  std::string target;  // what the user named (for the load hint)
};

// Limits the user may override on the command line.
struct HardenLimits {
  std::string name;     // container / service name; "" derives one from the image
  std::string network;  // user-defined network; "" derives "<name>-net"
  std::string memory = "512m";
  std::string cpus = "1.0";
  int pids_limit = 256;
};

// One decided setting: its value and why.
struct Setting {
  std::string value;
  std::string why;
};

struct HardenMount {
  std::string path;
  std::string options;  // tmpfs mount options ("rw,noexec,…"); empty for volumes
  std::string volume;   // named volume for declared VOLUMEs; empty for tmpfs
  std::string why;
};

struct HardenProfile {
  std::string image;      // the reference to run: a tag, else the image id
  std::string load_hint;  // "docker load -i FILE" when the target is an archive
  std::string name;
  std::string network;
  // --user: always numeric "uid:gid" so runtimes that check runAsNonRoot
  // can verify it; `user_name` is the passwd name when there is one.
  Setting user;
  int uid = 0;
  int gid = 0;
  std::string user_name;
  bool user_created = false;  // no usable account: a UID the Dockerfile should create
  std::vector<HardenMount> tmpfs;
  std::vector<HardenMount> volumes;
  std::vector<Setting> cap_add;  // after --cap-drop ALL
  std::vector<int> ports;        // exposed TCP ports
  HardenLimits limits;
  // A health check for `docker run --health-cmd` (shell form) when the
  // image has none and one can be built from tools it contains.
  std::optional<Setting> health_cmd;
  // The exec form of that check (for compose and Kubernetes probes).
  std::vector<std::string> health_exec;
  std::string health_advice;  // what to add to the Dockerfile when missing
  // Binaries found that widen the seccomp profile (debuggers, setarch) and
  // whether 32-bit userland is present.
  std::vector<std::string> debuggers;
  bool personality_tools = false;
  bool compat_32bit = false;
  std::string architecture;        // image architecture ("amd64", "arm64", …)
  std::vector<std::string> notes;  // caveats to print as comments
};

// Decides the profile. Never fails: missing information yields the safest
// default with a note saying what to check.
HardenProfile DecideProfile(const HardenInput& in, const HardenLimits& limits);

// Renderers. Each returns the whole document, newline-terminated.
std::string RenderRun(const HardenProfile& p);         // bash script: docker network create + docker run
std::string RenderCompose(const HardenProfile& p);     // compose file with one service
std::string RenderKubernetes(const HardenProfile& p);  // Pod with securityContext and resources
std::string RenderSeccomp(const HardenProfile& p);     // seccomp JSON narrowed from Docker's default

// POSIX shell single-quoting (only when needed).
std::string ShellQuote(std::string_view s);

}  // namespace drydock
