// Each stored image's vulnerabilities in PostgreSQL, and re-matching them
// without re-scanning (issue 17 part 5). A worker stores the matches of a
// scan that ran the vuln scanner with the job's result (Complete, in the same
// transaction); `drydock db rematch` later matches the stored inventory of
// every image against newer advisories and records, per image, the
// vulnerabilities gained and lost; GET /v1/images/{digest}/vulnerabilities
// answers from these tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "model/finding.h"
#include "server/pg.h"

namespace drydock::server {

// One (vulnerability, package, version) of an image.
struct ImageVuln {
  std::string id;       // CVE-…, GHSA-…
  std::string package;  // as the inventory names it
  std::string version;  // installed
  std::string severity;
  std::string fixed_version;  // "" when no fix

  bool operator<(const ImageVuln& o) const;
  bool SameKey(const ImageVuln& o) const { return id == o.id && package == o.package && version == o.version; }
};

// The rows of a scan's vulnerability findings: sorted, one per key.
std::vector<ImageVuln> VulnRows(const std::vector<Finding>& findings);

// Replaces the image's rows (inside the caller's transaction) and records
// that scan `scan_id` holds its inventory, matched with `matched_with`.
Status StoreImageVulns(pg::Conn& c, const std::string& manifest_digest, int64_t scan_id,
                       const std::string& matched_with, const std::vector<ImageVuln>& rows);

// A page of stored images with an inventory, after `after` (keyset order).
struct StoredInventory {
  std::string manifest_digest;
  std::string result;  // EncodeScanResult of the scan that matched it
};
Result<std::vector<StoredInventory>> InventoriesAfter(pg::Conn& c, const std::string& after, int limit);

// A rematch run: begun, each image applied, finished with its totals.
Result<int64_t> BeginRematch(pg::Conn& c, const std::string& advisories);
struct VulnDiff {
  std::vector<ImageVuln> added, removed;
  bool empty() const { return added.empty() && removed.empty(); }
};
// In one transaction, with the image's row locked: compares `now` with the
// stored rows, writes the difference (rows and change records of `rematch`)
// and the new match time. Returns what changed.
Result<VulnDiff> ApplyRematch(pg::Conn& c, int64_t rematch, const std::string& manifest_digest,
                              const std::string& matched_with, const std::vector<ImageVuln>& now);
struct RematchTotals {
  int images = 0, changed_images = 0, added = 0, removed = 0;
};
Status FinishRematch(pg::Conn& c, int64_t rematch, const RematchTotals& t);

// The body of GET /v1/images/{digest}/vulnerabilities (JSON), or nullopt
// when no scan of that image ran the vuln scanner. `max_changes` bounds the
// change history shown (newest first).
Result<std::optional<std::string>> ImageVulnsJson(pg::Conn& c, const std::string& manifest_digest,
                                                  int max_changes = 100);

}  // namespace drydock::server
