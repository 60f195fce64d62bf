// `drydock worker`: runs fleet jobs through the same pipeline as `drydock
// image` (ScanImage), with layer results shared through PostgreSQL.
#include <algorithm>
#include <cstdlib>

#include "cli/commands.h"
#include "cli/config.h"
#include "cli/fleet.h"
#include "cli/rematch.h"
#include "cli/scan.h"
#include "report/report.h"
#include "server/worker.h"

namespace drydock {

namespace {

struct WorkerFlags {
  std::string database;
  int concurrency = 1;
  int lease_seconds = 30;
  int poll_seconds = 5;
  std::string name;
};

Result<server::JobOutput> RunJob(const Config& cfg, const server::Job& job, const LayerStore& store) {
  ScanOptions opts;
  opts.scanners = job.options.scanners;
  opts.checks = job.options.checks;
  opts.inventory = job.options.inventory;
  opts.include_unfixed = job.options.include_unfixed;
  SourceFlags sf;
  sf.platform = job.options.platform;
  ASSIGN_OR_RETURN(opts.source, MakeSourceOptions(sf, /*quiet=*/true));
  opts.vuln_db = cfg.DbPath();
  opts.cache_dir = cfg.cache_dir;  // the compiled secret rules
  opts.layer_cache = false;
  opts.layer_store = &store;
  ScanOptions::LayerCounts counts;
  opts.layer_counts = &counts;
  ASSIGN_OR_RETURN(ScanResult scan, ScanImage(job.target, opts));
  server::JobOutput out;
  out.result = EncodeScanResult(scan);
  out.manifest_digest = scan.image.manifest_digest.str();
  out.config_digest = scan.image.config_digest.str();
  for (const Layer& l : scan.image.layers) out.diff_ids.push_back(l.diff_id.str());
  out.layers_read = counts.read;
  out.layers_shared = counts.from_store;
  if (std::find(scan.scanners.begin(), scan.scanners.end(), "vuln") != scan.scanners.end() && scan.inventory) {
    out.vulns_matched = true;
    out.vulns = server::VulnRows(scan.findings);
    out.matched_with = AdvisoriesLabel(cfg.DbPath());
  }
  // The report GET /v1/scans/ID shows: what `drydock image --format json`
  // prints for these options (the inventory only when asked for).
  if (!job.options.inventory) scan.inventory.reset();
  ReportOptions ropts;
  ropts.tool_version = DRYDOCK_VERSION;
  out.report_json = RenderJson(scan, ropts);
  return out;
}

int RunWorkerCommand(const WorkerFlags& f) {
  server::WorkerOptions o;
  auto db = DatabaseUrl(f.database);
  if (!db.ok()) return Fail(db.error());
  o.database = *db;
  if (f.concurrency < 1 || f.concurrency > 64) return Fail(UsageError("--concurrency: want 1 to 64"));
  if (f.lease_seconds < 2 || f.lease_seconds > 3600) return Fail(UsageError("--lease-seconds: want 2 to 3600"));
  if (f.poll_seconds < 1 || f.poll_seconds > 600) return Fail(UsageError("--poll-seconds: want 1 to 600"));
  o.concurrency = f.concurrency;
  o.lease_seconds = f.lease_seconds;
  o.poll_seconds = f.poll_seconds;
  o.name = f.name;
  if (const char* d = std::getenv("DRYDOCK_WORKER_TEST_DELAY_MS")) o.test_delay_ms = std::atoi(d);
  if (const char* a = std::getenv("DRYDOCK_WORKER_TEST_ABORT")) o.abort_on = a;
  auto cfg = LoadConfig();
  if (!cfg.ok()) return Fail(cfg.error());
  const Config config = std::move(cfg).value();
  return server::RunWorkers(
      o, [&config](const server::Job& job, const LayerStore& store) { return RunJob(config, job, store); });
}

}  // namespace

std::vector<Command> WorkerCommand(CLI::App& app) {
  static WorkerFlags flags;
  auto* sub = app.add_subcommand("worker", "Fleet mode: run scan jobs from the PostgreSQL queue (docs/fleet.md)");
  sub->add_option("--database", flags.database,
                  "PostgreSQL connection URI or key=value string (default: $DRYDOCK_DATABASE)");
  sub->add_option("--concurrency", flags.concurrency, "jobs run at once")->capture_default_str();
  sub->add_option("--lease-seconds", flags.lease_seconds,
                  "a job's lease; renewed every third of it, taken over by another worker once expired")
      ->capture_default_str();
  sub->add_option("--poll-seconds", flags.poll_seconds, "look for jobs this often when no notification came")
      ->capture_default_str();
  sub->add_option("--name", flags.name, "lease owner name (default HOSTNAME:PID)");
  return {{sub, [] { return RunWorkerCommand(flags); }}};
}

}  // namespace drydock
