// Registry authentication: WWW-Authenticate challenges, token responses,
// docker config.json credential lookup (auths, credsStore, credHelpers)
// and real credential-helper processes (small shell scripts put first on
// PATH). No secret may appear in an error or a warning.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "source/registry_auth.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

using Params = std::map<std::string, std::string>;

// A secret that every credential in these tests contains, so a test can
// check it never leaks into a message.
constexpr char kSecret[] = "s3cr3tPa55";

// ---------------------------------------------------------------------------
// WWW-Authenticate

TEST(RegistryAuthTest, ParsesChallenges) {
  struct Want {
    std::string scheme;
    Params params;
    std::string token68;
  };
  struct Case {
    std::string name;
    std::string header;
    std::vector<Want> want;
  };
  const std::vector<Case> cases = {
      {"docker hub bearer",
       R"(Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/alpine:pull")",
       {{"bearer",
         {{"realm", "https://auth.docker.io/token"},
          {"service", "registry.docker.io"},
          {"scope", "repository:library/alpine:pull"}},
         ""}}},
      {"basic", R"(Basic realm="Registry Realm")", {{"basic", {{"realm", "Registry Realm"}}, ""}}},
      {"two challenges",
       R"(Bearer realm="https://a/token",service="b", Basic realm="c")",
       {{"bearer", {{"realm", "https://a/token"}, {"service", "b"}}, ""}, {"basic", {{"realm", "c"}}, ""}}},
      {"escapes resolved", R"(Bearer realm="a\"b\\c\d")", {{"bearer", {{"realm", "a\"b\\cd"}}, ""}}},
      {"scheme and names lower-cased, values kept",
       R"(BEARER Realm="X",SERVICE=Y)",
       {{"bearer", {{"realm", "X"}, {"service", "Y"}}, ""}}},
      {"token values",
       "Bearer realm=abc, error=insufficient_scope",
       {{"bearer", {{"realm", "abc"}, {"error", "insufficient_scope"}}, ""}}},
      {"spaces around =", R"(Bearer realm = "x" , service= y)", {{"bearer", {{"realm", "x"}, {"service", "y"}}, ""}}},
      {"empty list elements",
       R"(, Basic realm="x",, ,Bearer realm="y",)",
       {{"basic", {{"realm", "x"}}, ""}, {"bearer", {{"realm", "y"}}, ""}}},
      {"scheme only", "Basic", {{"basic", {}, ""}}},
      {"schemes only", "Basic, Negotiate", {{"basic", {}, ""}, {"negotiate", {}, ""}}},
      {"token68", "Negotiate YIIB/x+y==", {{"negotiate", {}, "YIIB/x+y=="}}},
      {"token68 then challenge",
       R"(Negotiate abc=, Basic realm="r")",
       {{"negotiate", {}, "abc="}, {"basic", {{"realm", "r"}}, ""}}},
      {"first duplicate kept", R"(Bearer realm="one",realm="two")", {{"bearer", {{"realm", "one"}}, ""}}},
      {"quoted commas and equals",
       R"(Bearer scope="repository:a/b:pull,push",realm="x=y")",
       {{"bearer", {{"scope", "repository:a/b:pull,push"}, {"realm", "x=y"}}, ""}}},
      {"empty quoted value", R"(Bearer realm="")", {{"bearer", {{"realm", ""}}, ""}}},
      {"obs-text in quotes", "Bearer realm=\"caf\xc3\xa9\xff\"", {{"bearer", {{"realm", "caf\xc3\xa9\xff"}}, ""}}},
      {"ten thousand commas", std::string(10000, ',') + "Basic" + std::string(10000, ','), {{"basic", {}, ""}}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ParseWwwAuthenticate(c.header);
    ASSERT_TRUE(r.ok()) << r.error().message;
    ASSERT_EQ(r->size(), c.want.size());
    for (size_t i = 0; i < c.want.size(); ++i) {
      EXPECT_EQ((*r)[i].scheme, c.want[i].scheme);
      EXPECT_EQ((*r)[i].params, c.want[i].params);
      EXPECT_EQ((*r)[i].token68, c.want[i].token68);
    }
  }
}

TEST(RegistryAuthTest, RejectsMalformedChallenges) {
  struct Case {
    std::string name;
    std::string header;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"empty", "", "no challenge"},
      {"only commas", ", ,,", "no challenge"},
      {"unterminated quote", R"(Bearer realm="abc)", "unterminated quoted string"},
      {"backslash at end", R"(Bearer realm="abc\)", "unterminated quoted string"},
      {"parameter without value", R"(Bearer realm=, service="x")", "offset"},
      {"trailing parameter without value", R"(Bearer realm="x", service=)", "offset"},
      {"missing comma", R"(Bearer realm="x" service="y")", "expected ','"},
      {"no scheme", R"(="x")", "expected an auth scheme"},
      {"control char in quotes", std::string("Bearer realm=\"a\x01") + "b\"", "control character"},
      {"NUL in quotes", std::string("Bearer realm=\"a\0b\"", 17), "control character"},
      {"NUL outside quotes", std::string("Bearer\0 realm=x", 15), "offset 6"},
      {"bad char after scheme", "Bearer(realm=x)", "after scheme"},
      {"too big", "Bearer realm=\"" + std::string(64 * 1024, 'a') + "\"", "64 KiB"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ParseWwwAuthenticate(c.header);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.rfind("WWW-Authenticate: ", 0), 0u) << r.error().message;
  }
}

// ---------------------------------------------------------------------------
// Token responses

TEST(RegistryAuthTest, ParsesTokenResponses) {
  struct Case {
    std::string name;
    std::string body;
    TokenResponse want;
  };
  const std::vector<Case> cases = {
      {"token", R"({"token":"t1"})", {"t1", 60, "", ""}},
      {"access_token", R"({"access_token":"a1"})", {"a1", 60, "", ""}},
      {"token wins", R"({"access_token":"a1","token":"t1"})", {"t1", 60, "", ""}},
      {"empty token falls back", R"({"token":"","access_token":"a1"})", {"a1", 60, "", ""}},
      {"all fields",
       R"({"token":"t","expires_in":300,"issued_at":"2024-01-02T03:04:05Z","refresh_token":"r"})",
       {"t", 300, "2024-01-02T03:04:05Z", "r"}},
      {"short lifetime raised to 60", R"({"token":"t","expires_in":30})", {"t", 60, "", ""}},
      {"negative lifetime raised to 60", R"({"token":"t","expires_in":-5})", {"t", 60, "", ""}},
      {"huge lifetime capped at a year",
       R"({"token":"t","expires_in":9223372036854775807})",
       {"t", 365LL * 24 * 3600, "", ""}},
      {"above int64 capped", R"({"token":"t","expires_in":18446744073709551615})", {"t", 365LL * 24 * 3600, "", ""}},
      {"null fields are absent", R"({"token":"t","expires_in":null,"refresh_token":null})", {"t", 60, "", ""}},
      {"names fold case", R"({"Token":"t","Expires_In":120})", {"t", 120, "", ""}},
      {"unknown fields ignored", R"({"token":"t","scope":["a"],"x":{"y":1}})", {"t", 60, "", ""}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ParseTokenResponse(c.body);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->token, c.want.token);
    EXPECT_EQ(r->expires_in, c.want.expires_in);
    EXPECT_EQ(r->issued_at, c.want.issued_at);
    EXPECT_EQ(r->refresh_token, c.want.refresh_token);
  }
}

TEST(RegistryAuthTest, RejectsBadTokenResponsesWithoutQuotingThem) {
  struct Case {
    std::string name;
    std::string body;
    std::string want;
  };
  const std::string s = kSecret;
  const std::vector<Case> cases = {
      {"no token", R"({"expires_in":60,"refresh_token":")" + s + R"("})", "no \"token\""},
      {"empty object", "{}", "no \"token\""},
      {"not an object", R"([")" + s + R"("])", "not a JSON object"},
      {"token not a string", R"({"token":12})", "not a string"},
      {"expires_in fraction", R"({"token":")" + s + R"(","expires_in":3600.5})", "not an integer"},
      {"expires_in string", R"({"token":")" + s + R"(","expires_in":"3600"})", "not an integer"},
      {"expires_in huge float", R"({"token":")" + s + R"(","expires_in":1e300})", "not an integer"},
      {"truncated", R"({"token":")" + s, "invalid JSON"},
      {"empty", "", "invalid JSON"},
      {"too big", R"({"token":")" + std::string(1024 * 1024, 'a') + R"("})", "1 MiB"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = ParseTokenResponse(c.body);
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find(kSecret), std::string::npos) << r.error().message;
  }
}

TEST(RegistryAuthTest, BasicAuthorization) {
  struct Case {
    Credentials c;
    std::string want;
  };
  const Case cases[] = {
      {{"user", "pass", "", ""}, "Basic dXNlcjpwYXNz"},
      {{"a", "b:c", "", ""}, "Basic YTpiOmM="},
      {{"", "", "", ""}, "Basic Og=="},
      {{"Aladdin", "open sesame", "", ""}, "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="},
  };
  for (const Case& c : cases) EXPECT_EQ(BasicAuthorization(c.c), c.want);
}

// ---------------------------------------------------------------------------
// config.json keys and lookups (no helper processes)

TEST(RegistryAuthTest, ConvertToHostnameAsDockerCli) {
  struct Case {
    std::string key;
    std::string want;
  };
  const Case cases[] = {
      {"https://index.docker.io/v1/", "index.docker.io"},
      {"index.docker.io", "index.docker.io"},
      {"index.docker.io/v1/", "index.docker.io"},
      {"http://localhost:5000", "localhost:5000"},
      {"localhost:5000/v2/", "localhost:5000"},
      {"https://ghcr.io/v2/", "ghcr.io"},
      {"https://user:pw@ghcr.io/x", "ghcr.io"},
      {"https://[::1]:5000/v2/", "[::1]:5000"},
      {"https://[::1]/", "::1"},
      {"https://fe80::1:5000/x", "[fe80::1]:5000"},  // net/url refuses it; the fallback brackets it
      {"https://host:abc/", "host:abc"},             // bad port: the fallback keeps it
      {"https://host.io?x=y", "host.io"},
      {"https://", "https:"},
      {"ghcr.io", "ghcr.io"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(ConvertToHostname(c.key), c.want) << c.key;
}

// Standard padded base64, written out here so the tests do not lean on
// the code under test.
std::string B64(const std::string& in) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < in.size(); i += 3) {
    uint32_t n = static_cast<unsigned char>(in[i]) << 16;
    if (i + 1 < in.size()) n |= static_cast<unsigned char>(in[i + 1]) << 8;
    if (i + 2 < in.size()) n |= static_cast<unsigned char>(in[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < in.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < in.size() ? kAlphabet[n & 63] : '=';
  }
  return out;
}

TEST(RegistryAuthTest, FindsCredentialsInAuths) {
  struct Case {
    std::string name;
    std::string config;
    std::string registry;
    Credentials want;  // `from` compared as a substring
  };
  const std::string pw = kSecret;
  const std::string auth = B64("alice:" + pw);
  const std::vector<Case> cases = {
      {"base64 auth",
       R"({"auths":{"ghcr.io":{"auth":")" + auth + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", "auths[\"ghcr.io\"]"}},
      {"hub under the index URL",
       R"({"auths":{"https://index.docker.io/v1/":{"auth":")" + auth + R"("}}})",
       "docker.io",
       {"alice", pw, "", "https://index.docker.io/v1/"}},
      {"hub as docker.io",
       R"({"auths":{"docker.io":{"auth":")" + auth + R"("}}})",
       "docker.io",
       {"alice", pw, "", "docker.io"}},
      {"hub as index.docker.io",
       R"({"auths":{"index.docker.io":{"auth":")" + auth + R"("}}})",
       "docker.io",
       {"alice", pw, "", ""}},
      {"hub as registry-1.docker.io",
       R"({"auths":{"https://registry-1.docker.io/v2/":{"auth":")" + auth + R"("}}})",
       "docker.io",
       {"alice", pw, "", ""}},
      {"exact key wins over an alias",
       R"({"auths":{"docker.io":{"username":"bob","password":"x"},"https://index.docker.io/v1/":{"auth":")" + auth +
           R"("}}})",
       "docker.io",
       {"alice", pw, "", ""}},
      {"last duplicate exact key wins",
       R"({"auths":{"ghcr.io":{"username":"bob","password":"x"},"ghcr.io":{"auth":")" + auth + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", ""}},
      {"key with scheme and path",
       R"({"auths":{"https://ghcr.io/v2/":{"auth":")" + auth + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", ""}},
      {"host case folds", R"({"auths":{"GHCR.io":{"auth":")" + auth + R"("}}})", "ghcr.io", {"alice", pw, "", ""}},
      {"port must match",
       R"({"auths":{"localhost:5000":{"auth":")" + auth + R"("}}})",
       "localhost:5001",
       {"", "", "", ""}},
      {"hub creds are not for another registry",
       R"({"auths":{"https://index.docker.io/v1/":{"auth":")" + auth + R"("}}})",
       "ghcr.io",
       {"", "", "", ""}},
      {"username and password fields",
       R"({"auths":{"ghcr.io":{"username":"alice","password":")" + pw + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", ""}},
      {"auth overrides the fields",
       R"({"auths":{"ghcr.io":{"username":"bob","password":"x","auth":")" + auth + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", ""}},
      {"identity token", R"({"auths":{"ghcr.io":{"identitytoken":")" + pw + R"("}}})", "ghcr.io", {"", "", pw, ""}},
      {"registry token", R"({"auths":{"ghcr.io":{"registrytoken":")" + pw + R"("}}})", "ghcr.io", {"", pw, "", ""}},
      {"NULs trimmed from the password",
       R"({"auths":{"ghcr.io":{"auth":")" + B64("alice:" + pw + '\0') + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", ""}},
      {"password may hold colons",
       R"({"auths":{"ghcr.io":{"auth":")" + B64("alice:a:b") + R"("}}})",
       "ghcr.io",
       {"alice", "a:b", "", ""}},
      {"field names fold case",
       R"({"AUTHS":{"ghcr.io":{"Auth":")" + auth + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", ""}},
      {"no entry", R"({"auths":{"quay.io":{"auth":")" + auth + R"("}}})", "ghcr.io", {"", "", "", ""}},
      {"empty entry (Docker Desktop)", R"({"auths":{"ghcr.io":{}}})", "ghcr.io", {"", "", "", ""}},
      {"no auths", R"({"psFormat":"x"})", "ghcr.io", {"", "", "", ""}},
      {"null auths", R"({"auths":null})", "ghcr.io", {"", "", "", ""}},
      {"empty file", "", "ghcr.io", {"", "", "", ""}},
      {"whitespace file", " \n\t\r\n", "ghcr.io", {"", "", "", ""}},
      {"other entries are not checked",
       R"({"auths":{"quay.io":{"auth":5},"ghcr.io":{"auth":")" + auth + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", ""}},
      {"empty credHelpers entry skips credsStore",
       R"({"credsStore":"nope","credHelpers":{"ghcr.io":""},"auths":{"ghcr.io":{"auth":")" + auth + R"("}}})",
       "ghcr.io",
       {"alice", pw, "", ""}},
      {"IPv6 registry", R"({"auths":{"[::1]:5000":{"auth":")" + auth + R"("}}})", "[::1]:5000", {"alice", pw, "", ""}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = LookupCredentialsInConfig(c.config, c.registry, "/cfg/config.json", HelperOptions{.run = false});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->credentials.username, c.want.username);
    EXPECT_EQ(r->credentials.password, c.want.password);
    EXPECT_EQ(r->credentials.identity_token, c.want.identity_token);
    EXPECT_NE(r->credentials.from.find(c.want.from), std::string::npos) << r->credentials.from;
    if (!r->credentials.empty()) {
      EXPECT_NE(r->credentials.from.find("/cfg/config.json"), std::string::npos);
    }
    EXPECT_EQ(r->warning, "");
  }
}

TEST(RegistryAuthTest, MalformedConfigsNameFileAndKeyButNoSecret) {
  struct Case {
    std::string name;
    std::string config;
    std::string want;
  };
  const std::string pw = kSecret;
  const std::vector<Case> cases = {
      {"truncated JSON", R"({"auths":{"ghcr.io":{"password":")" + pw, "invalid JSON"},
      {"top-level array", R"([")" + pw + R"("])", "not a JSON object"},
      {"auths not an object", R"({"auths":[")" + pw + R"("]})", "\"auths\" is not an object"},
      {"entry not an object", R"({"auths":{"ghcr.io":")" + pw + R"("}})", "auths[\"ghcr.io\"]: not a JSON object"},
      {"auth not base64", R"({"auths":{"ghcr.io":{"auth":")" + pw + R"(!!"}}})", "auths[\"ghcr.io\"]"},
      {"auth unpadded", R"({"auths":{"ghcr.io":{"auth":")" + B64("alice:" + pw + "x").substr(0, 22) + R"("}}})",
       "not valid base64"},
      {"auth without colon", R"({"auths":{"ghcr.io":{"auth":")" + B64("alice" + pw) + R"("}}})",
       "does not decode to \"username:password\""},
      {"auth with data after padding", R"({"auths":{"ghcr.io":{"auth":")" + B64("alice:" + pw + "x") + R"(AAAA"}}})",
       "not valid base64"},
      {"auth with empty user", R"({"auths":{"ghcr.io":{"auth":")" + B64(":" + pw) + R"("}}})",
       "does not decode to \"username:password\""},
      {"password not a string", R"({"auths":{"ghcr.io":{"username":")" + pw + R"(","password":1}}})",
       "field \"password\" is not a string"},
      {"credsStore not a string", R"({"credsStore":[")" + pw + R"("]})", "\"credsStore\" is not a string"},
      {"credHelpers not an object", R"({"credHelpers":")" + pw + R"("})", "\"credHelpers\" is not an object"},
      {"credHelpers entry not a string", R"({"credHelpers":{"ghcr.io":{"x":")" + pw + R"("}}})",
       "credHelpers[\"ghcr.io\"] is not a string"},
      {"too big", R"({"auths":{"ghcr.io":{"password":")" + pw + std::string(1024 * 1024, 'a') + R"("}}})", "1 MiB"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    auto r = LookupCredentialsInConfig(c.config, "ghcr.io", "/cfg/config.json", HelperOptions{.run = false});
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("/cfg/config.json"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find(kSecret), std::string::npos) << r.error().message;
  }
}

TEST(RegistryAuthTest, HelpersNotRunWhenDisabled) {
  // The fuzzer's mode: a store that cannot run warns, a credHelper fails.
  auto store = LookupCredentialsInConfig(R"({"credsStore":"desktop","auths":{"ghcr.io":{"auth":"YTpi"}}})", "ghcr.io",
                                         "/cfg/config.json", HelperOptions{.run = false});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(store->credentials.empty());
  EXPECT_NE(store->warning.find("docker-credential-desktop"), std::string::npos) << store->warning;
  EXPECT_NE(store->warning.find("credsStore"), std::string::npos) << store->warning;

  auto helper = LookupCredentialsInConfig(R"({"credHelpers":{"ghcr.io":"gcloud"}})", "ghcr.io", "/cfg/config.json",
                                          HelperOptions{.run = false});
  ASSERT_FALSE(helper.ok());
  EXPECT_NE(helper.error().message.find("credHelpers[\"ghcr.io\"]"), std::string::npos) << helper.error().message;
}

// ---------------------------------------------------------------------------
// Config files on disk

class ScopedEnv {
 public:
  ScopedEnv(const char* name, const std::string* value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value) {
      ::setenv(name, value->c_str(), 1);
    } else {
      ::unsetenv(name);
    }
  }
  ~ScopedEnv() {
    if (old_) {
      ::setenv(name_, old_->c_str(), 1);
    } else {
      ::unsetenv(name_);
    }
  }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  const char* name_;
  std::optional<std::string> old_;
};

TEST(RegistryAuthTest, ReadsConfigFromDirectoryOrEnvironment) {
  testing::TempDir dir;
  const std::string config = R"({"auths":{"ghcr.io":{"auth":")" + B64(std::string("alice:") + kSecret) + R"("}}})";
  dir.Write("a/config.json", config);
  dir.Write("b/config.json/x", "");  // config.json is a directory
  dir.Write("c/config.json", "{");

  auto direct = LookupCredentials("ghcr.io", dir.path() + "/a");
  ASSERT_TRUE(direct.ok()) << direct.error().message;
  EXPECT_EQ(direct->credentials.username, "alice");

  const std::string a = dir.path() + "/a";
  {
    ScopedEnv env("DOCKER_CONFIG", &a);
    auto from_env = LookupCredentials("ghcr.io", "");
    ASSERT_TRUE(from_env.ok()) << from_env.error().message;
    EXPECT_EQ(from_env->credentials.password, kSecret);
  }
  {
    const std::string home = dir.path() + "/home";
    dir.Write("home/.docker/config.json", config);
    ScopedEnv no_env("DOCKER_CONFIG", nullptr);
    ScopedEnv env("HOME", &home);
    auto from_home = LookupCredentials("ghcr.io", "");
    ASSERT_TRUE(from_home.ok()) << from_home.error().message;
    EXPECT_EQ(from_home->credentials.username, "alice");
  }

  auto missing = LookupCredentials("ghcr.io", dir.path() + "/none");
  ASSERT_TRUE(missing.ok()) << missing.error().message;
  EXPECT_TRUE(missing->credentials.empty());
  EXPECT_EQ(missing->warning, "");

  auto is_dir = LookupCredentials("ghcr.io", dir.path() + "/b");
  ASSERT_FALSE(is_dir.ok());
  EXPECT_NE(is_dir.error().message.find(dir.path() + "/b/config.json"), std::string::npos) << is_dir.error().message;

  auto bad = LookupCredentials("ghcr.io", dir.path() + "/c");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(dir.path() + "/c/config.json"), std::string::npos) << bad.error().message;
}

// ---------------------------------------------------------------------------
// Credential helper processes

// Puts `dir`/bin first on PATH for the test's lifetime and writes
// docker-credential-NAME scripts there.
class RegistryAuthHelperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* old = std::getenv("PATH");
    if (old) old_path_ = old;
    const std::string path = dir_.path() + "/bin:" + old_path_.value_or("/usr/bin:/bin");
    ::setenv("PATH", path.c_str(), 1);
  }
  void TearDown() override {
    if (old_path_) {
      ::setenv("PATH", old_path_->c_str(), 1);
    } else {
      ::unsetenv("PATH");
    }
  }
  void Helper(const std::string& name, const std::string& body) {
    const std::string path = dir_.Write("bin/docker-credential-" + name, "#!/bin/sh\n" + body);
    ASSERT_EQ(::chmod(path.c_str(), 0755), 0);
  }
  static void ExpectNoSecret(const std::string& s) { EXPECT_EQ(s.find(kSecret), std::string::npos) << s; }

  testing::TempDir dir_;
  std::optional<std::string> old_path_;
};

// Answers only for `server` on stdin and `get` as argument.
std::string AnswerFor(const std::string& server, const std::string& json) {
  return "[ \"$1\" = get ] || exit 3\n"
         "url=$(cat)\n"
         "if [ \"$url\" = '" +
         server + "' ]; then printf '%s' '" + json +
         "'; exit 0; fi\n"
         "echo 'credentials not found in native keychain'\n"
         "exit 1\n";
}

TEST_F(RegistryAuthHelperTest, FoundForRegistryAndHub) {
  const std::string answer = std::string(R"({"ServerURL":"x","Username":"alice","Secret":")") + kSecret + R"("})";
  Helper("ghcr", AnswerFor("ghcr.io", answer));
  Helper("hub", AnswerFor("https://index.docker.io/v1/", answer));

  auto direct = RunCredentialHelper("ghcr", "ghcr.io", std::chrono::seconds(5));
  ASSERT_TRUE(direct.ok()) << direct.error().message;
  EXPECT_EQ(direct->username, "alice");
  EXPECT_EQ(direct->password, kSecret);
  EXPECT_EQ(direct->identity_token, "");

  struct Case {
    std::string config;
    std::string registry;
    std::string from;
  };
  const Case cases[] = {
      {R"({"credHelpers":{"ghcr.io":"ghcr"}})", "ghcr.io", "credHelpers[\"ghcr.io\"] (ghcr)"},
      {R"({"credsStore":"ghcr"})", "ghcr.io", "credsStore (ghcr)"},
      {R"({"credsStore":"hub"})", "docker.io", "credsStore (hub)"},
      {R"({"credsStore":"hub"})", "index.docker.io", "credsStore (hub)"},
      {R"({"credHelpers":{"https://index.docker.io/v1/":"hub"}})", "docker.io", "credHelpers"},
      {R"({"credHelpers":{"docker.io":"hub"}})", "docker.io", "credHelpers"},
      // credHelpers beats credsStore; a helper's answer beats auths.
      {R"({"credsStore":"nope","credHelpers":{"ghcr.io":"ghcr"},"auths":{"ghcr.io":{"auth":"Ym9iOng="}}})", "ghcr.io",
       "credHelpers"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.config + " " + c.registry);
    auto r = LookupCredentialsInConfig(c.config, c.registry, "/cfg/config.json", {.timeout = std::chrono::seconds(5)});
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->credentials.username, "alice");
    EXPECT_EQ(r->credentials.password, kSecret);
    EXPECT_NE(r->credentials.from.find(c.from), std::string::npos) << r->credentials.from;
    EXPECT_EQ(r->warning, "");
  }
}

TEST_F(RegistryAuthHelperTest, NotFoundIsAnonymousWithoutWarning) {
  Helper("ghcr", AnswerFor("ghcr.io", R"({"Username":"alice","Secret":"x"})"));
  auto direct = RunCredentialHelper("ghcr", "quay.io");
  ASSERT_TRUE(direct.ok()) << direct.error().message;
  EXPECT_TRUE(direct->empty());

  for (const std::string config : {R"({"credsStore":"ghcr"})", R"({"credHelpers":{"quay.io":"ghcr"}})"}) {
    SCOPED_TRACE(config);
    // auths is not consulted when a helper answers, even "not found" (docker's native store).
    const std::string with_auths = config.substr(0, config.size() - 1) + R"(,"auths":{"quay.io":{"auth":"Ym9iOng="}}})";
    auto r = LookupCredentialsInConfig(with_auths, "quay.io", "/cfg/config.json");
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(r->credentials.empty());
    EXPECT_EQ(r->warning, "");
  }
}

TEST_F(RegistryAuthHelperTest, MissingHelperWarnsForStoreFailsForCredHelper) {
  auto direct = RunCredentialHelper("drydock-test-missing", "ghcr.io");
  ASSERT_FALSE(direct.ok());
  EXPECT_EQ(direct.error().kind, Error::Kind::kEnvironment);
  EXPECT_NE(direct.error().message.find("docker-credential-drydock-test-missing: not installed"), std::string::npos)
      << direct.error().message;

  auto store = LookupCredentialsInConfig(R"({"credsStore":"drydock-test-missing"})", "ghcr.io", "/cfg/config.json");
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(store->credentials.empty());
  EXPECT_NE(store->warning.find("/cfg/config.json credsStore for ghcr.io"), std::string::npos) << store->warning;
  EXPECT_NE(store->warning.find("not installed"), std::string::npos) << store->warning;

  auto helper =
      LookupCredentialsInConfig(R"({"credHelpers":{"ghcr.io":"drydock-test-missing"}})", "ghcr.io", "/cfg/config.json");
  ASSERT_FALSE(helper.ok());
  EXPECT_NE(helper.error().message.find("not installed"), std::string::npos) << helper.error().message;
}

TEST_F(RegistryAuthHelperTest, HangingHelperIsKilledAtTheDeadline) {
  // The script's child (sleep) must die too: the whole process group goes.
  Helper("hang", "sleep 30 &\necho $! > '" + dir_.path() + "/child.pid'\nwait\n");
  const auto start = std::chrono::steady_clock::now();
  auto r = RunCredentialHelper("hang", "ghcr.io", std::chrono::milliseconds(1000));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no answer within 1 s; killed"), std::string::npos) << r.error().message;
  EXPECT_GE(took, std::chrono::milliseconds(900));
  EXPECT_LT(took, std::chrono::seconds(4));

  std::ifstream pidfile(dir_.path() + "/child.pid");
  pid_t child = 0;
  ASSERT_TRUE(pidfile >> child);
  // Gone, or a zombie waiting for init to reap it.
  bool dead = false;
  for (int i = 0; i < 300 && !dead; ++i) {
    std::ifstream stat("/proc/" + std::to_string(child) + "/stat");
    std::string pid_s, comm, state;
    dead = !(stat >> pid_s >> comm >> state) || state == "Z";
    if (!dead) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(dead) << "sleep " << child << " survived";

  auto store = LookupCredentialsInConfig(R"({"credsStore":"hang"})", "ghcr.io", "/cfg/config.json",
                                         {.timeout = std::chrono::milliseconds(300)});
  ASSERT_TRUE(store.ok()) << store.error().message;
  EXPECT_TRUE(store->credentials.empty());
  EXPECT_NE(store->warning.find("no answer within 300 ms"), std::string::npos) << store->warning;
}

TEST_F(RegistryAuthHelperTest, HugeOutputIsCutOff) {
  Helper("huge", "head -c 1000000 /dev/zero | tr '\\0' a\n");
  const auto start = std::chrono::steady_clock::now();
  auto r = RunCredentialHelper("huge", "ghcr.io", std::chrono::seconds(5));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("64 KiB"), std::string::npos) << r.error().message;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
}

TEST_F(RegistryAuthHelperTest, IdentityToken) {
  Helper("tok", std::string(R"(printf '{"ServerURL":"ghcr.io","Username":"<token>","Secret":")") + kSecret + "\"}'\n");
  auto r = RunCredentialHelper("tok", "ghcr.io");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->username, "");
  EXPECT_EQ(r->password, "");
  EXPECT_EQ(r->identity_token, kSecret);
}

TEST_F(RegistryAuthHelperTest, FailuresNeverQuoteSecrets) {
  const std::string secret_json = std::string(R"({"Username":"alice","Secret":")") + kSecret + R"("})";
  struct Case {
    std::string name;
    std::string body;
    std::string want;
  };
  const std::vector<Case> cases = {
      {"exit 1 with credentials JSON", "printf '%s\\n' '" + secret_json + "'\nexit 1\n", "output withheld"},
      {"exit 2 with a message", "echo 'pass store is locked' >&2\necho 'pass store is locked'\nexit 2\n",
       "exit status 2: pass store is locked"},
      {"killed by a signal", "kill -9 $$\n", "killed by signal 9"},
      {"not JSON", std::string("printf 'Username=alice Secret=") + kSecret + "'\n", "invalid JSON"},
      {"JSON array", std::string("printf '[\"") + kSecret + "\"]'\n", "not a JSON object"},
      {"Secret not a string", "printf '{\"Username\":\"a\",\"Secret\":5}'\n", "\"Secret\" is not a string"},
      {"no output", "exit 0\n", "printed nothing"},
      {"stdout closed before exit", "exec 3>&1 1>&-\nsleep 0.2\n", "printed nothing"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Helper("fail", c.body);
    auto r = RunCredentialHelper("fail", "ghcr.io", std::chrono::seconds(5));
    ASSERT_FALSE(r.ok());
    EXPECT_NE(r.error().message.find(c.want), std::string::npos) << r.error().message;
    EXPECT_NE(r.error().message.find("docker-credential-fail get"), std::string::npos) << r.error().message;
    ExpectNoSecret(r.error().message);

    auto store = LookupCredentialsInConfig(R"({"credsStore":"fail"})", "ghcr.io", "/cfg/config.json");
    ASSERT_TRUE(store.ok());
    ExpectNoSecret(store->warning);
    auto helper = LookupCredentialsInConfig(R"({"credHelpers":{"ghcr.io":"fail"}})", "ghcr.io", "/cfg/config.json");
    ASSERT_FALSE(helper.ok());
    ExpectNoSecret(helper.error().message);
  }
}

TEST_F(RegistryAuthHelperTest, HelperThatIgnoresStdinAndStderrNoise) {
  // Closes stdin before we write (EPIPE must not kill us) and floods stderr.
  Helper("rude", "exec 0<&-\nhead -c 300000 /dev/zero >&2\nprintf '{\"Username\":\"u\",\"Secret\":\"p\"}'\n");
  for (int i = 0; i < 5; ++i) {
    auto r = RunCredentialHelper("rude", "ghcr.io", std::chrono::seconds(5));
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(r->username, "u");
  }
}

TEST_F(RegistryAuthHelperTest, RefusesNamesThatArePaths) {
  for (const std::string& name : std::vector<std::string>{"../x", "/bin/sh", "", std::string("a\0b", 3)}) {
    auto r = RunCredentialHelper(name, "ghcr.io");
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_NE(r.error().message.find("not a plain program name"), std::string::npos) << r.error().message;
  }
  auto r = LookupCredentialsInConfig(R"({"credHelpers":{"ghcr.io":"../../tmp/x"}})", "ghcr.io", "/cfg/config.json");
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace drydock
