// CIS §1-3, 6, 7 host checks against a fake host root the test builds
// (the way `drydock host --root DIR` audits a mounted filesystem).
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>

#include <gtest/gtest.h>

#include "audit/host/host.h"

namespace drydock {
namespace {

namespace fs = std::filesystem;

class FakeRoot {
 public:
  FakeRoot() {
    char t[] = "/tmp/dd-host-XXXXXX";
    root_ = mkdtemp(t);
  }
  ~FakeRoot() { fs::remove_all(root_); }
  void File(const std::string& path, const std::string& content, mode_t mode = 0644) {
    const std::string p = root_ + path;
    fs::create_directories(fs::path(p).parent_path());
    std::ofstream(p) << content;
    chmod(p.c_str(), mode);
  }
  void Dir(const std::string& path, mode_t mode = 0755) {
    fs::create_directories(root_ + path);
    chmod((root_ + path).c_str(), mode);
  }
  void Symlink(const std::string& target, const std::string& path) {
    fs::create_directories(fs::path(root_ + path).parent_path());
    fs::create_symlink(target, root_ + path);
  }
  const std::string& root() const { return root_; }

  // The outcome of every host check, by id.
  std::map<std::string, CheckOutcome> Run(std::optional<DaemonInfo> info = std::nullopt) {
    HostFs hfs(root_);
    HostLayout layout;
    DaemonConfig config;
    auto text = hfs.Read(layout.daemon_json);
    EXPECT_TRUE(text.ok());
    if (text.ok() && *text) {
      auto parsed = ParseDaemonConfig(**text, layout.daemon_json);
      EXPECT_TRUE(parsed.ok()) << parsed.error().message;
      if (parsed.ok()) config = *parsed;
    }
    std::vector<CheckOutcome> outcomes;
    std::vector<Finding> findings;
    Status s = RunHostChecks({hfs, layout, config, info, false}, {}, outcomes, findings);
    EXPECT_TRUE(s.ok()) << s.error().message;
    std::map<std::string, CheckOutcome> by_id;
    for (auto& o : outcomes) by_id[o.id] = o;
    return by_id;
  }

 private:
  std::string root_;
};

TEST(HostChecks, HardenedHostPasses) {
  FakeRoot r;
  r.Dir("/etc/docker", 0755);
  r.File("/etc/docker/daemon.json",
         R"({"icc": false, "log-level": "info", "userns-remap": "default", "live-restore": true,
             "userland-proxy": false, "no-new-privileges": true, "authorization-plugins": ["authz"],
             "log-driver": "syslog", "default-ulimits": {"nofile": {"Name": "nofile", "Hard": 64000, "Soft": 64000}}})",
         0644);
  r.File("/lib/systemd/system/docker.service", "[Service]\n", 0644);
  r.File("/lib/systemd/system/docker.socket", "[Socket]\n", 0644);
  r.File("/usr/bin/dockerd", "", 0755);
  r.File("/etc/audit/rules.d/docker.rules",
         "-w /usr/bin/dockerd -k docker\n-w /etc/docker -k docker\n-w /lib/systemd/system/docker.service -k docker\n"
         "-a always,exit -F path=/etc/docker/daemon.json -k docker\n");
  r.File("/etc/group", "root:x:0:\ndocker:x:998:\n");
  r.File("/etc/fstab", "/dev/sdb1 /var/lib/docker ext4 defaults 0 2\n");
  auto o = r.Run();
  for (const char* id : {"1.1.1", "1.1.2", "1.1.3", "1.1.6", "1.1.7", "1.1.11", "2.2", "2.3", "2.9", "2.12", "2.13",
                         "2.14", "2.15", "2.16", "3.2", "3.4", "3.6", "3.18"}) {
    EXPECT_EQ(o[id].status, CheckStatus::kPass) << id << ": " << o[id].evidence;
  }
  if (geteuid() == 0) {
    for (const char* id : {"3.1", "3.3", "3.5", "3.17"}) EXPECT_EQ(o[id].status, CheckStatus::kPass) << id;
  }
  // No TLS on tcp, no swarm, no daemon: not applicable rather than WARN.
  for (const char* id : {"2.7", "3.9", "3.14", "6.1", "7.1", "7.5", "1.1.13"}) {
    EXPECT_EQ(o[id].status, CheckStatus::kNotApplicable) << id << ": " << o[id].evidence;
  }
}

TEST(HostChecks, WeakHostWarnsWithModeAndOwnerEvidence) {
  FakeRoot r;
  r.Dir("/etc/docker", 0777);
  r.File("/etc/docker/daemon.json",
         R"({"icc": true, "log-level": "debug", "iptables": false, "insecure-registries": ["10.0.0.0/8"],
             "hosts": ["tcp://0.0.0.0:2375"], "experimental": true, "storage-opts": ["dm.basesize=20G"]})",
         0666);
  r.File("/lib/systemd/system/docker.service", "[Service]\n", 0666);
  r.File("/usr/bin/dockerd", "", 0755);
  r.File("/etc/audit/rules.d/other.rules", "-w /etc/passwd -k identity\n");
  r.File("/etc/group", "docker:x:998:alice,bob\n");
  auto o = r.Run();
  for (const char* id : {"1.1.1", "1.1.3", "1.1.6", "2.2", "2.3", "2.4", "2.5", "2.7", "2.9", "2.11", "2.12", "2.15",
                         "2.16", "2.18", "3.2", "3.6", "3.18"}) {
    EXPECT_EQ(o[id].status, CheckStatus::kWarn) << id << ": " << o[id].evidence;
  }
  EXPECT_EQ(o["1.1.2"].status, CheckStatus::kInfo);
  EXPECT_NE(o["1.1.2"].evidence.find("alice"), std::string::npos);
  EXPECT_NE(o["3.18"].evidence.find("mode 0666"), std::string::npos) << o["3.18"].evidence;
  EXPECT_EQ(o["3.18"].target, "/etc/docker/daemon.json");
}

TEST(HostChecks, NoSystemdAndSwarmAreReportedAsNotApplicable) {
  FakeRoot r;
  r.File("/etc/group", "root:x:0:\n");
  DaemonInfo info;
  info.swarm_state = "inactive";
  info.images = 3;
  auto o = r.Run(info);
  for (const char* id : {"3.1", "3.2", "3.3", "3.4", "1.1.7", "7.2", "7.9"}) {
    EXPECT_EQ(o[id].status, CheckStatus::kNotApplicable) << id << ": " << o[id].evidence;
  }
  EXPECT_EQ(o["6.1"].status, CheckStatus::kInfo);
  info.swarm_state = "active";
  EXPECT_EQ(r.Run(info)["7.5"].status, CheckStatus::kNote);
}

TEST(HostChecks, SymlinksStayInsideTheRootAndLoopsFail) {
  FakeRoot r;
  // An absolute symlink points inside the root, never at this machine's /etc.
  r.File("/real/daemon.json", R"({"icc": false})", 0600);
  r.Symlink("/real/daemon.json", "/etc/docker/daemon.json");
  auto o = r.Run();
  EXPECT_EQ(o["2.2"].status, CheckStatus::kPass) << o["2.2"].evidence;
  EXPECT_EQ(o["3.18"].status, CheckStatus::kPass) << o["3.18"].evidence;

  FakeRoot loop;
  loop.Symlink("/etc/b", "/etc/a");
  loop.Symlink("/etc/a", "/etc/b");
  loop.Symlink("/etc/a", "/etc/docker");
  HostFs hfs(loop.root());
  auto res = hfs.Read("/etc/docker/daemon.json");
  ASSERT_FALSE(res.ok());
  EXPECT_NE(res.error().message.find("symbolic links"), std::string::npos) << res.error().message;

  FakeRoot escape;
  escape.Symlink("../../../../../../etc", "/etc/docker");
  HostFs efs(escape.root());
  auto resolved = efs.Resolve("/etc/docker/passwd");
  ASSERT_TRUE(resolved.ok());
  EXPECT_FALSE(resolved->has_value());  // /etc/passwd inside the empty root does not exist
}

TEST(HostChecks, DaemonJsonGarbageIsAnInputError) {
  for (const char* text : {"{", "[]", R"({"icc": "no"})", R"({"hosts": "tcp://x"})", R"({"default-ulimits": 1})"}) {
    EXPECT_FALSE(ParseDaemonConfig(text, "/etc/docker/daemon.json").ok()) << text;
  }
}

}  // namespace
}  // namespace drydock
