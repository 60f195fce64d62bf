#include "source/registry_auth.h"

#include <fcntl.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <thread>

#include "model/json_util.h"

extern char** environ;

namespace drydock {

namespace {

constexpr size_t kMaxHeader = 64 * 1024;
constexpr size_t kMaxConfig = 1024 * 1024;
constexpr size_t kMaxTokenBody = 1024 * 1024;
constexpr size_t kMaxHelperOutput = 64 * 1024;
constexpr size_t kMaxServerUrl = 4096;  // well under a pipe's capacity, so one write never blocks
constexpr int64_t kMinTokenLifetime = 60;
constexpr int64_t kMaxTokenLifetime = 365LL * 24 * 3600;
constexpr std::string_view kHubAuthKey = "https://index.docker.io/v1/";
constexpr std::string_view kTokenUsername = "<token>";

// ---------------------------------------------------------------------------
// WWW-Authenticate (RFC 7235 §4.1, RFC 7230 §3.2.6)

bool IsTchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}
bool IsToken68Char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~' || c == '+' || c == '/';
}
std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}
bool EqualFoldAscii(std::string_view a, std::string_view b) { return a.size() == b.size() && Lower(a) == Lower(b); }

class ChallengeParser {
 public:
  explicit ChallengeParser(std::string_view s) : s_(s) {}

  Result<std::vector<AuthChallenge>> Parse() {
    std::vector<AuthChallenge> out;
    SkipListSeparators();
    while (i_ < s_.size()) {
      ASSIGN_OR_RETURN(AuthChallenge c, ParseChallenge());
      out.push_back(std::move(c));
      SkipListSeparators();
    }
    if (out.empty()) return InputError("WWW-Authenticate: no challenge");
    return out;
  }

 private:
  Error Bad(std::string_view what) const {
    if (i_ >= s_.size()) return InputError("WWW-Authenticate: {} at end of header", what);
    return InputError("WWW-Authenticate: {} at offset {} (byte 0x{:02x})", what, i_,
                      static_cast<unsigned char>(s_[i_]));
  }
  bool AtEnd() const { return i_ >= s_.size(); }
  void SkipOws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t')) ++i_;
  }
  void SkipListSeparators() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == ',')) ++i_;
  }
  std::string_view Token() {
    const size_t start = i_;
    while (i_ < s_.size() && IsTchar(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }
  // Is there `token BWS "="` (an auth-param, not a token68 or a new
  // challenge) at the cursor? The cursor does not move.
  bool AtParam() const {
    size_t j = i_;
    while (j < s_.size() && IsTchar(s_[j])) ++j;
    if (j == i_) return false;
    while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t')) ++j;
    if (j >= s_.size() || s_[j] != '=') return false;
    // "abc==" is a token68, not a param "abc" with value "=".
    ++j;
    while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t')) ++j;
    return j < s_.size() && s_[j] != '=' && s_[j] != ',';
  }
  // Is there a token68 that ends the challenge at the cursor?
  bool AtToken68() const {
    size_t j = i_;
    while (j < s_.size() && IsToken68Char(s_[j])) ++j;
    if (j == i_) return false;
    while (j < s_.size() && s_[j] == '=') ++j;
    while (j < s_.size() && (s_[j] == ' ' || s_[j] == '\t')) ++j;
    return j == s_.size() || s_[j] == ',';
  }

  Result<std::string> QuotedString() {
    ++i_;  // opening quote
    std::string out;
    while (true) {
      if (AtEnd()) return Bad("unterminated quoted string");
      const auto c = static_cast<unsigned char>(s_[i_]);
      if (c == '"') {
        ++i_;
        return out;
      }
      if (c == '\\') {
        ++i_;
        if (AtEnd()) return Bad("unterminated quoted string");
        const auto e = static_cast<unsigned char>(s_[i_]);
        if (e != '\t' && (e < 0x20 || e == 0x7f)) return Bad("control character in quoted string");
        out.push_back(static_cast<char>(e));
        ++i_;
        continue;
      }
      if (c != '\t' && (c < 0x20 || c == 0x7f)) return Bad("control character in quoted string");
      out.push_back(static_cast<char>(c));
      ++i_;
    }
  }

  Result<AuthChallenge> ParseChallenge() {
    AuthChallenge c;
    std::string_view scheme = Token();
    if (scheme.empty()) return Bad("expected an auth scheme");
    c.scheme = Lower(scheme);
    if (!AtEnd() && s_[i_] != ' ' && s_[i_] != '\t' && s_[i_] != ',') return Bad("unexpected character after scheme");
    SkipOws();
    if (AtEnd() || s_[i_] == ',') return c;
    if (!AtParam()) {
      if (!AtToken68()) return Bad("expected an auth-param or token68");
      const size_t start = i_;
      while (i_ < s_.size() && (IsToken68Char(s_[i_]) || s_[i_] == '=')) ++i_;
      c.token68 = std::string(s_.substr(start, i_ - start));
      SkipOws();
      return c;
    }
    // #auth-param: params separated by commas (and empty elements) until
    // something that is not `name =` starts the next challenge.
    while (true) {
      std::string name = Lower(Token());
      SkipOws();
      ++i_;  // '=' (AtParam checked it)
      SkipOws();
      std::string value;
      if (AtEnd()) return Bad("expected a parameter value");
      if (s_[i_] == '"') {
        ASSIGN_OR_RETURN(value, QuotedString());
      } else {
        std::string_view t = Token();
        if (t.empty()) return Bad("expected a token or quoted string");
        value = std::string(t);
      }
      c.params.emplace(std::move(name), std::move(value));  // keeps the first
      SkipOws();
      if (AtEnd()) return c;
      if (s_[i_] != ',') return Bad("expected ',' after parameter");
      SkipListSeparators();
      if (AtEnd() || !AtParam()) return c;
    }
  }

  std::string_view s_;
  size_t i_ = 0;
};

// ---------------------------------------------------------------------------
// base64 (RFC 4648 standard alphabet, padded), as Go's base64.StdEncoding
// decodes it: strict about padding and the alphabet, but CR and LF are
// skipped.

std::optional<std::string> DecodeBase64(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string clean;
  clean.reserve(in.size());
  for (char c : in) {
    if (c != '\r' && c != '\n') clean.push_back(c);
  }
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(clean.size() / 4 * 3);
  for (size_t i = 0; i < clean.size(); i += 4) {
    const bool last = i + 4 == clean.size();
    int v[4];
    int pad = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = clean[i + k];
      if (c == '=') {
        if (!last || k < 2) return std::nullopt;
        v[k] = 0;
        ++pad;
        continue;
      }
      if (pad != 0) return std::nullopt;  // data after '='
      v[k] = value(c);
      if (v[k] < 0) return std::nullopt;
    }
    const uint32_t n = (static_cast<uint32_t>(v[0]) << 18) | (static_cast<uint32_t>(v[1]) << 12) |
                       (static_cast<uint32_t>(v[2]) << 6) | static_cast<uint32_t>(v[3]);
    // Go rejects non-zero bits in the padding only in Strict mode; StdEncoding ignores them.
    out.push_back(static_cast<char>((n >> 16) & 0xff));
    if (pad < 2) out.push_back(static_cast<char>((n >> 8) & 0xff));
    if (pad < 1) out.push_back(static_cast<char>(n & 0xff));
  }
  return out;
}

std::string EncodeBase64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<size_t>(std::max(n, 0)));
  return out;
}

// ---------------------------------------------------------------------------
// Config keys

bool IsHubAlias(std::string_view host) {
  return EqualFoldAscii(host, "docker.io") || EqualFoldAscii(host, "index.docker.io") ||
         EqualFoldAscii(host, "registry-1.docker.io");
}

// The key docker's getAuthConfigKey would use, and the server URL a helper
// is given.
std::string AuthKey(std::string_view registry) {
  return IsHubAlias(registry) ? std::string(kHubAuthKey) : std::string(registry);
}

// Does a config key (auths or credHelpers) name `registry`?
bool KeyMatches(std::string_view key, std::string_view registry) {
  if (key == AuthKey(registry)) return true;
  const std::string host = ConvertToHostname(key);
  if (IsHubAlias(registry)) return IsHubAlias(host);
  return EqualFoldAscii(host, registry);
}

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string JoinHostPort(std::string_view host, std::string_view port) {
  if (host.find(':') != std::string_view::npos) return fmt::format("[{}]:{}", host, port);
  return fmt::format("{}:{}", host, port);
}

// credentials.hostFromURLFallback: for scheme URLs that net/url rejects.
std::string HostFromUrlFallback(std::string_view url) {
  const size_t sep = url.find("://");
  if (sep == std::string_view::npos) return {};
  std::string_view rest = url.substr(sep + 3);
  std::string_view host = rest.substr(0, rest.find('/'));
  if (host.empty()) return {};
  if (std::count(host.begin(), host.end(), ':') > 1 && host.front() != '[') {
    const size_t colon = host.rfind(':');
    std::string_view addr = host.substr(0, colon);
    std::string_view port = host.substr(colon + 1);
    if (!addr.empty() && !port.empty() && AllDigits(port)) return JoinHostPort(addr, port);
  }
  return std::string(host);
}

// The parts of Go's url.Parse that decide u.Hostname() and u.Port() for
// "scheme://authority…"; nullopt where url.Parse would fail.
std::optional<std::string> HostFromUrl(std::string_view url) {
  const size_t colon = url.find(':');
  const size_t sep = url.find("://");
  if (colon != sep || sep == 0) return std::nullopt;  // the scheme ends at the first ':'
  std::string_view scheme = url.substr(0, sep);
  const auto alpha = [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); };
  if (!alpha(scheme.front())) return std::nullopt;
  for (char c : scheme) {
    if (!alpha(c) && !(c >= '0' && c <= '9') && c != '+' && c != '-' && c != '.') return std::nullopt;
  }
  for (char c : url) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) return std::nullopt;  // "invalid control character"
  }
  std::string_view rest = url.substr(sep + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = authority.rfind('@'); at != std::string_view::npos) authority = authority.substr(at + 1);
  std::string_view host;
  std::string_view port;
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    host = authority.substr(1, close - 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':' || !AllDigits(after.substr(1))) return std::nullopt;
      port = after.substr(1);
    }
  } else {
    host = authority;
    if (const size_t c = authority.rfind(':'); c != std::string_view::npos) {
      host = authority.substr(0, c);
      port = authority.substr(c + 1);
      if (!AllDigits(port)) return std::nullopt;
      if (host.find(':') != std::string_view::npos) return std::nullopt;  // unbracketed IPv6
    }
  }
  if (host.empty()) return std::nullopt;
  if (port.empty()) return std::string(host);
  return JoinHostPort(host, port);
}

// ---------------------------------------------------------------------------
// Helper output, for messages: the first line, short, printable, and never
// anything that looks like the JSON a helper answers with.

std::string OutputExcerpt(std::string_view out) {
  std::string_view line = out.substr(0, out.find('\n'));
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.remove_suffix(1);
  while (!line.empty() && line.front() == ' ') line.remove_prefix(1);
  if (line.empty()) return {};
  if (line.find_first_of("{}\"") != std::string_view::npos) return ": (output withheld: it may hold a secret)";
  std::string clean;
  for (char c : line.substr(0, 160)) {
    const auto u = static_cast<unsigned char>(c);
    clean.push_back(u >= 0x20 && u < 0x7f ? c : '?');
  }
  if (line.size() > 160) clean += "…";
  return ": " + clean;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{} s", d.count() / 1000);
  return fmt::format("{} ms", d.count());
}

// Closes a file descriptor on scope exit.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Reset(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Reset() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

struct SpawnAttrs {
  posix_spawn_file_actions_t actions;
  posix_spawnattr_t attr;
  SpawnAttrs() {
    posix_spawn_file_actions_init(&actions);
    posix_spawnattr_init(&attr);
  }
  ~SpawnAttrs() {
    posix_spawn_file_actions_destroy(&actions);
    posix_spawnattr_destroy(&attr);
  }
  SpawnAttrs(const SpawnAttrs&) = delete;
  SpawnAttrs& operator=(const SpawnAttrs&) = delete;
};

// Writes `data` to a pipe without letting SIGPIPE kill us when the reader
// has gone: the signal is blocked in this thread and a SIGPIPE this write
// raised is consumed before the mask is restored.
void WriteIgnoringEpipe(int fd, std::string_view data) {
  sigset_t pipe_set;
  sigset_t old;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  size_t off = 0;
  bool epipe = false;
  while (off < data.size()) {
    const ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      epipe = errno == EPIPE;
      break;
    }
    off += static_cast<size_t>(n);
  }
  if (epipe && !was_pending) {
    const timespec zero{};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void KillAndReap(pid_t pid) {
  ::kill(-pid, SIGKILL);  // the helper's process group: a shell script's children too
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
}

Result<Credentials> ParseHelperOutput(std::string_view out, const std::string& program, const std::string& name) {
  std::string_view trimmed = out;
  while (!trimmed.empty() && (trimmed.back() == '\n' || trimmed.back() == '\r' || trimmed.back() == ' ')) {
    trimmed.remove_suffix(1);
  }
  if (trimmed.empty()) return InputError("{} get: exited 0 but printed nothing", program);
  simdjson::dom::parser parser;
  const std::string what = program + " get output";
  ASSIGN_OR_RETURN(simdjson::dom::element root, json::Parse(parser, out, what));
  if (!root.is_object()) return InputError("{}: not a JSON object", what);
  ASSIGN_OR_RETURN(std::string username, json::String(root, "Username", what));
  ASSIGN_OR_RETURN(std::string secret, json::String(root, "Secret", what));
  Credentials c;
  if (username == kTokenUsername) {
    c.identity_token = std::move(secret);
  } else {
    c.username = std::move(username);
    c.password = std::move(secret);
  }
  if (!c.empty()) c.from = "credential helper " + name;
  return c;
}

// ---------------------------------------------------------------------------
// Config file

Result<std::optional<std::string>> ReadConfigFile(const std::string& path) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return EnvError("docker config {}: {}", path, std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return EnvError("docker config {}: {}", path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) return EnvError("docker config {}: is a directory", path);
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > kMaxConfig) {
    return InputError("docker config {}: {} bytes, more than the 1 MiB limit", path, st.st_size);
  }
  std::string data;
  char buf[16384];
  while (true) {
    const ssize_t n = ::read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return EnvError("docker config {}: {}", path, std::strerror(errno));
    if (n == 0) break;
    data.append(buf, static_cast<size_t>(n));
    if (data.size() > kMaxConfig) return InputError("docker config {}: more than the 1 MiB limit", path);
  }
  return std::optional<std::string>(std::move(data));
}

std::string HomeDir() {
  if (const char* h = std::getenv("HOME"); h != nullptr && *h != '\0') return h;
  long size = sysconf(_SC_GETPW_R_SIZE_MAX);
  std::string buf(size > 0 ? static_cast<size_t>(size) : 16384, '\0');
  passwd pw{};
  passwd* result = nullptr;
  if (getpwuid_r(getuid(), &pw, buf.data(), buf.size(), &result) == 0 && result != nullptr && pw.pw_dir != nullptr) {
    return pw.pw_dir;
  }
  return {};
}

// The entry of object `obj` whose key matches `registry`: the exact docker
// key wins (its last duplicate, as a Go map keeps), else the first key that
// names the same host. Returns the key too, for messages.
std::optional<std::pair<std::string, simdjson::dom::element>> FindEntry(simdjson::dom::object obj,
                                                                        std::string_view registry) {
  const std::string exact = AuthKey(registry);
  std::optional<std::pair<std::string, simdjson::dom::element>> found_exact;
  std::optional<std::pair<std::string, simdjson::dom::element>> found_alias;
  for (auto [k, v] : obj) {
    if (k == exact) {
      found_exact.emplace(std::string(k), v);
    } else if (!found_alias && KeyMatches(k, registry)) {
      found_alias.emplace(std::string(k), v);
    }
  }
  return found_exact ? found_exact : found_alias;
}

Result<Credentials> CredentialsFromAuthEntry(simdjson::dom::element entry, const std::string& key,
                                             const std::string& path) {
  const std::string what = fmt::format("docker config {}: auths[{:?}]", path, key);
  if (!entry.is_object()) return InputError("{}: not a JSON object", what);
  ASSIGN_OR_RETURN(std::string auth, json::String(entry, "auth", what));
  Credentials c;
  ASSIGN_OR_RETURN(c.username, json::String(entry, "username", what));
  ASSIGN_OR_RETURN(c.password, json::String(entry, "password", what));
  ASSIGN_OR_RETURN(c.identity_token, json::String(entry, "identitytoken", what));
  ASSIGN_OR_RETURN(std::string registry_token, json::String(entry, "registrytoken", what));
  if (!auth.empty()) {
    std::optional<std::string> decoded = DecodeBase64(auth);
    if (!decoded) return InputError("{}: field \"auth\" is not valid base64", what);
    const size_t colon = decoded->find(':');
    if (colon == std::string::npos || colon == 0) {
      return InputError("{}: field \"auth\" does not decode to \"username:password\"", what);
    }
    c.username = decoded->substr(0, colon);
    std::string_view pass = std::string_view(*decoded).substr(colon + 1);
    while (!pass.empty() && pass.front() == '\0') pass.remove_prefix(1);
    while (!pass.empty() && pass.back() == '\0') pass.remove_suffix(1);
    c.password = std::string(pass);
  }
  if (c.password.empty()) c.password = std::move(registry_token);
  if (!c.empty()) c.from = fmt::format("{} auths[{:?}]", path, key);
  return c;
}

}  // namespace

Result<std::vector<AuthChallenge>> ParseWwwAuthenticate(std::string_view header) {
  if (header.size() > kMaxHeader) {
    return InputError("WWW-Authenticate: {} bytes, more than the 64 KiB limit", header.size());
  }
  return ChallengeParser(header).Parse();
}

std::string ConvertToHostname(std::string_view key) {
  if (key.find("://") != std::string_view::npos) {
    if (std::optional<std::string> h = HostFromUrl(key)) return *h;
    if (std::string h = HostFromUrlFallback(key); !h.empty()) return h;
  }
  return std::string(key.substr(0, key.find('/')));
}

Result<Credentials> RunCredentialHelper(const std::string& name, const std::string& server,
                                        std::chrono::milliseconds timeout) {
  const std::string program = "docker-credential-" + name;
  if (name.empty() || name.find('/') != std::string::npos || name.find('\0') != std::string::npos) {
    return InputError("credential helper {:?}: not a plain program name", name.substr(0, 100));
  }
  if (server.size() > kMaxServerUrl)
    return InputError("{}: server URL of {} bytes is too long", program, server.size());

  int in_pipe[2];
  int out_pipe[2];
  if (::pipe2(in_pipe, O_CLOEXEC) != 0) return EnvError("{}: pipe: {}", program, std::strerror(errno));
  Fd in_read(in_pipe[0]);
  Fd in_write(in_pipe[1]);
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) return EnvError("{}: pipe: {}", program, std::strerror(errno));
  Fd out_read(out_pipe[0]);
  Fd out_write(out_pipe[1]);

  SpawnAttrs spawn;
  posix_spawn_file_actions_adddup2(&spawn.actions, in_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&spawn.actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&spawn.actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  // Its own process group, so a timeout kills what a script started too;
  // no blocked signals and default dispositions, whatever ours are.
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int sig : {SIGPIPE, SIGINT, SIGQUIT, SIGTERM, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2}) sigaddset(&defaults, sig);
  posix_spawnattr_setflags(&spawn.attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  posix_spawnattr_setpgroup(&spawn.attr, 0);
  posix_spawnattr_setsigmask(&spawn.attr, &none);
  posix_spawnattr_setsigdefault(&spawn.attr, &defaults);

  std::string arg0 = program;
  std::string arg1 = "get";
  char* argv[] = {arg0.data(), arg1.data(), nullptr};
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, program.c_str(), &spawn.actions, &spawn.attr, argv, environ);
  if (rc == ENOENT) return EnvError("{}: not installed (not found in PATH)", program);
  if (rc != 0) return EnvError("{}: cannot run: {}", program, std::strerror(rc));
  in_read.Reset();
  out_write.Reset();

  WriteIgnoringEpipe(in_write.get(), server);
  in_write.Reset();

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string out;
  bool eof = false;
  bool exited = false;
  int status = 0;
  char buf[8192];
  auto read_some = [&]() -> bool {  // false on EOF or error
    const ssize_t n = ::read(out_read.get(), buf, sizeof buf);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) return true;
    if (n <= 0) return false;
    out.append(buf, static_cast<size_t>(n));
    return true;
  };
  while (!(eof && exited)) {
    if (!exited) {
      const pid_t r = ::waitpid(pid, &status, WNOHANG);
      if (r == pid || (r < 0 && errno == ECHILD)) {
        exited = true;
        if (r < 0) status = -1;
      }
    }
    if (exited && !eof) {
      // Whatever it wrote is in the pipe now; a child it left behind may
      // hold the pipe open, so read what is there without waiting.
      ::fcntl(out_read.get(), F_SETFL, O_NONBLOCK);
      while (out.size() <= kMaxHelperOutput) {
        const ssize_t n = ::read(out_read.get(), buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        out.append(buf, static_cast<size_t>(n));
      }
      eof = true;
      break;
    }
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      KillAndReap(pid);
      return EnvError("{} get: no answer within {}; killed", program, FormatDuration(timeout));
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count();
    const int wait_ms = static_cast<int>(std::clamp<int64_t>(left, 1, 10));
    if (!eof) {
      pollfd p{out_read.get(), POLLIN, 0};
      const int pr = ::poll(&p, 1, wait_ms);
      if (pr > 0 && !read_some()) eof = true;
      if (out.size() > kMaxHelperOutput) {
        KillAndReap(pid);
        return InputError("{} get: output exceeds the 64 KiB limit; killed", program);
      }
    } else {
      std::this_thread::sleep_for(std::chrono::milliseconds(wait_ms));
    }
  }
  if (out.size() > kMaxHelperOutput) return InputError("{} get: output exceeds the 64 KiB limit", program);

  if (status == -1) return EnvError("{} get: exit status unavailable (reaped elsewhere)", program);
  if (WIFSIGNALED(status)) return EnvError("{} get: killed by signal {}", program, WTERMSIG(status));
  if (WIFEXITED(status) && WEXITSTATUS(status) != 0) {
    if (out.find("credentials not found") != std::string::npos) return Credentials{};
    return EnvError("{} get: exit status {}{}", program, WEXITSTATUS(status), OutputExcerpt(out));
  }
  return ParseHelperOutput(out, program, name);
}

Result<CredentialLookup> LookupCredentialsInConfig(std::string_view config_json, std::string_view registry,
                                                   const std::string& path_for_messages, const HelperOptions& helpers) {
  const std::string& path = path_for_messages;
  CredentialLookup result;
  if (config_json.size() > kMaxConfig) {
    return InputError("docker config {}: {} bytes, more than the 1 MiB limit", path, config_json.size());
  }
  // Go's json.Decoder gives io.EOF for an empty file, which docker ignores.
  if (std::all_of(config_json.begin(), config_json.end(),
                  [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; })) {
    return result;
  }
  simdjson::dom::parser parser;
  const std::string what = "docker config " + path;
  ASSIGN_OR_RETURN(simdjson::dom::element root, json::Parse(parser, config_json, what));
  if (!root.is_object()) return InputError("{}: not a JSON object", what);

  // Which helper, if any: credHelpers[key], else credsStore.
  std::string helper;
  std::string helper_from;
  bool explicit_helper = false;
  if (auto ch = json::Get(root, "credHelpers")) {
    simdjson::dom::object obj;
    if (ch->get_object().get(obj)) return InputError("{}: field \"credHelpers\" is not an object", what);
    if (auto entry = FindEntry(obj, registry)) {
      std::string_view name;
      if (entry->second.get_string().get(name)) {
        return InputError("{}: credHelpers[{:?}] is not a string", what, entry->first);
      }
      helper = std::string(name);
      helper_from = fmt::format("credHelpers[{:?}]", entry->first);
      explicit_helper = true;
    }
  }
  if (!explicit_helper) {
    ASSIGN_OR_RETURN(helper, json::String(root, "credsStore", what));
    helper_from = "credsStore";
  }

  if (!helper.empty()) {
    const std::string server = AuthKey(registry);
    Result<Credentials> got =
        helpers.run ? RunCredentialHelper(helper, server, helpers.timeout)
                    : Result<Credentials>(EnvError("docker-credential-{}: helpers are not run here", helper));
    if (got.ok()) {
      result.credentials = std::move(got).value();
      if (!result.credentials.empty()) {
        result.credentials.from = fmt::format("{} {} ({})", path, helper_from, helper);
      }
      return result;
    }
    const Error e = got.error().Wrap(fmt::format("{} {} for {}", path, helper_from, registry));
    if (explicit_helper) return e;
    result.warning = e.message + "; continuing without credentials";
    return result;
  }

  auto auths = json::Get(root, "auths");
  if (!auths) return result;
  simdjson::dom::object obj;
  if (auths->get_object().get(obj)) return InputError("{}: field \"auths\" is not an object", what);
  auto entry = FindEntry(obj, registry);
  if (!entry) return result;
  ASSIGN_OR_RETURN(result.credentials, CredentialsFromAuthEntry(entry->second, entry->first, path));
  return result;
}

Result<CredentialLookup> LookupCredentials(std::string_view registry, const std::string& config_dir,
                                           const HelperOptions& helpers) {
  std::string dir = config_dir;
  if (dir.empty()) {
    if (const char* d = std::getenv("DOCKER_CONFIG"); d != nullptr && *d != '\0') {
      dir = d;
    } else if (std::string home = HomeDir(); !home.empty()) {
      dir = home + "/.docker";
    } else {
      return CredentialLookup{};  // nowhere to look
    }
  }
  const std::string path = dir + "/config.json";
  ASSIGN_OR_RETURN(std::optional<std::string> text, ReadConfigFile(path));
  if (!text) return CredentialLookup{};
  return LookupCredentialsInConfig(*text, registry, path, helpers);
}

Result<TokenResponse> ParseTokenResponse(std::string_view body) {
  constexpr std::string_view what = "token response";
  if (body.size() > kMaxTokenBody) {
    return InputError("{}: {} bytes, more than the 1 MiB limit", what, body.size());
  }
  simdjson::dom::parser parser;
  ASSIGN_OR_RETURN(simdjson::dom::element root, json::Parse(parser, body, what));
  if (!root.is_object()) return InputError("{}: not a JSON object", what);
  TokenResponse t;
  ASSIGN_OR_RETURN(t.token, json::String(root, "token", what));
  ASSIGN_OR_RETURN(std::string access_token, json::String(root, "access_token", what));
  if (t.token.empty()) t.token = std::move(access_token);
  if (t.token.empty()) return InputError("{}: no \"token\" or \"access_token\"", what);
  if (auto e = json::Get(root, "expires_in")) {
    int64_t i = 0;
    uint64_t u = 0;
    if (!e->get_int64().get(i)) {
      t.expires_in = i;
    } else if (!e->get_uint64().get(u)) {
      t.expires_in = kMaxTokenLifetime;  // above INT64_MAX
    } else {
      return InputError("{}: field \"expires_in\" is not an integer", what);
    }
  }
  t.expires_in = std::clamp(t.expires_in, kMinTokenLifetime, kMaxTokenLifetime);
  ASSIGN_OR_RETURN(t.issued_at, json::String(root, "issued_at", what));
  ASSIGN_OR_RETURN(t.refresh_token, json::String(root, "refresh_token", what));
  return t;
}

std::string BasicAuthorization(const Credentials& c) { return "Basic " + EncodeBase64(c.username + ":" + c.password); }

}  // namespace drydock
