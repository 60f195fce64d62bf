// The one way the HTML report writes markup (private to src/report). Tag
// names, attribute names and fixed markup are Literals, which only string
// literals can become; every other string (file names, labels, history,
// package names, evidence, advisory text) is written through EscapeHtml.
// So no text from an image can open a tag, close an attribute or start a
// script, whatever bytes it holds.
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace drydock::report {

// A string known when the program was compiled: markup this code wrote,
// never data. The constructor is consteval, so a std::string cannot
// convert to one.
class Literal {
 public:
  template <size_t N>
  consteval Literal(const char (&s)[N]) : s_(s, N - 1) {}  // NOLINT: implicit on purpose
  std::string_view view() const { return s_; }

 private:
  std::string_view s_;
};

// Text for an element's content or a quoted attribute value: Sanitize()d
// (one line; controls, bidi overrides and invalid UTF-8 as \xNN), then
// `&`, `<`, `>`, `"` and `'` as character references.
std::string EscapeHtml(std::string_view raw);

// An attribute: a literal name and a value that is escaped when written.
struct Attr {
  Literal name;
  std::string value;
};

// Appends markup to a string. Not thread-safe; one per document. A newline
// follows the tags that open or close a block (table rows, sections, …),
// so the document diffs line by line.
class HtmlWriter {
 public:
  // <tag name="value" …>
  void Open(Literal tag, std::initializer_list<Attr> attrs = {});
  // </tag>
  void Close(Literal tag);
  // Escaped text.
  void Text(std::string_view raw);
  // <tag …>escaped text</tag>
  void Element(Literal tag, std::string_view raw, std::initializer_list<Attr> attrs = {});
  // Fixed markup: the doctype, the report's own style sheet and script.
  void Markup(Literal markup) { out_ += markup.view(); }

  std::string Take() && { return std::move(out_); }

 private:
  void StartTag(Literal tag, std::initializer_list<Attr> attrs);

  std::string out_;
};

}  // namespace drydock::report
