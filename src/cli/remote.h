// Client mode (`image --server URL`): the scan runs on a fleet (`serve` +
// workers); the ScanResult comes back whole, so the caller applies policy,
// filters, formats and the exit code exactly as after a local scan.
#pragma once

#include <functional>
#include <string>

#include "base/result.h"
#include "model/scan.h"
#include "server/api.h"

namespace drydock {

struct RemoteOptions {
  std::string server;  // http(s)://HOST:PORT
  std::string token;   // "" = none sent
  std::vector<std::string> ca_files;
  int timeout_s = 3600;  // how long to wait for the job
  // Called with the job's state each time it changes ("queued", "running").
  std::function<void(const std::string&)> on_state;
};

// Submits the scan, waits for it and fetches the result. Errors: the server
// cannot be reached or refused the request (its JSON error is quoted), the
// job failed (with the worker's error), or the wait timed out.
Result<ScanResult> ScanRemote(const std::string& target, const server::ScanRequestOptions& options,
                              const RemoteOptions& remote);

}  // namespace drydock
