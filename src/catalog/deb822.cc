#include "catalog/deb822.h"

#include <fmt/format.h>

namespace drydock {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool IsBlankLine(std::string_view line) {
  for (char c : line) {
    if (!IsBlank(c)) return false;
  }
  return true;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::string_view Deb822FirstLine(std::string_view value) { return TrimBlanks(value.substr(0, value.find('\n'))); }

std::string_view Deb822Stanza::Get(std::string_view name) const {
  for (const auto& f : fields) {
    if (EqualsIgnoreCase(f.name, name)) return Deb822FirstLine(f.value);
  }
  return {};
}

bool Deb822Stanza::Has(std::string_view name) const {
  for (const auto& f : fields) {
    if (EqualsIgnoreCase(f.name, name)) return true;
  }
  return false;
}

bool Deb822Reader::Next(Deb822Stanza& out) {
  out.fields.clear();
  out.error.clear();
  out.line = 0;
  bool started = false;   // saw a field, continuation or bad line of this stanza
  bool in_field = false;  // the last field can take continuation lines
  while (!rest_.empty()) {
    const size_t nl = rest_.find('\n');
    const std::string_view line = rest_.substr(0, nl);
    const char* const line_begin = rest_.data();
    rest_ = nl == std::string_view::npos ? std::string_view() : rest_.substr(nl + 1);
    ++line_;
    if (IsBlankLine(line)) {
      if (started) return true;
      continue;
    }
    if (!started) out.line = line_;
    started = true;
    if (line.front() == ' ' || line.front() == '\t') {
      if (!in_field) {
        if (out.error.empty()) out.error = fmt::format("line {}: continuation line without a field", line_);
        continue;
      }
      // Widen the last value to the end of this line (same buffer, so the
      // span covers the continuation lines in between).
      auto& v = out.fields.back().value;
      const char* end = line_begin + line.size();
      while (end > v.data() && end[-1] == '\r') --end;
      v = std::string_view(v.data(), static_cast<size_t>(end - v.data()));
      continue;
    }
    if (line.front() == '#') {
      in_field = false;
      continue;
    }
    const size_t colon = line.find(':');
    std::string_view name = colon == std::string_view::npos ? std::string_view() : line.substr(0, colon);
    if (name.empty() || name.find_first_of(" \t") != std::string_view::npos) {
      if (out.error.empty()) out.error = fmt::format("line {}: not a \"Name: value\" field", line_);
      in_field = false;
      continue;
    }
    if (out.fields.size() >= kMaxFields) {
      if (out.error.empty()) out.error = fmt::format("line {}: more than {} fields in one stanza", line_, kMaxFields);
      in_field = false;
      continue;
    }
    std::string_view value = line.substr(colon + 1);
    while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
    while (!value.empty() && value.back() == '\r') value.remove_suffix(1);
    // An empty first line still anchors the span for continuation lines.
    if (value.empty()) value = std::string_view(line.data() + line.size(), 0);
    out.fields.push_back({name, value});
    in_field = true;
  }
  return started;
}

}  // namespace drydock
