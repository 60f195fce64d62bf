// A Docker Engine API client over its unix socket or tcp (+TLS), with
// libcurl. Never shells out to the docker CLI. Honours DOCKER_HOST,
// DOCKER_TLS_VERIFY and DOCKER_CERT_PATH.
#pragma once

#include <memory>
#include <string>

#include "base/byte_stream.h"
#include "base/result.h"

namespace drydock {

struct EngineEndpoint {
  std::string host;         // as given: "unix:///var/run/docker.sock", "tcp://127.0.0.1:2376"
  std::string unix_socket;  // set for unix://
  std::string base_url;     // "http://localhost" for unix, "http(s)://h:p" for tcp
  bool tls = false;
  std::string cert_dir;  // DOCKER_CERT_PATH (ca.pem, cert.pem, key.pem)

  // From an explicit host ("" = $DOCKER_HOST, else the default socket).
  static Result<EngineEndpoint> Resolve(const std::string& host);
};

class EngineClient {
 public:
  explicit EngineClient(EngineEndpoint ep) : ep_(std::move(ep)) {}
  // GET /_ping; fills api_version(). An error says why the daemon cannot be
  // reached (no socket, permission denied, not a Docker daemon).
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

// Percent-encodes an image name for a URL path ("/" and ":" kept).
std::string EscapeImageName(std::string_view name);

}  // namespace drydock
