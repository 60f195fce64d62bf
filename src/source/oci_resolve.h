// Internal to source/: turns OCI / docker-save metadata into an ImageInfo.
// Shared by the docker-archive reader (both layouts) and the OCI layout dir.
#pragma once

#include <functional>
#include <string>

#include "model/image.h"
#include "source/manifest.h"
#include "source/source.h"

namespace drydock {

// Reads a small metadata member (manifest.json, a config, a JSON blob) by
// its name in the archive or layout ("blobs/sha256/<hex>"). Returns an
// input error if it is missing or larger than the metadata limit.
using ReadMember = std::function<Result<std::string>(const std::string& name)>;

// How the resolver reads documents by descriptor: a layout or archive reads
// both kinds as "blobs/sha256/<hex>"; a registry asks /manifests/ for
// manifests and indexes and /blobs/ for configs. The resolver checks every
// document against its descriptor's digest.
struct DescriptorReader {
  std::function<Result<std::string>(const Descriptor&)> manifest;
  std::function<Result<std::string>(const Descriptor&)> blob;
};

// From a root document already read (a registry's answer to a tag or
// digest): an index is flattened and a manifest chosen by platform as for
// ResolveOciIndex; a manifest is used as is. `root_digest` is the
// document's own digest (the manifest digest of the image when it is a
// manifest). Layer names are "blobs/sha256/<hex>".
Result<ImageInfo> ResolveRootDocument(const std::string& bytes, bool is_index, const Digest& root_digest,
                                      const SourceOptions& opts, const DescriptorReader& read);

// From an OCI index (index.json of a layout or an OCI-in-tar archive):
// select the image by `tag` (org.opencontainers.image.ref.name) and
// platform, following nested indexes (cycles and depth > 8 refused), then
// the manifest and config. Every JSON blob read is checked against its
// descriptor's digest. Layer names are "blobs/sha256/<hex>".
Result<ImageInfo> ResolveOciIndex(const std::string& index_json, const std::string& tag, const SourceOptions& opts,
                                  const ReadMember& read);

// From a docker-save manifest.json (classic or Docker >= 25 layout).
Result<ImageInfo> ResolveDockerSave(const std::string& manifest_json, const ReadMember& read);

// Layer count must match the config's diff_ids; fills indexes and history.
Status FinishImageInfo(ImageInfo& info);

}  // namespace drydock
