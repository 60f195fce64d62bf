// dir:ROOTFS — an unpacked root filesystem, handed to the pipeline as one
// layer. It has no image config: checks that need one do not run.
#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "base/path.h"
#include "source/source.h"

namespace drydock {

namespace {

class RootfsDirSource final : public ImageSource {
 public:
  RootfsDirSource(std::string dir, SourceOptions opts) : dir_(std::move(dir)), opts_(std::move(opts)) {}
  Result<ImageInfo> Read(BlobSink& sink) override {
    RETURN_IF_ERROR(sink.OnRootfsDir("rootfs", dir_));
    ImageInfo info;
    info.source_kind = "dir";
    Layer layer;
    layer.blob.name = "rootfs";
    info.layers.push_back(std::move(layer));
    info.config.os = "linux";
    return info;
  }

 private:
  std::string dir_;
  SourceOptions opts_;
};

}  // namespace

Result<std::unique_ptr<ImageSource>> OpenRootfsDir(const std::string& dir, const SourceOptions& opts) {
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0) return InputError("dir:{}: {}", Printable(dir), std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) return InputError("dir:{}: not a directory", Printable(dir));
  return std::unique_ptr<ImageSource>(std::make_unique<RootfsDirSource>(dir, opts));
}

}  // namespace drydock
