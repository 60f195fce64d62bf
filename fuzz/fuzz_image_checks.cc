// Fuzz target: the image checks and harden over hostile image metadata and
// account files. The input is split at NUL bytes into /etc/passwd,
// /etc/shadow, /etc/group, config.User, history created_by lines, ENV
// entries, VOLUMEs, ExposedPorts and repo tags (one per line). Invariants:
// no crash; the compose and Kubernetes renderings are YAML that parses and
// the seccomp profile is JSON that parses, whatever the strings hold.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/yaml.h>
#include <nlohmann/json.hpp>

#include "check/image/check.h"
#include "check/image/groups.h"
#include "fuzz_util.h"
#include "harden/harden.h"

namespace {

std::vector<std::string> Lines(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    size_t nl = s.find('\n');
    out.emplace_back(s.substr(0, nl));
    s = nl == std::string_view::npos ? std::string_view() : s.substr(nl + 1);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  std::string_view in(reinterpret_cast<const char*>(data), size);
  std::vector<std::string_view> f;
  while (f.size() < 8) {
    size_t nul = in.find('\0');
    f.push_back(in.substr(0, nul));
    in = nul == std::string_view::npos ? std::string_view() : in.substr(nul + 1);
  }
  f.push_back(in);
  auto layer = std::make_shared<LayerResult>();
  const char* files[] = {"/etc/passwd", "/etc/shadow", "/etc/group"};
  for (int i = 0; i < 3; ++i) {
    layer->entries.push_back(
        FileNode{.path = files[i], .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(f[i].size())});
    layer->captured[files[i]] = std::string(f[i]);
  }
  layer->entries.push_back(FileNode{.path = "/bin/sh", .type = EntryType::kFile, .mode = 04777});
  ImageInfo image;
  image.source_kind = "docker-archive";
  image.config.user = std::string(f[3]);
  for (auto& l : Lines(f[4])) image.config.history.push_back({.created_by = l, .empty_layer = l.size() % 2 == 0});
  image.config.env = Lines(f[5]);
  image.config.volumes = Lines(f[6]);
  image.config.exposed_ports = Lines(f[7]);
  image.repo_tags = Lines(f[8]);
  Layer l;
  l.created_by = image.config.history.empty() ? "" : image.config.history.front().created_by;
  image.layers.push_back(l);
  FileSystemView fs({layer});
  const std::optional<OsRelease> os;
  auto findings = RunImageChecks(ImageCheckInput{image, fs, os});
  for (const auto& h : image.config.history) (void)RedactCreatedBy(h.created_by);
  HardenProfile p = DecideProfile(HardenInput{image, fs, os, "fuzz.tar"}, HardenLimits{});
  (void)RenderRun(p);
  for (const std::string& doc : {RenderCompose(p), RenderKubernetes(p)}) {
    try {
      YAML::Node n = YAML::Load(doc);
      FUZZ_CHECK(n.IsMap(), "rendering is not a YAML map:\n%s", doc.c_str());
    } catch (const YAML::Exception& e) {
      FUZZ_CHECK(false, "rendering is not YAML (%s):\n%s", e.what(), doc.c_str());
    }
  }
  FUZZ_CHECK(nlohmann::json::accept(RenderSeccomp(p)), "seccomp profile is not JSON");
  return 0;
}
