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
#include <vector>

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
  // Asked before a layer blob is read, by sources that know the layer (its
  // descriptor and the config's diff_id) before they read its bytes: the
  // registry, an OCI layout, a seekable docker-archive. True means the sink
  // already holds this layer's result (the layer cache answered) and the
  // source must not read or fetch the blob. `declared` is the blob size the
  // source knows (-1 if none). May be called from several threads.
  virtual bool HaveLayer(const Layer& /*layer*/, int64_t /*declared*/) { return false; }
  // The source will not read this layer (a non-distributable layer the user
  // did not allow fetching): the scan goes on without its files and says
  // why in a diagnostic.
  virtual void OnSkippedLayer(const Layer& /*layer*/, const std::string& /*why*/) {}
};

// How to reach registries (registry: targets and bare names that are
// neither a path nor a local image).
struct RegistryOptions {
  std::string username;  // --username; with `password`, used for every registry
  std::string password;  // --password-stdin
  std::string docker_config_dir;  // "" = $DOCKER_CONFIG, else ~/.docker
  std::vector<std::string> ca_files;         // --registry-ca: added to the system store
  std::vector<std::string> insecure_hosts;   // --insecure-registry HOST[:PORT]: plain HTTP / unverified TLS
  bool allow_foreign_layers = false;         // fetch non-distributable layers from their urls
  int connect_timeout_s = 15;
  int stall_timeout_s = 30;   // no byte for this long ends a transfer
  int max_attempts = 4;       // per request, on 429/5xx/connection errors
  int parallel_blobs = 3;     // layer blobs fetched at once
  bool quiet = false;         // no warnings on stderr
};

struct SourceOptions {
  Platform platform = Platform::Host();
  bool platform_explicit = false;
  std::string docker_host;                // "" = $DOCKER_HOST or the default socket
  int64_t max_metadata_bytes = 16 << 20;  // manifest, index, config JSON
  RegistryOptions registry;
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
// "oci:DIR[:TAG]", "dir:ROOT", "docker:NAME", "registry:REF", or a bare name
// (existing file → archive, directory with oci-layout → OCI, other directory
// → rootfs, else the local engine when it has the image, else the registry).
Result<std::unique_ptr<ImageSource>> OpenSource(std::string_view target, const SourceOptions& opts);

// Individual openers, for tests and the resolver.
Result<std::unique_ptr<ImageSource>> OpenDockerArchive(const std::string& path, const SourceOptions& opts);
Result<std::unique_ptr<ImageSource>> OpenOciLayout(const std::string& dir, const std::string& tag,
                                                   const SourceOptions& opts);
Result<std::unique_ptr<ImageSource>> OpenRootfsDir(const std::string& dir, const SourceOptions& opts);
Result<std::unique_ptr<ImageSource>> OpenDockerEngine(const std::string& name, const SourceOptions& opts);
// Whether the local engine has image `name`: false when it does not, or when
// no engine answers (the error says why).
Result<bool> DockerEngineHasImage(const std::string& name, const SourceOptions& opts);
// "HOST/REPO[:TAG][@DIGEST]" or a Docker Hub short name ("alpine:3.19").
Result<std::unique_ptr<ImageSource>> OpenRegistry(const std::string& reference, const SourceOptions& opts);

}  // namespace drydock
