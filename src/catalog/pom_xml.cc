#include "catalog/pom_xml.h"

#include <string>
#include <string_view>
#include <vector>

namespace drydock {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view TrimXml(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Appends the UTF-8 encoding of `cp`; false for a code point XML forbids.
bool AppendUtf8(std::string& out, unsigned long cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
  return true;
}

// Appends character data with its references decoded; false on an unknown
// or malformed reference.
bool AppendText(std::string& out, std::string_view raw) {
  size_t i = 0;
  while (i < raw.size()) {
    const size_t amp = raw.find('&', i);
    out.append(raw.substr(i, amp == std::string_view::npos ? std::string_view::npos : amp - i));
    if (amp == std::string_view::npos) break;
    const size_t semi = raw.find(';', amp);
    if (semi == std::string_view::npos || semi - amp > 12) return false;
    const std::string_view ref = raw.substr(amp + 1, semi - amp - 1);
    if (ref == "lt") {
      out.push_back('<');
    } else if (ref == "gt") {
      out.push_back('>');
    } else if (ref == "amp") {
      out.push_back('&');
    } else if (ref == "quot") {
      out.push_back('"');
    } else if (ref == "apos") {
      out.push_back('\'');
    } else if (ref.size() >= 2 && ref[0] == '#') {
      const bool hex = ref[1] == 'x';
      const std::string_view digits = ref.substr(hex ? 2 : 1);
      if (digits.empty()) return false;
      unsigned long cp = 0;
      for (char c : digits) {
        int d = -1;
        if (c >= '0' && c <= '9') d = c - '0';
        if (hex && c >= 'a' && c <= 'f') d = c - 'a' + 10;
        if (hex && c >= 'A' && c <= 'F') d = c - 'A' + 10;
        if (d < 0) return false;
        cp = cp * (hex ? 16 : 10) + static_cast<unsigned long>(d);
        if (cp > 0x10FFFF) return false;
      }
      if (!AppendUtf8(out, cp)) return false;
    } else {
      return false;
    }
    i = semi + 1;
  }
  return true;
}

// The local part of a qualified name ("m:version" → "version").
std::string_view LocalName(std::string_view qname) {
  const size_t colon = qname.find(':');
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// Visits every element's text when the element closes: path from the root
// (local names), and the decoded text directly inside it (kept only up to
// kMaxPomText bytes; longer text is cut). `open` is called when an element
// starts, so callers can begin a record.
template <typename Open, typename Close>
Status WalkXml(std::string_view xml, Open&& open, Close&& close) {
  std::vector<std::string> path;
  std::vector<std::string> text;  // per open element
  bool root_seen = false;
  size_t i = 0;
  if (xml.starts_with("\xEF\xBB\xBF")) i = 3;
  while (i < xml.size()) {
    const size_t lt = xml.find('<', i);
    const std::string_view chars = xml.substr(i, lt == std::string_view::npos ? std::string_view::npos : lt - i);
    if (!path.empty()) {
      if (text.back().size() < kMaxPomText && !AppendText(text.back(), chars)) {
        return InputError("offset {}: malformed character reference", i);
      }
    } else if (!TrimXml(chars).empty()) {
      return InputError("offset {}: text outside the root element", i);
    }
    if (lt == std::string_view::npos) break;
    i = lt;
    const std::string_view rest = xml.substr(i);
    if (rest.starts_with("<!--")) {
      const size_t end = xml.find("-->", i + 4);
      if (end == std::string_view::npos) return InputError("offset {}: unterminated comment", i);
      i = end + 3;
    } else if (rest.starts_with("<![CDATA[")) {
      const size_t end = xml.find("]]>", i + 9);
      if (end == std::string_view::npos) return InputError("offset {}: unterminated CDATA section", i);
      if (path.empty()) return InputError("offset {}: CDATA outside the root element", i);
      if (text.back().size() < kMaxPomText) text.back().append(xml.substr(i + 9, end - i - 9));
      i = end + 3;
    } else if (rest.starts_with("<?")) {
      const size_t end = xml.find("?>", i + 2);
      if (end == std::string_view::npos) return InputError("offset {}: unterminated processing instruction", i);
      i = end + 2;
    } else if (rest.starts_with("<!")) {
      // A DOCTYPE; an internal subset could declare entities, which are
      // not expanded here, so it is refused.
      const size_t end = xml.find('>', i);
      if (end == std::string_view::npos) return InputError("offset {}: unterminated declaration", i);
      if (xml.substr(i, end - i).find('[') != std::string_view::npos) {
        return InputError("offset {}: DOCTYPE with an internal subset", i);
      }
      i = end + 1;
    } else {
      // A start or end tag; attribute values may hold '>' only quoted.
      size_t j = i + 1;
      char quote = 0;
      while (j < xml.size() && (quote != 0 || xml[j] != '>')) {
        if (quote != 0 && xml[j] == quote) {
          quote = 0;
        } else if (quote == 0 && (xml[j] == '"' || xml[j] == '\'')) {
          quote = xml[j];
        } else if (quote == 0 && xml[j] == '<') {
          return InputError("offset {}: '<' inside a tag", j);
        }
        ++j;
      }
      if (j >= xml.size()) return InputError("offset {}: unterminated tag", i);
      std::string_view tag = xml.substr(i + 1, j - i - 1);
      i = j + 1;
      if (tag.starts_with('/')) {
        const std::string_view name = LocalName(TrimXml(tag.substr(1)));
        if (path.empty() || path.back() != name) return InputError("offset {}: mismatched end tag", j);
        close(path, std::string_view(text.back()));
        path.pop_back();
        text.pop_back();
        continue;
      }
      const bool empty = tag.ends_with('/');
      if (empty) tag.remove_suffix(1);
      size_t n = 0;
      while (n < tag.size() && !IsSpace(tag[n])) ++n;
      const std::string_view name = LocalName(tag.substr(0, n));
      if (name.empty()) return InputError("offset {}: tag without a name", j);
      if (path.empty()) {
        if (root_seen) return InputError("offset {}: a second root element", j);
        root_seen = true;
      }
      if (path.size() >= static_cast<size_t>(kMaxPomDepth)) {
        return InputError("offset {}: elements nested deeper than {}", j, kMaxPomDepth);
      }
      path.emplace_back(name);
      text.emplace_back();
      open(path);
      if (empty) {
        close(path, std::string_view());
        path.pop_back();
        text.pop_back();
      }
    }
  }
  if (!path.empty()) return InputError("unexpected end of document inside <{}>", path.back());
  if (!root_seen) return InputError("no root element");
  return Ok();
}

}  // namespace

bool HasReference(std::string_view s) { return s.find("${") != std::string_view::npos; }

std::string PomProject::Interpolate(std::string_view s) const {
  std::string cur(s);
  for (int round = 0; round < 8 && HasReference(cur); ++round) {
    std::string next;
    bool changed = false;
    size_t i = 0;
    while (i < cur.size()) {
      const size_t start = cur.find("${", i);
      const size_t end = start == std::string::npos ? std::string::npos : cur.find('}', start + 2);
      if (start == std::string::npos || end == std::string::npos) {
        next.append(cur, i, std::string::npos);
        break;
      }
      next.append(cur, i, start - i);
      const std::string key = cur.substr(start + 2, end - start - 2);
      std::string value;
      bool found = true;
      if (key == "project.groupId" || key == "pom.groupId" || key == "groupId") {
        value = Group();
      } else if (key == "project.artifactId" || key == "pom.artifactId" || key == "artifactId") {
        value = artifact;
      } else if (key == "project.version" || key == "pom.version" || key == "version") {
        value = Version();
      } else if (key == "project.parent.groupId" || key == "parent.groupId") {
        value = parent_group;
      } else if (key == "project.parent.version" || key == "parent.version") {
        value = parent_version;
      } else if (auto it = properties.find(key); it != properties.end()) {
        value = it->second;
      } else {
        found = false;
      }
      if (found && !value.empty() && next.size() + value.size() <= kMaxPomText) {
        next += value;
        changed = true;
      } else {
        next.append(cur, start, end - start + 1);
      }
      i = end + 1;
    }
    cur = std::move(next);
    if (!changed) break;
  }
  return cur;
}

Result<PomProject> ParsePom(std::string_view xml) {
  if (xml.find('\0') != std::string_view::npos) return InputError("binary data (NUL byte)");
  PomProject pom;
  bool root_ok = true;
  size_t dependency_count = 0, managed_count = 0;  // opened so far, kept or not
  auto open = [&](const std::vector<std::string>& path) {
    if (path.size() == 1 && path[0] != "project") root_ok = false;
    if (path.size() == 3 && path[1] == "dependencies" && path[2] == "dependency") {
      if (pom.dependencies.size() < kMaxPomDependencies) pom.dependencies.emplace_back();
      ++dependency_count;
    }
    if (path.size() == 4 && path[1] == "dependencyManagement" && path[2] == "dependencies" && path[3] == "dependency") {
      if (pom.managed.size() < kMaxPomDependencies) pom.managed.emplace_back();
      ++managed_count;
    }
  };
  auto close = [&](const std::vector<std::string>& path, std::string_view raw) {
    const std::string_view v = TrimXml(raw);
    if (path.size() == 2) {
      const std::string& k = path[1];
      if (k == "groupId") pom.group = v;
      if (k == "artifactId") pom.artifact = v;
      if (k == "version") pom.version = v;
      if (k == "packaging") pom.packaging = v;
    } else if (path.size() == 3 && path[1] == "parent") {
      if (path[2] == "groupId") pom.parent_group = v;
      if (path[2] == "artifactId") pom.parent_artifact = v;
      if (path[2] == "version") pom.parent_version = v;
    } else if (path.size() == 3 && path[1] == "properties") {
      if (pom.properties.size() < kMaxPomProperties) pom.properties[path[2]] = std::string(v);
    } else if (path.size() == 4 && path[1] == "dependencies" && path[2] == "dependency" &&
               dependency_count <= kMaxPomDependencies && !pom.dependencies.empty()) {
      PomDependency& d = pom.dependencies.back();
      if (path[3] == "groupId") d.group = v;
      if (path[3] == "artifactId") d.artifact = v;
      if (path[3] == "version") d.version = v;
      if (path[3] == "scope") d.scope = v;
      if (path[3] == "optional") d.optional = v == "true";
    } else if (path.size() == 5 && path[1] == "dependencyManagement" && path[2] == "dependencies" &&
               path[3] == "dependency" && managed_count <= kMaxPomDependencies && !pom.managed.empty()) {
      PomDependency& d = pom.managed.back();
      if (path[4] == "groupId") d.group = v;
      if (path[4] == "artifactId") d.artifact = v;
      if (path[4] == "version") d.version = v;
      if (path[4] == "scope") d.scope = v;
    }
  };
  RETURN_IF_ERROR(WalkXml(xml, open, close));
  if (!root_ok) return InputError("the root element is not <project>");
  return pom;
}

}  // namespace drydock
