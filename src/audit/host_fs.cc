#include "audit/host_fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "base/path.h"

namespace drydock {

namespace {
constexpr int kMaxSymlinkHops = 40;  // as Linux's ELOOP limit

struct Fd {
  int fd;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() { ::close(fd); }
};
}  // namespace

HostFs::HostFs(std::string root) : root_(std::move(root)) {
  while (!root_.empty() && root_.back() == '/') root_.pop_back();
}

Result<std::optional<std::string>> HostFs::Resolve(std::string_view path) const {
  std::string pending = CleanPath(path);  // components still to walk
  std::string done;                       // resolved, clean, inside the root ("" = "/")
  int hops = 0;
  while (!pending.empty()) {
    // pending is "/a/b/c": take "a".
    size_t end = pending.find('/', 1);
    std::string comp = pending.substr(1, end == std::string::npos ? std::string::npos : end - 1);
    std::string rest = end == std::string::npos ? "" : pending.substr(end);
    std::string next = done + "/" + comp;
    struct stat st {};
    if (::lstat((root_ + next).c_str(), &st) != 0) {
      if (errno == ENOENT || errno == ENOTDIR) return std::optional<std::string>{};
      return InputError("{}{}: {}", Printable(root_), Printable(next), std::strerror(errno));
    }
    if (!S_ISLNK(st.st_mode)) {
      done = std::move(next);
      pending = std::move(rest);
      continue;
    }
    if (++hops > kMaxSymlinkHops) {
      return InputError("{}{}: too many levels of symbolic links (a symlink loop?)", Printable(root_),
                        Printable(CleanPath(path)));
    }
    char buf[4096];
    ssize_t n = ::readlink((root_ + next).c_str(), buf, sizeof buf);
    if (n < 0) return InputError("{}{}: readlink: {}", Printable(root_), Printable(next), std::strerror(errno));
    std::string_view target(buf, static_cast<size_t>(n));
    std::string joined =
        !target.empty() && target.front() == '/' ? std::string(target) : done + "/" + std::string(target);
    pending = CleanPath(joined + rest);
    done.clear();
  }
  return std::optional<std::string>(root_.empty() && done.empty() ? "/" : root_ + done);
}

Result<std::optional<HostFileInfo>> HostFs::Stat(std::string_view path) const {
  ASSIGN_OR_RETURN(auto real, Resolve(path));
  if (!real) return std::optional<HostFileInfo>{};
  struct stat st {};
  if (::lstat(real->c_str(), &st) != 0) return std::optional<HostFileInfo>{};
  HostFileInfo info;
  info.mode = st.st_mode;
  info.uid = st.st_uid;
  info.gid = st.st_gid;
  info.is_dir = S_ISDIR(st.st_mode);
  info.is_socket = S_ISSOCK(st.st_mode);
  return std::optional<HostFileInfo>(info);
}

Result<std::optional<std::string>> HostFs::Read(std::string_view path, size_t max_bytes) const {
  ASSIGN_OR_RETURN(auto real, Resolve(path));
  if (!real) return std::optional<std::string>{};
  // O_NONBLOCK: a fifo planted where a config file should be must not hang us.
  const int fd = ::open(real->c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0) return InputError("{}: {}", Printable(*real), std::strerror(errno));
  const Fd guard(fd);
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return InputError("{}: not a regular file", Printable(*real));
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return InputError("{}: {}", Printable(*real), std::strerror(errno));
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      return InputError("{}: larger than {} bytes", Printable(*real), max_bytes);
    }
    out.append(buf, static_cast<size_t>(n));
  }
  return std::optional<std::string>(std::move(out));
}

Result<std::vector<std::string>> HostFs::List(std::string_view dir) const {
  std::vector<std::string> names;
  ASSIGN_OR_RETURN(auto real, Resolve(dir));
  if (!real) return names;
  std::unique_ptr<DIR, int (*)(DIR*)> d(::opendir(real->c_str()), &::closedir);
  if (!d) return names;
  while (dirent* e = ::readdir(d.get())) {
    std::string_view n = e->d_name;
    if (n == "." || n == "..") continue;
    names.emplace_back(n);
    if (names.size() > 100000) return InputError("{}: too many entries", Printable(*real));
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace drydock
