#include "secret/engine.h"

#include <hs/hs.h>
#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstring>
#include <mutex>
#include <optional>

#include "base/digest.h"
#include "base/path.h"
#include "secret/compiled_cache.h"
#include "secret/grammar.h"
#include "secret/kubernetes.h"

namespace drydock::secret {

namespace {

// A text with more Vectorscan hits than this is scanned in part: keeps a
// hostile file of keyword hits from costing a confirm step per byte.
constexpr size_t kMaxHits = 20000;
constexpr size_t kMaxMatches = 1000;
// The confirm window around a hit end: back far enough for the longest
// rule (multi-line PEM headers), forward to finish greedy repeats.
constexpr size_t kWindowBack = 4096;
constexpr size_t kWindowForward = 1536;
constexpr size_t kEvidenceMax = 100;

// Documentation, man pages, CA bundles and the test fixtures of vendored
// packages: example keys live there (Trivy users' main source of noise).
constexpr const char* kAllowPaths[] = {
    R"(^/usr/share/(?:doc|man|info|locale|i18n|help|gtk-doc|javadoc|common-licenses)/)",
    R"(^/usr/include/)",
    R"(^/(?:etc/ssl/certs|usr/share/ca-certificates|etc/pki/(?:tls|ca-trust)|etc/ca-certificates)/)",
    R"(/(?:node_modules|site-packages|dist-packages|vendor|pkg/mod|gems)/(?:[^/]+/)*(?:tests?|__tests__|spec|fixtures?|testdata|examples?)/)",
    R"(_test\.go$)",
    R"(/testdata/)",
    R"(^/usr/(?:local/)?lib/python[0-9.]+/test/)",
    R"(\.(?:js|css)\.map$)",
};

// Substrings (lower case) that make a value a placeholder.
constexpr std::string_view kPlaceholderParts[] = {
    "example", "changeme", "change_me", "change-me", "changeit", "placeholder", "your_", "your-", "yourapi", "yourkey",
    "yoursecret", "yourpass", "dummy", "sample", "redacted", "xxxx", "****", "....", "<", ">", "${", "{{", "%(", "$(",
    "fake", "insert", "replace", "todo", "fixme", "0123456", "123456789", "abcdefgh", "notreal", "not_real", "not-real",
    "secretkey", "mysecret", "mypassword", "password123", "p@ssw0rd", "hunter2",
    // the signature of jwt.io's documented example token
    "sflkxwrjsmekkf2qt4fwpmejf36pok6yjv_adqssw5c"};
constexpr std::string_view kPlaceholderValues[] = {
    "password",  "passwd",    "secret",   "token", "null",    "none",     "true",     "false",
    "undefined", "empty",     "admin",    "root",  "default", "required", "optional", "string",
    "pass",      "proxypass", "passw0rd", "pwd",   "test",    "testing",  "username"};

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool Base64UserPass(std::string_view s) {
  static constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : s) {
    if (c == '=') break;
    const size_t v = kAlphabet.find(c);
    if (v == std::string_view::npos) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  const size_t colon = out.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 >= out.size()) return false;
  const std::string_view pass = std::string_view(out).substr(colon + 1);
  if (!std::all_of(out.begin(), out.end(), [](char c) { return c >= 0x20 && c < 0x7f; })) return false;
  return !IsPlaceholder(pass);
}


// A Kubernetes data value written as a block scalar is one base64 text
// over several lines: its blanks and line ends are not part of it.
std::string WithoutBlanks(const Rule& r, std::string_view value) {
  if (r.check != Rule::Check::kKubernetesData) return std::string(value);
  std::string out;
  for (char c : value) {
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') out += c;
  }
  return out;
}

// Whether a pattern can match a line end other than as a one-character
// boundary class: \s, \n or \r outside a negated class, or a repeated
// negated class that does not exclude them. Conservative: when unsure, yes.
bool MayCrossLines(std::string_view re) {
  for (size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '\\' && i + 1 < re.size()) {
      const char e = re[++i];
      if (e == 's' || e == 'n' || e == 'r' || e == 'S' || e == 'W' || e == 'D') return true;
      continue;
    }
    if (re[i] != '[') continue;
    const bool negated = i + 1 < re.size() && re[i + 1] == '^';
    bool excludes_newline = false;
    size_t e = i + 1;
    for (; e < re.size() && re[e] != ']'; ++e) {
      if (re[e] == '\\' && e + 1 < re.size()) {
        excludes_newline |= re[e + 1] == 's' || re[e + 1] == 'n';
        ++e;
      }
    }
    if (negated && !excludes_newline && e + 1 < re.size() && (re[e + 1] == '{' || re[e + 1] == '*' || re[e + 1] == '+')) {
      return true;
    }
    i = e;
  }
  return false;
}

// "[kK][eE][yY]" → "key", and *folded set: a pattern whose case-pair
// classes are folded matches a superset of the original when compiled
// caseless.
std::string FoldCasePairs(std::string_view re, bool* folded) {
  std::string out;
  for (size_t i = 0; i < re.size(); ++i) {
    if (re[i] == '\\' && i + 1 < re.size()) {
      out += re.substr(i, 2);
      ++i;
      continue;
    }
    if (re[i] == '[' && i + 3 < re.size() && re[i + 3] == ']' && std::islower(static_cast<unsigned char>(re[i + 1])) &&
        re[i + 2] == std::toupper(static_cast<unsigned char>(re[i + 1])) && (i == 0 || re[i - 1] != '\\')) {
      out += re[i + 1];
      *folded = true;
      i += 3;
      continue;
    }
    out += re[i];
  }
  return out;
}

// Vectorscan's form of a pattern widens every bounded repeat whose upper
// bound is kWidenFrom or more to an unbounded one ("X{3,128}" → "X{3,}"):
// counting repeats are most of the compile time (1.0 s → 0.25 s for the
// built-in rules), and the widened pattern matches a superset. Vectorscan
// reports every end offset of every match, so the end of each exact match is
// still a hit; the confirm step (the exact pattern, on the hit's line or
// window) decides, as before.
constexpr size_t kWidenFrom = 17;

std::string WidenRepeats(std::string_view re) {
  std::string out;
  bool in_class = false;
  for (size_t i = 0; i < re.size(); ++i) {
    const char c = re[i];
    if (c == '\\' && i + 1 < re.size()) {
      out += re.substr(i, 2);
      ++i;
      continue;
    }
    if (in_class) {
      in_class = c != ']';
      out += c;
      continue;
    }
    if (c == '[') {
      in_class = true;
      out += c;
      // "[]…]" and "[^]…]": the first ']' is a member.
      if (i + 1 < re.size() && re[i + 1] == '^') out += re[++i];
      if (i + 1 < re.size() && re[i + 1] == ']') out += re[++i];
      continue;
    }
    if (c == '{') {
      const size_t close = re.find('}', i), comma = re.find(',', i);
      if (close != std::string_view::npos && comma < close) {
        const std::string_view lo = re.substr(i + 1, comma - i - 1), hi = re.substr(comma + 1, close - comma - 1);
        const bool digits = !lo.empty() && !hi.empty() && std::all_of(lo.begin(), lo.end(), ::isdigit) &&
                            std::all_of(hi.begin(), hi.end(), ::isdigit);
        if (digits && hi.size() < 9 && std::stoul(std::string(hi)) >= kWidenFrom) {
          out += "{" + std::string(lo) + ",}";
          i = close;
          continue;
        }
      }
    }
    out += c;
  }
  return out;
}

struct HsDatabaseFree {
  void operator()(hs_database_t* d) const { hs_free_database(d); }
};
struct HsScratchFree {
  void operator()(hs_scratch_t* s) const { hs_free_scratch(s); }
};

// Each thread keeps one scratch, grown to fit every database it has used
// (hs_alloc_scratch accepts an existing scratch); cloning one per file
// would cost an allocation per file, and even a no-op hs_alloc_scratch per
// file shows in profiles, so it runs only when the engine changes (engines
// are told apart by a serial number: a freed database's address may be
// reused).
hs_scratch_t* ThreadScratch(std::initializer_list<const hs_database_t*> dbs, uint64_t engine_serial) {
  thread_local std::unique_ptr<hs_scratch_t, HsScratchFree> scratch;
  thread_local uint64_t sized_for = 0;
  if (scratch && sized_for == engine_serial) return scratch.get();
  hs_scratch_t* raw = scratch.release();
  for (const hs_database_t* db : dbs) {
    if (hs_alloc_scratch(db, &raw) != HS_SUCCESS) {
      hs_free_scratch(raw);
      sized_for = 0;
      return nullptr;
    }
  }
  scratch.reset(raw);
  sized_for = engine_serial;
  return raw;
}

// Why hs_compile_multi refused a pattern set, and which expression (-1: none).
struct CompileFailure {
  std::string why;
  int at = -1;
};

// The patterns compiled in block mode, or null with `failure` filled.
hs_database_t* CompileBlock(const PatternSet& p, CompileFailure& failure) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(p.expressions.data(), p.flags.data(), p.ids.data(), static_cast<unsigned>(p.expressions.size()),
                       HS_MODE_BLOCK, nullptr, &db, &err) == HS_SUCCESS) {
    return db;
  }
  failure.why = err && err->message ? err->message : "compile failed";
  failure.at = err ? err->expression : -1;
  hs_free_compile_error(err);
  return nullptr;
}

int OnAllowedPath(unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
  *static_cast<bool*>(ctx) = true;
  return 1;  // one match is enough
}

std::atomic<uint64_t> engine_serials{0};

struct Hit {
  unsigned rule;
  size_t end;
};

struct HitState {
  std::vector<Hit> hits;
  std::vector<size_t> last_end;  // per rule: the last recorded hit end
  const char* text = nullptr;
  bool capped = false;
};

int OnHit(unsigned id, unsigned long long, unsigned long long to, unsigned, void* ctx) {
  auto& st = *static_cast<HitState*>(ctx);
  size_t& last = st.last_end[id];
  // Greedy repeats report every end; one hit per rule and 256 bytes is
  // enough, the confirm window reaches past it — on the same line: a
  // one-line rule's window is the hit's line.
  // Vectorscan may report a rule's ends out of order (an end before the last
  // one seen): compare the two ends either way round.
  if (last != SIZE_MAX) {
    const size_t lo = std::min<size_t>(last, to), hi = std::max<size_t>(last, to);
    if (hi - lo < 256 && std::memchr(st.text + lo, '\n', hi - lo) == nullptr) return 0;
  }
  if (last == SIZE_MAX || to > last) last = static_cast<size_t>(to);
  st.hits.push_back({id, static_cast<size_t>(to)});
  if (st.hits.size() >= kMaxHits) {
    st.capped = true;
    return 1;
  }
  return 0;
}

void PutField(Sha256& h, std::string_view s) {
  h.Update(fmt::format("{}:", s.size()));
  h.Update(s);
}

std::string EngineKey(const std::vector<Rule>& rules, const Config& config, const std::array<unsigned char, 32>& key) {
  Sha256 h;
  PutField(h, "secret engine 2");
  for (const Rule& r : rules) {
    // Every field: adding one to Rule fails to compile here until the key
    // covers it.
    const auto& [id, category, title, severity, keywords, regex, grammar, caseless, min_entropy, path, check] = r;
    PutField(h, id);
    PutField(h, category);
    PutField(h, title);
    PutField(h, fmt::format("{} {} {} {}", static_cast<int>(severity), caseless, min_entropy, static_cast<int>(check)));
    PutField(h, std::to_string(keywords.size()));
    for (const auto& k : keywords) PutField(h, k);
    PutField(h, regex);
    PutField(h, grammar);
    PutField(h, path);
  }
  for (const auto* list : {&config.allow_paths, &config.allow_regexes}) {
    PutField(h, std::to_string(list->size()));
    for (const auto& p : *list) PutField(h, p);
  }
  // Digests made with another key do not group with this one's.
  PutField(h, Sha256Of(std::string_view(reinterpret_cast<const char*>(key.data()), key.size())).hex);
  return h.Finish().hex;
}

}  // namespace

namespace {

// A rule's std::regex, compiled on first use (thread-safe). A scan confirms
// the hits of a few rules, a warm one (every layer answered by the layer
// cache, only the config scanned) often of none, and compiling every rule's
// regex up front cost more than all the rest of such a scan.
class LazyRegex {
 public:
  LazyRegex(std::string pattern, std::regex::flag_type flags) : pattern_(std::move(pattern)), flags_(flags) {}
  // Already compiled (the user's patterns: a bad one fails Engine::Create).
  explicit LazyRegex(std::regex re) {
    std::call_once(once_, [&] { re_ = std::move(re); });
  }
  // Null when the pattern does not compile (the built-in ones all do: their
  // samples are confirmed in tests/secret).
  const std::regex* get() const {
    std::call_once(once_, [&] {
      try {
        re_.emplace(pattern_, flags_);
      } catch (const std::regex_error&) {
      }
    });
    return re_ ? &*re_ : nullptr;
  }

 private:
  std::string pattern_;
  std::regex::flag_type flags_{};
  mutable std::once_flag once_;
  mutable std::optional<std::regex> re_;
};

}  // namespace

struct Engine::Compiled {
  uint64_t serial = 0;
  std::unique_ptr<hs_database_t, HsDatabaseFree> db;
  std::vector<std::unique_ptr<LazyRegex>> confirm;  // per rule
  std::vector<std::unique_ptr<LazyRegex>> path;     // per rule; null: any path
  // Per rule: its grammar, when that checks more than the pattern can (a
  // checksum, decoded content).
  std::vector<std::optional<Grammar>> validate;
  // Per rule: whether a match may span lines (PEM blocks, netrc). A rule
  // whose match stays on one line is confirmed on the hit's line only, not in
  // a 5.5 KiB window.
  std::vector<bool> multiline;
  // The built-in allow paths, in one Vectorscan database: every file's path
  // is tested, and std::regex there cost more than the secret scan itself.
  std::unique_ptr<hs_database_t, HsDatabaseFree> allow_db;
  std::vector<std::regex> allow_paths;  // the user's (ECMAScript)
  std::vector<std::regex> allow_values;
};

Engine::~Engine() = default;

Result<std::shared_ptr<const Engine>> Engine::Create(const Config& config, const std::string& cache_dir) {
  std::shared_ptr<Engine> e(new Engine());
  e->compiled_ = std::make_unique<Compiled>();
  Compiled& c = *e->compiled_;
  c.serial = ++engine_serials;
  auto strip = [](std::string_view id) { return id.starts_with("DD-SECRET-") ? id.substr(10) : id; };
  std::vector<bool> used(config.disable.size());
  for (const Rule& r : BuiltinRules()) {
    bool disabled = false;
    for (size_t i = 0; i < config.disable.size(); ++i) {
      if (strip(config.disable[i]) == r.id) disabled = used[i] = true;
    }
    const bool replaced =
        std::any_of(config.rules.begin(), config.rules.end(), [&](const Rule& u) { return u.id == r.id; });
    if (!disabled && !replaced) e->rules_.push_back(r);
  }
  for (const Rule& u : config.rules) {
    bool disabled = false;
    for (size_t i = 0; i < config.disable.size(); ++i) {
      if (strip(config.disable[i]) == u.id) disabled = used[i] = true;
    }
    // User rules go before the generic assignments so they win overlaps.
    if (!disabled) e->rules_.insert(e->rules_.begin(), u);
  }
  for (size_t i = 0; i < config.disable.size(); ++i) {
    if (!used[i]) return InputError("secret config: disable: unknown rule id {:?}", Printable(config.disable[i], 80));
  }
  auto flags_of = [](bool caseless) {
    auto flags = std::regex::ECMAScript | std::regex::multiline;
    if (caseless) flags |= std::regex::icase;
    return flags;
  };
  auto ecma = [&](const std::string& pattern, bool caseless, std::string_view what) -> Result<std::regex> {
    try {
      return std::regex(pattern, flags_of(caseless));
    } catch (const std::regex_error& err) {
      return InputError("secret config: {}: invalid regex: {}", what, err.what());
    }
  };
  // The user's patterns are compiled now, so that a bad one is an error
  // here; the built-in ones when a hit needs them.
  auto regex_of = [&](const std::string& pattern, bool caseless, bool user,
                      std::string_view what) -> Result<std::unique_ptr<LazyRegex>> {
    if (!user) return std::make_unique<LazyRegex>(pattern, flags_of(caseless));
    ASSIGN_OR_RETURN(auto re, ecma(pattern, caseless, what));
    return std::make_unique<LazyRegex>(std::move(re));
  };
  PatternSet patterns;
  std::vector<std::string> hs_forms(e->rules_.size());  // kept alive through the compile
  for (size_t i = 0; i < e->rules_.size(); ++i) {
    const Rule& r = e->rules_[i];
    const bool user =
        std::any_of(config.rules.begin(), config.rules.end(), [&](const Rule& u) { return u.id == r.id; });
    ASSIGN_OR_RETURN(auto confirm, regex_of(r.regex, r.caseless, user, "rule " + r.id));
    c.confirm.push_back(std::move(confirm));
    if (r.path.empty()) {
      c.path.emplace_back();
    } else {
      ASSIGN_OR_RETURN(auto p, regex_of(r.path, false, user, "rule " + r.id + " path"));
      c.path.push_back(std::move(p));
    }
    std::optional<Grammar> g;
    if (!r.grammar.empty()) {
      std::string why;
      g = Grammar::Parse(r.grammar, &why);
      if (!g) return InputError("secret config: rule {}: grammar: {}", r.id, why);
      // A stringData value has no pattern but its grammar: always checked.
      if (!g->validates() && r.check != Rule::Check::kKubernetesStringData) g.reset();
    }
    c.validate.push_back(std::move(g));
    c.multiline.push_back(MayCrossLines(r.regex));
    if (r.check == Rule::Check::kPkcs12File) continue;  // matches files, not text: not in the database
    // Vectorscan only finds candidates: a key spelt in [kK][eE][yY] classes
    // is given to it as a caseless pattern, which compiles much faster and
    // finds a superset; the confirm step keeps the exact case rules.
    bool folded = false;
    hs_forms[i] = WidenRepeats(FoldCasePairs(r.regex, &folded));
    patterns.expressions.push_back(hs_forms[i].c_str());
    patterns.flags.push_back(HS_FLAG_MULTILINE | (r.caseless || folded ? HS_FLAG_CASELESS : 0u));
    patterns.ids.push_back(static_cast<unsigned>(i));
  }
  if (patterns.expressions.empty()) return InputError("secret config: every rule is disabled");
  const std::string key = CompiledKey(patterns, HS_MODE_BLOCK);
  hs_database_t* db = LoadCompiled(cache_dir, key);
  const bool from_cache = db != nullptr;
  CompileFailure failure;
  if (!from_cache && (db = CompileBlock(patterns, failure)) == nullptr) {
    if (failure.at >= 0 && static_cast<size_t>(failure.at) < e->rules_.size()) {
      return InputError("secret config: rule {}: pattern not supported by Vectorscan: {}", e->rules_[failure.at].id,
                        failure.why);
    }
    return InputError("secret rules: {}", failure.why);
  }
  c.db.reset(db);
  if (!from_cache) StoreCompiled(cache_dir, key, db);
  {
    PatternSet allow;
    for (const char* p : kAllowPaths) {
      allow.expressions.push_back(p);
      allow.flags.push_back(HS_FLAG_SINGLEMATCH);
      allow.ids.push_back(static_cast<unsigned>(allow.ids.size()));
    }
    // Kept in the cache dir like the rules: compiling it costs more than
    // everything else a warm scan does.
    const std::string allow_key = CompiledKey(allow, HS_MODE_BLOCK);
    hs_database_t* adb = LoadCompiled(cache_dir, allow_key);
    if (adb == nullptr) {
      adb = CompileBlock(allow, failure);
      if (adb == nullptr) return InputError("secret allow paths: {}", failure.why);  // built in: a test catches it
      StoreCompiled(cache_dir, allow_key, adb);
    }
    c.allow_db.reset(adb);
  }
  for (const auto& p : config.allow_paths) {
    ASSIGN_OR_RETURN(auto re, ecma(p, false, "allow.paths"));
    c.allow_paths.push_back(std::move(re));
  }
  for (const auto& p : config.allow_regexes) {
    ASSIGN_OR_RETURN(auto re, ecma(p, false, "allow.regexes"));
    c.allow_values.push_back(std::move(re));
  }
  e->value_key_ = ValueKey(cache_dir);
  e->cache_key_ = EngineKey(e->rules_, config, e->value_key_);
  return std::shared_ptr<const Engine>(std::move(e));
}

bool Engine::PathAllowed(std::string_view path) const {
  const Compiled& c = *compiled_;
  hs_scratch_t* scratch = ThreadScratch({c.db.get(), c.allow_db.get()}, c.serial);
  bool allowed = false;
  if (scratch != nullptr && !path.empty() && path.size() < UINT32_MAX) {
    hs_scan(c.allow_db.get(), path.data(), static_cast<unsigned>(path.size()), 0, scratch, OnAllowedPath, &allowed);
  }
  if (allowed) return true;
  for (const auto& re : c.allow_paths) {
    if (std::regex_search(path.begin(), path.end(), re)) return true;
  }
  return false;
}

ScanOutcome Engine::Scan(std::string_view text, std::string_view path) const {
  ScanOutcome out;
  const Compiled& c = *compiled_;
  if (text.empty() || text.size() > UINT32_MAX) return out;
  hs_scratch_t* scratch = ThreadScratch({c.db.get(), c.allow_db.get()}, c.serial);
  if (scratch == nullptr) {
    out.truncated = "cannot allocate Vectorscan scratch";
    return out;
  }
  HitState st;
  st.last_end.assign(rules_.size(), SIZE_MAX);
  st.text = text.data();
  hs_scan(c.db.get(), text.data(), static_cast<unsigned>(text.size()), 0, scratch, OnHit, &st);
  if (st.capped) out.truncated = fmt::format("more than {} candidate matches; scanned in part", kMaxHits);
  if (st.hits.empty()) return out;

  // Confirm, rule by rule (table order: specific rules first), in merged
  // windows around the hits.
  std::stable_sort(st.hits.begin(), st.hits.end(),
                   [](const Hit& a, const Hit& b) { return a.rule != b.rule ? a.rule < b.rule : a.end < b.end; });
  std::vector<Match> found;
  std::vector<std::pair<size_t, size_t>> taken;  // secret spans already claimed
  auto overlaps = [&](size_t b, size_t e) {
    return std::any_of(taken.begin(), taken.end(), [&](const auto& t) { return b < t.second && t.first < e; });
  };
  // A candidate secret of `rule` at [b, e) in a match at [mb, me): kept when
  // it passes the grammar's check, the value filters and the allow-rules.
  auto consider = [&](unsigned rule, size_t b, size_t e, size_t mb, size_t me) {
    if (e <= b || overlaps(b, e)) return;
    const std::string_view value = text.substr(b, e - b);
    if (c.validate[rule] && !c.validate[rule]->Accepts(WithoutBlanks(rules_[rule], value))) return;
    if (!PassesValueFilters(rules_[rule], value)) return;
    const bool allowed = std::any_of(c.allow_values.begin(), c.allow_values.end(), [&](const std::regex& re) {
      return std::regex_search(value.begin(), value.end(), re);
    });
    if (allowed) return;
    Match match;
    match.rule = rule;
    match.begin = b;
    match.end = e;
    match.value = std::string(value);
    // Evidence: the matched text with its identifier, the secret redacted.
    for (size_t n = 0; n < 48 && mb > 0; ++n) {
      const char ch = text[mb - 1];
      if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.' || ch == '-')) break;
      --mb;
    }
    std::string ev = std::string(text.substr(mb, b - mb)) + Redact(value) + std::string(text.substr(e, me - e));
    if (ev.size() > kEvidenceMax) {
      // Keep the redacted secret in view: cut the context before it.
      const size_t lead = b - mb;
      ev = lead > kEvidenceMax / 2 ? "…" + ev.substr(lead - kEvidenceMax / 2) : ev;
      if (ev.size() > kEvidenceMax) ev = ev.substr(0, kEvidenceMax) + "…";
    }
    match.evidence = Printable(ev, kEvidenceMax + 8);
    taken.emplace_back(b, e);
    found.push_back(std::move(match));
  };
  for (size_t i = 0; i < st.hits.size() && found.size() < kMaxMatches;) {
    const unsigned rule = st.hits[i].rule;
    const Rule& r = rules_[rule];
    size_t j = i;
    while (j < st.hits.size() && st.hits[j].rule == rule) ++j;
    const std::regex* path_re = c.path[rule] ? c.path[rule]->get() : nullptr;
    const bool path_ok =
        !c.path[rule] || (path_re != nullptr && !path.empty() && std::regex_search(path.begin(), path.end(), *path_re));
    if (path_ok && (r.check == Rule::Check::kKubernetesData || r.check == Rule::Check::kKubernetesStringData)) {
      // The hit is a `kind: Secret` line; the secrets are in its manifest.
      size_t read_to = 0;
      for (size_t k = i; k < j && found.size() < kMaxMatches; ++k) {
        if (st.hits[k].end < read_to) continue;  // the same manifest
        const ManifestValues vals =
            KubernetesSecretValues(text, st.hits[k].end, r.check == Rule::Check::kKubernetesStringData);
        read_to = vals.read_to;
        for (const ManifestValue& v : vals.values) {
          if (found.size() >= kMaxMatches) break;
          size_t mb = v.begin;
          if (!v.block) {
            const size_t ls = text.rfind('\n', v.begin);
            mb = ls == std::string_view::npos ? 0 : ls + 1;
            while (mb < v.begin && (text[mb] == ' ' || text[mb] == '\t' || text[mb] == '-')) ++mb;
          }
          consider(rule, v.begin, v.end, mb, v.end);
        }
      }
      i = j;
      continue;
    }
    const std::regex* confirm = path_ok ? c.confirm[rule]->get() : nullptr;
    if (path_ok && confirm == nullptr) out.truncated = fmt::format("rule {}: pattern does not compile", r.id);
    for (size_t k = i; confirm != nullptr && k < j && found.size() < kMaxMatches;) {
      size_t from = 0, to = 0;
      if (!c.multiline[rule]) {
        // The hit's line (the match may end by consuming its newline), at
        // most kWindowBack before the hit and kWindowForward after it.
        const size_t hit = st.hits[k].end;
        size_t probe = hit > 0 ? hit - 1 : 0;
        if (probe > 0 && text[probe] == '\n') --probe;
        const size_t ls = text.rfind('\n', probe);
        from = ls == std::string_view::npos ? 0 : ls + 1;
        if (hit > kWindowBack) from = std::max(from, hit - kWindowBack);
        const size_t le = text.find('\n', hit);
        to = std::min(le == std::string_view::npos ? text.size() : le, hit + kWindowForward);
        to = std::max(to, std::min(hit, text.size()));
        while (k + 1 < j && st.hits[k + 1].end <= to) ++k;
        ++k;
      } else {
        from = st.hits[k].end > kWindowBack ? st.hits[k].end - kWindowBack : 0;
        const size_t nl = text.rfind('\n', from);
        if (from > 0 && nl != std::string_view::npos && from - nl < kWindowBack) from = nl + 1;
        to = std::min(text.size(), st.hits[k].end + kWindowForward);
        while (k + 1 < j && st.hits[k + 1].end <= to + kWindowBack) {
          ++k;
          to = std::min(text.size(), st.hits[k].end + kWindowForward);
        }
        ++k;
        const size_t eol = text.find('\n', to);
        if (eol != std::string_view::npos && eol - to < 1024) to = eol;
      }
      const std::string_view window = text.substr(from, to - from);
      try {
        // The next search starts where the secret ends, not where the match
        // does: a rule's trailing boundary class consumes one character,
        // which may be the leading boundary of the next token ("a,b").
        const char* const wend = window.data() + window.size();
        std::cmatch m;
        for (const char* at = window.data();
             at <= wend && found.size() < kMaxMatches &&
             std::regex_search(at, wend, m, *confirm,
                               at == window.data() && from == 0 ? std::regex_constants::match_default
                                                                : std::regex_constants::match_prev_avail);) {
          // The secret is the first capture group that took part (a rule may
          // have alternative forms, each with its group), else the match.
          size_t g = 0;
          for (size_t k = 1; k < m.size() && g == 0; ++k) g = m[k].matched ? k : 0;
          const size_t mpos = static_cast<size_t>(at - window.data()) + static_cast<size_t>(m.position(0));
          const size_t b = from + static_cast<size_t>(at - window.data()) + static_cast<size_t>(m.position(g));
          const size_t e = b + static_cast<size_t>(m.length(g));
          at = window.data() + std::max(e - from, mpos + 1);
          consider(rule, b, e, from + mpos, from + mpos + static_cast<size_t>(m.length(0)));
        }
      } catch (const std::regex_error&) {
        out.truncated = fmt::format("rule {}: pattern too complex for the confirm step", r.id);
      }
    }
    i = j;
  }
  if (found.size() >= kMaxMatches && out.truncated.empty()) {
    out.truncated = fmt::format("more than {} secrets; scanned in part", kMaxMatches);
  }
  std::sort(found.begin(), found.end(), [](const Match& a, const Match& b) { return a.begin < b.begin; });
  int line = 1;
  size_t pos = 0;
  for (Match& m : found) {
    line += static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(pos),
                                        text.begin() + static_cast<std::ptrdiff_t>(m.begin), '\n'));
    pos = m.begin;
    m.line = line;
  }
  out.matches = std::move(found);
  return out;
}

bool PassesValueFilters(const Rule& r, std::string_view value) {
  if (r.min_entropy > 0 && ShannonEntropy(value) < r.min_entropy) return false;
  if (r.check == Rule::Check::kBase64UserPass) return Base64UserPass(value);
  if (IsPlaceholder(value)) return false;
  if (r.check == Rule::Check::kBase64 || r.check == Rule::Check::kKubernetesData) {
    // base64 of "changeme" or of the jwt.io example is a placeholder too;
    // decoded binary (a DER key, a keystore) is no placeholder whatever its
    // bytes ('<', "....") spell.
    const std::string plain = Base64Decode(WithoutBlanks(r, value));
    const bool text = std::all_of(plain.begin(), plain.end(), [](char c) {
      const auto u = static_cast<unsigned char>(c);
      return (u >= 0x20 && u < 0x7f) || c == '\n' || c == '\r' || c == '\t';
    });
    if (text && IsPlaceholder(plain)) return false;
  }
  if (r.category == "generic" && IsCodeReference(value)) return false;
  return true;
}

namespace {

// A DER length at bytes[at]: its value and the bytes it takes; false when
// indefinite (BER 0x80), longer than 4 bytes or past the end.
bool DerLength(std::string_view bytes, size_t at, size_t* len, size_t* size) {
  if (at >= bytes.size()) return false;
  const auto first = static_cast<unsigned char>(bytes[at]);
  if (first < 0x80) {
    *len = first;
    *size = 1;
    return true;
  }
  const size_t n = first & 0x7f;
  if (n == 0 || n > 4 || at + n >= bytes.size()) return false;
  size_t v = 0;
  for (size_t k = 1; k <= n; ++k) v = (v << 8) | static_cast<unsigned char>(bytes[at + k]);
  *len = v;
  *size = n + 1;
  return true;
}

}  // namespace

bool LooksLikePkcs12Head(std::string_view b) {
  size_t len = 0, size = 0;
  if (b.size() < 8 || b[0] != 0x30 || !DerLength(b, 1, &len, &size)) return false;
  const size_t at = 1 + size;
  // PFX ::= SEQUENCE { version INTEGER {v3(3)}, authSafe ContentInfo, … }
  return b.size() > at + 3 && b.substr(at, 3) == std::string_view("\x02\x01\x03", 3) && b[at + 3] == 0x30;
}

bool IsPkcs12(std::string_view b) {
  size_t len = 0, size = 0;
  if (!LooksLikePkcs12Head(b) || !DerLength(b, 1, &len, &size) || 1 + size + len > b.size()) return false;
  size_t at = 1 + size + 3 + 1;  // the authSafe's length
  if (!DerLength(b, at, &len, &size)) return false;
  at += size;
  // ContentInfo ::= SEQUENCE { contentType OID pkcs7-data (1.2.840.113549.1.7.1) or signedData (….7.2), … }
  static constexpr std::string_view kPkcs7 = "\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07";
  return b.size() > at + kPkcs7.size() && b.substr(at, kPkcs7.size()) == kPkcs7 &&
         (b[at + kPkcs7.size()] == 0x01 || b[at + kPkcs7.size()] == 0x02);
}

std::vector<Match> Engine::MatchFile(std::string_view path, std::string_view content) const {
  std::vector<Match> out;
  const Compiled& c = *compiled_;
  for (size_t i = 0; i < rules_.size(); ++i) {
    if (rules_[i].check != Rule::Check::kPkcs12File || !c.path[i]) continue;
    const std::regex* path_re = c.path[i]->get();
    if (path_re == nullptr || !std::regex_search(path.begin(), path.end(), *path_re) || !IsPkcs12(content)) continue;
    Match m;
    m.rule = i;
    m.value = Sha256Of(content).hex;
    m.evidence = fmt::format("PKCS#12 file ({} bytes)", content.size());
    out.push_back(std::move(m));
  }
  return out;
}

bool IsCodeReference(std::string_view v) {
  static const std::regex kDotted(R"(^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$)");
  return std::regex_search(v.begin(), v.end(), kDotted);
}

std::string Redact(std::string_view secret) {
  const size_t keep = std::min<size_t>(4, secret.size() / 4);
  return std::string(secret.substr(0, keep)) + "****";
}

double ShannonEntropy(std::string_view s) {
  if (s.empty()) return 0;
  std::array<size_t, 256> counts{};
  for (unsigned char c : s) ++counts[c];
  double h = 0;
  const double n = static_cast<double>(s.size());
  for (size_t k : counts) {
    if (k == 0) continue;
    const double p = static_cast<double>(k) / n;
    h -= p * std::log2(p);
  }
  return h;
}

bool LooksBinary(std::string_view head) {
  head = head.substr(0, 1024);
  size_t control = 0;
  for (unsigned char c : head) {
    if (c == 0) return true;
    if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f' && c != 0x1b) ++control;
  }
  return control * 10 > head.size();
}

namespace {

// Whether value[at, at+n) — a placeholder part found case-insensitively —
// reads as a word someone wrote rather than letters a random token happens
// to contain. Parts of five or more characters, or with non-letters, are
// too unlikely by chance to doubt. A four-letter part ("fake", "todo",
// "xxxx") turns up in about one random 100-character token in 1,500
// ("SAfakeEF5", "PTODOzq"), so it counts only when written as a word: at
// the start, after a non-letter or at a lower-to-upper case change, and in
// one case (fake, FAKE, Fake) — "sk_test_fake", "FAKE_KEY", "myFakeToken",
// "ghp_xxxx…", "AKIA1234XXXX…" still are placeholders.
bool WrittenAsAWord(std::string_view value, size_t at, size_t n) {
  const std::string_view part = value.substr(at, n);
  auto alpha = [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; };
  auto upper = [](char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; };
  if (n >= 5 || !std::all_of(part.begin(), part.end(), alpha)) return true;
  const bool starts = at == 0 || !alpha(value[at - 1]) || (!upper(value[at - 1]) && upper(part[0]));
  if (!starts) return false;
  const std::string_view rest = part.substr(1);
  const bool all_lower = std::none_of(part.begin(), part.end(), upper);
  const bool all_upper = std::all_of(part.begin(), part.end(), upper);
  const bool capitalized = upper(part[0]) && std::none_of(rest.begin(), rest.end(), upper);
  return all_lower || all_upper || capitalized;
}

}  // namespace

bool IsPlaceholder(std::string_view value) {
  const std::string lower = Lower(value);
  for (std::string_view v : kPlaceholderValues) {
    if (lower == v) return true;
  }
  for (std::string_view p : kPlaceholderParts) {
    for (size_t at = lower.find(p); at != std::string::npos; at = lower.find(p, at + 1)) {
      if (WrittenAsAWord(value, at, p.size())) return true;
    }
  }
  std::array<bool, 256> seen{};
  size_t distinct = 0;
  for (unsigned char c : value) distinct += !std::exchange(seen[c], true);
  return distinct < 5;
}

std::string Engine::ValueDigest(std::string_view value) const {
  Sha256 h;
  h.Update(std::string_view(reinterpret_cast<const char*>(value_key_.data()), value_key_.size()));
  h.Update(value);
  return h.Finish().str();
}

}  // namespace drydock::secret
