#include "source/manifest.h"

#include "model/json_util.h"

namespace drydock {

using simdjson::dom::element;

bool IsIndexMediaType(std::string_view mt) {
  return mt == "application/vnd.oci.image.index.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.list.v2+json";
}

bool IsManifestMediaType(std::string_view mt) {
  return mt == "application/vnd.oci.image.manifest.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.v2+json";
}

bool IsLayerMediaType(std::string_view mt) {
  static constexpr std::string_view kKnown[] = {
      "application/vnd.oci.image.layer.v1.tar",
      "application/vnd.oci.image.layer.v1.tar+gzip",
      "application/vnd.oci.image.layer.v1.tar+zstd",
      "application/vnd.oci.image.layer.nondistributable.v1.tar",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
      "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
      "application/vnd.docker.image.rootfs.diff.tar",
      "application/vnd.docker.image.rootfs.diff.tar.gzip",
      "application/vnd.docker.image.rootfs.diff.tar.zstd",
      "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
  };
  for (auto k : kKnown) {
    if (mt == k) return true;
  }
  return false;
}

std::string BlobPath(const Digest& d) { return "blobs/" + d.algorithm + "/" + d.hex; }

namespace {

Result<Descriptor> ParseDescriptor(element e, std::string_view what) {
  Descriptor d;
  ASSIGN_OR_RETURN(d.media_type, json::String(e, "mediaType", what));
  ASSIGN_OR_RETURN(std::string dig, json::String(e, "digest", what));
  auto parsed = Digest::Parse(dig);
  if (!parsed.ok()) return parsed.error().Wrap(what);
  d.digest = std::move(parsed).value();
  ASSIGN_OR_RETURN(d.size, json::Int(e, "size", -1, what));
  ASSIGN_OR_RETURN(d.annotations, json::StringMap(e, "annotations", what));
  ASSIGN_OR_RETURN(d.urls, json::StringArray(e, "urls", what));
  if (auto p = json::Get(e, "platform"); p && p->is_object()) {
    Platform plat;
    ASSIGN_OR_RETURN(plat.os, json::String(*p, "os", what));
    ASSIGN_OR_RETURN(plat.architecture, json::String(*p, "architecture", what));
    ASSIGN_OR_RETURN(plat.variant, json::String(*p, "variant", what));
    d.platform = std::move(plat);
  }
  return d;
}

Result<std::vector<Descriptor>> ParseDescriptors(element root, std::string_view key, std::string_view what) {
  std::vector<Descriptor> out;
  auto v = json::Get(root, key);
  if (!v) return out;
  simdjson::dom::array arr;
  if (v->get_array().get(arr)) return InputError("{}: {} is not an array", what, key);
  for (element e : arr) {
    ASSIGN_OR_RETURN(Descriptor d, ParseDescriptor(e, what));
    out.push_back(std::move(d));
  }
  return out;
}

}  // namespace

Result<ImageIndex> ParseImageIndex(std::string_view text, std::string_view what) {
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, text, what));
  if (!root.is_object()) return InputError("{}: not a JSON object", what);
  ImageIndex idx;
  ASSIGN_OR_RETURN(idx.manifests, ParseDescriptors(root, "manifests", what));
  return idx;
}

Result<ImageManifest> ParseImageManifest(std::string_view text, std::string_view what) {
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, text, what));
  if (!root.is_object()) return InputError("{}: not a JSON object", what);
  ImageManifest m;
  ASSIGN_OR_RETURN(m.media_type, json::String(root, "mediaType", what));
  auto cfg = json::Get(root, "config");
  if (!cfg || !cfg->is_object()) return InputError("{}: no config descriptor", what);
  ASSIGN_OR_RETURN(m.config, ParseDescriptor(*cfg, what));
  ASSIGN_OR_RETURN(m.layers, ParseDescriptors(root, "layers", what));
  return m;
}

Result<std::vector<DockerSaveEntry>> ParseDockerSaveManifest(std::string_view text) {
  constexpr std::string_view kWhat = "manifest.json";
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, text, kWhat));
  simdjson::dom::array arr;
  if (root.get_array().get(arr)) return InputError("manifest.json: not a JSON array");
  std::vector<DockerSaveEntry> out;
  for (element e : arr) {
    DockerSaveEntry entry;
    ASSIGN_OR_RETURN(entry.config, json::String(e, "Config", kWhat));
    ASSIGN_OR_RETURN(entry.repo_tags, json::StringArray(e, "RepoTags", kWhat));
    ASSIGN_OR_RETURN(entry.layers, json::StringArray(e, "Layers", kWhat));
    if (entry.config.empty()) return InputError("manifest.json: entry without Config");
    out.push_back(std::move(entry));
  }
  if (out.empty()) return InputError("manifest.json: no images");
  return out;
}

}  // namespace drydock
