// `drydock db import PATH...`, `db update`, `db status`: the vulnerability
// database in the cache dir.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <filesystem>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/fetch.h"
#include "cli/fleet.h"
#include "cli/rematch.h"
#include "vuln/db.h"
#include "vuln/feed/importers.h"

namespace drydock {

namespace {

struct DbFlags {
  std::vector<std::string> paths;
  bool quiet = false;
  std::string database;  // the fleet's PostgreSQL: re-match its images after the build
  std::string webhook;
};

// After a build: re-match the fleet's images when --database was given.
int AfterBuild(const Config& cfg, const DbFlags& f) {
  if (f.database.empty()) return 0;
  if (auto s = RematchFleet(cfg, RematchOptions{f.database, f.webhook, f.quiet}); !s.ok()) {
    return Fail(s.error().Wrap("rematch (the new database is in place)"));
  }
  return 0;
}

int RunRematch(const DbFlags& f) {
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  auto url = DatabaseUrl(f.database);
  if (!url.ok()) return Fail(url.error());
  if (auto s = RematchFleet(*cfg, RematchOptions{*url, f.webhook, f.quiet}); !s.ok()) return Fail(s.error());
  return 0;
}

double Seconds(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Counts per source, then the import throughput of the whole build.
void PrintStats(const std::vector<ImportStats>& all, double secs, bool quiet) {
  if (quiet) return;
  std::printf("%-22s %8s %11s %10s %8s\n", "SOURCE", "FILES", "ADVISORIES", "AFFECTED", "SKIPPED");
  int64_t total = 0;
  for (const auto& s : all) {
    total += s.advisories;
    std::printf("%-22s %8lld %11lld %10lld %8lld\n", s.source.c_str(), static_cast<long long>(s.files),
                static_cast<long long>(s.advisories), static_cast<long long>(s.affected),
                static_cast<long long>(s.skipped));
    size_t shown = 0;
    for (const auto& w : s.warnings) {
      if (++shown > 5) break;
      std::fprintf(stderr, "drydock: warning: %s: %s\n", s.source.c_str(), w.c_str());
    }
    if (s.warnings.size() > 5) {
      std::fprintf(stderr, "drydock: warning: %s: %zu more\n", s.source.c_str(), s.warnings.size() - 5);
    }
  }
  std::printf("%lld advisories imported in %.1f s (%.0f advisories/s)\n", static_cast<long long>(total), secs,
              secs > 0 ? static_cast<double>(total) / secs : 0.0);
}

// Imports `paths` into a new database beside the old one; sources not
// re-imported are carried over (keep_others) or dropped (update).
Status Build(const Config& cfg, const std::vector<std::pair<std::string, std::string>>& paths, bool keep_others,
             bool quiet) {
  std::vector<ImportStats> stats;
  auto t0 = std::chrono::steady_clock::now();
  RETURN_IF_ERROR(BuildDatabaseAtomically(cfg.DbPath(), [&](DbWriter& w) -> Status {
    std::vector<std::string> sources;
    std::vector<DbSourceInfo> infos;
    for (const auto& [path, origin] : paths) {
      ASSIGN_OR_RETURN(auto got, ImportPath(path, [&](Advisory&& a) { return w.Add(a); }));
      for (auto& s : got) {
        sources.push_back(s.source);
        infos.push_back(DbSourceInfo{s.source, origin, "", s.files, s.advisories, s.affected, s.skipped});
        stats.push_back(std::move(s));
      }
    }
    if (keep_others) RETURN_IF_ERROR(w.CopyFrom(cfg.DbPath(), sources));
    for (const auto& i : infos) RETURN_IF_ERROR(w.AddSource(i));
    return Ok();
  }));
  PrintStats(stats, Seconds(t0), quiet);
  if (!quiet) std::printf("database %s\n", cfg.DbPath().c_str());
  return Ok();
}

int RunImport(const DbFlags& f) {
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  std::vector<std::pair<std::string, std::string>> paths;
  for (const auto& p : f.paths) {
    std::error_code ec;
    std::string abs = std::filesystem::absolute(p, ec).lexically_normal().string();
    paths.emplace_back(p, ec ? p : abs);
  }
  if (!f.webhook.empty() && f.database.empty()) return Fail(UsageError("--webhook needs --database"));
  if (auto s = Build(*cfg, paths, /*keep_others=*/true, f.quiet); !s.ok()) return Fail(s.error());
  return AfterBuild(*cfg, f);
}

int RunUpdate(const DbFlags& f) {
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  if (cfg->db_sources.empty()) return Fail(UsageError("db update: no sources configured (db.sources in drydock.yaml)"));
  if (!f.webhook.empty() && f.database.empty()) return Fail(UsageError("--webhook needs --database"));
  namespace fs = std::filesystem;
  const fs::path work = fs::path(cfg->DbPath()).parent_path() / ("update-" + std::to_string(getpid()));
  std::error_code ec;
  fs::create_directories(work, ec);
  if (ec) return Fail(InputError("{}: cannot create: {}", work.string(), ec.message()));
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(p, e);
    }
  } cleanup{work};
  std::vector<std::pair<std::string, std::string>> paths;
  int n = 0;
  for (const auto& src : cfg->db_sources) {
    std::string base = src.url.substr(src.url.find_last_of('/') + 1);
    base = base.substr(0, base.find_first_of("?#"));
    if (base.empty() || base == "." || base == "..") base = "download";
    // Each download in its own directory keeps its name (importers detect
    // sources by name and shape: all.zip, json, …).
    fs::path dir = work / std::to_string(n++);
    fs::create_directories(dir, ec);
    const std::string file = (dir / base).string();
    if (!f.quiet) std::fprintf(stderr, "drydock: downloading %s\n", src.url.c_str());
    if (auto s = FetchToFile(src.url, file); !s.ok()) {
      return Fail(s.error().Wrap("db update (the existing database is unchanged)"));
    }
    paths.emplace_back(file, src.url);
  }
  if (auto s = Build(*cfg, paths, /*keep_others=*/false, f.quiet); !s.ok()) {
    return Fail(s.error().Wrap("db update (the existing database is unchanged)"));
  }
  return AfterBuild(*cfg, f);
}

int RunStatus(const DbFlags& f) {
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  auto db = VulnDb::Open(cfg->DbPath());
  if (!db.ok()) return Fail(db.error());
  auto sources = db->Sources();
  if (!sources.ok()) return Fail(sources.error());
  auto built = db->BuiltAt();
  auto count = db->CountAdvisories();
  if (!built.ok() || !count.ok()) return Fail(!built.ok() ? built.error() : count.error());
  std::printf("database:   %s\nschema:     %d\nbuilt:      %s\nadvisories: %lld\n", cfg->DbPath().c_str(),
              kVulnDbSchemaVersion, built->c_str(), static_cast<long long>(*count));
  std::printf("\n%-22s %11s %10s %8s  %-20s %s\n", "SOURCE", "ADVISORIES", "AFFECTED", "SKIPPED", "IMPORTED", "FROM");
  for (const auto& s : *sources) {
    std::printf("%-22s %11lld %10lld %8lld  %-20s %s\n", s.source.c_str(), static_cast<long long>(s.advisories),
                static_cast<long long>(s.affected), static_cast<long long>(s.skipped), s.imported_at.c_str(),
                s.origin.c_str());
  }
  (void)f;
  return 0;
}

}  // namespace

std::vector<Command> DbCommands(CLI::App& app) {
  static DbFlags import_flags, update_flags, status_flags, rematch_flags;
  auto* db = app.add_subcommand("db", "The vulnerability database (import, update, status, rematch)");
  db->require_subcommand(1);
  auto* imp = db->add_subcommand("import", "Build the database from advisory files or directories");
  imp->add_option("path", import_flags.paths,
                  "OSV JSON/YAML (dirs, .zip, .tar.gz), RustSec, RubySec, Node.js security-wg, Alpine secdb, "
                  "Wolfi, Debian DSA/DLA/DTSA lists or tracker JSON")
      ->required();
  imp->add_flag("-q,--quiet", import_flags.quiet, "no counts");
  auto* upd = db->add_subcommand("update", "Download the configured sources and rebuild the database atomically");
  upd->add_flag("-q,--quiet", update_flags.quiet, "no progress and no counts");
  for (auto [cmd, flags] : {std::pair{imp, &import_flags}, std::pair{upd, &update_flags}}) {
    cmd->add_option("--database", flags->database,
                    "then re-match the images of this fleet database (PostgreSQL URL; see db rematch)");
    cmd->add_option("--webhook", flags->webhook, "with --database: POST what changed to this URL (JSON)");
  }
  auto* st = db->add_subcommand("status", "Sources, counts and age of the database");
  auto* rm = db->add_subcommand(
      "rematch", "Re-match every image stored in the fleet database against this database (no re-scan)");
  rm->add_option("--database", rematch_flags.database, "PostgreSQL connection URI (default: $DRYDOCK_DATABASE)");
  rm->add_option("--webhook", rematch_flags.webhook, "POST the images that gained or lost vulnerabilities (JSON)");
  rm->add_flag("-q,--quiet", rematch_flags.quiet, "no summary line");
  return {{imp, [] { return RunImport(import_flags); }},
          {upd, [] { return RunUpdate(update_flags); }},
          {st, [] { return RunStatus(status_flags); }},
          {rm, [] { return RunRematch(rematch_flags); }}};
}

}  // namespace drydock
