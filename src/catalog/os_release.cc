#include "catalog/os_release.h"

namespace drydock {

namespace {

std::string Unquote(std::string_view v) {
  if (v.size() >= 2 && (v.front() == '"' || v.front() == '\'') && v.back() == v.front()) {
    const bool dq = v.front() == '"';
    v = v.substr(1, v.size() - 2);
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
      if (dq && v[i] == '\\' && i + 1 < v.size()) ++i;
      out.push_back(v[i]);
    }
    return out;
  }
  return std::string(v);
}

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
    s.remove_suffix(1);
  return s;
}

// The OS named by os-release or, failing that, a distro file.
std::optional<OsRelease> DetectRelease(const FileSystemView& fs) {
  for (const char* p : {"/etc/os-release", "/usr/lib/os-release"}) {
    if (auto text = fs.ReadFile(p)) {
      OsRelease os = ParseOsRelease(*text);
      if (!os.id.empty()) {
        os.source_path = p;
        return os;
      }
    }
  }
  struct Fallback {
    const char* path;
    const char* id;
    const char* name;
  };
  for (const auto& f :
       {Fallback{"/etc/alpine-release", "alpine", "Alpine Linux"},
        Fallback{"/etc/debian_version", "debian", "Debian GNU/Linux"}, Fallback{"/etc/redhat-release", "rhel", ""}}) {
    if (auto text = fs.ReadFile(f.path)) {
      OsRelease os;
      os.id = f.id;
      std::string_view t = Trim(*text);
      os.version_id = std::string(t.substr(0, t.find('\n')));
      os.pretty_name = *f.name ? std::string(f.name) + " " + os.version_id : os.version_id;
      os.source_path = f.path;
      return os;
    }
  }
  return std::nullopt;
}

// Google distroless images keep one dpkg stanza file per package in
// status.d/ and no status file; their os-release says "Distroless".
bool IsDistroless(const FileSystemView& fs, const OsRelease& os) {
  if (os.pretty_name.starts_with("Distroless")) return true;
  if (fs.Resolve("/var/lib/dpkg/status") != nullptr) return false;
  const auto* dir = fs.Resolve("/var/lib/dpkg/status.d");
  if (dir != nullptr) return dir->file->type == EntryType::kDir;
  // Layers need not store directory entries: a file captured below
  // status.d/ (the dpkg cataloger asks for them) shows it too.
  static constexpr std::string_view kDir = "/var/lib/dpkg/status.d/";
  for (const auto& layer : fs.layers()) {
    for (auto it = layer->captured.lower_bound(std::string(kDir));
         it != layer->captured.end() && it->first.starts_with(kDir); ++it) {
      if (fs.Lookup(it->first) != nullptr) return true;
    }
  }
  return false;
}

}  // namespace

OsRelease ParseOsRelease(std::string_view text) {
  OsRelease os;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = Trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = line.substr(0, eq);
    std::string value = Unquote(line.substr(eq + 1));
    if (key == "ID")
      os.id = value;
    else if (key == "VERSION_ID")
      os.version_id = value;
    else if (key == "VERSION_CODENAME")
      os.version_codename = value;
    else if (key == "PRETTY_NAME")
      os.pretty_name = value;
  }
  return os;
}

FileWants OsReleaseWants() {
  FileWants w;
  w.globs = {"/etc/os-release", "/usr/lib/os-release", "/etc/alpine-release", "/etc/debian_version",
             "/etc/redhat-release"};
  w.max_size = 64 << 10;
  w.capture = true;
  return w;
}

std::optional<OsRelease> DetectOs(const FileSystemView& fs) {
  auto os = DetectRelease(fs);
  if (os) os->distroless = IsDistroless(fs, *os);
  return os;
}

}  // namespace drydock
