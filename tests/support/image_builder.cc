#include "support/image_builder.h"

#include "layer/analyzer.h"
#include "layer/pipeline.h"
#include "support/tar_builder.h"

namespace drydock::testing {

using nlohmann::json;

json ImageConfigJson(const std::vector<std::string>& layer_tars, std::string_view arch, std::string_view variant) {
  json diff_ids = json::array();
  json history = json::array();
  for (size_t i = 0; i < layer_tars.size(); ++i) {
    diff_ids.push_back(Sha256Of(layer_tars[i]).str());
    history.push_back({{"created_by", "layer " + std::to_string(i)}});
  }
  json cfg = {
      {"architecture", arch},
      {"os", "linux"},
      {"config", {{"User", "app"}, {"Cmd", {"/bin/sh"}}}},
      {"rootfs", {{"type", "layers"}, {"diff_ids", diff_ids}}},
      {"history", history},
  };
  if (!variant.empty()) cfg["variant"] = variant;
  return cfg;
}

json BlobStore::Add(std::string_view media_type, std::string bytes) {
  Digest d = Sha256Of(bytes);
  json desc = {{"mediaType", media_type}, {"digest", d.str()}, {"size", bytes.size()}};
  blobs_["blobs/sha256/" + d.hex] = std::move(bytes);
  return desc;
}

json BlobStore::AddImage(const std::vector<std::string>& layer_tars, std::string_view arch, std::string_view variant,
                        const std::function<void(json&)>& edit_config) {
  json layers = json::array();
  for (const auto& tar : layer_tars) layers.push_back(Add(kOciLayerGzipType, Gzip(tar)));
  json config_json = ImageConfigJson(layer_tars, arch, variant);
  if (edit_config) edit_config(config_json);
  json config = Add(kOciConfigType, config_json.dump());
  json manifest = {
      {"schemaVersion", 2},
      {"mediaType", kOciManifestType},
      {"config", config},
      {"layers", layers},
  };
  json desc = Add(kOciManifestType, manifest.dump());
  desc["platform"] = {{"os", "linux"}, {"architecture", arch}};
  if (!variant.empty()) desc["platform"]["variant"] = variant;
  return desc;
}

json BlobStore::AddIndex(const std::vector<json>& manifests) {
  json index = {{"schemaVersion", 2}, {"mediaType", kOciIndexType}, {"manifests", manifests}};
  return Add(kOciIndexType, index.dump());
}

json Tagged(json desc, std::string_view tag) {
  desc["annotations"][std::string(kRefNameKey)] = tag;
  return desc;
}

std::string IndexJson(const std::vector<json>& manifests) {
  return json{{"schemaVersion", 2}, {"mediaType", kOciIndexType}, {"manifests", manifests}}.dump();
}

std::string BlobPathOf(const json& desc) {
  std::string d = desc.at("digest").get<std::string>();
  return "blobs/sha256/" + d.substr(d.find(':') + 1);
}

SourceOptions Amd64Host() {
  SourceOptions o;
  o.platform = Platform{"linux", "amd64", ""};
  o.platform_explicit = false;
  return o;
}

Result<ScannedImage> ScanTarget(std::string_view target, const SourceOptions& opts) {
  ASSIGN_OR_RETURN(auto source, OpenSource(target, opts));
  const CaptureAnalyzer capture(FileWants{.all_regular_files = true});
  PipelineOptions popts;
  popts.chunk_size = 4099;
  popts.queue_depth = 2;
  LayerCollector collector({&capture}, popts);
  ScannedImage out;
  ASSIGN_OR_RETURN(out.info, source->Read(collector));
  ASSIGN_OR_RETURN(out.layers, collector.Take(out.info));
  return out;
}

}  // namespace drydock::testing
