#include "engine/inspect.h"

#include <simdjson.h>

#include <algorithm>
#include <cctype>

#include "base/path.h"
#include "model/json_util.h"

namespace drydock {

namespace {

using simdjson::dom::element;

// A sub-object; nullopt when absent or null, an error when not an object.
Result<std::optional<element>> Object(element obj, std::string_view key, std::string_view what) {
  auto e = json::Get(obj, key);
  if (!e) return std::optional<element>{};
  if (!e->is_object()) return InputError("{}: {} is not an object", what, key);
  return e;
}

Result<bool> Bool(element obj, std::string_view key, std::string_view what) {
  auto e = json::Get(obj, key);
  if (!e) return false;
  bool b = false;
  if (e->get(b)) return InputError("{}: {} is not a boolean", what, key);
  return b;
}

std::string StripSlash(std::string s) {
  if (!s.empty() && s.front() == '/') s.erase(0, 1);
  return s;
}

// {"80/tcp": [{"HostIp": "0.0.0.0", "HostPort": "80"}], "81/tcp": null}
Result<std::vector<PortPublish>> Ports(std::optional<element> obj, std::string_view what) {
  std::vector<PortPublish> out;
  if (!obj) return out;
  simdjson::dom::object o;
  if (obj->get(o)) return InputError("{}: ports are not an object", what);
  for (auto field : o) {
    if (field.value.is_null()) continue;
    simdjson::dom::array arr;
    if (field.value.get(arr)) return InputError("{}: port {} is not an array", what, Printable(field.key, 40));
    for (element b : arr) {
      if (!b.is_object()) return InputError("{}: port binding is not an object", what);
      PortPublish p;
      p.container_port = std::string(field.key);
      ASSIGN_OR_RETURN(p.host_ip, json::String(b, "HostIp", what));
      ASSIGN_OR_RETURN(p.host_port, json::String(b, "HostPort", what));
      out.push_back(std::move(p));
    }
  }
  return out;
}

Result<std::vector<ContainerMount>> Mounts(element root, std::string_view what) {
  std::vector<ContainerMount> out;
  auto e = json::Get(root, "Mounts");
  if (!e) return out;
  simdjson::dom::array arr;
  if (e->get(arr)) return InputError("{}: Mounts is not an array", what);
  for (element m : arr) {
    if (!m.is_object()) return InputError("{}: a mount is not an object", what);
    ContainerMount mount;
    ASSIGN_OR_RETURN(mount.type, json::String(m, "Type", what));
    ASSIGN_OR_RETURN(mount.source, json::String(m, "Source", what));
    ASSIGN_OR_RETURN(mount.destination, json::String(m, "Destination", what));
    ASSIGN_OR_RETURN(mount.mode, json::String(m, "Mode", what));
    ASSIGN_OR_RETURN(mount.propagation, json::String(m, "Propagation", what));
    ASSIGN_OR_RETURN(mount.rw, Bool(m, "RW", what));
    out.push_back(std::move(mount));
  }
  return out;
}

Status HostConfig(element hc, ContainerInspect& c, std::string_view what) {
  ASSIGN_OR_RETURN(c.privileged, Bool(hc, "Privileged", what));
  ASSIGN_OR_RETURN(c.cap_add, json::StringArray(hc, "CapAdd", what));
  ASSIGN_OR_RETURN(c.cap_drop, json::StringArray(hc, "CapDrop", what));
  ASSIGN_OR_RETURN(c.security_opt, json::StringArray(hc, "SecurityOpt", what));
  ASSIGN_OR_RETURN(c.network_mode, json::String(hc, "NetworkMode", what));
  ASSIGN_OR_RETURN(c.pid_mode, json::String(hc, "PidMode", what));
  ASSIGN_OR_RETURN(c.ipc_mode, json::String(hc, "IpcMode", what));
  ASSIGN_OR_RETURN(c.uts_mode, json::String(hc, "UTSMode", what));
  ASSIGN_OR_RETURN(c.userns_mode, json::String(hc, "UsernsMode", what));
  ASSIGN_OR_RETURN(c.cgroup_parent, json::String(hc, "CgroupParent", what));
  ASSIGN_OR_RETURN(c.memory, json::Int(hc, "Memory", 0, what));
  ASSIGN_OR_RETURN(c.cpu_shares, json::Int(hc, "CpuShares", 0, what));
  ASSIGN_OR_RETURN(c.nano_cpus, json::Int(hc, "NanoCpus", 0, what));
  ASSIGN_OR_RETURN(c.readonly_rootfs, Bool(hc, "ReadonlyRootfs", what));
  if (json::Get(hc, "PidsLimit")) {
    ASSIGN_OR_RETURN(int64_t pids, json::Int(hc, "PidsLimit", 0, what));
    c.pids_limit = pids;
  }
  ASSIGN_OR_RETURN(auto restart, Object(hc, "RestartPolicy", what));
  if (restart) {
    ASSIGN_OR_RETURN(c.restart_policy, json::String(*restart, "Name", what));
    ASSIGN_OR_RETURN(c.restart_max_retries, json::Int(*restart, "MaximumRetryCount", 0, what));
  }
  if (auto devs = json::Get(hc, "Devices")) {
    simdjson::dom::array arr;
    if (devs->get(arr)) return InputError("{}: HostConfig.Devices is not an array", what);
    for (element d : arr) {
      if (!d.is_object()) return InputError("{}: a device is not an object", what);
      ASSIGN_OR_RETURN(std::string host, json::String(d, "PathOnHost", what));
      ASSIGN_OR_RETURN(std::string in, json::String(d, "PathInContainer", what));
      ASSIGN_OR_RETURN(std::string perms, json::String(d, "CgroupPermissions", what));
      c.devices.push_back(fmt::format("{}:{}:{}", host, in, perms));
    }
  }
  if (auto ul = json::Get(hc, "Ulimits")) {
    simdjson::dom::array arr;
    if (ul->get(arr)) return InputError("{}: HostConfig.Ulimits is not an array", what);
    for (element u : arr) {
      if (!u.is_object()) return InputError("{}: a ulimit is not an object", what);
      ASSIGN_OR_RETURN(std::string name, json::String(u, "Name", what));
      ASSIGN_OR_RETURN(int64_t soft, json::Int(u, "Soft", 0, what));
      ASSIGN_OR_RETURN(int64_t hard, json::Int(u, "Hard", 0, what));
      c.ulimits.push_back(fmt::format("{}={}:{}", name, soft, hard));
    }
  }
  ASSIGN_OR_RETURN(auto bindings, Object(hc, "PortBindings", what));
  ASSIGN_OR_RETURN(c.port_config, Ports(bindings, what));
  return Ok();
}

}  // namespace

bool DaemonInfo::HasSecurityOption(std::string_view name) const {
  const std::string want = "name=" + std::string(name);
  for (const std::string& o : security_options) {
    if (o == want || o.starts_with(want + ",")) return true;
  }
  return false;
}

Result<std::vector<ContainerSummary>> ParseContainerList(std::string_view body) {
  constexpr std::string_view what = "Docker Engine: /containers/json";
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, body, what));
  simdjson::dom::array arr;
  if (root.get(arr)) return InputError("{}: not an array", what);
  std::vector<ContainerSummary> out;
  for (element e : arr) {
    if (!e.is_object()) return InputError("{}: an entry is not an object", what);
    ContainerSummary s;
    ASSIGN_OR_RETURN(s.id, json::String(e, "Id", what));
    ASSIGN_OR_RETURN(s.names, json::StringArray(e, "Names", what));
    for (auto& n : s.names) n = StripSlash(std::move(n));
    ASSIGN_OR_RETURN(s.image, json::String(e, "Image", what));
    ASSIGN_OR_RETURN(s.state, json::String(e, "State", what));
    if (s.id.empty()) return InputError("{}: an entry has no Id", what);
    out.push_back(std::move(s));
  }
  return out;
}

Result<ContainerInspect> ParseContainerInspect(std::string_view body) {
  constexpr std::string_view what = "Docker Engine: container inspect";
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, body, what));
  if (!root.is_object()) return InputError("{}: not an object", what);
  ContainerInspect c;
  ASSIGN_OR_RETURN(c.id, json::String(root, "Id", what));
  if (c.id.empty()) return InputError("{}: no Id", what);
  ASSIGN_OR_RETURN(std::string name, json::String(root, "Name", what));
  c.name = StripSlash(std::move(name));
  ASSIGN_OR_RETURN(c.image_id, json::String(root, "Image", what));
  ASSIGN_OR_RETURN(c.apparmor_profile, json::String(root, "AppArmorProfile", what));
  ASSIGN_OR_RETURN(c.path, json::String(root, "Path", what));
  ASSIGN_OR_RETURN(c.args, json::StringArray(root, "Args", what));
  ASSIGN_OR_RETURN(auto state, Object(root, "State", what));
  if (state) {
    ASSIGN_OR_RETURN(c.state, json::String(*state, "Status", what));
    ASSIGN_OR_RETURN(c.running, Bool(*state, "Running", what));
    ASSIGN_OR_RETURN(auto health, Object(*state, "Health", what));
    if (health) {
      c.has_health = true;
      ASSIGN_OR_RETURN(c.health_status, json::String(*health, "Status", what));
    }
  }
  ASSIGN_OR_RETURN(auto config, Object(root, "Config", what));
  if (config) {
    ASSIGN_OR_RETURN(c.image, json::String(*config, "Image", what));
    ASSIGN_OR_RETURN(c.user, json::String(*config, "User", what));
    ASSIGN_OR_RETURN(c.hostname, json::String(*config, "Hostname", what));
    ASSIGN_OR_RETURN(c.entrypoint, json::StringArray(*config, "Entrypoint", what));
    ASSIGN_OR_RETURN(c.cmd, json::StringArray(*config, "Cmd", what));
    ASSIGN_OR_RETURN(auto hc, Object(*config, "Healthcheck", what));
    if (hc) {
      ASSIGN_OR_RETURN(auto test, json::StringArray(*hc, "Test", what));
      c.config_healthcheck = !test.empty() && test.front() != "NONE";
    }
  }
  ASSIGN_OR_RETURN(auto hc, Object(root, "HostConfig", what));
  if (hc) RETURN_IF_ERROR(HostConfig(*hc, c, what));
  ASSIGN_OR_RETURN(c.mounts, Mounts(root, what));
  ASSIGN_OR_RETURN(auto net, Object(root, "NetworkSettings", what));
  if (net) {
    ASSIGN_OR_RETURN(auto ports, Object(*net, "Ports", what));
    ASSIGN_OR_RETURN(c.ports, Ports(ports, what));
    ASSIGN_OR_RETURN(c.networks, json::Keys(*net, "Networks", what));
  }
  return c;
}

Result<DaemonInfo> ParseDaemonInfo(std::string_view body) {
  constexpr std::string_view what = "Docker Engine: /info";
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, body, what));
  if (!root.is_object()) return InputError("{}: not an object", what);
  DaemonInfo d;
  ASSIGN_OR_RETURN(d.id, json::String(root, "ID", what));
  ASSIGN_OR_RETURN(d.server_version, json::String(root, "ServerVersion", what));
  ASSIGN_OR_RETURN(d.security_options, json::StringArray(root, "SecurityOptions", what));
  ASSIGN_OR_RETURN(d.docker_root_dir, json::String(root, "DockerRootDir", what));
  ASSIGN_OR_RETURN(d.logging_driver, json::String(root, "LoggingDriver", what));
  ASSIGN_OR_RETURN(d.cgroup_driver, json::String(root, "CgroupDriver", what));
  ASSIGN_OR_RETURN(d.storage_driver, json::String(root, "Driver", what));
  ASSIGN_OR_RETURN(d.live_restore, Bool(root, "LiveRestoreEnabled", what));
  ASSIGN_OR_RETURN(d.experimental, Bool(root, "ExperimentalBuild", what));
  ASSIGN_OR_RETURN(d.ipv4_forwarding, Bool(root, "IPv4Forwarding", what));
  ASSIGN_OR_RETURN(d.containers, json::Int(root, "Containers", 0, what));
  ASSIGN_OR_RETURN(d.containers_running, json::Int(root, "ContainersRunning", 0, what));
  ASSIGN_OR_RETURN(d.images, json::Int(root, "Images", 0, what));
  ASSIGN_OR_RETURN(auto swarm, Object(root, "Swarm", what));
  if (swarm) {
    ASSIGN_OR_RETURN(d.swarm_state, json::String(*swarm, "LocalNodeState", what));
    ASSIGN_OR_RETURN(d.swarm_control, Bool(*swarm, "ControlAvailable", what));
    ASSIGN_OR_RETURN(d.swarm_managers, json::Int(*swarm, "Managers", 0, what));
  }
  ASSIGN_OR_RETURN(auto reg, Object(root, "RegistryConfig", what));
  if (reg) {
    ASSIGN_OR_RETURN(d.insecure_registries, json::StringArray(*reg, "InsecureRegistryCIDRs", what));
  }
  ASSIGN_OR_RETURN(auto plugins, Object(root, "Plugins", what));
  if (plugins) {
    ASSIGN_OR_RETURN(d.authorization_plugins, json::StringArray(*plugins, "Authorization", what));
  }
  return d;
}

Result<ProcessList> ParseTop(std::string_view body) {
  constexpr std::string_view what = "Docker Engine: container top";
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, body, what));
  if (!root.is_object()) return InputError("{}: not an object", what);
  ASSIGN_OR_RETURN(auto titles, json::StringArray(root, "Titles", what));
  size_t col = titles.size();
  for (size_t i = 0; i < titles.size(); ++i) {
    if (titles[i] == "CMD" || titles[i] == "COMMAND") col = i;
  }
  ProcessList out;
  auto procs = json::Get(root, "Processes");
  if (!procs) return out;
  simdjson::dom::array rows;
  if (procs->get(rows)) return InputError("{}: Processes is not an array", what);
  for (element row : rows) {
    simdjson::dom::array cells;
    if (row.get(cells)) return InputError("{}: a process is not an array", what);
    size_t i = 0;
    std::string_view cmd;
    for (element cell : cells) {
      std::string_view v;
      if (cell.get(v)) return InputError("{}: a process cell is not a string", what);
      if (i++ == col || (col == titles.size() && i == cells.size())) cmd = v;
    }
    out.emplace_back(cmd);
  }
  return out;
}

Result<std::vector<std::string>> ParseImageList(std::string_view body) {
  constexpr std::string_view what = "Docker Engine: /images/json";
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, body, what));
  simdjson::dom::array arr;
  if (root.get(arr)) return InputError("{}: not an array", what);
  std::vector<std::string> out;
  for (element e : arr) {
    if (!e.is_object()) return InputError("{}: an entry is not an object", what);
    ASSIGN_OR_RETURN(std::string id, json::String(e, "Id", what));
    out.push_back(std::move(id));
  }
  return out;
}

Result<ImageInfo> ParseImageInspect(std::string_view inspect, std::string_view history) {
  constexpr std::string_view what = "Docker Engine: image inspect";
  ImageInfo image;
  image.source_kind = "docker-engine";
  {
    simdjson::dom::parser parser;
    ASSIGN_OR_RETURN(element root, json::Parse(parser, inspect, what));
    if (!root.is_object()) return InputError("{}: not an object", what);
    ASSIGN_OR_RETURN(std::string id, json::String(root, "Id", what));
    if (auto d = Digest::Parse(id); d.ok()) image.config_digest = std::move(d).value();
    ASSIGN_OR_RETURN(image.repo_tags, json::StringArray(root, "RepoTags", what));
    image.reference = image.repo_tags.empty() ? id : image.repo_tags.front();
    ASSIGN_OR_RETURN(image.config.architecture, json::String(root, "Architecture", what));
    ASSIGN_OR_RETURN(image.config.os, json::String(root, "Os", what));
    ASSIGN_OR_RETURN(image.config.variant, json::String(root, "Variant", what));
    ASSIGN_OR_RETURN(auto config, Object(root, "Config", what));
    if (config) RETURN_IF_ERROR(ParseRuntimeConfig(simdjson::minify(*config), image.config));
  }
  constexpr std::string_view hwhat = "Docker Engine: image history";
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, history, hwhat));
  simdjson::dom::array arr;
  if (root.get(arr)) return InputError("{}: not an array", hwhat);
  for (element e : arr) {
    if (!e.is_object()) return InputError("{}: an entry is not an object", hwhat);
    HistoryEntry h;
    ASSIGN_OR_RETURN(h.created_by, json::String(e, "CreatedBy", hwhat));
    ASSIGN_OR_RETURN(h.comment, json::String(e, "Comment", hwhat));
    ASSIGN_OR_RETURN(int64_t size, json::Int(e, "Size", 0, hwhat));
    h.empty_layer = size == 0;
    image.config.history.push_back(std::move(h));
  }
  std::reverse(image.config.history.begin(), image.config.history.end());  // the API lists newest first
  return image;
}

Result<std::string> ParseNetworkOption(std::string_view body, std::string_view key) {
  constexpr std::string_view what = "Docker Engine: network inspect";
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(element root, json::Parse(parser, body, what));
  if (!root.is_object()) return InputError("{}: not an object", what);
  ASSIGN_OR_RETURN(auto opts, json::StringMap(root, "Options", what));
  auto it = opts.find(std::string(key));
  return it == opts.end() ? std::string() : it->second;
}

Result<std::vector<ContainerSummary>> FetchContainers(EngineClient& client, bool all) {
  ASSIGN_OR_RETURN(std::string body, client.Get(all ? "/containers/json?all=1" : "/containers/json"));
  return ParseContainerList(body);
}

Result<ContainerInspect> FetchContainer(EngineClient& client, const std::string& id_or_name) {
  ASSIGN_OR_RETURN(std::string body, client.Get("/containers/" + EscapeImageName(id_or_name) + "/json"));
  return ParseContainerInspect(body);
}

Result<DaemonInfo> FetchInfo(EngineClient& client) {
  ASSIGN_OR_RETURN(std::string body, client.Get("/info"));
  return ParseDaemonInfo(body);
}

Result<ProcessList> FetchTop(EngineClient& client, const std::string& id) {
  ASSIGN_OR_RETURN(std::string body, client.Get("/containers/" + EscapeImageName(id) + "/top"));
  return ParseTop(body);
}

Result<std::vector<std::string>> FetchImages(EngineClient& client) {
  ASSIGN_OR_RETURN(std::string body, client.Get("/images/json?all=0"));
  return ParseImageList(body);
}

Result<ImageInfo> FetchImage(EngineClient& client, const std::string& id) {
  const std::string path = "/images/" + EscapeImageName(id);
  ASSIGN_OR_RETURN(std::string inspect, client.Get(path + "/json"));
  ASSIGN_OR_RETURN(std::string history, client.Get(path + "/history"));
  return ParseImageInspect(inspect, history);
}

}  // namespace drydock
