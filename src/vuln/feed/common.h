// Helpers the importers share: reading files and archives, YAML to JSON,
// safe JSON field access, and turning requirement lists into OSV ranges.
// Internal to src/vuln/feed/.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/result.h"
#include "vuln/advisory.h"
#include "vuln/version/version.h"

namespace drydock::importer {

// Largest single advisory file read (the tracker JSON export is ~60 MiB).
inline constexpr size_t kMaxFileBytes = 256u << 20;
// Nesting depth accepted in YAML/JSON documents.
inline constexpr int kMaxDepth = 64;

// Parses JSON without exceptions; an error names why. Depth is bounded.
Result<nlohmann::json> ParseJson(std::string_view bytes);
// Parses the first YAML document into JSON (scalars stay strings). Never throws.
Result<nlohmann::json> ParseYaml(std::string_view bytes);

// The string at j[key] (numbers are printed), or "" when absent/other type.
std::string Str(const nlohmann::json& j, std::string_view key);
// The strings of the array at j[key] (a lone string is a one-element list).
std::vector<std::string> Strs(const nlohmann::json& j, std::string_view key);
// j[key] when it is an object/array, else a static null.
const nlohmann::json& Get(const nlohmann::json& j, std::string_view key);

// Calls `fn(name, bytes)` for every regular file under `path` (itself when a
// file; directories recursively in name order; .zip/.tar.gz/.tgz archives
// member by member) whose name `want` accepts. Read errors of the root are
// errors; `fn`'s error stops the walk.
using FileFn = std::function<Status(const std::string& name, std::string_view bytes)>;
Status ForEachFile(const std::string& path, const std::function<bool(const std::string&)>& want, const FileFn& fn);

// Adds a warning (capped at 100 kept) and counts a skip.
void Warn(ImportStats& stats, std::string line);
// Runs a per-file parser's result into the sink and the stats.
Status Deliver(const std::string& name, Result<std::vector<Advisory>> parsed, std::vector<std::string>& warnings,
               const AdvisorySink& sink, ImportStats& stats);

// One interval of versions: lo/hi empty = unbounded.
struct Interval {
  std::string lo;
  bool lo_incl = true;
  std::string hi;
  bool hi_incl = false;
};

// Requirement dialects for ParseRequirement.
enum class ReqDialect { kCargo, kRubyGems };

// Parses one requirement string ("> = 1.2.3, < 2.0" for Cargo, ">= 1.2, < 2"
// / "~> 1.2.3" for RubyGems) into the interval it accepts.
Result<Interval> ParseRequirement(std::string_view req, ReqDialect dialect);

// The OSV ranges covering the union of `affected` intervals.
Result<std::vector<AffectedRange>> IntervalsToRanges(std::vector<Interval> affected, VersionScheme scheme);
// The OSV ranges covering everything outside the union of `safe` intervals.
Result<std::vector<AffectedRange>> ComplementToRanges(std::vector<Interval> safe, VersionScheme scheme);

// "CVE-2020-1234" shaped.
bool IsCveId(std::string_view s);
std::string Trim(std::string_view s);
std::string Truncate(std::string s, size_t max);

}  // namespace drydock::importer
