// `drydock cache info` and `drydock cache clean`: what the cache dir holds
// (layer results, compiled secret rules, the vulnerability database) and
// emptying it.
#include <sys/stat.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <system_error>

#include "cli/commands.h"
#include "cli/config.h"
#include "layer/cache.h"

namespace drydock {

namespace {

namespace fs = std::filesystem;

struct CacheFlags {
  bool all = false;  // clean: the vulnerability database too
};

std::string HumanBytes(int64_t n) {
  static constexpr const char* kUnits[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(n);
  int u = 0;
  while (v >= 1024 && u < 4) {
    v /= 1024;
    ++u;
  }
  return u == 0 ? fmt::format("{} B", n) : fmt::format("{:.1f} {}", v, kUnits[u]);
}

std::string When(int64_t t) {
  if (t == 0) return "-";
  const std::time_t tt = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Count(int64_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

bool IsDir(const std::string& p) {
  struct stat st {};
  return stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

// Files directly in `dir` whose name `pick` accepts: count and bytes;
// removed as well when `remove` is set.
struct Files {
  int64_t count = 0;
  int64_t bytes = 0;
};
template <typename Pick>
Files ListFiles(const std::string& dir, Pick pick, bool remove) {
  Files out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    std::error_code fec;
    if (!it->is_regular_file(fec) || !pick(name)) continue;
    const auto size = static_cast<int64_t>(it->file_size(fec));
    if (fec) continue;
    if (remove && !fs::remove(it->path(), fec)) continue;
    out.count++;
    out.bytes += size;
  }
  return out;
}

bool CompiledRules(const std::string& name) {
  return name.ends_with(".hsdb") || name.find(".hsdb.tmp-") != std::string::npos;
}
bool Database(const std::string& name) { return name.starts_with("drydock.db"); }

int RunInfo(const CacheFlags&) {
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  const std::string layers = cfg->cache_dir + "/layers";
  std::printf("cache dir:  %s\n", cfg->cache_dir.c_str());
  LayerCache::Usage u;
  if (IsDir(layers)) {
    auto cache = LayerCache::Open(layers, cfg->cache_max_bytes);
    if (!cache.ok()) return Fail(cache.error());
    u = (*cache)->Measure();
  }
  std::printf("layers:     %s, %s of %s%s\n", Count(u.entries, "entry", "entries").c_str(), HumanBytes(u.bytes).c_str(),
              HumanBytes(cfg->cache_max_bytes).c_str(), cfg->no_cache ? " (disabled: --no-cache)" : "");
  std::printf("            least recently used %s, most recently used %s", When(u.oldest).c_str(),
              When(u.newest).c_str());
  if (u.temp_files > 0) std::printf(", %lld unfinished writes", static_cast<long long>(u.temp_files));
  std::printf("\n");
  const Files rules = ListFiles(cfg->cache_dir + "/secret", CompiledRules, false);
  std::printf("secret:     %s, %s\n", Count(rules.count, "compiled rule database", "compiled rule databases").c_str(),
              HumanBytes(rules.bytes).c_str());
  const Files db = ListFiles(cfg->cache_dir + "/db", Database, false);
  if (db.count == 0) {
    std::printf("db:         none (drydock db update, or db import)\n");
  } else {
    std::printf("db:         %s (%s)\n", HumanBytes(db.bytes).c_str(), cfg->DbPath().c_str());
  }
  return 0;
}

int RunClean(const CacheFlags& f) {
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  const std::string layers = cfg->cache_dir + "/layers";
  LayerCache::Usage u;
  if (IsDir(layers)) {
    auto cache = LayerCache::Open(layers, cfg->cache_max_bytes);
    if (!cache.ok()) return Fail(cache.error());
    u = (*cache)->Clear();
  }
  const Files rules = ListFiles(cfg->cache_dir + "/secret", CompiledRules, true);
  std::string line = fmt::format(
      "removed {} ({}), {} ({})", Count(u.entries, "layer entry", "layer entries"), HumanBytes(u.bytes),
      Count(rules.count, "compiled secret rule database", "compiled secret rule databases"), HumanBytes(rules.bytes));
  if (f.all) {
    const Files db = ListFiles(cfg->cache_dir + "/db", Database, true);
    line += fmt::format(", the vulnerability database ({})", db.count == 0 ? "none" : HumanBytes(db.bytes));
  } else {
    line += "; the vulnerability database is kept (--all removes it)";
  }
  std::printf("%s\n", line.c_str());
  return 0;
}

}  // namespace

std::vector<Command> CacheCommands(CLI::App& app) {
  static CacheFlags info_flags, clean_flags;
  auto* cache = app.add_subcommand("cache", "The cache dir: layer results, compiled secret rules, the database");
  cache->require_subcommand(1);
  auto* info = cache->add_subcommand("info", "What the cache holds: entries, sizes, bound, age");
  auto* clean = cache->add_subcommand("clean", "Remove the layer results and compiled secret rules");
  clean->add_flag("--all", clean_flags.all, "also remove the vulnerability database");
  return {{info, [] { return RunInfo(info_flags); }}, {clean, [] { return RunClean(clean_flags); }}};
}

}  // namespace drydock
