// Re-matching the fleet's stored inventories against the local advisories
// (`drydock db rematch`, and `db import|update --database URL`): no image is
// re-scanned; each image's gained and lost vulnerabilities are recorded in
// PostgreSQL (server/vulns.h) and, with a webhook, posted as JSON.
#pragma once

#include <string>

#include "base/result.h"
#include "cli/config.h"

namespace drydock {

// Which advisories a match used: the local database's build time, "" when
// it cannot be read.
std::string AdvisoriesLabel(const std::string& db_path);

struct RematchOptions {
  std::string database;  // the fleet's PostgreSQL
  std::string webhook;   // http(s) URL to POST the changes to, or ""
  bool quiet = false;
};

// Re-matches every stored image; prints one summary line (unless quiet).
// The webhook gets {"event": "vulnerabilities.changed", "rematch": N,
// "advisories": …, "images": [{"manifest_digest", "added": [...],
// "removed": [...]}]}, in posts of at most 100 images, only when something
// changed; it is never redirected. A webhook failure is an error after the
// changes are committed.
Status RematchFleet(const Config& cfg, const RematchOptions& o);

}  // namespace drydock
