#include "source/reference.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>

namespace drydock {

namespace {

constexpr std::string_view kDefaultDomain = "docker.io";
constexpr std::string_view kLegacyDomain = "index.docker.io";
constexpr std::string_view kOfficialPrefix = "library/";
constexpr size_t kMaxPathLength = 255;
constexpr size_t kMaxTagLength = 128;
// References are quoted in messages; a hostile one could be megabytes.
constexpr size_t kMaxQuoted = 200;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || IsDigit(c); }
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsAlnum(char c) { return IsAlpha(c) || IsDigit(c); }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsWord(char c) { return IsAlnum(c) || c == '_'; }  // Go's \w
bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }

std::string Quoted(std::string_view s) {
  if (s.size() <= kMaxQuoted) return fmt::format("{:?}", s);
  return fmt::format("{:?}… ({} bytes)", s.substr(0, kMaxQuoted), s.size());
}

// path-component := [a-z0-9]+ (separator [a-z0-9]+)*, separator := [._] | __ | -+
bool IsPathComponent(std::string_view s) {
  size_t i = 0;
  while (true) {
    const size_t run = i;
    while (i < s.size() && IsLowerAlnum(s[i])) ++i;
    if (i == run) return false;  // empty, or starts/ends with a separator, or two in a row
    if (i == s.size()) return true;
    if (s[i] == '.') {
      ++i;
    } else if (s[i] == '_') {
      ++i;
      if (i < s.size() && s[i] == '_') ++i;
    } else if (s[i] == '-') {
      while (i < s.size() && s[i] == '-') ++i;
    } else {
      return false;
    }
  }
}

// domain-component := [a-zA-Z0-9] | [a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9]
bool IsDomainComponent(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsAlnum(c) || c == '-'; });
}

// domain := (domain-component ('.' domain-component)* | '[' [a-fA-F0-9:]+ ']') (':' [0-9]+)?
bool IsDomain(std::string_view s) {
  std::string_view host = s;
  std::string_view port;
  bool has_port = false;
  if (!s.empty() && s.front() == '[') {
    const size_t close = s.find(']');
    if (close == std::string_view::npos) return false;
    host = s.substr(0, close + 1);
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      has_port = true;
      port = rest.substr(1);
    }
    std::string_view inner = host.substr(1, host.size() - 2);
    if (inner.empty() || !std::all_of(inner.begin(), inner.end(), [](char c) { return IsHex(c) || c == ':'; })) {
      return false;
    }
  } else {
    if (const size_t colon = s.find(':'); colon != std::string_view::npos) {
      host = s.substr(0, colon);
      has_port = true;
      port = s.substr(colon + 1);
    }
    size_t start = 0;
    while (true) {
      const size_t dot = host.find('.', start);
      if (!IsDomainComponent(host.substr(start, dot == std::string_view::npos ? dot : dot - start))) return false;
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  if (has_port && (port.empty() || !std::all_of(port.begin(), port.end(), IsDigit))) return false;
  return true;
}

// tag := [\w][\w.-]{0,127}
bool IsTag(std::string_view s) {
  if (s.empty() || s.size() > kMaxTagLength || !IsWord(s.front())) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsWord(c) || c == '.' || c == '-'; });
}

// digest := algorithm ':' [0-9a-fA-F]{32,}
// algorithm := [A-Za-z][A-Za-z0-9]* ([-_+.][A-Za-z][A-Za-z0-9]*)*
bool IsDigestSyntax(std::string_view s) {
  const size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view alg = s.substr(0, colon);
  std::string_view hex = s.substr(colon + 1);
  size_t i = 0;
  while (true) {
    if (i >= alg.size() || !IsAlpha(alg[i])) return false;
    while (i < alg.size() && IsAlnum(alg[i])) ++i;
    if (i == alg.size()) break;
    if (alg[i] != '-' && alg[i] != '_' && alg[i] != '+' && alg[i] != '.') return false;
    ++i;
  }
  return hex.size() >= 32 && std::all_of(hex.begin(), hex.end(), IsHex);
}

bool IsIdentifier(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return IsDigit(c) || (c >= 'a' && c <= 'f'); });
}

// distribution/reference's splitDockerDomain: the first component is a
// registry when it is "localhost", contains '.' or ':', or has upper case
// (namespaces cannot); "index.docker.io" is docker.io; one-component names
// on docker.io get "library/". The remainder still carries tag and digest.
void SplitDomain(std::string_view s, std::string& domain, std::string& remainder) {
  const size_t slash = s.find('/');
  if (slash == std::string_view::npos) {
    domain = kDefaultDomain;
    remainder = std::string(kOfficialPrefix) + std::string(s);
    return;
  }
  std::string_view first = s.substr(0, slash);
  std::string_view rest = s.substr(slash + 1);
  if (first == "localhost" || first.find_first_of(".:") != std::string_view::npos ||
      std::any_of(first.begin(), first.end(), IsUpper)) {
    domain = first == kLegacyDomain ? kDefaultDomain : first;
    remainder = rest;
  } else {
    domain = kDefaultDomain;
    remainder = s;
  }
  if (domain == kDefaultDomain && remainder.find('/') == std::string::npos) {
    remainder = std::string(kOfficialPrefix) + remainder;
  }
}

}  // namespace

std::string Reference::str() const {
  std::string out = registry + "/" + repository;
  if (!tag.empty()) out += ":" + tag;
  if (!digest.empty()) out += "@" + digest.str();
  return out;
}

std::string Reference::manifest_ref() const {
  if (!digest.empty()) return digest.str();
  if (!tag.empty()) return tag;
  return "latest";
}

std::string Reference::api_host() const { return registry == kDefaultDomain ? "registry-1.docker.io" : registry; }

bool Reference::is_loopback() const {
  std::string host = registry;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string::npos) return false;
    host = host.substr(1, close - 1);
    in6_addr a6{};
    return inet_pton(AF_INET6, host.c_str(), &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
  }
  host = host.substr(0, host.find(':'));
  std::string lower = host;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](char c) { return IsUpper(c) ? c - 'A' + 'a' : c; });
  if (lower == "localhost") return true;
  in_addr a4{};
  return inet_pton(AF_INET, host.c_str(), &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

Result<Reference> ParseReference(std::string_view s) {
  auto bad = [&](std::string_view why) { return InputError("invalid image reference {}: {}", Quoted(s), why); };
  if (s.empty()) return bad("empty");
  if (IsIdentifier(s)) return bad("a 64-character hexadecimal string is an image ID, not a repository name");
  if (s.find("://") != std::string_view::npos) return bad("a URL scheme (\"…://\") is not part of an image reference");
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f') return bad("contains whitespace");
  }

  std::string domain;
  std::string remainder;
  SplitDomain(s, domain, remainder);

  std::string_view rest = remainder;
  std::string_view digest_str;
  bool has_digest = false;
  if (const size_t at = rest.find('@'); at != std::string_view::npos) {
    digest_str = rest.substr(at + 1);
    rest = rest.substr(0, at);
    has_digest = true;
  }
  std::string_view path = rest;
  std::string_view tag;
  bool has_tag = false;
  if (const size_t colon = rest.find(':'); colon != std::string_view::npos) {
    tag = rest.substr(colon + 1);
    path = rest.substr(0, colon);
    has_tag = true;
  }

  if (!IsDomain(domain)) return bad(fmt::format("registry {} is not a valid host[:port]", Quoted(domain)));
  if (std::any_of(path.begin(), path.end(), IsUpper)) {
    return bad(fmt::format("repository name {} must be lowercase", Quoted(path)));
  }
  size_t start = 0;
  while (true) {
    const size_t slash = path.find('/', start);
    std::string_view comp = path.substr(start, slash == std::string_view::npos ? slash : slash - start);
    if (comp.empty()) return bad("repository name has an empty component");
    if (!IsPathComponent(comp)) {
      return bad(fmt::format(
          "repository component {} must be [a-z0-9]+ joined by '.', '_', '__' or '-' (no separator at either end)",
          Quoted(comp)));
    }
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  if (path.size() > kMaxPathLength) {
    return bad(fmt::format("repository name is {} characters, more than {}", path.size(), kMaxPathLength));
  }
  if (has_tag && !IsTag(tag)) {
    return bad(fmt::format("tag {} must be [A-Za-z0-9_][A-Za-z0-9_.-]{{0,127}}", Quoted(tag)));
  }

  Reference ref;
  ref.registry = std::move(domain);
  ref.repository = std::string(path);
  ref.tag = std::string(tag);
  if (has_digest) {
    if (!IsDigestSyntax(digest_str)) {
      return bad(fmt::format("digest {} must be <algorithm>:<at least 32 hex digits>", Quoted(digest_str)));
    }
    std::string_view alg = digest_str.substr(0, digest_str.find(':'));
    if (alg != "sha256") return bad(fmt::format("digest algorithm {} is not supported (only sha256)", Quoted(alg)));
    auto d = Digest::Parse(digest_str);
    if (!d.ok()) return d.error().Wrap(fmt::format("invalid image reference {}", Quoted(s)));
    ref.digest = std::move(d).value();
  }
  return ref;
}

}  // namespace drydock
