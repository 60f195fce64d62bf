// docker-archive: `docker save` output, classic layout (<id>/layer.tar,
// <id>.json, manifest.json) or Docker >= 25's OCI-in-tar (blobs/sha256/…,
// index.json, manifest.json). Nothing is extracted: a plain tar file is
// indexed and each layer read once by offset; a compressed one is streamed.
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "base/path.h"
#include "source/oci_resolve.h"
#include "source/tar_stream.h"

namespace drydock {

namespace {

using ArchivePtr = std::unique_ptr<struct archive, decltype(&archive_read_free)>;

std::string ArchiveError(struct archive* a, std::string_view dflt) {
  const char* m = archive_error_string(a);
  return m ? std::string(m) : std::string(dflt);
}

}  // namespace

std::string MemberName(std::string_view raw) {
  std::string c = CleanPath(raw);
  return c == "/" ? std::string() : c.substr(1);
}

Result<std::string> ReadRange(int fd, int64_t offset, int64_t size, const std::string& what) {
  std::string out(static_cast<size_t>(size), '\0');
  FileRangeStream s(fd, offset, size, what);
  size_t got = 0;
  while (got < out.size()) {
    ASSIGN_OR_RETURN(size_t n, s.Read(std::as_writable_bytes(std::span(out.data() + got, out.size() - got))));
    if (n == 0) break;
    got += n;
  }
  return out;
}

FileRangeStream::~FileRangeStream() {
  if (map_base_ != nullptr) munmap(map_base_, map_len_);
}

void FileRangeStream::Map() {
  if (map_base_ != nullptr || end_ <= pos_) return;
  const int64_t page = sysconf(_SC_PAGESIZE);
  const int64_t start = pos_ - pos_ % page;
  const size_t len = static_cast<size_t>(end_ - start);
  void* p = mmap(nullptr, len, PROT_READ, MAP_PRIVATE, fd_, start);
  if (p == MAP_FAILED) return;
  madvise(p, len, MADV_SEQUENTIAL | MADV_WILLNEED);
  map_base_ = p;
  map_len_ = len;
  mapped_ = std::span(static_cast<const std::byte*>(p) + (pos_ - start), static_cast<size_t>(end_ - pos_));
}

void FileRangeStream::Release(std::span<const std::byte> part) {
  if (map_base_ == nullptr || part.empty()) return;
  const auto page = static_cast<uintptr_t>(sysconf(_SC_PAGESIZE));
  auto lo = reinterpret_cast<uintptr_t>(part.data());
  auto hi = lo + part.size();
  lo = (lo + page - 1) & ~(page - 1);  // whole pages only: neighbours may still be in use
  hi &= ~(page - 1);
  if (hi > lo) madvise(reinterpret_cast<void*>(lo), hi - lo, MADV_DONTNEED);
}

Result<size_t> FileRangeStream::Read(std::span<std::byte> dst) {
  if (pos_ >= end_) return size_t{0};
  size_t want = static_cast<size_t>(std::min<int64_t>(static_cast<int64_t>(dst.size()), end_ - pos_));
  ssize_t n = pread(fd_, dst.data(), want, pos_);
  if (n < 0) return EnvError("{}: read: {}", what_, std::strerror(errno));
  if (n == 0) return InputError("{}: unexpected end of file at offset {}", what_, pos_);
  pos_ += n;
  return static_cast<size_t>(n);
}

namespace {

// Records a symlink member, resolved relative to its own directory.
void AddLink(struct archive_entry* e, const std::string& name, MemberLinks* links) {
  const char* target = archive_entry_symlink(e);
  if (target == nullptr) return;
  (*links)[name] = MemberName(JoinPath(Dirname("/" + name), target));
}

}  // namespace

Status FollowMemberLinks(ImageInfo& info, const MemberLinks& links) {
  for (auto& layer : info.layers) {
    for (int hops = 0;; ++hops) {
      auto it = links.find(layer.blob.name);
      if (it == links.end()) break;
      if (hops == 8) return InputError("layer member {:?}: too many symlinks", Printable(layer.blob.name));
      layer.blob.name = it->second;
    }
  }
  return Ok();
}

Result<std::map<std::string, TarMember>> IndexTarFile(int fd, const std::string& what, bool* seekable,
                                                      MemberLinks* links) {
  *seekable = true;
  ArchivePtr a(archive_read_new(), &archive_read_free);
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_all(a.get());
  if (archive_read_open_fd(a.get(), fd, 1 << 16) != ARCHIVE_OK) {
    return InputError("{}: not a tar archive: {}", what, ArchiveError(a.get(), "cannot open"));
  }
  std::map<std::string, TarMember> members;
  struct archive_entry* e = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) return InputError("{}: {}", what, ArchiveError(a.get(), "malformed tar"));
    if (archive_filter_count(a.get()) > 1) {
      *seekable = false;  // compressed: offsets are not file offsets
      return members;
    }
    const char* p = archive_entry_pathname(e);
    if (p == nullptr) continue;
    if (archive_entry_filetype(e) == AE_IFLNK) AddLink(e, MemberName(p), links);
    if (archive_entry_filetype(e) != AE_IFREG || archive_entry_sparse_count(e) > 0) continue;
    members[MemberName(p)] = TarMember{archive_filter_bytes(a.get(), 0), archive_entry_size(e)};
  }
  struct stat st {};
  fstat(fd, &st);
  for (const auto& [name, m] : members) {
    if (m.offset < 0 || m.size < 0 || m.offset + m.size > st.st_size) {
      return InputError("{}: member {:?} runs past the end of the file (truncated archive)", what, Printable(name));
    }
  }
  return members;
}

namespace {

// Feeds libarchive from a ByteStream. When libarchive decompresses the
// outer archive itself (docker save | gzip), it also stops a decompression
// bomb: past 1 GiB, more than 1000 bytes out per byte in is refused.
struct ByteStreamSource {
  ByteStream& in;
  struct archive* a = nullptr;
  std::vector<std::byte> buf = std::vector<std::byte>(1 << 20);
  int64_t consumed = 0;
  std::string error;
  // Sets `error` and returns false once the outer stream looks like a bomb.
  bool CheckBomb() {
    const int64_t expanded = archive_filter_bytes(a, 0);
    if (archive_filter_count(a) > 1 && expanded > (int64_t{1} << 30) && expanded > 1000 * consumed) {
      error = fmt::format("refusing a decompression bomb ({} bytes from {} compressed)", expanded, consumed);
      return false;
    }
    return true;
  }
  static la_ssize_t Read(struct archive*, void* self, const void** out) {
    auto* s = static_cast<ByteStreamSource*>(self);
    if (!s->CheckBomb()) return -1;
    auto r = s->in.Read(s->buf);
    if (!r.ok()) {
      s->error = r.error().message;
      return -1;
    }
    s->consumed += static_cast<int64_t>(*r);
    *out = s->buf.data();
    return static_cast<la_ssize_t>(*r);
  }
};

// The current member of an outer libarchive stream as a ByteStream, with
// bytes already peeked returned first.
class MemberStream final : public ByteStream {
 public:
  MemberStream(struct archive* a, ByteStreamSource& src, std::string head, std::string what)
      : a_(a), src_(src), head_(std::move(head)), what_(std::move(what)) {}
  Result<size_t> Read(std::span<std::byte> dst) override {
    if (head_pos_ < head_.size()) {
      size_t n = std::min(dst.size(), head_.size() - head_pos_);
      std::memcpy(dst.data(), head_.data() + head_pos_, n);
      head_pos_ += n;
      return n;
    }
    // A dense bomb expands without asking for input: check on output too.
    if (!src_.CheckBomb()) return InputError("{}: {}", what_, src_.error);
    la_ssize_t n = archive_read_data(a_, dst.data(), dst.size());
    if (n < 0) return InputError("{}: {}", what_, src_.error.empty() ? ArchiveError(a_, "read error") : src_.error);
    return static_cast<size_t>(n);
  }

 private:
  struct archive* a_;
  ByteStreamSource& src_;
  std::string head_;
  size_t head_pos_ = 0;
  std::string what_;
};

bool LooksLikeLayer(const std::string& name) {
  return name.ends_with("/layer.tar") || name.ends_with(".tar") || name.ends_with(".tar.gz") ||
         name.rfind("blobs/", 0) == 0;
}

}  // namespace

Result<std::map<std::string, std::string>> StreamDockerSave(ByteStream& in, const std::string& what,
                                                            int64_t max_metadata, BlobSink& sink, MemberLinks* links) {
  ArchivePtr a(archive_read_new(), &archive_read_free);
  archive_read_support_format_tar(a.get());
  archive_read_support_filter_all(a.get());
  ByteStreamSource src{in, a.get()};
  if (archive_read_open(a.get(), &src, nullptr, &ByteStreamSource::Read, nullptr) != ARCHIVE_OK) {
    return InputError("{}: not a tar archive: {}", what,
                      src.error.empty() ? ArchiveError(a.get(), "cannot open") : src.error);
  }
  std::map<std::string, std::string> meta;
  // All metadata together is bounded too, not just each member.
  int64_t meta_budget = 4 * max_metadata;
  struct archive_entry* e = nullptr;
  for (;;) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      return InputError("{}: {}", what, src.error.empty() ? ArchiveError(a.get(), "malformed tar") : src.error);
    }
    const char* p = archive_entry_pathname(e);
    if (p == nullptr) continue;
    std::string name = MemberName(p);
    if (archive_entry_filetype(e) == AE_IFLNK) AddLink(e, name, links);
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    const int64_t size = archive_entry_size(e);
    // Peek: JSON blobs (configs, manifests) are metadata, the rest layers.
    std::string head(static_cast<size_t>(std::min<int64_t>(std::max<int64_t>(size, 0), 512)), '\0');
    la_ssize_t got = head.empty() ? 0 : archive_read_data(a.get(), head.data(), head.size());
    if (got < 0) return InputError("{}: {}: {}", what, Printable(name), ArchiveError(a.get(), "read error"));
    head.resize(static_cast<size_t>(got));
    // A tar whose first member is named "{x}" starts with '{' too: its header magic tells it apart.
    const bool tar = head.size() >= 262 && head.compare(257, 5, "ustar") == 0;
    const bool json = !tar && !head.empty() && (head[0] == '{' || head[0] == '[');
    if (LooksLikeLayer(name) && !json) {
      MemberStream ms(a.get(), src, std::move(head), what + ": " + Printable(name));
      (void)sink.OnLayerBlob(name, size, ms);  // per-blob errors are judged later
      if (!src.error.empty()) return InputError("{}: {}", what, src.error);
      continue;
    }
    if (size > max_metadata) continue;  // not metadata we read; skipped
    std::string body = std::move(head);
    MemberStream ms(a.get(), src, "", what);
    std::vector<std::byte> buf(1 << 16);
    for (;;) {
      ASSIGN_OR_RETURN(size_t n, ms.Read(buf));
      if (n == 0) break;
      if (static_cast<int64_t>(body.size() + n) > max_metadata)
        return InputError("{}: {} too large", what, Printable(name));
      body.append(reinterpret_cast<const char*>(buf.data()), n);
    }
    meta_budget -= static_cast<int64_t>(body.size());
    if (meta_budget < 0) {
      return InputError("{}: more than {} bytes of metadata members: not a docker save archive", what,
                        4 * max_metadata);
    }
    meta[name] = std::move(body);
  }
  if (!src.error.empty()) return InputError("{}: {}", what, src.error);
  return meta;
}

Result<ImageInfo> ResolveSaveArchive(const std::function<Result<std::string>(const std::string&)>& read,
                                     bool has_manifest_json, bool has_index_json, const SourceOptions& opts) {
  if (has_manifest_json) {
    ASSIGN_OR_RETURN(std::string m, read("manifest.json"));
    return ResolveDockerSave(m, read);
  }
  if (has_index_json) {
    ASSIGN_OR_RETURN(std::string idx, read("index.json"));
    return ResolveOciIndex(idx, "", opts, read);
  }
  return InputError("neither manifest.json nor index.json found: not a docker save or OCI archive");
}

namespace {

class DockerArchiveSource final : public ImageSource {
 public:
  DockerArchiveSource(std::string path, SourceOptions opts) : path_(std::move(path)), opts_(std::move(opts)) {}

  Result<ImageInfo> Read(BlobSink& sink) override {
    // O_NONBLOCK: opening a fifo must not wait for a writer; it is refused
    // below as not a regular file. (No effect on reads of regular files.)
    int fd = open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) return EnvError("{}: {}", Printable(path_), std::strerror(errno));
    std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* f) { close(*f); });
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return InputError("{}: not a regular file", Printable(path_));
    bool seekable = true;
    MemberLinks links;
    ASSIGN_OR_RETURN(auto members, IndexTarFile(fd, Printable(path_), &seekable, &links));
    ImageInfo info;
    if (seekable) {
      ASSIGN_OR_RETURN(info, ReadIndexed(fd, members, links, sink));
    } else {
      ASSIGN_OR_RETURN(info, ReadStreamed(fd, sink));
    }
    info.source_kind = "docker-archive";
    return info;
  }

 private:
  Result<ImageInfo> ReadIndexed(int fd, const std::map<std::string, TarMember>& members, const MemberLinks& links,
                                BlobSink& sink) {
    auto read = [&](const std::string& name) -> Result<std::string> {
      auto it = members.find(name);
      if (it == members.end())
        return InputError("{}: {:?} is missing from the archive", Printable(path_), Printable(name));
      if (it->second.size > opts_.max_metadata_bytes) {
        return InputError("{}: {:?} is {} bytes, over the {} byte metadata limit", Printable(path_), Printable(name),
                          it->second.size, opts_.max_metadata_bytes);
      }
      return ReadRange(fd, it->second.offset, it->second.size, Printable(path_));
    };
    ASSIGN_OR_RETURN(ImageInfo info, ResolveSaveArchive(read, members.contains("manifest.json"),
                                                        members.contains("index.json"), opts_));
    RETURN_IF_ERROR(FollowMemberLinks(info, links));
    std::set<std::string> done;
    for (const auto& layer : info.layers) {
      if (!done.insert(layer.blob.name).second) continue;
      auto it = members.find(layer.blob.name);
      if (it == members.end()) continue;  // reported as missing when layers are matched
      // The layer cache may have it: then the blob is not read.
      if (sink.HaveLayer(layer, it->second.size)) continue;
      FileRangeStream s(fd, it->second.offset, it->second.size, Printable(path_) + ": " + Printable(layer.blob.name));
      s.Map();
      (void)sink.OnLayerBlob(layer.blob.name, it->second.size, s);
    }
    return info;
  }

  Result<ImageInfo> ReadStreamed(int fd, BlobSink& sink) {
    if (lseek(fd, 0, SEEK_SET) != 0) return EnvError("{}: seek: {}", Printable(path_), std::strerror(errno));
    struct stat st {};
    fstat(fd, &st);
    FileRangeStream in(fd, 0, st.st_size, Printable(path_));
    MemberLinks links;
    ASSIGN_OR_RETURN(auto meta, StreamDockerSave(in, Printable(path_), opts_.max_metadata_bytes, sink, &links));
    auto read = [&](const std::string& name) -> Result<std::string> {
      auto it = meta.find(name);
      if (it == meta.end())
        return InputError("{}: {:?} is missing from the archive", Printable(path_), Printable(name));
      return it->second;
    };
    ASSIGN_OR_RETURN(ImageInfo info,
                     ResolveSaveArchive(read, meta.contains("manifest.json"), meta.contains("index.json"), opts_));
    RETURN_IF_ERROR(FollowMemberLinks(info, links));
    return info;
  }

  std::string path_;
  SourceOptions opts_;
};

}  // namespace

Result<std::unique_ptr<ImageSource>> OpenDockerArchive(const std::string& path, const SourceOptions& opts) {
  return std::unique_ptr<ImageSource>(std::make_unique<DockerArchiveSource>(path, opts));
}

}  // namespace drydock
