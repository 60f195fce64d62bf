#include "catalog/deb_copyright.h"

#include <algorithm>
#include <utility>

#include "catalog/deb822.h"

namespace drydock {

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

bool Contains(std::string_view hay, std::string_view needle) { return hay.find(needle) != std::string_view::npos; }

// Debian short names (lower case) whose SPDX id is exactly the same license.
// The GNU families are handled by GnuToSpdx because of their "+" forms.
constexpr std::pair<std::string_view, std::string_view> kSpdx[] = {
    {"0bsd", "0BSD"},
    {"apache-1.0", "Apache-1.0"},
    {"apache-1.1", "Apache-1.1"},
    {"apache-2", "Apache-2.0"},
    {"apache-2.0", "Apache-2.0"},
    // Debian's "Artistic" is the Perl Artistic License (common-licenses/Artistic).
    {"artistic", "Artistic-1.0-Perl"},
    {"artistic-1.0", "Artistic-1.0"},
    {"artistic-2.0", "Artistic-2.0"},
    {"boost-1.0", "BSL-1.0"},
    {"bsl-1.0", "BSL-1.0"},
    {"bsd-2-clause", "BSD-2-Clause"},
    {"bsd-3-clause", "BSD-3-Clause"},
    {"bsd-4-clause", "BSD-4-Clause"},
    {"bzip2-1.0.6", "bzip2-1.0.6"},
    {"cc0-1.0", "CC0-1.0"},
    {"cc-by-3.0", "CC-BY-3.0"},
    {"cc-by-4.0", "CC-BY-4.0"},
    {"cc-by-sa-3.0", "CC-BY-SA-3.0"},
    {"cc-by-sa-4.0", "CC-BY-SA-4.0"},
    {"cddl-1.0", "CDDL-1.0"},
    {"curl", "curl"},
    {"epl-1.0", "EPL-1.0"},
    {"epl-2.0", "EPL-2.0"},
    {"expat", "MIT"},
    {"ftl", "FTL"},
    {"isc", "ISC"},
    {"libpng", "Libpng"},
    {"libpng-2.0", "libpng-2.0"},
    {"mit", "MIT"},
    {"mpl-1.0", "MPL-1.0"},
    {"mpl-1.1", "MPL-1.1"},
    {"mpl-2.0", "MPL-2.0"},
    {"ncsa", "NCSA"},
    {"ofl-1.1", "OFL-1.1"},
    {"openssl", "OpenSSL"},
    {"psf-2", "PSF-2.0"},
    {"python-2.0", "Python-2.0"},
    {"sleepycat", "Sleepycat"},
    {"unicode-dfs-2016", "Unicode-DFS-2016"},
    {"unlicense", "Unlicense"},
    {"w3c", "W3C"},
    {"wtfpl", "WTFPL"},
    {"x11", "X11"},
    {"zlib", "Zlib"},
    {"zpl-2.1", "ZPL-2.1"},
};

// "gpl-2+" → "GPL-2.0-or-later"; "" when `lower` is not a versioned GNU
// license name. Unversioned "GPL" stays as written: which version it means
// is unknown.
std::string GnuToSpdx(std::string_view lower) {
  struct Family {
    std::string_view prefix;
    std::string_view spdx;
    std::string_view versions[3];  // as SPDX spells them; "" unused
  };
  static constexpr Family kFamilies[] = {
      {"gpl-", "GPL-", {"1.0", "2.0", "3.0"}},
      {"lgpl-", "LGPL-", {"2.0", "2.1", "3.0"}},
      {"agpl-", "AGPL-", {"1.0", "3.0", ""}},
      {"gfdl-", "GFDL-", {"1.1", "1.2", "1.3"}},
  };
  for (const auto& f : kFamilies) {
    if (!lower.starts_with(f.prefix)) continue;
    std::string_view v = lower.substr(f.prefix.size());
    const bool later = v.ends_with('+');
    if (later) v.remove_suffix(1);
    std::string ver(v);
    if (ver.size() == 1) ver += ".0";  // "2" → "2.0"
    for (std::string_view known : f.versions) {
      if (!known.empty() && ver == known) return std::string(f.spdx) + ver + (later ? "-or-later" : "-only");
    }
    return {};
  }
  return {};
}

// Splits a DEP-5 License first line ("GPL-2+ or Artistic, and BSD-3-clause")
// into its license names; "with … exception" stays attached to its license.
void SplitLicenseExpression(std::string_view expr, std::vector<std::string>& out) {
  std::string cur;
  auto flush = [&] {
    if (!cur.empty() && cur.size() <= kMaxNameLength && out.size() < kMaxLicenses * 4) out.push_back(cur);
    cur.clear();
  };
  size_t i = 0;
  while (i < expr.size()) {
    while (i < expr.size() && (expr[i] == ' ' || expr[i] == '\t')) ++i;
    size_t j = i;
    while (j < expr.size() && expr[j] != ' ' && expr[j] != '\t') ++j;
    std::string_view word = expr.substr(i, j - i);
    i = j;
    if (word.empty()) break;
    const bool comma = word.ends_with(',');
    while (word.ends_with(',')) word.remove_suffix(1);
    const std::string lw = Lower(word);
    if (lw == "or" || lw == "and" || lw == "and/or" || lw == "|" || lw == "&" || lw.empty()) {
      flush();
      continue;
    }
    if (!cur.empty()) cur.push_back(' ');
    cur.append(word);
    if (comma) flush();
  }
  flush();
}

// Names of the files under /usr/share/common-licenses/ that `text` points to.
void CommonLicenseMentions(std::string_view text, std::vector<std::string>& out) {
  static constexpr std::string_view kDir = "/usr/share/common-licenses/";
  size_t at = 0;
  while ((at = text.find(kDir, at)) != std::string_view::npos) {
    at += kDir.size();
    size_t end = at;
    while (end < text.size() && end - at <= kMaxNameLength) {
      const char c = text[end];
      const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '-' || c == '_' || c == '+';
      if (!ok) break;
      ++end;
    }
    std::string_view name = text.substr(at, end - at);
    while (name.ends_with('.')) name.remove_suffix(1);  // end of a sentence
    const std::string lower = Lower(name);
    // The unversioned names are symlinks to the newest version: which
    // version the package means is unknown.
    if (name.empty() || lower == "gpl" || lower == "lgpl" || lower == "gfdl") continue;
    if (out.size() < kMaxLicenses && name.size() <= kMaxNameLength) out.emplace_back(name);
  }
}

}  // namespace

std::string DebianLicenseToSpdx(std::string_view name) {
  const std::string lower = Lower(name);
  if (std::string gnu = GnuToSpdx(lower); !gnu.empty()) return gnu;
  std::string_view base = lower;
  const bool later = base.ends_with('+');
  if (later) base.remove_suffix(1);
  for (const auto& [debian, spdx] : kSpdx) {
    // SPDX's own "+" operator keeps "or later" for the other families.
    if (debian == base) return std::string(spdx) + (later ? "+" : "");
  }
  return std::string(name);
}

bool IsMachineReadableCopyright(std::string_view text) {
  Deb822Reader reader(text);
  Deb822Stanza header;
  if (!reader.Next(header)) return false;
  std::string_view format = header.Get("Format");
  if (format.empty()) format = header.Get("Format-Specification");
  const std::string lower = Lower(format);
  return Contains(lower, "copyright-format/1.0") || Contains(lower, "dep5") || Contains(lower, "dep-5");
}

std::vector<std::string> DebianCopyrightLicenses(std::string_view text) {
  std::vector<std::string> names;
  if (IsMachineReadableCopyright(text)) {
    Deb822Reader reader(text);
    Deb822Stanza stanza;
    while (reader.Next(stanza)) {
      for (const auto& f : stanza.fields) {
        if (!EqualsIgnoreCase(f.name, "License")) continue;
        std::vector<std::string> parts;
        SplitLicenseExpression(Deb822FirstLine(f.value), parts);
        for (auto& p : parts) {
          // Multi-word names ("GPL-2+ with OpenSSL exception", "public
          // domain") have no single SPDX id: kept as written.
          names.push_back(p.find(' ') == std::string::npos ? DebianLicenseToSpdx(p) : std::move(p));
        }
      }
      if (names.size() > kMaxLicenses * 4) break;
    }
  } else {
    CommonLicenseMentions(text, names);
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  if (names.size() > kMaxLicenses) names.resize(kMaxLicenses);
  return names;
}

}  // namespace drydock
