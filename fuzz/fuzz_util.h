// Helpers shared by the fuzz targets: a ByteStream over the fuzz input, a
// small tar writer for the structure-aware input modes, and the invariant
// checks the targets assert (a violated invariant aborts, so the fuzzer
// reports it like a crash).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <zlib.h>
#include <zstd.h>

#include "base/byte_stream.h"
#include "base/digest.h"
#include "base/result.h"

namespace drydock::fuzz {

// Aborts with a message when an invariant the headers promise is broken.
#define FUZZ_CHECK(cond, ...)                                                             \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "FUZZ_CHECK failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      std::fprintf(stderr, "  " __VA_ARGS__);                                             \
      std::fprintf(stderr, "\n");                                                         \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)

// DRYDOCK_FUZZ_VERBOSE=1 makes the targets say how far each input got, to
// check that seeds reach the deep stages.
inline bool Verbose() {
  static const bool v = std::getenv("DRYDOCK_FUZZ_VERBOSE") != nullptr;
  return v;
}
inline void Say(const char* stage, const std::string& what) {
  if (Verbose()) std::fprintf(stderr, "fuzz: %s: %s\n", stage, what.c_str());
}

// A ByteStream over borrowed bytes that hands them out in pieces of at most
// `piece` bytes, so readers see the awkward short reads real pipes give.
class SpanStream final : public ByteStream {
 public:
  SpanStream(std::string_view data, size_t piece) : data_(data), piece_(std::max<size_t>(piece, 1)) {}
  Result<size_t> Read(std::span<std::byte> dst) override {
    size_t n = std::min({dst.size(), piece_, data_.size() - pos_});
    if (n != 0) std::memcpy(dst.data(), data_.data() + pos_, n);
    pos_ += n;
    return n;
  }

 private:
  std::string_view data_;
  size_t piece_;
  size_t pos_ = 0;
};

// The "clean path" form layer/layer.h and base/path.h promise: absolute, no
// empty, "." or ".." components, no trailing slash, no NUL. The root may be
// spelled "/" or "".
inline bool IsCleanPath(std::string_view p) {
  if (p.empty() || p == "/") return true;
  if (p.front() != '/' || p.back() == '/') return false;
  if (p.find('\0') != std::string_view::npos) return false;
  size_t i = 1;
  while (i <= p.size()) {
    size_t j = p.find('/', i);
    if (j == std::string_view::npos) j = p.size();
    std::string_view comp = p.substr(i, j - i);
    if (comp.empty() || comp == "." || comp == "..") return false;
    i = j + 1;
  }
  return true;
}

// Splits `s` on `sep`.
inline std::vector<std::string_view> Split(std::string_view s, std::string_view sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    if (at == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, at - start));
    start = at + sep.size();
  }
}

// Builds a tar archive in memory: ustar headers, with a pax 'x' header when a
// name or link target does not fit.
class TarWriter {
 public:
  void Add(char type, std::string_view name, std::string_view link, std::string_view content, uint32_t mode = 0644) {
    if (name.size() > 100 || link.size() > 100) {
      std::string pax;
      if (name.size() > 100) pax += PaxRecord("path", name);
      if (link.size() > 100) pax += PaxRecord("linkpath", link);
      Header('x', "PaxHeader", "", pax.size(), 0644);
      Data(pax);
    }
    const bool has_data = type == '0' || type == '\0' || type == '7';
    Header(type, name.substr(0, 100), link.substr(0, 100), has_data ? content.size() : 0, mode);
    if (has_data) Data(content);
  }
  // Two zero blocks end the archive.
  std::string Finish() {
    out_.append(1024, '\0');
    return std::move(out_);
  }

 private:
  static std::string PaxRecord(std::string_view key, std::string_view value) {
    // "<len> key=value\n" where len counts itself.
    size_t body = 1 + key.size() + 1 + value.size() + 1;
    size_t len = body + 1;
    while (std::to_string(len).size() + body != len) ++len;
    return std::to_string(len) + " " + std::string(key) + "=" + std::string(value) + "\n";
  }
  static void Octal(char* field, size_t width, uint64_t v) {
    std::snprintf(field, width, "%0*llo", static_cast<int>(width - 1), static_cast<unsigned long long>(v));
  }
  void Header(char type, std::string_view name, std::string_view link, uint64_t size, uint32_t mode) {
    char h[512] = {};
    name.copy(h, 100);
    Octal(h + 100, 8, mode & 07777);
    Octal(h + 108, 8, 0);
    Octal(h + 116, 8, 0);
    Octal(h + 124, 12, size);
    Octal(h + 136, 12, 0);
    h[156] = type;
    link.copy(h + 157, 100);
    std::memcpy(h + 257, "ustar", 6);
    std::memcpy(h + 263, "00", 2);
    std::memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (unsigned char c : h) sum += c;
    std::snprintf(h + 148, 8, "%06o", sum);
    out_.append(h, 512);
  }
  void Data(std::string_view d) {
    out_.append(d);
    out_.append((512 - d.size() % 512) % 512, '\0');
  }
  std::string out_;
};

// Builds a layer tar from the structured form: records separated by
// "%%%\n"; each record is "<type><name>[\t<link>]\n<content>". Type '0'
// file, '5' dir, '2' symlink, '1' hardlink; anything else is passed through
// as the tar type flag.
inline std::string BuildLayerTar(std::string_view spec) {
  TarWriter w;
  for (std::string_view rec : Split(spec, "%%%\n")) {
    if (rec.empty()) continue;
    size_t nl = rec.find('\n');
    std::string_view head = rec.substr(0, nl);
    std::string_view content = nl == std::string_view::npos ? std::string_view() : rec.substr(nl + 1);
    char type = head.empty() ? '0' : head[0];
    std::string_view rest = head.empty() ? head : head.substr(1);
    size_t tab = rest.find('\t');
    std::string_view name = rest.substr(0, tab);
    std::string_view link = tab == std::string_view::npos ? std::string_view() : rest.substr(tab + 1);
    uint32_t mode = type == '5' ? 0755 : (content.size() % 7 == 3 ? 04755 : 0644);
    w.Add(type, name, link, content, mode);
  }
  return w.Finish();
}

// gzip (one member) of `in`, or "" if zlib fails.
inline std::string Gzip(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

// zstd frame of `in` (level 1).
inline std::string Zstd(std::string_view in) {
  std::string out(ZSTD_compressBound(in.size()), '\0');
  size_t n = ZSTD_compress(out.data(), out.size(), in.data(), in.size(), 1);
  if (ZSTD_isError(n)) return {};
  out.resize(n);
  return out;
}

}  // namespace drydock::fuzz
