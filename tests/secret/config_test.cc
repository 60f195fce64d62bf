// The user's rules file, the image-config scan, merging one secret found in
// many places, redaction, and the layer analyzer through a real scan.
#include <gtest/gtest.h>

#include "cli/scan.h"
#include "secret/analyzer.h"
#include "secret/config.h"
#include "secret/engine.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock::secret {
namespace {

TEST(SecretConfig, MalformedFilesAreOneLineErrors) {
  struct Case {
    std::string name, yaml, want;
  };
  const std::vector<Case> cases = {
      {"not yaml", "rules: [", "invalid YAML"},
      {"not a mapping", "- a\n- b\n", "want a mapping"},
      {"unknown key", "rulez: []\n", "unknown key"},
      {"rule without regex", "rules:\n  - id: x\n", "regex is required"},
      {"rule without id", "rules:\n  - regex: abc\n", "id is required"},
      {"bad severity", "rules:\n  - id: x\n    regex: abc\n    severity: SEVERE\n", "unknown severity"},
      {"bad entropy", "rules:\n  - id: x\n    regex: abc\n    entropy: lots\n", "entropy"},
      {"bad id", "rules:\n  - id: 'a b'\n    regex: abc\n", "use letters"},
      {"allow not a map", "allow: [a]\n", "allow"},
  };
  for (const Case& c : cases) {
    auto r = ParseConfig(c.yaml, "rules.yaml");
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << c.name << ": " << r.error().message;
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << c.name;
    EXPECT_TRUE(r.error().message.starts_with("rules.yaml")) << r.error().message;
  }
}

TEST(SecretConfig, PatternsThatDoNotCompileAndUnknownDisabledIdsAreErrors) {
  for (const std::string& yaml :
       {std::string("rules:\n  - id: x\n    regex: '(abc'\n"), std::string("rules:\n  - id: x\n    regex: 'a(?=b)'\n"),
        std::string("disable: [no-such-rule]\n")}) {
    auto cfg = ParseConfig(yaml, "r.yaml");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    auto e = Engine::Create(*cfg);
    EXPECT_FALSE(e.ok()) << yaml;
  }
}

TEST(SecretConfig, AddsDisablesAndAllows) {
  auto cfg = ParseConfig(R"(
rules:
  - id: acme-token
    title: ACME deploy token
    severity: critical
    keywords: [acme_]
    regex: 'acme_([a-z0-9]{32})'
disable: [DD-SECRET-github-pat, jwt]
allow:
  paths: ['^/opt/fixtures/']
  regexes: ['^AKIA.*ZZZZ$']
)",
                         "r.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  auto engine = Engine::Create(*cfg);
  ASSERT_TRUE(engine.ok()) << engine.error().message;
  const Engine& e = **engine;
  const std::string text =
      "acme_q8w7e6r5t4y3u2i1o9p8a7s6d5f4g3h2\nghp_abcdefghijklmnopqrstuvwxyzABCDEFGHIJ\n"
      "AKIAQWERTYUIOPASZZZZ\nAKIAQWERTYUIOPASDFGH\n";
  const ScanOutcome out = e.Scan(text, "/app/x");
  std::vector<std::string> ids;
  for (const Match& m : out.matches) ids.push_back(e.rules()[m.rule].id);
  EXPECT_EQ(ids, (std::vector<std::string>{"acme-token", "aws-access-key-id"}));
  EXPECT_EQ(out.matches[0].value, "q8w7e6r5t4y3u2i1o9p8a7s6d5f4g3h2");
  EXPECT_EQ(e.rules()[out.matches[0].rule].severity, Severity::kCritical);
  EXPECT_TRUE(e.PathAllowed("/opt/fixtures/key.pem"));
}

TEST(SecretRedact, ShowsAtMostFourCharactersAndNeverMoreThanAQuarter) {
  EXPECT_EQ(Redact("ghp_abcdefghijklmnopqrstuvwxyz0123456789"), "ghp_****");
  EXPECT_EQ(Redact("hunter22"), "hu****");
  EXPECT_EQ(Redact("abc"), "****");
}

TEST(SecretSniff, BinaryByNulOrControlBytes) {
  EXPECT_TRUE(
      LooksBinary(std::string("\x7f"
                              "ELF\x02\x01\x01\0\0\0",
                              10)));
  EXPECT_TRUE(LooksBinary(std::string(200, '\x01')));
  EXPECT_FALSE(LooksBinary("plain text\nwith lines\tand tabs\n"));
  EXPECT_FALSE(LooksBinary("UTF-8 \xc3\xa9t\xc3\xa9\n"));
}

std::shared_ptr<const Engine> Builtin() {
  auto e = Engine::Create(Config{});
  EXPECT_TRUE(e.ok());
  return *e;
}

TEST(SecretImageConfig, FindsSecretsInEnvLabelsHistoryAndCmdAndRedactsThemEverywhere) {
  const std::string pat = "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";
  const std::string pw = "Vx9-qL2#mRt7Wp";
  const std::string stripe = "sk_live_4Rt9Lm2Qx8Vz6Nb3Kc7Jw1Hy";
  ScanResult r;
  ImageConfig& cfg = r.image.config;
  cfg.env = {"PATH=/usr/bin", "DB_PASSWORD=" + pw};
  cfg.labels = {{"ci.token", pat}, {"maintainer", "dev@example.org"}};
  cfg.cmd = {"app", "--stripe-key", stripe};
  cfg.history = {{"", "/bin/sh -c #(nop) ADD file:abc in /", "", false},
                 {"", "|1 GH_TOKEN=" + pat + " /bin/sh -c make", "", false}};
  r.image.layers = {Layer{}, Layer{}};
  r.image.layers[1].created_by = cfg.history[1].created_by;
  std::vector<std::string> values;
  auto engine = Builtin();
  auto found = ScanImageConfig(*engine, r.image, values);
  std::vector<std::string> fields;
  for (const auto& f : found) fields.push_back(f.location.config_field);
  std::sort(fields.begin(), fields.end());
  EXPECT_EQ(fields, (std::vector<std::string>{"config.Cmd", "config.Env[DB_PASSWORD]", "config.Labels[ci.token]",
                                              "history[1].created_by"}));
  r.findings = found;
  MergeSameSecrets(r.findings);
  EXPECT_EQ(r.findings.size(), 3u);  // the token in a label and in history is one finding
  RedactEverywhere(values, r);
  for (const std::string& secret : {pat, pw, stripe}) {
    for (const auto& e : cfg.env) EXPECT_EQ(e.find(secret), std::string::npos) << e;
    for (const auto& [k, v] : cfg.labels) EXPECT_EQ(v.find(secret), std::string::npos) << v;
    for (const auto& c : cfg.cmd) EXPECT_EQ(c.find(secret), std::string::npos) << c;
    for (const auto& h : cfg.history) EXPECT_EQ(h.created_by.find(secret), std::string::npos) << h.created_by;
    EXPECT_EQ(r.image.layers[1].created_by.find(secret), std::string::npos);
    for (const auto& f : r.findings) {
      EXPECT_EQ(f.evidence.find(secret), std::string::npos) << f.evidence;
      EXPECT_EQ(f.location.created_by.find(secret), std::string::npos);
    }
  }
  EXPECT_EQ(cfg.labels["ci.token"], "ghp_****");
}

TEST(SecretAnalyzer, ScansEveryLayerIncludingDeletedFilesAndSkipsBinaries) {
  testing::TempDir dir;
  testing::BlobStore store;
  const std::string key = "AKIAZ7Q2M4X8C6V1B3N5";
  const std::string pat = "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";
  std::string bin = std::string(
                        "\x7f"
                        "ELF\x02\x01\x01\0",
                        8) +
                    pat;
  std::string l1 = testing::MakeTar({testing::File("app/.env", "AWS_ACCESS_KEY_ID=" + key + "\n"),
                                     testing::File("app/bin", bin), testing::File("app/copy.txt", "k=" + key + "\n")});
  std::string l2 =
      testing::MakeTar({testing::Whiteout("app", ".env"), testing::File("root/notes", "x\n" + pat + "\n")});
  nlohmann::json desc = store.AddImage({l1, l2}, "amd64", "");
  for (const auto& [path, bytes] : store.blobs()) dir.Write(path, bytes);
  dir.Write("oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
  dir.Write("index.json", testing::IndexJson({desc}));
  ScanOptions opts;
  opts.scanners = {"secret"};
  auto r = ScanImage("oci:" + dir.path(), opts);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->findings.size(), 2u);
  for (const auto& f : r->findings) {
    EXPECT_EQ(f.kind, FindingKind::kSecret);
    if (f.rule_id == "DD-SECRET-aws-access-key-id") {
      EXPECT_EQ(f.location.path, "/app/.env");  // deleted by layer 2, still reported
      EXPECT_EQ(f.location.layer_index, 0);
      ASSERT_EQ(f.more_locations.size(), 1u);
      EXPECT_EQ(f.more_locations[0].path, "/app/copy.txt");
    } else {
      EXPECT_EQ(f.rule_id, "DD-SECRET-github-pat");
      EXPECT_EQ(f.location.path, "/root/notes");
      EXPECT_EQ(f.location.line, 2);
      EXPECT_EQ(f.location.layer_index, 1);
      EXPECT_EQ(f.evidence, "ghp_****");
    }
  }
}

}  // namespace
}  // namespace drydock::secret
