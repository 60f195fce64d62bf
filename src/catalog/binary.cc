// The generic binary cataloger: software built from source (openssl, nginx,
// httpd, redis, curl, python, node, busybox, …) recognised from the version
// strings it compiles into its ELF files. One table of rules, no code per
// product: each rule is an anchor (a literal, or for redis a fixed-width
// regex) plus templates saying how the version is written right before
// and/or right after it. All anchors are matched in one Vectorscan pass
// over the file's read-only data (.rodata*, .data.rel.ro, .data; the
// non-executable segments when there is no section table), never .text.
//
// Template language (plain code reads it at a match, no regex per file):
//   literal bytes match themselves, except ' ' which matches 1+ spaces;
//   {V} a version of 2+ dot-separated numbers ({V1}: 1+, {V3}: 3+);
//   {N} a number, appended to the version as one more component;
//   {L} 0-3 lower-case letters appended (openssl "1.1.1w");
//   {S} an optional pre-release appended ("rc1", "-beta2", "RC1", "a1");
//   {p} / {P} an optional "p<digits>" appended / skipped;
//   {d} / {a} one or more digits / letters, skipped;
//   {*} anything but NUL, skipped up to the literal that follows (or to the
//       end of the string when last);
//   {$} the end of the C string (NUL).
// `after` is read from the end of the anchor; `before` must match the
// whole C string that ends where the anchor starts (from the NUL before
// it), or with a leading {^} a tail of it that starts after a byte that is
// not a digit or '.' (for strings the compiler packed against other data). After a version token ends an `after`
// template, the next byte must not continue a word ("1.2.3abc" is no match).
//
// Rules that could fire on a mention rather than the code (openssl's
// version string is also compiled into programs that only link it) are
// limited to files whose name starts with one of `files`, or that also
// contain the `confirm` literal (a source path of the product's own code).
#include <hs/hs.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/elf.h"

namespace drydock {

namespace {

using namespace std::string_view_literals;

constexpr std::string_view kId = "binary";
constexpr size_t kWindow = 256;         // bytes a template may read
constexpr size_t kMaxMatches = 100000;  // per file; a hostile file stops here
constexpr size_t kMaxVersionBytes = 48;

struct Rule {
  std::string_view product;
  std::string_view anchor;  // literal bytes, or a regex when `regex`
  std::string_view before;
  std::string_view after;
  std::string_view files = {};    // comma-separated basename prefixes
  std::string_view confirm = {};  // literal that must also be in the file
  bool regex = false;
};

// The rule table. Order matters only between rules of one product: the
// first that matches wins.
const std::vector<Rule>& Rules() {
  static const std::vector<Rule> rules = {
      // "OpenSSL 3.0.11 19 Sep 2023", "OpenSSL 1.1.1w  11 Sep 2023"
      {"openssl", "OpenSSL ", "", "{V3}{L}{S} {d} {a} {d}", "libcrypto,libssl,openssl", "crypto/evp/evp_enc.c"},
      // "nginx/1.25.3"
      {"nginx", "nginx/", "", "{V3}{$}"},
      // "Apache/2.4.58" and "Apache/2.4.58 (Unix)"
      {"httpd", "Apache/", "", "{V3}"},
      // redisBuildIdString: version, [host "-"], build time (10 digits),
      // dirty count 0, 8 hex of git sha: "7.0.151790282056000000000"
      {"redis", "[0-9]{10}0[0-9a-f]{8}\\x00", "{^}{V3}{*}", "", "redis-", "", true},
      // "curl/8.4.0" (curl's user agent) and "libcurl/8.4.0"
      {"curl", "curl/", "", "{V3}{S}"},
      // Py_GetVersion's format right after PY_VERSION: "3.11.2\0%.80s (%.80s) %.80s"
      {"python", "\0%.80s (%.80s) %.80s"sv, "{V3}{S}", ""},
      // "node.js/v20.10.0"
      {"node", "node.js/v", "", "{V3}"},
      // "BusyBox v1.36.1 (2023-…)"
      {"busybox", "BusyBox v", "", "{V3}"},
      // "@(#)Bash version 5.2.15(1) release GNU"
      {"bash", "@(#)Bash version ", "", "{V3}("},
      // PG_VERSION_STR: "PostgreSQL 16.1 on x86_64-pc-linux-gnu, compiled by …",
      // "PostgreSQL 15.5 (Debian 15.5-0+deb12u1) on …"
      {"postgresql", "PostgreSQL ", "", "{V}{S} on "},
      {"postgresql", "PostgreSQL ", "", "{V}{S} ({*}) on "},
      // "10.11.6-MariaDB"
      {"mariadb", "-MariaDB", "{V3}", ""},
      // stats_version_string: " version 2.8.3, released 2023/09/08"
      {"haproxy", ", released ", " version {V3}{*}", "{d}/"},
      // "memcached 1.6.22"
      {"memcached", "memcached ", "", "{V3}{$}", "memcached"},
      // "X-Powered-By: PHP/8.2.12"
      {"php", "X-Powered-By: PHP/", "", "{V3}{S}"},
      // "This is perl 5, version 36, subversion 0 (%-p) built for …"
      {"perl", "This is perl ", "", "{N}, version {N}, subversion {N} ("},
      // RUBY_DESCRIPTION: "ruby 3.2.2 (2023-03-30 revision e51014f9c0) [x86_64-linux]"
      {"ruby", "ruby ", "", "{V3}{P} ({d}-{d}-{d} "},
      // libjvm: "OpenJDK 64-Bit Server VM (17.0.9+9-Debian-1deb12u1) for …"
      {"openjdk", "OpenJDK 64-Bit Server VM (", "", "{V1}+"},
      // the java launcher: "\0openjdk\0java\0" release "\0" version
      {"openjdk", "\0openjdk\0java\0"sv, "", "{*}\0{V1}+"sv},
      // zlib's copyright strings: " deflate 1.2.13 Copyright 1995-2022 …"
      {"zlib", "flate ", "", "{V} Copyright {d}-"},
      // "OpenSSH_9.5p1"
      {"openssh", "OpenSSH_", "", "{V}{p}"},
  };
  return rules;
}

// --- templates ----------------------------------------------------------------

bool Digit(char c) { return c >= '0' && c <= '9'; }
bool Alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Matches template `t` against `s` from its start. Appends the version it
// reads to `version` and returns the bytes consumed, or nullopt.
std::optional<size_t> Match(std::string_view t, std::string_view s, std::string& version, bool& ended_on_version) {
  size_t i = 0;
  ended_on_version = false;
  auto digits = [&] {
    const size_t from = i;
    while (i < s.size() && Digit(s[i])) ++i;
    return i - from;
  };
  while (!t.empty()) {
    if (t.front() != '{') {
      const char c = t.front();
      t.remove_prefix(1);
      ended_on_version = false;
      if (c == ' ') {
        if (i >= s.size() || s[i] != ' ') return std::nullopt;
        while (i < s.size() && s[i] == ' ') ++i;
      } else {
        if (i >= s.size() || s[i] != c) return std::nullopt;
        ++i;
      }
      continue;
    }
    const size_t close = t.find('}');
    const std::string_view tok = t.substr(1, close - 1);
    t.remove_prefix(close + 1);
    if (tok == "V" || tok == "V1" || tok == "V3") {
      const size_t min = tok == "V" ? 2 : tok == "V1" ? 1 : 3;
      const size_t from = i;
      size_t parts = 0;
      if (digits() == 0) return std::nullopt;
      ++parts;
      while (i + 1 < s.size() && s[i] == '.' && Digit(s[i + 1])) {
        ++i;
        digits();
        ++parts;
      }
      if (parts < min) return std::nullopt;
      version += s.substr(from, i - from);
      ended_on_version = true;
    } else if (tok == "N") {
      const size_t from = i;
      if (digits() == 0) return std::nullopt;
      if (!version.empty()) version += '.';
      version += s.substr(from, i - from);
      ended_on_version = true;
    } else if (tok == "L") {
      const size_t from = i;
      while (i < s.size() && i - from < 3 && s[i] >= 'a' && s[i] <= 'z') ++i;
      version += s.substr(from, i - from);
    } else if (tok == "S") {
      size_t j = i;
      if (j < s.size() && (s[j] == '-' || s[j] == '.')) ++j;
      for (std::string_view pre : {"alpha", "beta", "dev", "rc", "RC", "a", "b"}) {
        if (s.substr(j).starts_with(pre) && (pre.size() > 1 || (j + 1 < s.size() && Digit(s[j + 1])))) {
          j += pre.size();
          while (j < s.size() && Digit(s[j])) ++j;
          version += s.substr(i, j - i);
          i = j;
          break;
        }
      }
    } else if (tok == "p" || tok == "P") {
      if (i + 1 < s.size() && s[i] == 'p' && Digit(s[i + 1])) {
        const size_t from = i++;
        digits();
        if (tok == "p") version += s.substr(from, i - from);
      }
    } else if (tok == "d") {
      if (digits() == 0) return std::nullopt;
      ended_on_version = false;
    } else if (tok == "a") {
      const size_t from = i;
      while (i < s.size() && Alpha(s[i])) ++i;
      if (i == from) return std::nullopt;
      ended_on_version = false;
    } else if (tok == "$") {
      if (i < s.size() && s[i] != '\0') return std::nullopt;
      ended_on_version = false;
    } else if (tok == "*") {
      ended_on_version = false;
      const std::string_view lit = t.substr(0, t.find('{'));
      if (lit.empty()) {
        i = std::min(s.size(), s.find('\0', i));
        continue;
      }
      const size_t at = s.find(lit, i);
      if (at == std::string_view::npos) return std::nullopt;
      // Skipping stays inside one C string, unless the literal is its end.
      if (s.substr(i, at - i).find('\0') != std::string_view::npos) return std::nullopt;
      i = at + lit.size();
      t.remove_prefix(lit.size());
    } else {
      return std::nullopt;  // unknown token: a table error, caught by the tests
    }
  }
  if (version.size() > kMaxVersionBytes) return std::nullopt;
  return i;
}

// The version a rule reads at an anchor matched at [from, to) of `region`.
std::optional<std::string> ReadVersion(const Rule& r, std::string_view region, size_t from, size_t to) {
  std::string version;
  bool on_version = false;
  if (!r.before.empty()) {
    size_t start = from;
    while (start > 0 && from - start < kWindow && region[start - 1] != '\0') --start;
    std::string_view seg = region.substr(start, from - start);
    std::string_view tmpl = r.before;
    const bool anywhere = tmpl.starts_with("{^}");
    if (anywhere) tmpl.remove_prefix(3);
    bool matched = false;
    for (size_t i = 0; i < seg.size() && !matched; ++i) {
      if (i > 0 && (!anywhere || Digit(seg[i - 1]) || seg[i - 1] == '.')) continue;
      version.clear();
      auto n = Match(tmpl, seg.substr(i), version, on_version);
      matched = n && *n == seg.size() - i;
    }
    if (!matched) return std::nullopt;
  }
  if (!r.after.empty()) {
    const std::string_view rest = region.substr(to, kWindow);
    auto n = Match(r.after, rest, version, on_version);
    if (!n) return std::nullopt;
    if (on_version && *n < rest.size()) {
      const char next = rest[*n];
      if (Digit(next) || Alpha(next) || (next == '.' && *n + 1 < rest.size() && Digit(rest[*n + 1]))) {
        return std::nullopt;
      }
    }
  }
  if (version.empty()) return std::nullopt;
  return version;
}

// --- the Vectorscan databases ---------------------------------------------------

struct HsDatabaseFree {
  void operator()(hs_database_t* d) const { hs_free_database(d); }
};
struct HsScratchFree {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};
using HsDatabase = std::unique_ptr<hs_database_t, HsDatabaseFree>;
using HsScratch = std::unique_ptr<hs_scratch_t, HsScratchFree>;

// Rules limited to file names alone (no confirm literal) go into a second
// database scanned only in files so named, so their anchors (redis's is a
// regex) cost nothing elsewhere. Pattern ids: rule indexes, then
// rules.size() + k for confirm literal k.
struct Engine {
  HsDatabase all;       // every other rule, and the confirm literals
  HsDatabase named;     // rules with `files` and no `confirm`
  HsScratch prototype;  // fits both; cloned per file
  std::vector<std::string_view> confirms;
  std::vector<int> confirm_of;  // per rule: index into confirms, or -1
  std::string error;
};

bool NameOnly(const Rule& r) { return !r.files.empty() && r.confirm.empty(); }

std::string Escape(std::string_view literal) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : literal) {
    out += "\\x";
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

struct Patterns {
  std::vector<std::string> exprs;
  std::vector<unsigned> flags, ids;
  void Add(std::string expr, unsigned flag, size_t id) {
    exprs.push_back(std::move(expr));
    flags.push_back(flag);
    ids.push_back(static_cast<unsigned>(id));
  }
  Result<HsDatabase> Compile() const {
    std::vector<const char*> ptrs;
    for (const auto& x : exprs) ptrs.push_back(x.c_str());
    hs_database_t* db = nullptr;
    hs_compile_error_t* err = nullptr;
    if (hs_compile_multi(ptrs.data(), flags.data(), ids.data(), static_cast<unsigned>(ptrs.size()), HS_MODE_BLOCK,
                         nullptr, &db, &err) != HS_SUCCESS) {
      const std::string why = err && err->message ? err->message : "compile failed";
      hs_free_compile_error(err);
      return InputError("{}", why);
    }
    return HsDatabase(db);
  }
};

Engine Build() {
  Engine e;
  Patterns all, named;
  const auto& rules = Rules();
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    (NameOnly(r) ? named : all)
        .Add(r.regex ? std::string(r.anchor) : Escape(r.anchor), HS_FLAG_SOM_LEFTMOST | HS_FLAG_DOTALL, i);
    int at = -1;
    if (!r.confirm.empty()) {
      auto it = std::find(e.confirms.begin(), e.confirms.end(), r.confirm);
      at = static_cast<int>(it - e.confirms.begin());
      if (it == e.confirms.end()) e.confirms.push_back(r.confirm);
    }
    e.confirm_of.push_back(at);
  }
  for (size_t k = 0; k < e.confirms.size(); ++k) all.Add(Escape(e.confirms[k]), HS_FLAG_SINGLEMATCH, rules.size() + k);
  auto a = all.Compile();
  auto n = named.Compile();
  if (!a.ok() || !n.ok()) {
    e.error = (a.ok() ? n.error() : a.error()).message;
    return e;
  }
  e.all = std::move(*a);
  e.named = std::move(*n);
  hs_scratch_t* scratch = nullptr;
  if (hs_alloc_scratch(e.all.get(), &scratch) != HS_SUCCESS ||
      hs_alloc_scratch(e.named.get(), &scratch) != HS_SUCCESS) {
    hs_free_scratch(scratch);
    e.error = "cannot allocate scratch";
    return e;
  }
  e.prototype.reset(scratch);
  return e;
}

const Engine& GetEngine() {
  static const Engine engine = Build();  // built once, read-only afterwards
  return engine;
}

// --- scanning -------------------------------------------------------------------

struct Found {
  std::string version;
  std::string context;  // the bytes around the anchor, for the report
};

struct ScanState {
  std::string_view region;
  std::vector<std::optional<Found>> by_rule;
  std::vector<bool> confirmed;
  size_t matches = 0;
  size_t rules = 0;
};

int OnMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned, void* ctx) {
  auto& st = *static_cast<ScanState*>(ctx);
  if (++st.matches > kMaxMatches) return 1;  // stop scanning this file
  if (id >= st.rules) {
    st.confirmed[id - st.rules] = true;
    return 0;
  }
  auto v = ReadVersion(Rules()[id], st.region, static_cast<size_t>(from), static_cast<size_t>(to));
  if (!v) return 0;
  // The first match counts, unless a later one says more of the same
  // version ("OpenSSH_9.2" then "OpenSSH_9.2p1").
  auto& found = st.by_rule[id];
  if (found && !(v->size() > found->version.size() && v->starts_with(found->version))) return 0;
  const size_t start = from > 32 ? static_cast<size_t>(from) - 32 : 0;
  const std::string_view around = st.region.substr(start, static_cast<size_t>(to) - start + 48);
  found = Found{std::move(*v), Printable(around, 160)};
  return 0;
}

// The parts of the file that hold string constants.
std::vector<std::string_view> DataRegions(const ElfFile& elf) {
  std::vector<std::string_view> out;
  for (const auto& s : elf.sections()) {
    if ((s.flags & ElfFile::kShfExecinstr) != 0 || s.type == ElfFile::kShtNobits) continue;
    if (s.name == ".rodata" || s.name.starts_with(".rodata.") || s.name == ".data.rel.ro" || s.name == ".data") {
      out.push_back(elf.Data(s));
    }
  }
  if (elf.sections().empty()) {
    for (const auto& p : elf.segments()) {
      if (p.type != ElfFile::kPtLoad || (p.flags & ElfFile::kPfX) != 0) continue;
      if (auto d = elf.ReadAt(p.vaddr, p.filesz)) out.push_back(*d);
    }
    if (elf.segments().empty()) out.push_back(elf.bytes());
  }
  return out;
}

bool NameMatches(std::string_view base, std::string_view prefixes) {
  while (!prefixes.empty()) {
    const size_t comma = prefixes.find(',');
    if (base.starts_with(prefixes.substr(0, comma))) return true;
    if (comma == std::string_view::npos) break;
    prefixes.remove_prefix(comma + 1);
  }
  return false;
}

void OnBinary(const FileNode& node, std::string_view content, LayerResult& out) {
  const Engine& engine = GetEngine();
  auto diag = [&](std::string message) {
    out.diagnostics.push_back({node.path, std::string(kId) + ": " + std::move(message)});
  };
  if (!engine.error.empty()) return diag("rule table does not compile: " + engine.error);
  auto elf = ElfFile::Parse(content);
  if (!elf.ok()) return diag(elf.error().message);
  if (!elf->warning().empty()) diag("elf: " + elf->warning());

  hs_scratch_t* raw = nullptr;
  if (hs_clone_scratch(engine.prototype.get(), &raw) != HS_SUCCESS) return diag("cannot allocate scratch");
  HsScratch scratch(raw);
  const auto& rules = Rules();
  const std::string_view base = Basename(node.path);
  const bool named =
      std::any_of(rules.begin(), rules.end(), [&](const Rule& r) { return NameOnly(r) && NameMatches(base, r.files); });
  ScanState st;
  st.rules = rules.size();
  st.by_rule.resize(rules.size());
  st.confirmed.resize(engine.confirms.size());
  for (std::string_view region : DataRegions(*elf)) {
    if (region.empty() || region.size() > UINT32_MAX) continue;
    st.region = region;
    bool stopped = false;
    for (const hs_database_t* db : {engine.all.get(), named ? engine.named.get() : nullptr}) {
      if (db == nullptr) continue;
      stopped |= hs_scan(db, region.data(), static_cast<unsigned>(region.size()), 0, scratch.get(), OnMatch, &st) ==
                 HS_SCAN_TERMINATED;
    }
    if (stopped) {
      diag("more than " + std::to_string(kMaxMatches) + " anchor matches; scan stopped");
      break;
    }
  }
  std::vector<std::string_view> done;
  for (size_t i = 0; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    if (!st.by_rule[i] || std::find(done.begin(), done.end(), r.product) != done.end()) continue;
    const bool by_name = !r.files.empty() && NameMatches(base, r.files);
    const bool confirmed = engine.confirm_of[i] >= 0 && st.confirmed[static_cast<size_t>(engine.confirm_of[i])];
    if ((!r.files.empty() || !r.confirm.empty()) && !by_name && !confirmed) continue;
    done.push_back(r.product);
    Package p;
    p.type = std::string(pkgtype::kGeneric);
    p.name = std::string(r.product);
    p.version = std::move(st.by_rule[i]->version);
    p.metadata["binary.match"] = std::move(st.by_rule[i]->context);
    p.evidence.emplace_back();
    out.packages.push_back(std::move(p));
  }
}

}  // namespace

void BinaryCatalogers(std::vector<Cataloger>& rows) {
  Cataloger c;
  c.id = kId;
  // ELF files with an x bit: the Go and cargo-auditable catalogers read
  // the same set, so the walk buffers nothing more for this one. Libraries
  // installed from source have the x bit (libtool, CMake and OpenSSL's,
  // CPython's and most makefiles install them 0755); the 0644 ones are
  // what distribution packages ship, and their package manager already
  // lists them.
  c.file_wants = ExecutableElfWants();
  c.on_file = &OnBinary;
  rows.push_back(std::move(c));
}

}  // namespace drydock
