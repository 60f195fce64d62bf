// Test support for the image checks and harden: an image assembled layer by
// layer in memory (entries with modes, captured contents, the history entry
// that made each layer), and the merged view over it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "check/image/check.h"
#include "layer/view.h"

namespace drydock::testing {

class TestImage {
 public:
  TestImage() {
    info.source_kind = "docker-archive";
    info.repo_tags = {"app:1.0"};
    info.config.user = "app";
    info.config.healthcheck = Healthcheck{{"CMD", "/bin/true"}};
    info.config.labels = {{"org.opencontainers.image.source", "https://example.com/app"},
                          {"org.opencontainers.image.revision", "3f2a1c0"},
                          {"org.opencontainers.image.created", "2026-01-01T00:00:00Z"}};
  }

  // Starts a layer made by `created_by` (also appended to the history).
  TestImage& Layer(std::string created_by) {
    auto r = std::make_shared<LayerResult>();
    r->diff_id = Digest{"sha256", std::string(64, static_cast<char>('a' + layers_.size() % 6))};
    layers_.push_back(r);
    drydock::Layer l;
    l.index = static_cast<int>(info.layers.size());
    l.diff_id = r->diff_id;
    l.created_by = created_by;
    info.layers.push_back(l);
    info.config.history.push_back({.created_by = std::move(created_by)});
    return *this;
  }
  // A metadata step (ENV, USER, …) that makes no layer.
  TestImage& Step(std::string created_by) {
    info.config.history.push_back({.created_by = std::move(created_by), .empty_layer = true});
    return *this;
  }
  TestImage& File(std::string path, std::string content = "", uint32_t mode = 0644) {
    Current().entries.push_back(
        FileNode{.path = path, .type = EntryType::kFile, .mode = mode, .size = static_cast<int64_t>(content.size())});
    Current().captured[path] = std::move(content);
    Current().tar_bytes += static_cast<int64_t>(Current().captured[path].size()) + 512;
    return *this;
  }
  TestImage& Dir(std::string path, uint32_t mode = 0755) {
    Current().entries.push_back(FileNode{.path = std::move(path), .type = EntryType::kDir, .mode = mode});
    return *this;
  }
  TestImage& Link(std::string path, std::string target) {
    Current().entries.push_back(
        FileNode{.path = std::move(path), .type = EntryType::kSymlink, .mode = 0777, .link_target = std::move(target)});
    return *this;
  }
  // The current layer deletes `path` (a whiteout).
  TestImage& Remove(std::string path) {
    Current().whiteouts.push_back(std::move(path));
    return *this;
  }
  TestImage& Size(int64_t tar_bytes) {
    Current().tar_bytes = tar_bytes;
    return *this;
  }

  FileSystemView View() const {
    std::vector<std::shared_ptr<const LayerResult>> v(layers_.begin(), layers_.end());
    return FileSystemView(std::move(v));
  }

  std::vector<Finding> Run(const std::optional<OsRelease>& os = std::nullopt) const {
    const FileSystemView fs = View();
    return RunImageChecks(ImageCheckInput{info, fs, os});
  }

  ImageInfo info;

 private:
  LayerResult& Current() {
    if (layers_.empty()) Layer("COPY rootfs/ /");
    return *layers_.back();
  }
  std::vector<std::shared_ptr<LayerResult>> layers_;
};

// A hardened base: accounts, no shell, no package manager, non-root user.
inline TestImage CleanImage() {
  TestImage img;
  img.Layer("COPY rootfs/ / # buildkit")
      .Dir("/etc")
      .File("/etc/passwd", "root:x:0:0:root:/root:/sbin/nologin\napp:x:10001:10001::/home/app:/sbin/nologin\n")
      .File("/etc/group", "root:x:0:\napp:x:10001:\n")
      .File("/etc/shadow", "root:!:19000::::::\napp:!:19000::::::\n", 0640)
      .Dir("/tmp", 01777)
      .Dir("/app")
      .File("/app/server",
            "\x7f"
            "ELF",
            0755);
  img.Step("USER app").Step("HEALTHCHECK CMD [\"/app/server\", \"--health\"]");
  return img;
}

inline std::vector<Finding> OnlyRule(const std::vector<Finding>& all, std::string_view rule) {
  std::vector<Finding> out;
  for (const auto& f : all)
    if (f.rule_id == rule) out.push_back(f);
  return out;
}

}  // namespace drydock::testing
