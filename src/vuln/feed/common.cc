#include "vuln/feed/common.h"

#include <archive.h>
#include <archive_entry.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <memory>

namespace drydock::importer {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Rejects documents nested deeper than kMaxDepth before a recursive parser
// sees them (counts brackets outside strings; cheap and conservative).
bool TooDeepJson(std::string_view s) {
  int depth = 0;
  bool in_str = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_str) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_str = false;
      continue;
    }
    if (c == '"')
      in_str = true;
    else if (c == '[' || c == '{') {
      if (++depth > kMaxDepth) return true;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return false;
}

// Aliases share nodes; expanding them is what a "billion laughs" file counts
// on. `budget` (nodes left, proportional to the file) bounds the expansion.
Result<json> YamlToJson(const YAML::Node& n, int depth, int64_t& budget) {
  if (depth > kMaxDepth) return InputError("yaml: nested deeper than {}", kMaxDepth);
  if (--budget < 0) return InputError("yaml: too many nodes once aliases are expanded (alias bomb?)");
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return json(nullptr);
    case YAML::NodeType::Scalar:
      return json(n.Scalar());
    case YAML::NodeType::Sequence: {
      json a = json::array();
      for (const auto& e : n) {
        ASSIGN_OR_RETURN(json v, YamlToJson(e, depth + 1, budget));
        a.push_back(std::move(v));
      }
      return a;
    }
    case YAML::NodeType::Map: {
      json o = json::object();
      for (const auto& kv : n) {
        if (!kv.first.IsScalar()) continue;
        ASSIGN_OR_RETURN(json v, YamlToJson(kv.second, depth + 1, budget));
        o[kv.first.Scalar()] = std::move(v);
      }
      return o;
    }
  }
  return json(nullptr);
}

bool IsArchiveName(const std::string& name) {
  auto ends = [&](std::string_view suf) {
    return name.size() >= suf.size() && name.compare(name.size() - suf.size(), suf.size(), suf) == 0;
  };
  return ends(".zip") || ends(".tar.gz") || ends(".tgz") || ends(".tar");
}

Status ForEachArchiveMember(const std::string& path, const std::function<bool(const std::string&)>& want,
                            const FileFn& fn) {
  std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_all(a.get());
  archive_read_support_format_zip(a.get());
  archive_read_support_format_tar(a.get());
  archive_read_support_format_gnutar(a.get());
  if (archive_read_open_filename(a.get(), path.c_str(), 1 << 16) != ARCHIVE_OK) {
    return InputError("{}: {}", path, archive_error_string(a.get()) ? archive_error_string(a.get()) : "cannot open");
  }
  archive_entry* e = nullptr;
  std::string buf;
  for (;;) {
    int r = archive_read_next_header(a.get(), &e);
    if (r == ARCHIVE_EOF) break;
    if (r < ARCHIVE_WARN) {
      return InputError("{}: {}", path, archive_error_string(a.get()) ? archive_error_string(a.get()) : "bad archive");
    }
    if (archive_entry_filetype(e) != AE_IFREG) continue;
    const char* pn = archive_entry_pathname(e);
    std::string name = pn ? pn : "";
    if (!want(name)) continue;
    if (archive_entry_size_is_set(e) && archive_entry_size(e) > static_cast<la_int64_t>(kMaxFileBytes)) {
      return InputError("{}: {}: member larger than {} bytes", path, name, kMaxFileBytes);
    }
    buf.clear();
    char chunk[1 << 16];
    for (;;) {
      la_ssize_t n = archive_read_data(a.get(), chunk, sizeof chunk);
      if (n < 0) return InputError("{}: {}: {}", path, name, archive_error_string(a.get()));
      if (n == 0) break;
      buf.append(chunk, static_cast<size_t>(n));
      if (buf.size() > kMaxFileBytes)
        return InputError("{}: {}: member larger than {} bytes", path, name, kMaxFileBytes);
    }
    RETURN_IF_ERROR(fn(path + "!" + name, buf));
  }
  return Ok();
}

Result<std::string> ReadWhole(const std::string& path) {
  std::error_code ec;
  auto size = fs::file_size(path, ec);
  if (ec) return InputError("{}: {}", path, ec.message());
  if (size > kMaxFileBytes) return InputError("{}: larger than {} bytes", path, kMaxFileBytes);
  std::ifstream in(path, std::ios::binary);
  if (!in) return InputError("{}: cannot open", path);
  std::string s(size, '\0');
  in.read(s.data(), static_cast<std::streamsize>(size));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

}  // namespace

Result<json> ParseJson(std::string_view bytes) {
  if (TooDeepJson(bytes)) return InputError("json: nested deeper than {}", kMaxDepth);
  json j = json::parse(bytes.begin(), bytes.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return InputError("json: not a valid document");
  return j;
}

Result<json> ParseYaml(std::string_view bytes) {
  if (bytes.find('\0') != std::string_view::npos) return InputError("yaml: NUL byte");
  if (TooDeepJson(bytes)) return InputError("yaml: nested deeper than {}", kMaxDepth);
  // Block nesting is bounded by indentation; a line indented past this many
  // columns is not an advisory file.
  try {
    YAML::Node n = YAML::Load(std::string(bytes));
    int64_t budget = 64 * static_cast<int64_t>(bytes.size()) + 4096;
    return YamlToJson(n, 0, budget);
  } catch (const YAML::Exception& e) {
    return InputError("yaml: {}", e.what());
  } catch (const std::exception& e) {
    return InputError("yaml: {}", e.what());
  }
}

const json& Get(const json& j, std::string_view key) {
  static const json kNull;
  if (!j.is_object()) return kNull;
  auto it = j.find(key);
  if (it == j.end()) return kNull;
  return *it;
}

std::string Str(const json& j, std::string_view key) {
  const json& v = Get(j, key);
  if (v.is_string()) return v.get<std::string>();
  if (v.is_number_integer()) return std::to_string(v.get<int64_t>());
  if (v.is_number_float()) return fmt::format("{}", v.get<double>());
  return "";
}

std::vector<std::string> Strs(const json& j, std::string_view key) {
  std::vector<std::string> out;
  const json& v = Get(j, key);
  if (v.is_string()) out.push_back(v.get<std::string>());
  if (v.is_array()) {
    for (const auto& e : v) {
      if (e.is_string())
        out.push_back(e.get<std::string>());
      else if (e.is_number_integer())
        out.push_back(std::to_string(e.get<int64_t>()));
    }
  }
  return out;
}

Status ForEachFile(const std::string& path, const std::function<bool(const std::string&)>& want, const FileFn& fn) {
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) return InputError("{}: no such file or directory", path);
  if (fs::is_directory(st)) {
    std::vector<std::string> files;
    for (auto it = fs::recursive_directory_iterator(path, fs::directory_options::skip_permission_denied, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec)) files.push_back(it->path().string());
    }
    if (ec) return InputError("{}: {}", path, ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      if (IsArchiveName(f)) {
        RETURN_IF_ERROR(ForEachArchiveMember(f, want, fn));
      } else if (want(f)) {
        ASSIGN_OR_RETURN(std::string bytes, ReadWhole(f));
        RETURN_IF_ERROR(fn(f, bytes));
      }
    }
    return Ok();
  }
  if (IsArchiveName(path)) return ForEachArchiveMember(path, want, fn);
  ASSIGN_OR_RETURN(std::string bytes, ReadWhole(path));
  return fn(path, bytes);
}

void Warn(ImportStats& stats, std::string line) {
  ++stats.skipped;
  if (stats.warnings.size() < 100) stats.warnings.push_back(std::move(line));
}

Status Deliver(const std::string& name, Result<std::vector<Advisory>> parsed, std::vector<std::string>& warnings,
               const AdvisorySink& sink, ImportStats& stats) {
  ++stats.files;
  for (auto& w : warnings) Warn(stats, name + ": " + w);
  warnings.clear();
  if (!parsed.ok()) {
    Warn(stats, name + ": " + parsed.error().message);
    return Ok();
  }
  for (auto& a : *parsed) {
    ++stats.advisories;
    stats.affected += static_cast<int64_t>(a.affected.size());
    RETURN_IF_ERROR(sink(std::move(a)));
  }
  return Ok();
}

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Truncate(std::string s, size_t max) {
  if (s.size() <= max) return s;
  size_t cut = max;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // UTF-8 boundary
  s.resize(cut);
  return s;
}

bool IsCveId(std::string_view s) {
  if (s.size() < 13 || s.substr(0, 4) != "CVE-") return false;
  for (size_t i = 4; i < s.size(); ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i])) && !(i == 8 && s[i] == '-')) return false;
  }
  return s[8] == '-';
}

// ---- requirements to ranges ----

namespace {

// Bound comparison helpers; "" is -inf for lower bounds and +inf for upper.
Result<int> Cmp(VersionScheme scheme, const std::string& a, const std::string& b) {
  return CompareVersions(scheme, a, b);
}

// Orders lower bounds: -inf first; equal versions, inclusive first.
Result<int> CmpLo(VersionScheme s, const Interval& a, const Interval& b) {
  if (a.lo.empty() || b.lo.empty()) return (a.lo.empty() ? 0 : 1) - (b.lo.empty() ? 0 : 1);
  ASSIGN_OR_RETURN(int c, Cmp(s, a.lo, b.lo));
  if (c != 0) return c;
  return (a.lo_incl ? 0 : 1) - (b.lo_incl ? 0 : 1);
}

// Orders upper bounds: +inf last; equal versions, exclusive first.
Result<int> CmpHi(VersionScheme s, const Interval& a, const Interval& b) {
  if (a.hi.empty() || b.hi.empty()) return (a.hi.empty() ? 1 : 0) - (b.hi.empty() ? 1 : 0);
  ASSIGN_OR_RETURN(int c, Cmp(s, a.hi, b.hi));
  if (c != 0) return c;
  return (a.hi_incl ? 1 : 0) - (b.hi_incl ? 1 : 0);
}

// True when the interval holds no version.
Result<bool> Empty(VersionScheme s, const Interval& i) {
  if (i.lo.empty() || i.hi.empty()) return false;
  ASSIGN_OR_RETURN(int c, Cmp(s, i.lo, i.hi));
  return c > 0 || (c == 0 && !(i.lo_incl && i.hi_incl));
}

// Sorts and merges overlapping or touching intervals.
Result<std::vector<Interval>> Merge(std::vector<Interval> in, VersionScheme s) {
  std::vector<Interval> live;
  for (auto& i : in) {
    ASSIGN_OR_RETURN(bool e, Empty(s, i));
    if (!e) live.push_back(std::move(i));
  }
  // Insertion sort: lists are short, and the comparator can fail.
  for (size_t i = 1; i < live.size(); ++i) {
    for (size_t j = i; j > 0; --j) {
      ASSIGN_OR_RETURN(int c, CmpLo(s, live[j - 1], live[j]));
      if (c <= 0) break;
      std::swap(live[j - 1], live[j]);
    }
  }
  std::vector<Interval> out;
  for (auto& i : live) {
    if (!out.empty()) {
      Interval& cur = out.back();
      bool joins = cur.hi.empty();
      if (!joins) {
        ASSIGN_OR_RETURN(int c, Cmp(s, i.lo.empty() ? cur.hi : i.lo, cur.hi));
        joins = i.lo.empty() || c < 0 || (c == 0 && (i.lo_incl || cur.hi_incl));
      }
      if (joins) {
        ASSIGN_OR_RETURN(int c, CmpHi(s, i, cur));
        if (c > 0) {
          cur.hi = i.hi;
          cur.hi_incl = i.hi_incl;
        }
        continue;
      }
    }
    out.push_back(std::move(i));
  }
  return out;
}

// Increments the numeric component `idx` of a dotted version, dropping the
// rest: Bump("1.2.3", 1) = "1.3".
std::string Bump(const std::vector<std::string>& parts, size_t idx) {
  std::string out;
  for (size_t i = 0; i <= idx && i < parts.size(); ++i) {
    if (i) out += '.';
    if (i == idx) {
      unsigned long long n = 0;
      for (char c : parts[i]) {
        if (!std::isdigit(static_cast<unsigned char>(c))) break;
        n = n * 10 + static_cast<unsigned>(c - '0');
        if (n > (1ull << 60)) break;
      }
      out += std::to_string(n + 1);
    } else {
      out += parts[i];
    }
  }
  return out;
}

std::vector<std::string> SplitDots(std::string_view v) {
  std::vector<std::string> out;
  size_t start = 0;
  for (size_t i = 0; i <= v.size(); ++i) {
    if (i == v.size() || v[i] == '.') {
      out.emplace_back(v.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

// Cargo partial versions ("1", "1.2", "1.2.*") -> numeric parts given and
// the full x.y.z with zeros.
struct Partial {
  std::vector<std::string> parts;  // given numeric parts (wildcards dropped)
  std::string pre;                 // "-alpha.1" when given with x.y.z
  std::string full;
};

Result<Partial> ParseCargoPartial(std::string_view v) {
  Partial p;
  std::string core(v);
  if (auto plus = core.find('+'); plus != std::string::npos) core.resize(plus);
  if (auto dash = core.find('-'); dash != std::string::npos) {
    p.pre = core.substr(dash);
    core.resize(dash);
  }
  for (auto& part : SplitDots(core)) {
    if (part == "*" || part == "x" || part == "X") break;
    if (part.empty() ||
        !std::all_of(part.begin(), part.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      return InputError("requirement: {}: not a version", v);
    }
    p.parts.push_back(part);
  }
  if (p.parts.size() > 3) return InputError("requirement: {}: too many components", v);
  if (p.parts.size() < 3) p.pre.clear();
  p.full = (p.parts.size() > 0 ? p.parts[0] : "0") + "." + (p.parts.size() > 1 ? p.parts[1] : "0") + "." +
           (p.parts.size() > 2 ? p.parts[2] : "0") + p.pre;
  return p;
}

std::string PadCargo(const std::string& bumped) {
  auto parts = SplitDots(bumped);
  while (parts.size() < 3) parts.push_back("0");
  return parts[0] + "." + parts[1] + "." + parts[2];
}

// One Cargo comparator as an interval.
Result<Interval> CargoComparator(std::string_view op, std::string_view ver) {
  ASSIGN_OR_RETURN(Partial p, ParseCargoPartial(ver));
  Interval i;
  const size_t n = p.parts.size();
  auto upper_of_partial = [&]() -> std::string { return n == 0 ? "" : PadCargo(Bump(p.parts, n - 1)); };
  if (op == ">=") {
    i.lo = p.full;
  } else if (op == ">") {
    if (n == 3) {
      i.lo = p.full;
      i.lo_incl = false;
    } else {
      i.lo = upper_of_partial();
      if (i.lo.empty()) return InputError("requirement: >{}: empty", ver);
    }
  } else if (op == "<") {
    if (n == 0) return InputError("requirement: <{}: empty", ver);
    i.hi = p.full;
  } else if (op == "<=") {
    if (n == 3) {
      i.hi = p.full;
      i.hi_incl = true;
    } else {
      i.hi = upper_of_partial();
    }
  } else if (op == "=") {
    if (n == 3) {
      i.lo = i.hi = p.full;
      i.hi_incl = true;
    } else {
      i.lo = p.full;
      i.hi = upper_of_partial();
    }
  } else if (op == "~") {
    i.lo = p.full;
    if (n >= 2)
      i.hi = PadCargo(Bump(p.parts, 1));
    else if (n == 1)
      i.hi = PadCargo(Bump(p.parts, 0));
  } else if (op == "^" || op.empty()) {
    i.lo = p.full;
    if (n == 0) {
      // "*": everything.
      i.lo.clear();
    } else if (p.parts[0] != "0" || n == 1) {
      i.hi = PadCargo(Bump(p.parts, 0));
    } else if (n == 2 || p.parts[1] != "0") {
      i.hi = PadCargo(Bump(p.parts, 1));
    } else {
      i.hi = PadCargo(Bump(p.parts, 2));
    }
  } else {
    return InputError("requirement: unknown operator '{}'", op);
  }
  return i;
}

// One RubyGems comparator as an interval (`!=` is the whole line: a
// requirement list cannot hold a hole; the version it names is rare).
Result<Interval> GemComparator(std::string_view op, std::string_view ver) {
  if (ver.empty()) return InputError("requirement: {}: missing version", op);
  Interval i;
  std::string v(ver);
  if (op == ">=") {
    i.lo = v;
  } else if (op == ">") {
    i.lo = v;
    i.lo_incl = false;
  } else if (op == "<") {
    i.hi = v;
  } else if (op == "<=") {
    i.hi = v;
    i.hi_incl = true;
  } else if (op == "=" || op.empty()) {
    i.lo = i.hi = v;
    i.hi_incl = true;
  } else if (op == "!=") {
  } else if (op == "~>") {
    // Gem::Version#bump: drop prerelease parts, then the last part (unless
    // it is the only one), increment the new last.
    auto parts = SplitDots(v);
    while (!parts.empty() && !std::all_of(parts.back().begin(), parts.back().end(),
                                          [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
      parts.pop_back();
    }
    if (parts.empty()) return InputError("requirement: ~> {}: not a version", ver);
    if (parts.size() > 1) parts.pop_back();
    i.lo = v;
    i.hi = Bump(parts, parts.size() - 1);
  } else {
    return InputError("requirement: unknown operator '{}'", op);
  }
  return i;
}

}  // namespace

Result<Interval> ParseRequirement(std::string_view req, ReqDialect dialect) {
  const VersionScheme scheme = dialect == ReqDialect::kCargo ? VersionScheme::kCargo : VersionScheme::kRubyGems;
  Interval acc;
  bool any = false;
  size_t start = 0;
  for (size_t k = 0; k <= req.size(); ++k) {
    if (k != req.size() && req[k] != ',') continue;
    std::string c = Trim(req.substr(start, k - start));
    start = k + 1;
    if (c.empty()) continue;
    size_t o = 0;
    while (o < c.size() && std::string_view("<>=!~^").find(c[o]) != std::string_view::npos) ++o;
    std::string op = c.substr(0, o);
    std::string ver = Trim(std::string_view(c).substr(o));
    if (ver == "*" && dialect == ReqDialect::kCargo) {
      any = true;
      continue;
    }
    ASSIGN_OR_RETURN(Interval i, dialect == ReqDialect::kCargo ? CargoComparator(op, ver) : GemComparator(op, ver));
    // Validate the versions parse under the scheme.
    if (!i.lo.empty()) RETURN_IF_ERROR(CompareVersions(scheme, i.lo, i.lo));
    if (!i.hi.empty()) RETURN_IF_ERROR(CompareVersions(scheme, i.hi, i.hi));
    if (!any) {
      acc = i;
      any = true;
      continue;
    }
    // Intersect.
    ASSIGN_OR_RETURN(int clo, CmpLo(scheme, i, acc));
    if (clo > 0) {
      acc.lo = i.lo;
      acc.lo_incl = i.lo_incl;
    }
    ASSIGN_OR_RETURN(int chi, CmpHi(scheme, i, acc));
    if (chi < 0) {
      acc.hi = i.hi;
      acc.hi_incl = i.hi_incl;
    }
  }
  if (!any) return InputError("requirement: '{}' is empty", req);
  return acc;
}

Result<std::vector<AffectedRange>> IntervalsToRanges(std::vector<Interval> affected, VersionScheme scheme) {
  ASSIGN_OR_RETURN(auto merged, Merge(std::move(affected), scheme));
  std::vector<AffectedRange> out;
  for (const auto& i : merged) {
    AffectedRange r;
    r.introduced = i.lo;
    if (!i.hi.empty()) (i.hi_incl ? r.last_affected : r.fixed) = i.hi;
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<AffectedRange>> ComplementToRanges(std::vector<Interval> safe, VersionScheme scheme) {
  ASSIGN_OR_RETURN(auto merged, Merge(std::move(safe), scheme));
  std::vector<AffectedRange> out;
  std::string start;  // "" = from the beginning
  bool open = true;   // an affected stretch is running from `start`
  for (const auto& m : merged) {
    if (!m.lo.empty()) {
      AffectedRange r;
      r.introduced = start;
      (m.lo_incl ? r.fixed : r.last_affected) = m.lo;
      out.push_back(std::move(r));
    }
    if (m.hi.empty()) {
      open = false;
      break;
    }
    start = m.hi;
  }
  if (open) {
    AffectedRange r;
    r.introduced = start;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace drydock::importer
