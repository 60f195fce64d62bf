// Internal to source/: reading an outer tar (a docker-save archive) either
// by index (a seekable plain file: headers only, then each member read once
// by offset) or as a stream (a compressed file or the Docker Engine socket:
// members handed over in arrival order).
#pragma once

#include <functional>
#include <map>
#include <string>

#include "source/source.h"

namespace drydock {

// A member of the outer tar: where its bytes are in the file.
struct TarMember {
  int64_t offset = 0;
  int64_t size = 0;
};

// Symlink members: name → the member name the link points at. `docker save`
// before Docker 25 stores a repeated layer as `<id2>/layer.tar ->
// ../<id1>/layer.tar`.
using MemberLinks = std::map<std::string, std::string>;

// Indexes a plain (uncompressed) tar file by reading its headers only.
// Returns false in `*seekable` (and no error) if the file is compressed.
Result<std::map<std::string, TarMember>> IndexTarFile(int fd, const std::string& what, bool* seekable,
                                                      MemberLinks* links);

// Renames layers whose member is a symlink to the member it points at
// (following at most 8 links), so they match the blob the pipeline read.
Status FollowMemberLinks(ImageInfo& info, const MemberLinks& links);

// A ByteStream over [offset, offset+size) of an fd, read with pread, or —
// after Map() — offered as a read-only mapping so the pipeline hashes and
// parses the page cache in place instead of copying it (the file must not
// shrink while mapped; archives being scanned are not written to).
class FileRangeStream final : public ByteStream {
 public:
  FileRangeStream(int fd, int64_t offset, int64_t size, std::string what)
      : fd_(fd), pos_(offset), end_(offset + size), what_(std::move(what)) {}
  ~FileRangeStream() override;
  FileRangeStream(const FileRangeStream&) = delete;
  FileRangeStream& operator=(const FileRangeStream&) = delete;
  Result<size_t> Read(std::span<std::byte> dst) override;
  std::span<const std::byte> Mapped() override { return mapped_; }
  // Drops the whole pages of `part` from the mapping's resident set, so
  // peak RSS stays at the queue's few MiB however large the blob.
  void Release(std::span<const std::byte> part) override;
  // Maps the range; on failure the stream just stays a pread stream.
  void Map();

 private:
  int fd_;
  int64_t pos_;
  int64_t end_;
  std::string what_;
  void* map_base_ = nullptr;
  size_t map_len_ = 0;
  std::span<const std::byte> mapped_;
};

// Reads [offset, offset+size) of an fd whole; callers bound `size`.
Result<std::string> ReadRange(int fd, int64_t offset, int64_t size, const std::string& what);

// Reads a docker-save tar as a stream (any compression libarchive knows):
// members that look like layers go to `sink` as they arrive, small
// metadata members are kept and returned by name.
Result<std::map<std::string, std::string>> StreamDockerSave(ByteStream& in, const std::string& what,
                                                            int64_t max_metadata, BlobSink& sink, MemberLinks* links);

// Member names normalised: "./manifest.json" → "manifest.json".
std::string MemberName(std::string_view raw);

// Builds the ImageInfo of a docker-save archive from its metadata members,
// whichever layout it has (manifest.json; or index.json for an OCI-in-tar
// archive without one).
Result<ImageInfo> ResolveSaveArchive(const std::function<Result<std::string>(const std::string&)>& read,
                                     bool has_manifest_json, bool has_index_json, const SourceOptions& opts);

}  // namespace drydock
