#include "engine/client.h"

#include <curl/curl.h>

#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "base/chunk_queue.h"
#include "base/path.h"

namespace drydock {

namespace {

constexpr std::string_view kDefaultSocket = "/var/run/docker.sock";

using CurlPtr = std::unique_ptr<CURL, decltype(&curl_easy_cleanup)>;

std::string Env(const char* k) {
  const char* v = std::getenv(k);
  return v ? v : "";
}

// Body of an engine error response: {"message": "..."} → the message.
std::string EngineMessage(const std::string& body) {
  auto k = body.find("\"message\"");
  if (k == std::string::npos) return Printable(body, 300);
  auto q1 = body.find('"', body.find(':', k) + 1);
  auto q2 = q1 == std::string::npos ? q1 : body.find('"', q1 + 1);
  if (q2 == std::string::npos) return Printable(body, 300);
  return Printable(body.substr(q1 + 1, q2 - q1 - 1), 300);
}

}  // namespace

std::optional<std::pair<int, int>> ParseApiVersion(std::string_view v) {
  auto dot = v.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 >= v.size() || v.size() > 12) return std::nullopt;
  int major = 0, minor = 0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i == dot) continue;
    if (!std::isdigit(static_cast<unsigned char>(v[i]))) return std::nullopt;
    int& part = i < dot ? major : minor;
    part = part * 10 + (v[i] - '0');
  }
  return std::make_pair(major, minor);
}

std::string EscapeImageName(std::string_view name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == '/' || c == ':' || c == '@') {
      out.push_back(static_cast<char>(c));
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Result<EngineEndpoint> EngineEndpoint::Resolve(const std::string& host_in) {
  EngineEndpoint ep;
  ep.host = host_in.empty() ? Env("DOCKER_HOST") : host_in;
  if (ep.host.empty()) {
    // Rootless Docker listens on the user's runtime dir; use it when the
    // system socket is absent (as the docker CLI's rootless context does).
    std::string rootless = Env("XDG_RUNTIME_DIR");
    if (!rootless.empty()) rootless += "/docker.sock";
    const bool system = access(std::string(kDefaultSocket).c_str(), F_OK) == 0;
    ep.host =
        "unix://" +
        (!system && !rootless.empty() && access(rootless.c_str(), F_OK) == 0 ? rootless : std::string(kDefaultSocket));
  }
  if (ep.host.rfind("unix://", 0) == 0) {
    ep.unix_socket = ep.host.substr(7);
    ep.base_url = "http://localhost";
    return ep;
  }
  if (ep.host.rfind("tcp://", 0) == 0) {
    ep.tls = !Env("DOCKER_TLS_VERIFY").empty() && Env("DOCKER_TLS_VERIFY") != "0";
    ep.cert_dir = Env("DOCKER_CERT_PATH");
    if (ep.cert_dir.empty()) ep.cert_dir = Env("HOME") + "/.docker";
    ep.base_url = (ep.tls ? "https://" : "http://") + ep.host.substr(6);
    return ep;
  }
  return UsageError("DOCKER_HOST {:?}: want unix://PATH or tcp://HOST:PORT", Printable(ep.host));
}

std::string EngineClient::Url(const std::string& path) const {
  if (api_version_.empty()) return ep_.base_url + path;
  return ep_.base_url + "/v" + api_version_ + path;
}

namespace {

struct Request {
  CurlPtr curl{curl_easy_init(), &curl_easy_cleanup};
  char errbuf[CURL_ERROR_SIZE] = {};
};

void Configure(Request& r, const EngineEndpoint& ep, const std::string& url) {
  CURL* c = r.curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, r.errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  if (!ep.unix_socket.empty()) curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, ep.unix_socket.c_str());
  if (ep.tls) {
    std::string ca = ep.cert_dir + "/ca.pem", cert = ep.cert_dir + "/cert.pem", key = ep.cert_dir + "/key.pem";
    curl_easy_setopt(c, CURLOPT_CAINFO, ca.c_str());
    curl_easy_setopt(c, CURLOPT_SSLCERT, cert.c_str());
    curl_easy_setopt(c, CURLOPT_SSLKEY, key.c_str());
  }
}

Error ConnectError(const EngineEndpoint& ep, CURLcode code, const char* errbuf) {
  std::string why = errbuf[0] ? errbuf : curl_easy_strerror(code);
  if (!ep.unix_socket.empty()) {
    struct stat st {};
    if (access(ep.unix_socket.c_str(), F_OK) != 0)
      why = "no such socket (is the Docker daemon running?)";
    else if (stat(ep.unix_socket.c_str(), &st) == 0 && !S_ISSOCK(st.st_mode))
      why = "not a socket";
    else if (access(ep.unix_socket.c_str(), R_OK | W_OK) != 0)
      why = "permission denied (are you in the docker group?)";
  }
  return EnvError("cannot reach the Docker Engine at {}: {}", Printable(ep.host), why);
}

size_t AppendBody(char* p, size_t sz, size_t n, void* ud) {
  auto* s = static_cast<std::string*>(ud);
  if (s->size() + sz * n > (64u << 20)) return 0;
  s->append(p, sz * n);
  return sz * n;
}

size_t CaptureVersion(char* p, size_t sz, size_t n, void* ud) {
  std::string_view h(p, sz * n);
  constexpr std::string_view kKey = "api-version:";
  if (h.size() > kKey.size()) {
    std::string lower(h.substr(0, kKey.size()));
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (lower == kKey) {
      std::string v(h.substr(kKey.size()));
      while (!v.empty() && (v.back() == '\r' || v.back() == '\n' || v.back() == ' ')) v.pop_back();
      while (!v.empty() && v.front() == ' ') v.erase(0, 1);
      *static_cast<std::string*>(ud) = v;
    }
  }
  return sz * n;
}

}  // namespace

Status EngineClient::Ping() {
  Request r;
  Configure(r, ep_, ep_.base_url + "/_ping");
  std::string body, version;
  curl_easy_setopt(r.curl.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(r.curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(r.curl.get(), CURLOPT_HEADERFUNCTION, &CaptureVersion);
  curl_easy_setopt(r.curl.get(), CURLOPT_HEADERDATA, &version);
  curl_easy_setopt(r.curl.get(), CURLOPT_TIMEOUT, 15L);
  CURLcode code = curl_easy_perform(r.curl.get());
  if (code != CURLE_OK) return ConnectError(ep_, code, r.errbuf);
  long status = 0;
  curl_easy_getinfo(r.curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status != 200 || body != "OK") {
    return EnvError("{} did not answer like a Docker Engine (HTTP {} to /_ping)", Printable(ep_.host), status);
  }
  // Docker's API is backwards compatible: speaking the daemon's own version
  // capped at the newest we know is the negotiation the docker CLI does.
  // Every later request uses a versioned path (/v1.NN/...).
  if (version.empty()) version = std::string(kMinApiVersion);  // daemons before 1.25 send no header
  auto v = ParseApiVersion(version);
  if (!v) {
    return EnvError("{}: Docker Engine sent an unreadable API-Version {:?}", Printable(ep_.host),
                    Printable(version, 40));
  }
  if (*v < *ParseApiVersion(kMinApiVersion)) {
    return EnvError("{}: Docker Engine API {} is too old (drydock needs {} or newer, Docker 1.12+)",
                    Printable(ep_.host), Printable(version, 40), kMinApiVersion);
  }
  api_version_ = *v > *ParseApiVersion(kMaxApiVersion) ? std::string(kMaxApiVersion) : version;
  return Ok();
}

Result<std::string> EngineClient::Get(const std::string& path, int64_t max_bytes) {
  Request r;
  Configure(r, ep_, Url(path));
  std::string body;
  curl_easy_setopt(r.curl.get(), CURLOPT_WRITEFUNCTION, &AppendBody);
  curl_easy_setopt(r.curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(r.curl.get(), CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(max_bytes));
  CURLcode code = curl_easy_perform(r.curl.get());
  if (code != CURLE_OK) return ConnectError(ep_, code, r.errbuf);
  long status = 0;
  curl_easy_getinfo(r.curl.get(), CURLINFO_RESPONSE_CODE, &status);
  if (status / 100 != 2)
    return InputError("Docker Engine: GET {}: HTTP {}: {}", Printable(path), status, EngineMessage(body));
  return body;
}

namespace {

// The body of a streaming GET, produced by curl on its own thread into a
// bounded queue and consumed by Read().
class CurlStream final : public ByteStream {
 public:
  CurlStream(const EngineEndpoint& ep, std::string url, std::string what)
      : ep_(ep), url_(std::move(url)), what_(std::move(what)), queue_(8), pool_(1 << 20) {}
  ~CurlStream() override {
    queue_closed_by_reader_ = true;
    Chunk c;
    while (queue_.Pop(c)) {
    }
    if (thread_.joinable()) thread_.join();
  }
  void Start() {
    thread_ = std::thread([this] { Run(); });
  }
  Result<size_t> Read(std::span<std::byte> dst) override {
    size_t n = 0;
    while (n < dst.size()) {
      if (pos_ == cur_.size) {
        pool_.Put(std::move(cur_));
        cur_ = Chunk{};
        pos_ = 0;
        if (!queue_.Pop(cur_)) break;
        continue;
      }
      size_t k = std::min(dst.size() - n, cur_.size - pos_);
      std::memcpy(dst.data() + n, cur_.data.get() + pos_, k);
      pos_ += k;
      n += k;
    }
    if (n == 0 && finished_) {
      std::lock_guard lock(mu_);
      if (!error_.empty()) return InputError("{}: {}", what_, error_);
    }
    return n;
  }

 private:
  static size_t Write(char* p, size_t sz, size_t n, void* ud) {
    auto* self = static_cast<CurlStream*>(ud);
    size_t total = sz * n;
    if (self->queue_closed_by_reader_) return 0;
    if (self->status_ == 0) curl_easy_getinfo(self->curl_, CURLINFO_RESPONSE_CODE, &self->status_);
    if (self->status_ / 100 != 2) {
      if (self->error_body_.size() < 4096) self->error_body_.append(p, total);
      return total;
    }
    Chunk c = self->pool_.Get();
    size_t off = 0;
    while (off < total) {
      size_t k = std::min(total - off, c.capacity - c.size);
      std::memcpy(c.data.get() + c.size, p + off, k);
      c.size += k;
      off += k;
      if (c.size == c.capacity) {
        if (!self->queue_.Push(std::move(c))) return 0;
        c = self->pool_.Get();
      }
    }
    if (c.size && !self->queue_.Push(std::move(c))) return 0;
    return total;
  }
  void Run() {
    Request r;
    Configure(r, ep_, url_);
    curl_ = r.curl.get();
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, &CurlStream::Write);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, this);
    CURLcode code = curl_easy_perform(curl_);
    {
      std::lock_guard lock(mu_);
      if (code != CURLE_OK && !queue_closed_by_reader_) {
        error_ = r.errbuf[0] ? r.errbuf : curl_easy_strerror(code);
      } else if (status_ / 100 != 2) {
        error_ = fmt::format("HTTP {}: {}", status_, EngineMessage(error_body_));
      }
    }
    finished_ = true;
    queue_.Close();
  }

  EngineEndpoint ep_;
  std::string url_;
  std::string what_;
  ChunkQueue queue_;
  ChunkPool pool_;
  Chunk cur_;
  size_t pos_ = 0;
  std::thread thread_;
  CURL* curl_ = nullptr;
  long status_ = 0;
  std::string error_body_;
  std::mutex mu_;
  std::string error_;
  std::atomic<bool> finished_{false};
  std::atomic<bool> queue_closed_by_reader_{false};
};

}  // namespace

Result<std::unique_ptr<ByteStream>> EngineClient::Stream(const std::string& path) {
  auto s = std::make_unique<CurlStream>(ep_, Url(path), "Docker Engine: GET " + Printable(path));
  s->Start();
  return std::unique_ptr<ByteStream>(std::move(s));
}

}  // namespace drydock
