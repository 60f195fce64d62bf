#include "server/serve.h"

#include <arpa/inet.h>
#include <openssl/crypto.h>
#include <signal.h>
#include <sys/socket.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <thread>
#include <utility>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "base/digest.h"
#include "base/path.h"
#include "server/queue.h"
#include "server/vulns.h"
#include "server/schema.h"

namespace drydock::server {

namespace {

using nlohmann::json;

// httplib's TaskQueue: a thread per connection, at most `max` at once;
// connections past that wait in order for a thread to finish one.
class ConnectionThreads final : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(int max) : max_(max) {}
  void enqueue(std::function<void()> fn) override {
    std::lock_guard lock(mu_);
    if (active_ >= max_) {
      pending_.push_back(std::move(fn));
      return;
    }
    ++active_;
    std::thread([this, fn = std::move(fn)]() mutable { Run(std::move(fn)); }).detach();
  }
  void shutdown() override {
    std::unique_lock lock(mu_);
    idle_.wait(lock, [&] { return active_ == 0; });
  }

 private:
  void Run(std::function<void()> fn) {
    for (;;) {
      fn();
      std::lock_guard lock(mu_);
      if (pending_.empty()) {
        --active_;
        idle_.notify_all();
        return;
      }
      fn = std::move(pending_.front());
      pending_.pop_front();
    }
  }
  const int max_;
  std::mutex mu_;
  std::condition_variable idle_;
  std::deque<std::function<void()>> pending_;
  int active_ = 0;
};

// A few database connections shared by the handlers; a broken one is
// replaced on the next use.
class ConnPool {
 public:
  ConnPool(std::string url, int max) : url_(std::move(url)), max_(max) {}
  class Lease {
   public:
    Lease(ConnPool* p, std::unique_ptr<pg::Conn> c) : p_(p), c_(std::move(c)) {}
    Lease(Lease&& o) noexcept : p_(std::exchange(o.p_, nullptr)), c_(std::move(o.c_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (p_ != nullptr) p_->Return(std::move(c_));
    }
    pg::Conn& operator*() { return *c_; }

   private:
    ConnPool* p_;
    std::unique_ptr<pg::Conn> c_;
  };
  Result<Lease> Get() {
    std::unique_lock lock(mu_);
    freed_.wait(lock, [&] { return !idle_.empty() || out_ < max_; });
    std::unique_ptr<pg::Conn> c;
    if (!idle_.empty()) {
      c = std::move(idle_.back());
      idle_.pop_back();
    }
    ++out_;
    lock.unlock();
    if (!c || !c->ok()) {
      auto fresh = pg::Conn::Connect(url_, 5);
      if (!fresh.ok()) {
        Return(nullptr);
        return fresh.error();
      }
      c = std::move(fresh).value();
    }
    return Lease(this, std::move(c));
  }

 private:
  void Return(std::unique_ptr<pg::Conn> c) {
    std::lock_guard lock(mu_);
    --out_;
    if (c && c->ok()) idle_.push_back(std::move(c));
    freed_.notify_one();
  }
  std::string url_;
  int max_;
  std::mutex mu_;
  std::condition_variable freed_;
  std::vector<std::unique_ptr<pg::Conn>> idle_;
  int out_ = 0;
};

void JsonReply(httplib::Response& res, int status, const json& body) {
  res.status = status;
  res.set_content(body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n", "application/json");
}
void ErrorReply(httplib::Response& res, int status, std::string_view message) {
  JsonReply(res, status, json{{"error", std::string(message)}});
}

// Constant time in the token's bytes and length: both sides are hashed first.
bool TokenMatches(std::string_view given, std::string_view want) {
  Sha256 a, b;
  a.Update(given);
  b.Update(want);
  const std::string x = a.Finish().hex, y = b.Finish().hex;
  return CRYPTO_memcmp(x.data(), y.data(), x.size()) == 0;
}

bool ParseId(const std::string& s, int64_t& id) {
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
  return ec == std::errc() && p == s.data() + s.size() && id > 0;
}

class Api {
 public:
  explicit Api(const ServeOptions& o) : o_(o), pool_(o.database, o.db_connections) {}

  void Install(httplib::Server& s) {
    s.Get("/healthz", [](const httplib::Request&, httplib::Response& res) { JsonReply(res, 200, {{"status", "ok"}}); });
    s.Get("/readyz", [this](const httplib::Request&, httplib::Response& res) { Ready(res); });
    s.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) { Metrics(res); });
    s.Post("/v1/scans", [this](const httplib::Request& req, httplib::Response& res) {
      if (Authorized(req, res)) Submit(req, res);
    });
    s.Get(R"(/v1/scans/([^/]+))", [this](const httplib::Request& req, httplib::Response& res) {
      if (Authorized(req, res)) Show(req, res);
    });
    s.Get(R"(/v1/scans/([^/]+)/result)", [this](const httplib::Request& req, httplib::Response& res) {
      if (Authorized(req, res)) ResultBytes(req, res);
    });
    s.Get(R"(/v1/images/([^/]+)/vulnerabilities)", [this](const httplib::Request& req, httplib::Response& res) {
      if (Authorized(req, res)) ImageVulns(req, res);
    });
    s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      const char* why = res.status == 413   ? "the request body is too large"
                        : res.status == 404 ? "no such endpoint"
                        : res.status == 405 ? "method not allowed"
                                            : "request refused";
      ErrorReply(res, res.status, why);
    });
    s.set_post_routing_handler([this](const httplib::Request&, httplib::Response& res) { Count(res.status); });
  }

 private:
  bool Authorized(const httplib::Request& req, httplib::Response& res) {
    if (o_.no_auth) return true;
    const std::string h = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (h.size() > kBearer.size() && std::string_view(h).substr(0, kBearer.size()) == kBearer &&
        TokenMatches(std::string_view(h).substr(kBearer.size()), o_.token)) {
      return true;
    }
    res.set_header("WWW-Authenticate", "Bearer realm=\"drydock\"");
    ErrorReply(res, 401, h.empty() ? "missing bearer token" : "invalid bearer token");
    return false;
  }

  void Ready(httplib::Response& res) {
    auto c = pool_.Get();
    if (!c.ok()) return ErrorReply(res, 503, c.error().message);
    auto v = CurrentVersion(**c);
    if (!v.ok()) return ErrorReply(res, 503, v.error().message);
    if (*v != SchemaVersion()) {
      return ErrorReply(res, 503, fmt::format("schema version {}, want {}", *v, SchemaVersion()));
    }
    JsonReply(res, 200, {{"status", "ready"}, {"schema_version", *v}});
  }

  void Submit(const httplib::Request& req, httplib::Response& res) {
    auto r = ParseScanRequest(req.body);
    if (!r.ok()) return ErrorReply(res, 400, r.error().message);
    if (auto s = o_.targets.Check(r->target); !s.ok()) return ErrorReply(res, 403, s.error().message);
    auto c = pool_.Get();
    if (!c.ok()) return ErrorReply(res, 503, c.error().message);
    auto out = server::Submit(**c, *r, o_.max_attempts);
    if (!out.ok()) return ErrorReply(res, 503, out.error().message);
    JsonReply(res, 202, {{"id", std::to_string(out->id)}, {"status", "queued"}, {"coalesced", !out->created}});
  }

  void Show(const httplib::Request& req, httplib::Response& res) {
    int64_t id = 0;
    if (!ParseId(req.matches[1], id)) return ErrorReply(res, 404, "no such scan");
    auto c = pool_.Get();
    if (!c.ok()) return ErrorReply(res, 503, c.error().message);
    auto job = GetJob(**c, id);
    if (!job.ok()) return ErrorReply(res, 503, job.error().message);
    if (!*job) return ErrorReply(res, 404, "no such scan");
    const JobView& v = **job;
    json j = {{"id", std::to_string(v.id)},      {"target", v.target},
              {"status", v.status},              {"attempts", v.attempts},
              {"max_attempts", v.max_attempts},  {"layers_analysed", v.layers_read},
              {"layers_shared", v.layers_shared}};
    if (!v.error.empty()) j["error"] = v.error;
    if (!v.manifest_digest.empty()) j["manifest_digest"] = v.manifest_digest;
    if (!v.worker.empty()) j["worker"] = v.worker;
    if (v.report_json) j["report"] = json::parse(*v.report_json, nullptr, false);
    JsonReply(res, 200, j);
  }

  void ResultBytes(const httplib::Request& req, httplib::Response& res) {
    int64_t id = 0;
    if (!ParseId(req.matches[1], id)) return ErrorReply(res, 404, "no such scan");
    auto c = pool_.Get();
    if (!c.ok()) return ErrorReply(res, 503, c.error().message);
    auto r = GetResult(**c, id);
    if (!r.ok()) return ErrorReply(res, 503, r.error().message);
    if (!*r) return ErrorReply(res, 404, "no result for this scan (not done)");
    res.status = 200;
    res.set_content(std::move(**r), "application/octet-stream");
  }

  // The image's vulnerabilities as last matched (by a scan or a rematch),
  // and the latest changes rematches recorded.
  void ImageVulns(const httplib::Request& req, httplib::Response& res) {
    const std::string digest = req.matches[1];
    if (!ValidDigest(digest)) return ErrorReply(res, 400, "want a manifest digest: sha256: and 64 hex digits");
    auto c = pool_.Get();
    if (!c.ok()) return ErrorReply(res, 503, c.error().message);
    auto body = ImageVulnsJson(**c, digest);
    if (!body.ok()) return ErrorReply(res, 503, body.error().message);
    if (!*body) return ErrorReply(res, 404, "no vulnerability scan of this image");
    res.status = 200;
    res.set_content(std::move(**body), "application/json");
  }

  static bool ValidDigest(std::string_view d) {
    constexpr std::string_view kPrefix = "sha256:";
    if (d.size() != kPrefix.size() + 64 || !d.starts_with(kPrefix)) return false;
    return std::all_of(d.begin() + kPrefix.size(), d.end(),
                       [](char ch) { return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'); });
  }

  void Metrics(httplib::Response& res) {
    std::string out;
    bool up = false;
    if (auto c = pool_.Get(); c.ok()) {
      if (auto m = QueueMetrics(**c); m.ok()) {
        out = std::move(m).value();
        up = true;
      }
    }
    out += "# HELP drydock_database_up Whether serve reached PostgreSQL for this scrape.\n"
           "# TYPE drydock_database_up gauge\n";
    out += fmt::format("drydock_database_up {}\n", up ? 1 : 0);
    out += "# HELP drydock_http_responses_total Responses by status code.\n"
           "# TYPE drydock_http_responses_total counter\n";
    {
      std::lock_guard lock(mu_);
      for (const auto& [code, n] : responses_) out += fmt::format("drydock_http_responses_total{{code=\"{}\"}} {}\n", code, n);
    }
    res.status = 200;
    res.set_content(out, "text/plain; version=0.0.4");
  }

  void Count(int status) {
    std::lock_guard lock(mu_);
    ++responses_[status];
  }

  const ServeOptions& o_;
  ConnPool pool_;
  std::mutex mu_;
  std::map<int, int64_t> responses_;
};

}  // namespace

bool IsLoopback(const std::string& host) {
  if (host == "localhost" || host == "::1" || host == "[::1]") return true;
  in_addr a{};
  return inet_pton(AF_INET, host.c_str(), &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

int RunServe(const ServeOptions& o) {
  if (auto s = ConnectAndMigrate(o.database); !s.ok()) {
    std::fprintf(stderr, "drydock: serve: %s\n", s.error().message.c_str());
    return 2;
  }
  // SIGTERM/SIGINT go to one thread that stops the server.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);

  httplib::Server svr;
  const int max_conn = o.max_connections;
  svr.new_task_queue = [max_conn] { return new ConnectionThreads(max_conn); };
  svr.set_read_timeout(o.read_timeout_s, 0);
  svr.set_write_timeout(o.write_timeout_s, 0);
  svr.set_keep_alive_timeout(o.keep_alive_s);
  svr.set_keep_alive_max_count(static_cast<size_t>(o.keep_alive_max));
  svr.set_payload_max_length(o.max_body);
  // httplib listens with a backlog of 5: a burst of clients would see
  // refused connections. Keep the listening socket and raise it to the
  // system's maximum once bound (Linux accepts listen() again for that).
  int listen_fd = -1;
  svr.set_socket_options([&listen_fd](socket_t fd) {
    int yes = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    if (listen_fd < 0) listen_fd = fd;
  });
  Api api(o);
  api.Install(svr);
  if (!svr.bind_to_port(o.host, o.port)) {
    std::fprintf(stderr, "drydock: serve: cannot listen on %s:%d\n", Printable(o.host).c_str(), o.port);
    return 2;
  }
  if (listen_fd >= 0) ::listen(listen_fd, SOMAXCONN);
  std::thread stopper([&] {
    int sig = 0;
    sigwait(&set, &sig);
    svr.stop();
  });
  std::fprintf(stderr, "drydock: serving on http://%s:%d\n", o.host.c_str(), o.port);
  svr.listen_after_bind();
  // listen_after_bind returned: stopped by a signal, or failed; wake the
  // stopper if it is still waiting.
  pthread_kill(stopper.native_handle(), SIGTERM);
  stopper.join();
  return 0;
}

}  // namespace drydock::server
