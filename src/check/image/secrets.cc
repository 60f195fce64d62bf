// CIS Docker Benchmark 4.10: secrets kept in ENV and ARG. Names and obvious
// values only; the content scanner (src/secret/) finds secrets in files, and
// its findings on the same variable are merged with these by rule id.
#include <algorithm>
#include <set>

#include "check/image/check.h"
#include "check/image/groups.h"

namespace drydock {

namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  return out;
}

std::vector<std::string> NameTokens(std::string_view name) {
  std::vector<std::string> out(1);
  for (char c : Upper(name)) {
    if (c == '_' || c == '-' || c == '.') {
      if (!out.back().empty()) out.emplace_back();
    } else {
      out.back() += c;
    }
  }
  if (out.back().empty()) out.pop_back();
  return out;
}

bool Has(const std::vector<std::string>& toks, std::string_view t) {
  return std::find(toks.begin(), toks.end(), t) != toks.end();
}

bool AllOf(std::string_view s, std::string_view set) { return s.find_first_not_of(set) == std::string_view::npos; }

// A value that points somewhere else or is obviously not a real secret.
bool IsReferenceOrPlaceholder(std::string_view v) {
  if (v.starts_with('/') || v.starts_with("./") || v.starts_with('$') || v.starts_with("file:") || v.starts_with("<") ||
      v.starts_with("{{") || v.starts_with("%"))
    return true;
  std::string u = Upper(v);
  for (std::string_view p : {"NONE", "NULL", "TRUE", "FALSE", "YES", "NO", "CHANGEME", "CHANGE_ME", "EXAMPLE",
                             "PLACEHOLDER", "REDACTED", "SECRET", "PASSWORD", "TODO", "DUMMY", "XXX", "***"}) {
    if (u == p) return true;
  }
  return AllOf(v, "*xX.-_ ") || (AllOf(v, "0123456789") && v.size() < 4);
}

// Values that are secrets whatever the variable is called.
bool IsObviousSecretValue(std::string_view v) {
  auto alnum_upper = [](std::string_view s) { return AllOf(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"); };
  if ((v.starts_with("AKIA") || v.starts_with("ASIA")) && v.size() == 20 && alnum_upper(v.substr(4))) return true;
  for (std::string_view p : {"ghp_", "gho_", "ghs_", "ghu_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-",
                             "sk_live_", "rk_live_", "npm_", "-----BEGIN"}) {
    if (v.starts_with(p) && v.size() >= p.size() + 16) return true;
  }
  if (v.starts_with("-----BEGIN") && v.find("PRIVATE KEY") != std::string_view::npos) return true;
  // scheme://user:password@host
  if (size_t scheme = v.find("://"); scheme != std::string_view::npos) {
    std::string_view rest = v.substr(scheme + 3);
    size_t at = rest.find('@');
    size_t slash = rest.find('/');
    if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash)) {
      size_t colon = rest.substr(0, at).find(':');
      if (colon != std::string_view::npos && colon + 1 < at && !rest.substr(colon + 1, at - colon - 1).starts_with('$'))
        return true;
    }
  }
  return false;
}

// A key-like value: long, one word, letters and digits mixed.
bool LooksKeyLike(std::string_view v) {
  if (v.size() < 16 || v.find(' ') != std::string_view::npos) return false;
  bool digit = false, alpha = false;
  for (char c : v) {
    digit |= c >= '0' && c <= '9';
    alpha |= (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }
  return digit && alpha;
}

struct EnvSource {
  std::string name;
  std::string value;
  std::string field;  // "config.Env" or "ARG"
  size_t history = SIZE_MAX;
};

std::string_view Trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

void CheckSecretEnv(const ImageCheckInput& in, const CheckRule& rule, std::vector<Finding>& out) {
  const auto& history = in.image.config.history;
  std::vector<EnvSource> vars;
  for (const auto& e : in.image.config.env) {
    size_t eq = e.find('=');
    if (eq == std::string::npos) continue;
    EnvSource v{e.substr(0, eq), e.substr(eq + 1), "config.Env"};
    // The ENV step that set it, for the finding's created_by.
    for (size_t i = history.size(); i-- > 0;) {
      HistoryStep step = ParseHistoryStep(history[i].created_by);
      if (step.instruction == "ENV" && (step.args.starts_with(v.name + "=") || step.args.starts_with(v.name + " ") ||
                                        step.args.find(" " + v.name + "=") != std::string::npos)) {
        v.history = i;
        break;
      }
    }
    vars.push_back(std::move(v));
  }
  for (size_t i = 0; i < history.size(); ++i) {
    HistoryStep step = ParseHistoryStep(history[i].created_by);
    for (auto& [k, val] : step.build_args) vars.push_back({k, val, "ARG", i});
    if (step.instruction == "ARG") {
      std::string_view a = Trimmed(step.args);
      size_t eq = a.find('=');
      if (eq != std::string_view::npos)
        vars.push_back({std::string(a.substr(0, eq)), std::string(a.substr(eq + 1)), "ARG", i});
    }
  }
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& v : vars) {
    if (!LooksLikeSecret(v.name, v.value) || !seen.insert({v.name, v.value}).second) continue;
    Finding f = v.history != SIZE_MAX ? FindingAtHistory(rule, in, v.history) : MakeFinding(rule);
    // Named as the secret scanner names config locations, so the scan stage
    // can keep one finding when both report the same variable.
    f.location.config_field = v.field == "ARG" ? fmt::format("history[{}].created_by", v.history)
                                                : fmt::format("config.Env[{}]", v.name.substr(0, 64));
    f.evidence = fmt::format(
        "{} {}={} is stored in the image {}", v.field == "ARG" ? "ARG" : "ENV", v.name, RedactValue(v.value),
        v.field == "ARG" ? "history (docker history shows it)" : "config (docker inspect shows it)");
    out.push_back(std::move(f));
  }
}

}  // namespace

bool LooksLikeSecret(std::string_view name, std::string_view raw_value) {
  std::string_view value = raw_value;
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
    value = value.substr(1, value.size() - 2);
  if (value.empty()) return false;
  if (IsObviousSecretValue(value)) return true;
  if (IsReferenceOrPlaceholder(value)) return false;
  const auto toks = NameTokens(name);
  if (toks.empty()) return false;
  // Where a value lives or what it is called, not the value: *_FILE,
  // *_PATH, *_ID, *_USER, … and public key material (GPG_KEY fingerprints
  // in official images).
  for (std::string_view t : {"FILE", "PATH", "DIR", "ID", "USER", "USERNAME", "NAME", "URL", "HOST", "PORT", "LENGTH",
                             "SIZE", "TYPE", "MODE", "ENABLED", "VERSION", "ALGORITHM", "REGION"}) {
    if (toks.back() == t) return false;
  }
  if (Has(toks, "GPG") || Has(toks, "PGP") || Has(toks, "PUBLIC") || Has(toks, "PUB")) return false;
  if (toks.size() == 1 && (toks[0] == "PWD" || toks[0] == "OLDPWD")) return false;  // working directory
  for (std::string_view t : {"PASSWORD", "PASSWD", "PASS", "PWD", "SECRET", "SECRETS", "TOKEN", "APIKEY", "CREDENTIALS",
                             "CREDENTIAL", "PASSPHRASE", "PRIVATEKEY"}) {
    if (Has(toks, t)) return true;
  }
  // "PRIVATE_KEY", "ACCESS_KEY", "API_KEY", "SECRET_KEY": a key named as one.
  if (Has(toks, "KEY") && (Has(toks, "PRIVATE") || Has(toks, "ACCESS") || Has(toks, "API") || Has(toks, "SIGNING") ||
                           Has(toks, "ENCRYPTION") || Has(toks, "MASTER")))
    return true;
  // Any other *_KEY only with a key-like value (Dockle's *_KEY rule broke CI
  // on names like CACHE_KEY=v2).
  if (Has(toks, "KEY") || Has(toks, "AUTH")) return LooksKeyLike(value);
  return false;
}

std::string RedactCreatedBy(std::string_view created_by) {
  std::string out(created_by);
  HistoryStep step = ParseHistoryStep(created_by);
  std::vector<std::pair<std::string, std::string>> pairs = step.build_args;
  if (step.instruction == "ENV" || step.instruction == "ARG") {
    // "K=v K2=v2" (BuildKit, legacy ARG) or "K v" (legacy ENV).
    std::string_view a = step.args;
    size_t eq = a.find('='), sp = a.find(' ');
    if (eq == std::string_view::npos && sp != std::string_view::npos) {
      pairs.emplace_back(a.substr(0, sp), a.substr(sp + 1));
    } else {
      for (const auto& c : ShellCommands(a))
        for (const auto& w : c)
          if (size_t e = w.find('='); e != std::string::npos) pairs.emplace_back(w.substr(0, e), w.substr(e + 1));
    }
  }
  for (const auto& [k, v] : pairs) {
    if (v.empty() || !LooksLikeSecret(k, v)) continue;
    for (size_t at = out.find(v); at != std::string::npos; at = out.find(v, at + 1))
      out.replace(at, v.size(), RedactValue(v));
  }
  return out;
}

std::string RedactValue(std::string_view value) {
  if (value.size() < 8) return fmt::format("****** ({} chars)", value.size());
  return fmt::format("{}****** ({} chars)", value.substr(0, 2), value.size());
}

void SecretEnvChecks(std::vector<CheckRule>& rules) {
  rules.push_back(CheckRule{
      .id = "DD-CIS-4.10",
      .cis = "4.10",
      .severity = Severity::kHigh,
      .title = "Secret in ENV or ARG",
      .rationale = "ENV values are in the image config and ARG values in its history: anyone who can pull the image "
                   "reads them with docker inspect / docker history, and every container inherits ENV.",
      .remediation = "Pass secrets at run time (docker run --env-file, Docker/Kubernetes secrets) and at build time "
                     "with RUN --mount=type=secret,id=… ; never ENV or ARG.",
      .references = {"CIS Docker Benchmark v1.6.0 4.10", "Dockle CIS-DI-0010",
                     "https://docs.docker.com/build/building/secrets/"},
      .run = &CheckSecretEnv,
  });
}

}  // namespace drydock
