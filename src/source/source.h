// Image sources: where the bytes of an image come from. A source knows the
// container format (docker-save tar, OCI layout, rootfs dir, Docker Engine
// stream) and hands each layer blob, exactly once, to a BlobSink; it never
// interprets layer contents.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/byte_stream.h"
#include "base/result.h"
#include "model/image.h"

namespace drydock {

// Receives layer blobs from a source. Implemented by the layer pipeline.
// A source may call OnLayerBlob from more than one thread at a time.
class BlobSink {
 public:
  virtual ~BlobSink() = default;
  // `name` identifies the blob within the source ("blobs/sha256/…" or
  // "<id>/layer.tar"); the ImageInfo's LayerBlob::name refers to it.
  // `declared` is the blob size the container format declares (-1 if none).
  // The sink reads `stream` to its end or returns an error; the source skips
  // what is left. An error here is about this blob only: the source goes on,
  // and the scan fails only if the blob turns out to be a layer of the image.
  virtual Status OnLayerBlob(const std::string& name, int64_t declared, ByteStream& stream) = 0;
  // For `dir:` targets: the whole root filesystem is one layer read from disk.
  virtual Status OnRootfsDir(const std::string& name, const std::string& dir) = 0;
};

struct SourceOptions {
  Platform platform = Platform::Host();
  bool platform_explicit = false;
  std::string docker_host;                // "" = $DOCKER_HOST or the default socket
  int64_t max_metadata_bytes = 16 << 20;  // manifest, index, config JSON
};

// An opened target. Read() does all the I/O.
class ImageSource {
 public:
  virtual ~ImageSource() = default;
  // Streams every layer blob to `sink` and returns the image description.
  // Errors: the target cannot be read (missing file, no manifest, a layer
  // named by the manifest is missing, malformed JSON…).
  virtual Result<ImageInfo> Read(BlobSink& sink) = 0;
};

// Resolves a target argument as PRODUCT.md says: "docker-archive:F",
// "oci:DIR[:TAG]", "dir:ROOT", "docker:NAME", or a bare name (existing file →
// archive, directory with oci-layout → OCI, other directory → rootfs, else the
// local engine).
Result<std::unique_ptr<ImageSource>> OpenSource(std::string_view target, const SourceOptions& opts);

// Individual openers, for tests and the resolver.
Result<std::unique_ptr<ImageSource>> OpenDockerArchive(const std::string& path, const SourceOptions& opts);
Result<std::unique_ptr<ImageSource>> OpenOciLayout(const std::string& dir, const std::string& tag,
                                                   const SourceOptions& opts);
Result<std::unique_ptr<ImageSource>> OpenRootfsDir(const std::string& dir, const SourceOptions& opts);
Result<std::unique_ptr<ImageSource>> OpenDockerEngine(const std::string& name, const SourceOptions& opts);

}  // namespace drydock
