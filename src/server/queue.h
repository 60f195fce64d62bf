// The job queue on PostgreSQL (the scans table of schema.cc): submit with
// coalescing, claim with SELECT … FOR UPDATE SKIP LOCKED under a lease,
// heartbeat, complete (result, report and job state in one transaction),
// fail with bounded retries, release. Every function takes the caller's
// connection and is safe to run from any number of processes at once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "server/api.h"
#include "server/pg.h"
#include "server/vulns.h"

namespace drydock::server {

// The channel `serve` notifies when a job becomes claimable.
inline constexpr std::string_view kNotifyChannel = "drydock_scans";

struct SubmitOutcome {
  int64_t id = 0;
  bool created = false;  // false: an identical queued or running job was returned
};
// Queues `r` unless an identical request (RequestKey) is queued or running,
// then returns that job. Wakes idle workers (NOTIFY) when it queued one.
Result<SubmitOutcome> Submit(pg::Conn& c, const ScanRequest& r, int max_attempts);

struct Job {
  int64_t id = 0;
  std::string target;
  ScanRequestOptions options;
  int attempts = 0;  // including this one
  int max_attempts = 0;
};
// Marks jobs whose lease expired with no attempts left as failed, then
// leases the oldest claimable job (queued, or running with an expired lease)
// to `owner` for `lease_seconds`. nullopt when there is none.
Result<std::optional<Job>> Claim(pg::Conn& c, const std::string& owner, int lease_seconds);
// Extends the lease; false when `owner` no longer holds it.
Result<bool> Heartbeat(pg::Conn& c, int64_t id, const std::string& owner, int lease_seconds);

struct JobOutput {
  std::string result;       // EncodeScanResult
  std::string report_json;  // the JSON report
  std::string manifest_digest;
  std::string config_digest;
  std::vector<std::string> diff_ids;
  int layers_read = 0;
  int layers_shared = 0;
  double seconds = 0;
  // When the scan ran the vuln scanner: its matches, and which advisories
  // (the database's build time) they were matched with.
  bool vulns_matched = false;
  std::vector<ImageVuln> vulns;
  std::string matched_with;
};
// Stores the output and marks the job done, in one transaction, only while
// `owner` holds the lease; false (nothing written) otherwise.
Result<bool> Complete(pg::Conn& c, int64_t id, const std::string& owner, const JobOutput& out);
// Records `error`; the job is queued again when `retry` and attempts are
// left, else failed. False when `owner` no longer holds the lease.
Result<bool> FailJob(pg::Conn& c, int64_t id, const std::string& owner, const std::string& error, bool retry);
// Gives the job back (graceful shutdown): queued again, this attempt not counted.
Result<bool> Release(pg::Conn& c, int64_t id, const std::string& owner);

struct JobView {
  int64_t id = 0;
  std::string target;
  std::string status;
  int attempts = 0;
  int max_attempts = 0;
  std::string error;
  std::string manifest_digest;
  std::string worker;
  int layers_read = 0;
  int layers_shared = 0;
  std::optional<std::string> report_json;
};
Result<std::optional<JobView>> GetJob(pg::Conn& c, int64_t id);
// The encoded ScanResult of a done job.
Result<std::optional<std::string>> GetResult(pg::Conn& c, int64_t id);

// The database's part of /metrics, in the Prometheus text format.
Result<std::string> QueueMetrics(pg::Conn& c);

}  // namespace drydock::server
