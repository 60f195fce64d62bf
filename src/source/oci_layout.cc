// oci:DIR[:TAG] — an OCI image layout directory: oci-layout, index.json,
// blobs/<alg>/<hex>. Blob paths are built only from parsed digests (64 hex
// digits), so a descriptor can never name a file outside blobs/.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <set>

#include "base/path.h"
#include "model/json_util.h"
#include "source/oci_resolve.h"
#include "source/tar_stream.h"

namespace drydock {

namespace {

// Files of a layout are opened with O_NOFOLLOW: a symlink could lead out.
std::string OpenError(int err) {
  return err == ELOOP ? "is a symbolic link; layout files must be regular files" : std::strerror(err);
}

// A blob that cannot be opened, handed to the sink so the scan names why.
class ErrorStream final : public ByteStream {
 public:
  explicit ErrorStream(Error e) : e_(std::move(e)) {}
  Result<size_t> Read(std::span<std::byte>) override { return e_; }

 private:
  Error e_;
};

class OciLayoutSource final : public ImageSource {
 public:
  OciLayoutSource(std::string dir, std::string tag, SourceOptions opts)
      : dir_(std::move(dir)), tag_(std::move(tag)), opts_(std::move(opts)) {}

  Result<ImageInfo> Read(BlobSink& sink) override {
    ASSIGN_OR_RETURN(std::string layout, ReadSmall("oci-layout"));
    simdjson::dom::parser parser;
    ASSIGN_OR_RETURN(auto root, json::Parse(parser, layout, Printable(dir_) + "/oci-layout"));
    ASSIGN_OR_RETURN(std::string version, json::String(root, "imageLayoutVersion", "oci-layout"));
    if (version != "1.0.0")
      return InputError("{}/oci-layout: unsupported imageLayoutVersion {:?}", Printable(dir_), Printable(version));
    ASSIGN_OR_RETURN(std::string index, ReadSmall("index.json"));
    ASSIGN_OR_RETURN(ImageInfo info,
                     ResolveOciIndex(index, tag_, opts_, [&](const std::string& n) { return ReadSmall(n); }));
    info.source_kind = "oci-layout";
    std::set<std::string> done;
    for (const auto& layer : info.layers) {
      if (!done.insert(layer.blob.name).second) continue;
      std::string path = dir_ + "/" + layer.blob.name;
      int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
      if (fd < 0) {
        if (errno == ENOENT) continue;  // reported as missing when layers are matched
        ErrorStream bad(InputError("{}: {}", Printable(path), OpenError(errno)));
        (void)sink.OnLayerBlob(layer.blob.name, -1, bad);
        continue;
      }
      std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* f) { close(*f); });
      struct stat st {};
      if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        ErrorStream bad(InputError("{}: not a regular file", Printable(path)));
        (void)sink.OnLayerBlob(layer.blob.name, -1, bad);
        continue;
      }
      // The layer cache may have it: then the blob is not read.
      if (sink.HaveLayer(layer, st.st_size)) continue;
      FileRangeStream s(fd, 0, st.st_size, Printable(path));
      s.Map();
      (void)sink.OnLayerBlob(layer.blob.name, st.st_size, s);
    }
    return info;
  }

 private:
  Result<std::string> ReadSmall(const std::string& name) {
    std::string path = dir_ + "/" + name;
    int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return InputError("{}: {}", Printable(path), OpenError(errno));
    std::unique_ptr<int, void (*)(int*)> guard(&fd, [](int* f) { close(*f); });
    struct stat st {};
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return InputError("{}: not a regular file", Printable(path));
    if (st.st_size > opts_.max_metadata_bytes) {
      return InputError("{}: {} bytes, over the {} byte metadata limit", Printable(path), st.st_size,
                        opts_.max_metadata_bytes);
    }
    return ReadRange(fd, 0, st.st_size, Printable(path));
  }

  std::string dir_;
  std::string tag_;
  SourceOptions opts_;
};

}  // namespace

Result<std::unique_ptr<ImageSource>> OpenOciLayout(const std::string& dir, const std::string& tag,
                                                   const SourceOptions& opts) {
  return std::unique_ptr<ImageSource>(std::make_unique<OciLayoutSource>(dir, tag, opts));
}

}  // namespace drydock
