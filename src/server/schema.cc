#include "server/schema.h"

#include <iterator>
#include <string_view>

#include <fmt/format.h>

namespace drydock::server {

namespace {

// pg_advisory_lock key: "drydock" in ASCII, so other applications sharing
// the database are unlikely to collide with it.
constexpr std::string_view kLockKey = "28263354624012139";  // 0x64727964_6f636b

// Forward-only: a released migration is never edited; a change is a new one.
constexpr std::string_view kMigrations[] = {
    // 1: jobs, reports, images and the shared layer results.
    R"sql(
CREATE TABLE scans (
  id bigserial PRIMARY KEY,
  request_key text NOT NULL,
  target text NOT NULL,
  options jsonb NOT NULL,
  manifest_digest text,
  status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  attempts int NOT NULL DEFAULT 0,
  max_attempts int NOT NULL,
  lease_owner text,
  lease_expires timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  error text,
  layers_read int NOT NULL DEFAULT 0,
  layers_shared int NOT NULL DEFAULT 0,
  duration_seconds double precision
);
CREATE UNIQUE INDEX scans_pending_request ON scans (request_key) WHERE status IN ('queued', 'running');
CREATE INDEX scans_claimable ON scans (id) WHERE status IN ('queued', 'running');
CREATE TABLE reports (
  scan_id bigint PRIMARY KEY REFERENCES scans (id) ON DELETE CASCADE,
  result bytea NOT NULL,
  report_json text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE images (
  manifest_digest text PRIMARY KEY,
  config_digest text NOT NULL,
  diff_ids text[] NOT NULL,
  last_scan_id bigint REFERENCES scans (id) ON DELETE SET NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE layers (
  entry_key text PRIMARY KEY,
  diff_id text NOT NULL,
  entry bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  hits bigint NOT NULL DEFAULT 0
);
CREATE INDEX layers_diff_id ON layers (diff_id);
)sql",
    // 2: each image's vulnerabilities as last matched, and what re-matching
    // against newer advisories changed (server/vulns.h).
    R"sql(
ALTER TABLE images ADD COLUMN inventory_scan_id bigint REFERENCES scans (id) ON DELETE SET NULL,
  ADD COLUMN matched_at timestamptz, ADD COLUMN matched_with text;
CREATE TABLE image_vulnerabilities (
  manifest_digest text NOT NULL REFERENCES images (manifest_digest) ON DELETE CASCADE,
  vuln_id text NOT NULL,
  package text NOT NULL,
  version text NOT NULL,
  severity text NOT NULL,
  fixed_version text NOT NULL,
  PRIMARY KEY (manifest_digest, vuln_id, package, version)
);
CREATE TABLE rematches (
  id bigserial PRIMARY KEY,
  advisories text NOT NULL,
  images int NOT NULL DEFAULT 0,
  changed_images int NOT NULL DEFAULT 0,
  added int NOT NULL DEFAULT 0,
  removed int NOT NULL DEFAULT 0,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);
CREATE TABLE vulnerability_changes (
  id bigserial PRIMARY KEY,
  rematch_id bigint NOT NULL REFERENCES rematches (id) ON DELETE CASCADE,
  manifest_digest text NOT NULL REFERENCES images (manifest_digest) ON DELETE CASCADE,
  change text NOT NULL CHECK (change IN ('added', 'removed')),
  vuln_id text NOT NULL,
  package text NOT NULL,
  version text NOT NULL,
  severity text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX vulnerability_changes_image ON vulnerability_changes (manifest_digest, id);
)sql",
};

}  // namespace

int SchemaVersion() { return static_cast<int>(std::size(kMigrations)); }

Result<int> CurrentVersion(pg::Conn& c) {
  ASSIGN_OR_RETURN(auto exists, c.Exec("SELECT to_regclass('drydock_schema') IS NOT NULL"));
  if (exists.get(0, 0) != "t") return 0;
  ASSIGN_OR_RETURN(auto rows, c.Exec("SELECT coalesce(max(version), 0) FROM drydock_schema"));
  return static_cast<int>(rows.get_int(0, 0));
}

Status Migrate(pg::Conn& c) {
  RETURN_IF_ERROR(c.Run(fmt::format("SELECT pg_advisory_lock({})", kLockKey)));
  auto unlock = [&] { (void)c.Run(fmt::format("SELECT pg_advisory_unlock({})", kLockKey)); };
  Status s = c.ExecScript(
      "CREATE TABLE IF NOT EXISTS drydock_schema (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT "
      "now())");
  auto current = s.ok() ? CurrentVersion(c) : Result<int>(s.error());
  if (!current.ok()) {
    unlock();
    return current.error();
  }
  if (*current > SchemaVersion()) {
    unlock();
    return EnvError("postgresql: the database is at schema version {}, this drydock knows up to {} (upgrade drydock)",
                    *current, SchemaVersion());
  }
  for (int v = *current + 1; v <= SchemaVersion(); ++v) {
    s = c.Transaction([&]() -> Status {
      RETURN_IF_ERROR(c.ExecScript(kMigrations[v - 1]));
      return c.Run("INSERT INTO drydock_schema (version) VALUES ($1)", {pg::Param(int64_t{v})});
    });
    if (!s.ok()) {
      unlock();
      return s.error().Wrap(fmt::format("schema migration {}", v));
    }
  }
  unlock();
  return Status();
}

Status ConnectAndMigrate(const std::string& url) {
  ASSIGN_OR_RETURN(auto c, pg::Conn::Connect(url));
  return Migrate(*c);
}

}  // namespace drydock::server
