// Go modules: the build info the Go toolchain embeds in every module-mode
// binary (what `go version -m` prints), read from ELF files during the
// layer walk, and go.mod files read through the view.
//
// Binaries: the ".go.buildinfo" blob (found by section, else at a 16-byte
// aligned "\xff Go buildinf:" in the first writable segment, else anywhere
// in the file) in both layouts: inline varint strings (Go >= 1.18) and the
// older pair of pointers to Go string headers, resolved through PT_LOAD
// segments, 32/64-bit, either byte order. Packages: the main module (a
// "(devel)" version is kept as metadata "go.main_version", the version
// stays empty), every dependency (replaced by its replacement when that
// is a module; a directory replacement keeps the required path with an
// empty version, since no released version of it is in the binary), and
// the standard library as "stdlib" at the toolchain's version in semver
// form ("go1.21rc2" -> "v1.21.0-rc.2"), which is what Go vulnerability
// data is keyed by. All carry metadata "go.version" (the toolchain).
//
// Binaries without build info (stripped of it, or pre-module toolchains)
// but recognisably Go (a .gopclntab section or a pclntab header):
//   - recovered: the toolchain version from runtime.buildVersion, found as
//     a "go1.N[.M]" string in read-only data that a (pointer, length) pair
//     in the data sections points at (else the first well-formed one);
//     dependencies and their versions from module-cache source paths in
//     the pclntab file table: ".../pkg/mod/path@version/…" names the
//     module actually built (a replacement's own path and version), while
//     -trimpath's "path@version/…" names the requirement, replaced or not;
//     with -trimpath, a guess of the main module as the common directory
//     of the non-standard-library, non-module-cache source files (metadata
//     "go.recovered" says how each was found);
//   - not recoverable: the main module of a binary built without
//     -trimpath (its files are local paths), the versions of
//     dependencies built from a vendor directory or a local directory,
//     replacements under -trimpath, build settings, and modules whose code
//     was entirely inlined (they leave no file behind).
//
// go.mod: module, require (lines and blocks, "// indirect"), replace,
// exclude (a required version that is excluded is not reported);
// go.mod files inside the module cache (.../pkg/mod/…) are dependencies'
// own and are skipped.
#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/elf.h"

namespace drydock {

namespace {

constexpr std::string_view kBinaryId = "go-binary";
constexpr std::string_view kModId = "go-mod";
constexpr std::string_view kMagic = "\xff Go buildinf:";
constexpr uint64_t kMaxModinfo = 8 << 20;
constexpr size_t kMaxLines = 200000;
constexpr size_t kMaxSettings = 64;
constexpr size_t kMaxValue = 256;

struct Module {
  std::string path;
  std::string version;
  std::optional<std::pair<std::string, std::string>> replace;  // path, version
};

struct ModInfo {
  std::string main_package;  // the "path" line
  std::optional<Module> main;
  std::vector<Module> deps;
  std::vector<std::pair<std::string, std::string>> settings;
  size_t malformed = 0;
};

// Reads a Go uvarint at `*at` of `s`; nullopt on overflow or truncation.
std::optional<uint64_t> Uvarint(std::string_view s, size_t* at) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (*at >= s.size()) return std::nullopt;
    const auto b = static_cast<uint8_t>(s[(*at)++]);
    if (shift == 63 && b > 1) return std::nullopt;
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if (b < 0x80) return v;
  }
  return std::nullopt;
}

std::optional<std::string_view> VarintString(std::string_view s, size_t* at) {
  auto n = Uvarint(s, at);
  if (!n || *n > s.size() - *at) return std::nullopt;
  std::string_view out = s.substr(*at, *n);
  *at += *n;
  return out;
}

// A Go string header (data pointer, length) at `addr`, and the bytes it
// names; nullopt when any part is unmapped or too long.
std::optional<std::string_view> ReadGoString(const ElfFile& elf, uint64_t addr, int ptr, bool little) {
  auto hdr = elf.ReadAt(addr, 2 * static_cast<uint64_t>(ptr));
  if (!hdr || hdr->size() != 2 * static_cast<size_t>(ptr)) return std::nullopt;
  const auto data = ReadUintAt(*hdr, 0, ptr, little);
  const auto len = ReadUintAt(*hdr, static_cast<uint64_t>(ptr), ptr, little);
  if (!data || !len || *len > kMaxModinfo) return std::nullopt;
  auto bytes = elf.ReadAt(*data, *len);
  if (!bytes || bytes->size() != *len) return std::nullopt;
  return bytes;
}

struct RawBuildInfo {
  std::string_view version;
  std::string_view modinfo;
};

// The build info blob starting at `blob` (which holds the magic).
Result<RawBuildInfo> DecodeBuildInfo(const ElfFile& elf, std::string_view blob) {
  if (blob.size() < 32) return InputError("build info header is truncated");
  const int ptr = static_cast<uint8_t>(blob[14]);
  const auto flags = static_cast<uint8_t>(blob[15]);
  RawBuildInfo raw;
  if (flags & 2) {
    size_t at = 32;
    auto v = VarintString(blob, &at);
    auto m = v ? VarintString(blob, &at) : std::nullopt;
    if (!v || !m) return InputError("build info strings are truncated");
    raw = {*v, *m};
  } else {
    if (ptr != 4 && ptr != 8) return InputError("build info pointer size {} is not 4 or 8", ptr);
    const bool little = (flags & 1) == 0;
    const auto vaddr = ReadUintAt(blob, 16, ptr, little);
    const auto maddr = ReadUintAt(blob, 16 + static_cast<uint64_t>(ptr), ptr, little);
    auto v = vaddr ? ReadGoString(elf, *vaddr, ptr, little) : std::nullopt;
    auto m = maddr ? ReadGoString(elf, *maddr, ptr, little) : std::nullopt;
    if (!v || !m) return InputError("build info pointers lead outside the file");
    raw = {*v, *m};
  }
  if (raw.version.empty()) return InputError("build info has no Go version");
  // The module info is framed by two 16-byte sentinels; without them there
  // is none (GOPATH builds).
  if (raw.modinfo.size() >= 33 && raw.modinfo[raw.modinfo.size() - 17] == '\n') {
    raw.modinfo = raw.modinfo.substr(16, raw.modinfo.size() - 32);
  } else {
    raw.modinfo = {};
  }
  return raw;
}

// The first 16-byte aligned magic in `region` (aligned relative to its start).
std::optional<std::string_view> FindMagic(std::string_view region) {
  size_t at = 0;
  while ((at = region.find(kMagic, at)) != std::string_view::npos) {
    if (at % 16 == 0) return region.substr(at);
    at = (at + 15) & ~size_t{15};
  }
  return std::nullopt;
}

// nullopt: no build info in the file (not a module-mode Go binary).
Result<std::optional<RawBuildInfo>> FindBuildInfo(const ElfFile& elf) {
  std::optional<std::string_view> blob;
  if (const ElfSection* s = elf.Find(".go.buildinfo")) {
    blob = FindMagic(elf.Data(*s));
  } else {
    for (const auto& p : elf.segments()) {
      if (p.type != ElfFile::kPtLoad || (p.flags & ElfFile::kPfW) == 0) continue;
      auto data = elf.ReadAt(p.vaddr, 64 << 10);
      if (data) blob = FindMagic(*data);
      break;  // Go's reader looks at the first writable segment only
    }
    if (!blob && elf.sections().empty()) blob = FindMagic(elf.bytes());
  }
  if (!blob) return std::optional<RawBuildInfo>();
  ASSIGN_OR_RETURN(RawBuildInfo raw, DecodeBuildInfo(elf, *blob));
  return std::optional<RawBuildInfo>(raw);
}

std::vector<std::string_view> SplitTabs(std::string_view line) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    const size_t tab = line.find('\t', start);
    out.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) return out;
    start = tab + 1;
  }
}

// strconv.Unquote for the quoted keys and values of build settings.
std::string Unquote(std::string_view s) {
  if (s.size() < 2 || s.front() != '"' || s.back() != '"') return std::string(s);
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); ++i) {
    if (s[i] == '\\' && i + 2 < s.size()) {
      const char c = s[++i];
      out.push_back(c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c);
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// runtime/debug.ParseBuildInfo's format, leniently: lines it would reject
// are counted and skipped.
ModInfo ParseModInfo(std::string_view text) {
  ModInfo info;
  Module* last = nullptr;
  size_t lines = 0;
  while (!text.empty() && ++lines <= kMaxLines) {
    const size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    if (line.empty()) continue;
    auto f = SplitTabs(line);
    // "=>" belongs to the line right before it only.
    Module* prev = last;
    last = nullptr;
    if (f[0] == "path" && f.size() == 2) {
      info.main_package = std::string(f[1]);
    } else if ((f[0] == "mod" || f[0] == "dep") && (f.size() == 3 || f.size() == 4) && !f[1].empty()) {
      Module m{std::string(f[1]), std::string(f[2]), std::nullopt};
      if (f[0] == "mod") {
        info.main = std::move(m);
        last = &*info.main;
      } else {
        info.deps.push_back(std::move(m));
        last = &info.deps.back();
      }
    } else if (f[0] == "=>" && (f.size() == 3 || f.size() == 4) && prev != nullptr) {
      prev->replace = {std::string(f[1]), std::string(f[2])};
    } else if (f[0] == "build" && f.size() == 2) {
      std::string_view kv = f[1];
      size_t eq = kv.front() == '"' ? kv.find("\"=") + 1 : kv.find('=');
      if (eq == std::string_view::npos || eq == 0) {
        ++info.malformed;
        continue;
      }
      if (info.settings.size() < kMaxSettings) {
        info.settings.emplace_back(Unquote(kv.substr(0, eq)), Unquote(kv.substr(eq + 1)).substr(0, kMaxValue));
      }
    } else if (f[0] == "go" && f.size() == 2) {
      // debug.BuildInfo.String() writes the toolchain here; the embedded
      // form has it apart.
    } else {
      ++info.malformed;
    }
  }
  return info;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Reads the toolchain version at the start of `s` ("go1.21.3", "go1.20rc1",
// "go1.9"), stopping where the version grammar does; "" when `s` does not
// start with one.
std::string_view GoVersionPrefix(std::string_view s) {
  if (!s.starts_with("go1.")) return {};
  size_t i = 4;
  auto digits = [&] {
    const size_t from = i;
    while (i < s.size() && IsDigit(s[i])) ++i;
    return i > from;
  };
  if (!digits()) return {};
  if (i + 1 < s.size() && s[i] == '.' && IsDigit(s[i + 1])) {
    ++i;
    digits();
  }
  for (std::string_view pre : {"rc", "beta"}) {
    if (s.substr(i).starts_with(pre) && i + pre.size() < s.size() && IsDigit(s[i + pre.size()])) {
      i += pre.size();
      digits();
      break;
    }
  }
  return s.substr(0, i);
}

// The semver form of a toolchain version, as Go vulnerability data writes
// the standard library's versions; "" when `tag` holds no release tag.
std::string GoTagToSemver(std::string_view tag) {
  // A development toolchain ("devel go1.22-abc …") is no release; in
  // "go1.21.3 X:boringcrypto" the leading tag counts.
  std::string_view v = GoVersionPrefix(tag);
  if (v.empty()) return {};
  v.remove_prefix(2);  // "1.21rc2"
  std::string core, pre;
  size_t i = 0;
  while (i < v.size() && (IsDigit(v[i]) || v[i] == '.')) ++i;
  core = std::string(v.substr(0, i));
  if (i < v.size()) {
    std::string_view rest = v.substr(i);
    const size_t d = rest.find_first_of("0123456789");
    pre = std::string(rest.substr(0, d)) + "." + std::string(rest.substr(d));
  }
  if (std::count(core.begin(), core.end(), '.') == 1) core += ".0";
  return "v" + core + (pre.empty() ? "" : "-" + pre);
}

// Module path → purl namespace (up to the last "/") and name.
void SetModuleName(Package& p, std::string_view path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) {
    p.name = std::string(path);
  } else {
    p.namespace_ = std::string(path.substr(0, slash));
    p.name = std::string(path.substr(slash + 1));
  }
}

bool IsLocalPath(std::string_view p) {
  return p.starts_with("./") || p.starts_with("../") || p.starts_with("/") || p == "." || p == "..";
}

bool PlausibleField(std::string_view s) {
  return !s.empty() && s.size() <= 512 &&
         std::none_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f; });
}

// A module path as far as naming a package goes: plausible, and no empty
// element (which would leave the purl without a name).
bool ValidModulePath(std::string_view s) {
  return PlausibleField(s) && s.front() != '/' && s.back() != '/' && s.find("//") == std::string_view::npos;
}

Package ModulePackage(std::string_view path, std::string version, const std::string& go_version) {
  Package p;
  p.type = std::string(pkgtype::kGolang);
  SetModuleName(p, path);
  p.version = PlausibleField(version) ? std::move(version) : std::string();
  if (!go_version.empty()) p.metadata["go.version"] = go_version;
  p.evidence.emplace_back();
  return p;
}

void EmitBuildInfo(const RawBuildInfo& raw, LayerResult& out, const FileNode& node) {
  const std::string go_version(raw.version.substr(0, kMaxValue));
  ModInfo info = ParseModInfo(raw.modinfo);
  if (info.malformed > 0) {
    out.diagnostics.push_back({node.path, std::string(kBinaryId) + ": " + std::to_string(info.malformed) +
                                              " malformed build info line(s) skipped"});
  }
  if (info.main && ValidModulePath(info.main->path)) {
    std::string version = info.main->version;
    Package p = ModulePackage(info.main->path, "", go_version);
    if (version == "(devel)" || !PlausibleField(version)) {
      p.metadata["go.main_version"] = version;
    } else {
      p.version = version;
    }
    if (!info.main_package.empty()) p.metadata["go.package"] = info.main_package.substr(0, kMaxValue);
    for (const auto& [k, v] : info.settings) p.metadata["go.build." + k.substr(0, 64)] = v;
    p.metadata["go.main"] = "true";
    out.packages.push_back(std::move(p));
  }
  for (const auto& d : info.deps) {
    if (!ValidModulePath(d.path)) continue;
    if (d.replace && !IsLocalPath(d.replace->first) && ValidModulePath(d.replace->first)) {
      Package p = ModulePackage(d.replace->first, d.replace->second, go_version);
      p.metadata["go.replaces"] = d.path + " " + d.version;
      out.packages.push_back(std::move(p));
    } else if (d.replace) {
      Package p = ModulePackage(d.path, "", go_version);
      p.metadata["go.replace"] = d.replace->first.substr(0, kMaxValue);
      p.metadata["go.required_version"] = d.version.substr(0, kMaxValue);
      out.packages.push_back(std::move(p));
    } else {
      out.packages.push_back(ModulePackage(d.path, d.version, go_version));
    }
  }
  if (const std::string v = GoTagToSemver(go_version); !v.empty()) {
    out.packages.push_back(ModulePackage("stdlib", v, go_version));
  }
}

// --- binaries without build info --------------------------------------------

struct Pclntab {
  std::string_view version_range;  // of the toolchain, from the magic
  std::vector<std::string_view> files;
};

std::string_view RangeOf(uint32_t magic) {
  switch (magic) {
    case 0xfffffff1:
      return "go1.20+";
    case 0xfffffff0:
      return "go1.18-go1.19";
    case 0xfffffffa:
      return "go1.16-go1.17";
    case 0xfffffffb:
      return "go1.2-go1.15";
    default:
      return {};
  }
}

// The pclntab header at the start of `tab` (either byte order), and its
// file name table for Go >= 1.16; nullopt when `tab` is not one.
std::optional<Pclntab> ReadPclntab(std::string_view tab) {
  if (tab.size() < 16) return std::nullopt;
  for (bool little : {true, false}) {
    const uint32_t magic = static_cast<uint32_t>(ReadUintAt(tab, 0, 4, little).value_or(0));
    const std::string_view range = RangeOf(magic);
    if (range.empty() || tab[4] != 0 || tab[5] != 0) continue;
    const int min_lc = static_cast<uint8_t>(tab[6]);
    const int ptr = static_cast<uint8_t>(tab[7]);
    if ((min_lc != 1 && min_lc != 2 && min_lc != 4) || (ptr != 4 && ptr != 8)) continue;
    Pclntab out;
    out.version_range = range;
    if (magic == 0xfffffffb) return out;  // file table layout of old toolchains not read
    // nfunc, nfiles, [textStart (1.18+)], funcnameOffset, cuOffset,
    // filetabOffset, pctabOffset, …
    const uint64_t words = magic == 0xfffffffa ? 0 : 1;
    auto word = [&](uint64_t i) { return ReadUintAt(tab, 8 + i * static_cast<uint64_t>(ptr), ptr, little); };
    const auto nfiles = word(1);
    const auto filetab = word(4 + words);
    const auto pctab = word(5 + words);
    if (!nfiles || !filetab || !pctab || *filetab > *pctab || *pctab > tab.size()) return out;
    std::string_view names = tab.substr(*filetab, *pctab - *filetab);
    std::unordered_set<std::string_view> seen;
    while (!names.empty() && out.files.size() < 1000000) {
      const size_t nul = names.find('\0');
      std::string_view n = names.substr(0, nul);
      if (!n.empty() && seen.insert(n).second) out.files.push_back(n);
      if (nul == std::string_view::npos) break;
      names.remove_prefix(nul + 1);
    }
    return out;
  }
  return std::nullopt;
}

std::optional<Pclntab> FindPclntab(const ElfFile& elf) {
  if (const ElfSection* s = elf.Find(".gopclntab")) return ReadPclntab(elf.Data(*s));
  if (!elf.sections().empty() && elf.Find(".note.go.buildid") == nullptr) return std::nullopt;
  // No section table (or a Go build id without .gopclntab, as in some
  // pie binaries): look for the header itself.
  const std::string_view bytes = elf.bytes();
  for (const char last : {'\xf1', '\xf0', '\xfa', '\xfb'}) {
    const std::string little = std::string(1, last) + std::string("\xff\xff\xff\0\0", 5);
    const std::string big = std::string("\xff\xff\xff", 3) + last + std::string(2, '\0');
    for (const std::string& magic : {little, big}) {
      for (size_t at = 0; (at = bytes.find(magic, at)) != std::string_view::npos; ++at) {
        if (at % 4 != 0) continue;
        if (auto t = ReadPclntab(bytes.substr(at))) return t;
      }
    }
  }
  return std::nullopt;
}

// runtime.buildVersion: a "go1.…" string in read-only data that a string
// header in the data sections points at; else the first well-formed one.
std::string FindBuildVersion(const ElfFile& elf) {
  std::vector<std::string_view> ro, rw;
  for (const auto& s : elf.sections()) {
    if ((s.flags & ElfFile::kShfAlloc) == 0 || (s.flags & ElfFile::kShfExecinstr) != 0) continue;
    if (s.name == ".rodata" || s.name == ".noptrdata" || s.name == ".data") {
      (s.flags & ElfFile::kShfWrite ? rw : ro).push_back(elf.Data(s));
    }
  }
  if (elf.sections().empty()) {
    for (const auto& p : elf.segments()) {
      if (p.type != ElfFile::kPtLoad || (p.flags & ElfFile::kPfX)) continue;
      if (auto d = elf.ReadAt(p.vaddr, p.filesz)) ((p.flags & ElfFile::kPfW) ? rw : ro).push_back(*d);
    }
  }
  // Candidates by virtual address.
  std::map<uint64_t, std::string_view> candidates;
  std::string_view first;
  for (std::string_view region : ro) {
    size_t at = 0;
    while ((at = region.find("go1.", at)) != std::string_view::npos && candidates.size() < 256) {
      std::string_view v = GoVersionPrefix(region.substr(at, 64));
      if (!v.empty()) {
        const uint64_t off = static_cast<uint64_t>(region.data() - elf.bytes().data()) + at;
        for (const auto& p : elf.segments()) {
          if (p.type == ElfFile::kPtLoad && off >= p.offset && off - p.offset < p.filesz) {
            candidates.emplace(p.vaddr + (off - p.offset), region.substr(at, 64));
            break;
          }
        }
        const char next = at + v.size() < region.size() ? region[at + v.size()] : '\0';
        if (first.empty() && !std::isalnum(static_cast<unsigned char>(next)) && next != '.') first = v;
      }
      at += 4;
    }
  }
  const int ptr = elf.is64() ? 8 : 4;
  for (std::string_view region : rw) {
    for (size_t at = 0; at + 2 * static_cast<size_t>(ptr) <= region.size(); at += static_cast<size_t>(ptr)) {
      const auto addr = elf.ReadUint(region, at, ptr);
      auto it = candidates.find(*addr);
      if (it == candidates.end()) continue;
      const auto len = elf.ReadUint(region, at + static_cast<size_t>(ptr), ptr);
      if (!len || *len < 5 || *len > it->second.size()) continue;
      std::string_view s = it->second.substr(0, *len);
      if (GoVersionPrefix(s).size() == s.size() || s.find(' ') == GoVersionPrefix(s).size()) return std::string(s);
    }
  }
  return std::string(first);
}

// "!x" in module cache paths stands for "X".
std::string Unescape(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '!' && i + 1 < s.size() && s[i + 1] >= 'a' && s[i + 1] <= 'z') {
      out.push_back(static_cast<char>(s[++i] - 'a' + 'A'));
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

// The longest common prefix of two directories, whole components only.
std::string_view CommonDir(std::string_view a, std::string_view b) {
  size_t n = 0, last = 0;
  while (n < a.size() && n < b.size() && a[n] == b[n]) {
    if (a[n] == '/') last = n;
    ++n;
  }
  if ((n == a.size() || a[n] == '/') && (n == b.size() || b[n] == '/')) last = n;
  return a.substr(0, last);
}

void EmitRecovered(const ElfFile& elf, const Pclntab& tab, LayerResult& out) {
  std::string go_version = FindBuildVersion(elf);
  const std::string how = "pclntab file table";
  // Dependencies: module-cache paths name path@version.
  std::map<std::string, std::string> deps;
  std::vector<std::string_view> main_dirs;
  for (std::string_view f : tab.files) {
    const size_t at = f.find('@');
    if (at != std::string_view::npos) {
      std::string_view mod = f.substr(0, at);
      if (const size_t cache = mod.rfind("/pkg/mod/"); cache != std::string_view::npos) {
        mod.remove_prefix(cache + 9);
      } else if (mod.starts_with("/")) {
        continue;
      }
      std::string_view ver = f.substr(at + 1);
      ver = ver.substr(0, ver.find('/'));
      if (ver.size() < 2 || ver[0] != 'v' || !IsDigit(ver[1]) || !ValidModulePath(mod) || deps.size() >= 10000)
        continue;
      deps.emplace(Unescape(mod), Unescape(ver));
      continue;
    }
    // -trimpath: the main module's files are "module/path/file.go"; the
    // standard library's first element has no dot.
    if (f.starts_with("/") || f.starts_with("<")) continue;
    const std::string_view first = f.substr(0, f.find('/'));
    if (first.find('.') == std::string_view::npos || first.size() == f.size()) continue;
    main_dirs.push_back(f.substr(0, f.rfind('/')));
  }
  std::string_view main;
  if (!main_dirs.empty()) {
    main = main_dirs.front();
    for (std::string_view d : main_dirs) main = CommonDir(main, d);
    // A bare host ("github.com") is what vendored code of several modules
    // has in common, not a module.
    if (main.find('/') == std::string_view::npos) main = {};
  }
  if (!main.empty() && ValidModulePath(main)) {
    Package p = ModulePackage(main, "", go_version);
    p.metadata["go.main"] = "true";
    p.metadata["go.recovered"] = how + " (guess)";
    out.packages.push_back(std::move(p));
  }
  for (const auto& [path, version] : deps) {
    Package p = ModulePackage(path, version, go_version);
    p.metadata["go.recovered"] = how;
    out.packages.push_back(std::move(p));
  }
  if (const std::string v = GoTagToSemver(go_version); !v.empty()) {
    Package p = ModulePackage("stdlib", v, go_version);
    p.metadata["go.recovered"] = "runtime.buildVersion";
    out.packages.push_back(std::move(p));
  } else if (!tab.version_range.empty() && !out.packages.empty()) {
    for (auto& p : out.packages) p.metadata["go.version_range"] = std::string(tab.version_range);
  }
}

void OnBinary(const FileNode& node, std::string_view content, LayerResult& out) {
  auto elf = ElfFile::Parse(content);
  if (!elf.ok()) return;  // not ELF after all; the generic cataloger reports damage
  auto info = FindBuildInfo(*elf);
  if (!info.ok()) {
    out.diagnostics.push_back({node.path, std::string(kBinaryId) + ": " + info.error().message});
    return;
  }
  if (*info) {
    EmitBuildInfo(**info, out, node);
    return;
  }
  if (auto tab = FindPclntab(*elf)) EmitRecovered(*elf, *tab, out);
}

// --- go.mod -------------------------------------------------------------------

struct GoModLine {
  std::vector<std::string> words;
  bool indirect = false;
};

// Splits a go.mod line into words (quoted strings unquoted), noting a
// trailing "// indirect" comment.
std::optional<GoModLine> Words(std::string_view line) {
  GoModLine out;
  size_t i = 0;
  while (i < line.size()) {
    const char c = line[i];
    if (c == ' ' || c == '\t' || c == '\r') {
      ++i;
    } else if (line.substr(i, 2) == "//") {
      std::string_view comment = line.substr(i + 2);
      while (!comment.empty() && (comment.front() == ' ' || comment.front() == '\t')) comment.remove_prefix(1);
      out.indirect = comment.starts_with("indirect");
      break;
    } else if (c == '"' || c == '`') {
      const size_t end = line.find(c, i + 1);
      if (end == std::string_view::npos) return std::nullopt;
      out.words.push_back(c == '"' ? Unquote(line.substr(i, end - i + 1))
                                   : std::string(line.substr(i + 1, end - i - 1)));
      i = end + 1;
    } else {
      size_t end = i;
      while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r' &&
             line.substr(end, 2) != "//") {
        ++end;
      }
      out.words.push_back(std::string(line.substr(i, end - i)));
      i = end;
    }
  }
  return out;
}

void CollectGoMod(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCapturedByBasename(in, "go.mod")) {
    if (f.path.find("/pkg/mod/") != std::string_view::npos) continue;
    struct Require {
      std::string path, version;
      bool indirect;
    };
    std::vector<Require> requires_;
    std::map<std::string, std::pair<std::string, std::string>> replace_any;  // old path → new
    std::map<std::pair<std::string, std::string>, std::pair<std::string, std::string>> replace_exact;
    std::set<std::pair<std::string, std::string>> excluded;  // (path, version)
    bool has_module = false;
    std::string block;
    std::string error;
    std::string_view text = f.content;
    size_t line_no = 0;
    while (!text.empty() && error.empty()) {
      ++line_no;
      const size_t nl = text.find('\n');
      std::string_view raw = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      auto line = Words(raw);
      if (!line) {
        error = "line " + std::to_string(line_no) + ": unterminated quote";
        break;
      }
      auto& w = line->words;
      if (w.empty()) continue;
      if (!block.empty() && w.size() == 1 && w[0] == ")") {
        block.clear();
        continue;
      }
      std::string verb = block;
      size_t first = 0;
      if (block.empty()) {
        verb = w[0];
        first = 1;
        if (w.size() == 2 && w[1] == "(") {
          block = verb;
          continue;
        }
      }
      std::vector<std::string> args(w.begin() + static_cast<std::ptrdiff_t>(first), w.end());
      if (verb == "module") {
        has_module = args.size() == 1;
      } else if (verb == "require") {
        if (args.size() != 2) {
          error = "line " + std::to_string(line_no) + ": require needs a module path and a version";
          break;
        }
        requires_.push_back({args[0], args[1], line->indirect});
      } else if (verb == "replace") {
        const auto arrow = std::find(args.begin(), args.end(), "=>");
        const auto left = arrow - args.begin();
        const auto right = args.end() - arrow - 1;
        if (arrow == args.end() || left < 1 || left > 2 || right < 1 || right > 2) {
          error = "line " + std::to_string(line_no) + ": malformed replace";
          break;
        }
        std::pair<std::string, std::string> to{*(arrow + 1), right == 2 ? *(arrow + 2) : ""};
        if (left == 2) {
          replace_exact[{args[0], args[1]}] = to;
        } else {
          replace_any[args[0]] = to;
        }
      } else if (verb == "exclude") {
        if (args.size() != 2) {
          error = "line " + std::to_string(line_no) + ": exclude needs a module path and a version";
          break;
        }
        excluded.emplace(args[0], args[1]);
      }
    }
    if (error.empty() && !has_module) error = "no module directive";
    if (!error.empty()) {
      out.Skip(f.path, "go.mod: " + error);
      continue;
    }
    for (const auto& r : requires_) {
      if (!ValidModulePath(r.path) || !PlausibleField(r.version)) continue;
      // An excluded version is never built: the go command skips it and
      // takes the next higher one, which go.mod does not name (go.sum or the
      // binary would). Reporting the excluded version would be wrong.
      if (excluded.contains({r.path, r.version})) continue;
      std::optional<std::pair<std::string, std::string>> to;
      if (auto it = replace_exact.find({r.path, r.version}); it != replace_exact.end()) {
        to = it->second;
      } else if (auto it2 = replace_any.find(r.path); it2 != replace_any.end()) {
        to = it2->second;
      }
      Package p;
      if (to && !IsLocalPath(to->first) && ValidModulePath(to->first)) {
        p = ModulePackage(to->first, to->second, "");
        p.metadata["go.replaces"] = r.path + " " + r.version;
      } else if (to) {
        p = ModulePackage(r.path, "", "");
        p.metadata["go.replace"] = to->first.substr(0, kMaxValue);
        p.metadata["go.required_version"] = r.version;
      } else {
        p = ModulePackage(r.path, r.version, "");
      }
      if (r.indirect) p.metadata["go.indirect"] = "true";
      p.evidence[0].path = std::string(f.path);
      out.packages.push_back(std::move(p));
    }
  }
}

}  // namespace

void GoCatalogers(std::vector<Cataloger>& rows) {
  Cataloger bin;
  bin.id = kBinaryId;
  bin.file_wants = ExecutableElfWants();
  bin.on_file = &OnBinary;
  rows.push_back(std::move(bin));

  Cataloger mod;
  mod.id = kModId;
  mod.view_wants.basenames = {"go.mod"};
  mod.view_wants.max_size = 4 << 20;
  mod.collect = &CollectGoMod;
  mod.lockfile = true;
  rows.push_back(std::move(mod));
}

}  // namespace drydock
