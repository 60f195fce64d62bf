#include "server/api.h"

#include <stdlib.h>

#include <algorithm>
#include <memory>

#include <nlohmann/json.hpp>

#include "base/digest.h"
#include "base/path.h"

namespace drydock::server {

namespace {

using nlohmann::json;

bool HasControlBytes(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

Result<ScanRequestOptions> OptionsFrom(const json& j) {
  ScanRequestOptions o;
  if (!j.is_object()) return InputError("\"options\" must be an object");
  for (const auto& [key, v] : j.items()) {
    if (key == "scanners") {
      if (!v.is_array() || v.size() > 3) return InputError("\"options.scanners\" must be an array of scanner names");
      o.scanners.clear();
      for (const auto& s : v) {
        if (!s.is_string()) return InputError("\"options.scanners\" must be an array of scanner names");
        const std::string& name = s.get_ref<const std::string&>();
        if (name != "vuln" && name != "secret" && name != "misconfig") {
          return InputError("\"options.scanners\": {} is not a scanner (vuln, secret, misconfig)", Printable(name, 40));
        }
        if (std::find(o.scanners.begin(), o.scanners.end(), name) != o.scanners.end()) {
          return InputError("\"options.scanners\": {} is listed twice", name);
        }
        o.scanners.push_back(name);
      }
    } else if (key == "inventory" || key == "checks" || key == "include_unfixed") {
      if (!v.is_boolean()) return InputError("\"options.{}\" must be true or false", key);
      (key == "inventory" ? o.inventory : key == "checks" ? o.checks : o.include_unfixed) = v.get<bool>();
    } else if (key == "platform") {
      if (!v.is_string() || v.get_ref<const std::string&>().size() > 64 ||
          HasControlBytes(v.get_ref<const std::string&>())) {
        return InputError("\"options.platform\" must be a string like linux/amd64");
      }
      o.platform = v.get<std::string>();
    } else {
      return InputError("\"options\": unknown key {}", Printable(key, 40));
    }
  }
  return o;
}

}  // namespace

Result<ScanRequest> ParseScanRequest(std::string_view body) {
  json j = json::parse(body.begin(), body.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InputError("the body is not JSON");
  if (!j.is_object()) return InputError("the body must be a JSON object with a \"target\"");
  ScanRequest r;
  bool have_target = false;
  for (const auto& [key, v] : j.items()) {
    if (key == "target") {
      if (!v.is_string()) return InputError("\"target\" must be a string");
      r.target = v.get<std::string>();
      have_target = true;
    } else if (key == "options") {
      ASSIGN_OR_RETURN(r.options, OptionsFrom(v));
    } else {
      return InputError("unknown key {}", Printable(key, 40));
    }
  }
  if (!have_target || r.target.empty()) return InputError("\"target\" is missing or empty");
  if (r.target.size() > kMaxTargetBytes) return InputError("\"target\" is longer than {} bytes", kMaxTargetBytes);
  if (HasControlBytes(r.target)) return InputError("\"target\" holds control bytes");
  return r;
}

std::string OptionsJson(const ScanRequestOptions& o) {
  // nlohmann's object keeps keys sorted: the dump is canonical.
  json j = {{"scanners", o.scanners},
            {"inventory", o.inventory},
            {"checks", o.checks},
            {"include_unfixed", o.include_unfixed},
            {"platform", o.platform}};
  return j.dump();
}

Result<ScanRequestOptions> ParseOptionsJson(std::string_view s) {
  json j = json::parse(s.begin(), s.end(), nullptr, false);
  if (j.is_discarded()) return InputError("stored options are not JSON");
  return OptionsFrom(j);
}

std::string RequestKey(const ScanRequest& r) {
  Sha256 h;
  h.Update(r.target);
  h.Update(std::string_view("\0", 1));
  h.Update(OptionsJson(r.options));
  return h.Finish().hex;
}

Result<TargetPolicy> TargetPolicy::Parse(std::string_view spec) {
  TargetPolicy p;
  p.registry = false;
  size_t i = 0;
  while (i <= spec.size()) {
    size_t j = spec.find(',', i);
    if (j == std::string_view::npos) j = spec.size();
    const std::string_view item = spec.substr(i, j - i);
    i = j + 1;
    if (item.empty()) continue;
    if (item == "registry") {
      p.registry = true;
    } else if (item == "docker") {
      p.docker = true;
    } else if (item.starts_with("path:") && item.size() > 5) {
      std::unique_ptr<char, void (*)(void*)> real(realpath(std::string(item.substr(5)).c_str(), nullptr), free);
      if (!real) return UsageError("--allow-targets {}: no such directory", Printable(item));
      p.path_roots.emplace_back(real.get());
    } else {
      return UsageError("--allow-targets {}: want registry, docker or path:DIR", Printable(item));
    }
  }
  return p;
}

Status TargetPolicy::Check(std::string_view target) const {
  if (target.starts_with("registry:")) {
    if (registry) return Status();
    return UsageError("registry targets are not allowed on this server");
  }
  if (target.starts_with("docker:")) {
    if (docker) return Status();
    return UsageError("docker: targets are not allowed on this server");
  }
  std::string path;
  for (std::string_view prefix : {"docker-archive:", "oci:", "dir:"}) {
    if (target.starts_with(prefix)) path = std::string(target.substr(prefix.size()));
  }
  if (path.empty() && target.starts_with("/")) path = std::string(target);
  if (path.empty()) return UsageError("name the target's kind: registry:REF, or an absolute path where allowed");
  if (path_roots.empty()) return UsageError("local paths are not allowed on this server");
  std::unique_ptr<char, void (*)(void*)> real(realpath(path.c_str(), nullptr), free);
  if (!real && target.starts_with("oci:") && path.rfind(':') != std::string::npos) {
    real.reset(realpath(path.substr(0, path.rfind(':')).c_str(), nullptr));  // oci:DIR:TAG
  }
  if (!real) return UsageError("the path is not under a directory this server allows");
  const std::string_view r = real.get();
  for (const std::string& root : path_roots) {
    if (r == root || (r.starts_with(root) && (root == "/" || r[root.size()] == '/'))) return Status();
  }
  return UsageError("the path is not under a directory this server allows");
}

}  // namespace drydock::server
