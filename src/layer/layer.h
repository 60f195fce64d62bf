// What one pass over one layer produces: its entries, whiteouts, the bytes of
// the files analyzers asked to keep, and what analyzers found in it. Results
// depend only on the layer's bytes and the analyzer set, so they can be cached
// by diff_id.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "base/digest.h"
#include "base/result.h"
#include "model/finding.h"
#include "model/package.h"

namespace drydock {

enum class EntryType : uint8_t { kFile, kDir, kSymlink, kHardlink, kChar, kBlock, kFifo, kOther };
std::string_view EntryTypeName(EntryType t);

// One member of a layer, metadata only.
struct FileNode {
  std::string path;  // clean absolute path
  EntryType type = EntryType::kFile;
  uint32_t mode = 0;  // permission and setuid/setgid/sticky bits (07777)
  uint32_t uid = 0;
  uint32_t gid = 0;
  int64_t size = 0;         // regular files: content length
  std::string link_target;  // symlink: raw target; hardlink: clean path of the target

  bool is_regular() const { return type == EntryType::kFile; }
};

struct LayerResult {
  std::string blob_name;    // as the source named the blob
  Digest blob_digest;       // sha256 of the bytes as stored
  Digest diff_id;           // sha256 of the uncompressed tar
  std::string compression;  // "gzip", "zstd", "none", "dir"
  int64_t blob_bytes = 0;
  int64_t tar_bytes = 0;
  std::vector<FileNode> entries;                // in archive order
  std::vector<std::string> whiteouts;           // paths this layer deletes
  std::vector<std::string> opaque_dirs;         // dirs whose lower contents this layer hides
  std::map<std::string, std::string> captured;  // path → content, for wanted files
  std::vector<Finding> findings;                // from analyzers; location.layer_index unset
  std::vector<Package> packages;                // from catalogers that read files during the walk
  std::vector<Diagnostic> diagnostics;
  std::optional<Error> error;  // the layer could not be read
};

}  // namespace drydock
