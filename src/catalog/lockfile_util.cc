#include "catalog/lockfile_util.h"

#include "base/path.h"

namespace drydock::lang {

std::string_view NextLine(std::string_view& text) {
  const size_t nl = text.find('\n');
  std::string_view line = text.substr(0, nl);
  text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

std::string_view Trim(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

bool HasNul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

std::string_view StripQuotes(std::string_view s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front())
    return s.substr(1, s.size() - 2);
  return s;
}

std::pair<std::string, std::string> SplitScope(std::string_view full) {
  if (!full.empty() && full.front() == '@') {
    const size_t slash = full.find('/');
    if (slash != std::string_view::npos) {
      return {std::string(full.substr(0, slash)), std::string(full.substr(slash + 1))};
    }
  }
  return {std::string(), std::string(full)};
}

FileWants Wants(std::vector<std::string> basenames, std::vector<std::string> suffixes, int64_t max_size) {
  FileWants w;
  w.basenames = std::move(basenames);
  w.suffixes = std::move(suffixes);
  w.max_size = max_size;
  return w;
}

void MarkDev(Package& p, std::string_view ecosystem_key) {
  p.metadata[std::string(kScopeKey)] = kScopeDev;
  if (!ecosystem_key.empty()) p.metadata[std::string(ecosystem_key)] = "true";
}

void ClearDev(Package& p, std::string_view ecosystem_key) {
  p.metadata.erase(std::string(kScopeKey));
  if (!ecosystem_key.empty()) p.metadata.erase(std::string(ecosystem_key));
}

// --- TOML subset ------------------------------------------------------------

std::string_view TomlTable::Get(std::string_view key) const {
  for (const auto& [k, v] : fields) {
    if (k == key) return v;
  }
  return {};
}

namespace {

constexpr int kMaxTomlNesting = 32;
constexpr size_t kMaxTomlFields = 256;  // per table; lock tables have a handful

// A cursor over a TOML document that reads the constructs the lock files
// use. Every method either advances or returns an error; loops end at the
// end of the text.
class TomlReader {
 public:
  explicit TomlReader(std::string_view text) : s_(text) {}

  Result<std::vector<TomlTable>> Read(std::string_view name) {
    std::vector<TomlTable> out;
    bool in_wanted = false;
    while (true) {
      SkipBlank();
      if (AtEnd()) break;
      const char c = s_[pos_];
      if (c == '\n') {
        Newline();
        continue;
      }
      if (c == '#') {
        SkipComment();
        continue;
      }
      if (c == '[') {
        const bool array = Peek(1) == '[';
        pos_ += array ? 2 : 1;
        const size_t start = pos_;
        while (!AtEnd() && s_[pos_] != ']' && s_[pos_] != '\n') ++pos_;
        if (AtEnd() || s_[pos_] != ']' || (array && Peek(1) != ']')) return Err("unterminated table header");
        const std::string_view header = Trim(s_.substr(start, pos_ - start));
        pos_ += array ? 2 : 1;
        const int header_line = line_;
        RETURN_IF_ERROR(EndOfLine());
        in_wanted = array && header == name;
        if (in_wanted) {
          if (out.size() >= kMaxPackagesPerFile) return out;
          out.push_back(TomlTable{header_line, {}});
        }
        continue;
      }
      ASSIGN_OR_RETURN(std::string key, Key());
      SkipBlank();
      if (AtEnd() || s_[pos_] != '=') return Err("expected '=' after a key");
      ++pos_;
      SkipBlank();
      ASSIGN_OR_RETURN(std::string value, Value(0));
      RETURN_IF_ERROR(EndOfLine());
      if (in_wanted && out.back().fields.size() < kMaxTomlFields) {
        out.back().fields.emplace_back(std::move(key), std::move(value));
      }
    }
    return out;
  }

 private:
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek(size_t ahead) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  void Newline() {
    ++pos_;
    ++line_;
  }
  void SkipBlank() {
    while (!AtEnd() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r')) ++pos_;
  }
  void SkipComment() {
    while (!AtEnd() && s_[pos_] != '\n') ++pos_;
  }
  // Spaces, newlines and comments (inside arrays).
  void SkipSpaceAndComments() {
    while (!AtEnd()) {
      SkipBlank();
      if (AtEnd()) return;
      if (s_[pos_] == '\n') {
        Newline();
      } else if (s_[pos_] == '#') {
        SkipComment();
      } else {
        return;
      }
    }
  }
  Error Err(std::string_view what) const { return InputError("line {}: {}", line_, what); }

  Status EndOfLine() {
    SkipBlank();
    if (!AtEnd() && s_[pos_] == '#') SkipComment();
    if (AtEnd()) return Ok();
    if (s_[pos_] != '\n') return Err("unexpected text after a value");
    Newline();
    return Ok();
  }

  static bool BareKeyChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  }

  // A key, dotted parts joined with ".".
  Result<std::string> Key() {
    std::string key;
    while (true) {
      SkipBlank();
      if (AtEnd()) return Err("expected a key");
      const char c = s_[pos_];
      if (c == '"' || c == '\'') {
        ASSIGN_OR_RETURN(std::string part, String());
        key += part;
      } else {
        const size_t start = pos_;
        while (!AtEnd() && BareKeyChar(s_[pos_])) ++pos_;
        if (pos_ == start) return Err("expected a key");
        key += s_.substr(start, pos_ - start);
      }
      SkipBlank();
      if (AtEnd() || s_[pos_] != '.') return key;
      ++pos_;
      key.push_back('.');
    }
  }

  // A string of any of the four kinds, decoded; pos_ is at its opening quote.
  Result<std::string> String() {
    const char q = s_[pos_];
    const bool multi = Peek(1) == q && Peek(2) == q;
    pos_ += multi ? 3 : 1;
    if (multi && !AtEnd() && s_[pos_] == '\n') Newline();  // a newline right after the opening is trimmed
    std::string out;
    while (true) {
      if (AtEnd()) return Err("unterminated string");
      const char c = s_[pos_];
      if (c == q && (!multi || (Peek(1) == q && Peek(2) == q))) {
        pos_ += multi ? 3 : 1;
        // Up to two more quotes may end a multi-line string (`""""x"""""`).
        while (multi && !AtEnd() && s_[pos_] == q && out.size() < s_.size()) {
          out.push_back(q);
          ++pos_;
        }
        return out;
      }
      if (c == '\n') {
        if (!multi) return Err("newline in a string");
        out.push_back('\n');
        Newline();
        continue;
      }
      if (c == '\\' && q == '"') {
        const char e = Peek(1);
        pos_ += 2;
        switch (e) {
          case 'n':
            out.push_back('\n');
            break;
          case 't':
            out.push_back('\t');
            break;
          case 'r':
            out.push_back('\r');
            break;
          case '"':
          case '\\':
            out.push_back(e);
            break;
          case '\n':
            // Line-ending backslash in a multi-line string: the newline and
            // the whitespace after it vanish.
            if (!multi) return Err("newline in a string");
            ++line_;
            while (!AtEnd() && (s_[pos_] == ' ' || s_[pos_] == '\t' || s_[pos_] == '\r' || s_[pos_] == '\n')) {
              if (s_[pos_] == '\n') ++line_;
              ++pos_;
            }
            break;
          default:
            // \uXXXX, \UXXXXXXXX, \b, \f: kept as written; no name or
            // version in a lock file needs them decoded.
            out.push_back('\\');
            out.push_back(e);
            break;
        }
        continue;
      }
      out.push_back(c);
      ++pos_;
    }
  }

  // A value; strings decoded, anything else as its raw text.
  Result<std::string> Value(int depth) {
    if (depth > kMaxTomlNesting) return Err("arrays or inline tables nested too deep");
    if (AtEnd()) return Err("expected a value");
    const char c = s_[pos_];
    if (c == '"' || c == '\'') return String();
    if (c == '[' || c == '{') {
      const size_t start = pos_;
      const char close = c == '[' ? ']' : '}';
      ++pos_;
      while (true) {
        SkipSpaceAndComments();
        if (AtEnd()) return Err("unterminated array or inline table");
        if (s_[pos_] == close) {
          ++pos_;
          return std::string(s_.substr(start, pos_ - start));
        }
        if (s_[pos_] == ',') {
          ++pos_;
          continue;
        }
        if (close == '}') {
          ASSIGN_OR_RETURN(std::string k, Key());
          (void)k;
          SkipBlank();
          if (AtEnd() || s_[pos_] != '=') return Err("expected '=' in an inline table");
          ++pos_;
          SkipBlank();
        }
        const size_t before = pos_;
        ASSIGN_OR_RETURN(std::string v, Value(depth + 1));
        (void)v;
        if (pos_ == before) return Err("unexpected character in an array");
      }
    }
    const size_t start = pos_;
    while (!AtEnd()) {
      const char b = s_[pos_];
      if (b == ' ' || b == '\t' || b == '\r' || b == '\n' || b == ',' || b == ']' || b == '}' || b == '#') break;
      ++pos_;
    }
    if (pos_ == start) return Err("expected a value");
    return std::string(s_.substr(start, pos_ - start));
  }

  std::string_view s_;
  size_t pos_ = 0;
  int line_ = 1;
};

}  // namespace

Result<std::vector<TomlTable>> ReadTomlTables(std::string_view text, std::string_view name) {
  if (HasNul(text)) return InputError("binary data (NUL byte)");
  return TomlReader(text).Read(name);
}

// --- PackageSink -------------------------------------------------------------

PackageSink::PackageSink(const CapturedFile& file, std::string_view type, CatalogOutput& out)
    : file_(file), type_(type), out_(out) {}

PackageSink::~PackageSink() {
  if (capped_) {
    out_.Skip(file_.path, "more than " + std::to_string(kMaxPackagesPerFile) + " packages; the rest were not read");
  }
}

Package* PackageSink::Add(std::string namespace_, std::string name, std::string version, bool* added) {
  if (added != nullptr) *added = false;
  if (name.empty() || version.empty()) return nullptr;
  std::string key = namespace_ + '\0' + name + '\0' + version;
  if (auto it = seen_.find(key); it != seen_.end()) return &out_.packages[it->second];
  if (count_ >= kMaxPackagesPerFile) {
    capped_ = true;
    return nullptr;
  }
  ++count_;
  Package p;
  p.type = type_;
  p.namespace_ = std::move(namespace_);
  p.name = std::move(name);
  p.version = std::move(version);
  p.evidence.push_back(PackageEvidence{.path = std::string(file_.path), .layer_index = file_.layer});
  seen_.emplace(std::move(key), out_.packages.size());
  out_.packages.push_back(std::move(p));
  if (added != nullptr) *added = true;
  return &out_.packages.back();
}

}  // namespace drydock::lang
