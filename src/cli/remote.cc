#include "cli/remote.h"

#include <chrono>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/path.h"
#include "layer/cache.h"
#include "net/http.h"

namespace drydock {

namespace {

using nlohmann::json;

net::Request Make(const RemoteOptions& r, std::string method, std::string path) {
  net::Request req;
  req.method = std::move(method);
  std::string base = r.server;
  while (!base.empty() && base.back() == '/') base.pop_back();
  req.url = base + path;
  if (!r.token.empty()) req.authorization = "Bearer " + r.token;
  req.ca_files = r.ca_files;
  req.connect_timeout_s = 10;
  req.stall_timeout_s = 60;
  return req;
}

// The server's {"error": …} message, or the status line.
Error Refused(const net::Response& resp, std::string_view what) {
  json j = json::parse(resp.body, nullptr, false);
  std::string msg = j.is_object() && j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>()
                                                                                   : Printable(resp.body, 120);
  Error e = resp.status == 400 || resp.status == 403 || resp.status == 413
                ? InputError("server: {}: HTTP {}: {}", what, resp.status, Printable(msg))
                : EnvError("server: {}: HTTP {}: {}", what, resp.status, Printable(msg));
  return e;
}

}  // namespace

Result<ScanResult> ScanRemote(const std::string& target, const server::ScanRequestOptions& o,
                              const RemoteOptions& remote) {
  net::Request post = Make(remote, "POST", "/v1/scans");
  post.headers.emplace_back("Content-Type", "application/json");
  post.body = json{{"target", target},
                   {"options",
                    {{"scanners", o.scanners},
                     {"inventory", o.inventory},
                     {"checks", o.checks},
                     {"include_unfixed", o.include_unfixed},
                     {"platform", o.platform}}}}
                  .dump();
  ASSIGN_OR_RETURN(net::Response created, net::Fetch(post));
  if (created.status != 202) return Refused(created, "submit");
  json cj = json::parse(created.body, nullptr, false);
  if (!cj.is_object() || !cj.contains("id") || !cj["id"].is_string()) {
    return EnvError("server: submit: the answer has no job id");
  }
  const std::string id = cj["id"].get<std::string>();
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    return EnvError("server: submit: bad job id {}", Printable(id, 40));
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(remote.timeout_s);
  std::string state;
  int wait_ms = 100;
  for (;;) {
    net::Request get = Make(remote, "GET", "/v1/scans/" + id);
    get.max_body = int64_t{1} << 30;
    ASSIGN_OR_RETURN(net::Response resp, net::Fetch(get));
    if (resp.status != 200) return Refused(resp, "scan " + id);
    json j = json::parse(resp.body, nullptr, false);
    if (!j.is_object() || !j.contains("status") || !j["status"].is_string()) {
      return EnvError("server: scan {}: the answer has no status", id);
    }
    const std::string st = j["status"].get<std::string>();
    if (st == "done") break;
    if (st == "failed") {
      const std::string why = j.contains("error") && j["error"].is_string() ? j["error"].get<std::string>() : "";
      return EnvError("server: scan {} of {} failed: {}", id, Printable(target), Printable(why));
    }
    if (st != state && remote.on_state) remote.on_state(st);
    state = st;
    if (std::chrono::steady_clock::now() > deadline) {
      return EnvError("server: scan {}: still {} after {} s", id, st, remote.timeout_s);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    wait_ms = std::min(wait_ms * 2, 1000);
  }
  net::Request get = Make(remote, "GET", "/v1/scans/" + id + "/result");
  get.max_body = kMaxLayerEntryBytes;
  ASSIGN_OR_RETURN(net::Response resp, net::Fetch(get));
  if (resp.status != 200) return Refused(resp, "scan " + id + " result");
  auto scan = DecodeScanResult(resp.body);
  if (!scan.ok()) return scan.error().Wrap("server: scan " + id);
  return scan;
}

}  // namespace drydock
