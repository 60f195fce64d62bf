// The BuildKit-compatible Dockerfile parser (see dockerfile.h). Follows
// moby/buildkit frontend/dockerfile/parser/parser.go: lines are read with
// the trailing '\r' dropped; comment lines (first non-blank character '#')
// vanish even inside continuations; a blank line inside a continuation is
// skipped; the escape character followed by optional blanks at the end of a
// line continues it, and continuation lines are joined without a separator.
#include "lint/dockerfile/dockerfile.h"

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

namespace drydock {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }
bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

std::string_view TrimLeft(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  return s;
}
std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}
std::string_view Trim(std::string_view s) { return TrimRight(TrimLeft(s)); }

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsComment(std::string_view line) {
  line = TrimLeft(line);
  return !line.empty() && line.front() == '#';
}

// Removes a trailing continuation (escape + optional blanks); returns true
// when the line continues.
bool TrimContinuation(std::string_view& line, char escape) {
  std::string_view t = line;
  while (!t.empty() && IsBlank(t.back())) t.remove_suffix(1);
  if (t.empty() || t.back() != escape) return false;
  t.remove_suffix(1);
  line = t;
  return true;
}

// "# key = value" at the top of the file.
bool MatchDirective(std::string_view line, std::string& key, std::string& value) {
  std::string_view s = line;
  if (s.empty() || s.front() != '#') return false;
  s.remove_prefix(1);
  s = TrimLeft(s);
  size_t i = 0;
  if (i >= s.size() || !std::isalpha(static_cast<unsigned char>(s[i]))) return false;
  while (i < s.size() && std::isalnum(static_cast<unsigned char>(s[i]))) ++i;
  key = Lower(s.substr(0, i));
  s = TrimLeft(s.substr(i));
  if (s.empty() || s.front() != '=') return false;
  s = Trim(s.substr(1));
  if (s.empty()) return false;
  value = std::string(s);
  return true;
}

bool IsNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Builtin args BuildKit defines without an ARG (for FROM) and the proxy args.
const std::set<std::string, std::less<>>& BuiltinArgs() {
  static const std::set<std::string, std::less<>> k = {
      "TARGETPLATFORM", "TARGETOS",   "TARGETARCH", "TARGETVARIANT", "BUILDPLATFORM",  "BUILDOS",   "BUILDARCH",
      "BUILDVARIANT",   "HTTP_PROXY", "http_proxy", "HTTPS_PROXY",   "https_proxy",    "FTP_PROXY", "ftp_proxy",
      "NO_PROXY",       "no_proxy",   "ALL_PROXY",  "all_proxy",     "BUILDKIT_SYNTAX"};
  return k;
}

// Splits "--a=b --c value-rest" into leading --flags and the remainder, as
// BuildKit's extractBuilderFlags does (quotes inside a flag value kept).
void ExtractFlags(std::string_view s, std::vector<DockerfileFlag>& flags, std::string& rest) {
  s = TrimLeft(s);
  while (s.size() >= 2 && s[0] == '-' && s[1] == '-') {
    size_t i = 0;
    char quote = 0;
    std::string word;
    for (; i < s.size(); ++i) {
      char c = s[i];
      if (quote) {
        if (c == quote) quote = 0;
        word.push_back(c);
      } else if (c == '"' || c == '\'') {
        quote = c;
        word.push_back(c);
      } else if (IsSpace(c)) {
        break;
      } else {
        word.push_back(c);
      }
    }
    if (word == "--") {  // a lone "--" ends the flags
      s = TrimLeft(s.substr(i));
      break;
    }
    DockerfileFlag f;
    std::string_view body = std::string_view(word).substr(2);
    size_t eq = body.find('=');
    f.name = Lower(body.substr(0, eq));
    if (eq != std::string_view::npos) {
      f.value = Unquote(body.substr(eq + 1));
      f.has_value = true;
    }
    flags.push_back(std::move(f));
    s = TrimLeft(s.substr(i));
  }
  rest = std::string(TrimRight(s));
}

bool ParseJsonArray(std::string_view s, std::vector<std::string>& out) {
  s = Trim(s);
  if (s.empty() || s.front() != '[' || s.back() != ']') return false;
  auto j = nlohmann::json::parse(s, nullptr, false);
  if (j.is_discarded() || !j.is_array()) return false;
  out.clear();
  for (const auto& e : j) {
    if (!e.is_string()) return false;
    out.push_back(e.get<std::string>());
  }
  return true;
}

std::vector<std::string> SplitWhitespace(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && IsSpace(s[i])) ++i;
    size_t j = i;
    while (j < s.size() && !IsSpace(s[j])) ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

bool CanHaveHeredoc(std::string_view kw) { return kw == "RUN" || kw == "COPY" || kw == "ADD"; }
bool CanBeJson(std::string_view kw) {
  return kw == "RUN" || kw == "CMD" || kw == "ENTRYPOINT" || kw == "SHELL" || kw == "COPY" || kw == "ADD" ||
         kw == "VOLUME";
}

// Heredoc openers in a shell-form line: <<EOF, <<-EOF, <<"EOF", <<'EOF'
// (not here-strings <<<).
std::vector<Heredoc> HeredocsFromLine(std::string_view line) {
  std::vector<Heredoc> out;
  char quote = 0;
  for (size_t i = 0; i + 2 < line.size() + 0; ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') {
      // Quotes only matter in the middle of a word; a heredoc opener is
      // never inside quotes.
      quote = c;
      continue;
    }
    if (c != '<' || line[i + 1] != '<') continue;
    if (i + 2 < line.size() && line[i + 2] == '<') {  // here-string
      i += 2;
      continue;
    }
    size_t j = i + 2;
    Heredoc h;
    if (j < line.size() && line[j] == '-') {
      h.chomp = true;
      ++j;
    }
    char q = 0;
    if (j < line.size() && (line[j] == '"' || line[j] == '\'')) q = line[j++];
    size_t start = j;
    while (j < line.size() && (IsNameChar(line[j]) || line[j] == '-' || line[j] == '.')) ++j;
    if (j == start) continue;
    h.name = std::string(line.substr(start, j - start));
    if (q) {
      if (j >= line.size() || line[j] != q) continue;
      ++j;
      h.expand = false;
    }
    out.push_back(std::move(h));
    i = j - 1;
  }
  return out;
}

struct RawLine {
  std::string_view text;
  int number;
};

std::vector<RawLine> SplitLines(std::string_view text) {
  std::vector<RawLine> lines;
  int n = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    std::string_view l = text.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    lines.push_back({l, ++n});
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  return lines;
}

// "# drydock ignore=DD-DF-001,DD-DF-002", "# hadolint ignore=DL3008" → ids;
// *global is set for the "global ignore=" form (the whole file).
std::vector<std::string> IgnoreIds(std::string_view comment, bool* global = nullptr) {
  std::vector<std::string> ids;
  if (global) *global = false;
  comment = TrimLeft(comment);
  if (comment.empty() || comment.front() != '#') return ids;
  comment = TrimLeft(comment.substr(1));
  if (comment.starts_with("drydock")) {
    comment = TrimLeft(comment.substr(7));
  } else if (comment.starts_with("hadolint")) {
    comment = TrimLeft(comment.substr(8));
  } else {
    return ids;
  }
  if (comment.starts_with("global")) {
    comment = TrimLeft(comment.substr(6));
    if (global) *global = true;
  }
  constexpr std::string_view kIgnore = "ignore=";
  if (!comment.starts_with(kIgnore)) return ids;
  comment = comment.substr(kIgnore.size());
  size_t end = comment.find_first_of(" \t");
  comment = comment.substr(0, end);
  size_t i = 0;
  while (i <= comment.size()) {
    size_t c = comment.find(',', i);
    if (c == std::string_view::npos) c = comment.size();
    std::string_view id = Trim(comment.substr(i, c - i));
    if (!id.empty() && ids.size() < 256) ids.push_back(Upper(id));
    i = c + 1;
  }
  return ids;
}

// Fills keyword, flags, rest, json and args from the joined line.
void SplitInstruction(std::string_view line, Instruction& ins, char escape) {
  std::string_view s = TrimLeft(line);
  size_t k = 0;
  while (k < s.size() && !IsSpace(s[k])) ++k;
  ins.keyword = Upper(s.substr(0, k));
  std::string_view after = s.substr(k);
  if (ins.keyword == "ONBUILD") {
    auto sub = std::make_shared<Instruction>();
    sub->line = ins.line;
    sub->end_line = ins.end_line;
    sub->column = ins.column;
    sub->original = std::string(TrimLeft(after));
    SplitInstruction(after, *sub, escape);
    ins.rest = std::string(Trim(after));
    ins.args = SplitWhitespace(ins.rest);
    ins.onbuild = std::move(sub);
    return;
  }
  // Only these take --flags; elsewhere a leading "--" is an argument.
  static const std::set<std::string, std::less<>> kFlagged = {"RUN", "COPY", "ADD", "FROM", "HEALTHCHECK", "ONBUILD"};
  if (kFlagged.contains(ins.keyword)) {
    ExtractFlags(after, ins.flags, ins.rest);
  } else {
    ins.rest = std::string(Trim(after));
  }
  if (ins.keyword == "HEALTHCHECK") {
    // HEALTHCHECK [flags] CMD … : the command part may be exec form.
    std::string_view r = ins.rest;
    if (r.size() >= 3 && Upper(r.substr(0, 3)) == "CMD") {
      std::string_view cmd = TrimLeft(r.substr(3));
      ins.json = ParseJsonArray(cmd, ins.args);
      if (ins.json) {
        ins.args.insert(ins.args.begin(), "CMD");
        return;
      }
    }
  }
  if (CanBeJson(ins.keyword) && ParseJsonArray(ins.rest, ins.args)) {
    ins.json = true;
    return;
  }
  if (ins.keyword == "ENV" || ins.keyword == "LABEL" || ins.keyword == "ARG") {
    ins.args = SplitWords(ins.rest, escape);
  } else {
    ins.args = SplitWhitespace(ins.rest);
  }
}

// `word` mentions $NAME or ${NAME…} for a NAME in `names`.
bool RefersTo(std::string_view word, const std::set<std::string, std::less<>>& names) {
  if (names.empty()) return false;
  for (size_t i = word.find('$'); i != std::string_view::npos; i = word.find('$', i + 1)) {
    size_t b = i + 1;
    if (b < word.size() && word[b] == '{') ++b;
    size_t e = b;
    while (e < word.size() && (std::isalnum(static_cast<unsigned char>(word[e])) || word[e] == '_')) ++e;
    if (e > b && names.contains(word.substr(b, e - b))) return true;
  }
  return false;
}

bool ExpandsWords(std::string_view kw) {
  static const std::set<std::string, std::less<>> k = {"ADD",  "COPY",   "ENV",        "EXPOSE",  "FROM", "LABEL",
                                                       "USER", "VOLUME", "STOPSIGNAL", "WORKDIR", "ARG"};
  return k.contains(kw);
}

}  // namespace

std::optional<std::string> Instruction::Flag(std::string_view name) const {
  std::optional<std::string> v;
  for (const auto& f : flags) {
    if (f.name == name) v = f.value;
  }
  return v;
}

std::string Unquote(std::string_view s, char escape) {
  std::string out;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
      } else {
        out.push_back(c);
      }
    } else if (c == escape && i + 1 < s.size()) {
      out.push_back(s[++i]);
    } else if (quote == '"') {
      if (c == '"') {
        quote = 0;
      } else {
        out.push_back(c);
      }
    } else if (c == '"' || c == '\'') {
      quote = c;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::vector<std::string> SplitWords(std::string_view s, char escape) {
  std::vector<std::string> out;
  std::string word;
  char quote = 0;
  bool in_word = false;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote) {
      word.push_back(c);
      if (c == escape && quote == '"' && i + 1 < s.size()) {
        word.push_back(s[++i]);
      } else if (c == quote) {
        quote = 0;
      }
      continue;
    }
    if (IsSpace(c)) {
      if (in_word) out.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    word.push_back(c);
    if (c == escape && i + 1 < s.size()) {
      word.push_back(s[++i]);
    } else if (c == '"' || c == '\'') {
      quote = c;
    }
  }
  if (in_word) out.push_back(std::move(word));
  return out;
}

std::string ExpandWord(std::string_view w, const std::map<std::string, std::string>& vars, char escape, bool unquote,
                       std::vector<std::string>* missing) {
  std::string out;
  char quote = 0;
  auto lookup = [&](const std::string& name) -> const std::string* {
    auto it = vars.find(name);
    if (it != vars.end()) return &it->second;
    if (missing && !BuiltinArgs().contains(name)) missing->push_back(name);
    return nullptr;
  };
  for (size_t i = 0; i < w.size(); ++i) {
    if (out.size() > kMaxExpandedWordBytes) {
      // ENV A=$A$A repeated doubles a value each line: keep it bounded.
      out.resize(kMaxExpandedWordBytes);
      break;
    }
    char c = w[i];
    if (quote == '\'') {
      if (c == '\'') {
        quote = 0;
        if (!unquote) out.push_back(c);
      } else {
        out.push_back(c);
      }
      continue;
    }
    if (c == escape && i + 1 < w.size()) {
      if (!unquote) out.push_back(c);
      out.push_back(w[++i]);
      continue;
    }
    if (c == '\'' && quote == 0) {
      quote = '\'';
      if (!unquote) out.push_back(c);
      continue;
    }
    if (c == '"') {
      quote = quote == '"' ? 0 : '"';
      if (!unquote) out.push_back(c);
      continue;
    }
    if (c != '$' || i + 1 >= w.size()) {
      out.push_back(c);
      continue;
    }
    char n = w[i + 1];
    if (n == '{') {
      // The matching brace: a default may itself hold ${…}.
      size_t close = std::string_view::npos;
      for (size_t j = i + 2, level = 1; j < w.size(); ++j) {
        if (w[j] == '{') ++level;
        if (w[j] == '}' && --level == 0) {
          close = j;
          break;
        }
      }
      if (close == std::string_view::npos) {
        out.append(w.substr(i));
        break;
      }
      std::string_view body = w.substr(i + 2, close - i - 2);
      size_t name_end = 0;
      while (name_end < body.size() && IsNameChar(body[name_end])) ++name_end;
      std::string name(body.substr(0, name_end));
      std::string_view op = body.substr(name_end);
      // Only the substitution forms BuildKit supports; the word itself is expanded too.
      if (op.empty()) {
        if (const std::string* v = lookup(name)) out += *v;
      } else if (op.starts_with(":-") || op.starts_with("-") || op.starts_with(":+") || op.starts_with("+") ||
                 op.starts_with(":?") || op.starts_with("?")) {
        bool colon = op.front() == ':';
        char kind = op[colon ? 1 : 0];
        std::string word = ExpandWord(op.substr(colon ? 2 : 1), vars, escape, true, nullptr);
        auto it = vars.find(name);
        bool set = it != vars.end();
        bool nonempty = set && !it->second.empty();
        bool present = colon ? nonempty : set;
        if (kind == '-') {
          out += present ? it->second : word;
        } else if (kind == '+') {
          if (present) out += word;
        } else if (present) {
          out += it->second;
        }
      } else {
        // Pattern forms (${a#x}, ${a%x}, ${a/x/y}): keep the value unmodified.
        if (const std::string* v = lookup(name)) out += *v;
      }
      i = close;
      continue;
    }
    if (IsNameChar(n) && !std::isdigit(static_cast<unsigned char>(n))) {
      size_t j = i + 1;
      while (j < w.size() && IsNameChar(w[j])) ++j;
      std::string name(w.substr(i + 1, j - i - 1));
      if (const std::string* v = lookup(name)) out += *v;
      i = j - 1;
      continue;
    }
    out.push_back(c);
  }
  return out;
}

std::vector<KeyValue> ParseKeyValues(const Instruction& ins, char escape) {
  std::vector<KeyValue> out;
  const auto& words = ins.args;
  if (words.empty()) return out;
  const bool is_arg = ins.keyword == "ARG";
  // Legacy "ENV key value with spaces": the first word has no '='.
  if (!is_arg && words[0].find('=') == std::string::npos) {
    std::string_view rest = TrimLeft(std::string_view(ins.rest).substr(std::min(ins.rest.size(), words[0].size())));
    out.push_back({words[0], Unquote(rest, escape), true});
    return out;
  }
  for (const std::string& w : words) {
    size_t eq = w.find('=');
    if (eq == std::string::npos) {
      out.push_back({Unquote(w, escape), "", false});
    } else {
      out.push_back({Unquote(w.substr(0, eq), escape), Unquote(w.substr(eq + 1), escape), true});
    }
  }
  return out;
}

Result<Dockerfile> ParseDockerfile(std::string_view text, std::string_view path) {
  Dockerfile df;
  df.path = std::string(path);
  if (text.size() > kMaxDockerfileBytes) {
    return InputError("{}: {} bytes is larger than the {} MiB a Dockerfile may have", path, text.size(),
                      kMaxDockerfileBytes >> 20);
  }
  if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
    return InputError("{}: NUL byte at offset {}: not a Dockerfile", path, nul);
  }
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const std::vector<RawLine> lines = SplitLines(text);

  // Parser directives: only at the very top, each at most once.
  size_t li = 0;
  for (; li < lines.size(); ++li) {
    std::string key, value;
    if (!MatchDirective(TrimLeft(lines[li].text), key, value)) break;
    if (key != "syntax" && key != "escape" && key != "check") break;
    if (df.directives.contains(key)) {
      return InputError("{}:{}: only one {} parser directive can be used", path, lines[li].number, key);
    }
    if (key == "escape") {
      if (value != "`" && value != "\\") {
        return InputError("{}:{}: invalid escape {:?}: must be ` or \\", path, lines[li].number, value);
      }
      df.escape = value[0];
    }
    df.directives[key] = value;
  }
  const char esc = df.escape;

  std::vector<std::string> pending_ignore;
  int pending_ignore_line = -1;
  size_t i = 0;
  while (i < lines.size()) {
    const RawLine& first = lines[i++];
    std::string_view l = first.text;
    if (IsComment(l)) {
      bool global = false;
      auto ids = IgnoreIds(l, &global);
      if (!ids.empty()) df.pragma_lines.push_back(first.number);
      if (global) {
        for (auto& id : ids) {
          if (df.global_ignore.size() < 256) df.global_ignore.push_back(std::move(id));
        }
      } else if (!ids.empty()) {
        pending_ignore = std::move(ids);
        pending_ignore_line = first.number;
      }
      continue;
    }
    std::string_view trimmed = TrimLeft(l);
    if (trimmed.empty()) continue;
    Instruction ins;
    ins.line = first.number;
    ins.column = static_cast<int>(l.size() - trimmed.size()) + 1;
    std::string joined;
    std::string original(trimmed);
    std::string_view part = trimmed;
    bool cont = TrimContinuation(part, esc);
    joined.append(part);
    int end_line = first.number;
    while (cont && i < lines.size()) {
      const RawLine& next = lines[i++];
      end_line = next.number;
      original += '\n';
      original.append(next.text);
      if (IsComment(next.text)) continue;
      if (Trim(next.text).empty()) {
        ins.empty_continuation = true;
        continue;
      }
      std::string_view p = next.text;
      cont = TrimContinuation(p, esc);
      joined.append(p);
      if (joined.size() > kMaxDockerfileInstructionBytes) {
        return InputError("{}:{}: instruction longer than {} MiB", path, ins.line,
                          kMaxDockerfileInstructionBytes >> 20);
      }
    }
    ins.end_line = end_line;
    if (pending_ignore_line == ins.line - 1) ins.ignore = pending_ignore;
    pending_ignore.clear();
    pending_ignore_line = -1;
    ins.joined = joined;
    SplitInstruction(joined, ins, esc);
    const Instruction& target = ins.onbuild ? *ins.onbuild : ins;
    if (CanHaveHeredoc(target.keyword) && !target.json && joined.find("<<") != std::string::npos) {
      std::vector<Heredoc> docs = HeredocsFromLine(target.rest);
      for (Heredoc& h : docs) {
        bool found = false;
        while (i < lines.size()) {
          const RawLine& body = lines[i++];
          end_line = body.number;
          original += '\n';
          original.append(body.text);
          std::string_view b = body.text;
          if (h.chomp) {
            while (!b.empty() && b.front() == '\t') b.remove_prefix(1);
          }
          if (b == h.name) {
            found = true;
            break;
          }
          h.content.append(b);
          h.content.push_back('\n');
          if (h.content.size() > kMaxDockerfileInstructionBytes) {
            return InputError("{}:{}: heredoc {} longer than {} MiB", path, ins.line, h.name,
                              kMaxDockerfileInstructionBytes >> 20);
          }
        }
        if (!found) {
          return InputError("{}:{}: unterminated heredoc <<{}: no line '{}' before the end of the file", path, ins.line,
                            h.name, h.name);
        }
      }
      ins.end_line = end_line;
      if (ins.onbuild) {
        ins.onbuild->heredocs = std::move(docs);
      } else {
        ins.heredocs = std::move(docs);
      }
    }
    ins.original = std::move(original);
    df.instructions.push_back(std::move(ins));
  }

  // Stages and ARG/ENV scopes.
  std::map<std::string, std::string> meta;  // ARGs before the first FROM
  std::map<std::string, std::string> scope;
  std::set<std::string, std::less<>> unset;  // ARGs declared without a default: the value is unknown
  std::map<std::string, int> stage_names;     // lower-case stage name → index
  std::vector<std::string> missing;
  // Expanded text kept across the whole file, so a hostile file cannot make
  // the parse hold gigabytes of copies.
  size_t budget = kMaxDockerfileExpandedBytes;
  int stage = -1;
  for (size_t n = 0; n < df.instructions.size(); ++n) {
    Instruction& ins = df.instructions[n];
    missing.clear();
    if (ins.keyword == "FROM") {
      if (stage >= 0) df.stages[static_cast<size_t>(stage)].end = n;
      Stage s;
      s.index = ++stage;
      s.from = n;
      s.end = df.instructions.size();
      s.line = ins.line;
      if (auto p = ins.Flag("platform")) s.platform = *p;
      for (const std::string& a : ins.args) {
        std::string e = ExpandWord(a, meta, esc, true, &missing);
        budget -= std::min(budget, e.size());
        ins.expanded.push_back(budget == 0 ? a : std::move(e));
      }
      if (!ins.args.empty()) {
        s.base_raw = ins.args[0];
        s.base = ins.expanded[0];
      }
      if (ins.args.size() >= 3 && Lower(ins.args[1]) == "as") s.name = ins.args[2];
      // The last earlier stage of that name (a map: 20k stages stay linear).
      if (auto it = stage_names.find(Lower(s.base)); it != stage_names.end()) s.base_stage = it->second;
      if (!s.name.empty()) stage_names[Lower(s.name)] = s.index;
      df.stages.push_back(std::move(s));
      // A stage starts with the meta ARG values only when it declares them.
      scope.clear();
      unset.clear();
    } else if (ins.keyword == "ARG") {
      std::map<std::string, std::string>& target = stage < 0 ? meta : scope;
      for (const KeyValue& kv : ParseKeyValues(ins, esc)) {
        std::string value;
        if (kv.has_value) {
          value = ExpandWord(kv.value, stage < 0 ? meta : scope, esc, false, &missing);
        } else if (stage >= 0) {
          if (auto it = meta.find(kv.key); it != meta.end()) value = it->second;
        }
        if (stage >= 0) {
          if (kv.has_value || meta.contains(kv.key))
            unset.erase(kv.key);
          else
            unset.insert(kv.key);
        }
        budget -= std::min(budget, value.size());
        if (budget == 0) value = kv.value;
        target[kv.key] = value;
        ins.expanded.push_back(kv.key + "=" + value);
      }
    } else if (ins.keyword == "ENV") {
      // Every value of one ENV sees the environment from before it.
      std::vector<std::pair<std::string, std::string>> values;
      for (const KeyValue& kv : ParseKeyValues(ins, esc)) {
        std::string value = ExpandWord(kv.value, scope, esc, false, &missing);
        budget -= std::min(budget, value.size());
        if (budget == 0) value = kv.value;  // over budget: keep the text unexpanded
        ins.expanded.push_back(kv.key + "=" + value);
        values.emplace_back(kv.key, std::move(value));
      }
      for (auto& [k, v] : values) {
        unset.erase(k);
        scope[k] = std::move(v);
      }
    } else if (ExpandsWords(ins.keyword) && !ins.json) {
      for (const std::string& a : ins.args) {
        const size_t before = missing.size();
        std::string e = ExpandWord(a, scope, esc, true, &missing);
        if (missing.size() > before || RefersTo(a, unset)) ins.unknown_value = true;
        budget -= std::min(budget, e.size());
        ins.expanded.push_back(budget == 0 ? a : std::move(e));
      }
      for (auto& f : ins.flags) {
        if (f.has_value) f.value = ExpandWord(f.value, scope, esc, false, &missing);
      }
    } else if (ExpandsWords(ins.keyword)) {
      ins.expanded = ins.args;
    }
    ins.stage = stage;
    for (auto& m : missing) df.undefined_vars.emplace_back(n, std::move(m));
  }
  if (stage >= 0) df.stages[static_cast<size_t>(stage)].end = df.instructions.size();
  return df;
}

}  // namespace drydock
