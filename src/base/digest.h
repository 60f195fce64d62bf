// SHA-256 digests: incremental hashing (OpenSSL) and the "sha256:<hex>" form
// that image manifests use.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "base/result.h"

namespace drydock {

// A content digest in OCI form, e.g. "sha256:e3b0…". Empty when unknown.
struct Digest {
  std::string algorithm;  // "sha256"
  std::string hex;        // lower-case, 64 chars for sha256

  bool empty() const { return hex.empty(); }
  std::string str() const { return empty() ? std::string() : algorithm + ":" + hex; }
  // "sha256:ab12cd34ef56" — for messages.
  std::string short_str() const { return empty() ? "(none)" : algorithm + ":" + hex.substr(0, 12); }
  bool operator==(const Digest&) const = default;
  auto operator<=>(const Digest&) const = default;

  // Parses "sha256:<64 hex>". Anything else (other algorithms, bad length,
  // upper case, non-hex) is an input error: digests name files in layouts, so
  // a lax parser would let "../" through.
  static Result<Digest> Parse(std::string_view s);
};

// Incremental SHA-256. Not thread-safe; one per stream.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::span<const std::byte> data);
  void Update(std::string_view data) { Update(std::as_bytes(std::span(data.data(), data.size()))); }
  // Finishes the hash; the object must not be updated afterwards.
  Digest Finish();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

Digest Sha256Of(std::string_view data);

}  // namespace drydock
