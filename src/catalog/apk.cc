// apk: Alpine, Wolfi and Chainguard packages from apk's installed database
// (/lib/apk/db/installed; apk-tools 3 may keep it under /usr/lib). Records
// are blank-line separated "X:value" lines: P name, V version, A arch,
// o origin (source package), L license, c commit, m maintainer, F directory
// and R file (owned files), among others this cataloger ignores.
#include <string>
#include <string_view>
#include <unordered_set>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/db_history.h"

namespace drydock {

namespace {

constexpr std::string_view kInstalledPaths[] = {"/lib/apk/db/installed", "/usr/lib/apk/db/installed"};

// Bounds for hostile databases; real ones hold hundreds of packages.
constexpr size_t kMaxPackages = 100000;
constexpr size_t kMaxFilesPerPackage = 262144;
constexpr size_t kMaxFieldLength = 4096;
constexpr int kMaxDiagnostics = 8;

bool PrintableField(std::string_view v) {
  if (v.size() > kMaxFieldLength) return false;
  for (unsigned char c : v) {
    if (c < 0x20 || c == 0x7f) return false;
  }
  return true;
}

// apk package names: no blanks, no path separators or control bytes, so
// they are safe in reports and purls alike.
bool ValidName(std::string_view n) {
  if (n.empty() || n.size() > 256) return false;
  for (unsigned char c : n) {
    if (c <= 0x20 || c == 0x7f || c == '/') return false;
  }
  return true;
}

// One record being read. Fields are views into the database text.
struct Record {
  std::string_view name, version, arch, origin, license, commit, maintainer;
  std::vector<std::string> files;
  std::string dir;  // current F: directory, "" for the root
  size_t line = 0;
  size_t file_lines = 0;
  std::string error;  // a malformed line: the record is skipped
  std::string note;   // kept, but the file list is incomplete
  bool any = false;
};

// Reads the records of one version of the database. `on_record` gets each
// record that ended; `with_files` keeps R: paths (not needed for older
// versions, which only attribute layers).
template <typename Fn>
void ReadRecords(std::string_view text, bool with_files, Fn&& on_record) {
  Record r;
  size_t line_no = 0;
  auto end_record = [&] {
    if (r.any) on_record(r);
    r = Record{};
  };
  while (!text.empty()) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) {
      end_record();
      continue;
    }
    if (!r.any) r.line = line_no;
    r.any = true;
    if (line.size() < 2 || line[1] != ':') {
      if (r.error.empty()) r.error = "line " + std::to_string(line_no) + ": not a \"X:value\" line";
      continue;
    }
    const std::string_view v = line.substr(2);
    switch (line[0]) {
      case 'P':
        r.name = v;
        break;
      case 'V':
        r.version = v;
        break;
      case 'A':
        r.arch = v;
        break;
      case 'o':
        r.origin = v;
        break;
      case 'L':
        r.license = v;
        break;
      case 'c':
        r.commit = v;
        break;
      case 'm':
        r.maintainer = v;
        break;
      case 'F':
        if (with_files) r.dir = CleanPath(v);
        break;
      case 'R':
        if (!with_files) break;
        if (++r.file_lines > kMaxFilesPerPackage) {
          if (r.file_lines == kMaxFilesPerPackage + 1) {
            r.note = "line " + std::to_string(line_no) + ": more than " + std::to_string(kMaxFilesPerPackage) +
                     " files in one package";
          }
          break;
        }
        if (!v.empty() && v.find('\0') == std::string_view::npos) {
          std::string f = JoinPath(r.dir.empty() ? "/" : r.dir, v);
          if (!f.empty() && f != "/") r.files.push_back(std::move(f));  // "R:.." names no file
        }
        break;
      default:
        break;
    }
  }
  end_record();
}

std::string KeyOf(std::string_view name, std::string_view arch, std::string_view version) {
  std::string k(name);
  k += '\0';
  k += arch;
  k += '\0';
  k += version;
  return k;
}

void CollectApk(const CatalogInput& in, CatalogOutput& out) {
  std::unordered_set<std::string> seen_paths;
  for (std::string_view candidate : kInstalledPaths) {
    auto real = in.fs.RealPath(candidate);
    if (!real || !seen_paths.insert(*real).second) continue;
    const auto* node = in.fs.Lookup(*real);
    if (node == nullptr || !node->file->is_regular()) continue;
    auto text = in.fs.ReadFile(*real);
    if (!text) continue;
    const std::string path = *real;

    int diagnostics = 0;
    auto skip = [&](std::string message) {
      if (diagnostics++ < kMaxDiagnostics) out.Skip(path, std::move(message));
    };
    std::vector<Package> pkgs;
    ReadRecords(*text, true, [&](Record& r) {
      // apk itself refuses a database with a malformed line; here only the
      // record that holds it is dropped.
      if (!r.error.empty()) {
        skip(r.error);
        return;
      }
      if (!r.note.empty()) skip(r.note);
      if (!ValidName(r.name)) {
        skip("line " + std::to_string(r.line) + ": record without a valid package name (P:)");
        return;
      }
      if (r.version.empty() || !PrintableField(r.version)) {
        skip("line " + std::to_string(r.line) + ": package " + std::string(r.name) + " has no valid version (V:)");
        return;
      }
      if (pkgs.size() >= kMaxPackages) {
        if (pkgs.size() == kMaxPackages)
          skip("more than " + std::to_string(kMaxPackages) + " packages; the rest ignored");
        return;
      }
      Package p;
      p.type = std::string(pkgtype::kApk);
      p.name = std::string(r.name);
      p.version = std::string(r.version);
      if (PrintableField(r.arch)) p.arch = std::string(r.arch);
      p.source_name = !r.origin.empty() && ValidName(r.origin) ? std::string(r.origin) : p.name;
      if (!r.license.empty() && PrintableField(r.license)) p.licenses.emplace_back(r.license);
      if (!r.commit.empty() && PrintableField(r.commit)) p.metadata["apk.commit"] = r.commit;
      if (!r.maintainer.empty() && PrintableField(r.maintainer)) p.metadata["apk.maintainer"] = r.maintainer;
      p.files = std::move(r.files);
      pkgs.push_back(std::move(p));
    });
    if (diagnostics > kMaxDiagnostics) {
      out.Skip(path, "and " + std::to_string(diagnostics - kMaxDiagnostics) + " more malformed records");
    }

    std::vector<std::string> keys;
    keys.reserve(pkgs.size());
    for (const auto& p : pkgs) keys.push_back(KeyOf(p.name, p.arch, p.version));
    const auto introduced = IntroducingLayers(in.fs, path, node->layer, keys, [](std::string_view content) {
      std::unordered_set<std::string> set;
      ReadRecords(content, false, [&](Record& r) {
        if (r.error.empty() && ValidName(r.name) && !r.version.empty()) {
          set.insert(KeyOf(r.name, PrintableField(r.arch) ? r.arch : std::string_view(), r.version));
        }
      });
      return set;
    });
    for (size_t i = 0; i < pkgs.size(); ++i) {
      auto it = introduced.find(keys[i]);
      const int layer = it == introduced.end() ? node->layer : it->second;
      pkgs[i].evidence.push_back(PackageEvidence{"apk", path, "", layer});
      out.packages.push_back(std::move(pkgs[i]));
    }
  }
}

}  // namespace

void ApkCatalogers(std::vector<Cataloger>& rows) {
  FileWants w;
  w.globs.assign(std::begin(kInstalledPaths), std::end(kInstalledPaths));
  w.max_size = 32 << 20;
  rows.push_back(Cataloger{.id = "apk", .view_wants = std::move(w), .collect = CollectApk});
}

}  // namespace drydock
