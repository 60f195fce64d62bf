// Account database checks: empty passwords (/etc/shadow, or /etc/passwd in
// images without a shadow file), duplicate UIDs/GIDs, more than one UID 0.
#include <map>

#include <fmt/ranges.h>

#include "check/image/check.h"
#include "check/image/groups.h"

namespace drydock {

namespace {

// The colon-separated fields of each non-comment line.
std::vector<std::vector<std::string_view>> Records(std::string_view text) {
  std::vector<std::vector<std::string_view>> out;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line.front() == '#' || line.front() == '+' || line.front() == '-') continue;  // NIS markers
    std::vector<std::string_view> fields;
    size_t start = 0;
    for (size_t i = 0; i <= line.size(); ++i) {
      if (i == line.size() || line[i] == ':') {
        fields.push_back(line.substr(start, i - start));
        start = i + 1;
      }
    }
    out.push_back(std::move(fields));
  }
  return out;
}

int LayerOf(const ImageCheckInput& in, std::string_view path) {
  const auto* node = in.fs.Lookup(path);
  return node ? node->layer : -1;
}

void CheckEmptyPasswords(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  auto shadow = in.fs.ReadFile("/etc/shadow");
  // Without /etc/shadow the hash field of /etc/passwd is the password.
  const std::string_view path = shadow ? "/etc/shadow" : "/etc/passwd";
  auto text = shadow ? shadow : in.fs.ReadFile("/etc/passwd");
  if (!text) return;
  int line = 0;
  std::string_view rest = *text;
  while (!rest.empty()) {
    ++line;
    size_t nl = rest.find('\n');
    std::string_view l = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    auto recs = Records(l);
    if (recs.empty() || recs[0].size() < 2) continue;
    if (!recs[0][1].empty()) continue;
    Finding f = FindingAtPath(rule, in, path, LayerOf(in, path));
    f.location.line = line;
    f.evidence =
        fmt::format("account {:?} has an empty password field in {}: it logs in without a password", recs[0][0], path);
    out.push_back(std::move(f));
  }
}

void DuplicateIds(const ImageCheckInput& in, const CheckRule& rule, std::string_view path, std::string_view kind,
                  std::vector<Finding>& out) {
  auto text = in.fs.ReadFile(path);
  if (!text) return;
  std::map<std::string_view, std::vector<std::string_view>> by_id;
  for (const auto& r : Records(*text)) {
    if (r.size() >= 3 && !r[2].empty()) by_id[r[2]].push_back(r[0]);
  }
  for (const auto& [id, names] : by_id) {
    // UID 0 twice is DD-IMG-004's finding.
    if (names.size() < 2 || (kind == "UID" && id == "0")) continue;
    Finding f = FindingAtPath(rule, in, path, LayerOf(in, path));
    f.evidence = fmt::format("{} {} is shared by {}", kind, id, fmt::join(names, ", "));
    out.push_back(std::move(f));
  }
}

void CheckDuplicateIds(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  DuplicateIds(in, rule, "/etc/passwd", "UID", out);
  DuplicateIds(in, rule, "/etc/group", "GID", out);
}

void CheckManyRoots(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  auto text = in.fs.ReadFile("/etc/passwd");
  if (!text) return;
  std::vector<std::string_view> roots;
  for (const auto& r : Records(*text)) {
    if (r.size() >= 3 && r[2].find_first_not_of('0') == std::string_view::npos && !r[2].empty()) roots.push_back(r[0]);
  }
  if (roots.size() < 2) return;
  Finding f = FindingAtPath(rule, in, "/etc/passwd", LayerOf(in, "/etc/passwd"));
  f.evidence = fmt::format("{} accounts have UID 0: {}", roots.size(), fmt::join(roots, ", "));
  out.push_back(std::move(f));
}

}  // namespace

void AccountChecks(std::vector<CheckRule>& rules) {
  rules.push_back(CheckRule{
      .id = "DD-IMG-002",
      .cis = "",
      .severity = Severity::kHigh,
      .title = "Account with an empty password",
      .rationale = "An account with an empty password field can log in (su, login, a PAM service) without one.",
      .remediation = "Lock the account in the Dockerfile: RUN passwd -l NAME (or usermod -p '!' NAME); create users "
                     "with adduser -D / useradd, which lock them.",
      .references = {"Dockle DKL-LI-0001"},
      .run = &CheckEmptyPasswords,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-003",
      .cis = "",
      .severity = Severity::kMedium,
      .title = "Duplicate UID or GID",
      .rationale = "Two accounts (or groups) with one id are one identity to the kernel: file ownership and "
                   "audits cannot tell them apart.",
      .remediation = "Give every user and group its own id (useradd -u / groupadd -g with unused ids).",
      .references = {"Dockle DKL-LI-0002"},
      .run = &CheckDuplicateIds,
  });
  rules.push_back(CheckRule{
      .id = "DD-IMG-004",
      .cis = "",
      .severity = Severity::kHigh,
      .title = "More than one account with UID 0",
      .rationale = "Every UID 0 account is root: a second one is a hidden root login and defeats audits by name.",
      .remediation = "Remove the extra UID 0 accounts from /etc/passwd (userdel), or give them their own "
                     "unprivileged UIDs.",
      .references = {"Dockle DKL-LI-0002"},
      .run = &CheckManyRoots,
  });
}

}  // namespace drydock
