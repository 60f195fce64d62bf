#include "report/sbom_common.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "base/digest.h"

namespace drydock::report {
namespace {

struct SpdxId {
  std::string_view id;
  bool exception;
};

constexpr SpdxId kSpdxIds[] = {
#include "report/spdx_license_ids.inc"
};

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string ToLower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), Lower);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return Lower(x) == Lower(y); });
}

// Lower-cased id -> its entry; built once.
const std::unordered_map<std::string, const SpdxId*>& IdIndex() {
  static const std::unordered_map<std::string, const SpdxId*> index = [] {
    std::unordered_map<std::string, const SpdxId*> m;
    for (const SpdxId& e : kSpdxIds) m.emplace(ToLower(e.id), &e);
    return m;
  }();
  return index;
}

const SpdxId* FindId(std::string_view s) {
  if (s.empty() || s.size() > 128) return nullptr;
  const auto& index = IdIndex();
  auto it = index.find(ToLower(s));
  return it == index.end() ? nullptr : it->second;
}

bool IsIdstringChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
}

bool IsIdstring(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), IsIdstringChar); }

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

constexpr size_t kMaxTokens = 512;
constexpr int kMaxDepth = 32;

// A recursive-descent reader of SPDX license expressions (SPDX 2.3 Annex D):
//   or  := and ("OR" and)*      and := atom ("AND" atom)*
//   atom := "(" or ")" | simple ["WITH" exception-id]
//   simple := license-id ["+"] | "LicenseRef-" idstring
// It writes the canonical form as it goes. Operators are accepted in any
// case (real metadata writes "MIT or Apache-2.0") and written upper-case.
class ExpressionReader {
 public:
  explicit ExpressionReader(std::string_view s) { Tokenize(s); }

  // The canonical expression, or nullopt when the input is not one.
  std::optional<std::string> Read() {
    if (!ok_ || tokens_.empty()) return std::nullopt;
    std::string out;
    if (!ReadOr(out, 0) || pos_ != tokens_.size()) return std::nullopt;
    return out;
  }

  // True when the expression is one simple term (no operator, no parens).
  bool simple() const { return tokens_.size() == 1; }

 private:
  void Tokenize(std::string_view s) {
    size_t i = 0;
    while (i < s.size() && ok_) {
      if (IsSpace(s[i])) {
        ++i;
        continue;
      }
      if (tokens_.size() >= kMaxTokens) {
        ok_ = false;
        break;
      }
      if (s[i] == '(' || s[i] == ')') {
        tokens_.push_back(s.substr(i, 1));
        ++i;
        continue;
      }
      size_t j = i;
      while (j < s.size() && !IsSpace(s[j]) && s[j] != '(' && s[j] != ')') ++j;
      tokens_.push_back(s.substr(i, j - i));
      i = j;
    }
  }

  std::string_view Peek() const { return pos_ < tokens_.size() ? tokens_[pos_] : std::string_view(); }

  bool ReadOr(std::string& out, int depth) {
    if (!ReadAnd(out, depth)) return false;
    while (EqualsIgnoreCase(Peek(), "OR")) {
      ++pos_;
      out += " OR ";
      if (!ReadAnd(out, depth)) return false;
    }
    return true;
  }

  bool ReadAnd(std::string& out, int depth) {
    if (!ReadAtom(out, depth)) return false;
    while (EqualsIgnoreCase(Peek(), "AND")) {
      ++pos_;
      out += " AND ";
      if (!ReadAtom(out, depth)) return false;
    }
    return true;
  }

  bool ReadAtom(std::string& out, int depth) {
    const std::string_view t = Peek();
    if (t == "(") {
      if (depth >= kMaxDepth) return false;
      ++pos_;
      out += "(";
      if (!ReadOr(out, depth + 1) || Peek() != ")") return false;
      ++pos_;
      out += ")";
      return true;
    }
    if (!ReadSimple(t, out)) return false;
    ++pos_;
    if (EqualsIgnoreCase(Peek(), "WITH")) {
      ++pos_;
      const SpdxId* e = FindId(Peek());
      if (e == nullptr || !e->exception) return false;
      ++pos_;
      out += " WITH ";
      out += e->id;
    }
    return true;
  }

  static bool ReadSimple(std::string_view t, std::string& out) {
    if (t.size() > 11 && EqualsIgnoreCase(t.substr(0, 11), "LicenseRef-")) {
      if (!IsIdstring(t.substr(11))) return false;
      out += "LicenseRef-";
      out += t.substr(11);
      return true;
    }
    if (const SpdxId* e = FindId(t); e != nullptr && !e->exception) {
      out += e->id;
      return true;
    }
    if (t.size() > 1 && t.back() == '+') {
      if (const SpdxId* e = FindId(t.substr(0, t.size() - 1)); e != nullptr && !e->exception) {
        out += e->id;
        out += "+";
        return true;
      }
    }
    return false;
  }

  std::vector<std::string_view> tokens_;
  size_t pos_ = 0;
  bool ok_ = true;
};

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil), so no time zone or libc range limit is involved.
int64_t DaysFromCivil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2 ? 1 : 0;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

struct Civil {
  int64_t y;
  unsigned m, d;
};

Civil CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const auto doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  const unsigned d = doy - (153 * mp + 2) / 5 + 1;
  const unsigned m = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<int64_t>(yoe) + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

// Seconds since the epoch of year 0000 … 9999.
constexpr int64_t kMinSeconds = -62167219200;  // 0000-01-01T00:00:00Z
constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z

std::string FormatUtc(int64_t secs) {
  const int64_t days = (secs >= 0 ? secs : secs - 86399) / 86400;
  const int64_t rem = secs - days * 86400;
  const Civil c = CivilFromDays(days);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", c.y, c.m, c.d, rem / 3600, rem / 60 % 60, rem % 60);
}

// Reads exactly `n` digits at `pos`; -1 when they are not there.
int64_t Digits(std::string_view s, size_t& pos, size_t n) {
  if (pos + n > s.size()) return -1;
  int64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    const char c = s[pos + i];
    if (c < '0' || c > '9') return -1;
    v = v * 10 + (c - '0');
  }
  pos += n;
  return v;
}

bool Expect(std::string_view s, size_t& pos, std::string_view chars) {
  if (pos >= s.size() || chars.find(s[pos]) == std::string_view::npos) return false;
  ++pos;
  return true;
}

unsigned DaysInMonth(int64_t y, int64_t m) {
  static constexpr std::array<unsigned, 12> kDays = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[static_cast<size_t>(m - 1)];
}

bool IsRepoPathChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

std::vector<Package> SbomPackages(const ScanResult& scan) {
  std::vector<Package> out;
  if (!scan.inventory) return out;
  out = scan.inventory->packages;
  for (Package& p : out) {
    if (p.purl.empty()) p.purl = MakePurl(p, scan.summary.os);
    if (p.id.empty()) {
      const std::string primary = p.evidence.empty() ? std::string() : p.evidence.front().Location();
      p.id = Sha256Of(p.purl + "\n" + primary).hex.substr(0, 16);
    }
  }
  SortPackages(out);
  std::set<std::string> seen;
  for (Package& p : out) {
    if (seen.insert(p.id).second) continue;
    for (int n = 2;; ++n) {
      std::string candidate = fmt::format("{}-{}", p.id, n);
      if (seen.insert(candidate).second) {
        p.id = std::move(candidate);
        break;
      }
    }
  }
  return out;
}

std::optional<std::string> NormalizeRfc3339(std::string_view s) {
  size_t pos = 0;
  const int64_t y = Digits(s, pos, 4);
  if (y < 0 || !Expect(s, pos, "-")) return std::nullopt;
  const int64_t mo = Digits(s, pos, 2);
  if (mo < 1 || mo > 12 || !Expect(s, pos, "-")) return std::nullopt;
  const int64_t d = Digits(s, pos, 2);
  if (d < 1 || d > DaysInMonth(y, mo) || !Expect(s, pos, "Tt ")) return std::nullopt;
  const int64_t h = Digits(s, pos, 2);
  if (h < 0 || h > 23 || !Expect(s, pos, ":")) return std::nullopt;
  const int64_t mi = Digits(s, pos, 2);
  if (mi < 0 || mi > 59 || !Expect(s, pos, ":")) return std::nullopt;
  const int64_t sec = Digits(s, pos, 2);
  if (sec < 0 || sec > 60) return std::nullopt;  // 60: a leap second
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    if (pos == start) return std::nullopt;
  }
  int64_t offset = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    const int64_t sign = s[pos] == '-' ? -1 : 1;
    ++pos;
    const int64_t oh = Digits(s, pos, 2);
    if (oh < 0 || oh > 23 || !Expect(s, pos, ":")) return std::nullopt;
    const int64_t om = Digits(s, pos, 2);
    if (om < 0 || om > 59) return std::nullopt;
    offset = sign * (oh * 3600 + om * 60);
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const int64_t secs =
      DaysFromCivil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86400 + h * 3600 + mi * 60 + sec - offset;
  if (secs < kMinSeconds || secs > kMaxSeconds) return std::nullopt;
  return FormatUtc(secs);
}

std::string SbomTimestamp(const ImageConfig& config, const char* source_date_epoch) {
  if (source_date_epoch != nullptr) {
    const std::string_view v(source_date_epoch);
    // At most 12 digits keeps the value far from overflow; the range check
    // keeps it a four-digit year.
    if (!v.empty() && v.size() <= 12 && std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      const int64_t secs = std::stoll(std::string(v));
      if (secs <= kMaxSeconds) return FormatUtc(secs);
    }
  }
  if (auto created = NormalizeRfc3339(config.created)) return *created;
  return "1970-01-01T00:00:00Z";
}

std::string DocumentHash(const ScanResult& scan, const std::vector<Package>& packages) {
  Sha256 h;
  // Every field ends in a newline, so "ab"+"c" and "a"+"bc" differ.
  auto add = [&h](std::string_view s) {
    h.Update(s);
    h.Update(std::string_view("\n"));
  };
  add("drydock-sbom-v1");
  add(ImageDisplayName(scan));
  add(scan.image.config_digest.str());
  add(scan.image.manifest_digest.str());
  for (const Package& p : packages) {
    add(p.purl);
    add(p.id);
  }
  return h.Finish().hex;
}

std::string UuidFromHash(std::string_view hex) {
  std::string h(hex.substr(0, std::min<size_t>(hex.size(), 32)));
  h.resize(32, '0');
  static constexpr char kHex[] = "0123456789abcdef";
  auto nibble = [](char c) -> unsigned {
    if (c >= '0' && c <= '9') return static_cast<unsigned>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<unsigned>(c - 'a' + 10);
    if (c >= 'A' && c <= 'F') return static_cast<unsigned>(c - 'A' + 10);
    return 0;
  };
  for (char& c : h) c = kHex[nibble(c)];
  h[12] = '5';
  h[16] = kHex[(nibble(h[16]) & 0x3) | 0x8];
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::optional<std::string_view> CanonicalLicenseId(std::string_view s) {
  const SpdxId* e = FindId(s);
  if (e == nullptr || e->exception) return std::nullopt;
  return e->id;
}

License ClassifyLicense(std::string_view s) {
  const std::string_view t = Trim(s);
  if (t.empty() || EqualsIgnoreCase(t, "NOASSERTION") || EqualsIgnoreCase(t, "NONE") ||
      EqualsIgnoreCase(t, "UNKNOWN")) {
    return {LicenseKind::kNone, ""};
  }
  if (auto id = CanonicalLicenseId(t)) return {LicenseKind::kId, std::string(*id)};
  ExpressionReader reader(t);
  if (auto expr = reader.Read()) return {LicenseKind::kExpression, std::move(*expr)};
  return {LicenseKind::kOther, std::string(t)};
}

std::vector<License> PackageLicenses(const Package& p) {
  std::vector<License> out;
  // A set, not a scan of `out`: a hostile copyright file may list very many.
  std::set<std::string> seen;
  for (const std::string& raw : p.licenses) {
    License l = ClassifyLicense(raw);
    if (l.kind == LicenseKind::kNone || !seen.insert(l.text).second) continue;
    out.push_back(std::move(l));
  }
  return out;
}

std::string JoinLicenses(const std::vector<License>& licenses,
                         const std::function<std::string(const std::string&)>& other_ref) {
  std::vector<std::string> parts;
  std::set<std::string> seen;
  for (const License& l : licenses) {
    if (l.kind == LicenseKind::kNone) continue;
    std::string part = l.kind == LicenseKind::kOther ? other_ref(l.text) : l.text;
    if (seen.insert(part).second) parts.push_back(std::move(part));
  }
  if (parts.size() == 1) return parts.front();
  std::string out;
  for (const std::string& p : parts) {
    if (!out.empty()) out += " AND ";
    out += p.find(' ') == std::string::npos ? p : "(" + p + ")";
  }
  return out;
}

std::string Idstring(std::string_view s, size_t max) {
  std::string out;
  for (char c : s) {
    if (out.size() >= max) break;
    if (IsIdstringChar(c)) {
      out.push_back(c);
    } else if (!out.empty() && out.back() != '-') {
      out.push_back('-');
    }
  }
  while (!out.empty() && (out.back() == '-' || out.back() == '.')) out.pop_back();
  return out;
}

std::string LicenseRefFor(std::string_view text) {
  const std::string slug = Idstring(text, 64);
  return "LicenseRef-" + (slug.empty() ? std::string("unknown") : slug);
}

std::vector<std::string> LicenseRefsIn(std::string_view expression) {
  std::vector<std::string> out;
  size_t i = 0;
  while ((i = expression.find("LicenseRef-", i)) != std::string_view::npos) {
    size_t j = i + 11;
    while (j < expression.size() && IsIdstringChar(expression[j])) ++j;
    std::string ref(expression.substr(i, j - i));
    if (std::find(out.begin(), out.end(), ref) == out.end()) out.push_back(std::move(ref));
    i = j;
  }
  return out;
}

std::optional<ImageName> ParseImageName(std::string_view ref) {
  for (std::string_view prefix : {"registry:", "docker:"}) {
    if (ref.starts_with(prefix)) {
      ref.remove_prefix(prefix.size());
      break;
    }
  }
  if (ref.empty() || ref.size() > 512) return std::nullopt;
  if (size_t at = ref.find('@'); at != std::string_view::npos) ref = ref.substr(0, at);
  std::string tag;
  const size_t slash = ref.rfind('/');
  const size_t colon = ref.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    tag = std::string(ref.substr(colon + 1));
    ref = ref.substr(0, colon);
    if (tag.empty() || tag.size() > 128 || tag[0] == '.' || tag[0] == '-') return std::nullopt;
    for (char c : tag) {
      if (!IsIdstringChar(c) && c != '_') return std::nullopt;
    }
  }
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= ref.size()) {
    size_t j = ref.find('/', i);
    if (j == std::string_view::npos) j = ref.size();
    parts.push_back(ref.substr(i, j - i));
    i = j + 1;
  }
  std::string domain;
  if (parts.size() > 1 && (parts[0].find_first_of(".:") != std::string_view::npos || parts[0] == "localhost")) {
    // host[:port]; "oci:" or "dir:" (a transport with a path) is no host.
    const std::string_view host = parts[0].substr(0, parts[0].find(':'));
    const std::string_view port =
        host.size() < parts[0].size() ? parts[0].substr(host.size() + 1) : std::string_view("0");
    if (!IsIdstring(host) || port.empty() || port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return std::nullopt;
    }
    domain = ToLower(parts[0]);
    parts.erase(parts.begin());
  }
  for (std::string_view p : parts) {
    if (p.empty() || !std::all_of(p.begin(), p.end(), IsRepoPathChar)) return std::nullopt;
    if (!((p.front() >= 'a' && p.front() <= 'z') || (p.front() >= '0' && p.front() <= '9'))) return std::nullopt;
  }
  std::string path;
  for (std::string_view p : parts) path += (path.empty() ? "" : "/") + std::string(p);
  if (domain.empty() || domain == "index.docker.io" || domain == "registry-1.docker.io") {
    domain = "docker.io";
    if (parts.size() == 1) path = "library/" + path;
  }
  return ImageName{domain + "/" + path, std::string(parts.back()), tag};
}

std::string ImageDisplayName(const ScanResult& scan) {
  if (!scan.image.reference.empty()) return scan.image.reference;
  if (!scan.target.empty()) return scan.target;
  return "image";
}

std::string ImageVersion(const ScanResult& scan) {
  if (!scan.image.manifest_digest.empty()) return scan.image.manifest_digest.str();
  return scan.image.config_digest.str();
}

std::string ImagePurl(const ScanResult& scan) {
  if (scan.image.manifest_digest.empty()) return "";
  std::optional<ImageName> name;
  // A file, layout or directory reference names a path, not a repository;
  // their repo tags may (a layout's ref.name is often just a tag, "1.0",
  // which is why a tag must contain '/' or ':' to count).
  const std::string& kind = scan.image.source_kind;
  if (kind != "docker-archive" && kind != "oci-layout" && kind != "dir") name = ParseImageName(scan.image.reference);
  for (size_t i = 0; !name && i < scan.image.repo_tags.size(); ++i) {
    const std::string& t = scan.image.repo_tags[i];
    if (t.find_first_of("/:") != std::string::npos) name = ParseImageName(t);
  }
  if (!name) return "";
  std::vector<std::pair<std::string, std::string>> qualifiers;
  if (!scan.image.config.architecture.empty()) qualifiers.emplace_back("arch", scan.image.config.architecture);
  qualifiers.emplace_back("repository_url", name->repository_url);
  if (!name->tag.empty()) qualifiers.emplace_back("tag", name->tag);
  std::string out = "pkg:oci/" + PurlEncode(name->name) + "@" + PurlEncode(scan.image.manifest_digest.str());
  for (size_t i = 0; i < qualifiers.size(); ++i) {
    out += (i == 0 ? "?" : "&") + qualifiers[i].first + "=" + PurlEncode(qualifiers[i].second);
  }
  return out;
}

std::string TruncateUtf8(std::string_view s, size_t max) {
  if (s.size() <= max) return std::string(s);
  size_t cut = max;
  // Back up over continuation bytes (10xxxxxx) so no character is split.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "\u2026";
}

}  // namespace drydock::report
