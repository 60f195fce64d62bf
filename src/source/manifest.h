// Parsers for the JSON documents that describe an image inside an archive or
// layout: OCI index.json / image index, OCI or Docker v2 manifests, and the
// classic `docker save` manifest.json. Input is untrusted; every error names
// the document.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/digest.h"
#include "base/result.h"
#include "model/image.h"

namespace drydock {

// A descriptor (OCI image spec "content descriptor").
struct Descriptor {
  std::string media_type;
  Digest digest;
  int64_t size = -1;
  std::optional<Platform> platform;
  std::map<std::string, std::string> annotations;
  std::vector<std::string> urls;  // non-distributable ("foreign") layers: where the blob lives
};

// An OCI image index or Docker manifest list.
struct ImageIndex {
  std::vector<Descriptor> manifests;
};

// An OCI image manifest or Docker image manifest v2 schema 2.
struct ImageManifest {
  std::string media_type;
  Descriptor config;
  std::vector<Descriptor> layers;
};

// One entry of a classic docker-save manifest.json.
struct DockerSaveEntry {
  std::string config;  // "<hex>.json" or "blobs/sha256/<hex>"
  std::vector<std::string> repo_tags;
  std::vector<std::string> layers;  // paths of layer tars inside the archive
};

// Media types (docker v2 and OCI) the parsers know.
bool IsIndexMediaType(std::string_view mt);
bool IsManifestMediaType(std::string_view mt);
bool IsLayerMediaType(std::string_view mt);

Result<ImageIndex> ParseImageIndex(std::string_view json, std::string_view what);
Result<ImageManifest> ParseImageManifest(std::string_view json, std::string_view what);
Result<std::vector<DockerSaveEntry>> ParseDockerSaveManifest(std::string_view json);

// "blobs/sha256/<hex>" for a digest.
std::string BlobPath(const Digest& d);

}  // namespace drydock
