// The three parsers: the ignore file (Trivy's .trivyignore grammar), the
// YAML ignore policy and VEX documents (OpenVEX 0.2, CycloneDX). What they
// accept, how expiry is judged against an injected "today", and the one-line
// errors naming file and line for what they reject.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include <string>
#include <vector>

#include "policy/internal.h"

namespace drydock::policy {
namespace {

const Date kToday{2024, 6, 1};

bool Contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// ---- the ignore file ----------------------------------------------------------------

TEST(PolicyIgnoreFile, ReadsTrivysGrammar) {
  // Trivy's own test file (pkg/result/testdata/.trivyignore), plus comments,
  // CRLF, a BOM and indentation.
  const std::string text =
      "\xEF\xBB\xBF# vulnerabilities\n"
      "CVE-2019-0001\n"
      "CVE-2019-0002\r\n"
      "CVE-2019-0004 exp:2020-01-01\n"
      "CVE-2019-0005 exp:9999-01-01\n"
      "CVE-2019-0006 exp:9999-01-01 key2:value2\n"
      "\n"
      "# misconfigurations\n"
      "   AVD-ID-0300   \n"
      "\t# an indented comment\n"
      "# secrets\n"
      "generic-unwanted-rule  # trailing comment: why\n"
      "CVE-2019-0007#not-a-comment\n";
  std::vector<std::string> warnings;
  auto f = ParseIgnoreFile(text, ".trivyignore", kToday, warnings);
  ASSERT_TRUE(f.ok()) << f.error().message;
  std::vector<std::string> ids;
  for (const IgnoreLine& l : f->lines) ids.push_back(l.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"CVE-2019-0001", "CVE-2019-0002", "CVE-2019-0005", "CVE-2019-0006",
                                           "AVD-ID-0300", "generic-unwanted-rule", "CVE-2019-0007#not-a-comment"}));
  EXPECT_EQ(f->lines[2].line, 5);
  EXPECT_EQ(f->lines[2].expires->str(), "9999-01-01");
  EXPECT_EQ(f->lines[5].comment, "trailing comment: why");
  ASSERT_EQ(warnings.size(), 2u);
  EXPECT_EQ(warnings[0], ".trivyignore:4: CVE-2019-0004 expired on 2020-01-01; it no longer suppresses");
  EXPECT_TRUE(Contains(warnings[1], ".trivyignore:6: ignoring \"key2:value2\"")) << warnings[1];
}

TEST(PolicyIgnoreFile, ExpiryIsJudgedAgainstTheInjectedToday) {
  struct Case {
    Date today;
    bool kept;
  };
  // Trivy: exp:D stops applying at the start of D (UTC).
  const std::vector<Case> cases = {
      {{2024, 1, 30}, true},
      {{2024, 1, 31}, false},
      {{2024, 2, 1}, false},
      {{2023, 12, 31}, true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.today.str());
    std::vector<std::string> warnings;
    auto f = ParseIgnoreFile("CVE-2023-1234 exp:2024-01-31\n", "x", c.today, warnings);
    ASSERT_TRUE(f.ok());
    EXPECT_EQ(f->lines.size(), c.kept ? 1u : 0u);
    EXPECT_EQ(warnings.size(), c.kept ? 0u : 1u);
  }
}

TEST(PolicyIgnoreFile, RejectsWithFileAndLine) {
  struct Case {
    std::string name;
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"invalid date", "CVE-1\nCVE-2 exp:2024-02-30\n", "ig:2: exp: 2024-02-30: February 2024 has 29 days"},
      {"not a date", "CVE-1 exp:tomorrow\n", "ig:1: exp: \"tomorrow\" is not a date"},
      {"two expiries", "CVE-1 exp:2030-01-01 exp:2031-01-01\n", "ig:1: a second exp:"},
      {"not UTF-8", "CVE-1\nCVE-\xff\n", "ig:2: not UTF-8"},
      {"NUL", std::string("CVE-1\0x\n", 8), "ig:1: NUL byte"},
      {"long line", std::string(70000, 'A') + "\n", "ig:1: line longer than 64 KiB"},
      {"huge", std::string(kMaxIgnoreFileBytes + 1, '\n'), "ig: larger than 16 MiB"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> warnings;
    auto f = ParseIgnoreFile(c.text, "ig", kToday, warnings);
    ASSERT_FALSE(f.ok());
    EXPECT_TRUE(Contains(f.error().message, c.error)) << f.error().message;
    EXPECT_EQ(f.error().message.find('\n'), std::string::npos);
  }
}

TEST(PolicyIgnoreFile, WarningsAreCappedPerFile) {
  std::string text;
  for (int i = 0; i < 1000; ++i) text += "CVE-" + std::to_string(i) + " exp:2000-01-01\n";
  std::vector<std::string> warnings;
  auto f = ParseIgnoreFile(text, "ig", kToday, warnings);
  ASSERT_TRUE(f.ok());
  ASSERT_EQ(warnings.size(), 21u);
  EXPECT_EQ(warnings.back(), "ig: 980 more warning(s) not shown");
}

// ---- the ignore policy ---------------------------------------------------------------

TEST(PolicyFile, ReadsEntries) {
  const std::string text = R"(# drydock ignore policy
version: 1
ignore:
  - id: CVE-2023-0286
    reason: X.400 names are never parsed here
    expires: 2030-06-30
  - purl: pkg:deb/debian/openssl
    versions: "< 1.1.1n-0+deb11u5"
    reason: fixed in our rebuild
  - path: /opt/app/testdata/**
    reason: |
      test fixtures,
      not shipped
  - layer: sha256:1111111111111111111111111111111111111111111111111111111111111111
    reason: the base image
  - id: CVE-2020-0001
    reason: old
    expires: 2024-06-01
)";
  std::vector<std::string> warnings;
  auto p = ParsePolicyFile(text, "p.yaml", kToday, warnings);
  ASSERT_TRUE(p.ok()) << p.error().message;
  ASSERT_EQ(p->entries.size(), 4u);
  EXPECT_EQ(p->entries[0].line, 4);
  EXPECT_EQ(p->entries[0].expires->str(), "2030-06-30");
  EXPECT_EQ(p->entries[1].purl->name, "openssl");
  EXPECT_EQ(p->entries[1].versions->scheme, VersionScheme::kDpkg);
  EXPECT_EQ(p->entries[2].reason, "test fixtures,\nnot shipped");
  EXPECT_EQ(p->by_id.count("CVE-2023-0286"), 1u);
  EXPECT_EQ(p->by_purl.count("deb/debian/openssl"), 1u);
  EXPECT_EQ(p->others.size(), 2u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0], "p.yaml:16: ignore[4] expired on 2024-06-01; it no longer suppresses");

  for (const char* empty : {"", "# nothing yet\n", "ignore:\n", "ignore: []\n"}) {
    SCOPED_TRACE(empty);
    auto e = ParsePolicyFile(empty, "p.yaml", kToday, warnings);
    ASSERT_TRUE(e.ok()) << e.error().message;
    EXPECT_TRUE(e->entries.empty());
  }
}

TEST(PolicyFile, RejectsWithFileLineAndWhat) {
  struct Case {
    std::string name;
    std::string text;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"no reason", "ignore:\n  - id: CVE-1\n", "p.yaml:2: ignore[0]: reason: required"},
      {"blank reason", "ignore:\n  - id: CVE-1\n    reason: '  '\n", "p.yaml:2: ignore[0]: reason: required"},
      {"nothing to match", "ignore:\n  - reason: x\n", "p.yaml:2: ignore[0]: names nothing to match"},
      {"unknown key", "ignore:\n  - id: CVE-1\n    reason: x\n    expiry: 2030-01-01\n",
       "p.yaml:4: ignore[0]: unknown key \"expiry\""},
      {"bad date", "ignore:\n  - id: CVE-1\n    reason: x\n    expires: 2024-02-30\n",
       "p.yaml:4: ignore[0]: expires: 2024-02-30: February 2024 has 29 days"},
      {"bad purl", "ignore:\n  - purl: openssl\n    reason: x\n",
       "p.yaml:2: ignore[0]: purl: \"openssl\" is not a purl"},
      {"versions without purl", "ignore:\n  - id: CVE-1\n    versions: '< 1'\n    reason: x\n",
       "p.yaml:3: ignore[0]: versions: needs a purl"},
      {"versions and a purl version",
       "ignore:\n  - purl: pkg:deb/debian/openssl@1.0\n    versions: '< 2'\n    reason: x\n",
       "versions: the purl names one version already"},
      {"versions of a generic purl", "ignore:\n  - purl: pkg:generic/x\n    versions: '< 2'\n    reason: x\n",
       "versions: purl type \"generic\" has no version ordering"},
      {"bad range", "ignore:\n  - purl: pkg:deb/debian/x\n    versions: '~> 2'\n    reason: x\n",
       "p.yaml:3: ignore[0]: versions: \"~> 2\": want a comparison"},
      {"bad layer", "ignore:\n  - layer: sha256:abc\n    reason: x\n",
       "p.yaml:2: ignore[0]: layer: \"sha256:abc\" is not"},
      {"list value", "ignore:\n  - id: [CVE-1, CVE-2]\n    reason: x\n", "p.yaml:2: ignore[0]: id: want a string"},
      {"two ids", "ignore:\n  - id: CVE-1\n    id: CVE-2\n    reason: x\n", "ignore[0]: \"id\" given twice"},
      {"id with spaces", "ignore:\n  - id: CVE-1 CVE-2\n    reason: x\n", "id: one id, without white space"},
      {"entry not a map", "ignore:\n  - CVE-1\n", "p.yaml:2: ignore[0]: want a mapping"},
      {"ignore not a list", "ignore: CVE-1\n", "p.yaml:1: ignore: want a list"},
      {"unknown top key", "ignores: []\n", "p.yaml:1: unknown key \"ignores\""},
      {"bad version", "version: 2\nignore: []\n", "p.yaml:1: version: want 1"},
      {"root a list", "- id: x\n", "p.yaml:1: want a mapping"},
      {"not YAML", "ignore: [\n", "p.yaml:"},
      {"not YAML either", "ignore:\n  - id: x\n   - y: [\n", "invalid YAML"},
      {"not UTF-8", "ignore:\n  - id: CVE-1\n    reason: caf\xe9\n", "p.yaml:3: not UTF-8"},
      {"NUL", std::string("ignore:\n\0", 9), "p.yaml:2: NUL byte"},
      {"deep", std::string(100000, '['), "p.yaml:1: invalid YAML: nested too deeply"},
      {"huge", std::string(kMaxPolicyFileBytes + 1, '#'), "p.yaml: larger than 4 MiB"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> warnings;
    auto p = ParsePolicyFile(c.text, "p.yaml", kToday, warnings);
    ASSERT_FALSE(p.ok());
    EXPECT_TRUE(Contains(p.error().message, c.error)) << p.error().message;
    EXPECT_EQ(p.error().message.find('\n'), std::string::npos) << p.error().message;
    EXPECT_EQ(p.error().kind, Error::Kind::kInput);
  }
}

TEST(PolicyFile, AliasBombIsRejectedBeforeItIsWalked) {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb +=
        fmt::format("{0}: &{0} [*{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}, *{1}]\n", c, static_cast<char>(c - 1));
  }
  std::vector<std::string> warnings;
  auto p = ParsePolicyFile(bomb + "ignore: *j\n", "p.yaml", kToday, warnings);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(Contains(p.error().message, "unknown key \"a\"")) << p.error().message;
  auto q = ParsePolicyFile("ignore:\n  - &e {id: CVE-1, reason: x}\n  - *e\n  - *e\n", "p.yaml", kToday, warnings);
  ASSERT_TRUE(q.ok()) << q.error().message;
  EXPECT_EQ(q->entries.size(), 3u);
}

TEST(PolicyFile, TooManyEntries) {
  std::string text = "ignore:\n";
  for (size_t i = 0; i <= kMaxPolicyEntries; ++i) text += "- {path: /x, reason: r}\n";
  std::vector<std::string> warnings;
  auto p = ParsePolicyFile(text, "p.yaml", kToday, warnings);
  ASSERT_FALSE(p.ok());
  EXPECT_TRUE(Contains(p.error().message, "more than 10000 entries")) << p.error().message;
}

// ---- VEX ----------------------------------------------------------------------------

TEST(PolicyVex, ReadsOpenVex) {
  const std::string doc = R"({
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://example.com/vex/1",
    "author": "Example Security",
    "timestamp": "2024-01-01T00:00:00Z",
    "version": 1,
    "statements": [
      {"vulnerability": {"name": "CVE-2023-0286", "aliases": ["DSA-5343-1", "CVE-2023-0286"]},
       "products": [{"@id": "pkg:deb/debian/openssl"},
                    {"identifiers": {"purl": "pkg:deb/debian/libssl1.1@1.1.1n-0%2Bdeb11u3"}},
                    {"@id": "https://example.com/not-a-purl"}],
       "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
      {"vulnerability": {"name": "CVE-2023-5678"},
       "timestamp": "2024-03-01T00:00:00+01:00",
       "products": [{"@id": "pkg:oci/app@sha256%3A00",
                     "subcomponents": [{"@id": "pkg:deb/debian/openssl"}]}],
       "status": "under_investigation"},
      {"vulnerability": {"name": "CVE-2024-0001"},
       "products": [{"@id": "pkg:oci/app"}],
       "status": "affected", "action_statement": "upgrade"}
    ]})";
  VexSet set;
  ASSERT_TRUE(AddVexDocument(set, doc, "v.json").ok());
  IndexVex(set);
  ASSERT_EQ(set.statements.size(), 3u);
  EXPECT_EQ(set.statements[0].vulns, (std::vector<std::string>{"CVE-2023-0286", "DSA-5343-1"}));
  EXPECT_EQ(set.statements[0].source, "v.json: statements[0]");
  EXPECT_EQ(set.statements[0].time->seconds, 1704067200);  // the document's
  EXPECT_EQ(set.statements[1].time->seconds, 1709247600);  // its own
  EXPECT_EQ(set.statements[2].reason, "upgrade");
  ASSERT_EQ(set.claims.size(), 4u);  // the non-purl product makes none
  EXPECT_EQ(set.claims[0].target, VexClaim::Target::kPurl);
  EXPECT_EQ(set.claims[2].target, VexClaim::Target::kPurl);                     // the subcomponent…
  EXPECT_EQ(set.scopes[static_cast<size_t>(set.claims[2].scope)].type, "oci");  // …inside the image
  EXPECT_EQ(set.claims[3].target, VexClaim::Target::kAnyPackage);
  EXPECT_EQ(set.index.at(ClaimKey("DSA-5343-1", 'p', "deb/debian/libssl1.1")).size(), 1u);
}

TEST(PolicyVex, ReadsCycloneDx) {
  const std::string doc = R"({
    "bomFormat": "CycloneDX", "specVersion": "1.5", "version": 1,
    "metadata": {"timestamp": "2024-02-01T00:00:00Z",
                 "component": {"type": "container", "name": "app", "bom-ref": "img", "purl": "pkg:oci/app@sha256%3Aab"}},
    "components": [{"type": "library", "name": "openssl", "bom-ref": "ssl", "purl": "pkg:deb/debian/openssl",
                    "components": [{"type": "library", "name": "inner", "bom-ref": "in", "purl": "pkg:npm/inner"}]}],
    "vulnerabilities": [
      {"id": "CVE-2023-0286", "references": [{"id": "GHSA-x", "source": {"name": "ghsa"}}],
       "analysis": {"state": "not_affected", "justification": "code_not_reachable", "detail": "never parsed",
                    "lastUpdated": "2024-03-01T00:00:00Z"},
       "affects": [{"ref": "ssl"}, {"ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#in"},
                   {"ref": "0123456789abcdef", "versions": [{"version": "1.0"}, {"range": "vers:deb/<2"}]},
                   {"ref": "img"}]},
      {"id": "CVE-2023-0287", "analysis": {"state": "resolved"}, "affects": [{"ref": "pkg:deb/debian/curl"}]},
      {"id": "CVE-2023-0288", "affects": [{"ref": "ssl"}]}
    ]})";
  VexSet set;
  const Status s = AddVexDocument(set, doc, "c.json");
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(set.statements.size(), 2u);  // the one without analysis states nothing
  EXPECT_EQ(set.statements[0].status, VexStatus::kNotAffected);
  EXPECT_EQ(set.statements[0].justification, "code_not_reachable");
  EXPECT_EQ(set.statements[0].reason, "never parsed");
  EXPECT_EQ(set.statements[0].time->seconds, 1709251200);
  EXPECT_EQ(set.statements[1].status, VexStatus::kFixed);
  EXPECT_EQ(set.statements[1].time->seconds, 1706745600);  // metadata.timestamp
  ASSERT_EQ(set.claims.size(), 5u);
  EXPECT_EQ(set.claims[0].purl.name, "openssl");
  EXPECT_EQ(set.claims[1].purl.name, "inner");  // the BOM-Link's fragment, a nested component
  EXPECT_EQ(set.claims[2].target, VexClaim::Target::kRef);
  EXPECT_EQ(set.claims[2].version, "1.0");
  EXPECT_EQ(set.claims[3].target, VexClaim::Target::kAnyPackage);
  EXPECT_EQ(set.claims[4].purl.name, "curl");
  ASSERT_EQ(set.warnings.size(), 1u);
  EXPECT_TRUE(Contains(set.warnings[0], "version ranges are not evaluated")) << set.warnings[0];
}

TEST(PolicyVex, RejectsWithDocumentAndElement) {
  const std::string ovx = R"({"@context": "https://openvex.dev/ns/v0.2.0", "@id": "x", "author": "a",
                              "timestamp": "2024-01-01T00:00:00Z", "version": 1, "statements": )";
  struct Case {
    std::string name;
    std::string doc;
    std::string error;
  };
  const std::vector<Case> cases = {
      {"not JSON", "{", "v.json: invalid JSON"},
      {"deep", std::string(100000, '['), "v.json: invalid JSON"},
      {"not an object", "[]", "v.json: want a JSON object"},
      {"unknown format", "{\"a\": 1}", "v.json: neither OpenVEX"},
      {"CSAF", R"({"document": {"csaf_version": "2.0"}, "vulnerabilities": []})", "v.json: a CSAF document"},
      {"old OpenVEX", R"({"@context": "https://openvex.dev/ns/v0.0.1", "statements": []})",
       "v0.0.1\" is not supported"},
      {"no statements", R"({"@context": "https://openvex.dev/ns/v0.2.0"})", "OpenVEX without statements"},
      {"bad status", ovx + R"([{"vulnerability": {"name": "CVE-1"}, "status": "maybe"}]})",
       "v.json: statements[0]: status \"maybe\""},
      {"bad justification",
       ovx + R"([{"vulnerability": {"name": "CVE-1"}, "status": "not_affected", "justification": "trust me"}]})",
       "statements[0]: justification \"trust me\" is not one of OpenVEX's"},
      {"not_affected without why", ovx + R"([{"vulnerability": {"name": "CVE-1"}, "status": "not_affected"}]})",
       "statements[0]: not_affected needs a justification or an impact_statement"},
      {"no vulnerability name", ovx + R"([{"vulnerability": {}, "status": "fixed"}]})",
       "statements[0].vulnerability: no name"},
      {"vulnerability a string", ovx + R"([{"vulnerability": "CVE-1", "status": "fixed"}]})",
       "statements[0].vulnerability: want an object"},
      {"bad timestamp",
       ovx + R"([{"vulnerability": {"name": "CVE-1"}, "status": "fixed", "timestamp": "2024-02-30T00:00:00Z"}]})",
       "statements[0].timestamp: \"2024-02-30T00:00:00Z\" is not an RFC 3339 date-time"},
      {"bad purl",
       ovx + R"([{"vulnerability": {"name": "CVE-1"}, "status": "fixed", "products": [{"@id": "pkg:deb/%zz"}]}]})",
       "statements[0].products[0]: "},
      {"cdx version", R"({"bomFormat": "CycloneDX", "specVersion": "1.2"})", "CycloneDX specVersion \"1.2\""},
      {"cdx bad state",
       R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "meh"}}]})",
       "vulnerabilities[0].analysis.state \"meh\""},
      {"cdx bad justification",
       R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "not_affected", "justification": "x"}}]})",
       "vulnerabilities[0].analysis.justification \"x\""},
      {"cdx affects without ref",
       R"({"bomFormat": "CycloneDX", "specVersion": "1.6", "vulnerabilities": [{"id": "CVE-1", "analysis": {"state": "resolved"}, "affects": [{}]}]})",
       "vulnerabilities[0].affects[0]: no ref"},
      {"not UTF-8", "{\"a\": \"\xff\"}", "v.json: invalid JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    VexSet set;
    const Status s = AddVexDocument(set, c.doc, "v.json");
    ASSERT_FALSE(s.ok());
    EXPECT_TRUE(Contains(s.error().message, c.error)) << s.error().message;
    EXPECT_EQ(s.error().message.find('\n'), std::string::npos);
    EXPECT_TRUE(set.statements.empty());
  }
}

TEST(PolicyVex, HugeDocumentsAreBounded) {
  // Over the size limit: refused before parsing.
  VexSet set;
  const Status big = AddVexDocument(set, std::string(kMaxVexFileBytes + 1, ' '), "v.json");
  ASSERT_FALSE(big.ok());
  EXPECT_TRUE(Contains(big.error().message, "larger than 16 MiB"));
  // Under it, but more product claims than the limit allows.
  std::string doc = R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [)";
  doc += R"({"vulnerability": {"name": "CVE-1"}, "status": "fixed", "products": [)";
  for (size_t i = 0; i <= kMaxVexClaims; ++i) doc += (i ? "," : "") + std::string(R"({"@id":"pkg:a/b"})");
  doc += "]}]}";
  ASSERT_LT(doc.size(), kMaxVexFileBytes);
  const Status many = AddVexDocument(set, doc, "v.json");
  ASSERT_FALSE(many.ok());
  EXPECT_TRUE(Contains(many.error().message, "more than 300000 product statements")) << many.error().message;
  EXPECT_TRUE(set.claims.empty());
  // An alias bomb: names are capped per statement, and (name, product)
  // pairs over all documents.
  std::string aliases;
  for (int i = 0; i < 300; ++i) aliases += (i ? "," : "") + std::string("\"A-") + std::to_string(i) + "\"";
  const Status bomb = AddVexDocument(
      set,
      R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [{"vulnerability": {"name": "CVE-1", "aliases": [)" +
          aliases + R"(]}, "status": "fixed"}]})",
      "v.json");
  ASSERT_FALSE(bomb.ok());
  EXPECT_TRUE(Contains(bomb.error().message, "statements[0].vulnerability.aliases: more than 256 aliases"))
      << bomb.error().message;
  std::string pairs = R"({"@context": "https://openvex.dev/ns/v0.2.0", "statements": [)";
  for (int s = 0; s < 40; ++s) {
    std::string a;
    for (int i = 0; i < 250; ++i) a += (i ? "," : "") + std::string("\"A-") + std::to_string(i) + "\"";
    pairs += (s ? "," : "") + std::string(R"({"vulnerability": {"name": "CVE-1", "aliases": [)") + a +
             R"(]}, "status": "fixed", "products": [)";
    for (int p = 0; p < 110; ++p) pairs += (p ? "," : "") + std::string(R"({"@id": "pkg:a/b"})");
    pairs += "]}";
  }
  pairs += "]}";
  const Status many_pairs = AddVexDocument(set, pairs, "v.json");
  ASSERT_FALSE(many_pairs.ok());
  EXPECT_TRUE(Contains(many_pairs.error().message, "more than 1000000 (vulnerability name, product) pairs"))
      << many_pairs.error().message;
  EXPECT_EQ(set.indexed, 0u);
}

}  // namespace
}  // namespace drydock::policy
