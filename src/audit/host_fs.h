// Read-only access to a host filesystem mounted at `root` ("/" for this
// host). Paths are absolute as on the host; symlinks are followed *inside*
// the root (an absolute target is re-rooted, ".." clamps at the root), so a
// hostile tree cannot make an audit read outside it. A symlink loop is an
// input error. Not thread-safe only in the sense that the tree may change.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

struct HostFileInfo {
  mode_t mode = 0;  // permission bits and type
  uid_t uid = 0;
  gid_t gid = 0;
  bool is_dir = false;
  bool is_socket = false;
};

class HostFs {
 public:
  explicit HostFs(std::string root);
  const std::string& root() const { return root_; }

  // The path on this machine for `path` inside the root, symlinks resolved;
  // nullopt when it does not exist.
  Result<std::optional<std::string>> Resolve(std::string_view path) const;
  Result<std::optional<HostFileInfo>> Stat(std::string_view path) const;
  // The content of a regular file (at most max_bytes, else an error).
  Result<std::optional<std::string>> Read(std::string_view path, size_t max_bytes = 1 << 20) const;
  // The entry names of a directory (sorted); empty when it does not exist.
  Result<std::vector<std::string>> List(std::string_view dir) const;

 private:
  std::string root_;  // no trailing slash; "" for "/"
};

}  // namespace drydock
