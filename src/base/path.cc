#include "base/path.h"

#include <vector>

#include <fmt/format.h>

namespace drydock {

std::string CleanPath(std::string_view name) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= name.size()) {
    size_t j = name.find('/', i);
    if (j == std::string_view::npos) j = name.size();
    std::string_view part = name.substr(i, j - i);
    // A NUL ends a C string: what tar tools see stops there too.
    if (size_t nul = part.find('\0'); nul != std::string_view::npos) {
      part = part.substr(0, nul);
      j = name.size();
    }
    if (part.empty() || part == ".") {
      // skip
    } else if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out;
  if (parts.empty()) return "/";
  for (auto p : parts) {
    out.push_back('/');
    out.append(p);
  }
  return out;
}

std::string JoinPath(std::string_view dir, std::string_view rel) {
  if (!rel.empty() && rel.front() == '/') return CleanPath(rel);
  std::string s(dir);
  s.push_back('/');
  s.append(rel);
  return CleanPath(s);
}

std::string_view Dirname(std::string_view clean) {
  size_t k = clean.rfind('/');
  if (k == std::string_view::npos || k == 0) return "/";
  return clean.substr(0, k);
}

std::string_view Basename(std::string_view clean) {
  size_t k = clean.rfind('/');
  return k == std::string_view::npos ? clean : clean.substr(k + 1);
}

namespace {
bool GlobMatchImpl(std::string_view p, std::string_view s, int depth) {
  if (depth > 64) return false;  // patterns are ours, but stay bounded
  while (!p.empty()) {
    if (p.substr(0, 2) == "**") {
      std::string_view rest = p.substr(2);
      if (!rest.empty() && rest.front() == '/') rest.remove_prefix(1);
      if (rest.empty()) return true;
      // '**/' may match zero or more whole components.
      for (size_t k = 0; k <= s.size(); ++k) {
        if ((k == 0 || s[k - 1] == '/') && GlobMatchImpl(rest, s.substr(k), depth + 1)) return true;
      }
      return false;
    }
    if (p.front() == '*') {
      std::string_view rest = p.substr(1);
      for (size_t k = 0; k <= s.size(); ++k) {
        if (GlobMatchImpl(rest, s.substr(k), depth + 1)) return true;
        if (k < s.size() && s[k] == '/') break;
      }
      return false;
    }
    if (s.empty()) return false;
    if (p.front() != '?' && p.front() != s.front()) return false;
    if (p.front() == '?' && s.front() == '/') return false;
    p.remove_prefix(1);
    s.remove_prefix(1);
  }
  return s.empty();
}
}  // namespace

bool GlobMatch(std::string_view pattern, std::string_view path) { return GlobMatchImpl(pattern, path, 0); }

std::string Printable(std::string_view s, size_t max) {
  std::string out;
  for (size_t i = 0; i < s.size() && out.size() < max; ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '\\') {
      out.push_back(static_cast<char>(c));
    } else if (c == '\\') {
      out += "\\\\";
    } else {
      out += fmt::format("\\x{:02x}", c);
    }
  }
  if (out.size() >= max) out += "…";
  return out;
}

}  // namespace drydock
