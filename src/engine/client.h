// A Docker Engine API client over its unix socket or tcp (+TLS), with
// libcurl. Never shells out to the docker CLI. Honours DOCKER_HOST,
// DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "base/byte_stream.h"
#include "base/result.h"

namespace drydock {

struct EngineEndpoint {
  std::string host;         // as given: "unix:///var/run/docker.sock", "tcp://127.0.0.1:2376"
  std::string unix_socket;  // set for unix://
  std::string base_url;     // "http://localhost" for unix, "http(s)://h:p" for tcp
  bool tls = false;
  std::string cert_dir;  // DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem)

  // From an explicit host ("" = $DOCKER_HOST, else the default socket, else
  // the rootless socket $XDG_RUNTIME_DIR/docker.sock when only that exists).
  static Result<EngineEndpoint> Resolve(const std::string& host);
};

class EngineClient {
 public:
  explicit EngineClient(EngineEndpoint ep) : ep_(std::move(ep)) {}
  // GET /_ping; negotiates api_version() from the API-Version header (later
  // requests use /v<version>/ paths). An error says why the daemon cannot be
  // reached (no socket, not a socket, permission denied, not a Docker daemon,
  // API too old).
  Status Ping();
  const std::string& api_version() const { return api_version_; }
  // GET path (e.g. "/images/json"); the body if the status is 2xx.
  Result<std::string> Get(const std::string& path, int64_t max_bytes = 64 << 20);
  // GET path streamed: the body as a ByteStream read while it downloads.
  Result<std::unique_ptr<ByteStream>> Stream(const std::string& path);
  const EngineEndpoint& endpoint() const { return ep_; }

 private:
  std::string Url(const std::string& path) const;
  EngineEndpoint ep_;
  std::string api_version_;
};

// The API versions drydock speaks: the daemon's own, capped at the newest
// drydock knows; older than the minimum is an error.
inline constexpr std::string_view kMinApiVersion = "1.24";
inline constexpr std::string_view kMaxApiVersion = "1.47";
// "1.41" → {1, 41}; nullopt when not MAJOR.MINOR digits.
std::optional<std::pair<int, int>> ParseApiVersion(std::string_view v);

// Percent-encodes an image name for a URL path ("/" and ":" kept).
std::string EscapeImageName(std::string_view name);

}  // namespace drydock
