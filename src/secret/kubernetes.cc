#include "secret/kubernetes.h"

#include <string>

namespace drydock::secret {

namespace {

struct Line {
  size_t begin = 0, end = 0;  // end excludes "\n" and a "\r" before it
  size_t next = 0;            // where the next line begins (text.size() at the end)
};

Line LineAt(std::string_view text, size_t p) {
  Line l;
  const size_t nl = p == 0 ? std::string_view::npos : text.rfind('\n', p - 1);
  l.begin = nl == std::string_view::npos ? 0 : nl + 1;
  const size_t le = text.find('\n', l.begin);
  l.end = le == std::string_view::npos ? text.size() : le;
  l.next = le == std::string_view::npos ? text.size() : le + 1;
  if (l.end > l.begin && text[l.end - 1] == '\r') --l.end;
  return l;
}

// Where a line's text starts, and where its mapping key starts: after the
// indentation and, for a list item, after "- ".
struct Shape {
  size_t indent = 0, key_col = 0;
  bool dash = false;
  bool blank = true;    // empty, blanks only, or a comment
  bool marker = false;  // "---" or "...": a document ends
};

Shape ShapeOf(std::string_view text, const Line& l) {
  const std::string_view s = text.substr(l.begin, l.end - l.begin);
  Shape sh;
  sh.marker = s.starts_with("---") || s.starts_with("...");
  size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  sh.indent = i;
  if (i < s.size() && s[i] == '-' && (i + 1 == s.size() || s[i + 1] == ' ' || s[i + 1] == '\t')) {
    sh.dash = true;
    ++i;
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  sh.key_col = i;
  sh.blank = i == s.size() || s[i] == '#';
  return sh;
}

// A mapping key at `from` on the line: the key text, and where its value
// starts (after ':' and blanks). False when the line is not `key:`.
bool KeyAt(std::string_view text, const Line& l, size_t from, std::string_view* key, size_t* value) {
  size_t i = l.begin + from;
  size_t kb = i, ke = i;
  if (i < l.end && (text[i] == '"' || text[i] == '\'')) {
    const size_t q = text.find(text[i], i + 1);
    if (q == std::string_view::npos || q >= l.end) return false;
    kb = i + 1;
    ke = q;
    i = q + 1;
  } else {
    while (i < l.end && text[i] != ':' && text[i] != ' ' && text[i] != '\t') ++i;
    ke = i;
  }
  if (ke == kb || i >= l.end || text[i] != ':') return false;
  ++i;
  if (i < l.end && text[i] != ' ' && text[i] != '\t') return false;  // "a:b" is a scalar, not a key
  while (i < l.end && (text[i] == ' ' || text[i] == '\t')) ++i;
  *key = text.substr(kb, ke - kb);
  *value = i;
  return true;
}

// The scalar at [at, l.end): its bytes, quotes excluded. `block` is set for
// a `|`/`>` indicator (the value is on the following lines).
bool ScalarAt(std::string_view text, const Line& l, size_t at, ManifestValue* v, bool* block) {
  *block = false;
  if (at >= l.end || text[at] == '#') return false;
  const char c = text[at];
  if (c == '|' || c == '>') {
    *block = true;
    return false;
  }
  if (c == '"' || c == '\'') {
    const size_t q = text.find(c, at + 1);
    if (q == std::string_view::npos || q >= l.end) return false;
    const std::string_view in = text.substr(at + 1, q - at - 1);
    if (c == '"' && in.find('\\') != std::string_view::npos) return false;
    if (c == '\'' && q + 1 < l.end && text[q + 1] == '\'') return false;  // '' inside: an escaped quote
    v->begin = at + 1;
    v->end = q;
    return q > at + 1;
  }
  // Plain: not an alias, anchor, tag, flow collection or reserved indicator.
  if (std::string_view("&*!%@`{[,]}").find(c) != std::string_view::npos) return false;
  size_t e = at;
  while (e < l.end && !((text[e] == ' ' || text[e] == '\t') && e + 1 < l.end && text[e + 1] == '#')) ++e;
  while (e > at && (text[e - 1] == ' ' || text[e - 1] == '\t')) --e;
  v->begin = at;
  v->end = e;
  return e > at;
}

}  // namespace

ManifestValues KubernetesSecretValues(std::string_view text, size_t at, bool string_data) {
  ManifestValues out;
  if (at > text.size()) return out;
  const Line kind_line = LineAt(text, at);
  out.read_to = kind_line.next;
  const Shape kind_shape = ShapeOf(text, kind_line);
  std::string_view key;
  size_t value = 0;
  if (kind_shape.blank || !KeyAt(text, kind_line, kind_shape.key_col, &key, &value) || key != "kind") return out;
  {
    ManifestValue v;
    bool block = false;
    if (!ScalarAt(text, kind_line, value, &v, &block) || text.substr(v.begin, v.end - v.begin) != "Secret") return out;
  }
  const size_t col = kind_shape.key_col;
  // The mapping's first line: back to a document marker, the "- " that
  // starts this list item, or a line indented less.
  size_t first = kind_line.begin;
  if (!kind_shape.dash) {
    for (size_t p = kind_line.begin; p > 0 && kind_line.begin - p < kMaxManifestBytes;) {
      const Line l = LineAt(text, p - 1);
      const Shape sh = ShapeOf(text, l);
      if (sh.marker) break;
      if (!sh.blank && sh.indent < col) {
        if (sh.dash && sh.key_col == col) first = l.begin;
        break;
      }
      first = l.begin;
      p = l.begin;
    }
  }
  // Forward to a marker, a line indented less, or the next "- " item.
  size_t last = kind_line.next;
  for (size_t p = kind_line.next; p < text.size() && p - kind_line.next < kMaxManifestBytes;) {
    const Line l = LineAt(text, p);
    const Shape sh = ShapeOf(text, l);
    if (sh.marker || (!sh.blank && sh.indent < col)) break;
    last = l.next;
    p = l.next;
  }
  out.read_to = last;
  const std::string_view want = string_data ? "stringData" : "data";
  for (size_t p = first; p < last;) {
    const Line l = LineAt(text, p);
    p = l.next;
    const Shape sh = ShapeOf(text, l);
    const bool key_line = !sh.blank && sh.key_col == col && (sh.dash ? l.begin == first : sh.indent == col);
    if (!key_line || !KeyAt(text, l, sh.key_col, &key, &value) || key != want) continue;
    if (value < l.end && text[value] != '#') continue;  // a flow map or a scalar: not read
    // The entries: lines indented alike, deeper than the key.
    size_t entry_indent = 0;
    while (p < last) {
      const Line e = LineAt(text, p);
      const Shape es = ShapeOf(text, e);
      if (es.blank) {
        p = e.next;
        continue;
      }
      if (es.indent <= col || es.dash) break;
      if (entry_indent == 0) entry_indent = es.indent;
      if (es.indent != entry_indent) break;  // malformed: stop reading this map
      p = e.next;
      bool block = false;
      ManifestValue v;
      const bool scalar = KeyAt(text, e, es.key_col, &key, &value) && ScalarAt(text, e, value, &v, &block);
      if (scalar) {
        out.values.push_back(v);
        continue;
      }
      if (!block) continue;
      // A block scalar: the deeper lines that follow.
      size_t vb = std::string_view::npos, ve = 0;
      while (p < last) {
        const Line b = LineAt(text, p);
        const Shape bs = ShapeOf(text, b);
        const bool empty = bs.key_col == b.end - b.begin;
        if (!empty && bs.indent <= entry_indent) break;
        if (!empty) {
          if (vb == std::string_view::npos) vb = b.begin + bs.indent;
          ve = b.end;
          while (ve > vb && (text[ve - 1] == ' ' || text[ve - 1] == '\t')) --ve;
        }
        p = b.next;
      }
      if (!string_data && vb != std::string_view::npos && ve > vb) out.values.push_back({vb, ve, true});
    }
  }
  return out;
}

}  // namespace drydock::secret
