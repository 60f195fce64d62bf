#include "net/http.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>

#include "base/path.h"

namespace drydock::net {

namespace {

using Clock = std::chrono::steady_clock;

// libcurl's global init is not thread-safe; registry blobs are fetched from
// several threads.
void GlobalInit() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct EasyCloser {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
struct MultiCloser {
  void operator()(CURLM* m) const { curl_multi_cleanup(m); }
};
struct ListCloser {
  void operator()(curl_slist* l) const { curl_slist_free_all(l); }
};
struct UrlCloser {
  void operator()(CURLU* u) const { curl_url_cleanup(u); }
};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
  return s;
}

// Unconsumed body bytes above this pause the transfer until Read catches up.
constexpr size_t kPauseBytes = 4 << 20;

// The CA bundle libcurl would use, plus the extra CA files, as one PEM blob.
Result<std::string> CaBundle(CURL* c, const std::vector<std::string>& extra) {
  std::string pem;
  char* dflt = nullptr;
  if (curl_easy_getinfo(c, CURLINFO_CAINFO, &dflt) == CURLE_OK && dflt != nullptr) {
    std::ifstream in(dflt, std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    pem = ss.str();
  }
  for (const auto& f : extra) {
    std::ifstream in(f, std::ios::binary);
    if (!in) return EnvError("--registry-ca {}: cannot read", Printable(f));
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string s = ss.str();
    if (s.size() > (4 << 20)) return UsageError("--registry-ca {}: over 4 MiB", Printable(f));
    if (s.find("-----BEGIN CERTIFICATE-----") == std::string::npos) {
      return UsageError("--registry-ca {}: no PEM certificate in it", Printable(f));
    }
    pem += "\n" + s;
  }
  return pem;
}

bool IsRedirect(long status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

}  // namespace

// One request without redirects, driven through a multi handle so the body
// can be pulled by Read() instead of pushed by libcurl.
struct Stream::Impl {
  std::unique_ptr<CURL, EasyCloser> easy;
  std::unique_ptr<CURLM, MultiCloser> multi;
  std::unique_ptr<curl_slist, ListCloser> headers;
  std::string ca_pem;
  std::string post_body;
  char errbuf[CURL_ERROR_SIZE] = {0};

  Response resp;
  std::string what;  // "GET https://host/v2/…" for messages
  std::string buf;   // received, not yet read
  size_t buf_off = 0;
  int64_t header_bytes = 0;
  int64_t body_bytes = 0;
  int64_t max_body = 0;
  int64_t max_header_bytes = 0;
  int stall_timeout_s = 30;
  bool headers_done = false;
  bool done = false;
  bool paused = false;
  bool over_header_cap = false;
  bool over_body_cap = false;
  CURLcode result = CURLE_OK;
  Clock::time_point last_byte;
  // The slow-sender check: time spent waiting for bytes (not time the
  // reader spent elsewhere) and the bytes that arrived meanwhile.
  Clock::duration waited{};
  int64_t waited_bytes = 0;

  static size_t OnHeader(char* p, size_t sz, size_t n, void* ud) {
    auto* self = static_cast<Impl*>(ud);
    const size_t total = sz * n;
    self->header_bytes += static_cast<int64_t>(total);
    self->last_byte = Clock::now();
    if (self->header_bytes > self->max_header_bytes) {
      self->over_header_cap = true;
      return 0;
    }
    std::string_view line(p, total);
    if (line.starts_with("HTTP/")) {
      // A new response (after 1xx): its headers replace the previous ones.
      self->resp.headers.clear();
      return total;
    }
    std::string_view t = Trim(line);
    if (t.empty()) {
      long status = 0;
      curl_easy_getinfo(self->easy.get(), CURLINFO_RESPONSE_CODE, &status);
      if (status >= 200) {
        self->resp.status = status;
        self->headers_done = true;
      }
      return total;
    }
    size_t colon = t.find(':');
    if (colon != std::string_view::npos && self->resp.headers.size() < 500) {
      self->resp.headers.emplace_back(Lower(Trim(t.substr(0, colon))), std::string(Trim(t.substr(colon + 1))));
    }
    return total;
  }

  static size_t OnBody(char* p, size_t sz, size_t n, void* ud) {
    auto* self = static_cast<Impl*>(ud);
    const size_t total = sz * n;
    if (self->buf.size() - self->buf_off > kPauseBytes) {
      self->paused = true;
      return CURL_WRITEFUNC_PAUSE;
    }
    if (self->body_bytes + static_cast<int64_t>(total) > self->max_body) {
      self->over_body_cap = true;
      return 0;
    }
    if (self->buf_off > 0 && self->buf_off == self->buf.size()) {
      self->buf.clear();
      self->buf_off = 0;
    }
    self->buf.append(p, total);
    self->body_bytes += static_cast<int64_t>(total);
    self->last_byte = Clock::now();
    return total;
  }

  // Why the transfer stopped, as one line.
  Error TransferError() const {
    if (over_header_cap) return InputError("{}: response headers over {} bytes", what, max_header_bytes);
    if (over_body_cap) return InputError("{}: response body over {} bytes", what, max_body);
    const char* why = errbuf[0] ? errbuf : curl_easy_strerror(result);
    if (result == CURLE_PEER_FAILED_VERIFICATION) {
      return InputError("{}: TLS certificate not trusted ({}); add its CA with --registry-ca FILE, or "
                        "--insecure-registry HOST to skip verification",
                        what, why);
    }
    if (result == CURLE_PARTIAL_FILE) return InputError("{}: connection closed before the whole body arrived", what);
    if (result == CURLE_SSL_CONNECT_ERROR) return InputError("{}: TLS handshake failed ({})", what, why);
    // libcurl refuses a single header line over 100 KiB this way.
    if (result == CURLE_OUT_OF_MEMORY && !headers_done) {
      return InputError("{}: a response header line is too long (over 100 KiB)", what);
    }
    return InputError("{}: {}", what, why);
  }

  // Drives the transfer until `until()` holds or it ends. The stall clock
  // starts at the later of the call and the last byte received.
  Status Pump(const std::function<bool()>& until) {
    const auto start = Clock::now();
    auto t0 = start;
    int64_t b0 = header_bytes + body_bytes;
    // Whatever happens, the wait so far counts toward the rate window.
    struct Account {
      Impl& s;
      Clock::time_point& t0;
      int64_t& b0;
      ~Account() {
        s.waited += Clock::now() - t0;
        s.waited_bytes += s.header_bytes + s.body_bytes - b0;
      }
    } account{*this, t0, b0};
    while (!until()) {
      if (done) return Ok();
      if (paused && buf.size() - buf_off <= kPauseBytes) {
        paused = false;
        curl_easy_pause(easy.get(), CURLPAUSE_CONT);
        continue;
      }
      int running = 0;
      CURLMcode mc = curl_multi_perform(multi.get(), &running);
      if (mc != CURLM_OK) return InputError("{}: {}", what, curl_multi_strerror(mc));
      int left = 0;
      while (CURLMsg* m = curl_multi_info_read(multi.get(), &left)) {
        if (m->msg == CURLMSG_DONE) {
          done = true;
          result = m->data.result;
        }
      }
      if (done) {
        if (result != CURLE_OK) return TransferError();
        return Ok();
      }
      if (until()) return Ok();
      const auto now = Clock::now();
      const auto since = std::max(start, last_byte);
      if (now - since > std::chrono::seconds(stall_timeout_s)) {
        return InputError("{}: no data for {} s (stalled)", what, stall_timeout_s);
      }
      // A sender that drips (a byte now and then, never stalling) is held
      // to 1 KiB/s on average over each window of twice the stall timeout
      // spent waiting (twice, so a real stall is reported as one first).
      const auto window = waited + (now - t0);
      if (window > std::chrono::seconds(2 * stall_timeout_s)) {
        const int64_t got = waited_bytes + header_bytes + body_bytes - b0;
        const double secs = std::chrono::duration<double>(window).count();
        if (static_cast<double>(got) < 1024.0 * secs) {
          return InputError("{}: too slow: {} bytes in {:.0f} s of waiting (under 1 KiB/s)", what, got, secs);
        }
        waited = Clock::duration{};
        waited_bytes = 0;
        t0 = now;
        b0 = header_bytes + body_bytes;
      }
      mc = curl_multi_poll(multi.get(), nullptr, 0, 200, nullptr);
      if (mc != CURLM_OK) return InputError("{}: {}", what, curl_multi_strerror(mc));
    }
    return Ok();
  }
};

Stream::Stream(Response resp, std::unique_ptr<Impl> impl) : resp_(std::move(resp)), impl_(std::move(impl)) {}

Stream::~Stream() {
  if (impl_ && impl_->multi && impl_->easy) curl_multi_remove_handle(impl_->multi.get(), impl_->easy.get());
}

Result<size_t> Stream::Read(std::span<std::byte> dst) {
  Impl& s = *impl_;
  if (dst.empty()) return size_t{0};
  RETURN_IF_ERROR(s.Pump([&] { return s.buf.size() > s.buf_off; }));
  if (s.done && s.result != CURLE_OK && s.buf.size() == s.buf_off) return s.TransferError();
  size_t n = std::min(dst.size(), s.buf.size() - s.buf_off);
  std::memcpy(dst.data(), s.buf.data() + s.buf_off, n);
  s.buf_off += n;
  return n;
}

std::string Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

std::string Origin(std::string_view url) {
  std::unique_ptr<CURLU, UrlCloser> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, std::string(url).c_str(), 0) != CURLUE_OK) return "";
  char* scheme = nullptr;
  char* host = nullptr;
  char* port = nullptr;
  std::string out;
  if (curl_url_get(u.get(), CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
      curl_url_get(u.get(), CURLUPART_HOST, &host, 0) == CURLUE_OK &&
      curl_url_get(u.get(), CURLUPART_PORT, &port, CURLU_DEFAULT_PORT) == CURLUE_OK) {
    out = Lower(scheme) + "://" + Lower(host) + ":" + port;
  }
  curl_free(scheme);
  curl_free(host);
  curl_free(port);
  return out;
}

Result<std::string> ResolveUrl(std::string_view base, std::string_view ref) {
  std::unique_ptr<CURLU, UrlCloser> u(curl_url());
  if (!u || curl_url_set(u.get(), CURLUPART_URL, std::string(base).c_str(), 0) != CURLUE_OK) {
    return InputError("not a URL: {:?}", Printable(base));
  }
  if (curl_url_set(u.get(), CURLUPART_URL, std::string(ref).c_str(), 0) != CURLUE_OK) {
    return InputError("redirect to an invalid URL: {:?}", Printable(ref.substr(0, 200)));
  }
  char* out = nullptr;
  if (curl_url_get(u.get(), CURLUPART_URL, &out, 0) != CURLUE_OK) {
    return InputError("redirect to an invalid URL: {:?}", Printable(ref.substr(0, 200)));
  }
  std::string s(out);
  curl_free(out);
  return s;
}

namespace {

// URLs in messages: no query string (it may carry a signed token).
std::string ForMessage(std::string_view url) {
  size_t q = url.find('?');
  return Printable(url.substr(0, std::min(q, size_t{300})));
}

// Starts one transfer (no redirects) and drives it to the end of the headers.
Result<std::unique_ptr<Stream::Impl>> StartOne(const Request& req, const std::string& url, const std::string& method,
                                               bool send_auth) {
  GlobalInit();
  auto impl = std::make_unique<Stream::Impl>();
  impl->easy.reset(curl_easy_init());
  impl->multi.reset(curl_multi_init());
  if (!impl->easy || !impl->multi) return EnvError("cannot start an HTTP transfer");
  impl->what = method + " " + ForMessage(url);
  impl->max_body = req.max_body;
  impl->max_header_bytes = req.max_header_bytes;
  impl->stall_timeout_s = std::max(1, req.stall_timeout_s);
  impl->last_byte = Clock::now();
  CURL* c = impl->easy.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, impl->errbuf);
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, static_cast<long>(std::max(1, req.connect_timeout_s)));
  curl_easy_setopt(c, CURLOPT_HTTP_CONTENT_DECODING, 0L);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "drydock/" DRYDOCK_VERSION);
  curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, &Stream::Impl::OnHeader);
  curl_easy_setopt(c, CURLOPT_HEADERDATA, impl.get());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, &Stream::Impl::OnBody);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, impl.get());
  if (method == "HEAD") curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
  if (method == "POST") {
    impl->post_body = req.body;
    curl_easy_setopt(c, CURLOPT_POST, 1L);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, impl->post_body.c_str());
    curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(impl->post_body.size()));
  }
  if (req.insecure) {
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 0L);
  } else if (!req.ca_files.empty()) {
    ASSIGN_OR_RETURN(impl->ca_pem, CaBundle(c, req.ca_files));
    curl_blob blob{impl->ca_pem.data(), impl->ca_pem.size(), CURL_BLOB_NOCOPY};
    curl_easy_setopt(c, CURLOPT_CAINFO_BLOB, &blob);
  }
  curl_slist* list = nullptr;
  auto add = [&](const std::string& h) {
    curl_slist* next = curl_slist_append(list, h.c_str());
    if (next) list = next;
  };
  for (const auto& [k, v] : req.headers) {
    if (k.find_first_of("\r\n:") != std::string::npos || v.find_first_of("\r\n") != std::string::npos) {
      return InputError("{}: header {:?} is not a valid header", impl->what, Printable(k));
    }
    add(k + ": " + v);
  }
  if (send_auth && !req.authorization.empty()) {
    if (req.authorization.find_first_of("\r\n") != std::string::npos) {
      return InputError("{}: the credentials hold a line break", impl->what);
    }
    add("Authorization: " + req.authorization);
  }
  add("Expect:");  // no 100-continue round trip for POST
  impl->headers.reset(list);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
  curl_multi_add_handle(impl->multi.get(), c);
  Stream::Impl& s = *impl;
  RETURN_IF_ERROR(s.Pump([&] { return s.headers_done; }));
  if (!s.headers_done) {
    if (s.result != CURLE_OK) return s.TransferError();
    return InputError("{}: no response", s.what);
  }
  s.resp.url = url;
  return impl;
}

}  // namespace

Result<std::unique_ptr<Stream>> Open(const Request& req) {
  if (!req.url.starts_with("http://") && !req.url.starts_with("https://")) {
    return UsageError("{}: want an http:// or https:// URL", ForMessage(req.url));
  }
  const std::string origin = Origin(req.url);
  std::string url = req.url;
  std::string method = req.method;
  for (int hop = 0;; ++hop) {
    const bool same_host = Origin(url) == origin;
    ASSIGN_OR_RETURN(auto impl, StartOne(req, url, method, same_host));
    const long status = impl->resp.status;
    if (!IsRedirect(status)) {
      Response resp = impl->resp;
      return std::make_unique<Stream>(std::move(resp), std::move(impl));
    }
    const std::string location = impl->resp.Header("location");
    if (location.empty()) {
      return InputError("{}: HTTP {} redirect without a Location", impl->what, status);
    }
    if (req.max_redirects == 0) {
      return InputError("{}: HTTP {} redirect not followed (redirects are refused here)", impl->what, status);
    }
    if (hop >= req.max_redirects) {
      return InputError("{}: more than {} redirects", ForMessage(req.url), req.max_redirects);
    }
    ASSIGN_OR_RETURN(std::string next, ResolveUrl(url, location));
    if (!next.starts_with("http://") && !next.starts_with("https://")) {
      return InputError("{}: redirect to a non-HTTP URL", impl->what);
    }
    if (url.starts_with("https://") && next.starts_with("http://") && !req.insecure) {
      return InputError("{}: redirect from HTTPS to plain HTTP ({}) refused", impl->what, ForMessage(next));
    }
    if (status == 303 && method == "POST") method = "GET";
    url = std::move(next);
  }
}

Result<Response> Fetch(const Request& req) {
  ASSIGN_OR_RETURN(auto stream, Open(req));
  Response resp = stream->response();
  std::string body;
  std::byte buf[64 << 10];
  for (;;) {
    ASSIGN_OR_RETURN(size_t n, stream->Read(buf));
    if (n == 0) break;
    body.append(reinterpret_cast<const char*>(buf), n);
  }
  resp.body = std::move(body);
  return resp;
}

}  // namespace drydock::net
