// The ignore file, as Trivy reads .trivyignore (pkg/result/ignore.go): one
// id per line, '#' comment lines, blank lines, and after the id an optional
// "exp:YYYY-MM-DD" from which on the line no longer applies. What drydock
// does differently (bad dates are errors, '#' after white space starts a
// comment, unknown tokens are warned about) is listed in docs/policy.md.
#include <fmt/format.h>

#include "base/path.h"
#include "policy/internal.h"

namespace drydock::policy {
namespace {

constexpr size_t kMaxWarningsPerFile = 20;

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Splits off a comment: a '#' at the start or after white space.
std::string_view SplitComment(std::string_view line, std::string_view& comment) {
  for (size_t i = 1; i < line.size(); ++i) {
    if (line[i] == '#' && IsSpace(line[i - 1])) {
      comment = TrimSpace(line.substr(i + 1));
      return TrimSpace(line.substr(0, i));
    }
  }
  return line;
}

class Warner {
 public:
  Warner(std::string_view name, std::vector<std::string>& out) : name_(name), out_(out) {}
  ~Warner() {
    if (dropped_ > 0) out_.push_back(fmt::format("{}: {} more warning(s) not shown", name_, dropped_));
  }
  void Add(std::string msg) {
    if (shown_ < kMaxWarningsPerFile) {
      out_.push_back(std::move(msg));
      ++shown_;
    } else {
      ++dropped_;
    }
  }

 private:
  std::string name_;
  std::vector<std::string>& out_;
  size_t shown_ = 0;
  size_t dropped_ = 0;
};

}  // namespace

Result<IgnoreFile> ParseIgnoreFile(std::string_view text, std::string_view name, Date today,
                                   std::vector<std::string>& warnings) {
  const std::string shown = Printable(name);
  if (text.size() > kMaxIgnoreFileBytes) {
    return InputError("{}: larger than {} MiB (an ignore file lists ids, one a line)", shown,
                      kMaxIgnoreFileBytes >> 20);
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // a BOM some editors write
  IgnoreFile out;
  out.name = std::string(name);
  Warner warn(shown, warnings);
  int line_no = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view raw = text.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (raw.size() > kMaxIgnoreLineBytes) {
      return InputError("{}:{}: line longer than {} KiB", shown, line_no, kMaxIgnoreLineBytes >> 10);
    }
    if (raw.find('\0') != std::string_view::npos) {
      return InputError("{}:{}: NUL byte (not a text file?)", shown, line_no);
    }
    if (!IsUtf8(raw)) return InputError("{}:{}: not UTF-8", shown, line_no);
    std::string_view line = TrimSpace(raw);
    if (line.empty() || line.front() == '#') continue;
    std::string_view comment;
    line = SplitComment(line, comment);
    IgnoreLine entry;
    entry.line = line_no;
    entry.comment = std::string(comment);
    size_t i = 0;
    bool first = true;
    while (i < line.size()) {
      while (i < line.size() && IsSpace(line[i])) ++i;
      size_t j = i;
      while (j < line.size() && !IsSpace(line[j])) ++j;
      if (j == i) break;
      const std::string_view token = line.substr(i, j - i);
      i = j;
      if (first) {
        entry.id = std::string(token);
        first = false;
      } else if (token.starts_with("exp:")) {
        if (entry.expires) return InputError("{}:{}: a second exp: on one line", shown, line_no);
        auto date = ParseDate(token.substr(4));
        if (!date.ok()) return InputError("{}:{}: exp: {}", shown, line_no, date.error().message);
        entry.expires = *date;
      } else {
        warn.Add(fmt::format("{}:{}: ignoring {:?} after the id (only exp:YYYY-MM-DD is understood)", shown, line_no,
                             Printable(token, 60)));
      }
    }
    if (entry.expires && today >= *entry.expires) {
      warn.Add(fmt::format("{}:{}: {} expired on {}; it no longer suppresses", shown, line_no, Printable(entry.id, 80),
                           entry.expires->str()));
      continue;
    }
    out.by_id[entry.id].push_back(out.lines.size());
    out.lines.push_back(std::move(entry));
  }
  return out;
}

}  // namespace drydock::policy
