// What a client asks `serve` for, parsed from untrusted bytes, and which
// targets the server agrees to scan. Pure functions: no I/O except
// realpath(3) in TargetPolicy::Check.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock::server {

// The scan options a request may set (the ones that change what the worker
// computes; policy, severity filters and formats are applied by the client
// on the result, as a local scan applies them).
struct ScanRequestOptions {
  std::vector<std::string> scanners = {"misconfig"};  // vuln, secret, misconfig
  bool inventory = false;                             // run the catalogers (SBOM, --list-all-pkgs)
  bool checks = true;                                 // image checks (off for `sbom`)
  bool include_unfixed = true;
  std::string platform;  // os/arch[/variant], "" = the worker's default
};

struct ScanRequest {
  std::string target;
  ScanRequestOptions options;
};

// Limits on a request body's fields.
inline constexpr size_t kMaxTargetBytes = 4096;

// Parses {"target": "...", "options": {...}}. Input errors (HTTP 400) for
// anything else: not JSON, not an object, unknown keys, wrong types, an
// empty or over-long target, control bytes, an unknown scanner.
Result<ScanRequest> ParseScanRequest(std::string_view body);

// The options as canonical JSON (keys sorted, every field present): what
// the scans table stores and the request key hashes.
std::string OptionsJson(const ScanRequestOptions& o);
// The inverse, for rows read back from the database (same checks).
Result<ScanRequestOptions> ParseOptionsJson(std::string_view json);

// SHA-256 hex of the target and canonical options: requests with equal keys
// coalesce into one job while it is queued or running.
std::string RequestKey(const ScanRequest& r);

// --allow-targets: a comma-separated list of "registry" (registry:REF
// targets), "docker" (docker:NAME, the worker's engine) and "path:DIR"
// (docker-archive:, oci:, dir: and absolute paths whose real path lies
// under DIR). Default: registry only.
struct TargetPolicy {
  bool registry = true;
  bool docker = false;
  std::vector<std::string> path_roots;  // real paths

  static Result<TargetPolicy> Parse(std::string_view spec);
  // A usage error (HTTP 403) saying why `target` is not allowed.
  Status Check(std::string_view target) const;
};

}  // namespace drydock::server
