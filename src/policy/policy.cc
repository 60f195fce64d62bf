// Loading the sources and applying them: the order (policy file, ignore
// file, VEX), what each matches a finding by, and the record kept of why.
#include "policy/policy.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <functional>
#include <tuple>

#include <fmt/format.h>

#include "base/path.h"
#include "policy/internal.h"

namespace drydock::policy {
namespace {

// Reads at most `max` + 1 bytes (so the parser can say the file is too
// large without this reading a huge or endless file whole).
Result<std::string> ReadCapped(const std::string& path, size_t max, std::string_view what) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return InputError("{}: cannot read the {}: {}", Printable(path), what, std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    return InputError("{}: the {} is a directory", Printable(path), what);
  }
  std::string out;
  char buf[65536];
  while (out.size() <= max) {
    const ssize_t n = ::read(fd, buf, std::min(sizeof buf, max + 1 - out.size()));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int e = errno;
      ::close(fd);
      return InputError("{}: cannot read the {}: {}", Printable(path), what, std::strerror(e));
    }
    if (n == 0) break;
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

bool Exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

// ---- matching ---------------------------------------------------------------------

// A finding as the matchers see it.
struct Subjectish {
  const Finding& f;
  std::vector<std::string> ids;  // rule id, fingerprint, vulnerability id and aliases, short secret id
  std::optional<Purl> purl;      // the vulnerable package's
  std::string version;           // its version
};

Subjectish Describe(const Finding& f) {
  Subjectish s{f, {}, std::nullopt, {}};
  s.ids.push_back(f.rule_id);
  if (!f.fingerprint.empty()) s.ids.push_back(f.fingerprint);
  if (f.kind == FindingKind::kSecret && f.rule_id.starts_with("DD-SECRET-")) s.ids.push_back(f.rule_id.substr(10));
  if (f.vuln) {
    s.ids.push_back(f.vuln->id);
    s.ids.insert(s.ids.end(), f.vuln->aliases.begin(), f.vuln->aliases.end());
    if (!f.vuln->purl.empty()) {
      auto p = ParsePurl(f.vuln->purl);
      if (p.ok()) s.purl = std::move(*p);
    }
    // The installed version as the ecosystem writes it (an rpm purl keeps
    // the epoch in a qualifier); the purl's when the matcher left it out.
    s.version = !f.vuln->installed_version.empty() ? f.vuln->installed_version : s.purl ? s.purl->version : "";
  }
  std::sort(s.ids.begin(), s.ids.end());
  s.ids.erase(std::unique(s.ids.begin(), s.ids.end()), s.ids.end());
  return s;
}

bool EveryLocation(const Finding& f, const std::function<bool(const Location&)>& pred) {
  if (!pred(f.location)) return false;
  return std::all_of(f.more_locations.begin(), f.more_locations.end(), pred);
}

bool EntryMatches(const PolicyEntry& e, const Subjectish& s) {
  if (!e.id.empty() && !std::binary_search(s.ids.begin(), s.ids.end(), e.id)) return false;
  if (e.purl) {
    if (!s.purl || !PurlCovers(*e.purl, *s.purl)) return false;
    if (e.versions && !InRange(*e.versions, s.version)) return false;
  }
  if (e.path && !EveryLocation(s.f, [&](const Location& l) { return !l.path.empty() && e.path->Match(l.path); })) {
    return false;
  }
  if (!e.layer.empty() && !EveryLocation(s.f, [&](const Location& l) { return l.diff_id == e.layer; })) return false;
  return true;
}

std::optional<Suppression> ByPolicy(const PolicyFile& p, const Subjectish& s) {
  size_t best = SIZE_MAX;
  auto consider = [&](const std::vector<size_t>& idx) {
    for (size_t i : idx) {
      if (i < best && EntryMatches(p.entries[i], s)) best = i;
    }
  };
  for (const std::string& id : s.ids) {
    if (auto it = p.by_id.find(id); it != p.by_id.end()) consider(it->second);
  }
  if (s.purl) {
    if (auto it = p.by_purl.find(s.purl->Identity()); it != p.by_purl.end()) consider(it->second);
  }
  consider(p.others);
  if (best == SIZE_MAX) return std::nullopt;
  const PolicyEntry& e = p.entries[best];
  Suppression why;
  why.kind = "policy";
  why.source = fmt::format("{}:{} (ignore[{}])", p.name, e.line, e.index);
  why.reason = e.reason;
  if (e.expires) why.expires = e.expires->str();
  return why;
}

std::optional<Suppression> ByIgnoreFile(const IgnoreFile& file, const Subjectish& s) {
  size_t best = SIZE_MAX;
  for (const std::string& id : s.ids) {
    auto it = file.by_id.find(id);
    if (it != file.by_id.end()) best = std::min(best, it->second.front());
  }
  if (best == SIZE_MAX) return std::nullopt;
  const IgnoreLine& l = file.lines[best];
  Suppression why;
  why.kind = "ignorefile";
  why.source = fmt::format("{}:{}", file.name, l.line);
  why.reason = l.comment.empty() ? fmt::format("listed in {}", file.name) : l.comment;
  if (l.expires) why.expires = l.expires->str();
  return why;
}

// Whether the scope products of claims hold for this subject; computed on
// first use.
class Scopes {
 public:
  Scopes(const VexSet& vex, const Subject& subject) : vex_(vex), subject_(subject), state_(vex.scopes.size(), -1) {}

  bool Holds(int scope) {
    if (scope < 0) return true;
    int8_t& s = state_[static_cast<size_t>(scope)];
    if (s < 0) s = Compute(vex_.scopes[static_cast<size_t>(scope)]) ? 1 : 0;
    return s == 1;
  }

 private:
  bool Compute(const Purl& p) {
    if (p.type == "oci" || p.type == "docker") return IsImage(p);
    if (subject_.inventory == nullptr) return false;
    if (!parsed_) {
      parsed_ = true;
      for (const Package& pkg : subject_.inventory->packages) {
        auto q = ParsePurl(pkg.purl);
        if (q.ok()) inventory_.push_back(std::move(*q));
      }
    }
    return std::any_of(inventory_.begin(), inventory_.end(), [&](const Purl& q) { return PurlCovers(p, q); });
  }

  // A pkg:oci purl names this image: by digest (the manifest's or the
  // config's, i.e. the image id) when it has a version, else by the last
  // component of a repository the image is known by.
  bool IsImage(const Purl& p) const {
    const ImageInfo* img = subject_.image;
    if (img == nullptr) return false;
    if (!p.version.empty()) return p.version == img->manifest_digest.str() || p.version == img->config_digest.str();
    std::vector<std::string> names = img->repo_tags;
    names.push_back(img->reference);
    for (std::string n : names) {
      if (size_t at = n.find('@'); at != std::string::npos) n.resize(at);
      const size_t slash = n.rfind('/');
      if (size_t colon = n.rfind(':'); colon != std::string::npos && (slash == std::string::npos || colon > slash)) {
        n.resize(colon);
      }
      std::string last = slash == std::string::npos ? n : n.substr(slash + 1);
      std::transform(last.begin(), last.end(), last.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (!last.empty() && last == p.name) return true;
    }
    return false;
  }

  const VexSet& vex_;
  const Subject& subject_;
  std::vector<int8_t> state_;
  bool parsed_ = false;
  std::vector<Purl> inventory_;
};

// The deciding statement among the claims that hold for `s`: the latest by
// time (none counts as oldest), ties broken by document, then statement
// order (the later wins).
const VexStatement* ByVex(const VexSet& vex, const Subjectish& s, Scopes& scopes) {
  if (!s.f.vuln || vex.index.empty()) return nullptr;
  const VexStatement* best = nullptr;
  auto consider = [&](const std::vector<size_t>& claims) {
    for (size_t ci : claims) {
      const VexClaim& c = vex.claims[ci];
      bool hit = false;
      switch (c.target) {
        case VexClaim::Target::kPurl:
          hit = s.purl && PurlCovers(c.purl, *s.purl);
          break;
        case VexClaim::Target::kRef:
          hit = c.ref == s.f.vuln->package_id && (c.version.empty() || c.version == s.f.vuln->installed_version);
          break;
        case VexClaim::Target::kAnyPackage:
          hit = true;
          break;
      }
      if (!hit || !scopes.Holds(c.scope)) continue;
      const VexStatement& st = vex.statements[c.statement];
      auto key = [](const VexStatement& x) { return std::make_tuple(x.time.has_value(), x.time, x.document, x.order); };
      if (best == nullptr || key(st) > key(*best)) best = &st;
    }
  };
  auto lookup = [&](const std::string& key) {
    if (auto it = vex.index.find(key); it != vex.index.end()) consider(it->second);
  };
  for (const std::string& id : s.ids) {
    if (s.purl) lookup(ClaimKey(id, 'p', s.purl->Identity()));
    lookup(ClaimKey(id, 'r', s.f.vuln->package_id));
    lookup(ClaimKey(id, '*', ""));
  }
  return best;
}

Suppression FromVex(const VexStatement& st) {
  Suppression why;
  why.kind = "vex";
  why.source = st.source;
  why.status = std::string(VexStatusName(st.status));
  why.justification = st.justification;
  why.reason = st.reason;
  if (why.reason.empty()) {
    why.reason = "VEX: " + why.status + (st.justification.empty() ? "" : " (" + st.justification + ")");
  }
  return why;
}

}  // namespace

Policy::Policy() : data_(std::make_shared<PolicyData>()) {}
Policy::Policy(std::shared_ptr<const PolicyData> data) : data_(std::move(data)) {}

bool Policy::empty() const { return !data_->ignore && !data_->policy && data_->vex.statements.empty(); }
const std::vector<std::string>& Policy::warnings() const { return data_->warnings; }

Result<Policy> Load(const LoadOptions& opts) {
  auto data = std::make_shared<PolicyData>();
  std::string ignore = opts.ignore_file;
  if (ignore.empty()) {
    for (const std::string& candidate : opts.default_ignore_files) {
      if (Exists(candidate)) {
        ignore = candidate;
        break;
      }
    }
  }
  if (!ignore.empty()) {
    if (ignore.ends_with(".yaml") || ignore.ends_with(".yml")) {
      return InputError(
          "{}: a YAML ignore file (Trivy's .trivyignore.yaml) is not read by --ignorefile; "
          "write an --ignore-policy (docs/policy.md)",
          Printable(ignore));
    }
    ASSIGN_OR_RETURN(std::string text, ReadCapped(ignore, kMaxIgnoreFileBytes, "ignore file"));
    ASSIGN_OR_RETURN(IgnoreFile f, ParseIgnoreFile(text, ignore, opts.today, data->warnings));
    data->ignore = std::move(f);
  }
  if (!opts.policy_file.empty()) {
    ASSIGN_OR_RETURN(std::string text, ReadCapped(opts.policy_file, kMaxPolicyFileBytes, "ignore policy"));
    ASSIGN_OR_RETURN(PolicyFile p, ParsePolicyFile(text, opts.policy_file, opts.today, data->warnings));
    data->policy = std::move(p);
  }
  for (const std::string& path : opts.vex_files) {
    ASSIGN_OR_RETURN(std::string text, ReadCapped(path, kMaxVexFileBytes, "VEX document"));
    RETURN_IF_ERROR(AddVexDocument(data->vex, text, path));
  }
  IndexVex(data->vex);
  data->warnings.insert(data->warnings.end(), data->vex.warnings.begin(), data->vex.warnings.end());
  return Policy(std::move(data));
}

Applied Apply(const Policy& policy, std::vector<Finding> findings, const Subject& subject) {
  Applied out;
  const PolicyData& d = policy.data();
  Scopes scopes(d.vex, subject);
  for (Finding& f : findings) {
    if (f.fingerprint.empty()) f.Fingerprint();
    if (policy.empty()) {
      out.kept.push_back(std::move(f));
      continue;
    }
    const Subjectish s = Describe(f);
    std::optional<Suppression> why;
    if (d.policy) why = ByPolicy(*d.policy, s);
    if (!why && d.ignore) why = ByIgnoreFile(*d.ignore, s);
    std::optional<Suppression> note;
    if (!why) {
      if (const VexStatement* st = ByVex(d.vex, s, scopes)) {
        if (st->status == VexStatus::kNotAffected || st->status == VexStatus::kFixed) {
          why = FromVex(*st);
        } else {
          note = FromVex(*st);
        }
      }
    }
    if (why) {
      f.suppression = std::move(why);
      out.suppressed.push_back(std::move(f));
    } else {
      f.vex_note = std::move(note);
      out.kept.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace drydock::policy
