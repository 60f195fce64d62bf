// Readers shared by the language catalogers (python, node, ruby, rust, php,
// dotnet): line splitting, a tolerant TOML subset for `[[package]]` lock
// files, and the sink every cataloger adds its packages through. (The YAML
// walk is in yaml_walk.h.)
//
// What they promise: every function takes untrusted bytes, never throws,
// never recurses deeper than a fixed cap on the input's nesting, and keeps
// no more than the caller asked for; a document they cannot read becomes an
// InputError naming the line or position, never a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"
#include "catalog/catalog.h"

namespace drydock::lang {

// Most packages one file may yield. A real lock file lists a few thousand;
// past this the rest of the file is dropped with a diagnostic, so a hostile
// file cannot grow the inventory without bound.
inline constexpr size_t kMaxPackagesPerFile = 100000;

// Size limits of the files the language catalogers capture: lock files, and
// per-package metadata (METADATA, package.json, gemspecs).
inline constexpr int64_t kMaxLockFileSize = 64 << 20;
inline constexpr int64_t kMaxMetadataSize = 4 << 20;

// FileWants for captured files named by basename or suffix (never globs:
// wants are checked for every tar entry).
FileWants Wants(std::vector<std::string> basenames, std::vector<std::string> suffixes, int64_t max_size);

// Splits the next line off `text` and returns it without its "\n" or "\r\n".
std::string_view NextLine(std::string_view& text);

// `s` without leading and trailing spaces, tabs, CR and LF.
std::string_view Trim(std::string_view s);

// True if `text` holds a NUL byte. None of the text formats read here allows
// one, so such a file is binary or corrupt.
bool HasNul(std::string_view text);

// `s` without one pair of matching surrounding quotes ('…' or "…"); escapes
// are left as they are.
std::string_view StripQuotes(std::string_view s);

// Splits an npm-style full name into (namespace, name): "@types/node" →
// ("@types", "node"), "debug" → ("", "debug").
std::pair<std::string, std::string> SplitScope(std::string_view full);

// One `[[NAME]]` table of a TOML document. Strings are decoded; other values
// (numbers, booleans, arrays, inline tables) keep their raw text.
struct TomlTable {
  int line = 0;  // 1-based line of the `[[NAME]]` header
  std::vector<std::pair<std::string, std::string>> fields;
  // The value of `key`, or "" when absent.
  std::string_view Get(std::string_view key) const;
};

// Reads every `[[name]]` table of `text` (poetry.lock, Cargo.lock). Other
// tables (`[metadata]`, `[package.dependencies]` …) are parsed and skipped.
// Supports comments, bare/quoted/dotted keys, basic and literal strings
// (also multi-line), arrays and inline tables (nested at most 32 deep) and
// bare scalars. An error names the line of the first construct it cannot
// read. At most kMaxPackagesPerFile tables are returned.
Result<std::vector<TomlTable>> ReadTomlTables(std::string_view text, std::string_view name);

// The dev-dependency policy (docs/sbom.md): packages a lock file lists only
// for development or tests are kept, not dropped as Syft does by default,
// and marked with metadata "scope" = "dev", plus the ecosystem's own key
// (`ecosystem_key` = "npm.dev", "python.dev" …, value "true") where one was
// written before; an empty key sets only "scope". ClearDev undoes it, for a
// package a later entry shows to be needed outside development too.
inline constexpr std::string_view kScopeKey = "scope";
inline constexpr std::string_view kScopeDev = "dev";
void MarkDev(Package& p, std::string_view ecosystem_key = {});
void ClearDev(Package& p, std::string_view ecosystem_key = {});

// Where one cataloger's `collect` puts the packages of one captured file:
// each gets `type`, an evidence for the file (path and layer), and the
// sink drops repeats of the same namespace/name/version and stops at
// kMaxPackagesPerFile (adding one diagnostic when it does).
class PackageSink {
 public:
  PackageSink(const CapturedFile& file, std::string_view type, CatalogOutput& out);
  ~PackageSink();
  PackageSink(const PackageSink&) = delete;
  PackageSink& operator=(const PackageSink&) = delete;

  // Adds a package and returns it, or returns the earlier package with the
  // same namespace, name and version (`*added` tells which), or nullptr
  // once the cap is reached. Empty names or versions are not added. The
  // pointer is valid until the next Add.
  Package* Add(std::string namespace_, std::string name, std::string version, bool* added = nullptr);
  size_t size() const { return count_; }

 private:
  const CapturedFile& file_;
  std::string type_;
  CatalogOutput& out_;
  std::unordered_map<std::string, size_t> seen_;  // key → index in out_.packages
  size_t count_ = 0;
  bool capped_ = false;
};

}  // namespace drydock::lang
