// `drydock worker`: claims jobs from the queue and runs them through the
// scan pipeline, which the caller supplies (the CLI owns it). Stateless:
// everything lives in PostgreSQL, so workers may run anywhere and die
// anytime. Each of `concurrency` threads holds its own connections,
// LISTENs for new jobs (polling every poll_seconds as a fallback), renews
// its lease every lease_seconds/3 while a job runs, reconnects with backoff
// when the database goes away, and stops claiming on SIGTERM/SIGINT
// (the jobs in hand are finished first).
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "layer/cache.h"
#include "server/queue.h"

namespace drydock::server {

struct WorkerOptions {
  std::string database;
  int concurrency = 1;
  int lease_seconds = 30;
  int poll_seconds = 5;
  std::string name;  // lease owner prefix ("" = hostname:pid)
  // Fault injection for the tests (DRYDOCK_WORKER_TEST_*): hold each job
  // this long before scanning (heartbeats go on), and abort() the process
  // on a job whose target contains `abort_on`.
  int test_delay_ms = 0;
  std::string abort_on;
};

// Runs one job: the ScanResult encoded, the JSON report and the layer
// counts, taking layers from and giving them to `store`. An input or usage
// error fails the job at once; an environment error is retried.
using ScanJobFn = std::function<Result<JobOutput>(const Job& job, const LayerStore& store)>;

// Migrates, then works until a signal. Returns the exit status.
int RunWorkers(const WorkerOptions& o, const ScanJobFn& scan);

}  // namespace drydock::server
