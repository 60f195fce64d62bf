// Debian security tracker data: the DSA/DLA/DTSA `list` text files
// (data/DSA/list …) and the tracker's JSON export.
//
// list format, one advisory per header line, then tab-indented lines:
//   [29 Mar 2023] DSA-5380-1 xorg-server - security update
//   	{CVE-2023-1393 CVE-2023-1394}
//   	[bullseye] - xorg-server 2:1.20.11-1+deb11u6
//   	[buster] - foo <not-affected> (Vulnerable code not present)
//   	NOTE: free text
#include <algorithm>
#include <map>

#include "vuln/feed/common.h"
#include "vuln/feed/importers.h"

namespace drydock {
using importer::Get;
using importer::Str;

std::string DebianReleaseVersion(std::string_view codename) {
  static const std::pair<const char*, const char*> kReleases[] = {
      {"buzz", "1.1"},    {"rex", "1.2"},     {"bo", "1.3"},    {"hamm", "2.0"},  {"slink", "2.1"},
      {"potato", "2.2"},  {"woody", "3.0"},   {"sarge", "3.1"}, {"etch", "4"},    {"lenny", "5"},
      {"squeeze", "6"},   {"wheezy", "7"},    {"jessie", "8"},  {"stretch", "9"}, {"buster", "10"},
      {"bullseye", "11"}, {"bookworm", "12"}, {"trixie", "13"}, {"forky", "14"},  {"duke", "15"},
  };
  if (!codename.empty() && std::all_of(codename.begin(), codename.end(), [](char c) {
        return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
      })) {
    return std::string(codename);
  }
  for (const auto& [name, version] : kReleases) {
    if (codename == name) return version;
  }
  return "";
}

namespace {

// "<not-affected>" etc. to drydock's status words.
std::string ListStatus(std::string_view tag) {
  if (tag == "<not-affected>") return "not_affected";
  if (tag == "<unfixed>" || tag == "<undetermined>") return "affected";
  if (tag == "<end-of-life>") return "end_of_life";
  if (tag == "<no-dsa>" || tag == "<ignored>" || tag == "<postponed>") return "will_not_fix";
  return "";
}

std::string UrgencySeverity(std::string_view u) {
  if (u.find("high") != std::string_view::npos) return "HIGH";
  if (u.find("medium") != std::string_view::npos) return "MEDIUM";
  if (u.find("low") != std::string_view::npos || u.find("unimportant") != std::string_view::npos) return "LOW";
  return "";
}

std::vector<std::string> Words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i]))) ++i;
    size_t e = i;
    while (e < s.size() && !std::isspace(static_cast<unsigned char>(s[e]))) ++e;
    if (e > i) out.emplace_back(s.substr(i, e - i));
    i = e;
  }
  return out;
}

}  // namespace

Result<std::vector<Advisory>> ParseDebianList(std::string_view bytes, std::string_view source,
                                              std::vector<std::string>& warnings) {
  if (bytes.find('\0') != std::string_view::npos) return InputError("debian list: NUL byte");
  std::vector<Advisory> out;
  Advisory* cur = nullptr;
  size_t pos = 0;
  int lineno = 0;
  int headers = 0;
  while (pos < bytes.size()) {
    size_t nl = bytes.find('\n', pos);
    std::string_view line = bytes.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? bytes.size() : nl + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line[0] == '[') {
      // Header: "[29 Mar 2023] DSA-5380-1 xorg-server - security update"
      size_t close = line.find(']');
      if (close == std::string_view::npos) {
        warnings.push_back(fmt::format("line {}: header without ']'", lineno));
        cur = nullptr;
        continue;
      }
      const std::string date = importer::Trim(line.substr(1, close - 1));
      std::string rest = importer::Trim(line.substr(close + 1));
      auto words = Words(rest);
      if (words.empty()) {
        warnings.push_back(fmt::format("line {}: header without an advisory id", lineno));
        cur = nullptr;
        continue;
      }
      Advisory a;
      a.source = std::string(source);
      a.id = words[0];
      a.published = date;
      const size_t dash = rest.find(" - ");
      const std::string packages = importer::Trim(
          rest.substr(words[0].size(), dash == std::string::npos ? std::string::npos : dash - words[0].size()));
      const std::string what = dash == std::string::npos ? "" : importer::Trim(rest.substr(dash + 3));
      a.title = importer::Truncate(packages + (what.empty() ? "" : " - " + what), 512);
      a.references.push_back("https://security-tracker.debian.org/tracker/" + a.id);
      out.push_back(std::move(a));
      cur = &out.back();
      ++headers;
      continue;
    }
    const std::string body = importer::Trim(line);
    if (cur == nullptr) continue;  // lines before the first header
    if (body.empty() || body.rfind("NOTE:", 0) == 0 || body[0] == '#') continue;
    if (body[0] == '{') {
      size_t end = body.find('}');
      for (auto& w : Words(std::string_view(body).substr(1, end == std::string::npos ? std::string::npos : end - 1))) {
        cur->aliases.push_back(std::move(w));
      }
      continue;
    }
    // "[bullseye] - pkg version-or-<tag> (note)" or, in old entries, "- pkg version".
    std::string release;
    std::string_view rest = body;
    if (rest[0] == '[') {
      size_t close = rest.find(']');
      if (close == std::string_view::npos) {
        warnings.push_back(fmt::format("line {}: release without ']'", lineno));
        continue;
      }
      release = importer::Trim(rest.substr(1, close - 1));
      rest = rest.substr(close + 1);
    }
    auto words = Words(rest);
    if (words.size() < 3 || words[0] != "-") {
      warnings.push_back(fmt::format("line {}: not a '[release] - package version' line", lineno));
      continue;
    }
    Affected aff;
    const std::string version_of = DebianReleaseVersion(release);
    if (release.empty()) {
      // Pre-release-tag entries do not say which release; they are kept
      // under "debian" alone so they never match a versioned key.
      aff.ecosystem = "debian";
    } else if (version_of.empty()) {
      warnings.push_back(fmt::format("line {}: unknown release '{}'", lineno, release));
      continue;
    } else {
      aff.ecosystem = "debian:" + version_of;
    }
    aff.package = words[1];
    aff.range_type = "DISTRO";
    const std::string& v = words[2];
    if (v[0] == '<') {
      aff.status = ListStatus(v);
      if (aff.status.empty()) {
        warnings.push_back(fmt::format("line {}: unknown status {}", lineno, v));
        continue;
      }
      if (aff.status == "affected" || aff.status == "will_not_fix" || aff.status == "end_of_life") {
        aff.ranges.push_back(AffectedRange{});
      }
    } else {
      aff.status = "fixed";
      aff.ranges.push_back(AffectedRange{"", v, "", ""});
    }
    if (words.size() > 3) aff.severity = UrgencySeverity(words[3]);
    cur->affected.push_back(std::move(aff));
  }
  if (headers == 0 && !bytes.empty()) return InputError("debian list: no advisory headers");
  return out;
}

Result<std::vector<Advisory>> ParseDebianTrackerJson(std::string_view bytes, std::vector<std::string>& warnings) {
  ASSIGN_OR_RETURN(nlohmann::json j, importer::ParseJson(bytes));
  if (!j.is_object()) return InputError("debian tracker json: not an object of packages");
  std::map<std::string, Advisory> by_cve;
  for (const auto& [package, cves] : j.items()) {
    if (!cves.is_object()) {
      warnings.push_back(package + ": not an object of CVEs");
      continue;
    }
    for (const auto& [cve, info] : cves.items()) {
      if (!info.is_object()) {
        warnings.push_back(package + ": " + cve + ": not an object");
        continue;
      }
      Advisory& a = by_cve[cve];
      if (a.id.empty()) {
        a.id = cve;
        a.source = "debian-tracker-json";
        a.description = importer::Truncate(Str(info, "description"), 2048);
        a.title = importer::Truncate(a.description.substr(0, a.description.find('\n')), 200);
        a.references.push_back("https://security-tracker.debian.org/tracker/" + cve);
      }
      for (const auto& [codename, rel] : Get(info, "releases").items()) {
        const std::string version = DebianReleaseVersion(codename);
        if (version.empty()) {
          warnings.push_back(package + ": " + cve + ": unknown release " + codename);
          continue;
        }
        Affected aff;
        aff.ecosystem = "debian:" + version;
        aff.package = package;
        aff.range_type = "DISTRO";
        const std::string status = Str(rel, "status");
        const std::string fixed = Str(rel, "fixed_version");
        const std::string urgency = Str(rel, "urgency");
        aff.severity = UrgencySeverity(urgency);
        if (status == "resolved") {
          if (fixed == "0" || fixed.empty()) {
            aff.status = "not_affected";
          } else {
            aff.status = "fixed";
            aff.ranges.push_back(AffectedRange{"", fixed, "", ""});
          }
        } else if (status == "open" || status == "undetermined") {
          aff.status = urgency == "end-of-life" ? "end_of_life" : "affected";
          const std::string nodsa = Str(rel, "nodsa");
          if (aff.status == "affected" && (!nodsa.empty() || urgency == "unimportant")) aff.status = "will_not_fix";
          aff.ranges.push_back(AffectedRange{});
        } else {
          warnings.push_back(package + ": " + cve + ": " + codename + ": unknown status '" + status + "'");
          continue;
        }
        a.affected.push_back(std::move(aff));
      }
    }
  }
  std::vector<Advisory> out;
  out.reserve(by_cve.size());
  for (auto& [id, a] : by_cve) out.push_back(std::move(a));
  return out;
}

Status ImportDebianList(const std::string& path, const AdvisorySink& sink, ImportStats& stats) {
  std::vector<std::string> warnings;
  auto want = [](const std::string& n) {
    return n.size() >= 4 && n.compare(n.size() - 4, 4, "list") == 0 &&
           (n.find("DSA") != std::string::npos || n.find("DLA") != std::string::npos ||
            n.find("DTSA") != std::string::npos);
  };
  return importer::ForEachFile(path, want, [&](const std::string& name, std::string_view bytes) {
    std::string source = name.find("DTSA") != std::string::npos  ? "debian-dtsa"
                         : name.find("DLA") != std::string::npos ? "debian-dla"
                                                                 : "debian-dsa";
    if (stats.source.empty()) stats.source = source;
    return importer::Deliver(name, ParseDebianList(bytes, source, warnings), warnings, sink, stats);
  });
}

Status ImportDebianTrackerJson(const std::string& path, const AdvisorySink& sink, ImportStats& stats) {
  if (stats.source.empty()) stats.source = "debian-tracker-json";
  std::vector<std::string> warnings;
  auto want = [](const std::string& n) { return n.size() > 5 && n.compare(n.size() - 5, 5, ".json") == 0; };
  return importer::ForEachFile(path, want, [&](const std::string& name, std::string_view bytes) {
    return importer::Deliver(name, ParseDebianTrackerJson(bytes, warnings), warnings, sink, stats);
  });
}

}  // namespace drydock
