// dpkg: Debian and Ubuntu packages from /var/lib/dpkg/status, and Google
// distroless images' /var/lib/dpkg/status.d/* (one file per package, no
// Status field, owned files in NAME.md5sums beside it).
//
// A package is listed when its files are on disk: dpkg's status is any but
// not-installed and config-files. (`dpkg-query -W` also prints removed
// packages whose conffiles remain; their files are gone, so they are not
// inventory.) Owned files come from info/NAME[:ARCH].list, licenses from
// /usr/share/doc/NAME/copyright (see deb_copyright.h).
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/db_history.h"
#include "catalog/deb822.h"
#include "catalog/deb_copyright.h"

namespace drydock {

namespace {

constexpr std::string_view kStatusPath = "/var/lib/dpkg/status";
constexpr std::string_view kStatusDir = "/var/lib/dpkg/status.d/";
constexpr std::string_view kInfoDir = "/var/lib/dpkg/info/";
constexpr std::string_view kDocDir = "/usr/share/doc/";
constexpr std::string_view kMd5sums = ".md5sums";

// Bounds for hostile databases; real ones hold a few thousand packages and
// at most tens of thousands of files per package.
constexpr size_t kMaxPackagesPerFile = 100000;
constexpr size_t kMaxFilesPerPackage = 262144;
constexpr size_t kMaxFieldLength = 1024;
constexpr int kMaxDiagnosticsPerFile = 8;

// Reports at most kMaxDiagnosticsPerFile problems of one file, then how many
// more there were.
class FileDiagnostics {
 public:
  FileDiagnostics(std::string_view path, CatalogOutput& out) : path_(path), out_(out) {}
  ~FileDiagnostics() {
    if (dropped_ > 0) out_.Skip(path_, "and " + std::to_string(dropped_) + " more malformed entries");
  }
  FileDiagnostics(const FileDiagnostics&) = delete;
  FileDiagnostics& operator=(const FileDiagnostics&) = delete;
  void Add(std::string message) {
    if (count_++ < kMaxDiagnosticsPerFile) {
      out_.Skip(path_, std::move(message));
    } else {
      ++dropped_;
    }
  }

 private:
  std::string path_;
  CatalogOutput& out_;
  int count_ = 0;
  int dropped_ = 0;
};

// dpkg's package name rule (lib/dpkg/parse.c: pkg_name_is_illegal), which
// also keeps names safe to join into info/ and doc/ paths.
bool ValidPackageName(std::string_view n) {
  if (n.empty() || n.size() > 256) return false;
  auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); };
  if (!alnum(n.front())) return false;
  for (char c : n) {
    if (!alnum(c) && c != '-' && c != '+' && c != '.' && c != '_') return false;
  }
  return true;
}

bool PrintableField(std::string_view v) {
  if (v.size() > kMaxFieldLength) return false;
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// The third word of "want flag status": the state of the package's files.
std::string_view StatusWord(std::string_view status) {
  size_t sp = status.find_last_of(" \t");
  return sp == std::string_view::npos ? status : status.substr(sp + 1);
}

// The package a stanza describes, or nullopt with `why` empty (not
// installed) or set (malformed). `need_status`: a status-file stanza
// without Status is not installed; a status.d stanza without one is.
std::optional<Package> PackageOf(const Deb822Stanza& s, bool need_status, std::string& why) {
  why.clear();
  if (!s.error.empty()) {
    why = s.error;
    return std::nullopt;
  }
  const std::string_view name = s.Get("Package");
  if (name.empty()) {
    why = "line " + std::to_string(s.line) + ": stanza without a Package field";
    return std::nullopt;
  }
  if (!ValidPackageName(name)) {
    why = "line " + std::to_string(s.line) + ": invalid package name \"" + Printable(name, 80) + "\"";
    return std::nullopt;
  }
  // status.d stanzas normally have no Status (installed); one they do have
  // is honoured like the status file's.
  std::string_view state = "installed";
  if (const std::string_view status = s.Get("Status"); !status.empty()) {
    state = StatusWord(status);
  } else if (need_status) {
    return std::nullopt;  // dpkg's default state: not installed
  }
  if (state == "not-installed" || state == "config-files") return std::nullopt;
  const std::string_view version = s.Get("Version");
  if (version.empty() || !PrintableField(version)) {
    why = "line " + std::to_string(s.line) + ": package " + std::string(name) + " has no valid Version";
    return std::nullopt;
  }
  Package p;
  p.type = std::string(pkgtype::kDeb);
  p.name = std::string(name);
  p.version = std::string(version);
  if (std::string_view arch = s.Get("Architecture"); PrintableField(arch)) p.arch = std::string(arch);
  // "Source: name" or "Source: name (version)" when the source version
  // differs from the binary's (binNMUs).
  std::string_view source = s.Get("Source");
  if (!PrintableField(source)) source = {};
  if (const size_t paren = source.find('('); paren != std::string_view::npos) {
    std::string_view sv = source.substr(paren + 1);
    sv = sv.substr(0, sv.find(')'));
    while (!sv.empty() && sv.front() == ' ') sv.remove_prefix(1);
    while (!sv.empty() && sv.back() == ' ') sv.remove_suffix(1);
    if (sv != version) p.source_version = std::string(sv);
    source = source.substr(0, paren);
    while (!source.empty() && source.back() == ' ') source.remove_suffix(1);
  }
  p.source_name = source.empty() ? p.name : std::string(source);
  if (std::string_view m = s.Get("Maintainer"); !m.empty() && PrintableField(m)) p.metadata["dpkg.maintainer"] = m;
  if (std::string_view v = s.Get("Installed-Size"); !v.empty() && PrintableField(v)) {
    p.metadata["dpkg.installed_size"] = v;
  }
  if (std::string_view v = s.Get("Multi-Arch"); !v.empty() && PrintableField(v)) p.metadata["dpkg.multi_arch"] = v;
  if (state != "installed") p.metadata["dpkg.status"] = std::string(state);
  return p;
}

// "name\0arch\0version": one installed package, for layer attribution.
std::string KeyOf(const Package& p) { return p.name + '\0' + p.arch + '\0' + p.version; }

// The installed packages of one database file, or of an older version of it
// (then `diag` is null and problems are ignored).
std::vector<Package> ParseDatabase(std::string_view text, bool need_status, FileDiagnostics* diag) {
  std::vector<Package> pkgs;
  Deb822Reader reader(text);
  Deb822Stanza stanza;
  std::string why;
  while (reader.Next(stanza)) {
    auto p = PackageOf(stanza, need_status, why);
    if (!p) {
      if (diag && !why.empty()) diag->Add(why);
      continue;
    }
    if (pkgs.size() >= kMaxPackagesPerFile) {
      if (diag) diag->Add("more than " + std::to_string(kMaxPackagesPerFile) + " packages; the rest ignored");
      break;
    }
    pkgs.push_back(std::move(*p));
  }
  return pkgs;
}

// True when `p` already has the clean form base/path.h defines (absolute,
// no empty, "." or ".." component, no trailing slash), as dpkg writes them.
bool IsClean(std::string_view p) {
  if (p.size() < 2 || p.front() != '/' || p.back() == '/') return false;
  for (size_t i = 0; i < p.size(); ++i) {
    if (p[i] != '/') continue;
    std::string_view comp = p.substr(i + 1, p.find('/', i + 1) - i - 1);
    if (comp.empty() || comp == "." || comp == "..") return false;
  }
  return true;
}

// Appends the paths of a .list file (absolute, one per line) or a
// .md5sums file ("<md5>  relative/path") to `files`. A line the next line
// lies below is a directory (dpkg lists a directory before its contents):
// only files matter for ownership, so directories are left out.
void AppendOwnedFiles(std::string_view text, bool md5sums, std::vector<std::string>& files, std::string_view path,
                      CatalogOutput& out) {
  const size_t first = files.size();
  size_t n = 0;
  std::string scratch;
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (md5sums) {
      const size_t sp = line.find(' ');
      if (sp == std::string_view::npos) continue;
      line = line.substr(sp);
      while (!line.empty() && (line.front() == ' ' || line.front() == '*')) line.remove_prefix(1);
      if (line.empty()) continue;
      scratch.assign("/").append(line);
      line = scratch;
    }
    // .list lines are absolute; a NUL cannot be in a path.
    if (line.empty() || line.front() != '/' || line.find('\0') != std::string_view::npos) continue;
    if (++n > kMaxFilesPerPackage) {
      out.Skip(path, "more than " + std::to_string(kMaxFilesPerPackage) + " files; the rest ignored");
      return;
    }
    std::string clean = IsClean(line) ? std::string(line) : CleanPath(line);
    if (clean.empty() || clean == "/") continue;
    if (files.size() > first) {
      const std::string& prev = files.back();
      if (clean.size() > prev.size() && clean[prev.size()] == '/' && clean.starts_with(prev)) {
        files.back() = std::move(clean);
        continue;
      }
    }
    files.push_back(std::move(clean));
  }
}

// Licenses per copyright file content, so packages sharing a doc directory
// (symlinked, or one package in several architectures) parse it once.
class LicenseReader {
 public:
  explicit LicenseReader(const FileSystemView& fs) : fs_(fs) {}
  const std::vector<std::string>& For(std::string_view package) {
    auto text = fs_.ReadFile(std::string(kDocDir) + std::string(package) + "/copyright");
    if (!text) return none_;
    auto it = cache_.find(text->data());
    if (it == cache_.end()) it = cache_.emplace(text->data(), DebianCopyrightLicenses(*text)).first;
    return it->second;
  }

 private:
  const FileSystemView& fs_;
  std::unordered_map<const char*, std::vector<std::string>> cache_;
  const std::vector<std::string> none_;
};

// The real path of a database file and the layer that wrote the version in
// the merged view; nullopt when the view has no captured regular file there.
struct DbFile {
  std::string path;
  std::string_view content;
  int layer = -1;
};
std::optional<DbFile> FindDbFile(const FileSystemView& fs, std::string_view path) {
  auto real = fs.RealPath(path);
  if (!real) return std::nullopt;
  const auto* n = fs.Lookup(*real);
  if (n == nullptr || !n->file->is_regular()) return std::nullopt;
  auto content = fs.ReadFile(*real);
  if (!content) return std::nullopt;
  return DbFile{*real, *content, n->layer};
}

// Fills files, licenses, evidence and layer of `pkgs`, parsed from `db`.
// The layer is the one that last wrote the package's .list file, else the
// one that introduced the package into `db` (IntroducingLayers).
void Finish(const FileSystemView& fs, const DbFile& db, bool need_status, std::vector<Package>& pkgs,
            LicenseReader& licenses, CatalogOutput& out) {
  std::vector<int> layer(pkgs.size(), -1);
  bool need_history = false;
  for (size_t i = 0; i < pkgs.size(); ++i) {
    Package& p = pkgs[i];
    if (need_status) {
      for (std::string list :
           {std::string(kInfoDir) + p.name + ":" + p.arch + ".list", std::string(kInfoDir) + p.name + ".list"}) {
        const auto* n = fs.Lookup(list);
        if (n == nullptr || !n->file->is_regular()) continue;
        layer[i] = n->layer;
        const auto& captured = fs.layers()[static_cast<size_t>(n->layer)]->captured;
        if (auto it = captured.find(list); it != captured.end())
          AppendOwnedFiles(it->second, false, p.files, list, out);
        break;
      }
    } else {
      // status.d/NAME.md5sums; files named after the stanza file also occur.
      const std::string dir(Dirname(db.path));
      for (std::string sums : {dir + "/" + p.name + std::string(kMd5sums), db.path + std::string(kMd5sums)}) {
        if (auto text = fs.ReadFile(sums)) {
          AppendOwnedFiles(*text, true, p.files, sums, out);
          break;
        }
      }
    }
    need_history |= layer[i] < 0;
    p.licenses = licenses.For(p.name);
  }
  if (need_history) {
    std::vector<std::string> keys;
    keys.reserve(pkgs.size());
    for (const auto& p : pkgs) keys.push_back(KeyOf(p));
    const auto introduced = IntroducingLayers(fs, db.path, db.layer, keys, [need_status](std::string_view content) {
      std::unordered_set<std::string> set;
      for (const auto& p : ParseDatabase(content, need_status, nullptr)) set.insert(KeyOf(p));
      return set;
    });
    for (size_t i = 0; i < pkgs.size(); ++i) {
      if (layer[i] >= 0) continue;
      auto it = introduced.find(keys[i]);
      layer[i] = it == introduced.end() ? db.layer : it->second;
    }
  }
  for (size_t i = 0; i < pkgs.size(); ++i) {
    pkgs[i].evidence.push_back(PackageEvidence{"dpkg", db.path, "", layer[i]});
    out.packages.push_back(std::move(pkgs[i]));
  }
}

// status.d holds one control stanza per package, named after it, beside
// the package's other control-archive members (NAME.md5sums, and with some
// image builders NAME.preinst, NAME.conffiles …). Those are not stanzas.
// Package names may contain dots ("python3.11"), so only these suffixes
// are left out, not every name with an extension.
constexpr std::string_view kControlMemberSuffixes[] = {
    ".md5sums", ".sha256sums", ".conffiles", ".preinst", ".postinst", ".prerm", ".postrm",
    ".config",  ".templates",  ".triggers",  ".shlibs",  ".symbols",  ".list",  ".control.tar"};

bool IsStatusDirEntry(std::string_view path) {
  if (!path.starts_with(kStatusDir)) return false;
  std::string_view base = path.substr(kStatusDir.size());
  if (base.empty() || base.front() == '.' || base.find('/') != std::string_view::npos) return false;
  for (std::string_view suffix : kControlMemberSuffixes) {
    if (base.size() > suffix.size() && base.ends_with(suffix)) return false;
  }
  return true;
}

void CollectDpkg(const CatalogInput& in, CatalogOutput& out) {
  LicenseReader licenses(in.fs);
  if (auto db = FindDbFile(in.fs, kStatusPath)) {
    std::vector<Package> pkgs;
    {
      FileDiagnostics diag(db->path, out);
      pkgs = ParseDatabase(db->content, true, &diag);
    }
    Finish(in.fs, *db, true, pkgs, licenses, out);
  }
  for (const auto& f : FindCaptured(in.fs, IsStatusDirEntry)) {
    DbFile db{std::string(f.path), f.content, f.layer};
    std::vector<Package> pkgs;
    {
      FileDiagnostics diag(db.path, out);
      pkgs = ParseDatabase(db.content, false, &diag);
    }
    Finish(in.fs, db, false, pkgs, licenses, out);
  }
}

}  // namespace

void DpkgCatalogers(std::vector<Cataloger>& rows) {
  FileWants w;
  // Literal-prefix globs: GlobMatch rejects other paths at the first
  // differing byte, and nothing outside the dpkg tree is captured.
  w.globs = {std::string(kStatusPath), std::string(kStatusDir) + "*", std::string(kInfoDir) + "*.list",
             std::string(kDocDir) + "*/copyright"};
  w.max_size = 32 << 20;  // the status file; .list and copyright files are far smaller
  rows.push_back(Cataloger{.id = "dpkg", .view_wants = std::move(w), .collect = CollectDpkg});
}

}  // namespace drydock
