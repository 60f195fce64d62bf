// Format selection, dispatch, the helpers in common.h, and the atomic writer.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <string>

#include "report/common.h"
#include "report/report.h"

namespace drydock {
namespace report {

FindingList::FindingList(const std::vector<Finding>& findings) {
  refs_.reserve(findings.size());
  for (const Finding& f : findings) {
    if (f.fingerprint.empty()) {
      Finding& copy = *owned_.emplace_back(std::make_unique<Finding>(f));
      copy.Fingerprint();
      refs_.push_back(&copy);
    } else {
      refs_.push_back(&f);
    }
  }
  std::stable_sort(refs_.begin(), refs_.end(), [](const Finding* a, const Finding* b) { return FindingBefore(*a, *b); });
}

void FindingList::Append(FindingList&& other) {
  refs_.insert(refs_.end(), other.refs_.begin(), other.refs_.end());
  for (auto& f : other.owned_) owned_.push_back(std::move(f));  // the Findings stay where they are
  other.refs_.clear();
  other.owned_.clear();
}

FindingList PreparedFindings(const ScanResult& scan) { return FindingList(scan.findings); }
FindingList PreparedSuppressed(const ScanResult& scan) { return FindingList(scan.suppressed); }

std::string ToolVersion(const std::string& requested) {
  return requested.empty() ? std::string(DRYDOCK_VERSION) : requested;
}

}  // namespace report

Result<ReportFormat> ParseReportFormat(std::string_view s) {
  static constexpr std::string_view kNames[] = {
#define DRYDOCK_REPORT_FORMAT(id, name, render, needs_inventory) name,
#include "report/formats.inc"
#undef DRYDOCK_REPORT_FORMAT
  };
#define DRYDOCK_REPORT_FORMAT(id, name, render, needs_inventory) \
  if (s == name) return ReportFormat::id;
#include "report/formats.inc"
#undef DRYDOCK_REPORT_FORMAT
  // "table, json, …, html or markdown"
  std::string want;
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (i > 0) want += i + 1 == std::size(kNames) ? " or " : ", ";
    want += kNames[i];
  }
  return UsageError("unknown format {:?} (want {})", std::string(s.substr(0, 40)), want);
}

bool NeedsInventory(ReportFormat format) {
  switch (format) {
#define DRYDOCK_REPORT_FORMAT(id, name, render, needs_inventory) \
  case ReportFormat::id:                                         \
    return needs_inventory;
#include "report/formats.inc"
#undef DRYDOCK_REPORT_FORMAT
  }
  return false;
}

std::string Render(ReportFormat format, const ScanResult& scan, const ReportOptions& opts) {
  switch (format) {
#define DRYDOCK_REPORT_FORMAT(id, name, render, needs_inventory) \
  case ReportFormat::id:                                         \
    return render(scan, opts);
#include "report/formats.inc"
#undef DRYDOCK_REPORT_FORMAT
  }
  return RenderTable(scan, opts);
}

namespace {

// Closes the descriptor and removes the temp file unless Commit() was called.
class TempFile {
 public:
  TempFile(int fd, std::string path) : fd_(fd), path_(std::move(path)) {}
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!committed_) ::unlink(path_.c_str());
  }

  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  // Closes the descriptor, reporting errors that close() may surface late
  // (e.g. on NFS); returns the errno or 0.
  int Close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc == 0 ? 0 : errno;
  }
  void Commit() { committed_ = true; }

 private:
  int fd_;
  std::string path_;
  bool committed_ = false;
};

Error WriteError(const std::string& path, std::string_view what, int err) {
  return EnvError("writing report {}: {}: {}", path, what, std::strerror(err));
}

Status WriteStdout(std::string_view content) {
  if (!content.empty() && std::fwrite(content.data(), 1, content.size(), stdout) != content.size()) {
    return EnvError("writing report to stdout: {}", std::strerror(errno));
  }
  if (std::fflush(stdout) != 0) return EnvError("writing report to stdout: {}", std::strerror(errno));
  return Ok();
}

Status WriteAll(int fd, std::string_view content) {
  while (!content.empty()) {
    const ssize_t n = ::write(fd, content.data(), content.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error{Error::Kind::kEnvironment, std::strerror(errno)};
    }
    content.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

// The process umask without changing it (umask(2) can only be read by
// setting it, which would race with other threads creating files).
mode_t CurrentUmask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("Umask:", 0) == 0) {
      return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8) & 0777);
    }
  }
  return 022;
}

// mkstemp makes the temp file 0600; a report should get the mode a plain
// open(O_CREAT, 0666) would have given it.
int FixMode(int fd) { return ::fchmod(fd, 0666 & ~CurrentUmask()) == 0 ? 0 : errno; }

// Best effort: makes the rename durable. A failure here does not make the
// report wrong, so it is not an error.
void SyncDirectory(const std::string& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  ::fsync(fd);
  ::close(fd);
}

// Collects the pieces a streamed report writes in a 1 MiB buffer and writes
// them with `write`; the first error is kept and ends the writing.
class BufferedSink {
 public:
  explicit BufferedSink(std::function<Status(std::string_view)> write) : write_(std::move(write)) {}
  void Put(std::string_view piece) {
    if (!status_.ok()) return;
    buf_.append(piece);
    if (buf_.size() >= (1u << 20)) Flush();
  }
  Status Finish() {
    Flush();
    return status_;
  }

 private:
  void Flush() {
    if (status_.ok() && !buf_.empty()) status_ = write_(buf_);
    buf_.clear();
  }
  std::function<Status(std::string_view)> write_;
  std::string buf_;
  Status status_ = Ok();
};

using Producer = std::function<Status(const std::function<Status(std::string_view)>&)>;

Status WriteOutputWith(const std::string& path, const Producer& produce);

}  // namespace

Status WriteOutput(const std::string& path, std::string_view content) {
  return WriteOutputWith(path, [&](const auto& write) { return write(content); });
}

Status WriteReport(const std::string& path, ReportFormat format, const ScanResult& scan, const ReportOptions& opts) {
  if (format != ReportFormat::kJson && format != ReportFormat::kSarif) {
    return WriteOutput(path, Render(format, scan, opts));
  }
  return WriteOutputWith(path, [&](const std::function<Status(std::string_view)>& write) {
    BufferedSink sink(write);
    auto put = [&](std::string_view piece) { sink.Put(piece); };
    if (format == ReportFormat::kJson) {
      RenderJsonTo(scan, opts, put);
    } else {
      RenderSarifTo(scan, opts, put);
    }
    return sink.Finish();
  });
}

namespace {

Status WriteOutputWith(const std::string& path, const Producer& produce) {
  if (path.empty() || path == "-") {
    if (Status s = produce([](std::string_view piece) -> Status {
          if (!piece.empty() && std::fwrite(piece.data(), 1, piece.size(), stdout) != piece.size()) {
            return EnvError("writing report to stdout: {}", std::strerror(errno));
          }
          return Ok();
        });
        !s.ok()) {
      return s;
    }
    return WriteStdout("");
  }
  // A device, fifo or socket (/dev/null, /dev/stdout, a pipe) is written in
  // place: renaming a temp file over it would replace the device node.
  struct stat existing {};
  if (::stat(path.c_str(), &existing) == 0 && !S_ISREG(existing.st_mode)) {
    if (S_ISDIR(existing.st_mode)) return EnvError("writing report {}: is a directory", path);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return WriteError(path, "open", errno);
    TempFile dev(fd, "");
    dev.Commit();
    return produce([&](std::string_view piece) -> Status {
      if (Status s = WriteAll(dev.fd(), piece); !s.ok()) {
        return EnvError("writing report {}: write: {}", path, s.error().message);
      }
      return Ok();
    });
  }

  const size_t slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : path.substr(0, slash));
  const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
  if (base.empty() || base == "." || base == "..") {
    return EnvError("writing report {}: not a file name", path);
  }

  std::string templ = fmt::format("{}/.{}.tmp-XXXXXX", dir == "/" ? "" : dir, base);
  const int fd = ::mkstemp(templ.data());
  if (fd < 0) return WriteError(path, "creating temp file in " + dir, errno);
  TempFile tmp(fd, templ);

  if (int err = FixMode(tmp.fd())) return WriteError(path, "chmod " + tmp.path(), err);
  if (Status s = produce([&](std::string_view piece) -> Status {
        if (Status w = WriteAll(tmp.fd(), piece); !w.ok()) {
          return EnvError("writing report {}: write {}: {}", path, tmp.path(), w.error().message);
        }
        return Ok();
      });
      !s.ok()) {
    return s;
  }
  if (::fsync(tmp.fd()) != 0) return WriteError(path, "fsync " + tmp.path(), errno);
  if (int err = tmp.Close()) return WriteError(path, "close " + tmp.path(), err);
  // rename(2) replaces a symlink at `path` rather than writing through it.
  if (::rename(tmp.path().c_str(), path.c_str()) != 0) {
    return WriteError(path, "rename " + tmp.path(), errno);
  }
  tmp.Commit();
  SyncDirectory(dir);
  return Ok();
}

}  // namespace

}  // namespace drydock
