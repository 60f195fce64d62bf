// The HTML writer (html_writer.h).
#include "report/html_writer.h"

#include <algorithm>
#include <array>
#include <span>

#include "report/text.h"

namespace drydock::report {
namespace {

// Where a newline keeps the document readable without changing what it
// shows: after both tags of a container, and after the end tag of a block
// or a cell.
constexpr std::array<std::string_view, 16> kContainers = {"body",   "details", "dl",   "footer", "form",    "head",
                                                          "header", "html",    "main", "meta",   "section", "table",
                                                          "tbody",  "thead",   "tr",   "ul"};
constexpr std::array<std::string_view, 13> kBlocks = {"dd", "div", "dt",      "h1", "h2", "h3",   "label",
                                                      "li", "p",   "summary", "td", "th", "title"};

bool In(std::string_view tag, std::span<const std::string_view> set) {
  return std::find(set.begin(), set.end(), tag) != set.end();
}

}  // namespace

std::string EscapeHtml(std::string_view raw) {
  const std::string s = Sanitize(raw);
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    if (const char* entity = MarkupEntity(ch, "&#39;")) {
      out += entity;
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

void HtmlWriter::StartTag(Literal tag, std::initializer_list<Attr> attrs) {
  out_ += '<';
  out_ += tag.view();
  for (const Attr& a : attrs) {
    out_ += ' ';
    out_ += a.name.view();
    out_ += "=\"";
    out_ += EscapeHtml(a.value);
    out_ += '"';
  }
  out_ += '>';
}

void HtmlWriter::Open(Literal tag, std::initializer_list<Attr> attrs) {
  StartTag(tag, attrs);
  if (In(tag.view(), kContainers)) out_ += '\n';
}

void HtmlWriter::Close(Literal tag) {
  out_ += "</";
  out_ += tag.view();
  out_ += '>';
  if (In(tag.view(), kContainers) || In(tag.view(), kBlocks)) out_ += '\n';
}

void HtmlWriter::Text(std::string_view raw) { out_ += EscapeHtml(raw); }

void HtmlWriter::Element(Literal tag, std::string_view raw, std::initializer_list<Attr> attrs) {
  StartTag(tag, attrs);
  Text(raw);
  Close(tag);
}

}  // namespace drydock::report
