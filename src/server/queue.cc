#include "server/queue.h"

#include <fmt/format.h>

namespace drydock::server {

namespace {

std::string PgTextArray(const std::vector<std::string>& v) {
  // Digests hold no character that needs quoting in an array literal.
  std::string out = "{";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + v[i];
  return out + "}";
}

Status Notify(pg::Conn& c) { return c.Run("SELECT pg_notify($1, '')", {pg::Param(std::string(kNotifyChannel))}); }

}  // namespace

Result<SubmitOutcome> Submit(pg::Conn& c, const ScanRequest& r, int max_attempts) {
  const std::string key = RequestKey(r);
  // ON CONFLICT waits for a concurrent insert of the same key to commit; the
  // SELECT after it then needs a fresh snapshot, hence the loop.
  for (int i = 0; i < 20; ++i) {
    ASSIGN_OR_RETURN(auto ins, c.Exec("INSERT INTO scans (request_key, target, options, status, max_attempts) "
                                      "VALUES ($1, $2, $3::jsonb, 'queued', $4) "
                                      "ON CONFLICT (request_key) WHERE status IN ('queued', 'running') DO NOTHING "
                                      "RETURNING id",
                                      {key, r.target, OptionsJson(r.options), int64_t{max_attempts}}));
    if (ins.size() == 1) {
      RETURN_IF_ERROR(Notify(c));
      return SubmitOutcome{ins.get_int(0, 0), true};
    }
    ASSIGN_OR_RETURN(auto old, c.Exec("SELECT id FROM scans WHERE request_key = $1 AND status IN ('queued', 'running')",
                                      {key}));
    if (old.size() == 1) return SubmitOutcome{old.get_int(0, 0), false};
  }
  return EnvError("postgresql: could not queue the scan (the identical job kept changing state)");
}

Result<std::optional<Job>> Claim(pg::Conn& c, const std::string& owner, int lease_seconds) {
  RETURN_IF_ERROR(c.Run(
      "UPDATE scans SET status = 'failed', finished_at = now(), lease_owner = NULL, lease_expires = NULL, "
      "error = coalesce(error || '; ', '') || 'the worker running attempt ' || attempts || ' of ' || max_attempts || "
      "' stopped before finishing (lease expired)' "
      "WHERE status = 'running' AND lease_expires < now() AND attempts >= max_attempts"));
  ASSIGN_OR_RETURN(auto rows,
                   c.Exec("UPDATE scans SET status = 'running', attempts = attempts + 1, lease_owner = $1, "
                          "lease_expires = now() + make_interval(secs => $2::int), "
                          "started_at = coalesce(started_at, now()) "
                          "WHERE id = (SELECT id FROM scans WHERE status = 'queued' OR (status = 'running' AND "
                          "lease_expires < now() AND attempts < max_attempts) ORDER BY id LIMIT 1 "
                          "FOR UPDATE SKIP LOCKED) "
                          "RETURNING id, target, options, attempts, max_attempts",
                          {owner, int64_t{lease_seconds}}));
  if (rows.size() == 0) return std::optional<Job>();
  Job j;
  j.id = rows.get_int(0, 0);
  j.target = std::string(rows.get(0, 1));
  auto opts = ParseOptionsJson(rows.get(0, 2));
  if (!opts.ok()) {
    (void)FailJob(c, j.id, owner, opts.error().message, false);
    return opts.error().Wrap(fmt::format("scan {}", j.id));
  }
  j.options = std::move(opts).value();
  j.attempts = static_cast<int>(rows.get_int(0, 3));
  j.max_attempts = static_cast<int>(rows.get_int(0, 4));
  return std::optional<Job>(std::move(j));
}

Result<bool> Heartbeat(pg::Conn& c, int64_t id, const std::string& owner, int lease_seconds) {
  ASSIGN_OR_RETURN(auto rows, c.Exec("UPDATE scans SET lease_expires = now() + make_interval(secs => $3::int) "
                                     "WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
                                     {id, owner, int64_t{lease_seconds}}));
  return rows.affected() == 1;
}

Result<bool> Complete(pg::Conn& c, int64_t id, const std::string& owner, const JobOutput& out) {
  bool lost = false;
  Status s = c.Transaction([&]() -> Status {
    ASSIGN_OR_RETURN(auto rows,
                     c.Exec("UPDATE scans SET status = 'done', finished_at = now(), lease_owner = NULL, "
                            "lease_expires = NULL, error = NULL, manifest_digest = nullif($3, ''), layers_read = $4, "
                            "layers_shared = $5, duration_seconds = $6::double precision "
                            "WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
                            {id, owner, out.manifest_digest, int64_t{out.layers_read}, int64_t{out.layers_shared},
                             fmt::format("{:.6f}", out.seconds)}));
    lost = rows.affected() != 1;
    if (lost) return EnvError("lease lost");
    RETURN_IF_ERROR(c.Run("INSERT INTO reports (scan_id, result, report_json) VALUES ($1, $2, $3)",
                          {id, pg::Param::Bytes(out.result), out.report_json}));
    if (out.manifest_digest.empty()) return Status();
    RETURN_IF_ERROR(c.Run(
        "INSERT INTO images (manifest_digest, config_digest, diff_ids, last_scan_id) VALUES ($1, $2, $3::text[], $4) "
        "ON CONFLICT (manifest_digest) DO UPDATE SET config_digest = EXCLUDED.config_digest, "
        "diff_ids = EXCLUDED.diff_ids, last_scan_id = EXCLUDED.last_scan_id, updated_at = now()",
        {out.manifest_digest, out.config_digest, PgTextArray(out.diff_ids), id}));
    if (!out.vulns_matched) return Status();
    return StoreImageVulns(c, out.manifest_digest, id, out.matched_with, out.vulns);
  });
  if (lost) return false;
  if (!s.ok()) return s.error();
  return true;
}

Result<bool> FailJob(pg::Conn& c, int64_t id, const std::string& owner, const std::string& error, bool retry) {
  ASSIGN_OR_RETURN(auto rows,
                   c.Exec("UPDATE scans SET status = CASE WHEN $4::bool AND attempts < max_attempts THEN 'queued' "
                          "ELSE 'failed' END, error = $3, lease_owner = NULL, lease_expires = NULL, "
                          "finished_at = CASE WHEN $4::bool AND attempts < max_attempts THEN NULL ELSE now() END "
                          "WHERE id = $1 AND lease_owner = $2 AND status = 'running' RETURNING status",
                          {id, owner, error, retry ? "true" : "false"}));
  if (rows.size() == 0) return false;
  if (rows.get(0, 0) == "queued") RETURN_IF_ERROR(Notify(c));
  return true;
}

Result<bool> Release(pg::Conn& c, int64_t id, const std::string& owner) {
  ASSIGN_OR_RETURN(auto rows, c.Exec("UPDATE scans SET status = 'queued', attempts = greatest(attempts - 1, 0), "
                                     "lease_owner = NULL, lease_expires = NULL "
                                     "WHERE id = $1 AND lease_owner = $2 AND status = 'running'",
                                     {id, owner}));
  if (rows.affected() != 1) return false;
  RETURN_IF_ERROR(Notify(c));
  return true;
}

Result<std::optional<JobView>> GetJob(pg::Conn& c, int64_t id) {
  ASSIGN_OR_RETURN(auto rows, c.Exec("SELECT s.id, s.target, s.status, s.attempts, s.max_attempts, "
                                     "coalesce(s.error, ''), coalesce(s.manifest_digest, ''), "
                                     "coalesce(s.lease_owner, ''), s.layers_read, s.layers_shared, r.report_json "
                                     "FROM scans s LEFT JOIN reports r ON r.scan_id = s.id WHERE s.id = $1",
                                     {id}));
  if (rows.size() == 0) return std::optional<JobView>();
  JobView v;
  v.id = rows.get_int(0, 0);
  v.target = std::string(rows.get(0, 1));
  v.status = std::string(rows.get(0, 2));
  v.attempts = static_cast<int>(rows.get_int(0, 3));
  v.max_attempts = static_cast<int>(rows.get_int(0, 4));
  v.error = std::string(rows.get(0, 5));
  v.manifest_digest = std::string(rows.get(0, 6));
  v.worker = std::string(rows.get(0, 7));
  v.layers_read = static_cast<int>(rows.get_int(0, 8));
  v.layers_shared = static_cast<int>(rows.get_int(0, 9));
  if (!rows.null(0, 10)) v.report_json = std::string(rows.get(0, 10));
  return std::optional<JobView>(std::move(v));
}

Result<std::optional<std::string>> GetResult(pg::Conn& c, int64_t id) {
  ASSIGN_OR_RETURN(auto rows, c.Exec("SELECT result FROM reports WHERE scan_id = $1", {id}));
  if (rows.size() == 0) return std::optional<std::string>();
  return std::optional<std::string>(rows.get_bytes(0, 0));
}

Result<std::string> QueueMetrics(pg::Conn& c) {
  std::string out;
  ASSIGN_OR_RETURN(auto by_status, c.Exec("SELECT st, (SELECT count(*) FROM scans WHERE status = st) "
                                          "FROM unnest(ARRAY['queued', 'running', 'done', 'failed']) AS st"));
  out += "# HELP drydock_scans Scan jobs by state.\n# TYPE drydock_scans gauge\n";
  for (int i = 0; i < by_status.size(); ++i) {
    out += fmt::format("drydock_scans{{state=\"{}\"}} {}\n", by_status.get(i, 0), by_status.get(i, 1));
  }
  ASSIGN_OR_RETURN(auto depth, c.Exec("SELECT count(*) FROM scans WHERE status = 'queued'"));
  out += "# HELP drydock_queue_depth Jobs waiting for a worker.\n# TYPE drydock_queue_depth gauge\n";
  out += fmt::format("drydock_queue_depth {}\n", depth.get(0, 0));
  static constexpr const char* kBuckets[] = {"0.1", "0.25", "0.5", "1", "2.5", "5", "10", "30", "60", "300"};
  std::string sql = "SELECT ";
  for (const char* b : kBuckets) sql += fmt::format("count(*) FILTER (WHERE duration_seconds <= {}), ", b);
  sql += "count(duration_seconds), coalesce(sum(duration_seconds), 0) FROM scans WHERE status = 'done'";
  ASSIGN_OR_RETURN(auto h, c.Exec(sql));
  out += "# HELP drydock_scan_duration_seconds Time a worker spent on a finished scan.\n"
         "# TYPE drydock_scan_duration_seconds histogram\n";
  int col = 0;
  for (const char* b : kBuckets) {
    out += fmt::format("drydock_scan_duration_seconds_bucket{{le=\"{}\"}} {}\n", b, h.get(0, col++));
  }
  out += fmt::format("drydock_scan_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", h.get(0, col));
  out += fmt::format("drydock_scan_duration_seconds_sum {}\n", h.get(0, col + 1));
  out += fmt::format("drydock_scan_duration_seconds_count {}\n", h.get(0, col));
  ASSIGN_OR_RETURN(auto layers, c.Exec("SELECT coalesce(sum(layers_read), 0), coalesce(sum(layers_shared), 0), "
                                       "coalesce(sum(attempts), 0) FROM scans WHERE status = 'done'"));
  out += "# HELP drydock_layers_analysed_total Layers read and analysed by finished scans.\n"
         "# TYPE drydock_layers_analysed_total counter\n";
  out += fmt::format("drydock_layers_analysed_total {}\n", layers.get(0, 0));
  out += "# HELP drydock_layer_cache_hits_total Layers finished scans took from the shared layer table.\n"
         "# TYPE drydock_layer_cache_hits_total counter\n";
  out += fmt::format("drydock_layer_cache_hits_total {}\n", layers.get(0, 1));
  ASSIGN_OR_RETURN(auto stored, c.Exec("SELECT count(*) FROM layers"));
  out += "# HELP drydock_layers_stored Layer results in the shared table.\n# TYPE drydock_layers_stored gauge\n";
  out += fmt::format("drydock_layers_stored {}\n", stored.get(0, 0));
  return out;
}

}  // namespace drydock::server
