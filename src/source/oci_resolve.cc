#include "source/oci_resolve.h"

#include <algorithm>
#include <set>

#include "base/path.h"
#include "source/tar_stream.h"

namespace drydock {

namespace {

constexpr std::string_view kRefName = "org.opencontainers.image.ref.name";
// containerd (and docker save >= 25, nerdctl, buildkit's oci exporter) name
// the image in full: "docker.io/library/alpine:3.19".
constexpr std::string_view kContainerdName = "io.containerd.image.name";
constexpr int kMaxIndexDepth = 8;
constexpr size_t kMaxManifests = 10000;

DescriptorReader FromMembers(const ReadMember& read) {
  auto by_path = [read](const Descriptor& d) { return read(BlobPath(d.digest)); };
  return DescriptorReader{by_path, by_path};
}

Result<std::string> ReadVerified(const Descriptor& d, const std::function<Result<std::string>(const Descriptor&)>& read,
                                 std::string_view what) {
  ASSIGN_OR_RETURN(std::string bytes, read(d));
  Digest got = Sha256Of(bytes);
  if (got != d.digest) {
    return InputError("{} {}: digest mismatch: content is {}", what, d.digest.short_str(), got.short_str());
  }
  return bytes;
}

bool IsAttestation(const Descriptor& d) {
  return d.platform && d.platform->os == "unknown" && d.platform->architecture == "unknown";
}

// Expands nested indexes into the manifests they list.
// `seen` holds the indexes on the current path (a repeat is a cycle);
// `expanded` those already flattened anywhere (a repeat adds nothing).
Status Flatten(const std::vector<Descriptor>& in, const DescriptorReader& read, int depth, std::set<Digest>& seen,
               std::set<Digest>& expanded, std::vector<Descriptor>& out) {
  if (depth > kMaxIndexDepth) return InputError("image index: nested deeper than {}", kMaxIndexDepth);
  for (const auto& d : in) {
    if (IsIndexMediaType(d.media_type)) {
      if (seen.contains(d.digest)) return InputError("image index: cycle through {}", d.digest.short_str());
      if (!expanded.insert(d.digest).second) continue;
      if (expanded.size() > 256) return InputError("image index: more than 256 nested indexes");
      seen.insert(d.digest);
      ASSIGN_OR_RETURN(std::string bytes, ReadVerified(d, read.manifest, "image index"));
      ASSIGN_OR_RETURN(ImageIndex sub, ParseImageIndex(bytes, "image index " + d.digest.short_str()));
      RETURN_IF_ERROR(Flatten(sub.manifests, read, depth + 1, seen, expanded, out));
      seen.erase(d.digest);
    } else if (IsManifestMediaType(d.media_type) || d.media_type.empty()) {
      if (!IsAttestation(d)) out.push_back(d);
      if (out.size() > kMaxManifests) return InputError("image index: more than {} image manifests", kMaxManifests);
    }
    // Other media types (artifacts, signatures) are not images: skipped.
  }
  return Ok();
}

Result<Descriptor> PickManifest(const std::vector<Descriptor>& all, const SourceOptions& opts) {
  if (all.empty()) return InputError("image index: no image manifests");
  std::vector<const Descriptor*> match;
  for (const auto& d : all) {
    if (!d.platform || opts.platform.Matches(*d.platform)) match.push_back(&d);
  }
  if (match.empty() && all.size() == 1 && !opts.platform_explicit) return all[0];
  if (match.empty()) {
    std::string avail;
    for (const auto& d : all) {
      if (d.platform) avail += (avail.empty() ? "" : ", ") + d.platform->str();
    }
    return InputError("image index: no manifest for platform {} (available: {})", opts.platform.str(), avail);
  }
  return *match[0];
}

Result<ImageInfo> FromManifestBytes(const std::string& mbytes, const Digest& digest, const DescriptorReader& read) {
  ASSIGN_OR_RETURN(ImageManifest m, ParseImageManifest(mbytes, "manifest " + digest.short_str()));
  const Digest md{digest};
  ASSIGN_OR_RETURN(std::string cbytes, ReadVerified(m.config, read.blob, "config"));
  ImageInfo info;
  auto cfg = ParseImageConfig(cbytes);
  if (!cfg.ok()) return cfg.error().Wrap(m.config.digest.short_str());
  info.config = std::move(cfg).value();
  info.config_digest = m.config.digest;
  info.manifest_digest = md;
  for (const auto& l : m.layers) {
    if (!IsLayerMediaType(l.media_type)) {
      return InputError("manifest {}: layer {} has unsupported media type {:?}", md.short_str(),
                        l.digest.short_str(), Printable(l.media_type));
    }
    Layer layer;
    layer.blob = LayerBlob{BlobPath(l.digest), l.media_type, l.digest, l.size, l.urls};
    info.layers.push_back(std::move(layer));
  }
  return info;
}

Result<ImageInfo> FromManifest(const Descriptor& md, const DescriptorReader& read) {
  ASSIGN_OR_RETURN(std::string mbytes, ReadVerified(md, read.manifest, "manifest"));
  return FromManifestBytes(mbytes, md.digest, read);
}

// The image manifests `in` lists (nested indexes expanded, duplicates
// dropped), then the one for the platform. `root` is the index that listed
// them, when it has a digest: an index naming itself is a cycle.
Result<Descriptor> FlattenAndPick(const std::vector<Descriptor>& in, const SourceOptions& opts,
                                  const DescriptorReader& read, const Digest& root) {
  std::vector<Descriptor> manifests;
  std::set<Digest> seen, expanded;
  if (!root.empty()) {
    seen.insert(root);
    expanded.insert(root);
  }
  RETURN_IF_ERROR(Flatten(in, read, 0, seen, expanded, manifests));
  std::sort(manifests.begin(), manifests.end(),
            [](const Descriptor& a, const Descriptor& b) { return a.digest < b.digest; });
  manifests.erase(std::unique(manifests.begin(), manifests.end(),
                              [](const Descriptor& a, const Descriptor& b) { return a.digest == b.digest; }),
                  manifests.end());
  return PickManifest(manifests, opts);
}

}  // namespace

Status FinishImageInfo(ImageInfo& info) {
  if (info.layers.size() != info.config.diff_ids.size()) {
    return InputError("image has {} layers but its config lists {} diff_ids", info.layers.size(),
                      info.config.diff_ids.size());
  }
  for (size_t i = 0; i < info.layers.size(); ++i) {
    info.layers[i].index = static_cast<int>(i);
    info.layers[i].diff_id = info.config.diff_ids[i];
  }
  info.LinkHistory();
  return Ok();
}

Result<ImageInfo> ResolveOciIndex(const std::string& index_json, const std::string& tag, const SourceOptions& opts,
                                  const ReadMember& read) {
  ASSIGN_OR_RETURN(ImageIndex top, ParseImageIndex(index_json, "index.json"));
  std::vector<Descriptor> wanted;
  for (const auto& d : top.manifests) {
    auto it = d.annotations.find(std::string(kRefName));
    std::string ref = it == d.annotations.end() ? "" : it->second;
    if (tag.empty() || ref == tag) wanted.push_back(d);
  }
  if (wanted.empty()) {
    if (!tag.empty()) return InputError("index.json: no image tagged {:?}", Printable(tag));
    return InputError("index.json: no images");
  }
  if (tag.empty()) {
    // Several tagged images: picking one silently would scan the wrong one.
    std::set<std::string> tags;
    for (const auto& d : wanted) {
      if (auto it = d.annotations.find(std::string(kRefName)); it != d.annotations.end()) tags.insert(it->second);
    }
    if (tags.size() > 1) {
      std::string list;
      for (const auto& t : tags) list += (list.empty() ? "" : ", ") + Printable(t);
      return InputError("index.json: {} tagged images ({}); name one as oci:DIR:TAG", tags.size(), list);
    }
  }
  const DescriptorReader reader = FromMembers(read);
  ASSIGN_OR_RETURN(Descriptor md, FlattenAndPick(wanted, opts, reader, {}));
  ASSIGN_OR_RETURN(ImageInfo info, FromManifest(md, reader));
  // The image's names: the tag asked for, then what the index's entries for
  // it say (ref.name, the containerd name), each once. The tag checks judge
  // all of them: one pinned name is enough.
  std::vector<std::string> names;
  auto add = [&](const std::string& n) {
    if (!n.empty() && std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  };
  add(tag);
  for (const auto& d : wanted) {
    for (std::string_view key : {kRefName, kContainerdName}) {
      if (auto it = d.annotations.find(std::string(key)); it != d.annotations.end()) add(it->second);
    }
  }
  info.repo_tags = std::move(names);
  RETURN_IF_ERROR(FinishImageInfo(info));
  return info;
}

Result<ImageInfo> ResolveRootDocument(const std::string& bytes, bool is_index, const Digest& root_digest,
                                      const SourceOptions& opts, const DescriptorReader& read) {
  if (!is_index) {
    ASSIGN_OR_RETURN(ImageInfo info, FromManifestBytes(bytes, root_digest, read));
    RETURN_IF_ERROR(FinishImageInfo(info));
    return info;
  }
  ASSIGN_OR_RETURN(ImageIndex top, ParseImageIndex(bytes, "image index " + root_digest.short_str()));
  ASSIGN_OR_RETURN(Descriptor md, FlattenAndPick(top.manifests, opts, read, root_digest));
  ASSIGN_OR_RETURN(ImageInfo info, FromManifest(md, read));
  RETURN_IF_ERROR(FinishImageInfo(info));
  return info;
}

Result<ImageInfo> ResolveDockerSave(const std::string& manifest_json, const ReadMember& read) {
  ASSIGN_OR_RETURN(auto entries, ParseDockerSaveManifest(manifest_json));
  const DockerSaveEntry& e = entries.front();
  // docker load cleans member paths ("./ID//layer.tar" is "ID/layer.tar").
  const std::string config_name = MemberName(e.config);
  ASSIGN_OR_RETURN(std::string cbytes, read(config_name));
  ImageInfo info;
  auto cfg = ParseImageConfig(cbytes);
  if (!cfg.ok()) return cfg.error().Wrap(Printable(config_name));
  info.config = std::move(cfg).value();
  info.config_digest = Sha256Of(cbytes);
  info.repo_tags = e.repo_tags;
  for (const auto& raw : e.layers) {
    const std::string path = MemberName(raw);
    Layer layer;
    layer.blob.name = path;
    // Docker >= 25 names layers by digest: the name is then a checkable claim.
    if (path.rfind("blobs/sha256/", 0) == 0) {
      auto d = Digest::Parse("sha256:" + path.substr(13));
      if (!d.ok()) return d.error().Wrap("manifest.json layer " + Printable(path));
      layer.blob.digest = std::move(d).value();
    }
    info.layers.push_back(std::move(layer));
  }
  RETURN_IF_ERROR(FinishImageInfo(info));
  return info;
}

}  // namespace drydock
