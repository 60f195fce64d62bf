// CIS Docker Benchmark 4.1: the image should run as a non-root user.
#include <charconv>

#include "check/image/check.h"
#include "check/image/groups.h"

namespace drydock {

namespace {

struct PasswdEntry {
  std::string name;
  long uid = -1;
};

std::vector<PasswdEntry> ParsePasswd(std::string_view text) {
  std::vector<PasswdEntry> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    size_t c1 = line.find(':');
    if (c1 == std::string_view::npos || line.empty() || line.front() == '#') continue;
    size_t c2 = line.find(':', c1 + 1);
    size_t c3 = c2 == std::string_view::npos ? c2 : line.find(':', c2 + 1);
    if (c3 == std::string_view::npos) continue;
    PasswdEntry e{std::string(line.substr(0, c1)), -1};
    std::string_view uid = line.substr(c2 + 1, c3 - c2 - 1);
    std::from_chars(uid.data(), uid.data() + uid.size(), e.uid);
    out.push_back(std::move(e));
  }
  return out;
}

bool IsNumber(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

// The history entry of the last USER instruction, if the history has one.
std::string UserInstruction(const ImageInfo& image) {
  std::string found;
  for (const auto& h : image.config.history) {
    if (h.created_by.find("USER ") != std::string::npos) found = h.created_by;
  }
  return found;
}

void CheckUser(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  if (in.image.source_kind == "dir") return;  // a bare rootfs has no runtime config
  const std::string& user = in.image.config.user;
  std::string_view name = user;
  if (size_t colon = name.find(':'); colon != std::string_view::npos) name = name.substr(0, colon);
  std::string evidence;
  if (name.empty()) {
    evidence = "config.User is not set: the container runs as root (uid 0)";
  } else if (name == "root" || (IsNumber(name) && name.find_first_not_of('0') == std::string_view::npos)) {
    evidence = fmt::format("config.User is {:?}: uid 0", user);
  } else if (auto passwd = in.fs.ReadFile("/etc/passwd"); passwd && !IsNumber(name)) {
    bool known = false;
    for (const auto& e : ParsePasswd(*passwd)) {
      if (e.name != name) continue;
      known = true;
      if (e.uid == 0) evidence = fmt::format("config.User {:?} has uid 0 in /etc/passwd", user);
    }
    if (!known)
      evidence = fmt::format("config.User {:?} is not in /etc/passwd: the container will not start as that user", user);
  }
  if (evidence.empty()) return;
  Finding f = MakeFinding(rule);
  f.location.config_field = "config.User";
  f.location.created_by = UserInstruction(in.image);
  f.evidence = std::move(evidence);
  out.push_back(std::move(f));
}

}  // namespace

void UserChecks(std::vector<CheckRule>& rules) {
  rules.push_back(CheckRule{
      .id = "DD-CIS-4.1",
      .cis = "4.1",
      .severity = Severity::kHigh,
      .title = "Image runs as root",
      .rationale = "A process running as root inside a container is root on the host's kernel: any container "
                   "escape or writable host mount becomes full host compromise.",
      .remediation = "Create an unprivileged user in the Dockerfile (RUN useradd -r -u 10001 app) and add "
                     "USER 10001 (or USER app) before ENTRYPOINT/CMD.",
      .references = {"CIS Docker Benchmark v1.6.0 4.1", "https://docs.docker.com/reference/dockerfile/#user"},
      .run = &CheckUser,
  });
}

}  // namespace drydock
