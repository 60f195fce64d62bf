// What a source knows about an image before and after its layers are read:
// the manifest (layer blobs), the config (how it runs) and its history.
// Plain data; no I/O. Shared by every stage after source/.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/digest.h"
#include "base/result.h"

namespace drydock {

// One `history` entry of the image config: the instruction that made a layer
// (or an empty_layer metadata step such as ENV or USER).
struct HistoryEntry {
  std::string created;
  std::string created_by;
  std::string comment;
  bool empty_layer = false;
};

struct Healthcheck {
  std::vector<std::string> test;  // ["NONE"] disables an inherited check
  bool disabled() const { return !test.empty() && test[0] == "NONE"; }
};

// The runtime part of an image config (the "config" object) plus rootfs and
// history. Field names follow the OCI image spec.
struct ImageConfig {
  std::string architecture;
  std::string os;
  std::string variant;
  std::string created;
  std::string user;
  std::vector<std::string> env;
  std::vector<std::string> entrypoint;
  std::vector<std::string> cmd;
  std::string working_dir;
  std::vector<std::string> exposed_ports;  // "80/tcp", sorted
  std::vector<std::string> volumes;        // sorted
  std::map<std::string, std::string> labels;
  std::optional<Healthcheck> healthcheck;
  std::string stop_signal;
  std::vector<Digest> diff_ids;  // rootfs.diff_ids, bottom layer first
  std::vector<HistoryEntry> history;
};

// Parses an image config JSON document (OCI or Docker v1 image JSON).
// Malformed JSON, wrong types in known fields or bad diff_ids are input
// errors; unknown fields are ignored.
Result<ImageConfig> ParseImageConfig(std::string_view json);

// Parses a runtime "config" object alone (User, Env, Cmd, Healthcheck, …, as
// the Engine API's image and container inspect carry it under "Config")
// into `out`'s runtime fields.
Status ParseRuntimeConfig(std::string_view json, ImageConfig& out);

// The layer blob as the manifest describes it.
struct LayerBlob {
  std::string name;        // where the source finds it: "blobs/sha256/…", "<id>/layer.tar"
  std::string media_type;  // empty for classic docker-save (plain tar)
  Digest digest;           // blob digest (compressed bytes); empty when the source has none
  int64_t size = -1;       // declared blob size, -1 unknown
  std::vector<std::string> urls;  // non-distributable layers: where the blob lives (registry manifests)
};

// One layer of the image, bottom first.
struct Layer {
  int index = 0;  // 0-based position, bottom layer is 0
  LayerBlob blob;
  Digest diff_id;                 // digest of the uncompressed tar (config rootfs)
  std::string created_by;         // instruction of the non-empty history entry that made it
  int64_t uncompressed_size = 0;  // filled by the pipeline
};

// Everything a scan reports about the image as a whole.
struct ImageInfo {
  std::string source_kind;  // "docker-archive", "oci-layout", "dir", "docker-engine"
  std::string reference;    // what the user named
  std::vector<std::string> repo_tags;
  Digest config_digest;  // image id
  Digest manifest_digest;
  ImageConfig config;
  std::vector<Layer> layers;

  // Gives each layer the created_by of the history entry that made it
  // (entries with empty_layer are skipped, as docker does).
  void LinkHistory();
};

// "linux/amd64" or "linux/arm64/v8".
struct Platform {
  std::string os;
  std::string architecture;
  std::string variant;
  std::string str() const;
  // Parses "os/arch[/variant]". Normalises aliases (x86_64→amd64, aarch64→arm64).
  static Result<Platform> Parse(std::string_view s);
  static Platform Host();
  // True when `other` (from an index or config) satisfies this request; an
  // empty variant in the request matches any variant.
  bool Matches(const Platform& other) const;
};

}  // namespace drydock
