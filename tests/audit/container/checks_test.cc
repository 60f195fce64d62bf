// CIS §5 container checks, table-driven: a real inspect document from a
// private dockerd (tests/testdata/audit/container_plain.json: `docker run -d
// bb sleep 3600`), patched per case the way `docker run` flags set it.
#include <fstream>
#include <map>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audit/container/container.h"

namespace drydock {
namespace {

using nlohmann::json;

json Plain() {
  std::ifstream in(std::string(DRYDOCK_TESTDATA) + "/audit/container_plain.json");
  return json::parse(in);
}

DaemonContext Daemon(bool apparmor = true, bool selinux = true) {
  DaemonContext d;
  DaemonInfo info;
  info.swarm_state = "inactive";
  info.security_options = {"name=seccomp,profile=default"};
  if (apparmor) info.security_options.push_back("name=apparmor");
  if (selinux) info.security_options.push_back("name=selinux");
  d.info = info;
  return d;
}

CheckStatus StatusOf(const json& doc, const std::string& id, const DaemonContext& daemon,
                     const std::optional<ProcessList>& procs = std::nullopt, std::string* evidence = nullptr) {
  auto c = ParseContainerInspect(doc.dump());
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  std::vector<CheckOutcome> outcomes;
  std::vector<Finding> findings;
  RunContainerChecks({*c, daemon, procs}, CheckSelection{{id}, {}}, outcomes, findings);
  EXPECT_EQ(outcomes.size(), 1u) << id;
  if (outcomes.empty()) return CheckStatus::kNotApplicable;
  EXPECT_EQ(findings.size(), outcomes[0].status == CheckStatus::kWarn ? 1u : 0u);
  if (evidence) *evidence = outcomes[0].evidence;
  return outcomes[0].status;
}

TEST(ContainerChecks, EachSettingFlipsItsCheck) {
  struct Case {
    const char* name;
    const char* id;
    json patch;  // merge patch on the plain container
    CheckStatus plain, patched;
  };
  const auto W = CheckStatus::kWarn, P = CheckStatus::kPass, I = CheckStatus::kInfo;
  const std::vector<Case> cases = {
      {"apparmor profile", "5.2", {{"AppArmorProfile", "docker-default"}}, W, P},
      {"selinux label", "5.3", {{"HostConfig", {{"SecurityOpt", {"label=level:s0:c100,c200"}}}}}, W, P},
      {"cap-add SYS_ADMIN", "5.4", {{"HostConfig", {{"CapAdd", {"SYS_ADMIN"}}}}}, P, W},
      {"privileged", "5.5", {{"HostConfig", {{"Privileged", true}}}}, P, W},
      {"bind mount /etc rw",
       "5.6",
       {{"Mounts", {{{"Type", "bind"}, {"Source", "/etc"}, {"Destination", "/host/etc"}, {"RW", true}}}}},
       P,
       W},
      {"sshd command", "5.7", {{"Path", "/usr/sbin/sshd"}, {"Args", {"-D"}}}, P, W},
      {"privileged port",
       "5.8",
       {{"HostConfig", {{"PortBindings", {{"80/tcp", {{{"HostIp", ""}, {"HostPort", "80"}}}}}}}}},
       P,
       W},
      {"any port",
       "5.9",
       {{"HostConfig", {{"PortBindings", {{"80/tcp", {{{"HostIp", ""}, {"HostPort", "8080"}}}}}}}}},
       P,
       W},
      {"network host", "5.10", {{"HostConfig", {{"NetworkMode", "host"}}}}, P, W},
      {"memory", "5.11", {{"HostConfig", {{"Memory", 67108864}}}}, W, P},
      {"cpu shares", "5.12", {{"HostConfig", {{"CpuShares", 512}}}}, W, P},
      {"cpus", "5.12", {{"HostConfig", {{"NanoCpus", 500000000}}}}, W, P},
      {"read-only", "5.13", {{"HostConfig", {{"ReadonlyRootfs", true}}}}, W, P},
      {"wildcard bind",
       "5.14",
       {{"NetworkSettings", {{"Ports", {{"80/tcp", {{{"HostIp", "0.0.0.0"}, {"HostPort", "8080"}}}}}}}}},
       P,
       W},
      {"restart on-failure:10",
       "5.15",
       {{"HostConfig", {{"RestartPolicy", {{"Name", "on-failure"}, {"MaximumRetryCount", 10}}}}}},
       P,
       W},
      {"pid host", "5.16", {{"HostConfig", {{"PidMode", "host"}}}}, P, W},
      {"ipc host", "5.17", {{"HostConfig", {{"IpcMode", "host"}}}}, P, W},
      {"device",
       "5.18",
       {{"HostConfig",
         {{"Devices", {{{"PathOnHost", "/dev/null"}, {"PathInContainer", "/dev/x"}, {"CgroupPermissions", "rwm"}}}}}}},
       P,
       I},
      {"ulimit", "5.19", {{"HostConfig", {{"Ulimits", {{{"Name", "nofile"}, {"Soft", 1024}, {"Hard", 2048}}}}}}}, I, P},
      {"shared propagation",
       "5.20",
       {{"Mounts", {{{"Type", "bind"}, {"Source", "/srv"}, {"Destination", "/x"}, {"Propagation", "rshared"}}}}},
       P,
       W},
      {"uts host", "5.21", {{"HostConfig", {{"UTSMode", "host"}}}}, P, W},
      {"seccomp unconfined", "5.22", {{"HostConfig", {{"SecurityOpt", {"seccomp=unconfined"}}}}}, P, W},
      {"cgroup parent", "5.25", {{"HostConfig", {{"CgroupParent", "/custom"}}}}, P, W},
      {"no-new-privileges", "5.26", {{"HostConfig", {{"SecurityOpt", {"no-new-privileges"}}}}}, W, P},
      {"health", "5.27", {{"State", {{"Health", {{"Status", "healthy"}}}}}}, W, P},
      {"pids limit", "5.29", {{"HostConfig", {{"PidsLimit", 100}}}}, W, P},
      {"pids limit -1", "5.29", {{"HostConfig", {{"PidsLimit", -1}}}}, W, W},
      {"userns host", "5.31", {{"HostConfig", {{"UsernsMode", "host"}}}}, P, W},
      {"docker.sock",
       "5.32",
       {{"Mounts", {{{"Type", "bind"}, {"Source", "/var/run/docker.sock"}, {"Destination", "/var/run/docker.sock"}}}}},
       P,
       W},
  };
  const DaemonContext daemon = Daemon();
  for (const Case& c : cases) {
    json doc = Plain();
    EXPECT_EQ(StatusOf(doc, c.id, daemon), c.plain) << c.name << " (plain)";
    doc.merge_patch(c.patch);
    EXPECT_EQ(StatusOf(doc, c.id, daemon), c.patched) << c.name;
  }
}

TEST(ContainerChecks, DefaultCapabilitiesAreNotExtra) {
  json doc = Plain();
  doc.merge_patch({{"HostConfig", {{"CapAdd", {"CAP_CHOWN", "net_raw"}}}}});
  EXPECT_EQ(StatusOf(doc, "5.4", Daemon()), CheckStatus::kPass);
  doc.merge_patch({{"HostConfig", {{"CapAdd", {"ALL"}}}}});
  EXPECT_EQ(StatusOf(doc, "5.4", Daemon()), CheckStatus::kWarn);
}

TEST(ContainerChecks, LsmChecksAreNotApplicableWithoutTheLsm) {
  const DaemonContext none = Daemon(/*apparmor=*/false, /*selinux=*/false);
  EXPECT_EQ(StatusOf(Plain(), "5.2", none), CheckStatus::kNotApplicable);
  EXPECT_EQ(StatusOf(Plain(), "5.3", none), CheckStatus::kNotApplicable);
}

TEST(ContainerChecks, DaemonNoNewPrivilegesCoversEveryContainer) {
  DaemonContext d = Daemon();
  d.no_new_privileges = true;
  EXPECT_EQ(StatusOf(Plain(), "5.26", d), CheckStatus::kPass);
}

TEST(ContainerChecks, TopProcessesDecideSshd) {
  std::string ev;
  EXPECT_EQ(StatusOf(Plain(), "5.7", Daemon(), ProcessList{"sleep 3600", "/usr/sbin/sshd -D"}, &ev),
            CheckStatus::kWarn);
  EXPECT_NE(ev.find("sshd"), std::string::npos);
  EXPECT_EQ(StatusOf(Plain(), "5.7", Daemon(), ProcessList{"sleep 3600"}), CheckStatus::kPass);
}

TEST(ContainerChecks, EvidenceNamesTheField) {
  json doc = Plain();
  doc.merge_patch({{"HostConfig", {{"Privileged", true}}}});
  std::string ev;
  StatusOf(doc, "5.5", Daemon(), std::nullopt, &ev);
  EXPECT_EQ(ev, "HostConfig.Privileged=true");
}

TEST(ContainerChecks, SelectionSkipsAndKeepsSections) {
  struct Case {
    std::vector<std::string> only, skip;
    const char* id;
    bool want;
  };
  const std::vector<Case> cases = {
      {{}, {}, "5.10", true},       {{"5"}, {}, "5.10", true},     {{"5.1"}, {}, "5.10", false},
      {{"5.1"}, {}, "5.1", true},   {{}, {"5.10"}, "5.10", false}, {{}, {"5"}, "5.31", false},
      {{"2.1"}, {}, "2.10", false}, {{"1.1"}, {}, "1.1.12", true}, {{"5"}, {"5.31"}, "5.31", false},
  };
  for (const Case& c : cases) EXPECT_EQ((CheckSelection{c.only, c.skip}.Selected(c.id)), c.want) << c.id;
  // Every §5 id Docker Bench 1.6 has, in order.
  std::vector<std::string> ids;
  for (const ContainerCheck& r : ContainerChecks()) ids.emplace_back(r.id);
  std::vector<std::string> want;
  for (int i = 1; i <= 32; ++i) want.push_back("5." + std::to_string(i));
  EXPECT_EQ(ids, want);
}

TEST(ContainerChecks, SwarmIsDaemonWide) {
  DaemonContext d = Daemon();
  std::vector<CheckOutcome> outcomes;
  std::vector<Finding> findings;
  RunDaemonWideChecks(d, {}, outcomes, findings);
  ASSERT_EQ(outcomes.size(), 1u);
  EXPECT_EQ(outcomes[0].id, "5.1");
  EXPECT_EQ(outcomes[0].target, "daemon");
  EXPECT_EQ(outcomes[0].status, CheckStatus::kPass);
  d.info->swarm_state = "active";
  outcomes.clear();
  RunDaemonWideChecks(d, {}, outcomes, findings);
  EXPECT_EQ(outcomes[0].status, CheckStatus::kWarn);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "DD-CIS-5.1");
}

// ---- §4 on the images the containers run ----

std::string Text(const std::string& name) {
  std::ifstream in(std::string(DRYDOCK_TESTDATA) + "/audit/" + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// ddimg/app:1.0 (tests/testdata/audit/PROVENANCE.md): USER 1000:1000, a
// HEALTHCHECK, an ADD after the first layer, a token as a build ARG and a
// password in ENV.
ImageInfo AppImage() {
  auto img = ParseImageInspect(Text("image_inspect.json"), Text("image_history.json"));
  EXPECT_TRUE(img.ok()) << img.error().message;
  return *img;
}

std::map<std::string, std::string> Statuses(const std::vector<CheckOutcome>& outcomes) {
  std::map<std::string, std::string> out;
  for (const auto& o : outcomes) out[o.id + "@" + o.target] = std::string(CheckStatusName(o.status));
  return out;
}

TEST(ImageSectionChecks, TheImageRulesJudgeTheInspectedConfigAndHistory) {
  std::vector<CheckOutcome> outcomes;
  std::vector<Finding> findings;
  ImageInfo img = AppImage();
  RunImageConfigChecks(img, {}, outcomes, findings);
  EXPECT_EQ(Statuses(outcomes), (std::map<std::string, std::string>{{"4.6@ddimg/app:1.0", "PASS"},
                                                                    {"4.7@ddimg/app:1.0", "PASS"},
                                                                    {"4.9@ddimg/app:1.0", "INFO"},
                                                                    {"4.10@ddimg/app:1.0", "WARN"}}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "DD-CIS-4.10");
  EXPECT_EQ(findings[0].location.path, "ddimg/app:1.0");
  for (const auto& o : outcomes) {
    EXPECT_EQ(o.evidence.find("Zx9qLm2Rv7tPw4Kd"), std::string::npos) << o.id << ": " << o.evidence;
    EXPECT_EQ(o.evidence.find("tok_Q7mZr2LxW9vKp4Tn"), std::string::npos) << o.id << ": " << o.evidence;
  }

  // Without the health check, the ADD and the secrets.
  img.config.healthcheck.reset();
  img.config.env = {"PATH=/bin"};
  std::vector<HistoryEntry> kept;
  for (const auto& h : img.config.history) {
    if (h.created_by.find("ADD ") == std::string::npos && h.created_by.find("TOKEN") == std::string::npos &&
        h.created_by.find("PASSWORD") == std::string::npos)
      kept.push_back(h);
  }
  img.config.history = kept;
  img.config.history.push_back({"", "/bin/sh -c apt-get update", "", false});
  outcomes.clear();
  findings.clear();
  RunImageConfigChecks(img, {}, outcomes, findings);
  EXPECT_EQ(Statuses(outcomes), (std::map<std::string, std::string>{{"4.6@ddimg/app:1.0", "WARN"},
                                                                    {"4.7@ddimg/app:1.0", "INFO"},
                                                                    {"4.9@ddimg/app:1.0", "PASS"},
                                                                    {"4.10@ddimg/app:1.0", "PASS"}}));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].rule_id, "DD-CIS-4.6");
}

TEST(ImageSectionChecks, UserIsJudgedPerContainerAsItRuns) {
  const ImageInfo img = AppImage();  // USER 1000:1000
  std::vector<CheckOutcome> outcomes;
  std::vector<Finding> findings;
  ContainerInspect as_built;
  as_built.name = "app";
  as_built.user = "1000:1000";
  ContainerInspect as_root = as_built;
  as_root.name = "app-root";
  as_root.user = "0";  // docker run --user 0
  ContainerInspect unset = as_built;
  unset.name = "plain";
  unset.user = "";
  for (const auto* c : {&as_built, &as_root, &unset}) RunContainerUserCheck(*c, img, {}, outcomes, findings);
  EXPECT_EQ(Statuses(outcomes), (std::map<std::string, std::string>{
                                    {"4.1@app", "PASS"}, {"4.1@app-root", "WARN"}, {"4.1@plain", "WARN"}}));
  EXPECT_EQ(findings.size(), 2u);
}

TEST(ImageSectionChecks, ContentTrustAndTheManualItemsAreJudgedOnce) {
  std::vector<CheckOutcome> outcomes;
  std::vector<Finding> findings;
  RunImageSectionChecks(false, {}, outcomes, findings);
  auto s = Statuses(outcomes);
  EXPECT_EQ(s["4.5@daemon"], "WARN");
  for (const char* id : {"4.2", "4.3", "4.4", "4.8", "4.11", "4.12"}) EXPECT_EQ(s[std::string(id) + "@daemon"], "NOTE");
  EXPECT_EQ(outcomes.size(), 7u);
  EXPECT_EQ(findings.size(), 1u);
  outcomes.clear();
  findings.clear();
  CheckSelection only;
  only.only = {"4.5"};
  RunImageSectionChecks(true, only, outcomes, findings);
  EXPECT_EQ(Statuses(outcomes), (std::map<std::string, std::string>{{"4.5@daemon", "PASS"}}));
  EXPECT_TRUE(findings.empty());
}

}  // namespace
}  // namespace drydock
