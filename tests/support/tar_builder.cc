#include "support/tar_builder.h"

#include <gtest/gtest.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>

namespace drydock::testing {

namespace {

using WritePtr = std::unique_ptr<struct archive, decltype(&archive_write_free)>;
using EntryPtr = std::unique_ptr<struct archive_entry, decltype(&archive_entry_free)>;

[[noreturn]] void Die(struct archive* a, std::string_view what) {
  std::fprintf(stderr, "tar_builder: %.*s: %s\n", static_cast<int>(what.size()), what.data(),
               a && archive_error_string(a) ? archive_error_string(a) : "error");
  std::abort();
}

void Check(struct archive* a, int r, std::string_view what) {
  if (r < ARCHIVE_WARN) Die(a, what);
}

la_ssize_t AppendToString(struct archive*, void* out, const void* buf, size_t n) {
  static_cast<std::string*>(out)->append(static_cast<const char*>(buf), n);
  return static_cast<la_ssize_t>(n);
}

// A writer whose output lands in `out`, unblocked (no padding to 10240).
WritePtr NewWriter() {
  WritePtr a(archive_write_new(), &archive_write_free);
  if (!a) Die(nullptr, "archive_write_new");
  return a;
}

void Open(struct archive* a, std::string& out) {
  Check(a, archive_write_set_bytes_per_block(a, 0), "bytes_per_block");
  Check(a, archive_write_open(a, &out, nullptr, &AppendToString, nullptr), "open");
}

void WriteEntry(struct archive* a, const TarEntry& e) {
  EntryPtr entry(archive_entry_new(), &archive_entry_free);
  archive_entry_set_pathname(entry.get(), e.path.c_str());
  archive_entry_set_uid(entry.get(), e.uid);
  archive_entry_set_gid(entry.get(), e.gid);
  archive_entry_set_mtime(entry.get(), 1700000000, 0);
  switch (e.type) {
    case TarEntry::Type::kFile:
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      archive_entry_set_size(entry.get(), static_cast<la_int64_t>(e.content.size()));
      break;
    case TarEntry::Type::kDir:
      archive_entry_set_filetype(entry.get(), AE_IFDIR);
      break;
    case TarEntry::Type::kSymlink:
      archive_entry_set_filetype(entry.get(), AE_IFLNK);
      archive_entry_set_symlink(entry.get(), e.target.c_str());
      break;
    case TarEntry::Type::kHardlink:
      archive_entry_set_filetype(entry.get(), AE_IFREG);
      archive_entry_set_hardlink(entry.get(), e.target.c_str());
      archive_entry_set_size(entry.get(), 0);
      break;
    case TarEntry::Type::kFifo:
      archive_entry_set_filetype(entry.get(), AE_IFIFO);
      break;
  }
  archive_entry_set_perm(entry.get(), e.mode);
  Check(a, archive_write_header(a, entry.get()), "write header " + e.path);
  if (e.type == TarEntry::Type::kFile && !e.content.empty()) {
    la_ssize_t n = archive_write_data(a, e.content.data(), e.content.size());
    if (n < 0 || static_cast<size_t>(n) != e.content.size()) Die(a, "write data " + e.path);
  }
}

// Compresses `data` with one libarchive filter via the "raw" format.
std::string Compress(std::string_view data, int (*add_filter)(struct archive*), const char* options) {
  std::string out;
  WritePtr a = NewWriter();
  Check(a.get(), archive_write_set_format_raw(a.get()), "format raw");
  Check(a.get(), add_filter(a.get()), "add filter");
  if (options != nullptr) (void)archive_write_set_options(a.get(), options);  // best effort
  Open(a.get(), out);
  EntryPtr entry(archive_entry_new(), &archive_entry_free);
  archive_entry_set_pathname(entry.get(), "data");
  archive_entry_set_filetype(entry.get(), AE_IFREG);
  archive_entry_set_size(entry.get(), static_cast<la_int64_t>(data.size()));
  Check(a.get(), archive_write_header(a.get(), entry.get()), "raw header");
  size_t off = 0;
  while (off < data.size()) {
    la_ssize_t n = archive_write_data(a.get(), data.data() + off, data.size() - off);
    if (n <= 0) Die(a.get(), "raw data");
    off += static_cast<size_t>(n);
  }
  Check(a.get(), archive_write_close(a.get()), "close");
  return out;
}

}  // namespace

TarEntry File(std::string path, std::string content, uint32_t mode, uint32_t uid, uint32_t gid) {
  return TarEntry{TarEntry::Type::kFile, std::move(path), std::move(content), "", mode, uid, gid};
}
TarEntry Dir(std::string path, uint32_t mode) {
  return TarEntry{TarEntry::Type::kDir, std::move(path), "", "", mode, 0, 0};
}
TarEntry Symlink(std::string path, std::string target) {
  return TarEntry{TarEntry::Type::kSymlink, std::move(path), "", std::move(target), 0777, 0, 0};
}
TarEntry Hardlink(std::string path, std::string target) {
  return TarEntry{TarEntry::Type::kHardlink, std::move(path), "", std::move(target), 0644, 0, 0};
}
TarEntry Fifo(std::string path) { return TarEntry{TarEntry::Type::kFifo, std::move(path), "", "", 0644, 0, 0}; }
TarEntry Whiteout(std::string_view dir, std::string_view name) {
  std::string p(dir);
  if (!p.empty() && p.back() != '/') p.push_back('/');
  p += ".wh.";
  p += name;
  return File(std::move(p), "", 0);
}
TarEntry OpaqueMarker(std::string_view dir) {
  std::string p(dir);
  if (!p.empty() && p.back() != '/') p.push_back('/');
  p += ".wh..wh..opq";
  return File(std::move(p), "", 0);
}

std::string MakeTar(const std::vector<TarEntry>& entries, TarFormat format) {
  std::string out;
  WritePtr a = NewWriter();
  switch (format) {
    case TarFormat::kPax:
      Check(a.get(), archive_write_set_format_pax_restricted(a.get()), "format pax");
      break;
    case TarFormat::kUstar:
      Check(a.get(), archive_write_set_format_ustar(a.get()), "format ustar");
      break;
    case TarFormat::kGnu:
      Check(a.get(), archive_write_set_format_gnutar(a.get()), "format gnutar");
      break;
  }
  Open(a.get(), out);
  for (const auto& e : entries) WriteEntry(a.get(), e);
  Check(a.get(), archive_write_close(a.get()), "close");
  return out;
}

std::string Gzip(std::string_view data) { return Compress(data, &archive_write_add_filter_gzip, "gzip:!timestamp"); }
std::string Zstd(std::string_view data) { return Compress(data, &archive_write_add_filter_zstd, nullptr); }

Result<size_t> MemoryStream::Read(std::span<std::byte> dst) {
  size_t n = std::min({dst.size(), piece_, data_.size() - pos_});
  std::memcpy(dst.data(), data_.data() + pos_, n);
  pos_ += n;
  return n;
}

Result<size_t> FailingStream::Read(std::span<std::byte> dst) {
  if (pos_ == data_.size()) return EnvError("{}", message_);
  size_t n = std::min(dst.size(), data_.size() - pos_);
  std::memcpy(dst.data(), data_.data() + pos_, n);
  pos_ += n;
  return n;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/drydock_test.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    std::perror("mkdtemp");
    std::abort();
  }
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string TempDir::Write(std::string_view rel, std::string_view content) const {
  std::filesystem::path p = std::filesystem::path(path_) / rel;
  std::filesystem::create_directories(p.parent_path());
  std::ofstream f(p, std::ios::binary | std::ios::trunc);
  f.write(content.data(), static_cast<std::streamsize>(content.size()));
  f.close();
  if (!f) {
    std::fprintf(stderr, "tar_builder: cannot write %s\n", p.c_str());
    std::abort();
  }
  return p.string();
}

void ExpectMentions(const std::string& message, const std::vector<std::string>& wants) {
  for (const auto& want : wants) EXPECT_NE(message.find(want), std::string::npos) << message;
}

}  // namespace drydock::testing
