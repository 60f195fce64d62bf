// drydock.yaml, DRYDOCK_* environment variables and the global flags: the
// settings every command shares. Precedence: flag, then environment, then
// the config file, then the default.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "base/result.h"
#include "layer/cache.h"
#include "model/finding.h"

namespace drydock {

// A per-rule override from the config file:
//   rules:
//     DD-CIS-4.6: {severity: LOW}
//     DD-IMG-012: {disabled: true}
struct RuleOverride {
  bool disabled = false;
  std::optional<Severity> severity;
};

// One advisory source `db update` downloads.
struct DbSourceUrl {
  std::string url;
  std::string name;  // optional label, e.g. "debian-tracker"
};

struct Config {
  std::string path;       // the file read, or "" when none
  std::string cache_dir;  // resolved: flag > DRYDOCK_CACHE_DIR > file > $XDG_CACHE_HOME/drydock > ~/.cache/drydock
  // The layer cache (<cache>/layers): --no-cache / DRYDOCK_NO_CACHE=1 /
  // no-cache: true turn it off; --cache-max-size / DRYDOCK_CACHE_MAX_SIZE /
  // cache-max-size bound it.
  bool no_cache = false;
  int64_t cache_max_bytes = kDefaultLayerCacheBytes;
  int64_t db_max_age_seconds = 7 * 24 * 3600;  // warn when the database is older
  std::vector<DbSourceUrl> db_sources;         // `db update` sources (defaults when the file has none)
  std::map<std::string, RuleOverride> rules;

  // <cache>/db/drydock.db
  std::string DbPath() const;
};

// Adds --config, --cache-dir, --no-cache and --cache-max-size to the app
// (valid before or after the subcommand).
void AddGlobalFlags(CLI::App& app);

// The configuration for this run: reads --config FILE, else $DRYDOCK_CONFIG,
// else ./drydock.yaml when present. Errors (exit 2) name the file and key.
Result<Config> LoadConfig();

// Parses a config document (for tests); `path` is only for messages.
Result<Config> ParseConfig(const std::string& yaml, const std::string& path);

// Says so on stderr (one warning line) when the vulnerability database is
// older than db.max-age; says nothing when it is missing or unreadable (the
// scan that opens it reports that). Scans stay offline: they never update it.
void WarnIfDbStale(const Config& cfg);

// Readies the vulnerability scanner of `scanners` (drydock image, compare).
// `asked`: the user named the scanners with --scanners. Named, a missing or
// unreadable database is an error. By default, a missing one drops "vuln"
// from `scanners` and the result is true: the caller then prints
// VulnSkippedWarning once its scan has succeeded, so that a failing scan
// still says one line. An unreadable database is an error either way.
Result<bool> PrepareVulnDb(const Config& cfg, bool asked, std::vector<std::string>& scanners);

// "drydock: warning: no vulnerability database …" with the path and what to run.
std::string VulnSkippedWarning(const Config& cfg);

// Drops findings of disabled rules and re-rates the overridden ones.
void ApplyRuleOverrides(const Config& cfg, std::vector<Finding>& findings);

// "7d", "24h", "90m", "3600s", "3600" → seconds.
Result<int64_t> ParseDuration(std::string_view s);

// "500M", "2G", "2GiB", "10k", "1048576" → bytes (K, M, G, T are powers of
// 1024; an optional "B" or "iB" follows).
Result<int64_t> ParseSize(std::string_view s);

}  // namespace drydock
