// Fuzzes a whole docker-archive target: OpenDockerArchive → Read into a
// LayerCollector → Take (digest and diff_id verification) → merged view.
//
// Input: byte 0 selects the mode; the rest is
//   mode % 4 == 0: the raw archive bytes;
//   otherwise a structured archive: records separated by "@@@\n", each
//   "<member name>\n<content>". A content starting with "%%%\n" is a layer
//   spec (fuzz_util.h BuildLayerTar), stored plain (mode 1), gzip (2) or
//   zstd (3). In names and contents "@R<n>@" becomes the sha256 hex of
//   record n as stored, "@U<n>@" that of its uncompressed tar and "@Z<n>@"
//   its stored size, for any earlier record n (0-9); in a name, "@S@" is the
//   sha256 hex of the record's own content (for OCI blobs/sha256/<hex>). So
//   inputs can carry matching digests, sizes and diff_ids and reach the
//   verified, merged stages.

#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "layer/analyzer.h"
#include "layer/pipeline.h"
#include "layer/view.h"
#include "source/source.h"

namespace drydock::fuzz {
namespace {

// Expands the placeholders described at the top of this file. `self` is the
// record's own stored bytes (for "@S@", names only), or null.
std::string Substitute(std::string_view s, const std::vector<std::string>& stored,
                       const std::vector<std::string>& plain, const std::string* self) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '@' && self != nullptr && s.substr(i, 3) == "@S@") {
      out += Sha256Of(*self).hex;
      i += 2;
      continue;
    }
    if (s[i] == '@' && i + 3 < s.size() && (s[i + 1] == 'R' || s[i + 1] == 'U' || s[i + 1] == 'Z') && s[i + 2] >= '0' &&
        s[i + 2] <= '9' && s[i + 3] == '@') {
      size_t n = static_cast<size_t>(s[i + 2] - '0');
      if (n < stored.size()) {
        if (s[i + 1] == 'Z') {
          out += std::to_string(stored[n].size());
        } else {
          out += Sha256Of(s[i + 1] == 'R' ? stored[n] : plain[n]).hex;
        }
        i += 3;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

std::string BuildArchive(int mode, std::string_view spec) {
  TarWriter outer;
  std::vector<std::string> stored;
  std::vector<std::string> plain;
  for (std::string_view rec : Split(spec, "@@@\n")) {
    size_t nl = rec.find('\n');
    std::string_view body = nl == std::string_view::npos ? std::string_view() : rec.substr(nl + 1);
    std::string tar;
    std::string blob;
    if (body.substr(0, 4) == "%%%\n") {
      tar = BuildLayerTar(body.substr(4));
      blob = mode == 2 ? Gzip(tar) : mode == 3 ? Zstd(tar) : tar;
    } else {
      blob = tar = Substitute(body, stored, plain, nullptr);
    }
    std::string name = Substitute(rec.substr(0, nl), stored, plain, &blob);
    outer.Add(name.empty() || name.back() != '/' ? '0' : '5', name, "", blob);
    stored.push_back(std::move(blob));
    plain.push_back(std::move(tar));
  }
  return outer.Finish();
}

// One temp file per process, rewritten for every input.
const std::string& ArchivePath() {
  static const std::string path = [] {
    const char* dir = std::getenv("TMPDIR");
    std::string tmpl = std::string(dir != nullptr && *dir != '\0' ? dir : "/tmp") + "/drydock-fuzz-XXXXXX";
    int fd = mkstemp(tmpl.data());
    FUZZ_CHECK(fd >= 0, "mkstemp %s failed", tmpl.c_str());
    close(fd);
    return tmpl;
  }();
  return path;
}

struct RemoveAtExit {
  ~RemoveAtExit() { unlink(ArchivePath().c_str()); }
};

void WriteFile(const std::string& path, std::string_view data) {
  int fd = open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  FUZZ_CHECK(fd >= 0, "open %s failed", path.c_str());
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = write(fd, data.data() + off, data.size() - off);
    FUZZ_CHECK(n > 0, "write failed");
    off += static_cast<size_t>(n);
  }
  close(fd);
}

void Scan(const std::string& path) {
  SourceOptions sopts;
  sopts.max_metadata_bytes = 1 << 20;
  Result<std::unique_ptr<ImageSource>> src = OpenDockerArchive(path, sopts);
  if (!src.ok()) {
    Say("open", src.error().message);
    FUZZ_CHECK(!src.error().message.empty(), "open error with an empty message");
    return;
  }

  FileWants wants;
  wants.globs = {"/etc/**"};
  wants.max_size = 4096;
  CaptureAnalyzer capture(wants);
  PipelineOptions popts;
  popts.chunk_size = 64 << 10;
  popts.queue_depth = 4;
  popts.min_bomb_bytes = int64_t{64} << 20;
  popts.max_entries_per_layer = 100'000;
  LayerCollector collector({&capture}, popts);

  Result<ImageInfo> info = (*src)->Read(collector);
  if (!info.ok()) {
    Say("read", info.error().message);
    FUZZ_CHECK(!info.error().message.empty(), "read error with an empty message");
    return;
  }
  auto layers = collector.Take(*info);
  if (!layers.ok()) {
    Say("take", layers.error().message);
    FUZZ_CHECK(!layers.error().message.empty(), "take error with an empty message");
    return;
  }
  FUZZ_CHECK(layers->size() == info->layers.size(), "Take returned %zu results for %zu layers", layers->size(),
             info->layers.size());
  for (size_t i = 0; i < layers->size(); ++i) {
    const auto& r = (*layers)[i];
    FUZZ_CHECK(r != nullptr && !r->error, "Take succeeded with a failed layer %zu", i);
    FUZZ_CHECK(r->diff_id == info->layers[i].diff_id, "layer %zu diff_id not verified", i);
  }
  info->LinkHistory();

  FileSystemView view(*layers);
  Say("view", std::to_string(info->layers.size()) + " layers, " + std::to_string(view.size()) + " paths");
  for (const char* p : {"/", "/etc/os-release", "/etc/passwd", "/etc/evil/owned", "/usr/lib/os-release"}) {
    (void)view.Resolve(p);
    (void)view.ReadFile(p);
  }
  size_t visited = 0;
  view.ForEach([&](const std::string& p, const FileSystemView::Node& n) {
    FUZZ_CHECK(IsCleanPath(p), "unclean view path");
    FUZZ_CHECK(n.layer >= 0 && static_cast<size_t>(n.layer) < layers->size(), "node layer out of range");
    if (visited++ < 128) {
      (void)view.Resolve(p);
      (void)view.ReadFile(p);
    }
  });
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock::fuzz;
  // Construct the path before the remover so the remover is destroyed first.
  static const std::string& path = ArchivePath();
  static RemoveAtExit cleanup;
  if (size < 1) return 0;
  const int mode = data[0] % 4;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  std::string archive = mode == 0 ? std::string(rest) : BuildArchive(mode, rest);
  WriteFile(path, archive);
  Scan(path);
  return 0;
}
