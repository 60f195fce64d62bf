// The compose loader: reads compose files (YAML 1.2 via yaml-cpp) into a
// plain tree that keeps each node's file, line and column, the way
// `docker compose config` builds its model: `${VAR}`, `${VAR:-default}`,
// `${VAR-default}`, `${VAR:+alt}`, `${VAR:?error}` and `$$` interpolated from
// the environment and the project's `.env`; merge keys (`<<`) resolved;
// `extends` (same file or `file:`) applied; several files merged in order
// (maps by key, `environment`/`labels` by variable, `ports`/`cap_add`/…
// appended without duplicates, `volumes` by target, scalars and `command`/
// `entrypoint` replaced). Alias expansion is bounded (a "billion laughs"
// document is an input error, not an out-of-memory).
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

struct ComposeEntry;

struct ComposeNode {
  enum class Kind { kNull, kScalar, kSeq, kMap };
  Kind kind = Kind::kNull;
  std::string scalar;             // kScalar
  std::vector<ComposeNode> seq;   // kSeq
  std::vector<ComposeEntry> map;  // kMap, in document order
  std::string file;               // where the node was written
  int line = 0;                   // 1-based
  int column = 0;                 // 1-based

  bool IsMap() const { return kind == Kind::kMap; }
  bool IsSeq() const { return kind == Kind::kSeq; }
  bool IsScalar() const { return kind == Kind::kScalar; }
  // The value of `key` in a map, or nullptr.
  const ComposeNode* Get(std::string_view key) const;
  ComposeNode* GetMutable(std::string_view key);
  // The scalar text, or "" for other kinds.
  const std::string& Str() const { return scalar; }
};

// One key of a map node (a named struct, not std::pair: the node type is
// still incomplete where the vector is declared).
struct ComposeEntry {
  std::string first;  // the key
  ComposeNode second;
};

struct ComposeOptions {
  // Variables for interpolation. LoadCompose adds the process environment
  // (which wins) and the `.env` beside the first file unless told not to.
  std::map<std::string, std::string> env;
  bool use_process_env = true;
  bool use_dotenv = true;
  size_t max_nodes = 250'000;    // after alias expansion, per file
  size_t max_bytes = 16u << 20;  // per file
};

struct ComposeProject {
  std::vector<std::string> files;
  ComposeNode root;  // the merged model ("services", "networks", …)
};

// Parses one compose document. Fails (input error naming file, line) on
// invalid YAML, a document that is not a map, NUL bytes, too many nodes,
// or a `${VAR:?err}` whose variable is unset.
Result<ComposeNode> ParseComposeYaml(std::string_view text, std::string_view file, const ComposeOptions& opts);

// Interpolates one string ("${A:-x}$$B" → value of A or x, then "$B").
Result<std::string> InterpolateCompose(std::string_view s, const std::map<std::string, std::string>& env);

// Merges `over` into `base` as compose merges an override file; `path` is
// the key path of `base` ("services.web").
void MergeComposeNode(ComposeNode& base, const ComposeNode& over, const std::string& path);

// Resolves `extends` inside `root` (a parsed file); `read_file` loads the
// other files `extends.file` names (relative to `dir`).
Status ResolveExtends(ComposeNode& root, const std::string& dir, const ComposeOptions& opts);

// Loads and merges `files` in order (the first file's directory is the
// project directory for `.env`).
Result<ComposeProject> LoadCompose(const std::vector<std::string>& files, ComposeOptions opts);

// Parses a .env file: KEY=VALUE lines, `export ` prefix, # comments,
// single or double quoted values.
std::map<std::string, std::string> ParseDotEnv(std::string_view text);

}  // namespace drydock
