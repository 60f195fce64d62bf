// Dockerfile rules from the seed practices and CIS §4: non-root USER,
// HEALTHCHECK, no secrets in ENV/ARG or RUN, --mount=type=secret, no
// curl | sh, verified downloads, no world-writable files, multi-stage builds
// when build tools are installed, no SSH port.
#include <cctype>
#include <regex>
#include <set>

#include "lint/groups.h"

namespace drydock {

namespace {

using lint::At;
using Argv = std::vector<std::string>;

// The final stage's instructions (the image that ships).
template <typename Fn>
void ForFinalStage(const Dockerfile& df, Fn fn) {
  if (df.stages.empty()) return;
  const Stage& s = df.stages.back();
  for (size_t i = s.from; i < s.end; ++i) fn(df.instructions[i]);
}

bool IsRootUser(std::string_view u) {
  std::string_view name = u.substr(0, u.find(':'));
  return name == "root" || name == "0" || name.empty();
}

// The final stage's user: its last USER, or the one it inherits from the
// earlier stage it is built FROM (FROM base).
void LastUserRoot(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  const Instruction* last = nullptr;
  for (int st : lint::StageChain(in.df, lint::FinalStage(in.df))) {
    const Stage& s = in.df.stages[static_cast<size_t>(st)];
    for (size_t i = s.from; i < s.end; ++i) {
      if (in.df.instructions[i].keyword == "USER") last = &in.df.instructions[i];
    }
    if (last) break;
  }
  if (!last || last->expanded.empty()) return;
  // "USER $APP_UID" with the value from the base image: unknown, not root.
  if (last->expanded[0].empty() && last->args[0].find('$') != std::string::npos) return;
  if (IsRootUser(last->expanded[0])) out.push_back(At(rule, in.df, *last));
}

void NoUser(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  if (in.df.stages.empty()) return;
  const Stage& s = in.df.stages.back();
  // FROM scratch images and stages built on an earlier stage inherit or
  // have no passwd; still the image runs as root unless USER says so.
  bool has_user = false;
  ForFinalStage(in.df, [&](const Instruction& ins) { has_user = has_user || ins.keyword == "USER"; });
  // A final stage that is an earlier stage with USER set inherits it.
  for (int b = s.base_stage; b >= 0 && !has_user; b = in.df.stages[static_cast<size_t>(b)].base_stage) {
    const Stage& bs = in.df.stages[static_cast<size_t>(b)];
    for (size_t i = bs.from; i < bs.end; ++i) has_user = has_user || in.df.instructions[i].keyword == "USER";
  }
  // distroless :nonroot images already run as a non-root user.
  if (s.base.find("nonroot") != std::string::npos) has_user = true;
  if (!has_user) out.push_back(At(rule, in.df, in.df.instructions[s.from], "the final stage never sets USER"));
}

void NoHealthcheck(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  if (in.df.stages.empty()) return;
  bool has = false;
  // Inherited from an earlier stage the final one is built FROM.
  for (int st : lint::StageChain(in.df, lint::FinalStage(in.df))) {
    const Stage& s = in.df.stages[static_cast<size_t>(st)];
    for (size_t i = s.from; i < s.end; ++i) has = has || in.df.instructions[i].keyword == "HEALTHCHECK";
  }
  if (!has)
    out.push_back(At(rule, in.df, in.df.instructions[in.df.stages.back().from], "no HEALTHCHECK in the final stage"));
}

void SecretVars(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out, std::string_view kw) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != kw) continue;
    for (const KeyValue& kv : ParseKeyValues(ins, in.df.escape)) {
      if (!kv.has_value || !LooksLikeSecret(kv.key, kv.value)) continue;
      Finding f = At(rule, in.df, ins, fmt::format("{} {}={}", kw, kv.key, RedactValue(kv.value)));
      f.location.created_by = fmt::format("{} {}=…", kw, kv.key);
      out.push_back(std::move(f));
    }
  }
}
void SecretEnv(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  SecretVars(in, rule, out, "ENV");
}
void SecretArg(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  SecretVars(in, rule, out, "ARG");
}

// A RUN that handles a credential without a secret mount: the value ends up
// in the layer or the build history.
void RunCredentials(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  static const std::regex kSecretVar(
      R"(\$\{?[A-Za-z_]*(PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|APIKEY|ACCESS_KEY|PRIVATE_KEY|CREDENTIALS?)[A-Za-z_]*\}?)",
      std::regex::icase);
  static const std::regex kUrlCreds(R"([a-z][a-z0-9+.-]*://[^/:@\s]+:[^/@\s]+@)");
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    if (auto m = ins.Flag("mount"); m && m->find("type=secret") != std::string::npos) continue;
    std::string why;
    for (const Argv& a : in.argvs[i]) {
      for (size_t k = 0; k < a.size() && why.empty(); ++k) {
        const std::string& w = a[k];
        // The regexes only where they can match: a '$', or "://" and '@'.
        if (w.find('$') != std::string::npos && std::regex_search(w, kSecretVar))
          why = "a credential variable is used in RUN";
        if (w.find("://") != std::string::npos && w.find('@') != std::string::npos && std::regex_search(w, kUrlCreds))
          why = "a URL with a password is used in RUN";
        if ((w == "--password" || w == "-p" || w.starts_with("--password=")) && ProgramName(a) != "mkdir" &&
            ProgramName(a) != "cp" && ProgramName(a) != "install" && ProgramName(a) != "useradd" &&
            (k + 1 < a.size() || w.starts_with("--password=")) &&
            (ProgramName(a) == "docker" || ProgramName(a).starts_with("mysql") || ProgramName(a) == "psql" ||
             w != "-p"))
          why = "a password is passed on the command line";
        if ((ProgramName(a) == "curl") && (w == "-u" || w == "--user") && k + 1 < a.size() &&
            a[k + 1].find(':') != std::string::npos)
          why = "curl -u user:password";
      }
    }
    if (!why.empty()) out.push_back(At(rule, in.df, ins, why));
  }
}

void CurlPipeShell(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    const auto& cmds = in.scripts[i].commands;
    for (size_t k = 0; k + 1 < cmds.size(); ++k) {
      const std::string p = ProgramName(in.argvs[i][k]);
      if ((p != "curl" && p != "wget") || !cmds[k].piped_out) continue;
      const std::string q = ProgramName(in.argvs[i][k + 1]);
      if (q == "sh" || q == "bash" || q == "ash" || q == "dash" || q == "zsh" || q.starts_with("python") ||
          q == "perl" || q == "ruby" || q == "node") {
        out.push_back(At(rule, in.df, ins, fmt::format("{} … | {}", p, q)));
        break;
      }
    }
  }
}

void AddUrlChecksum(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "ADD" || ins.Flag("checksum")) continue;
    const auto& a = ins.json ? ins.args : ins.expanded;
    for (size_t k = 0; k + 1 < a.size(); ++k) {
      if (a[k].starts_with("http://") || a[k].starts_with("https://")) {
        out.push_back(At(rule, in.df, ins, fmt::format("ADD {} without --checksum", lint::Shorten(a[k], 100))));
        break;
      }
    }
  }
}

bool WorldWritable(std::string_view mode) {
  if (mode.find("o+w") != std::string_view::npos || mode.find("a+w") != std::string_view::npos || mode == "+w")
    return true;
  if (mode.size() < 3 || mode.find_first_not_of("01234567") != std::string_view::npos) return false;
  const char other = mode.back();
  return other == '2' || other == '3' || other == '6' || other == '7';
}

void Chmod777(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) != "chmod") return;
    for (size_t k = 1; k < argv.size(); ++k) {
      if (argv[k].starts_with("-") && argv[k] != "-R" && argv[k].find('w') == std::string::npos) continue;
      if (WorldWritable(argv[k])) {
        out.push_back(At(rule, in.df, ins, fmt::format("chmod {}", argv[k])));
        return;
      }
    }
  });
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "COPY" && ins.keyword != "ADD") continue;
    if (auto m = ins.Flag("chmod"); m && WorldWritable(*m)) out.push_back(At(rule, in.df, ins, "--chmod=" + *m));
  }
}

void BuildToolsSingleStage(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  if (in.df.stages.size() != 1) return;
  static const std::set<std::string, std::less<>> kTools = {
      "build-essential", "gcc",        "g++",        "make",    "cmake",          "clang",       "golang",
      "golang-go",       "maven",      "gradle",     "cargo",   "rustc",          "autoconf",    "automake",
      "libtool",         "build-base", "alpine-sdk", "gcc-c++", "openjdk-17-jdk", "default-jdk", "nodejs-dev"};
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    std::string tool;
    bool removed = false;  // apk del .build-deps / apt-get purge in the same RUN: nothing ships
    for (const Argv& argv : in.argvs[i]) {
      const std::string p = ProgramName(argv);
      if ((p == "apk" && lint::Subcommand(argv, {"del"})) ||
          ((p == "apt-get" || p == "apt") && lint::Subcommand(argv, {"purge", "remove", "autoremove"})))
        removed = true;
      size_t sub = lint::Subcommand(argv, {"install", "add"});
      if (!sub || !tool.empty() || (p != "apt-get" && p != "apt" && p != "apk" && p != "yum" && p != "dnf")) continue;
      for (const std::string& pkg : lint::Operands(argv, sub, {"-t", "--virtual"})) {
        std::string name = pkg.substr(0, pkg.find_first_of("=<>~"));
        if (kTools.contains(name)) {
          tool = name;
          break;
        }
      }
    }
    if (!tool.empty() && !removed) {
      out.push_back(At(rule, in.df, ins, fmt::format("{} is installed in the only stage", tool)));
    }
  }
}

void ExposeSsh(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "EXPOSE") continue;
    for (const std::string& p : ins.expanded) {
      if (p == "22" || p == "22/tcp") out.push_back(At(rule, in.df, ins));
    }
  }
}

void InsecureTls(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    const std::string p = ProgramName(argv);
    std::string why;
    if (p == "curl" && lint::HasFlag(argv, {"--insecure", "-k"}, 'k')) why = "curl --insecure";
    if (p == "wget" && lint::HasFlag(argv, {"--no-check-certificate"})) why = "wget --no-check-certificate";
    if ((p == "pip" || p == "pip3") && lint::HasFlag(argv, {"--trusted-host"})) why = "pip --trusted-host";
    if ((p == "apt-get" || p == "apt") && lint::HasFlag(argv, {"--allow-unauthenticated", "--force-yes"}))
      why = "apt-get --allow-unauthenticated";
    if (p == "apk" && lint::HasFlag(argv, {"--allow-untrusted"})) why = "apk --allow-untrusted";
    if (p == "npm" && lint::HasWord(argv, "strict-ssl") && lint::HasWord(argv, "false")) why = "npm strict-ssl false";
    if ((p == "yum" || p == "dnf") && lint::HasFlag(argv, {"--nogpgcheck"})) why = p + " --nogpgcheck";
    if (p == "git" && lint::HasWord(argv, "http.sslVerify") && lint::HasWord(argv, "false"))
      why = "git http.sslVerify false";
    if (!why.empty()) out.push_back(At(rule, in.df, ins, why));
  });
}

void SensitiveCopy(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  static const std::regex kSensitive(
      R"((^|/)(id_rsa|id_dsa|id_ecdsa|id_ed25519|\.env|\.npmrc|\.pypirc|\.netrc|\.git-credentials|\.dockercfg|credentials|\.htpasswd)$|(^|/)\.(aws|ssh|docker|kube)(/|$)|\.(pem|key|p12|pfx|jks|keystore)$)");
  for (const Instruction& ins : in.df.instructions) {
    if ((ins.keyword != "COPY" && ins.keyword != "ADD") || ins.Flag("from")) continue;
    const auto& a = ins.json ? ins.args : ins.expanded;
    for (size_t k = 0; k + 1 < a.size(); ++k) {
      if (std::regex_search(a[k], kSensitive)) {
        out.push_back(At(rule, in.df, ins, fmt::format("{} copies {} into the image", ins.keyword, a[k])));
        break;
      }
    }
  }
}

void SudoersNopasswd(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.keyword != "RUN") continue;
    std::string text = ins.rest;
    for (const Heredoc& h : ins.heredocs) text += "\n" + h.content;
    if (text.find("NOPASSWD") != std::string::npos && text.find("sudoers") != std::string::npos) {
      out.push_back(At(rule, in.df, ins, "passwordless sudo is granted"));
    }
  }
}

void Setuid(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    if (ProgramName(argv) != "chmod") return;
    for (size_t k = 1; k < argv.size(); ++k) {
      const std::string& m = argv[k];
      const bool symbolic = m.find("+s") != std::string::npos && m.find_first_of("/.") == std::string::npos;
      const bool octal = m.size() == 4 && m.find_first_not_of("01234567") == std::string::npos &&
                         (m[0] == '2' || m[0] == '4' || m[0] == '6');
      if (symbolic || octal) {
        out.push_back(At(rule, in.df, ins, fmt::format("chmod {}", m)));
        return;
      }
    }
  });
}

void PlainHttp(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  auto http = [](const std::string& w) {
    return w.starts_with("http://") && !w.starts_with("http://localhost") && !w.starts_with("http://127.");
  };
  lint::ForEachCommand(in, [&](size_t, const Instruction& ins, const ShellCommand&, const Argv& argv) {
    const std::string p = ProgramName(argv);
    if (p != "curl" && p != "wget") return;
    for (const auto& w : argv) {
      if (http(w)) {
        out.push_back(At(rule, in.df, ins, fmt::format("{} {}", p, lint::Shorten(w, 100))));
        return;
      }
    }
  });
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "ADD") continue;
    for (const auto& w : ins.expanded) {
      if (http(w)) out.push_back(At(rule, in.df, ins, fmt::format("ADD {}", lint::Shorten(w, 100))));
    }
  }
}


// A variable named like a secret (BuildKit SecretsUsedInArgOrEnv, Hadolint
// DL3064): `_`-separated words APIKEY, AUTH, CREDENTIAL(S), KEY, PASSWORD,
// PASSWD, PWORD, SECRET, TOKEN, or PRIVATE; not *_FILE/*_PATH/*_DIR (where
// the secret lives) nor PUBLIC/GPG/PGP keys.
bool SecretName(std::string_view name) {
  std::vector<std::string> toks;
  std::string cur;
  for (char c : name) {
    if (c == '_' || c == '-' || c == '.') {
      if (!cur.empty()) toks.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    }
  }
  if (!cur.empty()) toks.push_back(cur);
  if (toks.empty()) return false;
  const std::string& last = toks.back();
  if (last == "FILE" || last == "PATH" || last == "DIR" || last == "URL" || last == "HOST" || last == "PORT") return false;
  bool secret = false;
  for (const std::string& t : toks) {
    if (t == "PUBLIC" || t == "PUB" || t == "GPG" || t == "PGP") return false;
    if (t == "APIKEY" || t == "AUTH" || t == "CREDENTIAL" || t == "CREDENTIALS" || t == "KEY" || t == "PASSWORD" ||
        t == "PASSWD" || t == "PWORD" || t == "SECRET" || t == "TOKEN" || t == "PRIVATE")
      secret = true;
  }
  return secret;
}

// Secret-named ARG/ENV whose value is not itself a literal secret (those are
// DD-DF-073/074): an ARG the build passes in (--build-arg), which stays in the
// image history, or an ENV that stays in its config.
void SecretNamedVar(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "ARG" && ins.keyword != "ENV") continue;
    for (const KeyValue& kv : ParseKeyValues(ins, in.df.escape)) {
      if (!SecretName(kv.key) || (kv.has_value && LooksLikeSecret(kv.key, kv.value))) continue;
      out.push_back(At(rule, in.df, ins,
                       fmt::format("{} {} is named like a secret: build args and ENV stay in the image", ins.keyword,
                                   kv.key)));
      break;
    }
  }
}
}  // namespace

void DockerfileSecurityRules(std::vector<LintRule>& r) {
  r.push_back({"DD-DF-070",
               Severity::kHigh,
               "The last USER of the final stage is root",
               "A container running as root turns any application compromise into root in the container, one step "
               "from the host.",
               "Create an unprivileged user and end with USER app (or a numeric UID such as USER 10001).",
               {"Hadolint DL3002", "Trivy DS002", "CIS Docker Benchmark 4.1"},
               LastUserRoot});
  r.push_back({"DD-DF-071",
               Severity::kMedium,
               "The final stage never sets a non-root USER",
               "Without USER the image runs as root by default.",
               "Add RUN useradd -r -u 10001 app (or adduser -S) and USER 10001 in the final stage.",
               {"Trivy DS002", "CIS Docker Benchmark 4.1", "Seed practice: non-root users"},
               NoUser});
  r.push_back({"DD-DF-072",
               Severity::kLow,
               "No HEALTHCHECK in the final stage",
               "Without a health check the engine cannot tell a hung service from a healthy one.",
               "Add HEALTHCHECK CMD [\"/app/healthcheck\"] (or HEALTHCHECK NONE to opt out explicitly).",
               {"Trivy DS026", "CIS Docker Benchmark 4.6", "Hadolint DL3057"},
               NoHealthcheck});
  r.push_back({"DD-DF-073",
               Severity::kCritical,
               "Secret in ENV",
               "ENV values are stored in the image config: anyone who can pull the image can read them.",
               "Supply secrets at run time (docker run --env-file, compose secrets:, a secret manager), never in ENV.",
               {"CIS Docker Benchmark 4.10", "Trivy DS031", "Seed practice: secrets at runtime", "Hadolint DL3064"},
               SecretEnv});
  r.push_back({"DD-DF-074",
               Severity::kHigh,
               "Secret in ARG",
               "Build arguments are recorded in the image history (docker history shows them).",
               "Use RUN --mount=type=secret,id=… and docker build --secret.",
               {"CIS Docker Benchmark 4.10", "Trivy DS031", "Seed practice: BuildKit secrets", "Hadolint DL3064"},
               SecretArg});
  r.push_back({"DD-DF-075",
               Severity::kHigh,
               "Credential used in RUN without --mount=type=secret",
               "A credential on a RUN line lands in the build history or a layer.",
               "RUN --mount=type=secret,id=npm_token NPM_TOKEN=$(cat /run/secrets/npm_token) npm ci",
               {"CIS Docker Benchmark 4.10", "Seed practice: BuildKit secrets"},
               RunCredentials});
  r.push_back({"DD-DF-076",
               Severity::kHigh,
               "Piping a download into a shell",
               "curl … | sh runs whatever the server (or anyone in the middle) sends, unverified.",
               "Download to a file, verify its checksum or signature, then run it.",
               {"Seed practice: verified downloads", "Hadolint DL4006"},
               CurlPipeShell});
  r.push_back({"DD-DF-077",
               Severity::kMedium,
               "ADD of a URL without --checksum",
               "ADD fetches the URL at build time without verifying what it got.",
               "ADD --checksum=sha256:<digest> <url> <dest>, or curl + sha256sum -c.",
               {"Seed practice: no ADD URL", "CIS Docker Benchmark 4.9"},
               AddUrlChecksum});
  r.push_back({"DD-DF-078",
               Severity::kMedium,
               "World-writable permissions (chmod 777)",
               "World-writable files let any process in the container change code or configuration.",
               "Give ownership to the app user (chown / COPY --chown) and use 755/644.",
               {"Seed practice: least privilege"},
               Chmod777});
  r.push_back({"DD-DF-079",
               Severity::kLow,
               "Build tools installed in a single-stage image",
               "Compilers and build tools in the shipped image add size and give an attacker a toolchain.",
               "Use a multi-stage build: compile in a builder stage, COPY --from=builder only the artefacts.",
               {"Seed practice: multi-stage builds", "CIS Docker Benchmark 4.3"},
               BuildToolsSingleStage});
  r.push_back({"DD-DF-080",
               Severity::kMedium,
               "EXPOSE 22 (SSH)",
               "Running sshd inside a container is an extra service and credential to attack; use docker exec.",
               "Remove the SSH server and EXPOSE 22.",
               {"Trivy DS004", "CIS Docker Benchmark 5.6"},
               ExposeSsh});
  r.push_back({"DD-DF-081",
               Severity::kHigh,
               "TLS or signature verification disabled",
               "curl -k, wget --no-check-certificate, --allow-unauthenticated, --nogpgcheck and friends let a "
               "network attacker replace what is installed.",
               "Remove the flag; install the CA certificate or repository key instead.",
               {"Seed practice: verified downloads"},
               InsecureTls});
  r.push_back({"DD-DF-082",
               Severity::kHigh,
               "Sensitive file copied into the image",
               "Private keys, .env files and credential files copied into a layer stay there even if deleted later.",
               "Keep them out of the build context (.dockerignore) and mount them at run time or as build secrets.",
               {"CIS Docker Benchmark 4.10", "Seed practice: secrets at runtime"},
               SensitiveCopy});
  r.push_back({"DD-DF-083",
               Severity::kHigh,
               "Passwordless sudo granted",
               "NOPASSWD sudo makes the non-root user root-equivalent.",
               "Do not install sudo; run privileged steps as root at build time.",
               {"Dockle CIS-DI-0008"},
               SudoersNopasswd});
  r.push_back({"DD-DF-084",
               Severity::kMedium,
               "setuid/setgid bit set",
               "setuid binaries are a privilege-escalation path inside the container.",
               "Remove the setuid bit; run the container with --security-opt no-new-privileges.",
               {"CIS Docker Benchmark 4.8"},
               Setuid});
  r.push_back({"DD-DF-085",
               Severity::kMedium,
               "Download over plain HTTP",
               "Content fetched over http:// can be replaced by anyone on the path.",
               "Use https:// and verify a checksum.",
               {"Seed practice: verified downloads"},
               PlainHttp});
  r.push_back({"DD-DF-088",
               Severity::kMedium,
               "ARG or ENV named like a secret",
               "Build args are recorded in the image history and ENV in its config: whoever pulls the image reads them.",
               "Pass secrets with RUN --mount=type=secret (docker build --secret) instead of ARG/ENV.",
               {"Hadolint DL3064", "BuildKit SecretsUsedInArgOrEnv", "CIS Docker Benchmark 4.10"},
               SecretNamedVar});
}

}  // namespace drydock
