// `drydock serve`: the HTTP API over the queue (JSON over HTTP/1.1 on
// cpp-httplib). Endpoints:
//   POST /v1/scans              {"target": …, "options": {…}} → 202 {"id": …, "status": …}
//   GET  /v1/scans/ID           the job's state, with the JSON report once done
//   GET  /v1/scans/ID/result    the encoded ScanResult (application/octet-stream), for clients
//   GET  /healthz /readyz /metrics
// Connections each get a thread (up to max_connections, then they wait for
// one), so slow or idle clients cost a thread each and never block
// /healthz; every connection has read, write and keep-alive deadlines.
#pragma once

#include <string>

#include "server/api.h"

namespace drydock::server {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 8480;
  std::string database;
  std::string token;     // "" only with no_auth
  bool no_auth = false;  // loopback only (checked by the command)
  TargetPolicy targets;
  int max_attempts = 3;
  size_t max_body = 64 << 10;  // bytes; more is 413
  int read_timeout_s = 10;
  int write_timeout_s = 10;
  int keep_alive_s = 5;
  int keep_alive_max = 100;
  int max_connections = 1024;
  int db_connections = 8;
};

// True when `host` is a loopback address (127.0.0.0/8, ::1, localhost).
bool IsLoopback(const std::string& host);

// Migrates the database, then serves until SIGTERM or SIGINT (stops
// accepting, finishes requests in flight). Returns the exit status.
int RunServe(const ServeOptions& o);

}  // namespace drydock::server
