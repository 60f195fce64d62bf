// The RUN tokenizer (see shell.h).
#include "lint/dockerfile/shell.h"

#include <cctype>
#include <set>

namespace drydock {

namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r'; }

const std::set<std::string, std::less<>>& CompoundKeywords() {
  static const std::set<std::string, std::less<>> k = {"if",   "then",  "else",  "elif", "fi", "do",
                                                       "done", "while", "until", "!",    "{",  "}"};
  return k;
}

class Tokenizer {
 public:
  Tokenizer(std::string_view s, size_t max) : s_(s), max_(max) {}

  ShellScript Run() {
    while (pos_ < s_.size() && out_.commands.size() < max_) Step();
    Finish("");
    return std::move(out_);
  }

 private:
  void Step() {
    char c = s_[pos_];
    if (IsBlank(c)) {
      EndWord();
      ++pos_;
      return;
    }
    if (c == '\\' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '\n') {  // line continuation
      EndWord();
      pos_ += 2;
      return;
    }
    if (c == '#' && !in_word_) {
      while (pos_ < s_.size() && s_[pos_] != '\n') ++pos_;
      return;
    }
    if (c == '\n' || c == ';') {
      Finish(std::string(1, c));
      ++pos_;
      return;
    }
    if (c == '&' || c == '|') {
      if (pos_ + 1 < s_.size() && s_[pos_ + 1] == c) {
        Finish(std::string(2, c));
        pos_ += 2;
      } else if (c == '|') {
        piped_ = true;
        Finish("|");
        ++pos_;
      } else if (pos_ + 1 < s_.size() && s_[pos_ + 1] == '>') {  // &> file
        EndWord();
        pos_ += 2;
        skip_next_word_ = true;
      } else {
        Finish("&");
        ++pos_;
      }
      return;
    }
    if ((c == '(' && !in_word_) || c == ')') {
      Finish(c == '(' ? "" : ")");
      depth_ += c == '(' ? 1 : (depth_ > 0 ? -1 : 0);
      ++pos_;
      return;
    }
    if (c == '>' || c == '<') {
      // "2>" / "2>&1": a word of digits before the operator is the fd.
      if (in_word_ && !word_.empty() && word_.find_first_not_of("0123456789") == std::string::npos && !quoted_) {
        word_.clear();
        in_word_ = false;
      } else {
        EndWord();
      }
      if (c == '<' && s_.substr(pos_).starts_with("<<<")) {
        pos_ += 3;
      } else {
        ++pos_;
        while (pos_ < s_.size() && (s_[pos_] == '>' || s_[pos_] == '<' || s_[pos_] == '-' || s_[pos_] == '|')) ++pos_;
        if (pos_ < s_.size() && s_[pos_] == '&') {  // >&2
          ++pos_;
          while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
          return;
        }
      }
      skip_next_word_ = true;
      return;
    }
    if (!in_word_) word_start_ = pos_;
    in_word_ = true;
    if (c == '\'') {
      quoted_ = true;
      size_t end = s_.find('\'', pos_ + 1);
      if (end == std::string_view::npos) end = s_.size();
      word_.append(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return;
    }
    if (c == '"') {
      quoted_ = true;
      ++pos_;
      while (pos_ < s_.size() && s_[pos_] != '"') {
        if (s_[pos_] == '\\' && pos_ + 1 < s_.size() &&
            std::string_view("\"\\$`\n").find(s_[pos_ + 1]) != std::string_view::npos) {
          if (s_[pos_ + 1] != '\n') word_.push_back(s_[pos_ + 1]);
          pos_ += 2;
          continue;
        }
        word_.push_back(s_[pos_++]);
      }
      ++pos_;
      return;
    }
    if (c == '\\' && pos_ + 1 < s_.size()) {
      word_.push_back(s_[pos_ + 1]);
      pos_ += 2;
      return;
    }
    if (c == '$' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '(') {
      // Command substitution stays inside the word.
      int level = 0;
      size_t start = pos_;
      for (; pos_ < s_.size(); ++pos_) {
        if (s_[pos_] == '(') ++level;
        if (s_[pos_] == ')' && --level == 0) {
          ++pos_;
          break;
        }
      }
      word_.append(s_.substr(start, pos_ - start));
      return;
    }
    if (c == '`') {
      size_t end = s_.find('`', pos_ + 1);
      if (end == std::string_view::npos) end = s_.size() - 1;
      word_.append(s_.substr(pos_, end - pos_ + 1));
      pos_ = end + 1;
      return;
    }
    word_.push_back(c);
    ++pos_;
  }

  void EndWord() {
    if (!in_word_) return;
    if (skip_next_word_) {
      skip_next_word_ = false;
    } else {
      if (cur_.argv.empty()) cur_.offset = word_start_;
      cur_.argv.push_back(std::move(word_));
    }
    word_.clear();
    in_word_ = false;
    quoted_ = false;
  }

  // Ends the current command; `op` is what follows it.
  void Finish(const std::string& op) {
    EndWord();
    skip_next_word_ = false;
    // Compound keywords are structure, not commands.
    while (!cur_.argv.empty() && CompoundKeywords().contains(cur_.argv.front())) cur_.argv.erase(cur_.argv.begin());
    if (!cur_.argv.empty() && (cur_.argv.front() == "for" || cur_.argv.front() == "case")) cur_.argv.clear();
    if (!cur_.argv.empty()) {
      cur_.op_before = next_op_;
      cur_.piped_out = op == "|";
      cur_.depth = depth_;
      if (cur_.piped_out) out_.has_pipe = true;
      const auto& a = cur_.argv;
      if (a[0] == "set") {
        for (size_t i = 1; i < a.size(); ++i) {
          if (a[i].size() > 1 && a[i][0] == '-' && a[i][1] != '-' && a[i].find('e') != std::string::npos &&
              a[i] != "-o")
            out_.errexit = true;
          if (a[i] == "errexit") out_.errexit = true;
          if (a[i] == "pipefail") out_.pipefail = true;
        }
      }
      out_.commands.push_back(std::move(cur_));
      next_op_ = op;
    } else if (!op.empty() && op != "\n") {
      next_op_ = op;
    }
    cur_ = ShellCommand{};
    piped_ = false;
  }

  std::string_view s_;
  size_t max_;
  size_t pos_ = 0;
  ShellScript out_;
  ShellCommand cur_;
  std::string word_;
  bool in_word_ = false;
  bool quoted_ = false;
  bool skip_next_word_ = false;
  bool piped_ = false;
  size_t word_start_ = 0;
  int depth_ = 0;
  std::string next_op_;
};

}  // namespace

ShellScript ParseShell(std::string_view script, size_t max_commands) { return Tokenizer(script, max_commands).Run(); }

std::string ProgramName(const std::vector<std::string>& argv) {
  if (argv.empty()) return "";
  const std::string& a = argv[0];
  size_t slash = a.rfind('/');
  return slash == std::string::npos ? a : a.substr(slash + 1);
}

std::vector<std::string> EffectiveArgv(const ShellCommand& cmd) {
  std::vector<std::string> a = cmd.argv;
  size_t i = 0;
  while (i < a.size()) {
    const std::string& w = a[i];
    size_t eq = w.find('=');
    bool assignment = eq != std::string::npos && eq > 0 && w.find_first_of("-/") > eq &&
                      (std::isalpha(static_cast<unsigned char>(w[0])) || w[0] == '_');
    if (assignment) {
      ++i;
      continue;
    }
    std::string name = ProgramName({w});
    if (name == "sudo" || name == "env" || name == "exec" || name == "nohup" || name == "time" || name == "command" ||
        name == "xargs" || name == "gosu" || name == "su-exec") {
      ++i;
      // Options of the wrapper (sudo -u user, xargs -n1, gosu user).
      while (i < a.size() && a[i].size() > 1 && a[i][0] == '-') {
        bool takes_value = (name == "sudo" && (a[i] == "-u" || a[i] == "-g")) || (name == "xargs" && a[i] == "-I");
        i += takes_value ? 2 : 1;
      }
      if ((name == "gosu" || name == "su-exec") && i < a.size()) ++i;  // the user
      continue;
    }
    break;
  }
  a.erase(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(std::min(i, a.size())));
  return a;
}

}  // namespace drydock
