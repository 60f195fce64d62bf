// The Engine API readers: real documents from a Docker 20.10 daemon
// (tests/testdata/audit/) and hostile variants.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "engine/client.h"
#include "engine/inspect.h"

namespace drydock {
namespace {

std::string Fixture(const std::string& name) {
  std::ifstream in(std::string(DRYDOCK_TESTDATA) + "/audit/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(EngineInspect, ReadsARealContainerDocument) {
  auto c = ParseContainerInspect(Fixture("container_plain.json"));
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->name, "plain");
  EXPECT_EQ(c->id.size(), 64u);
  EXPECT_TRUE(c->running);
  EXPECT_FALSE(c->privileged);
  EXPECT_EQ(c->network_mode, "default");
  EXPECT_EQ(c->ipc_mode, "private");
  EXPECT_EQ(c->restart_policy, "no");
  EXPECT_FALSE(c->pids_limit.has_value());
  EXPECT_EQ(c->path, "sleep");
  EXPECT_FALSE(c->has_health);
}

TEST(EngineInspect, ReadsARealInfoDocument) {
  auto d = ParseDaemonInfo(Fixture("info.json"));
  ASSERT_TRUE(d.ok()) << d.error().message;
  EXPECT_EQ(d->swarm_state, "inactive");
  EXPECT_TRUE(d->HasSecurityOption("seccomp"));
  EXPECT_FALSE(d->HasSecurityOption("apparmor"));
  EXPECT_EQ(d->storage_driver, "vfs");
}

TEST(EngineInspect, ReadsARealImageDocumentAndItsHistory) {
  auto img = ParseImageInspect(Fixture("image_inspect.json"), Fixture("image_history.json"));
  ASSERT_TRUE(img.ok()) << img.error().message;
  EXPECT_EQ(img->source_kind, "docker-engine");
  EXPECT_EQ(img->repo_tags, (std::vector<std::string>{"ddimg/app:1.0"}));
  EXPECT_EQ(img->reference, "ddimg/app:1.0");
  EXPECT_EQ(img->config_digest.algorithm, "sha256");
  EXPECT_EQ(img->config.architecture, "amd64");
  EXPECT_EQ(img->config.user, "1000:1000");
  ASSERT_TRUE(img->config.healthcheck.has_value());
  EXPECT_EQ(img->config.healthcheck->test.front(), "CMD");
  EXPECT_EQ(img->config.env.size(), 2u);
  EXPECT_EQ(img->config.cmd, (std::vector<std::string>{"/bin/busybox", "sleep", "3600"}));
  ASSERT_EQ(img->config.history.size(), 8u);
  // Oldest first, as in an image config (the API lists newest first).
  EXPECT_NE(img->config.history.front().created_by.find("COPY file:"), std::string::npos);
  EXPECT_FALSE(img->config.history.front().empty_layer);
  EXPECT_NE(img->config.history.back().created_by.find("CMD"), std::string::npos);
  EXPECT_TRUE(img->config.history.back().empty_layer);
  EXPECT_TRUE(img->layers.empty());

  for (const auto& [inspect, history] : std::vector<std::pair<std::string, std::string>>{
           {"[]", "[]"},
           {R"({"Id":"sha256:ab","Config":[]})", "[]"},
           {R"({"Id":"sha256:ab","Config":{"User":7}})", "[]"},
           {R"({"Id":"sha256:ab"})", "{}"},
           {R"({"Id":"sha256:ab"})", R"([{"CreatedBy":1}])"},
           {R"({"Id":"sha256:ab"})", "[1]"},
           {R"({"Id":"sha256:ab","RepoTags":"x"})", "[]"},
       }) {
    auto bad = ParseImageInspect(inspect, history);
    ASSERT_FALSE(bad.ok()) << inspect << " " << history;
    EXPECT_EQ(bad.error().kind, Error::Kind::kInput);
    EXPECT_EQ(bad.error().message.find('\n'), std::string::npos);
  }
}

TEST(EngineInspect, HostileDocumentsAreInputErrors) {
  struct Case {
    const char* name;
    std::string body;
  };
  const std::vector<Case> cases = {
      {"not json", "{{{"},
      {"array instead of object", "[]"},
      {"no id", R"({"Name":"/x"})"},
      {"privileged is a string", R"({"Id":"a","HostConfig":{"Privileged":"yes"}})"},
      {"mounts is an object", R"({"Id":"a","Mounts":{}})"},
      {"port binding not an array", R"({"Id":"a","NetworkSettings":{"Ports":{"80/tcp":1}}})"},
      {"ulimit not an object", R"({"Id":"a","HostConfig":{"Ulimits":[1]}})"},
  };
  for (const Case& c : cases) {
    auto r = ParseContainerInspect(c.body);
    EXPECT_FALSE(r.ok()) << c.name;
  }
  EXPECT_FALSE(ParseDaemonInfo(R"({"Swarm":[]})").ok());
  EXPECT_FALSE(ParseContainerList(R"({"Id":"x"})").ok());
  EXPECT_FALSE(ParseTop(R"({"Titles":["PID","CMD"],"Processes":[["1",2]]})").ok());
}

TEST(EngineInspect, ReadsListsTopAndNetworks) {
  auto l = ParseContainerList(R"([{"Id":"abc","Names":["/web"],"Image":"nginx","State":"running"}])");
  ASSERT_TRUE(l.ok());
  ASSERT_EQ(l->size(), 1u);
  EXPECT_EQ((*l)[0].names.at(0), "web");
  auto t = ParseTop(
      R"({"Titles":["UID","PID","CMD"],"Processes":[["root","1","/usr/sbin/sshd -D"],["root","7","sleep 1"]]})");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, (ProcessList{"/usr/sbin/sshd -D", "sleep 1"}));
  auto n = ParseNetworkOption(R"({"Options":{"com.docker.network.bridge.name":"docker0"}})",
                              "com.docker.network.bridge.name");
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, "docker0");
}

TEST(EngineClient, ParsesApiVersions) {
  struct Case {
    const char* in;
    std::optional<std::pair<int, int>> want;
  };
  const std::vector<Case> cases = {{"1.41", std::pair{1, 41}}, {"1.24", std::pair{1, 24}}, {"2.0", std::pair{2, 0}},
                                   {"", std::nullopt},         {"1.", std::nullopt},       {"v1.41", std::nullopt},
                                   {"1.4a", std::nullopt}};
  for (const Case& c : cases) EXPECT_EQ(ParseApiVersion(c.in), c.want) << c.in;
}

TEST(EngineClient, ReportsAMissingSocketAndAFileThatIsNotASocket) {
  char dir[] = "/tmp/dd-engine-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string file = std::string(dir) + "/docker.sock";
  std::ofstream(file) << "not a socket";
  auto ep = EngineEndpoint::Resolve("unix://" + file);
  ASSERT_TRUE(ep.ok());
  EngineClient client(*ep);
  Status s = client.Ping();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("not a socket"), std::string::npos) << s.error().message;
  auto missing = EngineEndpoint::Resolve("unix://" + std::string(dir) + "/absent.sock");
  EngineClient none(*missing);
  Status m = none.Ping();
  ASSERT_FALSE(m.ok());
  EXPECT_NE(m.error().message.find("no such socket"), std::string::npos) << m.error().message;
  std::remove(file.c_str());
  rmdir(dir);
}

}  // namespace
}  // namespace drydock
