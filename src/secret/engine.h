// The secret engine: every enabled rule compiled once into one Vectorscan
// block-mode database, scanned over a file's bytes; the confirm step
// (capture of the secret, entropy, allow-rules, overlaps) runs only in a
// window around each Vectorscan hit.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "secret/config.h"
#include "secret/rules.h"

namespace drydock::secret {

// One confirmed secret in a scanned text.
struct Match {
  size_t rule = 0;   // index into Engine::rules()
  size_t begin = 0;  // the secret's bytes: [begin, end) of the text
  size_t end = 0;
  int line = 0;          // 1-based line of `begin`
  std::string value;     // the secret itself: never print it
  std::string evidence;  // the matched text around it, the secret redacted
};

struct ScanOutcome {
  std::vector<Match> matches;
  // Set when a per-text cap stopped the scan (too many hits): the text was
  // scanned in part. Says how far.
  std::string truncated;
};

class Engine {
 public:
  // Built-in rules minus `config.disable`, plus `config.rules` (a user rule
  // with a built-in id replaces it). Errors name the rule whose pattern does
  // not compile. With a `cache_dir`, the compiled Vectorscan database is
  // loaded from there when the same rules were compiled before, and stored
  // there otherwise, and the key of ValueDigest is kept there
  // (secret/compiled_cache.h).
  static Result<std::shared_ptr<const Engine>> Create(const Config& config, const std::string& cache_dir = "");
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  const std::vector<Rule>& rules() const { return rules_; }
  // True when the path is allow-listed (documentation, vendored test
  // fixtures, CA bundles, the user's allow.paths): its files are not read.
  bool PathAllowed(std::string_view path) const;
  // Finds the secrets in `text` (a file's bytes or a config string). `path`
  // is the file's clean path ("" for config text), for rules limited to some
  // paths. Thread-safe: each thread keeps its own Vectorscan scratch.
  ScanOutcome Scan(std::string_view text, std::string_view path) const;
  // The rules that match a whole file rather than a token in it (PKCS#12
  // files: Rule::Check::kPkcs12File): one Match per rule whose path and
  // content check pass, with begin = end = 0, line 0, and as `value` the
  // SHA-256 of the content (the same file in two layers is one secret).
  // `content` may be binary. Thread-safe.
  std::vector<Match> MatchFile(std::string_view path, std::string_view content) const;
  // A keyed digest of a secret value (hex): groups the same secret found in
  // many places without keeping the value. The key is random, kept in the
  // cache dir so digests stored in the layer cache by one run compare equal
  // to the ones another run computes (without a cache dir, a key per engine).
  std::string ValueDigest(std::string_view value) const;
  // What decides this engine's findings besides drydock's code, as 64 hex:
  // every effective rule, the user's allow lists and (a digest of) the
  // value key. The SecretAnalyzer's part of the layer cache key.
  const std::string& cache_key() const { return cache_key_; }

 private:
  Engine() = default;
  struct Compiled;
  std::vector<Rule> rules_;
  std::unique_ptr<Compiled> compiled_;
  std::array<unsigned char, 32> value_key_{};
  std::string cache_key_;
};

// "ghp_****": at most the first 4 characters (fewer for short secrets,
// never more than a quarter of it) and then "****".
std::string Redact(std::string_view secret);
// Shannon entropy in bits per byte.
double ShannonEntropy(std::string_view s);
// Content sniffing on the first KiB: NUL bytes, or more than 10% control
// bytes, mean binary.
bool LooksBinary(std::string_view head);
// Whether a candidate value passes rule `r`'s value filters: its entropy
// floor, the placeholder allow-list (for base64 rules also on the decoded
// text), "user:password" for docker auths, code references for generic
// rules. The engine applies it to every match; the property test draws
// tokens anew that fail it.
bool PassesValueFilters(const Rule& r, std::string_view value);
// Whether `bytes` start like a PKCS#12 PFX: a DER SEQUENCE holding INTEGER 3
// and a SEQUENCE (its authSafe). Enough for content sniffing (16 bytes).
bool LooksLikePkcs12Head(std::string_view bytes);
// The whole file is a PKCS#12 PFX: a SEQUENCE whose length fits the file,
// version 3, and an authSafe ContentInfo of PKCS#7 data or signedData.
bool IsPkcs12(std::string_view bytes);
// Placeholders and documented example values: changeme, xxxx, your-api-key,
// ${VAR}, AKIAIOSFODNN7EXAMPLE, low-variety strings …
bool IsPlaceholder(std::string_view value);
// `getpass.getpass`, `exports.HEADER_STATE`: a value of a generic rule that
// is a dotted name in source code, not a secret.
bool IsCodeReference(std::string_view value);

}  // namespace drydock::secret
