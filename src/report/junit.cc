// JUnit XML report (the schema CI systems read: testsuites/testsuite/
// testcase with failure/skipped). Live audits give one testcase per check per
// target; other scans one testcase per finding.
#include <map>
#include <string>

#include "report/common.h"
#include "report/report.h"
#include "report/text.h"

namespace drydock {

namespace {

// XML 1.0 text: escapes markup, drops characters XML cannot carry and
// replaces bytes that are not UTF-8 (names from hostile inputs).
std::string Xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (const char* entity = report::MarkupEntity(static_cast<char>(c), "&apos;")) {
        out += entity;
      } else if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r') {
        out.push_back(static_cast<char>(c));
      }
      ++i;
      continue;
    }
    const size_t len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    bool ok = len > 0 && c < 0xF5 && i + len <= s.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(s.substr(i, len));
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out;
}

struct Suite {
  std::string cases;
  int tests = 0, failures = 0, skipped = 0;
};

void AddCase(Suite& suite, const std::string& classname, const std::string& name, const char* outcome,
             const std::string& message, const std::string& body) {
  ++suite.tests;
  suite.cases += fmt::format("    <testcase classname=\"{}\" name=\"{}\">", Xml(classname), Xml(name));
  if (std::string_view(outcome) == "failure") {
    ++suite.failures;
    suite.cases +=
        fmt::format("\n      <failure message=\"{}\" type=\"WARN\">{}</failure>\n    ", Xml(message), Xml(body));
  } else if (std::string_view(outcome) == "skipped") {
    ++suite.skipped;
    suite.cases += fmt::format("\n      <skipped message=\"{}\"/>\n    ", Xml(message));
  } else if (!message.empty()) {
    suite.cases += fmt::format("\n      <system-out>{}</system-out>\n    ", Xml(message));
  }
  suite.cases += "</testcase>\n";
}

}  // namespace

std::string RenderJunit(const ScanResult& scan, const ReportOptions& opts) {
  std::string scanner;
  for (const std::string& s : scan.scanners) scanner += (scanner.empty() ? "" : ",") + s;
  if (scanner.empty()) scanner = "drydock";
  // Ordered by name so the document is stable.
  std::map<std::string, Suite> suites;
  if (!scan.outcomes.empty()) {
    for (const CheckOutcome& o : scan.outcomes) {
      Suite& suite = suites[fmt::format("{} {}", scanner, o.target)];
      const std::string name = fmt::format("CIS {} {}", o.id, o.title);
      const std::string label = fmt::format("{}: {}", CheckStatusName(o.status), o.evidence);
      switch (o.status) {
        case CheckStatus::kWarn:
          AddCase(suite, "drydock." + scanner + "." + o.target, name, "failure", o.evidence,
                  fmt::format("Level {}\nEvidence: {}\nRemediation: {}", o.level, o.evidence, o.remediation));
          break;
        case CheckStatus::kPass:
          AddCase(suite, "drydock." + scanner + "." + o.target, name, "pass", o.evidence, "");
          break;
        default:
          AddCase(suite, "drydock." + scanner + "." + o.target, name, "skipped", label, "");
      }
    }
  } else {
    const std::string target = scan.target.empty() ? scan.image.reference : scan.target;
    Suite& suite = suites[fmt::format("{} {}", scanner, target)];
    for (const Finding& f : report::PreparedFindings(scan)) {
      std::string where = f.location.path.empty() ? f.location.config_field : f.location.path;
      if (f.location.line > 0) where += fmt::format(":{}", f.location.line);
      const std::string name = where.empty() ? f.rule_id : fmt::format("{} {}", f.rule_id, where);
      AddCase(suite, "drydock." + scanner, name, "failure", fmt::format("{} {}", SeverityName(f.severity), f.title),
              fmt::format("{}\nEvidence: {}\nRemediation: {}\nFingerprint: {}", f.description, f.evidence,
                          f.remediation, f.fingerprint));
    }
  }
  int tests = 0, failures = 0, skipped = 0;
  std::string body;
  for (const auto& [name, s] : suites) {
    tests += s.tests;
    failures += s.failures;
    skipped += s.skipped;
    body += fmt::format(
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n{}  </testsuite>\n",
        Xml(name), s.tests, s.failures, s.skipped, s.cases);
  }
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"drydock {}\" tests=\"{}\" failures=\"{}\" "
      "errors=\"0\" skipped=\"{}\">\n{}</testsuites>\n",
      Xml(report::ToolVersion(opts.tool_version)), tests, failures, skipped, body);
}

}  // namespace drydock
