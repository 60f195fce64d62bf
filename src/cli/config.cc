#include "cli/config.h"

#include <sys/stat.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

namespace drydock {

namespace {

struct GlobalFlags {
  std::string config;
  std::string cache_dir;
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
  app.fallthrough();
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
  if (!Env("DRYDOCK_DB_MAX_AGE").empty()) {
    auto age = ParseDuration(Env("DRYDOCK_DB_MAX_AGE"));
    if (!age.ok()) return age.error().Wrap("DRYDOCK_DB_MAX_AGE");
    cfg.db_max_age_seconds = *age;
  }
  return cfg;
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
