// Fuzzes the image metadata parsers: OCI index / Docker manifest list,
// OCI / Docker v2 manifest, docker-save manifest.json and the image config.
// The first input byte selects the parser (mod 5); the rest is the document.
// Besides "no crash", it asserts what the headers promise about the parsed
// values: digests are well-formed sha256, blob paths stay under blobs/.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "model/image.h"
#include "source/manifest.h"

namespace drydock::fuzz {
namespace {

bool IsHex64(std::string_view s) {
  if (s.size() != 64) return false;
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

void CheckDigest(const Digest& d, bool may_be_empty) {
  if (d.empty() && may_be_empty) return;
  FUZZ_CHECK(d.algorithm == "sha256" && IsHex64(d.hex), "bad digest accepted: %s", d.str().c_str());
  std::string path = BlobPath(d);
  FUZZ_CHECK(path == "blobs/sha256/" + d.hex, "BlobPath(%s) = %s", d.str().c_str(), path.c_str());
}

void CheckDescriptor(const Descriptor& d) {
  CheckDigest(d.digest, /*may_be_empty=*/false);
  if (d.platform) {
    // Round trip through the platform parser must not crash either.
    (void)Platform::Parse(d.platform->str());
    (void)Platform::Host().Matches(*d.platform);
  }
}

void FuzzIndex(std::string_view doc) {
  Result<ImageIndex> r = ParseImageIndex(doc, "index.json");
  if (!r.ok()) {
    Say("parse", r.error().message);
    FUZZ_CHECK(!r.error().message.empty(), "empty error message");
    return;
  }
  for (const Descriptor& d : r->manifests) {
    CheckDescriptor(d);
    (void)IsIndexMediaType(d.media_type);
    (void)IsManifestMediaType(d.media_type);
  }
}

void FuzzManifest(std::string_view doc) {
  Result<ImageManifest> r = ParseImageManifest(doc, "manifest");
  if (!r.ok()) {
    Say("parse", r.error().message);
    FUZZ_CHECK(!r.error().message.empty(), "empty error message");
    return;
  }
  CheckDescriptor(r->config);
  for (const Descriptor& d : r->layers) {
    CheckDescriptor(d);
    (void)IsLayerMediaType(d.media_type);
  }
}

void FuzzSaveManifest(std::string_view doc) {
  Result<std::vector<DockerSaveEntry>> r = ParseDockerSaveManifest(doc);
  if (!r.ok()) {
    Say("parse", r.error().message);
    FUZZ_CHECK(!r.error().message.empty(), "empty error message");
    return;
  }
}

void FuzzConfig(std::string_view doc) {
  Result<ImageConfig> r = ParseImageConfig(doc);
  if (!r.ok()) {
    Say("parse", r.error().message);
    FUZZ_CHECK(!r.error().message.empty(), "empty error message");
    return;
  }
  for (const Digest& d : r->diff_ids) CheckDigest(d, /*may_be_empty=*/false);
  FUZZ_CHECK(std::is_sorted(r->exposed_ports.begin(), r->exposed_ports.end()), "exposed_ports not sorted");
  FUZZ_CHECK(std::is_sorted(r->volumes.begin(), r->volumes.end()), "volumes not sorted");
  if (r->healthcheck) (void)r->healthcheck->disabled();

  // LinkHistory with any mix of history entries and layers: history may be
  // shorter, longer or all empty_layer.
  ImageInfo info;
  info.config = std::move(r.value());
  for (size_t i = 0; i < info.config.diff_ids.size(); ++i) {
    Layer l;
    l.index = static_cast<int>(i);
    l.diff_id = info.config.diff_ids[i];
    info.layers.push_back(std::move(l));
  }
  info.LinkHistory();
  // created_by comes from a non-empty_layer entry (or is empty).
  for (const Layer& l : info.layers) {
    if (l.created_by.empty()) continue;
    bool found = false;
    for (const HistoryEntry& h : info.config.history) found |= !h.empty_layer && h.created_by == l.created_by;
    FUZZ_CHECK(found, "layer created_by not from a non-empty history entry");
  }
}

void FuzzPlatform(std::string_view s) {
  Result<Platform> p = Platform::Parse(s);
  if (!p.ok()) return;
  Result<Platform> again = Platform::Parse(p->str());
  FUZZ_CHECK(again.ok(), "Platform::Parse(%s) rejects its own str()", p->str().c_str());
  FUZZ_CHECK(again->str() == p->str(), "platform round trip: %s vs %s", p->str().c_str(), again->str().c_str());
  FUZZ_CHECK(p->Matches(*again), "platform %s does not match itself", p->str().c_str());
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock::fuzz;
  if (size < 1) return 0;
  std::string_view doc(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      FuzzIndex(doc);
      break;
    case 1:
      FuzzManifest(doc);
      break;
    case 2:
      FuzzSaveManifest(doc);
      break;
    case 3:
      FuzzConfig(doc);
      break;
    case 4:
      FuzzPlatform(doc);
      (void)drydock::Digest::Parse(doc);
      break;
  }
  return 0;
}
