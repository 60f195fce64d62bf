// harden: the decisions (user, writable paths, capabilities, health check,
// seccomp inputs) from image config and filesystem, and the four renderings
// (each parsed back: the run script by bash -n, compose and k8s as YAML,
// seccomp as JSON).
#include "harden/harden.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "check/image/test_image.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

using testing::TestImage;

constexpr char kPasswd[] =
    "root:x:0:0:root:/root:/bin/sh\n"
    "daemon:x:1:1::/:/sbin/nologin\n"
    "www-data:x:33:33::/var/www:/sbin/nologin\n";

HardenProfile Decide(const TestImage& img, HardenLimits limits = {}) {
  const FileSystemView fs = img.View();
  const std::optional<OsRelease> os;
  return DecideProfile(HardenInput{img.info, fs, os, "app.tar"}, limits);
}

TestImage Base(std::string passwd = kPasswd) {
  TestImage img;
  img.info.config.user = "";
  img.info.config.healthcheck.reset();
  img.Layer("COPY rootfs/ /").Dir("/etc").File("/etc/passwd", std::move(passwd)).Dir("/tmp", 01777);
  return img;
}

TEST(Harden, ChoosesTheUser) {
  struct Case {
    std::string name;
    std::string user;
    std::string passwd;
    std::string want;  // --user value
    bool want_created = false;
  };
  const std::string with_app = std::string(kPasswd) + "app:x:1000:1001::/home/app:/bin/sh\n";
  const Case cases[] = {
      {"image USER by name", "app", with_app, "1000:1001"},
      {"image USER numeric with group", "4242:4243", kPasswd, "4242:4243"},
      {"image USER numeric, group from passwd", "1000", with_app, "1000:1001"},
      {"root image with a login account", "", with_app, "1000:1001"},
      {"root image with a service account", "root", kPasswd, "33:33"},
      {"USER naming a missing account", "ghost", kPasswd, "33:33"},
      {"no unprivileged account", "0", "root:x:0:0::/:/bin/sh\n", "10001:10001", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TestImage img = Base(c.passwd);
    img.info.config.user = c.user;
    HardenProfile p = Decide(img);
    EXPECT_EQ(p.user.value, c.want);
    EXPECT_EQ(p.user_created, c.want_created);
    EXPECT_FALSE(p.user.why.empty());
  }
}

TEST(Harden, WritablePathsAndVolumes) {
  TestImage img = Base();
  img.Layer("RUN apt-get install nginx")
      .File("/usr/sbin/nginx", "x", 0755)
      .Dir("/var/cache/nginx")
      .Dir("/run")
      .Link("/var/run", "/run")
      .Dir("/var/tmp", 01777);
  img.info.config.volumes = {"/data"};
  HardenProfile p = Decide(img);
  std::vector<std::string> paths;
  for (const auto& m : p.tmpfs) paths.push_back(m.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"/tmp", "/var/tmp", "/var/cache/nginx", "/run"}));
  ASSERT_EQ(p.volumes.size(), 1u);
  EXPECT_EQ(p.volumes[0].path, "/data");
  EXPECT_EQ(p.volumes[0].volume, "app-data");
  EXPECT_NE(p.tmpfs[2].options.find("uid=33,gid=33"), std::string::npos) << p.tmpfs[2].options;
  EXPECT_NE(p.tmpfs[0].options.find("mode=1777"), std::string::npos);
}

TEST(Harden, CapabilitiesFollowPorts) {
  struct Case {
    std::vector<std::string> ports;
    bool want_bind;
  };
  const Case cases[] = {
      {{"8080/tcp"}, false}, {{"80/tcp"}, true}, {{"53/udp"}, false}, {{"443/tcp", "8443/tcp"}, true}};
  for (const auto& c : cases) {
    TestImage img = Base();
    img.info.config.exposed_ports = c.ports;
    HardenProfile p = Decide(img);
    EXPECT_EQ(!p.cap_add.empty(), c.want_bind) << c.ports[0];
    if (c.want_bind) {
      EXPECT_EQ(p.cap_add[0].value, "NET_BIND_SERVICE");
    }
  }
}

TEST(Harden, HealthCheck) {
  TestImage with_shell = Base();
  with_shell.File("/bin/busybox", "x", 0755).Link("/bin/sh", "busybox").Link("/usr/bin/wget", "/bin/busybox");
  with_shell.info.config.exposed_ports = {"8080/tcp"};
  HardenProfile p = Decide(with_shell);
  ASSERT_TRUE(p.health_cmd.has_value());
  EXPECT_EQ(p.health_cmd->value, "/usr/bin/wget -q -O /dev/null http://127.0.0.1:8080/ || exit 1");

  TestImage no_shell = Base();
  no_shell.File("/bin/busybox", "x", 0755);
  no_shell.info.config.exposed_ports = {"8080/tcp"};
  p = Decide(no_shell);
  EXPECT_FALSE(p.health_cmd.has_value());
  EXPECT_EQ(p.health_exec.front(), "/bin/busybox");
  EXPECT_NE(p.health_advice.find("HEALTHCHECK CMD [\"/bin/busybox\", \"wget\""), std::string::npos) << p.health_advice;

  TestImage has_check = with_shell;
  has_check.info.config.healthcheck = Healthcheck{{"CMD", "true"}};
  p = Decide(has_check);
  EXPECT_FALSE(p.health_cmd.has_value());
  EXPECT_TRUE(p.health_advice.empty());
}

std::string Sh(const std::string& script) {
  ::drydock::testing::TempDir dir;
  std::string path = dir.path() + "/run.sh";
  std::ofstream(path) << script;
  std::string cmd = "bash -n " + path + " 2>&1";
  std::string out;
  FILE* f = popen(cmd.c_str(), "r");
  char buf[256];
  while (f && fgets(buf, sizeof buf, f)) out += buf;
  int rc = f ? pclose(f) : -1;
  return rc == 0 ? "" : "bash -n failed: " + out;
}

TestImage WebImage() {
  TestImage img = Base(std::string(kPasswd) + "web:x:1000:1000::/:/sbin/nologin\n");
  img.info.repo_tags = {"example/web:1.2"};
  img.info.config.exposed_ports = {"80/tcp"};
  img.info.config.volumes = {"/srv/data"};
  img.File("/bin/busybox", "x", 0755).Link("/bin/sh", "busybox");
  return img;
}

TEST(Harden, RunScriptIsShellAndExplainsEveryFlag) {
  const std::string s = RenderRun(Decide(WebImage()));
  EXPECT_EQ(Sh(s), "");
  for (const char* want : {"--user 1000:1000", "--read-only", "--tmpfs /tmp:rw,noexec,nosuid,nodev,size=64m,mode=1777",
                           "--cap-drop ALL", "--cap-add NET_BIND_SERVICE", "--security-opt no-new-privileges:true",
                           "--pids-limit 256", "--memory 512m --memory-swap 512m", "--cpus 1.0", "--network web-net",
                           "docker network create web-net", "--volume web-srv-data:/srv/data",
                           "docker run --detach --name web", "example/web:1.2", "docker load -i app.tar"}) {
    EXPECT_NE(s.find(want), std::string::npos) << want << "\n" << s;
  }
  EXPECT_EQ(s.find("seccomp=unconfined"), std::string::npos);
  EXPECT_EQ(s.find("--privileged"), std::string::npos);
  // Every flag line inside args=( … ) carries a comment.
  size_t start = s.find("args=(\n"), end = s.find("\n)\n");
  ASSERT_NE(start, std::string::npos);
  std::string body = s.substr(start + 7, end - start - 7);
  size_t pos = 0;
  while (pos < body.size()) {
    size_t nl = body.find('\n', pos);
    std::string line = body.substr(pos, nl - pos);
    EXPECT_NE(line.find(" # "), std::string::npos) << "unexplained: " << line;
    pos = nl == std::string::npos ? body.size() : nl + 1;
  }
}

TEST(Harden, LimitsAndNamesFromFlags) {
  HardenLimits l;
  l.name = "api";
  l.network = "backend";
  l.memory = "1g";
  l.cpus = "2";
  l.pids_limit = 64;
  const std::string s = RenderRun(Decide(WebImage(), l));
  for (const char* want : {"--name api", "--network backend", "--memory 1g", "--cpus 2", "--pids-limit 64"})
    EXPECT_NE(s.find(want), std::string::npos) << want;
}

TEST(Harden, ComposeIsYamlWithTheSettings) {
  const std::string s = RenderCompose(Decide(WebImage()));
  YAML::Node doc = YAML::Load(s);
  YAML::Node svc = doc["services"]["web"];
  ASSERT_TRUE(svc.IsMap()) << s;
  EXPECT_EQ(svc["image"].as<std::string>(), "example/web:1.2");
  EXPECT_EQ(svc["user"].as<std::string>(), "1000:1000");
  EXPECT_TRUE(svc["read_only"].as<bool>());
  EXPECT_EQ(svc["cap_drop"][0].as<std::string>(), "ALL");
  EXPECT_EQ(svc["cap_add"][0].as<std::string>(), "NET_BIND_SERVICE");
  EXPECT_EQ(svc["security_opt"][0].as<std::string>(), "no-new-privileges:true");
  EXPECT_EQ(svc["pids_limit"].as<int>(), 256);
  EXPECT_EQ(svc["networks"][0].as<std::string>(), "web-net");
  EXPECT_TRUE(doc["networks"]["web-net"].IsMap());
  EXPECT_TRUE(doc["volumes"]["web-srv-data"].IsMap());
  EXPECT_EQ(svc["healthcheck"]["test"][0].as<std::string>(), "CMD");
}

TEST(Harden, KubernetesPodIsYamlWithSecurityContext) {
  const std::string s = RenderKubernetes(Decide(WebImage()));
  YAML::Node doc = YAML::Load(s);
  EXPECT_EQ(doc["kind"].as<std::string>(), "Pod");
  YAML::Node pod = doc["spec"]["securityContext"];
  EXPECT_TRUE(pod["runAsNonRoot"].as<bool>());
  EXPECT_EQ(pod["runAsUser"].as<int>(), 1000);
  EXPECT_EQ(pod["seccompProfile"]["type"].as<std::string>(), "RuntimeDefault");
  EXPECT_EQ(pod["sysctls"][0]["value"].as<std::string>(), "80");
  YAML::Node c = doc["spec"]["containers"][0];
  EXPECT_FALSE(c["securityContext"]["allowPrivilegeEscalation"].as<bool>());
  EXPECT_TRUE(c["securityContext"]["readOnlyRootFilesystem"].as<bool>());
  EXPECT_EQ(c["securityContext"]["capabilities"]["drop"][0].as<std::string>(), "ALL");
  EXPECT_EQ(c["resources"]["limits"]["memory"].as<std::string>(), "512Mi");
  EXPECT_EQ(c["volumeMounts"].size(), doc["spec"]["volumes"].size());
}

TEST(Harden, SeccompNarrowsDockersDefault) {
  struct Case {
    std::string name;
    std::function<void(TestImage&)> change;
    bool want_ptrace, want_personality;
    size_t want_subarches;
  };
  const Case cases[] = {
      {"minimal image", [](TestImage&) {}, false, false, 0},
      {"debugger present", [](TestImage& i) { i.File("/usr/bin/strace", "x", 0755); }, true, false, 0},
      {"setarch present", [](TestImage& i) { i.File("/usr/bin/setarch", "x", 0755); }, false, true, 0},
      {"32-bit loader present", [](TestImage& i) { i.File("/lib/ld-linux.so.2", "x", 0755); }, false, false, 2},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TestImage img = Base();
    c.change(img);
    nlohmann::json j = nlohmann::json::parse(RenderSeccomp(Decide(img)));
    EXPECT_EQ(j["defaultAction"], "SCMP_ACT_ERRNO");
    EXPECT_EQ(j["archMap"][0]["architecture"], "SCMP_ARCH_X86_64");
    EXPECT_EQ(j["archMap"][0]["subArchitectures"].size(), c.want_subarches);
    std::set<std::string> allowed;
    for (const auto& rule : j["syscalls"]) {
      if (rule["action"] != "SCMP_ACT_ALLOW") continue;
      for (const auto& n : rule["names"]) allowed.insert(n.get<std::string>());
    }
    EXPECT_EQ(allowed.count("ptrace"), c.want_ptrace ? 1u : 0u);
    EXPECT_EQ(allowed.count("personality"), c.want_personality ? 1u : 0u);
    for (const char* needed : {"read", "write", "execve", "openat", "mmap", "futex", "clone", "socket", "bind",
                               "accept4", "exit_group", "rt_sigreturn", "arch_prctl"})
      EXPECT_EQ(allowed.count(needed), 1u) << needed;
    // Never in Docker's default without a capability the profile drops.
    for (const char* blocked : {"mount", "umount2", "bpf", "kexec_load", "init_module", "reboot", "setns", "unshare",
                                "keyctl", "add_key", "io_uring_setup", "open_by_handle_at", "swapon"})
      EXPECT_EQ(allowed.count(blocked), 0u) << blocked;
  }
}

TEST(Harden, HostileConfigStringsStayData) {
  ::drydock::testing::TempDir dir;
  const std::string pwned = dir.path() + "/pwned";
  const std::string inject = "$(touch " + pwned + ")";
  TestImage img = WebImage();
  img.info.config.user = "ghost\n" + inject + "\n";
  img.info.repo_tags = {"evil:1\n" + inject + "\n'"};
  img.info.config.volumes = {"/data'" + inject + "\n"};
  HardenProfile p = Decide(img);
  // A fake docker that records its arguments, so the script really runs.
  dir.Write("bin/docker", "#!/bin/sh\nprintf '%s\\n' \"$@\" >> " + dir.path() + "/args\n");
  ASSERT_EQ(::chmod((dir.path() + "/bin/docker").c_str(), 0755), 0);
  const std::string script = dir.Write("run.sh", RenderRun(p));
  const std::string cmd = "PATH=" + dir.path() + "/bin:$PATH bash " + script + " >/dev/null 2>&1";
  EXPECT_EQ(std::system(cmd.c_str()), 0);
  EXPECT_FALSE(std::ifstream(pwned).good()) << "image-controlled text ran as code";
  std::ifstream args(dir.path() + "/args");
  std::stringstream got;
  got << args.rdbuf();
  EXPECT_NE(got.str().find("--read-only"), std::string::npos) << got.str();
  for (const std::string& doc : {RenderCompose(p), RenderKubernetes(p)}) {
    EXPECT_NO_THROW((void)YAML::Load(doc)) << doc;
    YAML::Node n = YAML::Load(doc);
    EXPECT_TRUE(n.IsMap());
  }
  EXPECT_TRUE(nlohmann::json::accept(RenderSeccomp(p)));
}

TEST(Harden, ShellQuote) {
  EXPECT_EQ(ShellQuote("plain-1.0:x/y"), "plain-1.0:x/y");
  EXPECT_EQ(ShellQuote("a b"), "'a b'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
}

}  // namespace
}  // namespace drydock
