#include "cli/config.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "base/path.h"
#include "vuln/db.h"

namespace drydock {

namespace {

struct GlobalFlags {
  std::string config;
  std::string cache_dir;
  bool no_cache = false;
  std::string cache_max_size;
};

GlobalFlags& Flags() {
  static GlobalFlags flags;
  return flags;
}

std::string Env(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

bool Exists(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0;
}

// Where drydock's default advisory sources live upstream. `db update` reads
// these unless drydock.yaml lists its own (db: {sources: [{url: …}]}).
const std::vector<DbSourceUrl>& DefaultSources() {
  static const std::vector<DbSourceUrl> kDefaults = {
      {"https://security-tracker.debian.org/tracker/data/json", "debian-tracker-json"},
      {"https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip", "osv-pypi"},
      {"https://osv-vulnerabilities.storage.googleapis.com/Go/all.zip", "osv-go"},
      {"https://osv-vulnerabilities.storage.googleapis.com/npm/all.zip", "osv-npm"},
      {"https://osv-vulnerabilities.storage.googleapis.com/crates.io/all.zip", "osv-cargo"},
      {"https://osv-vulnerabilities.storage.googleapis.com/RubyGems/all.zip", "osv-rubygems"},
      {"https://osv-vulnerabilities.storage.googleapis.com/Maven/all.zip", "osv-maven"},
      {"https://osv-vulnerabilities.storage.googleapis.com/AlmaLinux/all.zip", "osv-almalinux"},
      {"https://osv-vulnerabilities.storage.googleapis.com/Alpine/all.zip", "osv-alpine"},
  };
  return kDefaults;
}

std::string DefaultCacheDir() {
  std::string xdg = Env("XDG_CACHE_HOME");
  if (!xdg.empty()) return xdg + "/drydock";
  std::string home = Env("HOME");
  return (home.empty() ? std::string(".") : home) + "/.cache/drydock";
}

}  // namespace

std::string Config::DbPath() const { return cache_dir + "/db/drydock.db"; }

void AddGlobalFlags(CLI::App& app) {
  app.add_option("--config", Flags().config, "configuration file (default: ./drydock.yaml when present)");
  app.add_option("--cache-dir", Flags().cache_dir, "cache directory (default: $XDG_CACHE_HOME/drydock)");
  app.add_flag("--no-cache", Flags().no_cache, "neither use nor fill the layer cache: read every layer");
  app.add_option("--cache-max-size", Flags().cache_max_size,
                 "bound of the layer cache, least recently used layers dropped first (default 2G; e.g. 500M)");
  app.fallthrough();
}

Result<int64_t> ParseSize(std::string_view s) {
  const size_t end = std::min(s.find_first_not_of("0123456789"), s.size());
  const std::string_view num = s.substr(0, end);
  std::string unit(s.substr(end));
  for (char& c : unit) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static constexpr std::pair<std::string_view, int> kUnits[] = {
      {"", 0},     {"b", 0},  {"k", 10},  {"kb", 10},  {"kib", 10}, {"m", 20},  {"mb", 20},
      {"mib", 20}, {"g", 30}, {"gb", 30}, {"gib", 30}, {"t", 40},   {"tb", 40}, {"tib", 40},
  };
  int shift = -1;
  for (const auto& [name, bits] : kUnits) {
    if (unit == name) shift = bits;
  }
  if (num.empty() || num.size() > 15 || shift < 0) {
    return InputError("{:?}: not a size (want e.g. 500M, 2G, 1048576)", Printable(s, 40));
  }
  const int64_t n = std::stoll(std::string(num));
  if (n > (INT64_MAX >> shift)) return InputError("{:?}: size too large", Printable(s, 40));
  return n << shift;
}

Result<int64_t> ParseDuration(std::string_view s) {
  if (s.empty()) return InputError("empty duration");
  int64_t unit = 1;
  std::string_view num = s;
  switch (s.back()) {
    case 'd':
      unit = 86400;
      num.remove_suffix(1);
      break;
    case 'h':
      unit = 3600;
      num.remove_suffix(1);
      break;
    case 'm':
      unit = 60;
      num.remove_suffix(1);
      break;
    case 's':
      num.remove_suffix(1);
      break;
    default:
      break;
  }
  if (num.empty() || num.size() > 9 || num.find_first_not_of("0123456789") != std::string_view::npos) {
    return InputError("{}: not a duration (want e.g. 7d, 24h, 90m, 3600s)", s);
  }
  return std::stoll(std::string(num)) * unit;
}

Result<Config> ParseConfig(const std::string& yaml, const std::string& path) {
  Config cfg;
  cfg.path = path;
  cfg.db_sources = DefaultSources();
  YAML::Node root;
  try {
    root = YAML::Load(yaml);
  } catch (const YAML::Exception& e) {
    return InputError("{}: not valid YAML: {}", path, e.what());
  }
  if (!root || root.IsNull()) return cfg;
  if (!root.IsMap()) return InputError("{}: want a mapping at the top level", path);
  try {
    for (const auto& kv : root) {
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& v = kv.second;
      if (key == "cache-dir" || key == "cache_dir") {
        cfg.cache_dir = v.as<std::string>();
      } else if (key == "no-cache" || key == "no_cache") {
        cfg.no_cache = v.as<bool>();
      } else if (key == "cache-max-size" || key == "cache_max_size") {
        auto size = ParseSize(v.as<std::string>());
        if (!size.ok()) return size.error().Wrap(path + ": " + key);
        cfg.cache_max_bytes = *size;
      } else if (key == "db") {
        if (!v.IsMap()) return InputError("{}: db: want a mapping", path);
        if (v["max-age"]) {
          auto age = ParseDuration(v["max-age"].as<std::string>());
          if (!age.ok()) return age.error().Wrap(path + ": db.max-age");
          cfg.db_max_age_seconds = *age;
        }
        if (v["sources"]) {
          if (!v["sources"].IsSequence()) return InputError("{}: db.sources: want a list", path);
          cfg.db_sources.clear();
          for (const auto& s : v["sources"]) {
            DbSourceUrl u;
            if (s.IsScalar()) {
              u.url = s.as<std::string>();
            } else if (s.IsMap() && s["url"]) {
              u.url = s["url"].as<std::string>();
              if (s["name"]) u.name = s["name"].as<std::string>();
            } else {
              return InputError("{}: db.sources: each entry wants a url", path);
            }
            cfg.db_sources.push_back(std::move(u));
          }
        }
      } else if (key == "rules") {
        if (!v.IsMap()) return InputError("{}: rules: want a mapping of rule id to settings", path);
        for (const auto& r : v) {
          const std::string id = r.first.as<std::string>();
          RuleOverride o;
          if (r.second.IsMap()) {
            if (r.second["disabled"]) o.disabled = r.second["disabled"].as<bool>();
            if (r.second["severity"]) {
              auto sev = ParseSeverity(r.second["severity"].as<std::string>());
              if (!sev.ok()) return sev.error().Wrap(fmt::format("{}: rules.{}.severity", path, id));
              o.severity = *sev;
            }
          } else if (r.second.IsScalar() && r.second.as<std::string>() == "disabled") {
            o.disabled = true;
          } else {
            return InputError("{}: rules.{}: want {{disabled: true}} or {{severity: LEVEL}}", path, id);
          }
          cfg.rules[id] = o;
        }
      }
      // Other keys belong to other commands' sections; they are ignored here.
    }
  } catch (const YAML::Exception& e) {
    return InputError("{}: {}", path, e.what());
  }
  return cfg;
}

Result<Config> LoadConfig() {
  std::string path = Flags().config;
  if (path.empty()) path = Env("DRYDOCK_CONFIG");
  const bool explicit_path = !path.empty();
  if (path.empty() && Exists("drydock.yaml")) path = "drydock.yaml";
  Config cfg;
  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      if (explicit_path) return InputError("{}: cannot read the configuration file", path);
    } else {
      std::ostringstream ss;
      ss << in.rdbuf();
      if (ss.str().size() > (4 << 20)) return InputError("{}: configuration file over 4 MiB", path);
      ASSIGN_OR_RETURN(cfg, ParseConfig(ss.str(), path));
    }
  } else {
    cfg.db_sources = DefaultSources();
  }
  if (!Flags().cache_dir.empty()) {
    cfg.cache_dir = Flags().cache_dir;
  } else if (!Env("DRYDOCK_CACHE_DIR").empty()) {
    cfg.cache_dir = Env("DRYDOCK_CACHE_DIR");
  } else if (cfg.cache_dir.empty()) {
    cfg.cache_dir = DefaultCacheDir();
  }
  if (Flags().no_cache) {
    cfg.no_cache = true;
  } else if (const std::string v = Env("DRYDOCK_NO_CACHE"); !v.empty()) {
    cfg.no_cache = v != "0" && v != "false";
  }
  if (!Flags().cache_max_size.empty()) {
    auto size = ParseSize(Flags().cache_max_size);
    if (!size.ok()) return UsageError("--cache-max-size {}", size.error().message);
    cfg.cache_max_bytes = *size;
  } else if (const std::string v = Env("DRYDOCK_CACHE_MAX_SIZE"); !v.empty()) {
    auto size = ParseSize(v);
    if (!size.ok()) return size.error().Wrap("DRYDOCK_CACHE_MAX_SIZE");
    cfg.cache_max_bytes = *size;
  }
  if (!Env("DRYDOCK_DB_MAX_AGE").empty()) {
    auto age = ParseDuration(Env("DRYDOCK_DB_MAX_AGE"));
    if (!age.ok()) return age.error().Wrap("DRYDOCK_DB_MAX_AGE");
    cfg.db_max_age_seconds = *age;
  }
  return cfg;
}

void WarnIfDbStale(const Config& cfg) {
  auto db = VulnDb::Open(cfg.DbPath());
  if (!db.ok()) return;  // the scan itself reports a missing database
  auto built = db->BuiltAt();
  if (!built.ok() || built->size() < 19) return;
  std::tm tm{};
  if (!strptime(built->c_str(), "%Y-%m-%dT%H:%M:%S", &tm)) return;
  const int64_t age = static_cast<int64_t>(std::time(nullptr)) - static_cast<int64_t>(timegm(&tm));
  if (age > cfg.db_max_age_seconds) {
    std::fprintf(stderr,
                 "drydock: warning: the vulnerability database is %lld days old (built %s); run `drydock db "
                 "update` or `drydock db import`\n",
                 static_cast<long long>(age / 86400), built->c_str());
  }
}

Result<bool> PrepareVulnDb(const Config& cfg, bool asked, std::vector<std::string>& scanners) {
  if (std::find(scanners.begin(), scanners.end(), "vuln") == scanners.end()) return false;
  struct stat st {};
  if (!asked && stat(cfg.DbPath().c_str(), &st) != 0 && errno == ENOENT) {
    std::erase(scanners, "vuln");
    return true;
  }
  // Opened once here so that a bad database is reported as itself, not as a
  // failure to read the image.
  auto db = VulnDb::Open(cfg.DbPath());
  if (!db.ok()) return db.error();
  return false;
}

std::string VulnSkippedWarning(const Config& cfg) {
  return "drydock: warning: no vulnerability database at " + Printable(cfg.DbPath()) +
         ": vulnerabilities skipped (run `drydock db update` or `drydock db import DIR`)";
}

void ApplyRuleOverrides(const Config& cfg, std::vector<Finding>& findings) {
  if (cfg.rules.empty()) return;
  std::erase_if(findings, [&](const Finding& f) {
    auto it = cfg.rules.find(f.rule_id);
    return it != cfg.rules.end() && it->second.disabled;
  });
  for (auto& f : findings) {
    auto it = cfg.rules.find(f.rule_id);
    if (it != cfg.rules.end() && it->second.severity) f.severity = *it->second.severity;
  }
}

}  // namespace drydock
