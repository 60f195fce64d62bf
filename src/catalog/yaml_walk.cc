#include "catalog/yaml_walk.h"

#include <istream>
#include <streambuf>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace drydock::lang {

// --- yaml-cpp events ----------------------------------------------------------

namespace {

// A read-only streambuf over borrowed bytes, so yaml-cpp reads the captured
// file in place instead of a copy.
class ViewBuf final : public std::streambuf {
 public:
  explicit ViewBuf(std::string_view s) {
    char* p = const_cast<char*>(s.data());  // only read: no put area is set
    setg(p, p, p + s.size());
  }
};

// Thrown from the handler to stop the parse; caught in WalkYaml.
struct YamlStop {
  std::string why;
};

class WalkHandler final : public YAML::EventHandler {
 public:
  WalkHandler(int max_depth, const YamlVisitor& visit) : max_depth_(max_depth), visit_(visit) {}

  void OnDocumentStart(const YAML::Mark&) override {}
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override { Node(YamlKind::kNull, kEmpty); }
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override { Node(YamlKind::kNull, kEmpty); }
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string& value) override {
    Node(YamlKind::kScalar, value);
  }
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    Open(YamlKind::kSequence);
  }
  void OnSequenceEnd() override { Close(); }
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    Open(YamlKind::kMap);
  }
  void OnMapEnd() override { Close(); }

 private:
  struct Frame {
    bool is_map = false;
    bool want_key = true;      // maps: the next node is a key
    bool is_key = false;       // this collection is a map key, or such a key's value (ignored)
    bool key_ignored = false;  // maps: the pending value belongs to an ignored key
    bool pushed_path = false;
    bool hides = false;  // counted in hidden_depth_
    std::string key;     // maps: the key whose value comes next
  };
  static inline const std::string kEmpty;

  // True when every enclosing collection is a map reached as a value.
  bool Reportable() const { return hidden_depth_ == 0; }

  void Node(YamlKind kind, const std::string& value) {
    if (frames_.empty()) return;  // a scalar document
    Frame& top = frames_.back();
    if (!top.is_map) return;
    if (top.want_key) {
      top.key = kind == YamlKind::kScalar ? value : std::string();
      top.want_key = false;
      return;
    }
    top.want_key = true;
    if (top.key_ignored) {
      top.key_ignored = false;
      return;
    }
    if (Reportable()) {
      path_.push_back(top.key);
      visit_(path_, kind, value);
      path_.pop_back();
    }
  }

  void Open(YamlKind kind) {
    if (static_cast<int>(frames_.size()) >= max_depth_) throw YamlStop{"nested deeper than the limit"};
    Frame f;
    f.is_map = kind == YamlKind::kMap;
    if (!frames_.empty()) {
      Frame& top = frames_.back();
      if (top.is_map && top.want_key) {
        // A collection used as a key: ignored, and so is its value's key.
        f.is_key = true;
        top.want_key = false;
        top.key_ignored = true;
      } else if (top.is_map && top.key_ignored) {
        // The value of a collection key: hidden like the key.
        f.is_key = true;
        top.want_key = true;
        top.key_ignored = false;
      } else if (top.is_map) {
        top.want_key = true;
        if (Reportable()) {
          path_.push_back(top.key);
          visit_(path_, kind, kEmpty);
          f.pushed_path = true;
        }
      }
    }
    // Entries below a sequence or a key collection are not reported; a
    // map inside a sequence is covered by the sequence's count.
    f.hides = !f.is_map || f.is_key;
    if (f.hides) ++hidden_depth_;
    frames_.push_back(std::move(f));
  }

  void Close() {
    if (frames_.empty()) return;
    const Frame& f = frames_.back();
    if (f.hides) --hidden_depth_;
    if (f.pushed_path) path_.pop_back();
    frames_.pop_back();
  }

  int max_depth_;
  const YamlVisitor& visit_;
  std::vector<Frame> frames_;
  std::vector<std::string> path_;
  int hidden_depth_ = 0;
};

}  // namespace

Status WalkYamlCpp(std::string_view text, int max_depth, const YamlVisitor& visit) {
  if (text.find('\0') != std::string_view::npos) return InputError("binary data (NUL byte)");
  ViewBuf buf(text);
  std::istream in(&buf);
  WalkHandler handler(max_depth, visit);
  try {
    YAML::Parser parser(in);
    parser.HandleNextDocument(handler);
  } catch (const YamlStop& stop) {
    return InputError("YAML: {}", stop.why);
  } catch (const YAML::Exception& e) {
    return InputError("YAML: line {}: {}", e.mark.line + 1, e.msg);
  } catch (const std::exception& e) {
    return InputError("YAML: {}", e.what());
  }
  return Ok();
}

// --- the block-style line reader ------------------------------------------------

namespace {

bool IsNullPlain(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// Characters that give a plain scalar's first character another meaning.
bool IsIndicator(char c) { return std::string_view("-?:,[]{}#&*!|>'\"%@`").find(c) != std::string_view::npos; }

// Walks a document in the block style lock-file tools write, or says it
// cannot (Run returns false) as soon as it meets anything else; it is run
// once without a visitor to decide, then once with it.
class BlockReader {
 public:
  BlockReader(std::string_view text, int max_depth, const YamlVisitor* visit)
      : text_(text), max_depth_(max_depth), visit_(visit) {}

  bool Run() {
    if (!PlainBytes()) return false;
    std::string_view text = text_;
    bool seen_content = false;
    while (!text.empty()) {
      const size_t nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      size_t indent = 0;
      while (indent < line.size() && line[indent] == ' ') ++indent;
      const std::string_view rest = line.substr(indent);
      if (rest.empty() || rest.front() == '#') continue;
      if (indent == 0 && (rest.starts_with("---") || rest.starts_with("..."))) {
        if (rest.size() > 3 && rest[3] != ' ') return false;
        if (!IsBlankOrComment(rest.substr(3))) return false;
        if (rest.starts_with("...") || seen_content) break;  // the first document ends
        continue;
      }
      seen_content = true;
      if (rest.front() == '-' && (rest.size() == 1 || rest[1] == ' ')) return false;  // block sequences
      if (has_pending_) {
        has_pending_ = false;
        if (indent > pending_indent_) {
          if (static_cast<int>(indents_.size()) + 1 > max_depth_) return false;
          Report(YamlKind::kMap, pending_key_, kEmpty);
          path_.push_back(std::move(pending_key_));
          indents_.push_back(indent);
        } else {
          Report(YamlKind::kNull, pending_key_, kEmpty);
        }
      }
      if (indents_.empty()) {
        if (max_depth_ < 1) return false;
        indents_.push_back(indent);
      } else {
        while (indents_.size() > 1 && indents_.back() > indent) {
          indents_.pop_back();
          path_.pop_back();
        }
        if (indents_.back() != indent) return false;
      }
      std::string key;
      size_t pos = 0;
      if (!BlockKey(rest, key, pos)) return false;
      std::string_view value = rest.substr(pos);
      while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
      if (value.empty() || value.front() == '#') {
        has_pending_ = true;
        pending_key_ = std::move(key);
        pending_indent_ = indent;
        continue;
      }
      if (!BlockValue(key, value)) return false;
    }
    if (has_pending_) Report(YamlKind::kNull, pending_key_, kEmpty);
    return true;
  }

 private:
  static inline const std::string kEmpty;

  // Only printable text: no tabs, no control characters, CR only before
  // LF, and no byte-order mark or other encoding (yaml-cpp sniffs those).
  bool PlainBytes() const {
    if (!text_.empty() && static_cast<unsigned char>(text_.front()) >= 0x80) return false;
    for (size_t i = 0; i < text_.size(); ++i) {
      const auto c = static_cast<unsigned char>(text_[i]);
      if (c >= 0x20 || c == '\n') continue;
      if (c == '\r' && i + 1 < text_.size() && text_[i + 1] == '\n') continue;
      return false;
    }
    return true;
  }

  static bool IsBlankOrComment(std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    return s.empty() || s.front() == '#';
  }

  void Report(YamlKind kind, const std::string& key, const std::string& value) {
    if (visit_ == nullptr) return;
    path_.push_back(key);
    (*visit_)(path_, kind, value);
    path_.pop_back();
  }

  // A single- or double-quoted scalar that ends on this line; s[p] is the
  // quote. Double-quoted escapes beyond the common ones are left to yaml-cpp.
  static bool Quoted(std::string_view s, size_t& p, std::string& out) {
    const char q = s[p++];
    while (p < s.size()) {
      const char c = s[p];
      if (c == q) {
        if (q == '\'' && p + 1 < s.size() && s[p + 1] == '\'') {
          out.push_back('\'');
          p += 2;
          continue;
        }
        ++p;
        return true;
      }
      if (c == '\\' && q == '"') {
        if (p + 1 >= s.size()) return false;
        switch (s[p + 1]) {
          case '"':
          case '\\':
          case '/':
            out.push_back(s[p + 1]);
            break;
          case 'n':
            out.push_back('\n');
            break;
          case 't':
            out.push_back('\t');
            break;
          default:
            return false;
        }
        p += 2;
        continue;
      }
      out.push_back(c);
      ++p;
    }
    return false;  // continues on the next line
  }

  // "key:" or "key: value" at the start of `rest`; `pos` is set past the ':'.
  static bool BlockKey(std::string_view rest, std::string& key, size_t& pos) {
    size_t p = 0;
    if (rest.front() == '"' || rest.front() == '\'') {
      if (!Quoted(rest, p, key)) return false;
      if (p >= rest.size() || rest[p] != ':') return false;
      ++p;
    } else {
      if (IsIndicator(rest.front())) return false;
      size_t colon = rest.find(':');
      while (colon != std::string_view::npos && colon + 1 < rest.size() && rest[colon + 1] != ' ') {
        colon = rest.find(':', colon + 1);
      }
      if (colon == std::string_view::npos) return false;
      std::string_view k = rest.substr(0, colon);
      if (k.find(" #") != std::string_view::npos) return false;
      while (!k.empty() && k.back() == ' ') k.remove_suffix(1);
      if (k.empty()) return false;
      if (!IsNullPlain(k)) key = k;  // a null key ("~:") reads as "", as WalkYamlCpp reports it
      p = colon + 1;
    }
    if (p < rest.size() && rest[p] != ' ') return false;
    pos = p;
    return true;
  }

  // The value after "key: " on the same line.
  bool BlockValue(const std::string& key, std::string_view value) {
    const char c = value.front();
    size_t p = 0;
    if (c == '"' || c == '\'') {
      std::string s;
      if (!Quoted(value, p, s) || !IsBlankOrComment(value.substr(p)) || (p < value.size() && value[p] != ' ')) {
        return false;
      }
      Report(YamlKind::kScalar, key, s);
      return true;
    }
    if (c == '{' || c == '[') {
      if (static_cast<int>(indents_.size()) + 1 > max_depth_) return false;
      Report(c == '{' ? YamlKind::kMap : YamlKind::kSequence, key, kEmpty);
      path_.push_back(key);
      const bool ok = Flow(value, p, static_cast<int>(indents_.size()) + 1, true);
      path_.pop_back();
      return ok && (p == value.size() || (value[p] == ' ' && IsBlankOrComment(value.substr(p))));
    }
    if (IsIndicator(c)) return false;
    const size_t hash = value.find(" #");
    std::string_view plain = value.substr(0, hash);
    while (!plain.empty() && plain.back() == ' ') plain.remove_suffix(1);
    if (plain.find(": ") != std::string_view::npos || plain.back() == ':') return false;
    if (IsNullPlain(plain)) {
      Report(YamlKind::kNull, key, kEmpty);
    } else {
      Report(YamlKind::kScalar, key, std::string(plain));
    }
    return true;
  }

  // A plain scalar inside a flow collection: up to ',', a bracket, or ':'
  // (which must then be followed by a space: a key's end).
  static bool FlowPlain(std::string_view s, size_t& p, std::string& out) {
    if (p >= s.size() || IsIndicator(s[p])) return false;
    const size_t start = p;
    while (p < s.size()) {
      const char c = s[p];
      if (c == ',' || c == '[' || c == ']' || c == '{' || c == '}') break;
      if (c == ':' && (p + 1 >= s.size() || s[p + 1] == ' ' ||
                       std::string_view(",[]{}").find(s[p + 1]) != std::string_view::npos)) {
        break;
      }
      if (c == '#' && s[p - 1] == ' ') return false;
      if (c == '?') return false;  // yaml-cpp ends a flow plain scalar at '?'
      ++p;
    }
    std::string_view v = s.substr(start, p - start);
    while (!v.empty() && v.back() == ' ') v.remove_suffix(1);
    if (v.empty()) return false;
    out = v;
    return true;
  }

  // A flow collection that closes on this line; s[p] is '{' or '['.
  // `depth` counts the collections open, this one included.
  bool Flow(std::string_view s, size_t& p, int depth, bool report) {
    const bool is_map = s[p] == '{';
    const char close = is_map ? '}' : ']';
    ++p;
    auto skip = [&] {
      while (p < s.size() && s[p] == ' ') ++p;
    };
    for (bool first = true;; first = false) {
      skip();
      if (p >= s.size()) return false;
      if (s[p] == close) {
        ++p;
        return true;
      }
      if (!first) {
        if (s[p] != ',') return false;
        ++p;
        skip();
        if (p >= s.size() || s[p] == close || s[p] == ',') return false;
      }
      std::string key;
      if (is_map) {
        if (s[p] == '"' || s[p] == '\'') {
          if (!Quoted(s, p, key)) return false;
        } else if (!FlowPlain(s, p, key)) {
          return false;
        } else if (IsNullPlain(key)) {
          key.clear();
        }
        if (p + 1 >= s.size() || s[p] != ':' || s[p + 1] != ' ') return false;
        p += 2;
        skip();
        if (p >= s.size()) return false;
      }
      const bool report_entry = report && is_map;
      if (s[p] == '{' || s[p] == '[') {
        if (depth + 1 > max_depth_) return false;
        if (report_entry) Report(s[p] == '{' ? YamlKind::kMap : YamlKind::kSequence, key, kEmpty);
        if (report_entry) path_.push_back(key);
        const bool ok = Flow(s, p, depth + 1, report_entry);
        if (report_entry) path_.pop_back();
        if (!ok) return false;
        continue;
      }
      std::string value;
      bool quoted = false;
      if (s[p] == '"' || s[p] == '\'') {
        if (!Quoted(s, p, value)) return false;
        quoted = true;
      } else if (!FlowPlain(s, p, value)) {
        return false;
      }
      if (p < s.size() && s[p] == ':') return false;  // "[a: 1]": a pair in a sequence
      if (report_entry) {
        const bool null = !quoted && IsNullPlain(value);
        Report(null ? YamlKind::kNull : YamlKind::kScalar, key, null ? kEmpty : value);
      }
    }
  }

  std::string_view text_;
  int max_depth_;
  const YamlVisitor* visit_;
  std::vector<size_t> indents_;    // indent of each open block map, root first
  std::vector<std::string> path_;  // keys leading to the open maps below the root
  bool has_pending_ = false;       // a "key:" whose value is on the next lines
  std::string pending_key_;
  size_t pending_indent_ = 0;
};

}  // namespace

bool WalkBlockYaml(std::string_view text, int max_depth, const YamlVisitor& visit) {
  if (!BlockReader(text, max_depth, nullptr).Run()) return false;
  return BlockReader(text, max_depth, &visit).Run();
}

namespace {

// True when `line` holds something besides blanks and a comment.
bool HasContent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
  return i < line.size() && line[i] != '#';
}

// "---" or "..." alone or followed by a blank.
bool IsMarker(std::string_view line, std::string_view marker) {
  return line.starts_with(marker) && (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

}  // namespace

std::vector<std::string_view> SplitYamlDocuments(std::string_view text, size_t max_docs) {
  std::vector<std::string_view> docs;
  size_t start = 0;
  bool content = false;
  size_t pos = 0;
  while (pos < text.size() && docs.size() + 1 < max_docs) {
    const size_t nl = text.find('\n', pos);
    const size_t next = nl == std::string_view::npos ? text.size() : nl + 1;
    const std::string_view line = text.substr(pos, next - pos - (nl == std::string_view::npos ? 0 : 1));
    if (IsMarker(line, "---")) {
      if (content) docs.push_back(text.substr(start, pos - start));
      start = pos;
      content = HasContent(line.substr(3));
    } else if (IsMarker(line, "...")) {
      if (content) docs.push_back(text.substr(start, next - start));
      start = next;
      content = false;
    } else if (HasContent(line)) {
      content = true;
    }
    pos = next;
  }
  if (pos < text.size()) {
    content = true;  // the cap was reached: the rest is one piece
  }
  if (content && start < text.size()) docs.push_back(text.substr(start));
  return docs;
}

Status WalkYaml(std::string_view text, int max_depth, const YamlVisitor& visit) {
  if (text.find('\0') != std::string_view::npos) return InputError("binary data (NUL byte)");
  if (WalkBlockYaml(text, max_depth, visit)) return Ok();
  return WalkYamlCpp(text, max_depth, visit);
}

}  // namespace drydock::lang
