// Test support: the metadata and blobs of OCI layouts and docker-save
// archives, built from layer tars so tests can assemble images on the fly.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/digest.h"
#include "base/result.h"
#include "layer/layer.h"
#include "model/image.h"
#include "source/source.h"

namespace drydock::testing {

inline constexpr std::string_view kOciIndexType = "application/vnd.oci.image.index.v1+json";
inline constexpr std::string_view kOciManifestType = "application/vnd.oci.image.manifest.v1+json";
inline constexpr std::string_view kOciConfigType = "application/vnd.oci.image.config.v1+json";
inline constexpr std::string_view kOciLayerGzipType = "application/vnd.oci.image.layer.v1.tar+gzip";
inline constexpr std::string_view kOciLayerTarType = "application/vnd.oci.image.layer.v1.tar";
inline constexpr std::string_view kRefNameKey = "org.opencontainers.image.ref.name";

// An image config whose rootfs lists the sha256 of each tar in `layer_tars`.
nlohmann::json ImageConfigJson(const std::vector<std::string>& layer_tars, std::string_view arch = "amd64",
                               std::string_view variant = "");

// Content-addressed blobs ("blobs/sha256/<hex>" → bytes) and the
// descriptors that name them.
class BlobStore {
 public:
  // Stores `bytes`; returns its descriptor.
  nlohmann::json Add(std::string_view media_type, std::string bytes);
  // Stores a config for `layer_tars` (gzip-compressed as layer blobs) and
  // the OCI manifest listing them; returns the manifest's descriptor with
  // a platform of linux/`arch`[/`variant`]. `edit_config` may change the
  // config (history, Env, …) before it is stored.
  nlohmann::json AddImage(const std::vector<std::string>& layer_tars, std::string_view arch = "amd64",
                          std::string_view variant = "",
                          const std::function<void(nlohmann::json&)>& edit_config = nullptr);
  // Stores an OCI image index listing `manifests`; returns its descriptor.
  nlohmann::json AddIndex(const std::vector<nlohmann::json>& manifests);
  const std::map<std::string, std::string>& blobs() const { return blobs_; }

 private:
  std::map<std::string, std::string> blobs_;
};

// `desc` with an org.opencontainers.image.ref.name annotation.
nlohmann::json Tagged(nlohmann::json desc, std::string_view tag);

// The text of an index.json listing `manifests`.
std::string IndexJson(const std::vector<nlohmann::json>& manifests);

// The "blobs/sha256/<hex>" path a descriptor names.
std::string BlobPathOf(const nlohmann::json& desc);

// Source options for a linux/amd64 host that did not ask for a platform.
SourceOptions Amd64Host();

// An image read end to end: source → LayerCollector → Take.
struct ScannedImage {
  ImageInfo info;
  std::vector<std::shared_ptr<const LayerResult>> layers;
};

// Opens `target` with OpenSource, reads it through a LayerCollector with a
// capture-everything analyzer, and verifies the layers with Take. The error
// is whichever step failed first.
Result<ScannedImage> ScanTarget(std::string_view target, const SourceOptions& opts);

}  // namespace drydock::testing
