#include "secret/analyzer.h"

#include <algorithm>
#include <tuple>

#include "base/path.h"

namespace drydock::secret {

namespace {

constexpr std::string_view kRemediation =
    "Revoke and rotate this credential, then remove it from the image: deleting it in a later layer leaves it in "
    "the earlier one, and ENV, LABEL and build ARG values stay in the config and history. Supply it at run time "
    "(an orchestrator secret, a mounted file) or at build time with RUN --mount=type=secret.";

// Text, and PKCS#12 files (binary, matched as a whole by the file rules).
bool KeepTextHead(std::string_view head) { return !LooksBinary(head) || LooksLikePkcs12Head(head); }

Finding MakeFinding(const Engine& engine, const Rule& rule, const Match& m, Location loc) {
  Finding f;
  f.rule_id = rule.FullId();
  f.kind = FindingKind::kSecret;
  f.severity = rule.severity;
  f.title = rule.title;
  f.description = fmt::format("A {} ({}) is stored in the image, where anyone who can pull the image can read it.",
                              rule.title, rule.category);
  f.remediation = std::string(kRemediation);
  f.location = std::move(loc);
  f.evidence = m.evidence;
  f.references = {"https://docs.docker.com/build/building/secrets/"};
  f.secret_digest = engine.ValueDigest(m.value);
  return f;
}

// Config keys as a shell would spell them, so the *_PASSWORD style rules see
// labels such as "db.password" too.
std::string EnvStyle(std::string_view key) {
  std::string out(key);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    } else if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      c = '_';
    }
  }
  return out;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ' ';
    out += p;
  }
  return out;
}

void ReplaceAll(std::string& s, const std::vector<std::pair<std::string, std::string>>& subst);
// A shared text is replaced by its rewritten copy (other holders keep theirs).
void ReplaceAll(SharedText& t, const std::vector<std::pair<std::string, std::string>>& subst) {
  std::string s = t;
  ReplaceAll(s, subst);
  t = s;
}
void ReplaceAll(std::string& s, const std::vector<std::pair<std::string, std::string>>& subst) {
  for (const auto& [from, to] : subst) {
    for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) {
      s.replace(at, from.size(), to);
    }
  }
}

void RedactLocation(Location& loc, const std::vector<std::pair<std::string, std::string>>& subst) {
  ReplaceAll(loc.created_by, subst);
  ReplaceAll(loc.path, subst);
  ReplaceAll(loc.config_field, subst);
}

}  // namespace

SecretAnalyzer::SecretAnalyzer(std::shared_ptr<const Engine> engine) : engine_(std::move(engine)) {
  wants_.all_regular_files = true;
  wants_.max_size = kMaxFileBytes;
  wants_.keep_head = &KeepTextHead;
  wants_.quiet_over_limit = true;
}

void SecretAnalyzer::OnFile(const FileNode& node, std::string_view content, LayerResult& out) const {
  if (engine_->PathAllowed(node.path)) return;
  for (const Match& m : engine_->MatchFile(node.path, content)) {
    Location loc;
    loc.path = node.path;
    out.findings.push_back(MakeFinding(*engine_, engine_->rules()[m.rule], m, std::move(loc)));
  }
  if (LooksBinary(content)) return;
  ScanOutcome scan = engine_->Scan(content, node.path);
  if (!scan.truncated.empty()) out.diagnostics.push_back({node.path, "secret: " + scan.truncated});
  for (const Match& m : scan.matches) {
    Location loc;
    loc.path = node.path;
    loc.line = m.line;
    out.findings.push_back(MakeFinding(*engine_, engine_->rules()[m.rule], m, std::move(loc)));
  }
}

std::vector<Finding> ScanImageConfig(const Engine& engine, const ImageInfo& image, std::vector<std::string>& values) {
  std::vector<Finding> out;
  auto scan = [&](std::string_view text, size_t value_from, std::string field) {
    ScanOutcome s = engine.Scan(text, "");
    for (const Match& m : s.matches) {
      if (m.end <= value_from) continue;  // in a label's key, not its value
      Location loc;
      loc.config_field = field;
      values.push_back(m.value);
      out.push_back(MakeFinding(engine, engine.rules()[m.rule], m, std::move(loc)));
    }
  };
  const ImageConfig& cfg = image.config;
  for (const auto& kv : cfg.env) {
    const size_t eq = kv.find('=');
    scan(kv, 0, fmt::format("config.Env[{}]", kv.substr(0, std::min<size_t>(eq, 64))));
  }
  for (const auto& [key, value] : cfg.labels) {
    const std::string text = EnvStyle(key) + "=" + value;
    scan(text, key.size() + 1, fmt::format("config.Labels[{}]", key.substr(0, 64)));
  }
  if (!cfg.entrypoint.empty()) scan(Join(cfg.entrypoint), 0, "config.Entrypoint");
  if (!cfg.cmd.empty()) scan(Join(cfg.cmd), 0, "config.Cmd");
  if (cfg.healthcheck) scan(Join(cfg.healthcheck->test), 0, "config.Healthcheck");
  for (size_t i = 0; i < cfg.history.size(); ++i) {
    scan(cfg.history[i].created_by, 0, fmt::format("history[{}].created_by", i));
  }
  return out;
}

void MergeSameSecrets(std::vector<Finding>& findings) {
  auto key = [](const Finding& f) {
    const Location& l = f.location;
    return std::make_tuple(l.layer_index < 0, l.layer_index, l.path, l.line, l.config_field);
  };
  std::vector<Finding> secrets, rest;
  for (Finding& f : findings)
    (f.kind == FindingKind::kSecret && !f.secret_digest.empty() ? secrets : rest).push_back(std::move(f));
  std::stable_sort(secrets.begin(), secrets.end(), [&](const Finding& a, const Finding& b) {
    return std::tie(a.secret_digest) != std::tie(b.secret_digest) ? a.secret_digest < b.secret_digest : key(a) < key(b);
  });
  findings = std::move(rest);
  for (size_t i = 0; i < secrets.size();) {
    size_t j = i + 1;
    while (j < secrets.size() && secrets[j].secret_digest == secrets[i].secret_digest) {
      secrets[i].more_locations.push_back(secrets[j].location);
      for (auto& l : secrets[j].more_locations) secrets[i].more_locations.push_back(std::move(l));
      ++j;
    }
    secrets[i].Fingerprint();
    findings.push_back(std::move(secrets[i]));
    i = j;
  }
  SortFindings(findings);
}

void RedactEverywhere(const std::vector<std::string>& values, ScanResult& result) {
  std::vector<std::pair<std::string, std::string>> subst;
  for (const auto& v : values) {
    if (v.empty()) continue;
    subst.emplace_back(v, Redact(v));
  }
  // Longest first, so a value inside another is not half-replaced.
  std::sort(subst.begin(), subst.end(), [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
  subst.erase(std::unique(subst.begin(), subst.end()), subst.end());
  if (subst.empty()) return;
  ImageConfig& cfg = result.image.config;
  for (auto& e : cfg.env) ReplaceAll(e, subst);
  std::map<std::string, std::string> labels;
  for (const auto& [key, value] : cfg.labels) {
    std::string k = key, v = value;
    ReplaceAll(k, subst);
    ReplaceAll(v, subst);
    labels[k] = v;
  }
  cfg.labels = std::move(labels);
  for (auto& s : cfg.entrypoint) ReplaceAll(s, subst);
  for (auto& s : cfg.cmd) ReplaceAll(s, subst);
  if (cfg.healthcheck) {
    for (auto& s : cfg.healthcheck->test) ReplaceAll(s, subst);
  }
  ReplaceAll(cfg.working_dir, subst);
  ReplaceAll(cfg.user, subst);
  for (auto& h : cfg.history) {
    ReplaceAll(h.created_by, subst);
    ReplaceAll(h.comment, subst);
  }
  for (auto& l : result.image.layers) ReplaceAll(l.created_by, subst);
  for (auto& l : result.summary.layers) ReplaceAll(l.created_by, subst);
  for (auto& f : result.findings) {
    ReplaceAll(f.title, subst);
    ReplaceAll(f.description, subst);
    ReplaceAll(f.evidence, subst);
    RedactLocation(f.location, subst);
    for (auto& l : f.more_locations) RedactLocation(l, subst);
  }
  if (result.inventory) {
    for (auto& p : result.inventory->packages) ReplaceAll(p.created_by, subst);
  }
  for (auto& d : result.diagnostics) {
    ReplaceAll(d.where, subst);
    ReplaceAll(d.message, subst);
  }
}

}  // namespace drydock::secret
