// ProcessRootfsDir: a root filesystem on disk walked as one layer. Every
// open is relative to a directory fd with O_NOFOLLOW, so a symlink inside
// the tree can never lead the walk (or a read) outside it.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "base/path.h"
#include "layer/builder.h"
#include "layer/pipeline.h"

namespace drydock {

namespace {

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

EntryType TypeOfMode(mode_t m) {
  if (S_ISREG(m)) return EntryType::kFile;
  if (S_ISDIR(m)) return EntryType::kDir;
  if (S_ISLNK(m)) return EntryType::kSymlink;
  if (S_ISCHR(m)) return EntryType::kChar;
  if (S_ISBLK(m)) return EntryType::kBlock;
  if (S_ISFIFO(m)) return EntryType::kFifo;
  return EntryType::kOther;
}

class DirWalker {
 public:
  DirWalker(LayerBuilder& builder, LayerResult& out, const PipelineOptions& opts)
      : builder_(builder), out_(out), opts_(opts) {}

  // One open directory fd per level is held while walking below it, so the
  // depth is capped well under the usual 1024-fd limit.
  static constexpr int kMaxDepth = 512;

  Status Walk(int dirfd, const std::string& prefix, int depth) {
    if (depth > kMaxDepth) {
      return InputError("{}: directory nesting deeper than {} levels", Printable(prefix, 120), kMaxDepth);
    }
    int dup = fcntl(dirfd, F_DUPFD_CLOEXEC, 0);
    if (dup < 0) return EnvError("{}: {}", Printable(prefix), std::strerror(errno));
    struct DirCloser {
      void operator()(DIR* d) const { closedir(d); }
    };
    std::unique_ptr<DIR, DirCloser> d(fdopendir(dup));
    if (!d) {
      close(dup);
      return EnvError("{}: {}", Printable(prefix), std::strerror(errno));
    }
    std::vector<std::string> names;
    while (struct dirent* de = readdir(d.get())) {
      std::string_view n = de->d_name;
      if (n == "." || n == "..") continue;
      names.emplace_back(n);
    }
    d.reset();                              // only dirfd stays open while we descend
    std::sort(names.begin(), names.end());  // deterministic order
    for (const auto& n : names) RETURN_IF_ERROR(Visit(dirfd, prefix, n, depth));
    return Ok();
  }

 private:
  Status Visit(int dirfd, const std::string& prefix, const std::string& n, int depth) {
    struct stat st {};
    std::string path = prefix + "/" + n;
    if (fstatat(dirfd, n.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      out_.diagnostics.push_back({path, std::string("stat: ") + std::strerror(errno)});
      return Ok();
    }
    FileNode node;
    node.path = path;
    node.type = TypeOfMode(st.st_mode);
    node.mode = st.st_mode & 07777;
    node.uid = st.st_uid;
    node.gid = st.st_gid;
    node.size = node.type == EntryType::kFile ? st.st_size : 0;
    if (node.type == EntryType::kSymlink) {
      std::string target(4096, '\0');
      ssize_t k = readlinkat(dirfd, n.c_str(), target.data(), target.size());
      target.resize(k > 0 ? static_cast<size_t>(k) : 0);
      node.link_target = std::move(target);
    }
    out_.tar_bytes += node.size;
    if (opts_.on_progress && node.size) opts_.on_progress(node.size);
    const EntryType type = node.type;
    int64_t want = 0;
    if (!builder_.Add(std::move(node), &want)) {
      if (builder_.over_limit()) return InputError("{}: too many entries (limit reached)", Printable(path));
      return Ok();
    }
    if (want > 0) ReadWanted(dirfd, n, path, want);
    if (type == EntryType::kDir) {
      int sub = openat(dirfd, n.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) {
        out_.diagnostics.push_back({path, std::string("open: ") + std::strerror(errno)});
        return Ok();
      }
      Fd guard(sub);
      return Walk(sub, path, depth + 1);
    }
    return Ok();
  }

  void ReadWanted(int dirfd, const std::string& n, const std::string& path, int64_t want) {
    int fd = openat(dirfd, n.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
      out_.diagnostics.push_back({path, std::string("open: ") + std::strerror(errno)});
      std::string none;
      builder_.Content(none);
      return;
    }
    Fd guard(fd);
    std::string content(static_cast<size_t>(want), '\0');
    size_t got = 0;
    bool head_checked = false;
    while (got < content.size()) {
      if (!head_checked && got >= std::min<size_t>(16, content.size())) {
        head_checked = true;
        if (!builder_.KeepAfterHead(std::string_view(content).substr(0, got))) return;
      }
      // The first read takes only the head, so a file no magic matches is
      // not read in full.
      size_t n = head_checked ? content.size() - got : std::min<size_t>(16, content.size()) - got;
      ssize_t k = read(fd, content.data() + got, n);
      if (k <= 0) break;
      got += static_cast<size_t>(k);
    }
    content.resize(got);
    if (!head_checked && !builder_.KeepAfterHead(content)) return;
    builder_.Content(content);
  }

  LayerBuilder& builder_;
  LayerResult& out_;
  const PipelineOptions& opts_;
};

}  // namespace

LayerResult ProcessRootfsDir(const std::string& name, const std::string& dir,
                             const std::vector<const LayerAnalyzer*>& analyzers, const PipelineOptions& opts) {
  LayerResult result;
  result.blob_name = name;
  result.compression = "dir";
  int root = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) {
    result.error = EnvError("dir:{}: {}", Printable(dir), std::strerror(errno));
    return result;
  }
  Fd guard(root);
  LayerBuilder builder(analyzers, opts.max_entries_per_layer, result);
  DirWalker walker(builder, result, opts);
  if (auto s = walker.Walk(root, "", 0); !s.ok()) result.error = s.error();
  return result;
}

}  // namespace drydock
