// Typed readers for the Engine API documents the live audits use:
// GET /containers/json?all=, /containers/{id}/json, /containers/{id}/top,
// /info, /version, /images/json and /networks/{id}. The Parse* functions take
// the response body (untrusted bytes: a hostile daemon or a fuzzer) and never
// crash on it; wrong types are input errors, absent fields keep defaults.
// The Fetch* functions are thin wrappers that GET and parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "engine/client.h"
#include "model/image.h"

namespace drydock {

// One row of GET /containers/json.
struct ContainerSummary {
  std::string id;
  std::vector<std::string> names;  // without the leading "/"
  std::string image;
  std::string state;  // "running", "created", "exited", …
};

struct ContainerMount {
  std::string type;         // "bind", "volume", "tmpfs"
  std::string source;       // host path (bind) or volume path
  std::string destination;  // path in the container
  std::string mode;
  std::string propagation;  // "rprivate", "shared", …
  bool rw = true;
};

// A published port: from NetworkSettings.Ports (running) or
// HostConfig.PortBindings (configured).
struct PortPublish {
  std::string container_port;  // "80/tcp"
  std::string host_ip;         // "" or "0.0.0.0" means every interface
  std::string host_port;       // "8080" or "" (daemon picks)
};

// The fields of GET /containers/{id}/json the CIS §5 checks read.
struct ContainerInspect {
  std::string id;
  std::string name;      // without the leading "/"
  std::string image;     // Config.Image as the user named it
  std::string image_id;  // Image ("sha256:…")
  std::string state;     // State.Status
  bool running = false;
  bool has_health = false;  // State.Health present (a health check is configured and runs)
  std::string health_status;
  bool config_healthcheck = false;  // Config.Healthcheck.Test set and not ["NONE"]
  std::string apparmor_profile;
  std::string path;  // the process the container runs
  std::vector<std::string> args;
  std::vector<std::string> entrypoint;  // Config.Entrypoint
  std::vector<std::string> cmd;         // Config.Cmd
  std::string user;                     // Config.User
  std::string hostname;                 // Config.Hostname
  // HostConfig
  bool privileged = false;
  std::vector<std::string> cap_add;
  std::vector<std::string> cap_drop;
  std::vector<std::string> security_opt;
  std::string network_mode;
  std::string pid_mode;
  std::string ipc_mode;
  std::string uts_mode;
  std::string userns_mode;
  std::string cgroup_parent;
  int64_t memory = 0;
  int64_t cpu_shares = 0;
  int64_t nano_cpus = 0;
  bool readonly_rootfs = false;
  std::string restart_policy;  // "no", "always", "on-failure", "unless-stopped"
  int64_t restart_max_retries = 0;
  std::vector<std::string> devices;  // "PathOnHost:PathInContainer:perms"
  std::vector<std::string> ulimits;  // "nofile=1024:2048"
  std::optional<int64_t> pids_limit;
  std::vector<ContainerMount> mounts;
  std::vector<PortPublish> ports;        // NetworkSettings.Ports with a host binding
  std::vector<PortPublish> port_config;  // HostConfig.PortBindings
  std::vector<std::string> networks;     // NetworkSettings.Networks keys
};

// The fields of GET /info the audits read.
struct DaemonInfo {
  std::string id;
  std::string server_version;
  std::string swarm_state;  // Swarm.LocalNodeState: "inactive", "active", …
  bool swarm_control = false;
  int64_t swarm_managers = 0;
  std::vector<std::string> security_options;  // "name=seccomp,profile=builtin", "name=rootless", …
  std::string docker_root_dir;
  std::string logging_driver;
  std::string cgroup_driver;
  std::string storage_driver;  // Driver
  bool live_restore = false;
  bool experimental = false;
  bool ipv4_forwarding = false;
  std::vector<std::string> insecure_registries;  // RegistryConfig.InsecureRegistryCIDRs
  std::vector<std::string> authorization_plugins;
  int64_t containers = 0, containers_running = 0, images = 0;

  bool HasSecurityOption(std::string_view name) const;  // "apparmor", "selinux", "rootless", "userns"
};

// One process of GET /containers/{id}/top: the COMMAND (or CMD) column.
using ProcessList = std::vector<std::string>;

Result<std::vector<ContainerSummary>> ParseContainerList(std::string_view body);
Result<ContainerInspect> ParseContainerInspect(std::string_view body);
Result<DaemonInfo> ParseDaemonInfo(std::string_view body);
Result<ProcessList> ParseTop(std::string_view body);
// GET /images/json: the image ids.
Result<std::vector<std::string>> ParseImageList(std::string_view body);
// GET /images/{id}/json and /images/{id}/history: the image as the image
// checks see it — id, repo tags, platform, the runtime config and the build
// history (oldest first) — without layers: no file is read.
Result<ImageInfo> ParseImageInspect(std::string_view inspect, std::string_view history);

// GET /networks/{id}: the Options map value for `key`, "" when absent.
Result<std::string> ParseNetworkOption(std::string_view body, std::string_view key);

Result<std::vector<ContainerSummary>> FetchContainers(EngineClient& client, bool all);
Result<ContainerInspect> FetchContainer(EngineClient& client, const std::string& id_or_name);
Result<DaemonInfo> FetchInfo(EngineClient& client);
Result<ProcessList> FetchTop(EngineClient& client, const std::string& id);
Result<std::vector<std::string>> FetchImages(EngineClient& client);
Result<ImageInfo> FetchImage(EngineClient& client, const std::string& id);

}  // namespace drydock
