#include "base/digest.h"

#include <openssl/evp.h>

namespace drydock {

struct Sha256::Ctx {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> md{EVP_MD_CTX_new(), &EVP_MD_CTX_free};
};

namespace {
// SHA-256 fetched from the default provider once: EVP_sha256() makes every
// init fetch it again (a locked method-store lookup that cost more than
// hashing a short string). Immutable after the thread-safe first call.
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md != nullptr ? md : EVP_sha256();
}
}  // namespace

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) { EVP_DigestInit_ex(ctx_->md.get(), Sha256Md(), nullptr); }
Sha256::~Sha256() = default;

void Sha256::Update(std::span<const std::byte> data) { EVP_DigestUpdate(ctx_->md.get(), data.data(), data.size()); }

Digest Sha256::Finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  EVP_DigestFinal_ex(ctx_->md.get(), out, &n);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  hex.reserve(n * 2);
  for (unsigned i = 0; i < n; ++i) {
    hex.push_back(kHex[out[i] >> 4]);
    hex.push_back(kHex[out[i] & 15]);
  }
  return Digest{"sha256", std::move(hex)};
}

Digest Sha256Of(std::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.Finish();
}

Result<Digest> Digest::Parse(std::string_view s) {
  constexpr std::string_view kPrefix = "sha256:";
  if (s.substr(0, kPrefix.size()) != kPrefix) {
    return InputError("digest {:?}: only sha256 digests are supported", std::string(s.substr(0, 80)));
  }
  std::string_view hex = s.substr(kPrefix.size());
  if (hex.size() != 64) return InputError("digest {:?}: want 64 hex digits", std::string(s.substr(0, 80)));
  for (char c : hex) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return InputError("digest {:?}: not lower-case hex", std::string(s.substr(0, 80)));
    }
  }
  return Digest{"sha256", std::string(hex)};
}

}  // namespace drydock
