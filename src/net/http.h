// HTTP client glue over libcurl for servers drydock does not trust
// (registries, token services, blob storage behind redirects). Every request
// has a connect deadline, a stall deadline (no byte for N seconds) and a cap
// on header and body bytes; redirects are followed here, by policy, never by
// libcurl: at most `max_redirects`, http/https only, no https→http downgrade
// unless the target host is allowed plain HTTP, and the Authorization header
// is sent only to the host it was given for. TLS is verified against the
// system store plus any extra CA files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/byte_stream.h"
#include "base/result.h"

namespace drydock::net {

struct Request {
  std::string method = "GET";  // GET, HEAD or POST
  std::string url;             // http:// or https://
  std::string body;            // POST only (form or JSON; set Content-Type in `headers`)
  std::vector<std::pair<std::string, std::string>> headers;  // never Authorization: see below
  // Sent as the Authorization header to the host of `url` only; dropped as
  // soon as a redirect leads to another scheme, host or port.
  std::string authorization;
  int64_t max_body = 4 << 20;       // a longer body is an error (Fetch) / stops the stream (Open)
  int64_t max_header_bytes = 64 << 10;
  int connect_timeout_s = 15;
  int stall_timeout_s = 30;
  int max_redirects = 5;
  // TLS: extra PEM CA files (added to the system store, not replacing it);
  // `insecure` skips certificate checks and allows plain HTTP redirects.
  std::vector<std::string> ca_files;
  bool insecure = false;
};

struct Response {
  long status = 0;
  std::string url;  // after redirects
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, in order
  std::string body;                                          // Fetch only

  // The first value of header `name` (lower case), or "".
  std::string Header(std::string_view name) const;
};

// Performs `req` and buffers the body. Errors (exit 2 class): cannot
// connect, TLS failure, deadline passed, over a cap, bad redirect. A non-2xx
// status is not an error: the caller reads `status`.
Result<Response> Fetch(const Request& req);

// A response whose body is read while it downloads. Read() keeps the stall
// deadline (time spent by the caller between reads does not count) and
// fails once more than max_body bytes arrive.
class Stream final : public ByteStream {
 public:
  ~Stream() override;
  const Response& response() const { return resp_; }
  Result<size_t> Read(std::span<std::byte> dst) override;

  struct Impl;  // the transfer (http.cc)
  Stream(Response resp, std::unique_ptr<Impl> impl);

 private:
  Response resp_;
  std::unique_ptr<Impl> impl_;
};

// Performs `req` up to the end of the headers (redirects followed) and
// returns the body as a stream; for any status (the caller decides).
Result<std::unique_ptr<Stream>> Open(const Request& req);

// scheme://host[:port] of a URL, lower-cased ("" when it is not a URL).
std::string Origin(std::string_view url);
// Resolves `ref` (absolute, or relative like "/v2/…") against `base`.
Result<std::string> ResolveUrl(std::string_view base, std::string_view ref);

}  // namespace drydock::net
