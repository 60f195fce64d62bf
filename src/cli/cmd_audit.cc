// `drydock containers` (CIS §5 on live containers) and `drydock host`
// (CIS §1-3, 6, 7 on a host or a mounted host filesystem).
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <set>

#include "base/path.h"
#include "audit/container/container.h"
#include "audit/host/host.h"
#include "cli/commands.h"
#include "engine/client.h"
#include "engine/inspect.h"
#include "report/report.h"

namespace drydock {

namespace {

struct AuditFlags : ReportFlags {
  std::vector<std::string> names;
  bool all = false;
  bool top = false;
  std::string skip, only;
  std::string root = "/";
};

std::string Env(const char* k) {
  const char* v = std::getenv(k);
  return v ? v : "";
}

CheckSelection Selection(const AuditFlags& f) { return {SplitComma(f.only), SplitComma(f.skip)}; }

Status ValidateSelection(const CheckSelection& sel) {
  static const std::regex kId(R"([1-7](\.[0-9]{1,2}){0,2})");
  for (const auto* list : {&sel.only, &sel.skip}) {
    for (const std::string& id : *list) {
      if (!std::regex_match(id, kId)) return UsageError("--skip/--only: {:?} is not a CIS id like 5 or 5.10", id);
    }
  }
  return Ok();
}

// The container drydock itself runs in, if any: a 64-hex id in
// /proc/self/cgroup or /proc/self/mountinfo, or the hostname (Docker sets it
// to the id's first 12 characters).
struct SelfContainer {
  std::set<std::string> ids;
  std::string hostname;
  bool Is(const ContainerInspect& c) const {
    if (ids.count(c.id)) return true;
    return !hostname.empty() && hostname.size() >= 12 && c.id.starts_with(hostname) && c.hostname == hostname;
  }
};

SelfContainer DetectSelf() {
  SelfContainer self;
  static const std::regex kHex("[0-9a-f]{64}");
  for (const char* p : {"/proc/self/cgroup", "/proc/self/mountinfo"}) {
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line)) {
      if (line.find("docker") == std::string::npos && line.find("containers/") == std::string::npos) continue;
      for (std::sregex_iterator it(line.begin(), line.end(), kHex), end; it != end; ++it) self.ids.insert(it->str());
    }
  }
  char host[256] = {};
  if (gethostname(host, sizeof host - 1) == 0) self.hostname = host;
  return self;
}

int Finish(const AuditFlags& f, ReportFormat format, ScanResult& scan) {
  if (auto s = FilterSeverity(f.severity, scan.findings); !s.ok()) return Fail(s.error());
  ReportOptions ropts;
  ropts.tool_version = DRYDOCK_VERSION;
  ropts.color = format == ReportFormat::kTable && WantColor(f.output);
  if (auto s = WriteReport(f.output, format, scan, ropts); !s.ok()) return Fail(s.error());
  return f.exit_code != 0 && !scan.findings.empty() ? f.exit_code : 0;
}

Result<ReportFormat> AuditFormat(const std::string& s) {
  ASSIGN_OR_RETURN(ReportFormat format, ParseReportFormat(s));
  if (NeedsInventory(format)) return UsageError("--format {}: want table, json, sarif or junit", s);
  return format;
}

Result<EngineClient> Connect() {
  ASSIGN_OR_RETURN(EngineEndpoint ep, EngineEndpoint::Resolve(""));
  EngineClient client(std::move(ep));
  RETURN_IF_ERROR(client.Ping());
  return client;
}

// The §4 checks that inspect the containers' images.
constexpr const char* kImageCheckIds[] = {"4.1", "4.6", "4.7", "4.9", "4.10"};

int RunContainers(const AuditFlags& f) {
  auto format = AuditFormat(f.format);
  if (!format.ok()) return Fail(format.error());
  const CheckSelection sel = Selection(f);
  if (auto s = ValidateSelection(sel); !s.ok()) return Fail(s.error());
  auto client = Connect();
  if (!client.ok()) return Fail(client.error());

  DaemonContext daemon;
  auto info = FetchInfo(*client);
  if (!info.ok()) return Fail(info.error());
  daemon.info = *info;
  if (auto body = client->Get("/networks/bridge"); body.ok()) {
    auto name = ParseNetworkOption(*body, "com.docker.network.bridge.name");
    daemon.default_bridge_is_docker0 = name.ok() && *name == "docker0";
  }
  // The daemon-wide no-new-privileges default lives in daemon.json; read it
  // when this is the daemon's host (a unix socket), ignore it if unreadable.
  if (client->endpoint().tls == false && !client->endpoint().unix_socket.empty()) {
    HostFs fs("/");
    if (auto text = fs.Read("/etc/docker/daemon.json"); text.ok() && *text) {
      if (auto cfg = ParseDaemonConfig(**text, "/etc/docker/daemon.json"); cfg.ok()) {
        daemon.no_new_privileges = cfg->no_new_privileges.value_or(false);
      }
    }
  }

  // Which containers: the named ones, else every running one (--all: every one).
  std::vector<std::string> ids;
  if (!f.names.empty()) {
    ids = f.names;
  } else {
    auto list = FetchContainers(*client, f.all);
    if (!list.ok()) return Fail(list.error());
    for (const ContainerSummary& c : *list) ids.push_back(c.id);
  }

  ScanResult scan;
  scan.target = client->endpoint().host;
  scan.scanners = {"containers"};
  // Report order: what is judged once (by CIS id), then each image the
  // containers run (§4), then each container (4.1, then §5).
  const char* dct = std::getenv("DOCKER_CONTENT_TRUST");
  RunImageSectionChecks(dct != nullptr && std::string_view(dct) == "1", sel, scan.outcomes, scan.findings);
  RunDaemonWideChecks(daemon, sel, scan.outcomes, scan.findings);
  std::stable_sort(scan.outcomes.begin(), scan.outcomes.end(),
                   [](const CheckOutcome& a, const CheckOutcome& b) { return CisIdLess(a.id, b.id); });

  const SelfContainer self = DetectSelf();
  std::vector<ContainerInspect> audited;
  for (const std::string& id : ids) {
    auto c = FetchContainer(*client, id);
    if (!c.ok()) return Fail(c.error());
    if (self.Is(*c)) {
      if (!f.quiet) std::fprintf(stderr, "drydock: not auditing %s: drydock runs in it\n", c->name.c_str());
      continue;
    }
    audited.push_back(std::move(*c));
  }
  // §4 for the images these containers run: each image inspected once.
  const bool wants_images = std::any_of(std::begin(kImageCheckIds), std::end(kImageCheckIds),
                                        [&](const char* id) { return sel.Selected(id); });
  std::map<std::string, std::optional<ImageInfo>> images;  // by image id; nullopt: inspect failed
  for (const ContainerInspect& c : audited) {
    if (!wants_images || images.count(c.image_id)) continue;
    auto img = FetchImage(*client, c.image_id);
    if (!img.ok()) {
      if (!f.quiet) {
        std::fprintf(stderr, "drydock: warning: §4 image checks skipped for %s: %s\n", Printable(c.image, 80).c_str(),
                     img.error().message.c_str());
      }
      images[c.image_id] = std::nullopt;
      continue;
    }
    RunImageConfigChecks(*img, sel, scan.outcomes, scan.findings);
    images[c.image_id] = std::move(*img);
  }
  for (const ContainerInspect& c : audited) {
    std::optional<ProcessList> processes;
    if (f.top && c.running) {
      auto top = FetchTop(*client, c.id);
      if (!top.ok()) return Fail(top.error());
      processes = std::move(*top);
    }
    if (auto it = images.find(c.image_id); it != images.end() && it->second) {
      RunContainerUserCheck(c, *it->second, sel, scan.outcomes, scan.findings);
    }
    RunContainerChecks({c, daemon, processes}, sel, scan.outcomes, scan.findings);
  }
  return Finish(f, *format, scan);
}

// A rootless daemon's files live under the user's home and runtime dir.
HostLayout LiveLayout(const std::optional<DaemonInfo>& info) {
  HostLayout layout;
  const bool rootless = info ? info->HasSecurityOption("rootless") : (getuid() != 0 && !Env("XDG_RUNTIME_DIR").empty());
  if (!rootless || Env("HOME").empty()) return layout;
  layout.rootless = true;
  layout.owner = getuid();
  layout.daemon_json = Env("HOME") + "/.config/docker/daemon.json";
  layout.unit_dirs = {Env("HOME") + "/.config/systemd/user"};
  layout.docker_sock = Env("XDG_RUNTIME_DIR") + "/docker.sock";
  layout.data_root = Env("HOME") + "/.local/share/docker";
  return layout;
}

int RunHost(const AuditFlags& f) {
  auto format = AuditFormat(f.format);
  if (!format.ok()) return Fail(format.error());
  const CheckSelection sel = Selection(f);
  if (auto s = ValidateSelection(sel); !s.ok()) return Fail(s.error());
  const bool live = f.root == "/";
  if (!live) {
    struct stat st {};
    if (::stat(f.root.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) {
      return Fail(UsageError("--root {:?}: not a directory", f.root));
    }
  }
  std::optional<DaemonInfo> info;
  if (live) {
    // The daemon adds what the files cannot say; without it the file checks still run.
    auto client = Connect();
    if (client.ok()) {
      auto i = FetchInfo(*client);
      if (!i.ok()) return Fail(i.error());
      info = *i;
    } else if (!f.quiet) {
      std::fprintf(stderr, "drydock: warning: %s; auditing files only\n", client.error().message.c_str());
    }
  }
  const HostLayout layout = live ? LiveLayout(info) : HostLayout{};
  const HostFs fs(f.root);
  DaemonConfig config;
  config.path = layout.daemon_json;
  auto text = fs.Read(layout.daemon_json);
  if (!text.ok()) return Fail(text.error());
  if (*text) {
    auto parsed = ParseDaemonConfig(**text, (live ? "" : f.root) + layout.daemon_json);
    if (!parsed.ok()) return Fail(parsed.error());
    config = std::move(*parsed);
    config.path = layout.daemon_json;
  }
  ScanResult scan;
  scan.target = live ? "host" : "host:" + f.root;
  scan.scanners = {"host"};
  const HostCheckInput in{fs, layout, config, info, live};
  if (auto s = RunHostChecks(in, sel, scan.outcomes, scan.findings); !s.ok()) return Fail(s.error());
  return Finish(f, *format, scan);
}

void CommonFlags(CLI::App* sub, AuditFlags& f) {
  sub->add_option("--skip", f.skip, "CIS ids or sections to skip, e.g. 5.10,5.31 or 7");
  sub->add_option("--only", f.only, "only these CIS ids or sections, e.g. 5 or 2.2,2.14");
  AddReportFlags(sub, f, "table, json, sarif or junit");
}

}  // namespace

std::vector<Command> AuditCommands(CLI::App& app) {
  static AuditFlags containers;
  auto* c = app.add_subcommand("containers", "CIS Docker Benchmark §5 audit of live containers (Docker Engine API)");
  c->add_option("containers", containers.names, "container ids or names (default: every running container)");
  c->add_flag("-a,--all", containers.all, "include stopped and created containers");
  c->add_flag("--top", containers.top, "list running processes (GET /containers/{id}/top) for the sshd check");
  CommonFlags(c, containers);

  static AuditFlags host;
  auto* h = app.add_subcommand("host", "CIS Docker Benchmark §1-3, 6, 7 audit of a Docker host");
  h->add_option("--root", host.root, "audit a host filesystem mounted at DIR (offline; no daemon)")
      ->capture_default_str();
  CommonFlags(h, host);
  return {{c, [] { return RunContainers(containers); }}, {h, [] { return RunHost(host); }}};
}

}  // namespace drydock
