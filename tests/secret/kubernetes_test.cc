// The rules that read structure rather than one token: Kubernetes Secret
// manifests (secret/kubernetes.h), base64-wrapped JWTs (decoded and
// checked) and PKCS#12 key stores (matched as whole files).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "secret/analyzer.h"
#include "secret/engine.h"
#include "secret/grammar.h"
#include "secret/kubernetes.h"

namespace drydock::secret {
namespace {

std::shared_ptr<const Engine> Builtin() {
  static auto engine = Engine::Create(Config{});
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return *engine;
}

// "rule=value" for every match, in text order; with `prefix`, only of the
// rules whose id starts so (the generic env-password rule rightly reports
// `password: …` in any YAML file).
std::vector<std::string> Found(std::string_view text, std::string_view prefix = "") {
  auto engine = Builtin();
  std::vector<std::string> out;
  for (const Match& m : engine->Scan(text, "/app/deploy/secret.yaml").matches) {
    if (engine->rules()[m.rule].id.starts_with(prefix)) out.push_back(engine->rules()[m.rule].id + "=" + m.value);
  }
  return out;
}

using Values = std::vector<std::string>;

const std::string kPass = Base64Encode("Vx9-mQ2#rT7zLp4k");  // a password, base64 as in data:
const std::string kUser = Base64Encode("svc-deployer");
const std::string kKey = Base64Encode("AKb93-zz01-Qm7x-PpL2");
// Binary whose bytes spell placeholder parts ('<', '>', "....") as text would.
const std::string kDer = Base64Encode(std::string("\x30\x82\x01\x3c\x02\x01\x00<\xf1\x9e....>\x07\xaa\x81\x10", 19));

struct Case {
  std::string name;
  std::string text;
  Values want;
};

TEST(SecretKubernetes, ReportsEveryDataValueOfASecretManifest) {
  const std::vector<Case> cases = {
      {"kind before data",
       "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: " + kPass +
           "\n  username: " + kUser + "\n",
       {"kubernetes-secret-yaml=" + kPass, "kubernetes-secret-yaml=" + kUser}},
      {"data before kind",
       "apiVersion: v1\ndata:\n  password: " + kPass + "\n  api-key: " + kKey +
           "\nkind: Secret\nmetadata:\n  name: x\n",
       {"kubernetes-secret-yaml=" + kPass, "kubernetes-secret-yaml=" + kKey}},
      {"quoted values and kind",
       "apiVersion: \"v1\"\nkind: \"Secret\"\ndata:\n  password: \"" + kPass + "\"\n  user: '" + kUser + "'\n",
       {"kubernetes-secret-yaml=" + kPass, "kubernetes-secret-yaml=" + kUser}},
      {"comments and CRLF",
       "kind: Secret   # db credentials\r\ndata:\r\n  # base64 of the password\r\n  password: " + kPass +
           "  # rotated\r\n",
       {"kubernetes-secret-yaml=" + kPass}},
      {"block scalar",
       "kind: Secret\ndata:\n  tls.key: |\n    " + kPass.substr(0, 12) + "\n    " + kPass.substr(12) + "\n",
       {"kubernetes-secret-yaml=" + kPass.substr(0, 12) + "\n    " + kPass.substr(12)}},
      {"binary data (a DER key)", "kind: Secret\ndata:\n  key.der: " + kDer + "\n", {"kubernetes-secret-yaml=" + kDer}},
      {"stringData",
       "apiVersion: v1\nkind: Secret\nstringData:\n  DB_URL_PASSWORD: Vx9-mQ2rT7zLp4k\n  mode: \"fast\"\n",
       {"kubernetes-secret-string-data=Vx9-mQ2rT7zLp4k"}},
      {"a list item",
       "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Secret\n  data:\n    password: " + kPass +
           "\n- apiVersion: v1\n  kind: ConfigMap\n  data:\n    other: " + kUser + "\n",
       {"kubernetes-secret-yaml=" + kPass}},
      {"second document of a stream",
       "apiVersion: v1\nkind: ConfigMap\ndata:\n  a: " + kUser +
           "\n---\napiVersion: v1\nkind: Secret\ndata:\n  b: " + kPass + "\n",
       {"kubernetes-secret-yaml=" + kPass}},
  };
  for (const Case& c : cases) EXPECT_EQ(Found(c.text), c.want) << c.name << ":\n" << c.text;
}

TEST(SecretKubernetes, ReportsTheExactSpanAndRedactsTheEvidence) {
  const std::string text = "kind: Secret\ndata:\n  password: \"" + kPass + "\"\n";
  const ScanOutcome out = Builtin()->Scan(text, "/m.yaml");
  ASSERT_EQ(out.matches.size(), 1u);
  EXPECT_EQ(out.matches[0].begin, text.find(kPass));
  EXPECT_EQ(out.matches[0].end, text.find(kPass) + kPass.size());
  EXPECT_EQ(out.matches[0].line, 3);
  EXPECT_EQ(out.matches[0].evidence, "password: \"" + Redact(kPass));
}

TEST(SecretKubernetes, DoesNotReportOtherKindsEmptyValuesOrPlaceholders) {
  const std::vector<Case> cases = {
      {"ConfigMap", "apiVersion: v1\nkind: ConfigMap\ndata:\n  password: " + kPass + "\n", {}},
      {"ExternalSecret", "kind: ExternalSecret\ndata:\n  password: " + kPass + "\n", {}},
      {"kind in another document", "kind: Secret\nmetadata:\n  name: x\n---\ndata:\n  password: " + kPass + "\n", {}},
      {"kind of another list item",
       "items:\n- kind: Secret\n  metadata: {}\n- kind: ConfigMap\n  data:\n    password: " + kPass + "\n",
       {}},
      {"a nested data key", "kind: Secret\nmetadata:\n  data:\n    password: " + kPass + "\n", {}},
      {"empty values", "kind: Secret\ndata:\n  a: \"\"\n  b: ''\n  c:\n  d: {}\n", {}},
      {"helm templates",
       "kind: Secret\ndata:\n  password: {{ .Values.password | b64enc }}\n  user: \"{{ .Values.u }}\"\n",
       {}},
      {"base64 of a placeholder",
       "kind: Secret\ndata:\n  password: " + Base64Encode("changeme") + "\n  user: " + Base64Encode("admin") +
           "\n  x: " + Base64Encode("xxxxxxxxxxxx") + "\n",
       {}},
      {"not base64", "kind: Secret\ndata:\n  password: Vx9-mQ2#rT7zLp4k\n  b: " + kPass.substr(1) + "\n", {}},
      {"too short", "kind: Secret\ndata:\n  pin: " + Base64Encode("4711") + "\n", {}},
      {"aliases and tags", "kind: Secret\ndata:\n  a: *pw\n  b: !!binary " + kPass + "\n", {}},
      {"stringData placeholders", "kind: Secret\nstringData:\n  password: ${DB_PASSWORD}\n  user: admin\n", {}},
      {"kind as a value", "metadata:\n  labels:\n    kind: Secret\ndata:\n  password: " + kPass + "\n", {}},
  };
  for (const Case& c : cases) EXPECT_EQ(Found(c.text, "kubernetes-"), c.want) << c.name << ":\n" << c.text;
}

TEST(SecretKubernetes, ReadsABoundedPartOfHostileInput) {
  // 20,000 `kind: Secret` lines in one document and deep indentation: each
  // hit within an already-read manifest is skipped, the read is capped.
  std::string text;
  for (int i = 0; i < 20000; ++i) text += "kind: Secret\n";
  text += "data:\n" + std::string(100000, ' ') + "k: " + kPass + "\n";
  for (int i = 0; i < 2000; ++i) text += std::string(static_cast<size_t>(i), ' ') + "a: |\n";
  const auto start = std::chrono::steady_clock::now();
  const ScanOutcome out = Builtin()->Scan(text, "/x.yaml");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));
  for (const Match& m : out.matches) EXPECT_LE(m.end, text.size());
  // At the offsets that are no `kind:` line, nothing.
  EXPECT_TRUE(KubernetesSecretValues(text, text.size(), false).values.empty());
  EXPECT_TRUE(KubernetesSecretValues("", 0, true).values.empty());
  EXPECT_TRUE(KubernetesSecretValues("kind: Secret", 12, false).values.empty());
}

std::string B64Url(std::string_view s) {
  std::string out = Base64Encode(s);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) c = c == '+' ? '-' : c == '/' ? '_' : c;
  return out;
}

const std::string kSig = "Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWprbG1u";

TEST(SecretJwtBase64, ReportsABase64WrappedJwtAndNotImpossibleOnes) {
  const std::string jws = B64Url(R"({"alg":"HS256","typ":"JWT"})") + "." +
                          B64Url(R"({"sub":"ci-bot","iat":1712000000,"exp":1912000000})") + "." + kSig;
  const std::string token = Base64Encode(jws);
  EXPECT_EQ(Found("AUTH=" + token + "\n"), Values{"jwt-base64=" + token});
  std::string unpadded = token;
  while (unpadded.back() == '=') unpadded.pop_back();
  EXPECT_EQ(Found("x: " + unpadded + "\n"), Values{"jwt-base64=" + unpadded});
  const std::vector<std::pair<std::string, std::string>> impossible = {
      {"no signature segment", Base64Encode(jws.substr(0, jws.rfind('.')))},
      {"header without alg", Base64Encode(B64Url(R"({"typ":"JWT","kid":"abcdefgh"})") + "." +
                                          B64Url(R"({"sub":"ci-bot","iat":1712000000})") + "." + kSig)},
      {"header not JSON",
       Base64Encode("eyJub3QganNvbg." + B64Url(R"({"sub":"ci-bot","iat":1712000000})") + "." + kSig)},
      {"not a JWT at all", Base64Encode("eyJ is how every JSON object starts, in base64url of course")},
      {"non-canonical padding", token.substr(0, token.size() - 1) + "=="},
      {"the jwt.io example", Base64Encode(kJwtIoExample)},
  };
  for (const auto& [name, t] : impossible) EXPECT_EQ(Found("x: " + t + "\n"), Values{}) << name << ": " << t;
}

// A PKCS#12 PFX as DER: SEQUENCE { INTEGER 3, SEQUENCE { OID pkcs7-data, … }, … }.
std::string Pfx(size_t body, char version = 3) {
  std::string auth_safe = std::string("\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 11) + std::string(body, '\x5a');
  std::string inner = std::string("\x02\x01", 2) + version + "\x30\x82" + static_cast<char>(auth_safe.size() >> 8) +
                      static_cast<char>(auth_safe.size() & 0xff) + auth_safe;
  return std::string("\x30\x82", 2) + static_cast<char>(inner.size() >> 8) + static_cast<char>(inner.size() & 0xff) +
         inner;
}

TEST(SecretPkcs12, MatchesKeyStoreFilesByNameAndContent) {
  auto engine = Builtin();
  const std::string pfx = Pfx(1200);
  struct FileCase {
    std::string path;
    std::string content;
    bool want;
  };
  const std::vector<FileCase> cases = {
      {"/app/certs/client.p12", pfx, true},
      {"/etc/app/SERVER.PFX", pfx, true},
      {"/app/certs/client.p12.bak", pfx, false},
      {"/app/certs/client.der", pfx, false},
      {"/app/certs/empty.p12", "", false},
      {"/app/certs/text.p12", "not a key store\n", false},
      {"/app/certs/v2.p12", Pfx(1200, 2), false},
      {"/app/certs/cut.p12", pfx.substr(0, 600), false},
      {"/app/certs/cert-as.p12", std::string("\x30\x82\x01\x0a\x30\x82\x01\x02", 8) + std::string(260, 'x'), false},
  };
  for (const FileCase& c : cases) {
    const auto got = engine->MatchFile(c.path, c.content);
    ASSERT_EQ(got.size(), c.want ? 1u : 0u) << c.path;
    if (!c.want) continue;
    EXPECT_EQ(engine->rules()[got[0].rule].id, "pkcs12-file");
    EXPECT_EQ(got[0].line, 0);
    EXPECT_EQ(got[0].evidence.find('\x30'), std::string::npos);
  }
}

TEST(SecretPkcs12, TheAnalyzerKeepsAndReportsBinaryKeyStores) {
  auto engine = Builtin();
  SecretAnalyzer analyzer(engine);
  const std::string pfx = Pfx(2000);
  ASSERT_NE(analyzer.wants().keep_head, nullptr);
  EXPECT_TRUE(analyzer.wants().keep_head(std::string_view(pfx).substr(0, 16)));
  EXPECT_FALSE(
      analyzer.wants().keep_head(std::string("\x7f"
                                             "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0",
                                             16)));
  FileNode node;
  node.path = "/opt/app/keystore.p12";
  LayerResult out;
  analyzer.OnFile(node, pfx, out);
  ASSERT_EQ(out.findings.size(), 1u);
  EXPECT_EQ(out.findings[0].rule_id, "DD-SECRET-pkcs12-file");
  EXPECT_EQ(out.findings[0].location.path, "/opt/app/keystore.p12");
  EXPECT_FALSE(out.findings[0].secret_digest.empty());
  LayerResult again;
  node.path = "/opt/app/keystore.txt";
  analyzer.OnFile(node, pfx, again);
  EXPECT_TRUE(again.findings.empty());
}

}  // namespace
}  // namespace drydock::secret
