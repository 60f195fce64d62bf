// ImportPath: tells the advisory source from the shape of a path and runs
// the matching importer (one ImportStats per source found).
#include <filesystem>
#include <fstream>

#include "vuln/feed/common.h"
#include "vuln/feed/importers.h"

namespace drydock {
namespace fs = std::filesystem;

namespace {

enum class Kind { kOsv, kRustSec, kRubySec, kNodeNpm, kAlpine, kWolfi, kDebianList, kDebianJson };

struct Found {
  Kind kind;
  std::string path;
  std::string source;  // stats.source to start with ("" = importer decides)
};

bool EndsWith(const std::string& s, std::string_view suf) {
  return s.size() >= suf.size() && s.compare(s.size() - suf.size(), suf.size(), suf) == 0;
}

std::string Head(const std::string& path, size_t n = 8192) {
  std::ifstream in(path, std::ios::binary);
  std::string s(n, '\0');
  in.read(s.data(), static_cast<std::streamsize>(n));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

// What a single file is, or false.
bool DetectFile(const std::string& path, std::vector<Found>& out) {
  const std::string base = fs::path(path).filename().string();
  const std::string parent = fs::path(path).parent_path().filename().string();
  if (base == "list" && (parent == "DSA" || parent == "DLA" || parent == "DTSA")) {
    out.push_back({Kind::kDebianList, path,
                   parent == "DSA"   ? "debian-dsa"
                   : parent == "DLA" ? "debian-dla"
                                     : "debian-dtsa"});
    return true;
  }
  if (EndsWith(base, ".md") && (base.rfind("RUSTSEC-", 0) == 0)) {
    out.push_back({Kind::kRustSec, path, "rustsec"});
    return true;
  }
  if (EndsWith(base, ".tar.gz") || EndsWith(base, ".tgz") || EndsWith(base, ".zip")) {
    out.push_back({Kind::kOsv, path, ""});
    return true;
  }
  if (EndsWith(base, ".advisories.yaml")) {
    out.push_back({Kind::kWolfi, path, "wolfi"});
    return true;
  }
  const std::string head = Head(path);
  // The tracker's export is served as ".../tracker/data/json": no suffix,
  // so JSON is also told by its first byte.
  const size_t first = head.find_first_not_of(" \t\r\n");
  if (EndsWith(base, ".json") || (first != std::string::npos && head[first] == '{')) {
    if (head.find("\"module_name\"") != std::string::npos &&
        head.find("\"vulnerable_versions\"") != std::string::npos) {
      out.push_back({Kind::kNodeNpm, path, "nodejs-npm"});
    } else if (head.find("\"releases\"") != std::string::npos && head.find("\"affected\"") == std::string::npos) {
      out.push_back({Kind::kDebianJson, path, "debian-tracker-json"});
    } else if (head.find("\"id\"") != std::string::npos) {
      out.push_back({Kind::kOsv, path, ""});
    } else {
      return false;
    }
    return true;
  }
  if (EndsWith(base, ".yaml") || EndsWith(base, ".yml")) {
    if (head.find("distroversion:") != std::string::npos)
      out.push_back({Kind::kAlpine, path, "alpine-secdb"});
    else if (head.find("\ngem:") != std::string::npos || head.find("\nengine:") != std::string::npos ||
             head.rfind("gem:", 0) == 0 || head.rfind("engine:", 0) == 0) {
      out.push_back({Kind::kRubySec, path, "rubysec"});
    } else if (head.find("advisories:") != std::string::npos && head.find("package:") != std::string::npos) {
      out.push_back({Kind::kWolfi, path, "wolfi"});
    } else if (head.find("id:") != std::string::npos) {
      out.push_back({Kind::kOsv, path, ""});
    } else {
      return false;
    }
    return true;
  }
  return false;
}

bool Exists(const fs::path& p) {
  std::error_code ec;
  return fs::exists(p, ec);
}

// What a directory holds; recurses into subdirectories that are not one
// source themselves (at most `depth` levels).
void DetectDir(const fs::path& dir, int depth, std::vector<Found>& out) {
  std::error_code ec;
  for (const char* l : {"DSA", "DLA", "DTSA"}) {
    for (const fs::path& p : {dir / "data" / l / "list", dir / l / "list"}) {
      if (Exists(p))
        out.push_back({Kind::kDebianList, p.string(),
                       l == std::string("DSA")   ? "debian-dsa"
                       : l == std::string("DLA") ? "debian-dla"
                                                 : "debian-dtsa"});
    }
  }
  if (!out.empty() && (Exists(dir / "data" / "DSA") || Exists(dir / "DSA"))) return;
  if (Exists(dir / "crates")) return out.push_back({Kind::kRustSec, (dir / "crates").string(), "rustsec"});
  if (Exists(dir / "gems") || Exists(dir / "rubies")) return out.push_back({Kind::kRubySec, dir.string(), "rubysec"});
  if (Exists(dir / "vuln" / "npm"))
    return out.push_back({Kind::kNodeNpm, (dir / "vuln" / "npm").string(), "nodejs-npm"});
  if (Exists(dir / "data" / "osv")) return out.push_back({Kind::kOsv, (dir / "data" / "osv").string(), "go-vulndb"});
  if (Exists(dir / "vulns")) return out.push_back({Kind::kOsv, (dir / "vulns").string(), ""});
  std::vector<fs::path> files, dirs;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_directory(ec))
      dirs.push_back(e.path());
    else if (e.is_regular_file(ec))
      files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::sort(dirs.begin(), dirs.end());
  // A directory of one kind of file (wolfi *.advisories.yaml, alpine
  // v3.X/*.yaml, OSV *.json, npm *.json) is one source.
  bool alpine = false;
  for (const auto& d : dirs) {
    const std::string n = d.filename().string();
    if (n.size() > 2 && n[0] == 'v' && std::isdigit(static_cast<unsigned char>(n[1])) && Exists(d / "main.yaml"))
      alpine = true;
  }
  if (alpine) return out.push_back({Kind::kAlpine, dir.string(), "alpine-secdb"});
  std::vector<Found> per_file;
  for (const auto& f : files) {
    const std::string base = f.filename().string();
    if (base == "README.md" || base == "LICENSE" || base == "LICENSE.md" || base == "LICENSE.txt" ||
        base == "PROVENANCE.md" || base == "index.json") {
      continue;
    }
    DetectFile(f.string(), per_file);
  }
  if (!per_file.empty()) {
    // Several files of one directory-wide kind import as one source.
    const Kind k = per_file.front().kind;
    const bool same = std::all_of(per_file.begin(), per_file.end(), [&](const Found& f) { return f.kind == k; });
    if (same && per_file.size() > 1 && k != Kind::kDebianList && k != Kind::kOsv) {
      out.push_back({k, dir.string(), per_file.front().source});
    } else if (same && per_file.size() > 1 && k == Kind::kOsv &&
               std::none_of(per_file.begin(), per_file.end(), [](const Found& f) {
                 return EndsWith(f.path, ".tar.gz") || EndsWith(f.path, ".tgz") || EndsWith(f.path, ".zip");
               })) {
      out.push_back({k, dir.string(), ""});
    } else {
      for (auto& f : per_file) out.push_back(std::move(f));
    }
  }
  if (depth <= 0) return;
  for (const auto& d : dirs) {
    if (d.filename().string().rfind('.', 0) == 0) continue;
    DetectDir(d, depth - 1, out);
  }
}

Status Run(const Found& f, const AdvisorySink& sink, ImportStats& stats) {
  switch (f.kind) {
    case Kind::kOsv:
      return ImportOsv(f.path, sink, stats);
    case Kind::kRustSec:
      return ImportRustSec(f.path, sink, stats);
    case Kind::kRubySec:
      return ImportRubySec(f.path, sink, stats);
    case Kind::kNodeNpm:
      return ImportNodeNpm(f.path, sink, stats);
    case Kind::kAlpine:
      return ImportAlpineSecdb(f.path, sink, stats);
    case Kind::kWolfi:
      return ImportWolfi(f.path, sink, stats);
    case Kind::kDebianList:
      return ImportDebianList(f.path, sink, stats);
    case Kind::kDebianJson:
      return ImportDebianTrackerJson(f.path, sink, stats);
  }
  return Ok();
}

}  // namespace

Result<std::vector<ImportStats>> ImportPath(const std::string& path, const AdvisorySink& sink) {
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return InputError("{}: no such file or directory", path);
  std::vector<Found> found;
  if (fs::is_directory(st))
    DetectDir(fs::path(path), 3, found);
  else
    DetectFile(path, found);
  if (found.empty())
    return InputError(
        "{}: not a known advisory source (OSV, RustSec, RubySec, Node.js security-wg, Alpine secdb, Wolfi, Debian "
        "DSA/DLA/DTSA list or tracker JSON)",
        path);
  std::vector<ImportStats> out;
  for (const auto& f : found) {
    ImportStats stats;
    stats.source = f.source;
    RETURN_IF_ERROR(Run(f, sink, stats));
    out.push_back(std::move(stats));
  }
  return out;
}

}  // namespace drydock
