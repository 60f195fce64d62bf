// registry:HOST/REPO[:TAG][@DIGEST] — an image where it lives, over the OCI
// Distribution API (Docker Registry HTTP API v2): GET /v2/ to learn the
// scheme and the auth challenge, the manifest (or index, then the platform's
// manifest) by tag or digest, the config blob, then each layer blob streamed
// into the pipeline. Nothing is written to disk; every document is checked
// against its digest here, every layer blob by the pipeline (blob digest,
// size, diff_id). Auth as the docker CLI does it: anonymous, Basic, or the
// Bearer token flow, with credentials from --username/--password-stdin or
// the docker config (see registry_auth.h).
#include <arpa/inet.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>

#include "base/path.h"
#include "model/json_util.h"
#include "net/http.h"
#include "source/oci_resolve.h"
#include "source/reference.h"
#include "source/registry_auth.h"
#include "source/source.h"

namespace drydock {

namespace {

using Clock = std::chrono::steady_clock;

constexpr int64_t kMaxManifestBytes = 4 << 20;  // as Docker caps them
constexpr int64_t kMaxTokenBytes = 1 << 20;
constexpr int64_t kMaxErrorBytes = 64 << 10;
constexpr int64_t kMaxBlobBytes = int64_t{64} << 30;
constexpr int kMaxRetryAfterS = 60;

constexpr const char* kManifestAccept =
    "application/vnd.oci.image.index.v1+json, application/vnd.docker.distribution.manifest.list.v2+json, "
    "application/vnd.oci.image.manifest.v1+json, application/vnd.docker.distribution.manifest.v2+json";

std::string MediaTypeOf(std::string_view content_type) {
  size_t semi = content_type.find(';');
  std::string mt(content_type.substr(0, semi));
  while (!mt.empty() && mt.back() == ' ') mt.pop_back();
  for (auto& c : mt) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return mt;
}

bool IsSchema1(std::string_view mt) {
  return mt == "application/vnd.docker.distribution.manifest.v1+json" ||
         mt == "application/vnd.docker.distribution.manifest.v1+prettyjws";
}

std::string FormEscape(std::string_view s) {
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The host part of "host[:port]" / "[v6]:port".
std::string HostOf(std::string_view hostport) {
  if (hostport.starts_with("[")) {
    size_t close = hostport.find(']');
    return std::string(hostport.substr(1, close == std::string_view::npos ? std::string_view::npos : close - 1));
  }
  return std::string(hostport.substr(0, hostport.find(':')));
}

bool IsLoopbackHost(const std::string& host) {
  if (host == "localhost") return true;
  in_addr a4{};
  if (inet_pton(AF_INET, host.c_str(), &a4) == 1) return (ntohl(a4.s_addr) >> 24) == 127;
  in6_addr a6{};
  if (inet_pton(AF_INET6, host.c_str(), &a6) == 1) return IN6_IS_ADDR_LOOPBACK(&a6);
  return false;
}

// The registry's error document ({"errors":[{"code","message"}]}) as one
// short phrase, or "".
std::string RegistryErrorText(std::string_view body) {
  simdjson::dom::parser parser;
  auto root = json::Parse(parser, body, "error");
  if (!root.ok()) return "";
  auto errors = json::Get(*root, "errors");
  simdjson::dom::array arr;
  if (!errors || errors->get_array().get(arr)) return "";
  for (auto e : arr) {
    auto code = json::String(e, "code", "error");
    auto msg = json::String(e, "message", "error");
    std::string out = code.ok() ? *code : "";
    if (msg.ok() && !msg->empty()) out += (out.empty() ? "" : ": ") + *msg;
    return Printable(out, 160);
  }
  return "";
}

Result<std::string> ReadAll(net::Stream& s) {
  std::string body;
  std::byte buf[64 << 10];
  for (;;) {
    ASSIGN_OR_RETURN(size_t n, s.Read(buf));
    if (n == 0) break;
    body.append(reinterpret_cast<const char*>(buf), n);
  }
  return body;
}

// A manifest or index as the registry returned it.
struct Document {
  std::string bytes;
  bool is_index = false;
  Digest digest;
};

class RegistryClient {
 public:
  RegistryClient(Reference ref, RegistryOptions opts) : ref_(std::move(ref)), opts_(std::move(opts)) {
    const std::string host = HostOf(ref_.registry);
    for (const auto& h : opts_.insecure_hosts) {
      if (h == ref_.registry || h == host || h == ref_.api_host()) insecure_ = true;
    }
    loopback_ = IsLoopbackHost(host);
  }

  // "127.0.0.1:5000/app:1.4" — how messages name the image (the reference
  // as docker prints it, so the scan does not name it twice).
  std::string Name() const { return ref_.str(); }

  // GET /v2/: picks https or (insecure/loopback registries only) http, and
  // answers the auth challenge up front.
  Status Ping() {
    std::vector<std::string> schemes = {"https"};
    if (insecure_ || loopback_) schemes.push_back("http");
    Error last{};
    for (const auto& scheme : schemes) {
      base_ = scheme + "://" + ApiHostPort() + "/v2/";
      net::Request req = Base(base_);
      req.max_body = kMaxErrorBytes;
      auto s = Retrying(req);
      if (!s.ok()) {
        last = s.error();
        // Fall back to plain HTTP only when the server does not speak TLS
        // at all; an untrusted certificate stays an error.
        if (scheme == "https" && schemes.size() > 1 &&
            last.message.find("certificate not trusted") == std::string::npos) {
          continue;
        }
        return Named(last);
      }
      const long status = (*s)->response().status;
      if (scheme == "http" && !insecure_ && !opts_.quiet) {
        std::fprintf(stderr, "drydock: warning: %s: plain HTTP, no TLS (a loopback registry)\n",
                     Printable(ref_.registry).c_str());
      }
      if (status == 401) {
        auto ch = ParseWwwAuthenticate((*s)->response().Header("www-authenticate"));
        if (!ch.ok()) return ch.error().Wrap(Name() + ": WWW-Authenticate");
        std::lock_guard lock(mu_);
        return Authenticate(*ch, /*refused=*/"");
      }
      if (status == 429 || status / 100 == 5) {
        return InputError("{}: the registry is unavailable: GET /v2/ answered HTTP {} after {} attempts", Name(),
                          status, std::max(1, opts_.max_attempts));
      }
      if (status / 100 != 2) {
        return InputError("{}: not a registry: GET /v2/ answered HTTP {}", Name(), status);
      }
      return Ok();
    }
    return Named(last);
  }

  // `e` with the image named in front, unless it already names it.
  Error Named(const Error& e) const {
    return e.message.find(Name()) != std::string::npos ? e : e.Wrap(Name());
  }

  Result<Document> GetManifest(const std::string& ref) {
    net::Request req = Base(base_ + ref_.repository + "/manifests/" + ref);
    req.headers.emplace_back("Accept", kManifestAccept);
    req.max_body = kMaxManifestBytes;
    ASSIGN_OR_RETURN(auto s, Send(req, "manifest " + Printable(ref)));
    const net::Response& resp = s->response();
    if (resp.status / 100 != 2) return StatusError(*s, "manifest " + Printable(ref));
    auto body = ReadAll(*s);
    if (!body.ok()) {
      if (body.error().message.find("body over") != std::string::npos) {
        return InputError("{}: manifest {}: over {} bytes", Name(), Printable(ref), kMaxManifestBytes);
      }
      return body.error().Wrap(Name());
    }
    Document doc;
    doc.bytes = std::move(body).value();
    doc.digest = Sha256Of(doc.bytes);
    const std::string what = fmt::format("{}: manifest {}", Name(), Printable(ref));
    if (auto want = Digest::Parse(ref); want.ok() && *want != doc.digest) {
      return InputError("{}: digest mismatch: asked for {}, the content is {}", what, want->str(), doc.digest.str());
    }
    if (auto hdr = resp.Header("docker-content-digest"); hdr.starts_with("sha256:")) {
      auto claimed = Digest::Parse(hdr);
      if (claimed.ok() && *claimed != doc.digest) {
        return InputError("{}: digest mismatch: Docker-Content-Digest says {}, the content is {}", what,
                          claimed->str(), doc.digest.str());
      }
    }
    std::string mt = MediaTypeOf(resp.Header("content-type"));
    if (IsSchema1(mt)) return InputError("{}: schema 1 manifests are not supported (media type {})", what, mt);
    simdjson::dom::parser parser;
    ASSIGN_OR_RETURN(auto root, json::Parse(parser, doc.bytes, what));
    if (!root.is_object()) return InputError("{}: not a JSON object", what);
    ASSIGN_OR_RETURN(int64_t schema, json::Int(root, "schemaVersion", 2, what));
    if (schema == 1) return InputError("{}: schema 1 manifests are not supported", what);
    ASSIGN_OR_RETURN(std::string body_mt, json::String(root, "mediaType", what));
    if (!body_mt.empty()) mt = body_mt;
    const bool generic = mt.empty() || mt == "application/json";
    if (IsIndexMediaType(mt) || (generic && json::Get(root, "manifests"))) {
      doc.is_index = true;
    } else if (IsManifestMediaType(mt) || (generic && json::Get(root, "config"))) {
      doc.is_index = false;
    } else {
      return InputError("{}: not an image manifest or index (media type {:?})", what, Printable(mt));
    }
    return doc;
  }

  // A small blob (the config), verified against its descriptor.
  Result<std::string> GetBlob(const Descriptor& d, int64_t max) {
    const std::string what = "blob " + d.digest.short_str();
    if (d.size > max) return InputError("{}: {}: {} bytes, over the {} byte limit", Name(), what, d.size, max);
    net::Request req = Base(base_ + ref_.repository + "/blobs/" + d.digest.str());
    req.max_body = d.size >= 0 ? d.size : max;
    ASSIGN_OR_RETURN(auto s, Send(req, what));
    if (s->response().status / 100 != 2) return StatusError(*s, what);
    auto body = ReadAll(*s);
    if (!body.ok()) return body.error().Wrap(Name());
    return std::move(body).value();
  }

  // A layer blob as a stream; the pipeline verifies what it reads.
  Result<std::unique_ptr<net::Stream>> OpenBlob(const LayerBlob& b) {
    const std::string what = "blob " + b.digest.short_str();
    if (b.size > kMaxBlobBytes) return InputError("{}: {}: {} bytes declared, over the limit", Name(), what, b.size);
    net::Request req = Base(base_ + ref_.repository + "/blobs/" + b.digest.str());
    req.max_body = b.size >= 0 ? b.size : kMaxBlobBytes;
    ASSIGN_OR_RETURN(auto s, Send(req, what));
    if (s->response().status / 100 != 2) return StatusError(*s, what);
    return s;
  }

  // A non-distributable layer from the URL its manifest names: no
  // registry credentials go there.
  Result<std::unique_ptr<net::Stream>> OpenForeign(const LayerBlob& b, const std::string& url) {
    net::Request req = Base(url);
    req.max_body = b.size >= 0 ? b.size : kMaxBlobBytes;
    ASSIGN_OR_RETURN(auto s, Retrying(req));
    if (s->response().status / 100 != 2) {
      return InputError("{}: foreign layer {}: HTTP {}", Name(), b.digest.short_str(), s->response().status);
    }
    return s;
  }

  DescriptorReader Reader() {
    return DescriptorReader{
        [this](const Descriptor& d) -> Result<std::string> {
          ASSIGN_OR_RETURN(Document doc, GetManifest(d.digest.str()));
          return std::move(doc.bytes);
        },
        [this](const Descriptor& d) { return GetBlob(d, max_metadata_); }};
  }

  void set_max_metadata(int64_t n) { max_metadata_ = n; }

 private:
  std::string ApiHostPort() const {
    return ref_.registry == "docker.io" ? ref_.api_host() : ref_.registry;
  }

  net::Request Base(std::string url) const {
    net::Request r;
    r.url = std::move(url);
    r.connect_timeout_s = opts_.connect_timeout_s;
    r.stall_timeout_s = opts_.stall_timeout_s;
    r.ca_files = opts_.ca_files;
    r.insecure = insecure_;
    return r;
  }

  // Open with retries on connection errors, 429 and 5xx (Retry-After
  // honoured up to a minute, else exponential backoff).
  Result<std::unique_ptr<net::Stream>> Retrying(net::Request req) {
    for (int attempt = 1;; ++attempt) {
      auto s = net::Open(req);
      const bool last = attempt >= std::max(1, opts_.max_attempts);
      if (!s.ok()) {
        // Connection refused, reset or timed out is worth another try; a
        // TLS failure, a cap, a redirect or a slow sender is not.
        const std::string& m = s.error().message;
        bool transient = true;
        for (std::string_view marker : {"certificate", "TLS handshake", "over ", "redirect", "too long", "too slow",
                                        "stalled", "header", "URL"}) {
          if (m.find(marker) != std::string::npos) transient = false;
        }
        if (last || !transient) return s.error();
        Backoff(attempt, 0);
        continue;
      }
      const long status = (*s)->response().status;
      if ((status == 429 || status == 500 || status == 502 || status == 503 || status == 504) && !last) {
        int wait = 0;
        const std::string ra = (*s)->response().Header("retry-after");
        if (!ra.empty() && ra.find_first_not_of("0123456789") == std::string::npos && ra.size() < 6) {
          wait = std::stoi(ra);
          if (wait > kMaxRetryAfterS) {
            return InputError("{}: HTTP {}: the registry asks to retry after {} s", Name(), status, wait);
          }
        }
        Backoff(attempt, wait);
        continue;
      }
      return s;
    }
  }

  static void Backoff(int attempt, int retry_after_s) {
    auto d = retry_after_s > 0 ? std::chrono::milliseconds(retry_after_s * 1000)
                               : std::chrono::milliseconds(250 << std::min(attempt - 1, 5));
    std::this_thread::sleep_for(d);
  }

  // A request to the registry with its Authorization; a 401 renews it
  // (once per request: a registry that refuses a fresh token is an error).
  Result<std::unique_ptr<net::Stream>> Send(net::Request req, const std::string& what) {
    for (int auth_round = 0;; ++auth_round) {
      std::string sent;
      {
        std::lock_guard lock(mu_);
        if (token_expires_ && Clock::now() >= *token_expires_ && !bearer_.params.empty()) {
          RETURN_IF_ERROR(FetchToken(bearer_, ""));
        }
        sent = authorization_;
      }
      req.authorization = sent;
      ASSIGN_OR_RETURN(auto s, Retrying(req));
      if (s->response().status != 401) return s;
      if (auth_round >= 2) {
        return InputError("{}: {}: authentication failed: the registry keeps refusing the credentials", Name(), what);
      }
      auto ch = ParseWwwAuthenticate(s->response().Header("www-authenticate"));
      if (!ch.ok()) return ch.error().Wrap(Name() + ": " + what + ": WWW-Authenticate");
      std::lock_guard lock(mu_);
      // Another thread may have renewed it meanwhile.
      if (authorization_ != sent && !authorization_.empty()) continue;
      RETURN_IF_ERROR(Authenticate(*ch, sent));
    }
  }

  // An HTTP status the caller cannot use, as one line naming what failed.
  Error StatusError(net::Stream& s, const std::string& what) {
    const long status = s.response().status;
    std::string detail;
    if (auto body = ReadAll(s); body.ok()) detail = RegistryErrorText(*body);
    const std::string tail = detail.empty() ? "" : " (" + detail + ")";
    switch (status) {
      case 401:
        return InputError("{}: {}: authentication required{}", Name(), what, tail);
      case 403:
        return InputError("{}: {}: access denied (HTTP 403){}", Name(), what, tail);
      case 404:
        if (detail.starts_with("NAME_UNKNOWN")) {
          return InputError("{}: repository not found{}", Name(), tail);
        }
        if (what.starts_with("manifest")) {
          return InputError("{}: {}: not found (no such tag or digest){}", Name(), what, tail);
        }
        return InputError("{}: {}: not found (HTTP 404){}", Name(), what, tail);
      case 429:
        return InputError("{}: {}: rate limited (HTTP 429){}", Name(), what, tail);
      default:
        return InputError("{}: {}: HTTP {}{}", Name(), what, status, tail);
    }
  }

  Result<Credentials> Creds() {
    if (creds_) return *creds_;
    Credentials c;
    if (!opts_.username.empty()) {
      c.username = opts_.username;
      c.password = opts_.password;
      c.from = "--username";
    } else {
      ASSIGN_OR_RETURN(CredentialLookup found, LookupCredentials(ref_.registry, opts_.docker_config_dir));
      if (!found.warning.empty() && !opts_.quiet) {
        std::fprintf(stderr, "drydock: warning: %s\n", Printable(found.warning, 300).c_str());
      }
      c = std::move(found.credentials);
    }
    creds_ = c;
    return c;
  }

  // Answers a challenge: sets authorization_. `refused` is the
  // Authorization the registry just turned down ("" for none).
  Status Authenticate(const std::vector<AuthChallenge>& challenges, const std::string& refused) {
    const AuthChallenge* bearer = nullptr;
    const AuthChallenge* basic = nullptr;
    for (const auto& c : challenges) {
      if (c.scheme == "bearer" && !bearer) bearer = &c;
      if (c.scheme == "basic" && !basic) basic = &c;
    }
    if (bearer) return FetchToken(*bearer, refused);
    if (basic) {
      ASSIGN_OR_RETURN(Credentials c, Creds());
      if (c.username.empty() && c.password.empty()) {
        return InputError("{}: authentication required and no credentials for {} (docker login, or --username "
                          "with --password-stdin)",
                          Name(), ref_.registry);
      }
      std::string a = BasicAuthorization(c);
      if (a == refused) {
        return InputError("{}: authentication failed: the registry refused the credentials from {}", Name(), c.from);
      }
      authorization_ = std::move(a);
      return Ok();
    }
    return InputError("{}: authentication required by an unsupported scheme ({})", Name(),
                      challenges.empty() ? "no challenge" : Printable(challenges[0].scheme, 40));
  }

  // The distribution token flow: GET realm?service=&scope= (Basic auth
  // with the user's credentials when there are some), or POST with an
  // identity (refresh) token.
  Status FetchToken(const AuthChallenge& ch, const std::string& refused) {
    auto realm_it = ch.params.find("realm");
    if (realm_it == ch.params.end() || realm_it->second.empty()) {
      return InputError("{}: Bearer challenge without a realm", Name());
    }
    const std::string& realm = realm_it->second;
    if (!realm.starts_with("https://") && !realm.starts_with("http://")) {
      return InputError("{}: token realm {:?} is not an http(s) URL", Name(), Printable(realm, 120));
    }
    if (++token_fetches_ > 64) {
      return InputError("{}: authentication failed: more than 64 token requests in one scan", Name());
    }
    const std::string own_scope = "repository:" + ref_.repository + ":pull";
    std::string query = "service=" + FormEscape(ch.params.count("service") ? ch.params.at("service") : "");
    query += "&scope=" + FormEscape(own_scope);
    if (auto sc = ch.params.find("scope"); sc != ch.params.end() && !sc->second.empty() && sc->second != own_scope) {
      query += "&scope=" + FormEscape(sc->second);
    }
    ASSIGN_OR_RETURN(Credentials c, Creds());
    const std::string realm_host = HostOf(net::Origin(realm).substr(net::Origin(realm).find("://") + 3));
    const bool plain_ok = IsLoopbackHost(realm_host) || insecure_;
    if (realm.starts_with("http://") && !c.empty() && !plain_ok) {
      return InputError("{}: refusing to send credentials to a plain-HTTP token service ({})", Name(),
                        Printable(net::Origin(realm), 120));
    }
    net::Request req = Base("");
    req.insecure = insecure_;
    req.max_body = kMaxTokenBytes;
    if (!c.identity_token.empty()) {
      req.url = realm;
      req.method = "POST";
      req.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
      req.body = query + "&grant_type=refresh_token&client_id=drydock&refresh_token=" + FormEscape(c.identity_token);
    } else {
      req.url = realm + (realm.find('?') == std::string::npos ? "?" : "&") + query;
      if (!c.username.empty() || !c.password.empty()) req.authorization = BasicAuthorization(c);
    }
    auto s = Retrying(req);
    if (!s.ok()) return Named(s.error().Wrap("token service"));
    const long status = (*s)->response().status;
    if (status == 403) {
      return InputError("{}: access denied: the token service will not grant {} (HTTP 403)", Name(), own_scope);
    }
    if (status == 401) {
      return InputError("{}: authentication failed: the token service refused {} (HTTP 401)", Name(),
                        c.empty() ? "anonymous access" : "the credentials from " + c.from);
    }
    if (status / 100 != 2) return InputError("{}: token service: HTTP {}", Name(), status);
    auto body = ReadAll(**s);
    if (!body.ok()) return body.error().Wrap(Name() + ": token service");
    auto tok = ParseTokenResponse(*body);
    if (!tok.ok()) return tok.error().Wrap(Name() + ": token service");
    std::string a = "Bearer " + tok->token;
    if (a == refused) {
      return InputError("{}: authentication failed: the registry refused the token for {}", Name(), own_scope);
    }
    authorization_ = std::move(a);
    bearer_ = ch;
    token_expires_ = Clock::now() + std::chrono::seconds(std::max<int64_t>(tok->expires_in - 5, 1));
    return Ok();
  }

  Reference ref_;
  RegistryOptions opts_;
  int64_t max_metadata_ = 16 << 20;
  bool insecure_ = false;
  bool loopback_ = false;
  std::string base_;
  std::mutex mu_;  // guards the auth state below (blobs are fetched from several threads)
  std::string authorization_;
  AuthChallenge bearer_;
  std::optional<Clock::time_point> token_expires_;
  std::optional<Credentials> creds_;
  int token_fetches_ = 0;
};

bool IsNonDistributable(std::string_view mt) {
  return mt.find("nondistributable") != std::string_view::npos || mt.find("foreign") != std::string_view::npos;
}

class RegistrySource final : public ImageSource {
 public:
  RegistrySource(Reference ref, SourceOptions opts) : ref_(std::move(ref)), opts_(std::move(opts)) {}

  Result<ImageInfo> Read(BlobSink& sink) override {
    RegistryClient client(ref_, opts_.registry);
    client.set_max_metadata(opts_.max_metadata_bytes);
    RETURN_IF_ERROR(client.Ping());
    ASSIGN_OR_RETURN(Document root, client.GetManifest(ref_.manifest_ref()));
    auto resolved = ResolveRootDocument(root.bytes, root.is_index, root.digest, opts_, client.Reader());
    if (!resolved.ok()) {
      if (resolved.error().message.find(client.Name()) != std::string::npos) return resolved.error();
      return resolved.error().Wrap(client.Name());
    }
    ImageInfo info = std::move(resolved).value();
    info.source_kind = "registry";
    // The name it was pulled by: "host/repo:tag", or "host/repo@sha256:…"
    // when pinned by digest alone (a pin, not a missing tag).
    Reference tagged = ref_;
    if (!ref_.tag.empty()) tagged.digest = Digest{};
    if (ref_.tag.empty() && ref_.digest.empty()) tagged.tag = "latest";
    info.repo_tags.push_back(tagged.str());

    // Each distinct blob once, a few at a time.
    std::vector<const Layer*> todo;
    std::set<std::string> seen;
    for (const auto& l : info.layers) {
      if (!seen.insert(l.blob.name).second) continue;
      if (sink.HaveLayer(l, l.blob.size)) continue;
      if (IsNonDistributable(l.blob.media_type) && !opts_.registry.allow_foreign_layers) {
        sink.OnSkippedLayer(l, fmt::format("non-distributable layer not fetched{}; --allow-foreign-layers fetches it",
                                           l.blob.urls.empty() ? "" : " (its blob lives at " +
                                                                          Printable(l.blob.urls[0], 120) + ")"));
        continue;
      }
      todo.push_back(&l);
    }
    std::atomic<size_t> next{0};
    std::atomic<bool> stop{false};
    std::mutex mu;
    std::optional<Error> first;
    auto work = [&] {
      for (;;) {
        if (stop.load()) return;
        const size_t i = next.fetch_add(1);
        if (i >= todo.size()) return;
        const Layer& l = *todo[i];
        Result<std::unique_ptr<net::Stream>> s = Error{};
        if (IsNonDistributable(l.blob.media_type) && !l.blob.urls.empty()) {
          s = client.OpenForeign(l.blob, l.blob.urls[0]);
        } else {
          s = client.OpenBlob(l.blob);
        }
        if (!s.ok()) {
          // "IMAGE: layer 2 of 3: blob …", the image named once, first.
          Error e = s.error();
          const std::string prefix = client.Name() + ": ";
          if (e.message.starts_with(prefix)) e.message.erase(0, prefix.size());
          e = e.Wrap(fmt::format("{}: layer {} of {}", client.Name(), l.index + 1, info.layers.size()));
          std::lock_guard lock(mu);
          if (!first) first = std::move(e);
          stop = true;
          return;
        }
        (void)sink.OnLayerBlob(l.blob.name, l.blob.size, **s);
      }
    };
    const size_t n = std::min<size_t>(todo.size(), static_cast<size_t>(std::max(1, opts_.registry.parallel_blobs)));
    std::vector<std::thread> threads;
    for (size_t t = 1; t < n; ++t) threads.emplace_back(work);
    if (n > 0) work();
    for (auto& t : threads) t.join();
    if (first) {
      if (first->message.find(client.Name()) != std::string::npos) return *first;
      return first->Wrap(client.Name());
    }
    return info;
  }

 private:
  Reference ref_;
  SourceOptions opts_;
};

}  // namespace

Result<std::unique_ptr<ImageSource>> OpenRegistry(const std::string& reference, const SourceOptions& opts) {
  ASSIGN_OR_RETURN(Reference ref, ParseReference(reference));
  return std::unique_ptr<ImageSource>(std::make_unique<RegistrySource>(std::move(ref), opts));
}

}  // namespace drydock
