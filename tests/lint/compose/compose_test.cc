// The compose loader: interpolation, merge keys, extends, multi-file merge,
// line numbers and bounded alias expansion.
#include <gtest/gtest.h>

#include "lint/compose/compose.h"

namespace drydock {
namespace {

ComposeOptions NoEnv() {
  ComposeOptions o;
  o.use_process_env = false;
  o.use_dotenv = false;
  return o;
}

TEST(Compose, Interpolation) {
  const std::map<std::string, std::string> env = {{"A", "x"}, {"E", ""}};
  struct Case {
    std::string in, want;
  };
  const std::vector<Case> cases = {
      {"$A", "x"},         {"${A}", "x"},          {"${U}", ""},        {"${E:-d}", "d"}, {"${E-d}", ""},
      {"${U-d}", "d"},     {"${A:+y}", "y"},       {"${U+y}", ""},      {"$$A", "$A"},    {"a$$$A", "a$x"},
      {"${U:-${A}}", "x"}, {"no vars", "no vars"}, {"${A:?need}", "x"}, {"100$", "100$"},
  };
  for (const auto& c : cases) {
    auto got = InterpolateCompose(c.in, env);
    ASSERT_TRUE(got.ok()) << c.in;
    EXPECT_EQ(*got, c.want) << c.in;
  }
  EXPECT_FALSE(InterpolateCompose("${U:?must be set}", env).ok());
  EXPECT_FALSE(InterpolateCompose("${A", env).ok());
  EXPECT_FALSE(InterpolateCompose("${}", env).ok());
}

TEST(Compose, DotEnv) {
  auto env = ParseDotEnv("# c\nA=1\nexport B=\"two words\"\nC='x' \nD=v # trailing\n\nbad line\n");
  EXPECT_EQ(env["A"], "1");
  EXPECT_EQ(env["B"], "two words");
  EXPECT_EQ(env["C"], "x");
  EXPECT_EQ(env["D"], "v");
  EXPECT_FALSE(env.contains("bad line"));
}

TEST(Compose, MergeKeysAndLines) {
  auto root = ParseComposeYaml("x: &b\n  a: 1\n  b: 2\nservices:\n  s:\n    <<: *b\n    b: 3\n    privileged: true\n",
                               "c.yml", NoEnv());
  ASSERT_TRUE(root.ok()) << root.error().message;
  const ComposeNode* s = root->Get("services")->Get("s");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->Get("a")->scalar, "1");
  EXPECT_EQ(s->Get("b")->scalar, "3");  // explicit keys win over merged ones
  EXPECT_EQ(s->Get("<<"), nullptr);
  EXPECT_EQ(s->Get("privileged")->line, 8);
  EXPECT_EQ(s->Get("privileged")->file, "c.yml");
}

TEST(Compose, ProjectMergedLikeComposeConfig) {
  const std::string dir = std::string(DRYDOCK_TESTDATA) + "/compose/project";
  ComposeOptions o;
  o.use_process_env = false;
  auto p = LoadCompose({dir + "/compose.yaml", dir + "/compose.override.yaml"}, o);
  ASSERT_TRUE(p.ok()) << p.error().message;
  const ComposeNode* services = p->root.Get("services");
  ASSERT_NE(services, nullptr);
  const ComposeNode* web = services->Get("web");
  ASSERT_NE(web, nullptr);
  EXPECT_EQ(web->Get("image")->scalar, "nginx:1.27.2");  // from .env
  EXPECT_EQ(web->Get("restart")->scalar, "always");      // from the anchor
  EXPECT_EQ(web->Get("environment")->Get("LOG_LEVEL")->scalar, "debug");
  EXPECT_EQ(web->Get("environment")->Get("PRICE")->scalar, "$5");
  ASSERT_TRUE(web->Get("ports")->IsSeq());
  EXPECT_EQ(web->Get("ports")->seq.size(), 2u);  // appended across files
  EXPECT_EQ(web->Get("privileged")->file, dir + "/compose.override.yaml");
  const ComposeNode* db = services->Get("db");
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->Get("image")->scalar, "postgres:16.4");  // extends from base.yaml
  EXPECT_EQ(db->Get("environment")->Get("POSTGRES_PASSWORD")->scalar, "fromfile123");
  EXPECT_EQ(db->Get("environment")->Get("POSTGRES_DB")->scalar, "app");
  EXPECT_EQ(db->Get("extends"), nullptr);
  const ComposeNode* worker = services->Get("worker");
  ASSERT_NE(worker, nullptr);
  EXPECT_EQ(worker->Get("image")->scalar, "nginx:1.27.2");
  ASSERT_TRUE(worker->Get("command")->IsSeq());
  EXPECT_EQ(worker->Get("command")->seq[2].scalar, "emails");
}

TEST(Compose, RejectsHostileDocuments) {
  struct Case {
    std::string name, text, error;
  };
  std::string bomb = "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n";
  for (char c = 'b'; c <= 'j'; ++c) {
    std::string prev(1, static_cast<char>(c - 1));
    bomb += std::string(1, c) + ": &" + c + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev +
            ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n";
  }
  const std::vector<Case> cases = {
      {"alias_bomb", bomb, "alias"},
      {"not_a_map", "- a\n- b\n", "must be a YAML map"},
      {"invalid_yaml", "services: [a\n", "invalid YAML"},
      {"nul", std::string("services:\0", 10), "NUL"},
      {"deep", std::string(5000, '[') + std::string(5000, ']'), "nested deeper"},
      {"service_not_map", "services:\n  web: 3\n", "must be a map"},
      {"required_var", "services:\n  web:\n    image: ${NOPE:?set NOPE}\n", "required variable NOPE"},
  };
  for (const auto& c : cases) {
    auto r = ParseComposeYaml(c.text, "c.yml", NoEnv());
    ASSERT_FALSE(r.ok()) << c.name;
    EXPECT_NE(r.error().message.find(c.error), std::string::npos) << c.name << ": " << r.error().message;
  }
}

TEST(Compose, ExtendsCycleIsAnError) {
  auto root = ParseComposeYaml("services:\n  a:\n    extends: b\n  b:\n    extends: a\n", "c.yml", NoEnv());
  ASSERT_TRUE(root.ok());
  auto s = ResolveExtends(*root, ".", NoEnv());
  EXPECT_FALSE(s.ok());
}

}  // namespace
}  // namespace drydock
