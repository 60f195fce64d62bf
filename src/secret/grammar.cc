#include "secret/grammar.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <iterator>

namespace drydock::secret {

namespace {

constexpr std::string_view kBase62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

std::string Range(char a, char b) {
  std::string out;
  for (int c = a; c <= b; ++c) out += static_cast<char>(c);
  return out;
}

std::optional<std::string> NamedClass(std::string_view name) {
  const std::string up = Range('A', 'Z'), low = Range('a', 'z'), dig = Range('0', '9');
  if (name == "alnum") return up + low + dig;
  if (name == "alpha") return up + low;
  if (name == "upper") return up;
  if (name == "lower") return low;
  if (name == "digit") return dig;
  if (name == "hex") return dig + "abcdef";
  if (name == "HEX") return dig + "ABCDEF";
  if (name == "hexi") return dig + "abcdefABCDEF";
  if (name == "ualnum") return up + dig;
  if (name == "lalnum") return low + dig;
  if (name == "b64") return up + low + dig + "+/";
  if (name == "b64url") return up + low + dig + "_-";
  if (name == "b32") return low + "234567";
  if (name == "bech32") return "QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L";
  return std::nullopt;
}

// "[A-Za-z0-9_-]" → its characters; a '-' first or last is itself.
std::optional<std::string> BracketClass(std::string_view body) {
  std::string out;
  for (size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c == '\\' && i + 1 < body.size()) {
      c = body[++i];
      out += c == 's' ? ' ' : c;
      continue;
    }
    if (i + 2 < body.size() && body[i + 1] == '-') {
      const char e = body[i + 2];
      if (e < c) return std::nullopt;
      out += Range(c, e);
      i += 2;
      continue;
    }
    out += c;
  }
  std::string dedup;
  for (char c : out) {
    if (dedup.find(c) == std::string::npos) dedup += c;
  }
  if (dedup.empty()) return std::nullopt;
  return dedup;
}

std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 's' ? ' ' : c == 'n' ? '\n' : c == 't' ? '\t' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

bool Fail(std::string* error, std::string why) {
  if (error) *error = std::move(why);
  return false;
}

const std::array<uint32_t, 256>& CrcTable() {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  return table;
}

constexpr std::string_view kBase64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

// Printable bytes a decoded base64{} part is made of: secrets in
// Kubernetes manifests are mostly text.
constexpr std::string_view kPlainChars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789!#%&*+-./:=?@^_~";

std::string Pick(const Grammar::Random& next, std::string_view chars, size_t n) {
  std::string out;
  for (size_t i = 0; i < n; ++i) out += chars[next() % chars.size()];
  return out;
}

std::string Base64Url(std::string_view in) {
  std::string out = Base64Encode(in);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

std::string Base64UrlDecode(std::string_view in) {
  std::string s(in);
  for (char& c : s) c = c == '-' ? '+' : c == '_' ? '/' : c;
  return Base64Decode(s);
}

// A JSON Web Token as jwt64 generates it: a JWS header naming "alg", a
// claims set, a signature. `complete` false leaves the signature segment off
// (no longer a token).
std::string MakeJwt(const Grammar::Random& next, bool complete) {
  static constexpr std::string_view kAlgs[] = {"HS256", "HS512", "RS256", "ES256", "PS384", "EdDSA"};
  const std::string alg(kAlgs[next() % std::size(kAlgs)]);
  const std::string alnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string header;
  switch (next() % 3) {
    case 0:
      header = R"({"alg":")" + alg + R"(","typ":"JWT"})";
      break;
    case 1:
      header = R"({"typ":"JWT","alg":")" + alg + R"(","kid":")" + Pick(next, alnum, 8 + next() % 16) + "\"}";
      break;
    default:
      header = R"({"kid":")" + Pick(next, alnum, 10) + R"(","alg":")" + alg + "\"}";
      break;
  }
  const std::string payload = R"({"sub":")" + Pick(next, alnum, 6 + next() % 12) + R"(","iat":)" +
                              Pick(next, "0123456789", 10) + R"(,"exp":)" + Pick(next, "0123456789", 10) + "}";
  std::string jwt = Base64Url(header) + "." + Base64Url(payload);
  if (complete)
    jwt += "." + Pick(next, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", 43 + next() % 44);
  return jwt;
}

// The run of base64 characters at the start of `rest`, with up to two '='.
size_t Base64Run(std::string_view rest) {
  size_t n = 0;
  while (n < rest.size() && kBase64.find(rest[n]) != std::string_view::npos) ++n;
  for (size_t pad = 0; pad < 2 && n < rest.size() && rest[n] == '='; ++pad) ++n;
  return n;
}

}  // namespace

std::string Base64Encode(std::string_view in) {
  std::string out;
  size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8) | uint8_t(in[i + 2]);
    for (int s = 18; s >= 0; s -= 6) out += kBase64[(v >> s) & 63];
  }
  if (i + 1 == in.size()) {
    const uint32_t v = uint32_t(uint8_t(in[i])) << 16;
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const uint32_t v = (uint32_t(uint8_t(in[i])) << 16) | (uint32_t(uint8_t(in[i + 1])) << 8);
    out += kBase64[(v >> 18) & 63];
    out += kBase64[(v >> 12) & 63];
    out += kBase64[(v >> 6) & 63];
    out += '=';
  }
  return out;
}

std::string Base64Decode(std::string_view in) {
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const size_t v = kBase64.find(c);
    if (v == std::string_view::npos) break;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}

bool Base64Canonical(std::string_view s) {
  return !s.empty() && s.size() % 4 == 0 && Base64Encode(Base64Decode(s)) == s;
}

const std::string_view kJwtIoExample =
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ."
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";

bool IsJwt(std::string_view text) {
  std::vector<std::string_view> parts;
  for (size_t at = 0;;) {
    const size_t dot = text.find('.', at);
    parts.push_back(text.substr(at, dot == std::string_view::npos ? std::string_view::npos : dot - at));
    if (dot == std::string_view::npos || parts.size() > 5) break;
    at = dot + 1;
  }
  if (parts.size() != 3 && parts.size() != 5) return false;
  for (std::string_view p : parts) {
    if (!std::all_of(p.begin(), p.end(),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; })) {
      return false;
    }
  }
  // The header is a JSON object naming its algorithm ("alg" is required in
  // JWS and JWE alike); a JWS carries a JSON claims set, a JWE ciphertext.
  const std::string header = Base64UrlDecode(parts[0]);
  if (!header.starts_with("{\"") || !header.ends_with("}") || header.find("\"alg\"") == std::string::npos) return false;
  if (parts.size() == 3) return parts[1].starts_with("eyJ") && Base64UrlDecode(parts[1]).ends_with("}");
  return !parts[3].empty();
}

uint32_t Crc32(std::string_view data, uint32_t crc) {
  const auto& t = CrcTable();
  crc = ~crc;
  for (unsigned char b : data) crc = t[(crc ^ b) & 0xff] ^ (crc >> 8);
  return ~crc;
}

std::string Base62Checksum(uint32_t crc) {
  std::string out(6, '0');
  uint64_t v = crc;
  for (size_t i = 6; i-- > 0 && v > 0;) {
    out[i] = kBase62[v % 62];
    v /= 62;
  }
  return out;
}

namespace {

// The repeat "{n}" or "{n,m}" whose '{' is text[open]: sets item.min and
// item.max. Returns the index of its '}', npos when there is none, 0 when
// the numbers are not a repeat (not numbers, or m < n).
size_t ParseRepeat(std::string_view text, size_t open, Grammar::Item& item) {
  const size_t close = text.find('}', open);
  if (close == std::string_view::npos) return close;
  const std::string rep(text.substr(open + 1, close - open - 1));
  const size_t comma = rep.find(',');
  try {
    item.min = std::stoul(rep.substr(0, comma));
    item.max = comma == std::string::npos ? item.min : std::stoul(rep.substr(comma + 1));
  } catch (...) {
    return 0;
  }
  return item.max < item.min ? 0 : close;
}

}  // namespace

std::optional<Grammar> Grammar::Parse(std::string_view text, std::string* error) {
  Grammar g;
  size_t i = 0;
  auto bad = [&](std::string why) -> std::optional<Grammar> {
    Fail(error, why + " at offset " + std::to_string(i));
    return std::nullopt;
  };
  while (i < text.size()) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    if (text[i] == '@') {
      size_t e = text.find(' ', i);
      if (e == std::string_view::npos) e = text.size();
      const std::string_view d = text.substr(i + 1, e - i - 1);
      const size_t eq = d.find('=');
      const std::string_view name = d.substr(0, eq);
      const std::string value = eq == std::string_view::npos ? "" : Unescape(d.substr(eq + 1));
      if (name == "key") {
        g.key_ = value;
      } else if (name == "pre") {
        g.pre_ = value;
      } else if (name == "post") {
        g.post_ = value;
      } else if (name == "path") {
        g.path_ = value;
      } else if (name == "only") {
        std::string_view v = value;
        while (!v.empty()) {
          const size_t c = v.find(',');
          g.only_.emplace_back(v.substr(0, c));
          if (c == std::string_view::npos) break;
          v.remove_prefix(c + 1);
        }
      } else if (name == "bare") {
        g.bare_ = true;
      } else if (name == "file") {
        g.file_ = true;
      } else {
        return bad("unknown directive @" + std::string(name));
      }
      i = e;
      continue;
    }
    Item item;
    if (text[i] == '\'') {
      item.kind = Item::kLiteral;
      for (;;) {
        std::string lit;
        ++i;
        for (;;) {
          if (i >= text.size()) return bad("unterminated literal");
          if (text[i] == '\'') {
            if (i + 1 < text.size() && text[i + 1] == '\'') {
              lit += '\'';
              i += 2;
              continue;
            }
            break;
          }
          lit += text[i++];
        }
        ++i;
        item.literals.push_back(Unescape(lit));
        if (i < text.size() && text[i] == '|' && i + 1 < text.size() && text[i + 1] == '\'') {
          ++i;
          continue;
        }
        break;
      }
      g.items_.push_back(std::move(item));
      continue;
    }
    if (text.substr(i).starts_with("userpass64")) {
      item.kind = Item::kUserPass64;
      g.items_.push_back(std::move(item));
      i += 10;
      continue;
    }
    if (text.substr(i).starts_with("jwt64")) {
      item.kind = Item::kJwt64;
      item.chars = std::string(kBase64) + "=";
      g.decodes_ = true;
      g.items_.push_back(std::move(item));
      i += 5;
      continue;
    }
    if (text.substr(i).starts_with("base64{")) {
      const size_t close = ParseRepeat(text, i + 6, item);
      if (close == std::string_view::npos) return bad("unterminated repeat");
      if (close == 0 || item.min == 0) return bad("bad repeat");
      item.kind = Item::kBase64;
      item.chars = std::string(kBase64) + "=";
      g.decodes_ = true;
      g.items_.push_back(std::move(item));
      i = close + 1;
      continue;
    }
    if (text.substr(i).starts_with("crc32b62")) {
      item.kind = Item::kCrc32B62;
      g.has_checksum_ = true;
      g.items_.push_back(std::move(item));
      i += 8;
      continue;
    }
    item.kind = Item::kClass;
    std::optional<std::string> chars;
    if (text[i] == '[') {
      size_t e = i + 1;
      while (e < text.size() && text[e] != ']') e += text[e] == '\\' ? 2 : 1;
      if (e >= text.size()) return bad("unterminated class");
      chars = BracketClass(text.substr(i + 1, e - i - 1));
      i = e + 1;
    } else {
      size_t e = i;
      while (e < text.size() && std::isalnum(static_cast<unsigned char>(text[e]))) ++e;
      const std::string_view name = text.substr(i, e - i);
      if (name == "uuid") {
        // 8-4-4-4-12 lower-case hex: expanded into its parts.
        const size_t lens[] = {8, 4, 4, 4, 12};
        for (size_t k = 0; k < 5; ++k) {
          if (k > 0) g.items_.push_back(Item{Item::kLiteral, {"-"}, "", 0, 0});
          g.items_.push_back(Item{Item::kClass, {}, *NamedClass("hex"), lens[k], lens[k]});
        }
        i = e;
        continue;
      }
      chars = NamedClass(name);
      if (!chars) return bad("unknown class " + std::string(name));
      i = e;
    }
    if (!chars) return bad("bad class");
    item.chars = *chars;
    if (i >= text.size() || text[i] != '{') return bad("a class needs {n} or {n,m}");
    const size_t close = ParseRepeat(text, i, item);
    if (close == std::string_view::npos) return bad("unterminated repeat");
    if (close == 0 || item.max == 0) return bad("bad repeat");
    i = close + 1;
    g.items_.push_back(std::move(item));
  }
  if (g.items_.empty() && !g.file_) {
    Fail(error, "empty grammar");
    return std::nullopt;
  }
  return g;
}

bool Grammar::Match(size_t item, std::string_view rest, uint32_t crc, bool crc_started) const {
  if (item == items_.size()) return rest.empty();
  const Item& it = items_[item];
  switch (it.kind) {
    case Item::kLiteral:
      for (const auto& l : it.literals) {
        if (rest.starts_with(l) && Match(item + 1, rest.substr(l.size()), crc, crc_started)) return true;
      }
      return false;
    case Item::kUserPass64: {
      size_t n = 0;
      while (n < rest.size() &&
             (std::isalnum(static_cast<unsigned char>(rest[n])) || rest[n] == '+' || rest[n] == '/')) {
        ++n;
      }
      const std::string_view body = rest.substr(0, n);
      while (n < rest.size() && rest[n] == '=' && n - body.size() < 2) ++n;
      const std::string plain = Base64Decode(body);
      const size_t colon = plain.find(':');
      if (colon == std::string::npos || colon == 0 || colon + 1 >= plain.size()) return false;
      return Match(item + 1, rest.substr(n), crc, crc_started);
    }
    case Item::kBase64: {
      const size_t n = Base64Run(rest);
      const std::string_view body = rest.substr(0, n);
      if (!Base64Canonical(body)) return false;
      const size_t plain = body.size() / 4 * 3 - static_cast<size_t>(std::count(body.begin(), body.end(), '='));
      return plain >= it.min && plain <= it.max && Match(item + 1, rest.substr(n), crc, crc_started);
    }
    case Item::kJwt64: {
      const size_t n = Base64Run(rest);
      const std::string_view body = rest.substr(0, n);
      const std::string plain = Base64Decode(body);
      // Padding is optional, the encoding is not: unpadded, the text is the
      // canonical encoding without its '='.
      std::string again = Base64Encode(plain);
      if (body.find('=') == std::string_view::npos) {
        while (!again.empty() && again.back() == '=') again.pop_back();
      }
      return again == body && IsJwt(plain) && Match(item + 1, rest.substr(n), crc, crc_started);
    }
    case Item::kCrc32B62:
      return rest.size() >= 6 && rest.substr(0, 6) == Base62Checksum(crc) && Match(item + 1, rest.substr(6), crc, true);
    case Item::kClass: {
      size_t n = 0;
      while (n < it.max && n < rest.size() && it.chars.find(rest[n]) != std::string::npos) ++n;
      if (n < it.min) return false;
      // Longest first, as a greedy regex would.
      for (size_t k = n + 1; k-- > it.min;) {
        const uint32_t c = has_checksum_ ? Crc32(rest.substr(0, k), crc) : 0;
        if (Match(item + 1, rest.substr(k), c, crc_started)) return true;
      }
      return false;
    }
  }
  return false;
}

bool Grammar::Accepts(std::string_view value) const { return Match(0, value, 0, false); }

std::string Grammar::Gen(const Random& next, bool minimal, size_t short_part, std::vector<Part>* parts) const {
  std::string out;
  uint32_t crc = 0;
  for (size_t k = 0; k < items_.size(); ++k) {
    const Item& it = items_[k];
    const size_t begin = out.size();
    if (it.kind == Item::kLiteral) {
      out += it.literals[next() % it.literals.size()];
    } else if (it.kind == Item::kCrc32B62) {
      out += Base62Checksum(crc);
    } else if (it.kind == Item::kBase64) {
      // Log-uniform lengths: short values as often as long ones.
      size_t n = it.min;
      if (!minimal) {
        const double lo = std::log2(static_cast<double>(it.min)), hi = std::log2(static_cast<double>(it.max) + 1);
        const double x = lo + (hi - lo) * static_cast<double>(next() % 1000000) / 1e6;
        n = std::clamp(static_cast<size_t>(std::exp2(x)), it.min, it.max);
      }
      std::string enc = Base64Encode(Pick(next, kPlainChars, n));
      if (k == short_part) enc.erase(enc.find_last_not_of('='), 1);
      out += enc;
    } else if (it.kind == Item::kJwt64) {
      std::string enc = Base64Encode(MakeJwt(next, k != short_part));
      if (next() % 4 == 0) {
        while (!enc.empty() && enc.back() == '=') enc.pop_back();
      }
      out += enc;
    } else if (it.kind == Item::kUserPass64) {
      std::string user, pass;
      const std::string alnum = *NamedClass("alnum");
      for (size_t c = 4 + next() % 7; c > 0; --c) user += alnum[next() % alnum.size()];
      for (size_t c = 10 + next() % 11; c > 0; --c) pass += alnum[next() % alnum.size()];
      out += Base64Encode(user + ":" + pass);
    } else {
      size_t n = minimal ? it.min : it.min + static_cast<size_t>(next() % (it.max - it.min + 1));
      if (k == short_part) n = it.min - 1;
      std::string part;
      for (size_t c = 0; c < n; ++c) part += it.chars[next() % it.chars.size()];
      crc = Crc32(part, crc);
      out += part;
    }
    if (parts) parts->push_back({k, begin, out.size() - begin});
  }
  return out;
}

std::string Grammar::Generate(const Random& next) const { return Gen(next, false, SIZE_MAX, nullptr); }

std::string Grammar::OneShort(const Random& next) const {
  std::vector<size_t> shortable;
  for (size_t k = 0; k < items_.size(); ++k) {
    const Item::Kind kind = items_[k].kind;
    if ((kind == Item::kClass || kind == Item::kBase64 || kind == Item::kJwt64) && items_[k].min > 0) {
      shortable.push_back(k);
    }
  }
  if (shortable.empty()) return Gen(next, true, SIZE_MAX, nullptr);
  return Gen(next, true, shortable[next() % shortable.size()], nullptr);
}

std::string Grammar::WrongAlphabet(const Random& next) const {
  std::vector<Part> parts;
  std::string t = Gen(next, true, SIZE_MAX, &parts);
  const Part* best = nullptr;
  for (const Part& p : parts) {
    const Item::Kind kind = items_[p.item].kind;
    if ((kind == Item::kClass || kind == Item::kBase64 || kind == Item::kJwt64) && (!best || p.len > best->len)) {
      best = &p;
    }
  }
  if (best == nullptr || best->len < 3) return t;
  const std::string& chars = items_[best->item].chars;
  std::string foreign;
  for (char c : std::string_view("!#%&*+,-./:=?@^_|~$")) {
    if (chars.find(c) == std::string::npos) foreign += c;
  }
  for (char c = '0'; c <= 'z'; ++c) {
    if (std::isalnum(static_cast<unsigned char>(c)) && chars.find(c) == std::string::npos) foreign += c;
  }
  if (foreign.empty()) return t;
  t[best->begin + best->len / 2] = foreign[next() % foreign.size()];
  return t;
}

std::string Grammar::Placeholder(const Random& next, int variant) const {
  std::vector<Part> parts;
  std::string t = Gen(next, false, SIZE_MAX, &parts);
  // Back to front: a jwt64 placeholder is not as long as the token it replaces.
  for (auto part = parts.rbegin(); part != parts.rend(); ++part) {
    const Part& p = *part;
    const Item& it = items_[p.item];
    if (it.kind == Item::kBase64) {
      // The plain text is the placeholder; the part stays as long.
      const size_t n = Base64Decode(std::string_view(t).substr(p.begin, p.len)).size();
      std::string plain(n, 'x');
      if (variant == 1 && n >= 7) plain = Pick(next, kPlainChars, n - 7) + "EXAMPLE";
      t.replace(p.begin, p.len, Base64Encode(plain));
      continue;
    }
    if (it.kind == Item::kJwt64) {
      std::string jwt(kJwtIoExample);
      if (variant == 1) jwt = jwt.substr(0, jwt.rfind('.') + 1) + std::string(43, 'x');
      t.replace(p.begin, p.len, Base64Encode(jwt));
      continue;
    }
    if (it.kind != Item::kClass) continue;
    auto has = [&](std::string_view s) {
      return std::all_of(s.begin(), s.end(), [&](char c) { return it.chars.find(c) != std::string::npos; });
    };
    std::string fill;
    if (variant == 0) {
      const char* seq = has("x") ? "x" : has("X") ? "X" : nullptr;
      if (seq) {
        fill.assign(p.len, *seq);
      } else {
        std::string digits;
        while (digits.size() < p.len) digits += "0123456789";
        fill = digits.substr(0, p.len);
      }
    } else {
      const std::string_view word = has("EXAMPLE") ? "EXAMPLE" : has("example") ? "example" : "0123456";
      fill = t.substr(p.begin, p.len);
      if (p.len >= word.size() && has(word)) fill.replace(p.len - word.size(), word.size(), word);
    }
    if (has(fill)) t.replace(p.begin, p.len, fill);
  }
  if (has_checksum_) {
    // A placeholder with a valid checksum: what is tested is the
    // placeholder filter, not the checksum.
    uint32_t crc = 0;
    for (const Part& p : parts) {
      const Item& it = items_[p.item];
      if (it.kind == Item::kClass) crc = Crc32(std::string_view(t).substr(p.begin, p.len), crc);
      if (it.kind == Item::kCrc32B62) t.replace(p.begin, 6, Base62Checksum(crc));
    }
  }
  return t;
}

}  // namespace drydock::secret
