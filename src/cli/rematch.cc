#include "cli/rematch.h"

#include <cstdio>

#include <nlohmann/json.hpp>

#include "base/path.h"
#include "layer/cache.h"
#include "net/http.h"
#include "server/pg.h"
#include "server/schema.h"
#include "server/vulns.h"
#include "vuln/db.h"
#include "vuln/match.h"

namespace drydock {

namespace {

using nlohmann::json;

constexpr int kPage = 20;            // images decoded at a time
constexpr size_t kImagesPerPost = 100;

json RowsJson(const std::vector<server::ImageVuln>& rows) {
  json a = json::array();
  for (const auto& v : rows) {
    a.push_back({{"id", v.id}, {"package", v.package}, {"version", v.version}, {"severity", v.severity},
                 {"fixed_version", v.fixed_version}});
  }
  return a;
}

Status Post(const std::string& url, const json& body) {
  net::Request req;
  req.method = "POST";
  req.url = url;
  req.headers.emplace_back("Content-Type", "application/json");
  req.body = body.dump();
  req.max_redirects = 0;  // a webhook that moves is refused, not followed
  req.max_body = 64 << 10;
  req.connect_timeout_s = 10;
  req.stall_timeout_s = 10;
  auto got = net::Fetch(req);
  if (!got.ok()) return got.error().Wrap("webhook (the changes are recorded)");
  const net::Response& resp = *got;
  if (resp.status < 200 || resp.status > 299) {
    return EnvError("webhook {}: HTTP {} (the changes are recorded; GET /v1/images/DIGEST/vulnerabilities shows them)",
                    Printable(url, 120), resp.status);
  }
  return Status();
}

}  // namespace

std::string AdvisoriesLabel(const std::string& db_path) {
  auto db = VulnDb::Open(db_path);
  if (!db.ok()) return "";
  auto built = db->BuiltAt();
  return built.ok() ? *built : "";
}

Status RematchFleet(const Config& cfg, const RematchOptions& o) {
  if (!o.webhook.empty() && !o.webhook.starts_with("http://") && !o.webhook.starts_with("https://")) {
    return UsageError("--webhook {}: want an http:// or https:// URL", Printable(o.webhook, 120));
  }
  ASSIGN_OR_RETURN(VulnDb db, VulnDb::Open(cfg.DbPath()));
  ASSIGN_OR_RETURN(std::string built, db.BuiltAt());
  ASSIGN_OR_RETURN(auto conn, pg::Conn::Connect(o.database));
  RETURN_IF_ERROR(server::Migrate(*conn));
  ASSIGN_OR_RETURN(int64_t rematch, server::BeginRematch(*conn, built));
  server::RematchTotals totals;
  json pending = json::array();
  Status webhook_status;
  auto flush = [&]() {
    if (pending.empty() || o.webhook.empty()) return;
    json body = {{"event", "vulnerabilities.changed"},
                 {"rematch", rematch},
                 {"advisories", built},
                 {"images", std::move(pending)}};
    pending = json::array();
    if (webhook_status.ok()) webhook_status = Post(o.webhook, body);
  };
  std::string after;
  for (;;) {
    ASSIGN_OR_RETURN(auto page, server::InventoriesAfter(*conn, after, kPage));
    if (page.empty()) break;
    for (auto& img : page) {
      after = img.manifest_digest;
      auto scan = DecodeScanResult(img.result);
      img.result.clear();
      if (!scan.ok()) return scan.error().Wrap("stored result of " + img.manifest_digest);
      if (!scan->inventory) continue;
      ASSIGN_OR_RETURN(auto findings, MatchInventory(*scan->inventory, scan->summary.os, db));
      const std::vector<server::ImageVuln> now = server::VulnRows(findings);
      ASSIGN_OR_RETURN(server::VulnDiff diff, server::ApplyRematch(*conn, rematch, img.manifest_digest, built, now));
      ++totals.images;
      if (diff.empty()) continue;
      ++totals.changed_images;
      totals.added += static_cast<int>(diff.added.size());
      totals.removed += static_cast<int>(diff.removed.size());
      pending.push_back({{"manifest_digest", img.manifest_digest},
                         {"added", RowsJson(diff.added)},
                         {"removed", RowsJson(diff.removed)}});
      if (pending.size() >= kImagesPerPost) flush();
    }
  }
  flush();
  RETURN_IF_ERROR(server::FinishRematch(*conn, rematch, totals));
  if (!o.quiet) {
    std::printf("rematch %lld: %d images re-matched with the advisories built %s: %d changed, %d vulnerabilities "
                "added, %d removed\n",
                static_cast<long long>(rematch), totals.images, built.c_str(), totals.changed_images, totals.added,
                totals.removed);
  }
  return webhook_status;
}

}  // namespace drydock
