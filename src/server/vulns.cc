#include "server/vulns.h"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace drydock::server {

namespace {

using nlohmann::json;

json RowsJson(const std::vector<ImageVuln>& rows) {
  json a = json::array();
  for (const ImageVuln& v : rows) {
    a.push_back({{"vuln_id", v.id},
                 {"package", v.package},
                 {"version", v.version},
                 {"severity", v.severity},
                 {"fixed_version", v.fixed_version}});
  }
  return a;
}

// Inserts `rows` for the image in one statement: the rows travel as one
// JSON parameter (no quoting of names by hand).
Status InsertRows(pg::Conn& c, const std::string& digest, const std::vector<ImageVuln>& rows) {
  if (rows.empty()) return Status();
  return c.Run(
      "INSERT INTO image_vulnerabilities (manifest_digest, vuln_id, package, version, severity, fixed_version) "
      "SELECT $1, x.vuln_id, x.package, x.version, x.severity, x.fixed_version FROM jsonb_to_recordset($2::jsonb) "
      "AS x(vuln_id text, package text, version text, severity text, fixed_version text) "
      "ON CONFLICT (manifest_digest, vuln_id, package, version) DO UPDATE SET severity = EXCLUDED.severity, "
      "fixed_version = EXCLUDED.fixed_version",
      {digest, RowsJson(rows).dump()});
}

Result<std::vector<ImageVuln>> LoadRows(pg::Conn& c, const std::string& digest) {
  ASSIGN_OR_RETURN(auto r, c.Exec("SELECT vuln_id, package, version, severity, fixed_version FROM "
                                  "image_vulnerabilities WHERE manifest_digest = $1",
                                  {digest}));
  std::vector<ImageVuln> out;
  out.reserve(static_cast<size_t>(r.size()));
  for (int i = 0; i < r.size(); ++i) {
    out.push_back({std::string(r.get(i, 0)), std::string(r.get(i, 1)), std::string(r.get(i, 2)),
                   std::string(r.get(i, 3)), std::string(r.get(i, 4))});
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

bool ImageVuln::operator<(const ImageVuln& o) const {
  return std::tie(id, package, version) < std::tie(o.id, o.package, o.version);
}

std::vector<ImageVuln> VulnRows(const std::vector<Finding>& findings) {
  std::vector<ImageVuln> out;
  for (const Finding& f : findings) {
    if (f.kind != FindingKind::kVulnerability || !f.vuln) continue;
    const VulnerabilityDetail& d = *f.vuln;
    out.push_back({d.id.empty() ? f.rule_id : d.id, d.package_name, d.installed_version,
                   std::string(SeverityName(f.severity)), d.fixed_versions.empty() ? "" : d.fixed_versions.front()});
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end(), [](const ImageVuln& a, const ImageVuln& b) { return a.SameKey(b); }),
            out.end());
  return out;
}

Status StoreImageVulns(pg::Conn& c, const std::string& digest, int64_t scan_id, const std::string& matched_with,
                       const std::vector<ImageVuln>& rows) {
  RETURN_IF_ERROR(c.Run("UPDATE images SET inventory_scan_id = $2, matched_at = now(), matched_with = $3 "
                        "WHERE manifest_digest = $1",
                        {digest, scan_id, matched_with}));
  RETURN_IF_ERROR(c.Run("DELETE FROM image_vulnerabilities WHERE manifest_digest = $1", {digest}));
  return InsertRows(c, digest, rows);
}

Result<std::vector<StoredInventory>> InventoriesAfter(pg::Conn& c, const std::string& after, int limit) {
  ASSIGN_OR_RETURN(auto r, c.Exec("SELECT i.manifest_digest, r.result FROM images i "
                                  "JOIN reports r ON r.scan_id = i.inventory_scan_id "
                                  "WHERE i.manifest_digest > $1 ORDER BY i.manifest_digest LIMIT $2",
                                  {after, int64_t{limit}}));
  std::vector<StoredInventory> out;
  for (int i = 0; i < r.size(); ++i) out.push_back({std::string(r.get(i, 0)), r.get_bytes(i, 1)});
  return out;
}

Result<int64_t> BeginRematch(pg::Conn& c, const std::string& advisories) {
  ASSIGN_OR_RETURN(auto r, c.Exec("INSERT INTO rematches (advisories) VALUES ($1) RETURNING id", {advisories}));
  if (r.size() != 1) return EnvError("postgresql: rematch: no id returned");
  return r.get_int(0, 0);
}

Result<VulnDiff> ApplyRematch(pg::Conn& c, int64_t rematch, const std::string& digest,
                              const std::string& matched_with, const std::vector<ImageVuln>& now) {
  VulnDiff diff;
  Status s = c.Transaction([&]() -> Status {
    diff = VulnDiff();
    ASSIGN_OR_RETURN(auto lock, c.Exec("SELECT 1 FROM images WHERE manifest_digest = $1 FOR UPDATE", {digest}));
    if (lock.size() != 1) return Status();  // deleted meanwhile
    ASSIGN_OR_RETURN(std::vector<ImageVuln> old, LoadRows(c, digest));
    std::set_difference(now.begin(), now.end(), old.begin(), old.end(), std::back_inserter(diff.added));
    std::set_difference(old.begin(), old.end(), now.begin(), now.end(), std::back_inserter(diff.removed));
    for (const ImageVuln& v : diff.removed) {
      RETURN_IF_ERROR(c.Run("DELETE FROM image_vulnerabilities WHERE manifest_digest = $1 AND vuln_id = $2 AND "
                            "package = $3 AND version = $4",
                            {digest, v.id, v.package, v.version}));
    }
    // Rows kept are upserted too: a new severity or fix is recorded.
    RETURN_IF_ERROR(InsertRows(c, digest, now));
    for (const auto& [change, rows] : {std::pair{"added", &diff.added}, std::pair{"removed", &diff.removed}}) {
      if (rows->empty()) continue;
      RETURN_IF_ERROR(c.Run(
          "INSERT INTO vulnerability_changes (rematch_id, manifest_digest, change, vuln_id, package, version, "
          "severity) SELECT $1, $2, $3, x.vuln_id, x.package, x.version, x.severity FROM "
          "jsonb_to_recordset($4::jsonb) AS x(vuln_id text, package text, version text, severity text)",
          {rematch, digest, std::string(change), RowsJson(*rows).dump()}));
    }
    return c.Run("UPDATE images SET matched_at = now(), matched_with = $2 WHERE manifest_digest = $1",
                 {digest, matched_with});
  });
  if (!s.ok()) return s.error();
  return diff;
}

Status FinishRematch(pg::Conn& c, int64_t rematch, const RematchTotals& t) {
  return c.Run("UPDATE rematches SET images = $2, changed_images = $3, added = $4, removed = $5, "
               "finished_at = now() WHERE id = $1",
               {rematch, int64_t{t.images}, int64_t{t.changed_images}, int64_t{t.added}, int64_t{t.removed}});
}

Result<std::optional<std::string>> ImageVulnsJson(pg::Conn& c, const std::string& digest, int max_changes) {
  ASSIGN_OR_RETURN(auto img, c.Exec("SELECT to_char(matched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
                                    "coalesce(matched_with, ''), inventory_scan_id FROM images "
                                    "WHERE manifest_digest = $1 AND inventory_scan_id IS NOT NULL",
                                    {digest}));
  if (img.size() != 1) return std::optional<std::string>();
  ASSIGN_OR_RETURN(std::vector<ImageVuln> rows, LoadRows(c, digest));
  json vulns = json::array();
  for (const ImageVuln& v : rows) {
    vulns.push_back({{"id", v.id},
                     {"package", v.package},
                     {"version", v.version},
                     {"severity", v.severity},
                     {"fixed_version", v.fixed_version}});
  }
  ASSIGN_OR_RETURN(auto ch, c.Exec("SELECT rematch_id, change, vuln_id, package, version, severity, "
                                   "to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') "
                                   "FROM vulnerability_changes WHERE manifest_digest = $1 ORDER BY id DESC LIMIT $2",
                                   {digest, int64_t{max_changes}}));
  json changes = json::array();
  for (int i = 0; i < ch.size(); ++i) {
    changes.push_back({{"rematch", ch.get_int(i, 0)},
                       {"change", std::string(ch.get(i, 1))},
                       {"id", std::string(ch.get(i, 2))},
                       {"package", std::string(ch.get(i, 3))},
                       {"version", std::string(ch.get(i, 4))},
                       {"severity", std::string(ch.get(i, 5))},
                       {"at", std::string(ch.get(i, 6))}});
  }
  json out = {{"manifest_digest", digest},
              {"matched_at", std::string(img.get(0, 0))},
              {"advisories", std::string(img.get(0, 1))},
              {"scan", std::to_string(img.get_int(0, 2))},
              {"vulnerabilities", std::move(vulns)},
              {"changes", std::move(changes)}};
  return std::optional<std::string>(out.dump());
}

}  // namespace drydock::server
