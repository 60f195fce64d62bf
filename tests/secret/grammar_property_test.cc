// Property test of the secret rules against their grammars (secret/grammar.h):
// for every built-in rule, valid tokens generated from the rule's grammar
// (1,000 per rule in the default run, 10 under the sanitizers; the opt-in
// `scripts/test --explore N` runs 10,000 per rule with fresh seeds) are written in every context a secret
// appears in — a bare line, the end of the file without a newline, KEY=…,
// "…", '…', a JSON value, a YAML value, URL userinfo, after `export`,
// followed by ; , ) ' `, CRLF line ends, and for keyword-anchored rules the
// assignment forms of shell, Makefile, Dockerfile, TOML, INI, XML, Java, Go,
// PHP, Python, JS, C# and Ruby — and each must be found by its rule with the
// exact span. Near misses made by the same generator (one character short, a
// character outside the alphabet, placeholder values) must not be found.
//
// The random source is seeded: DRYDOCK_TEST_SEED=N picks another seed (the
// seed is printed, and named in every failure); DRYDOCK_SECRET_TOKENS=N
// another count per rule.
#include <gtest/gtest.h>

#include <cstdint>
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "secret/engine.h"
#include "secret/grammar.h"
#include "secret/rules.h"

namespace drydock::secret {
namespace {

uint64_t EnvNumber(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  if (v == nullptr || *v == '\0') return fallback;
  return std::strtoull(v, nullptr, 10);
}

uint64_t Seed() { return EnvNumber("DRYDOCK_TEST_SEED", 20261207); }

size_t TokensPerRule() {
#ifdef DRYDOCK_SANITIZED
  constexpr size_t kDefault = 10;  // memory safety on every rule's tokens; recall is the release run's
#else
  constexpr size_t kDefault = 10000;  // ~2-3 s per rule; --explore runs as many with fresh seeds
#endif
  return static_cast<size_t>(EnvNumber("DRYDOCK_SECRET_TOKENS", kDefault));
}

// splitmix64, one stream per rule: a rule's tokens do not depend on the
// rules before it.
struct Rng {
  uint64_t s;
  uint64_t operator()() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
};

Rng RuleRng(const std::string& id) {
  uint64_t h = Seed();
  for (char c : id) h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ULL;
  return Rng{h};
}

// A context: a line template with {K} (the key) and {T} (the token with the
// grammar's pre and post text). `bare`: for rules that find a token without
// a key; `keyed`: for keyword-anchored rules.
struct Context {
  const char* name;
  const char* line;
  bool bare;
  bool keyed;
  bool crlf = false;
  bool json = false;  // pre/post newlines written as \n escapes
};

const std::vector<Context>& Contexts() {
  static const std::vector<Context> c = {
      {"bare", "{T}", true, false},
      {"kv", "{K}={T}", true, true},
      {"dquote", "\"{T}\"", true, false},
      {"squote", "'{T}'", true, false},
      {"kv-dquote", "{K}=\"{T}\"", true, true},
      {"kv-squote", "{K}='{T}'", true, true},
      {"json", "{\"{K}\": \"{T}\"}", true, true, false, true},
      {"yaml", "  {K}: {T}", true, true},
      {"yaml-quoted", "  {K}: \"{T}\"", true, true},
      {"url-userinfo", "https://deploy:{T}@host.invalid/repo.git", true, false},
      {"export", "export {K}={T}", true, true},
      {"semicolon", "{K}={T};", true, true},
      {"comma", "{K}={T}, next=1", true, true},
      {"paren", "call({K}={T})", true, true},
      {"bare-paren", "f({T})", true, false},
      {"bare-comma", "{T},", true, false},
      {"bare-semicolon", "{T};", true, false},
      {"squote-after", "x='{T}'", true, false},
      {"backtick", "`{T}`", true, false},
      {"kv-backtick", "{K}=`{T}`", false, true},
      {"crlf", "{K}={T}", true, true, true},
      {"crlf-bare", "{T}", true, false, true},
      // The assignment forms of the keyword context (rules.cc ASSIGN).
      {"lower-key", "{k}={T}", false, true},
      {"spaced", "{K} = {T}", false, true},
      {"make-immediate", "{K} := {T}", false, true},
      {"make-posix", "{K} ::= {T}", false, true},
      {"make-conditional", "{K} ?= {T}", false, true},
      {"make-append", "{K} += {T}", false, true},
      {"dockerfile-env", "ENV {K}={T} OTHER=1", false, true},
      {"toml", "{k} = \"{T}\"", false, true},
      {"ini", "{k}={T}", false, true},
      {"xml", "  <{k}>{T}</{k}>", false, true},
      {"java-properties", "{k}: {T}", false, true},
      {"go-var", "var {k} string = \"{T}\"", false, true},
      {"go-raw", "{k} := `{T}`", false, true},
      {"php-var", "${k} = '{T}';", false, true},
      {"php-append", "${k} .= '{T}';", false, true},
      {"php-define", "define('{K}', '{T}');", false, true},
      {"python-raw", "{k} = r\"{T}\"", false, true},
      {"js-object", "  {k}: \"{T}\",", false, true},
      {"js-const", "const {k} = '{T}';", false, true},
      {"csharp-verbatim", "string {k} = @\"{T}\";", false, true},
      {"ruby-hash", "  :{k} => '{T}',", false, true},
      {"set-property", "props.setProperty(\"{k}\", \"{T}\");", false, true},
  };
  return c;
}

std::string Replace(std::string s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
    s.replace(at, from.size(), to);
  }
  return s;
}

bool Allowed(const Grammar& g, const Context& c) {
  if (!g.only().empty()) {
    bool listed = false;
    for (const auto& o : g.only()) listed |= o == c.name || (o == "bare" && std::string_view(c.name) == "crlf-bare");
    if (!listed) return false;
  }
  if (!g.key().empty() && !g.bare()) return c.keyed;
  if (!g.key().empty()) return c.keyed || c.bare;
  // Structured secrets (a PEM block, a URL's password) are not put inside
  // another URL.
  if ((!g.pre().empty() || !g.post().empty()) && std::string_view(c.name) == "url-userinfo") return false;
  return c.bare;
}

// The line for `token` in `c`, and where the token starts in it.
std::string Place(const Grammar& g, const Context& c, const std::string& token, size_t* at) {
  std::string pre = g.pre(), post = g.post();
  if (c.json) pre = Replace(pre, "\n", "\\n"), post = Replace(post, "\n", "\\n");
  // A bare token is written after a key named like a secret; a structured
  // one (a connection string, a PEM block) after a neutral key, lest the
  // generic rule rightly report the key's whole value.
  const std::string key = !g.key().empty()                      ? g.key()
                          : g.pre().empty() && g.post().empty() ? "API_TOKEN"
                                                                : "SETTING";
  std::string lower = key;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  std::string line = Replace(Replace(c.line, "{K}", key), "{k}", lower);
  const size_t t = line.find("{T}");
  line.replace(t, 3, pre + token + post);
  *at = t + pre.size();
  if (c.crlf) {
    // Newlines inside pre/post become CRLF too; the token's offset moves by
    // the CRs added before it.
    const size_t crs = static_cast<size_t>(std::count(line.begin(), line.begin() + *at, '\n'));
    line = Replace(line, "\n", "\r\n");
    *at += crs;
  }
  return line;
}

std::shared_ptr<const Engine> Builtin() {
  static auto engine = Engine::Create(Config{});
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return *engine;
}

// Whether the engine's value filters (entropy floor, placeholder words, code
// references) accept the token: a token they reject is not a valid secret of
// the rule by its own definition, and is drawn again (and counted).
bool PassesFilters(const Rule& r, const std::string& v) {
  // The checks every confirmed match gets, bar docker auths' decoding (the
  // grammar's userpass64 makes only user:password).
  return r.check == Rule::Check::kBase64UserPass ? !(r.min_entropy > 0 && ShannonEntropy(v) < r.min_entropy)
                                                  : PassesValueFilters(r, v);
}

struct Tally {
  size_t generated = 0, found = 0, redrawn = 0;
  size_t near_total = 0, near_found = 0;
  std::vector<std::string> failures;
};

void Fail(Tally& t, std::string what) {
  if (t.failures.size() < 5) t.failures.push_back(std::move(what));
}

std::string Printable(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 300)) {
    if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else out += c;
  }
  return out;
}

constexpr size_t kBatch = 400;  // tokens per scanned text (the engine reports ≤ 1000 per text)

// Scans `lines` joined by `sep` (no newline after the last: the end-of-file
// context in every batch) and checks every expected span was reported by
// `rule`, and nothing else.
void CheckBatch(const Engine& engine, const Rule& rule, const std::string& path, const std::vector<std::string>& lines,
                const std::vector<std::pair<size_t, size_t>>& spans, const char* sep, const char* ctx, Tally& t) {
  std::string text;
  std::vector<std::pair<size_t, size_t>> abs;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i > 0) text += sep;
    abs.emplace_back(text.size() + spans[i].first, text.size() + spans[i].first + spans[i].second);
    text += lines[i];
  }
  const ScanOutcome out = engine.Scan(text, path);
  std::map<std::pair<size_t, size_t>, std::string> got;
  for (const Match& m : out.matches) got[{m.begin, m.end}] = engine.rules()[m.rule].id;
  for (size_t i = 0; i < abs.size(); ++i) {
    ++t.generated;
    auto it = got.find(abs[i]);
    if (it != got.end() && it->second == rule.id) {
      ++t.found;
      got.erase(it);
      continue;
    }
    std::string seen;
    for (const Match& m : out.matches) {
      if (m.begin < abs[i].second && abs[i].first < m.end) {
        seen += " " + engine.rules()[m.rule].id + "@[" + std::to_string(m.begin - abs[i].first) + "," +
                std::to_string(m.end - abs[i].first) + ")";
      }
    }
    Fail(t, std::string(ctx) + ": not found: " + Printable(lines[i]) + (seen.empty() ? "" : " (found:" + seen + ")"));
  }
  for (const auto& [span, id] : got) {
    Fail(t, std::string(ctx) + ": extra match by " + id + ": " + Printable(text.substr(span.first, span.second - span.first)));
  }
  if (!out.truncated.empty()) Fail(t, std::string(ctx) + ": truncated: " + out.truncated);
}

TEST(SecretGrammar, GitHubChecksumMatchesTheDocumentedFormat) {
  // A revoked token's random part and checksum, as published.
  EXPECT_EQ(Base62Checksum(Crc32("fIkRGaBu5PeKsznMzXQOg3kETH1Sgx")), "2oIfSC");
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);  // the CRC-32 check value
  auto g = Grammar::Parse("'ghp_' alnum{30} crc32b62");
  ASSERT_TRUE(g);
  EXPECT_TRUE(g->Accepts("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"));
  EXPECT_FALSE(g->Accepts("ghp_fIkRGaBu5PeKsznMzXQOg3kETH1Sgx2oIfSD"));
  EXPECT_FALSE(g->Accepts("ghp_fIkRGaBu5PeKsznMzXQOg3kETH1Sgy2oIfSC"));
}

TEST(SecretGrammar, ParsesItsTextForm) {
  auto g = Grammar::Parse(R"('a'|'bb' [x-z_]{2,3} hex{1} @key=K_EY @pre=p\sq @post=\n @only=kv,json)");
  ASSERT_TRUE(g);
  EXPECT_EQ(g->key(), "K_EY");
  EXPECT_EQ(g->pre(), "p q");
  EXPECT_EQ(g->post(), "\n");
  EXPECT_EQ(g->only(), (std::vector<std::string>{"kv", "json"}));
  EXPECT_TRUE(g->Accepts("ax_f"));
  EXPECT_TRUE(g->Accepts("bbzzz0"));
  EXPECT_FALSE(g->Accepts("cx_f"));
  EXPECT_FALSE(g->Accepts("ax_zz0"));
  EXPECT_FALSE(g->Accepts("axf"));
  for (const char* bad : {"", "'open", "hex", "hex{3", "nope{2}", "hex{3,1}", "@what=1 hex{1}"}) {
    std::string why;
    EXPECT_FALSE(Grammar::Parse(bad, &why)) << bad;
    EXPECT_FALSE(why.empty()) << bad;
  }
}

TEST(SecretGrammar, EveryBuiltinRuleDeclaresAGrammarThatParses) {
  for (const Rule& r : BuiltinRules()) {
    std::string why;
    EXPECT_FALSE(r.grammar.empty()) << r.id;
    EXPECT_TRUE(Grammar::Parse(r.grammar, &why)) << r.id << ": " << why;
  }
}

// One case per rule (ctest runs them in parallel, and names the rule that
// fails).
class SecretRuleProperty : public testing::TestWithParam<std::string> {};

// A parameter's rules: one rule, or every rule for "all" (the sanitizer
// build's single case: one process compiles the rules once, ~10 s under
// ASan, instead of once per rule).
std::vector<std::string> RulesOf(const std::string& param) {
  if (param != "all") return {param};
  std::vector<std::string> ids;
  for (const Rule& r : BuiltinRules()) ids.push_back(r.id);
  return ids;
}

TEST_P(SecretRuleProperty, FindsEveryValidTokenInEveryContextAndNoNearMiss) {
  const uint64_t seed = Seed();
  const size_t per_rule = TokensPerRule();
  auto engine = Builtin();
  for (const std::string& want : RulesOf(GetParam())) {
    const Rule* found_rule = nullptr;
    for (const Rule& r : BuiltinRules()) {
      if (r.id == want) found_rule = &r;
    }
    ASSERT_NE(found_rule, nullptr);
    const Rule& rule = *found_rule;
    auto g = Grammar::Parse(rule.grammar);
    ASSERT_TRUE(g) << rule.id;
    if (g->file()) {
      std::cout << "secret property test: " << rule.id << " matches files, not tokens (SecretPkcs12 cases)\n";
      continue;
    }
    Rng rng = RuleRng(rule.id);
    const Grammar::Random next = [&rng] { return rng(); };
    const std::string path = g->path().empty() ? "/app/config" : g->path();
    Tally t;
    // Valid tokens: each in every allowed context.
    std::vector<const Context*> contexts;
    for (const Context& c : Contexts()) {
      if (Allowed(*g, c)) contexts.push_back(&c);
    }
    ASSERT_FALSE(contexts.empty()) << rule.id;
    for (size_t done = 0; done < per_rule;) {
      const size_t n = std::min(kBatch, per_rule - done);
      std::vector<std::string> tokens;
      while (tokens.size() < n) {
        std::string tok = g->Generate(next);
        EXPECT_TRUE(g->Accepts(tok)) << rule.id << ": generated a token its grammar refuses: " << tok;
        if (!PassesFilters(rule, tok)) {
          ++t.redrawn;
          continue;
        }
        tokens.push_back(std::move(tok));
      }
      for (const Context* c : contexts) {
        std::vector<std::string> lines;
        std::vector<std::pair<size_t, size_t>> spans;
        for (const std::string& tok : tokens) {
          size_t at = 0;
          lines.push_back(Place(*g, *c, tok, &at));
          spans.emplace_back(at, tok.size());
        }
        CheckBatch(*engine, rule, path, lines, spans, c->crlf ? "\r\n" : "\n", c->name, t);
      }
      done += n;
    }
    // Near misses, in the plainest contexts: none may be reported.
    const size_t near_each = std::max<size_t>(per_rule / 20, 10);
    std::vector<std::string> near;
    for (size_t i = 0; i < near_each; ++i) {
      for (std::string nm : {g->OneShort(next), g->WrongAlphabet(next), g->Placeholder(next, 0), g->Placeholder(next, 1)}) {
        if (g->Accepts(nm) && PassesFilters(rule, nm)) continue;  // by chance still a valid token
        near.push_back(std::move(nm));
      }
    }
    // (A bare rule's near miss is not written after a key: a generic rule
    // rightly reports a high-entropy value assigned to API_TOKEN.)
    for (const char* cname : {"bare", "dquote", "squote", "kv", "kv-dquote", "json"}) {
      const Context* c = nullptr;
      for (const Context& k : Contexts()) {
        if (std::string_view(k.name) == cname) c = &k;
      }
      if (c == nullptr || !Allowed(*g, *c) || (g->key().empty() && c->keyed)) continue;
      for (size_t from = 0; from < near.size(); from += kBatch) {
        std::string text;
        std::vector<std::pair<size_t, size_t>> spans;
        for (size_t i = from; i < std::min(near.size(), from + kBatch); ++i) {
          size_t at = 0;
          if (!text.empty()) text += "\n";
          const std::string line = Place(*g, *c, near[i], &at);
          spans.emplace_back(text.size() + at, text.size() + at + near[i].size());
          text += line;
        }
        const ScanOutcome out = engine->Scan(text, path);
        t.near_total += spans.size();
        for (const auto& [b, e] : spans) {
          for (const Match& m : out.matches) {
            // A generic rule rightly reports a high-entropy value assigned to
            // a key named like a secret (aws_secret_access_key=…): only the
            // rule itself, or another specific one, is a false positive here.
            const Rule& by = engine->rules()[m.rule];
            if (by.category == "generic" && rule.category != "generic") continue;
            if (m.begin < e && b < m.end) {
              ++t.near_found;
              Fail(t, std::string(cname) + ": near miss reported by " + engine->rules()[m.rule].id + ": " +
                          Printable(text.substr(b, e - b)));
              break;
            }
          }
        }
      }
    }
    std::cout << "secret property test (seed " << seed << ", DRYDOCK_TEST_SEED; " << per_rule
              << " tokens per rule, DRYDOCK_SECRET_TOKENS): " << rule.id << ": recall " << t.found << "/" << t.generated << " (" << contexts.size()
              << " contexts; " << t.redrawn << " draws refused by the value filters), near misses reported "
              << t.near_found << "/" << t.near_total << "\n";
    EXPECT_EQ(t.found, t.generated) << rule.id << " (seed " << seed << ")";
    EXPECT_EQ(t.near_found, 0u) << rule.id << " (seed " << seed << ")";
    EXPECT_TRUE(t.failures.empty()) << rule.id << " (seed " << seed << "):\n  " << [&] {
      std::string s;
      for (const auto& f : t.failures) s += f + "\n  ";
      return s;
    }();
  }
}

std::vector<std::string> RuleIds() {
#ifdef DRYDOCK_SANITIZED
  return {"all"};
#else
  return RulesOf("all");
#endif
}

INSTANTIATE_TEST_SUITE_P(Builtin, SecretRuleProperty, testing::ValuesIn(RuleIds()),
                         [](const testing::TestParamInfo<std::string>& info) {
                           std::string name = info.param;
                           for (char& c : name) c = std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
                           return name;
                         });

}  // namespace
}  // namespace drydock::secret
