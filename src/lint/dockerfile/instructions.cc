// Dockerfile rules about instructions and stages (Hadolint DL3000-DL3029,
// DL4000-DL4004 classes and BuildKit's build checks).
#include <algorithm>
#include <charconv>
#include <map>
#include <set>

#include "lint/groups.h"

namespace drydock {

namespace {

using lint::At;

// "registry.example.com:5000/team/app:1.2@sha256:…" split into parts.
struct ImageRef {
  std::string registry;  // "docker.io" when not written
  std::string repo;
  std::string tag;
  std::string digest;
};

ImageRef ParseImageRef(std::string_view s) {
  ImageRef r;
  if (size_t at = s.find('@'); at != std::string_view::npos) {
    r.digest = std::string(s.substr(at + 1));
    s = s.substr(0, at);
  }
  size_t slash = s.find('/');
  if (slash != std::string_view::npos) {
    std::string_view first = s.substr(0, slash);
    if (first.find_first_of(".:") != std::string_view::npos || first == "localhost") {
      r.registry = std::string(first);
      s = s.substr(slash + 1);
    }
  }
  if (r.registry.empty()) r.registry = "docker.io";
  size_t colon = s.rfind(':');
  if (colon != std::string_view::npos && s.find('/', colon) == std::string_view::npos) {
    r.tag = std::string(s.substr(colon + 1));
    s = s.substr(0, colon);
  }
  r.repo = std::string(s);
  return r;
}

// FROM instructions that name an image (not "scratch", not an earlier stage,
// and fully expanded).
template <typename Fn>
void ForEachBaseImage(const Dockerfile& df, Fn fn) {
  for (const Stage& s : df.stages) {
    if (s.base.empty() || s.base_stage >= 0 || lint::Lower(s.base) == "scratch") continue;
    if (s.base.find('$') != std::string::npos) continue;
    fn(s, df.instructions[s.from], ParseImageRef(s.base));
  }
}

template <typename Fn>
void ForEachKeyword(const Dockerfile& df, std::string_view kw, Fn fn) {
  for (const Instruction& ins : df.instructions) {
    if (ins.keyword == kw) fn(ins);
  }
}

void WorkdirAbsolute(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "WORKDIR", [&](const Instruction& ins) {
    if (ins.expanded.empty() || ins.unknown_value) return;  // WORKDIR ${work}: unknown, not relative
    const std::string& d = ins.expanded[0];
    // A Windows path (C:\app) or a variable left unexpanded is fine.
    if (d.starts_with("/") || d.starts_with("$") || (d.size() > 1 && d[1] == ':')) return;
    out.push_back(At(rule, in.df, ins));
  });
}

void FromUntagged(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachBaseImage(in.df, [&](const Stage&, const Instruction& ins, const ImageRef& r) {
    if (r.tag.empty() && r.digest.empty()) out.push_back(At(rule, in.df, ins));
  });
}

void FromLatest(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachBaseImage(in.df, [&](const Stage&, const Instruction& ins, const ImageRef& r) {
    if (r.tag == "latest" && r.digest.empty()) out.push_back(At(rule, in.df, ins));
  });
}

void FromDigest(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachBaseImage(in.df, [&](const Stage&, const Instruction& ins, const ImageRef& r) {
    // Untagged / latest already have their own rules.
    if (r.digest.empty() && !r.tag.empty() && r.tag != "latest") out.push_back(At(rule, in.df, ins));
  });
}

// A trusted-registry entry matches: "*" any, "*.example.com" a suffix,
// "registry.*" a prefix, else the name (docker.io also covers
// index.docker.io and hub.docker.com).
bool RegistryMatches(std::string_view pattern, std::string_view registry) {
  const std::string p = lint::Lower(pattern), r = lint::Lower(registry);
  if (p == "*") return true;
  if (p.starts_with("*")) return r.ends_with(p.substr(1));
  if (p.ends_with("*")) return r.starts_with(p.substr(0, p.size() - 1));
  if (p == "docker.io" || p == "hub.docker.com") return r == "docker.io" || r == "index.docker.io" || r == "hub.docker.com";
  return p == r;
}

void FromTrusted(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  if (in.opts.trusted_registries.empty()) return;
  auto trusted = [&](std::string_view image) {
    if (lint::Lower(image) == "scratch" || image.find('$') != std::string_view::npos) return true;
    const ImageRef r = ParseImageRef(image);
    for (const std::string& t : in.opts.trusted_registries) {
      if (RegistryMatches(t, r.registry)) return true;
    }
    return false;
  };
  auto is_stage = [&](std::string_view name, int before) {
    for (const Stage& s : in.df.stages) {
      if (s.index < before && !s.name.empty() && lint::Lower(s.name) == lint::Lower(name)) return true;
    }
    return !name.empty() && name.find_first_not_of("0123456789") == std::string_view::npos;
  };
  ForEachBaseImage(in.df, [&](const Stage&, const Instruction& ins, const ImageRef& r) {
    if (!trusted(in.df.stages[static_cast<size_t>(ins.stage)].base))
      out.push_back(At(rule, in.df, ins, fmt::format("registry {} is not in the trusted list", r.registry)));
  });
  // COPY --from=IMAGE and RUN --mount=from=IMAGE pull images too.
  for (const Instruction& ins : in.df.instructions) {
    std::vector<std::string> refs;
    if (ins.keyword == "COPY" || ins.keyword == "ADD") {
      if (auto f = ins.Flag("from")) refs.push_back(*f);
    }
    if (ins.keyword == "RUN") {
      for (const lint::Mount& m : lint::Mounts(ins)) {
        if (!m.from.empty()) refs.push_back(m.from);
      }
    }
    for (const std::string& ref : refs) {
      if (is_stage(ref, ins.stage + 1) || trusted(ref)) continue;
      out.push_back(At(rule, in.df, ins,
                       fmt::format("registry {} is not in the trusted list", ParseImageRef(ref).registry)));
      break;
    }
  }
}

bool IsNumber(std::string_view s) { return !s.empty() && s.find_first_not_of("0123456789") == std::string_view::npos; }

void CopyFromUnknown(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "COPY" && ins.keyword != "ADD") continue;
    auto from = ins.Flag("from");
    if (!from || from->empty() || from->find('$') != std::string::npos) continue;
    if (IsNumber(*from)) {
      int idx = 0;
      std::from_chars(from->data(), from->data() + from->size(), idx);
      if (idx >= ins.stage)
        out.push_back(At(rule, in.df, ins, fmt::format("--from={}: no earlier stage {}", *from, idx)));
      continue;
    }
    bool known = false;
    for (const Stage& s : in.df.stages) {
      if (s.index < ins.stage && lint::Lower(s.name) == lint::Lower(*from)) known = true;
    }
    // An image reference (with a tag, registry or path) is allowed.
    if (!known && from->find_first_of(":/@.") == std::string::npos) {
      out.push_back(At(rule, in.df, ins, fmt::format("--from={} names no earlier stage", *from)));
    }
  }
}

void CopyFromSelf(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "COPY" || ins.stage < 0) continue;
    auto from = ins.Flag("from");
    if (!from) continue;
    const Stage& s = in.df.stages[static_cast<size_t>(ins.stage)];
    if ((!s.name.empty() && lint::Lower(*from) == lint::Lower(s.name)) || *from == std::to_string(s.index)) {
      out.push_back(At(rule, in.df, ins));
    }
  }
}

void DuplicateStage(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  std::set<std::string> seen;
  for (const Stage& s : in.df.stages) {
    if (s.name.empty()) continue;
    if (!seen.insert(lint::Lower(s.name)).second) {
      out.push_back(At(rule, in.df, in.df.instructions[s.from], fmt::format("stage name {} is used twice", s.name)));
    }
  }
}

void ExecForm(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if ((ins.keyword == "CMD" || ins.keyword == "ENTRYPOINT") && !ins.json && !ins.rest.empty()) {
      out.push_back(At(rule, in.df, ins));
    }
    // HEALTHCHECK CMD in shell form (after its --interval/… flags).
    if (ins.keyword == "HEALTHCHECK" && !ins.json && ins.args.size() >= 2 && lint::Upper(ins.args[0]) == "CMD") {
      out.push_back(At(rule, in.df, ins));
    }
  }
}

// More than one `kw` in one stage: only the last one counts.
void MultipleInStage(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out,
                     std::string_view kw) {
  std::map<int, int> count;
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != kw) continue;
    if (++count[ins.stage] == 2) out.push_back(At(rule, in.df, ins));
  }
}
void MultipleCmd(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  MultipleInStage(in, rule, out, "CMD");
}
void MultipleEntrypoint(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  MultipleInStage(in, rule, out, "ENTRYPOINT");
}
void MultipleHealthcheck(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  MultipleInStage(in, rule, out, "HEALTHCHECK");
}

void Maintainer(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "MAINTAINER", [&](const Instruction& ins) { out.push_back(At(rule, in.df, ins)); });
}

bool IsUrl(std::string_view s) {
  return s.starts_with("http://") || s.starts_with("https://") || s.starts_with("git@") || s.starts_with("ftp://");
}
bool IsArchive(std::string_view s) {
  // What ADD unpacks: tar, optionally gzip/bzip2/xz compressed (a single
  // compressed file is treated the same way by Hadolint).
  for (std::string_view ext : {".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz", ".tar.zst",
                               ".gz", ".bz2", ".xz", ".zst", ".tb2", ".tz2", ".tzst"}) {
    if (s.ends_with(ext)) return true;
  }
  return false;
}

// COPY/ADD sources and destination (args minus the last), expanded.
void SourcesDest(const Instruction& ins, std::vector<std::string>& src, std::string& dest) {
  const std::vector<std::string>& a = ins.json ? ins.args : ins.expanded;
  src.clear();
  dest.clear();
  if (a.empty()) return;
  if (!ins.heredocs.empty()) {
    dest = a.back();
    return;
  }
  src.assign(a.begin(), a.end() - 1);
  dest = a.back();
}

void AddInsteadOfCopy(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "ADD", [&](const Instruction& ins) {
    std::vector<std::string> src;
    std::string dest;
    SourcesDest(ins, src, dest);
    if (src.empty()) return;
    for (const std::string& s : src) {
      if (IsUrl(s) || IsArchive(s)) return;  // ADD's own features
    }
    out.push_back(At(rule, in.df, ins));
  });
}

void CopyDestSlash(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "COPY" && ins.keyword != "ADD") continue;
    std::vector<std::string> src;
    std::string dest;
    SourcesDest(ins, src, dest);
    if (src.size() < 2 || dest.ends_with("/") || dest.find('$') != std::string::npos) continue;
    out.push_back(At(rule, in.df, ins, fmt::format("{} sources into {}", src.size(), dest)));
  }
}

void ExposeRange(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "EXPOSE", [&](const Instruction& ins) {
    for (size_t k = 0; k < ins.expanded.size(); ++k) {
      const std::string& p = ins.expanded[k];
      // EXPOSE ${PORT}: a variable is unknown, not invalid.
      if (p.find('$') != std::string::npos || (k < ins.args.size() && ins.args[k].find('$') != std::string::npos))
        continue;
      std::string_view port = std::string_view(p).substr(0, p.find('/'));
      std::string_view proto = p.find('/') == std::string::npos ? "" : std::string_view(p).substr(p.find('/') + 1);
      bool ok = true;
      size_t dash = port.find('-');
      for (std::string_view part :
           {port.substr(0, dash), dash == std::string_view::npos ? std::string_view("0") : port.substr(dash + 1)}) {
        long v = -1;
        if (!IsNumber(part) || part.size() > 6) {
          ok = false;
          break;
        }
        std::from_chars(part.data(), part.data() + part.size(), v);
        if (v < 0 || v > 65535) ok = false;
      }
      const std::string lp = lint::Lower(proto);
      if (!proto.empty() && lp != "tcp" && lp != "udp" && lp != "sctp") ok = false;
      if (!ok) out.push_back(At(rule, in.df, ins, fmt::format("EXPOSE {}", p)));
    }
  });
}

void OnbuildForbidden(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "ONBUILD", [&](const Instruction& ins) {
    if (!ins.onbuild) return;
    const std::string& k = ins.onbuild->keyword;
    if (k == "FROM" || k == "MAINTAINER" || k == "ONBUILD" || k.empty()) out.push_back(At(rule, in.df, ins));
  });
}

void EnvSelfReference(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "ENV", [&](const Instruction& ins) {
    std::vector<KeyValue> kvs = ParseKeyValues(ins, in.df.escape);
    for (size_t i = 1; i < kvs.size(); ++i) {
      for (size_t j = 0; j < i; ++j) {
        const std::string& k = kvs[j].key;
        const std::string& v = kvs[i].value;
        if (v.find("${" + k + "}") != std::string::npos || v.find("${" + k + ":") != std::string::npos) {
          out.push_back(At(rule, in.df, ins, fmt::format("{} refers to {} set in the same ENV", kvs[i].key, k)));
          return;
        }
        size_t at = v.find("$" + k);
        if (at != std::string::npos) {
          size_t end = at + 1 + k.size();
          if (end == v.size() || !(std::isalnum(static_cast<unsigned char>(v[end])) || v[end] == '_')) {
            out.push_back(At(rule, in.df, ins, fmt::format("{} refers to {} set in the same ENV", kvs[i].key, k)));
            return;
          }
        }
      }
    }
  });
}

void CopyRelativeNoWorkdir(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  std::set<int> has_workdir;
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword == "WORKDIR") has_workdir.insert(ins.stage);
    if (ins.keyword != "COPY" || has_workdir.contains(ins.stage)) continue;
    if (ins.stage >= 0 && in.df.stages[static_cast<size_t>(ins.stage)].base_stage >= 0) continue;
    std::vector<std::string> src;
    std::string dest;
    SourcesDest(ins, src, dest);
    if (dest.empty() || dest.starts_with("/") || dest.starts_with("$") || (dest.size() > 1 && dest[1] == ':')) continue;
    out.push_back(At(rule, in.df, ins));
  }
}

void LabelKey(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "LABEL", [&](const Instruction& ins) {
    for (const KeyValue& kv : ParseKeyValues(ins, in.df.escape)) {
      const std::string& k = kv.key;
      // Hadolint DL3048: starts with a lower-case letter, ends with one or a digit.
      bool ok = !k.empty() && k.front() >= 'a' && k.front() <= 'z' &&
                std::isalnum(static_cast<unsigned char>(k.back())) && k.find("..") == std::string::npos &&
                k.find("--") == std::string::npos &&
                k.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789.-") == std::string::npos;
      for (std::string_view reserved : {"com.docker.", "io.docker.", "org.dockerproject."}) {
        if (k.starts_with(reserved)) ok = false;
      }
      if (!ok) {
        out.push_back(At(rule, in.df, ins, fmt::format("label key {:?}", k)));
        return;
      }
    }
  });
}

void FromPlatform(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Stage& s : in.df.stages) {
    if (!s.platform.empty() && s.platform.find('$') == std::string::npos) {
      out.push_back(At(rule, in.df, in.df.instructions[s.from]));
    }
  }
}

const std::set<std::string, std::less<>>& KnownKeywords() {
  static const std::set<std::string, std::less<>> k = {
      "FROM",       "RUN",    "CMD",  "LABEL",   "MAINTAINER", "EXPOSE",  "ENV",        "ADD",         "COPY",
      "ENTRYPOINT", "VOLUME", "USER", "WORKDIR", "ARG",        "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL"};
  return k;
}

void UnknownInstruction(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (!KnownKeywords().contains(ins.keyword)) {
      out.push_back(At(rule, in.df, ins, fmt::format("unknown instruction {}", lint::Shorten(ins.keyword, 40))));
    } else if (ins.onbuild && !ins.onbuild->keyword.empty() && !KnownKeywords().contains(ins.onbuild->keyword)) {
      out.push_back(At(rule, in.df, ins));
    }
  }
}

void ShellJson(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "SHELL", [&](const Instruction& ins) {
    if (!ins.json) out.push_back(At(rule, in.df, ins));
  });
}

std::string_view KeywordAsWritten(const Instruction& ins) {
  std::string_view o = ins.original;
  size_t end = o.find_first_of(" \t\n");
  return o.substr(0, end);
}

void KeywordCasing(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  int upper = 0, lower = 0;
  for (const Instruction& ins : in.df.instructions) {
    std::string_view w = KeywordAsWritten(ins);
    if (w == lint::Upper(w))
      ++upper;
    else if (w == lint::Lower(w))
      ++lower;
  }
  const bool want_upper = upper >= lower;
  for (const Instruction& ins : in.df.instructions) {
    std::string_view w = KeywordAsWritten(ins);
    const bool ok = want_upper ? w == lint::Upper(w) : w == lint::Lower(w);
    if (!ok) {
      out.push_back(
          At(rule, in.df, ins,
             fmt::format("{} should be {} like the rest of the file", w, want_upper ? "upper case" : "lower case")));
    }
  }
}

void StageCasing(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Stage& s : in.df.stages) {
    const Instruction& ins = in.df.instructions[s.from];
    if (!s.name.empty() && s.name != lint::Lower(s.name)) {
      out.push_back(At(rule, in.df, ins, fmt::format("stage name {} should be lower case", s.name)));
      continue;
    }
    // "FROM x as y" / "from x AS y": AS should match the keyword's case.
    if (ins.args.size() >= 3) {
      std::string_view kw = KeywordAsWritten(ins);
      const std::string& as = ins.args[1];
      if ((kw == lint::Upper(kw) && as != "AS") || (kw == lint::Lower(kw) && as != "as")) {
        out.push_back(At(rule, in.df, ins, fmt::format("'{}' does not match the casing of '{}'", as, kw)));
      }
    }
  }
}

void UndefinedVar(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  // The base image's ENV is unknown without pulling it; report only names
  // this file declares somewhere (an ARG before FROM not re-declared in the
  // stage, a variable from another stage): those are real mistakes.
  std::set<std::string> declared;
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword != "ARG" && ins.keyword != "ENV") continue;
    for (const KeyValue& kv : ParseKeyValues(ins, in.df.escape)) declared.insert(kv.key);
  }
  for (const auto& [idx, name] : in.df.undefined_vars) {
    if (!declared.contains(name)) continue;
    out.push_back(At(rule, in.df, in.df.instructions[idx], fmt::format("${} is not defined by ARG or ENV", name)));
  }
}

void EmptyContinuation(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.empty_continuation) out.push_back(At(rule, in.df, ins));
  }
}

// Hadolint DL3059: a RUN right after another RUN (comments between do not
// count) with the same flags, both of them a single command; a RUN that
// already chains commands was consolidated on purpose.
void ConsecutiveRun(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  const auto& v = in.df.instructions;
  auto flags = [](const Instruction& ins) {
    std::vector<std::pair<std::string, std::string>> f;
    for (const DockerfileFlag& x : ins.flags) f.emplace_back(x.name, x.value);
    return f;
  };
  auto single = [&](size_t i) {
    size_t n = 0;
    for (const auto& a : in.argvs[i]) n += !a.empty();
    return n <= 1;
  };
  // One finding per sequence (at its second RUN), naming its length: Hadolint
  // reports every RUN after the first, which floods a report for no gain.
  size_t i = 1;
  while (i < v.size()) {
    auto joins = [&](size_t k) {
      return v[k].keyword == "RUN" && v[k - 1].keyword == "RUN" && v[k].stage == v[k - 1].stage &&
             flags(v[k]) == flags(v[k - 1]) && single(k) && single(k - 1);
    };
    if (!joins(i)) {
      ++i;
      continue;
    }
    size_t end = i + 1;
    while (end < v.size() && joins(end)) ++end;
    out.push_back(At(rule, in.df, v[i], fmt::format("{} consecutive single-command RUN instructions", end - i + 1)));
    i = end;
  }
}

void NoFrom(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    if (ins.keyword == "FROM") return;
    if (ins.keyword != "ARG") {
      out.push_back(At(rule, in.df, ins, fmt::format("{} before the first FROM", ins.keyword)));
      return;
    }
  }
  if (in.df.stages.empty() && !in.df.instructions.empty()) {
    out.push_back(At(rule, in.df, in.df.instructions.front(), "no FROM instruction"));
  }
}

void MalformedJson(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Instruction& ins : in.df.instructions) {
    const std::string& k = ins.keyword;
    if (k != "RUN" && k != "CMD" && k != "ENTRYPOINT" && k != "COPY" && k != "ADD" && k != "VOLUME") continue;
    if (!ins.json && ins.rest.starts_with("[") && ins.rest.ends_with("]")) {
      out.push_back(At(rule, in.df, ins, "not a JSON array of double-quoted strings: runs as shell form"));
    }
  }
}


// Hadolint DL1001 (off unless asked for, as in Hadolint): the ignore pragmas themselves.
void InlinePragma(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  if (!in.opts.forbid_inline_ignores || in.df.instructions.empty()) return;
  const auto& v = in.df.instructions;
  for (int line : in.df.pragma_lines) {
    auto it = std::upper_bound(v.begin(), v.end(), line, [](int l, const Instruction& ins) { return l < ins.line; });
    const Instruction& next = it == v.end() ? v.back() : *it;
    Finding f = At(rule, in.df, next, "inline ignore pragma");
    f.location.line = line;
    f.location.column = 1;
    out.push_back(std::move(f));
  }
}

std::string BaseName(std::string_view p) {
  size_t slash = p.find_last_of("/\\");
  return std::string(slash == std::string_view::npos ? p : p.substr(slash + 1));
}

bool IsCompressedOrArchive(std::string_view s) {
  return IsArchive(s) || s.ends_with(".zip") || s.ends_with(".lzma") || s.ends_with(".lz") || s.ends_with(".Z");
}

// Hadolint DL3010: a local archive COPYed and then unpacked by a RUN of the
// same stage; ADD would unpack it without keeping the archive in a layer.
void CopyThenExtract(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  static const std::set<std::string, std::less<>> kUnpack = {"unzip", "gunzip", "bunzip2", "unlzma", "unxz",
                                                             "zcat",  "gzcat",  "bzcat",   "xzcat",  "uncompress"};
  std::vector<std::pair<const Instruction*, std::string>> copied;  // COPY, archive base name
  int stage = -2;
  std::set<const Instruction*> reported;
  for (size_t i = 0; i < in.df.instructions.size(); ++i) {
    const Instruction& ins = in.df.instructions[i];
    if (ins.stage != stage) {
      copied.clear();
      stage = ins.stage;
    }
    if (ins.keyword == "COPY" && !ins.Flag("from") && ins.heredocs.empty()) {
      // The words as written: a Windows path's backslashes are separators here.
      std::vector<std::string> words;
      if (ins.json) {
        words = ins.args;
      } else {
        for (std::string w : SplitWords(ins.rest, '\0')) {
          if (w.size() >= 2 && (w.front() == '"' || w.front() == '\'') && w.back() == w.front())
            w = w.substr(1, w.size() - 2);
          words.push_back(std::move(w));
        }
      }
      if (words.size() < 2) continue;
      const std::string& dest = words.back();
      for (size_t k = 0; k + 1 < words.size(); ++k) {
        const std::string& s = words[k];
        if (!IsCompressedOrArchive(s) || s.find('$') != std::string::npos || copied.size() >= 256) continue;
        copied.emplace_back(&ins, BaseName(s));
        // COPY x.tar /foo.tar: unpacked under the destination's name.
        if (words.size() == 2 && IsCompressedOrArchive(dest)) copied.emplace_back(&ins, BaseName(dest));
      }
    }
    if (ins.keyword != "RUN" || copied.empty()) continue;
    for (const auto& argv : in.argvs[i]) {
      const std::string p = ProgramName(argv);
      bool unpacks = kUnpack.contains(p);
      if (p == "tar") {
        for (size_t k = 1; k < argv.size(); ++k) {
          const std::string& a = argv[k];
          if (a == "--extract" || a == "--get" || (a.starts_with("-") && !a.starts_with("--") && a.find('x') != std::string::npos) ||
              (k == 1 && !a.starts_with("-") && a.find('x') != std::string::npos))
            unpacks = true;
        }
      }
      if (!unpacks) continue;
      for (const auto& [copy, name] : copied) {
        for (size_t k = 1; k < argv.size(); ++k) {
          if (BaseName(argv[k]) == name && reported.insert(copy).second) {
            out.push_back(At(rule, in.df, *copy, fmt::format("{} is copied, then unpacked by a RUN", name)));
          }
        }
      }
    }
  }
}

// Hadolint DL3063: "scratch" and "context" are not usable as stage names.
void ReservedStageName(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Stage& s : in.df.stages) {
    const std::string n = lint::Lower(s.name);
    if (n == "scratch" || n == "context")
      out.push_back(At(rule, in.df, in.df.instructions[s.from], fmt::format("stage name {} is reserved", s.name)));
  }
}

// Hadolint DL3065: --platform=$TARGETPLATFORM is what FROM does anyway.
void PlatformIsTarget(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  for (const Stage& s : in.df.stages) {
    if (s.platform == "$TARGETPLATFORM" || s.platform == "${TARGETPLATFORM}")
      out.push_back(At(rule, in.df, in.df.instructions[s.from]));
  }
}

// Hadolint DL3066: USER by name; a numeric UID is what runAsNonRoot checks
// and what a host without the image's /etc/passwd understands.
void NonNumericUser(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "USER", [&](const Instruction& ins) {
    if (ins.expanded.empty() || ins.unknown_value) return;
    const std::string& u = ins.expanded[0];
    std::string_view uid = std::string_view(u).substr(0, u.find(':'));
    if (uid.empty() || IsNumber(uid) || uid.find('$') != std::string_view::npos) return;
    if (uid == "root") return;  // DD-DF-070's business
    out.push_back(At(rule, in.df, ins, fmt::format("USER {} is not a numeric UID", u)));
  });
}

// Hadolint DL3067: COPY --from=stage / / copies a whole filesystem.
void CopyWholeFilesystem(const DockerfileCheckInput& in, const LintRule& rule, std::vector<Finding>& out) {
  ForEachKeyword(in.df, "COPY", [&](const Instruction& ins) {
    if (!ins.Flag("from")) return;
    std::vector<std::string> src;
    std::string dest;
    SourcesDest(ins, src, dest);
    if (dest == "/" && std::find(src.begin(), src.end(), "/") != src.end()) out.push_back(At(rule, in.df, ins));
  });
}
}  // namespace

void DockerfileInstructionRules(std::vector<LintRule>& r) {
  r.push_back({"DD-DF-001",
               Severity::kMedium,
               "WORKDIR should be an absolute path",
               "A relative WORKDIR depends on every earlier WORKDIR and breaks silently when the base image changes.",
               "Use an absolute path: WORKDIR /app.",
               {"Hadolint DL3000"},
               WorkdirAbsolute});
  r.push_back({"DD-DF-002",
               Severity::kMedium,
               "FROM image has no tag",
               "An untagged base image means :latest: the build changes whenever the upstream image does.",
               "Name an exact tag (debian:12.5-slim) or better a digest.",
               {"Hadolint DL3006", "Trivy DS001"},
               FromUntagged});
  r.push_back({"DD-DF-003",
               Severity::kMedium,
               "FROM image uses the :latest tag",
               ":latest moves; builds are not reproducible and may pull an unreviewed image.",
               "Pin an exact version tag, or a digest.",
               {"Hadolint DL3007", "Trivy DS001"},
               FromLatest});
  r.push_back({"DD-DF-004",
               Severity::kLow,
               "FROM image is not pinned by digest",
               "A tag can be re-pointed by whoever controls the registry; only a digest names exact bytes.",
               "Append the digest: FROM debian:12.5-slim@sha256:<digest> (let a bot such as Renovate update it).",
               {"Seed practice: pinned base images", "CIS Docker Benchmark 4.2"},
               FromDigest});
  r.push_back({"DD-DF-005",
               Severity::kMedium,
               "FROM image comes from a registry that is not trusted",
               "Base images from arbitrary registries bypass the review and scanning of your trusted sources.",
               "Use an image from a trusted registry (--trusted-registries) or mirror it there.",
               {"Hadolint DL3026", "CIS Docker Benchmark 4.2"},
               FromTrusted});
  r.push_back({"DD-DF-006",
               Severity::kMedium,
               "COPY --from names no earlier stage",
               "A --from that is neither an earlier stage nor an image reference is a typo: Docker tries to pull "
               "it as an image.",
               "Reference a stage defined above (FROM … AS name) or a full image reference.",
               {"Hadolint DL3022"},
               CopyFromUnknown});
  r.push_back({"DD-DF-007",
               Severity::kHigh,
               "COPY --from references its own stage",
               "A stage cannot copy from itself; the build fails.",
               "Copy from an earlier stage.",
               {"Hadolint DL3023"},
               CopyFromSelf});
  r.push_back({"DD-DF-008",
               Severity::kHigh,
               "Duplicate stage name",
               "Two stages with the same name make --from and --target ambiguous; BuildKit refuses the file.",
               "Give every stage a unique name.",
               {"Hadolint DL3024", "Trivy DS012", "BuildKit DuplicateStageName"},
               DuplicateStage});
  r.push_back({"DD-DF-009",
               Severity::kLow,
               "CMD/ENTRYPOINT in shell form",
               "Shell form runs under /bin/sh -c: the process is not PID 1, does not receive SIGTERM and the image "
               "needs a shell.",
               "Use the exec (JSON) form: CMD [\"nginx\", \"-g\", \"daemon off;\"].",
               {"Hadolint DL3025", "BuildKit JSONArgsRecommended"},
               ExecForm});
  r.push_back({"DD-DF-010",
               Severity::kMedium,
               "More than one CMD in a stage",
               "Only the last CMD takes effect; the others are dead code that misleads readers.",
               "Keep a single CMD per stage.",
               {"Hadolint DL4003", "Trivy DS016", "BuildKit MultipleInstructionsDisallowed"},
               MultipleCmd});
  r.push_back({"DD-DF-011",
               Severity::kMedium,
               "More than one ENTRYPOINT in a stage",
               "Only the last ENTRYPOINT takes effect.",
               "Keep a single ENTRYPOINT per stage.",
               {"Hadolint DL4004", "BuildKit MultipleInstructionsDisallowed"},
               MultipleEntrypoint});
  r.push_back({"DD-DF-012",
               Severity::kMedium,
               "More than one HEALTHCHECK in a stage",
               "Only the last HEALTHCHECK takes effect.",
               "Keep a single HEALTHCHECK per stage.",
               {"Hadolint DL3012", "Trivy DS023"},
               MultipleHealthcheck});
  r.push_back({"DD-DF-013",
               Severity::kLow,
               "MAINTAINER is deprecated",
               "MAINTAINER is deprecated since Docker 1.13 and dropped from the image spec.",
               "Use LABEL org.opencontainers.image.authors=\"name <mail>\".",
               {"Hadolint DL4000", "Trivy DS022", "BuildKit MaintainerDeprecated"},
               Maintainer});
  r.push_back(
      {"DD-DF-014",
       Severity::kLow,
       "ADD used to copy local files",
       "ADD also fetches URLs and unpacks archives; for plain files that magic is a surprise waiting to happen.",
       "Use COPY for local files and directories.",
       {"Hadolint DL3020", "Trivy DS005", "CIS Docker Benchmark 4.9"},
       AddInsteadOfCopy});
  r.push_back({"DD-DF-015",
               Severity::kHigh,
               "COPY with several sources needs a destination ending in /",
               "With more than one source the destination must be a directory; the build fails otherwise.",
               "End the destination with a slash: COPY a b /app/.",
               {"Hadolint DL3021", "Trivy DS011"},
               CopyDestSlash});
  r.push_back({"DD-DF-016",
               Severity::kHigh,
               "EXPOSE with an invalid port",
               "Ports are 0-65535 with protocol tcp, udp or sctp; anything else fails the build or is ignored.",
               "Use a valid port: EXPOSE 8080/tcp.",
               {"Hadolint DL3011", "Trivy DS008"},
               ExposeRange});
  r.push_back({"DD-DF-017",
               Severity::kHigh,
               "ONBUILD with FROM, MAINTAINER or ONBUILD",
               "These instructions are not allowed as ONBUILD triggers; the build fails.",
               "Remove the trigger or move it into the image that builds FROM this one.",
               {"Hadolint DL3043"},
               OnbuildForbidden});
  r.push_back({"DD-DF-018",
               Severity::kMedium,
               "ENV refers to a variable set in the same instruction",
               "Values in one ENV see the environment from before it: ENV A=1 B=$A sets B to the old A.",
               "Split into two ENV instructions.",
               {"Hadolint DL3044"},
               EnvSelfReference});
  r.push_back({"DD-DF-019",
               Severity::kLow,
               "COPY to a relative destination without WORKDIR",
               "A relative destination resolves against the base image's working directory, which you do not control.",
               "Set WORKDIR first or copy to an absolute path.",
               {"Hadolint DL3045", "BuildKit WorkdirRelativePath"},
               CopyRelativeNoWorkdir});
  r.push_back({"DD-DF-020",
               Severity::kLow,
               "Invalid label key",
               "Label keys should be lower-case reverse-DNS names without reserved prefixes (com.docker., io.docker.).",
               "Use keys like org.opencontainers.image.source.",
               {"Hadolint DL3048"},
               LabelKey});
  r.push_back({"DD-DF-021",
               Severity::kLow,
               "FROM --platform with a constant value",
               "A hard-coded platform breaks multi-platform builds and emulates on other hosts.",
               "Use --platform=$BUILDPLATFORM for build stages, or omit it.",
               {"Hadolint DL3029", "BuildKit FromPlatformFlagConstDisallowed"},
               FromPlatform});
  r.push_back({"DD-DF-022",
               Severity::kHigh,
               "Unknown instruction",
               "The builder rejects instructions it does not know; the build fails.",
               "Fix the spelling or remove the line.",
               {"BuildKit parser"},
               UnknownInstruction});
  r.push_back({"DD-DF-023",
               Severity::kHigh,
               "SHELL must use the JSON form",
               "SHELL only accepts a JSON array; the build fails otherwise.",
               "SHELL [\"/bin/bash\", \"-o\", \"pipefail\", \"-c\"].",
               {"Docker reference SHELL"},
               ShellJson});
  r.push_back({"DD-DF-024",
               Severity::kLow,
               "Instruction casing is inconsistent",
               "Mixed-case keywords make a Dockerfile harder to read and grep.",
               "Write every instruction keyword in the same case (upper case by convention).",
               {"BuildKit ConsistentInstructionCasing"},
               KeywordCasing});
  r.push_back({"DD-DF-025",
               Severity::kLow,
               "Stage name or AS keyword casing",
               "Stage names are case-insensitive in --from but not in --target tooling; AS should match FROM's case.",
               "Use lower-case stage names and the same case for FROM and AS.",
               {"BuildKit StageNameCasing", "BuildKit FromAsCasing"},
               StageCasing});
  r.push_back({"DD-DF-026",
               Severity::kMedium,
               "Variable used but never defined",
               "A variable not declared by ARG or ENV in the stage expands to an empty string (an ARG before FROM must "
               "be re-declared inside the stage).",
               "Declare it with ARG (or ENV) in the stage that uses it.",
               {"BuildKit UndefinedVar"},
               UndefinedVar});
  r.push_back({"DD-DF-027",
               Severity::kLow,
               "Empty line inside a continuation",
               "Blank lines inside a continued instruction are deprecated and will become an error in BuildKit.",
               "Remove the blank line or end the instruction before it.",
               {"BuildKit NoEmptyContinuation"},
               EmptyContinuation});
  r.push_back({"DD-DF-028",
               Severity::kLow,
               "Many consecutive RUN instructions",
               "Each RUN is a layer; consecutive RUNs that belong together waste layers and keep deleted files.",
               "Join related commands with && in one RUN.",
               {"Hadolint DL3059"},
               ConsecutiveRun});
  r.push_back({"DD-DF-029",
               Severity::kHigh,
               "No FROM, or an instruction before the first FROM",
               "Only ARG may precede the first FROM; the build fails otherwise.",
               "Start the file with FROM.",
               {"BuildKit parser", "Hadolint DL3061"},
               NoFrom});
  r.push_back({"DD-DF-030",
               Severity::kMedium,
               "Malformed JSON form falls back to shell form",
               "An array that is not valid JSON (single quotes, trailing comma) runs as a shell command string, "
               "brackets included.",
               "Use double quotes and valid JSON: CMD [\"app\", \"--port\", \"80\"].",
               {"BuildKit JSONArgsRecommended", "Hadolint DL3025"},
               MalformedJson});
  r.push_back({"DD-DF-086",
               Severity::kLow,
               "Inline ignore pragma",
               "Inline ignores hide findings from reviewers of the report; a central drydock.yaml is auditable.",
               "Configure exceptions per rule in drydock.yaml instead (reported only with forbid_inline_ignores).",
               {"Hadolint DL1001"},
               InlinePragma});
  r.push_back({"DD-DF-087",
               Severity::kLow,
               "Archive copied, then unpacked in a RUN",
               "The archive stays in the COPY layer although only its contents are used.",
               "ADD the local archive (ADD unpacks it), or unpack it in a build stage.",
               {"Hadolint DL3010"},
               CopyThenExtract});
  r.push_back({"DD-DF-099",
               Severity::kMedium,
               "Reserved stage name",
               "\"scratch\" and \"context\" mean the empty image and the build context in FROM and --from.",
               "Rename the stage.",
               {"Hadolint DL3063"},
               ReservedStageName});
  r.push_back({"DD-DF-100",
               Severity::kLow,
               "FROM --platform=$TARGETPLATFORM is redundant",
               "FROM already builds for the target platform; the flag only adds noise.",
               "Drop the flag (use --platform=$BUILDPLATFORM for cross-compiling stages).",
               {"Hadolint DL3065"},
               PlatformIsTarget});
  r.push_back({"DD-DF-101",
               Severity::kLow,
               "USER names a user instead of a numeric UID",
               "Kubernetes runAsNonRoot and hosts without the image's /etc/passwd cannot verify a user name.",
               "Use the numeric UID (USER 10001 or 10001:10001).",
               {"Hadolint DL3066"},
               NonNumericUser});
  r.push_back({"DD-DF-102",
               Severity::kMedium,
               "COPY --from copies a whole filesystem",
               "COPY --from=stage / / drags the build stage's entire filesystem (tools, caches, secrets) into the image.",
               "Copy only the built artefacts: COPY --from=build /out/app /app.",
               {"Hadolint DL3067"},
               CopyWholeFilesystem});
}

}  // namespace drydock
