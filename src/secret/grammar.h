// The grammar of a secret rule's token: what a valid secret of the rule is,
// as data, independent of the rule's regular expression. The engine checks
// every confirmed match against it (checksums, exact part lengths); the
// property test (tests/secret/grammar_property_test.cc) generates valid
// tokens and near misses from it and proves the regex finds exactly the
// former, in every context a secret is written in.
//
// The text form is a space-separated sequence of items:
//   'lit'            a literal ('' inside quotes is one quote; \s a space,
//                    \n a newline, \t a tab)
//   'a'|'b'|'c'      one of several literals
//   CLASS{n} CLASS{n,m}
//                    n (to m) characters of a class: a name below, or a
//                    bracket set [A-Za-z0-9_-] (ranges and single chars)
//   crc32b62         six base62 characters: the CRC32 of every class
//                    character so far, base62 (0-9A-Za-z), zero-padded —
//                    GitHub's and npm's token checksum
//   userpass64       base64 of "user:password" (padded), as in a Docker
//                    config's "auth" or an .npmrc's _auth
//   base64{n,m}      standard base64, padded and canonical, of n to m bytes
//                    (a Kubernetes Secret's data: value)
//   jwt64            standard base64 (padding optional) of a JSON Web Token:
//                    three (JWS) or five (JWE) base64url segments, the first
//                    a JSON object naming "alg", a JWS payload a JSON object
// and directives about where the token is written (not part of it):
//   @key=NAME        the rule is anchored on a key: contexts write
//                    NAME=token, "NAME": "token" … and never the bare token
//   @pre=TEXT @post=TEXT
//                    text that surrounds the token in every context (a PEM
//                    header, a URL's scheme and host)
//   @bare            (with @key) the rule finds the token without a key too
//   @path=PATH       the file path the rule needs (rules limited to paths)
//   @only=C,C…       the contexts the format allows (netrc: whitespace ends
//                    the password), by the property test's names
//   @file            the rule matches whole files (by @path and content),
//                    not a token in text: no items (PKCS#12 key stores)
// Class names: alnum [A-Za-z0-9], alpha [A-Za-z], upper [A-Z], lower [a-z],
// digit, hex [0-9a-f], HEX [0-9A-F], hexi [0-9a-fA-F], ualnum [A-Z0-9],
// lalnum [a-z0-9], b64 [A-Za-z0-9+/], b64url [A-Za-z0-9_-], b32 [a-z2-7],
// bech32 (age's upper-case bech32 alphabet), uuid (8-4-4-4-12 lower hex; no
// repeat).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drydock::secret {

class Grammar {
 public:
  struct Item {
    enum Kind { kLiteral, kClass, kCrc32B62, kUserPass64, kBase64, kJwt64 } kind = kLiteral;
    std::vector<std::string> literals;  // kLiteral: the alternatives
    std::string chars;                  // kClass: the alphabet, each char once
    size_t min = 0, max = 0;            // kClass: the repeat; kBase64: the decoded length
  };

  // Parses the text form; an error names what is wrong.
  static std::optional<Grammar> Parse(std::string_view text, std::string* error = nullptr);

  const std::vector<Item>& items() const { return items_; }
  const std::string& key() const { return key_; }
  const std::string& pre() const { return pre_; }
  const std::string& post() const { return post_; }
  const std::string& path() const { return path_; }
  const std::vector<std::string>& only() const { return only_; }
  bool bare() const { return key_.empty() || bare_; }
  bool file() const { return file_; }
  bool has_checksum() const { return has_checksum_; }
  // Whether Accepts checks more than a regex can: a checksum, or decoded
  // content (base64{}, jwt64). The engine runs Accepts on such a rule's
  // matches.
  bool validates() const { return has_checksum_ || decodes_; }

  // Whether `value` is a token of the grammar (the whole of it), checksum
  // included.
  bool Accepts(std::string_view value) const;

  using Random = std::function<uint64_t()>;
  // A random valid token; `next` returns uniform 64-bit values.
  std::string Generate(const Random& next) const;
  // Every class part at its minimum length, one of them one character
  // short: no longer a token.
  std::string OneShort(const Random& next) const;
  // Every class part at its minimum length, one character in the middle of
  // the longest class part replaced by one outside its alphabet.
  std::string WrongAlphabet(const Random& next) const;
  // The token with its class parts written as a placeholder would be:
  // variant 0 "xxxx…" (or "XXXX…", "0123456…" when the alphabet has no x),
  // 1 ending in "EXAMPLE" (or "example", or "0123456").
  std::string Placeholder(const Random& next, int variant) const;

 private:
  struct Part {
    size_t item, begin, len;
  };
  std::string Gen(const Random& next, bool minimal, size_t short_part, std::vector<Part>* parts) const;
  bool Match(size_t item, std::string_view rest, uint32_t crc, bool crc_started) const;

  std::vector<Item> items_;
  std::string key_, pre_, post_, path_;
  std::vector<std::string> only_;
  bool bare_ = false;
  bool file_ = false;
  bool has_checksum_ = false;
  bool decodes_ = false;
};

// CRC32 (IEEE 802.3, as zlib) and the base62 checksum suffix GitHub and npm
// tokens carry.
uint32_t Crc32(std::string_view data, uint32_t crc = 0);
std::string Base62Checksum(uint32_t crc);

// Standard base64 (A-Z a-z 0-9 + /): decoding stops at the first byte
// outside the alphabet ('=' included); Base64Canonical says whether `s` is
// exactly the padded encoding of what it decodes to.
std::string Base64Encode(std::string_view in);
std::string Base64Decode(std::string_view in);
bool Base64Canonical(std::string_view s);
// Whether `text` (decoded jwt64) is a JSON Web Token as jwt64 defines it.
bool IsJwt(std::string_view text);
// The jwt.io documented example token: jwt64 near misses encode it.
extern const std::string_view kJwtIoExample;

}  // namespace drydock::secret
