// `drydock serve`: the fleet's HTTP API (src/server/serve.h, docs/fleet.md).
#include <cstdlib>

#include "cli/commands.h"
#include "cli/fleet.h"
#include "server/serve.h"

namespace drydock {

namespace {

struct ServeFlags {
  std::string listen = "127.0.0.1:8480";
  std::string database;
  std::string token_file;
  bool no_auth = false;
  std::string allow_targets = "registry";
  int max_attempts = 3;
  int64_t max_body = 64 << 10;
  int max_connections = 1024;
};

int RunServeCommand(const ServeFlags& f) {
  server::ServeOptions o;
  const size_t colon = f.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Fail(UsageError("--listen {}: want HOST:PORT", f.listen));
  }
  o.host = f.listen.substr(0, colon);
  if (o.host.size() > 2 && o.host.front() == '[' && o.host.back() == ']') o.host = o.host.substr(1, o.host.size() - 2);
  const std::string port = f.listen.substr(colon + 1);
  char* end = nullptr;
  const long p = std::strtol(port.c_str(), &end, 10);
  if (port.empty() || *end != '\0' || p < 1 || p > 65535) return Fail(UsageError("--listen {}: bad port", f.listen));
  o.port = static_cast<int>(p);
  auto db = DatabaseUrl(f.database);
  if (!db.ok()) return Fail(db.error());
  o.database = *db;
  if (f.no_auth) {
    if (!server::IsLoopback(o.host)) {
      return Fail(UsageError("--no-auth is allowed only on a loopback address, not {}", o.host));
    }
    o.no_auth = true;
  } else {
    if (f.token_file.empty()) {
      return Fail(UsageError("serve needs --token-file FILE (or --no-auth on a loopback address)"));
    }
    auto token = ReadTokenFile(f.token_file);
    if (!token.ok()) return Fail(token.error());
    o.token = *token;
  }
  auto targets = server::TargetPolicy::Parse(f.allow_targets);
  if (!targets.ok()) return Fail(targets.error());
  o.targets = std::move(targets).value();
  if (f.max_attempts < 1 || f.max_attempts > 100) return Fail(UsageError("--max-attempts: want 1 to 100"));
  o.max_attempts = f.max_attempts;
  if (f.max_body < 1024) return Fail(UsageError("--max-body-bytes: want at least 1024"));
  o.max_body = static_cast<size_t>(f.max_body);
  if (f.max_connections < 4) return Fail(UsageError("--max-connections: want at least 4"));
  o.max_connections = f.max_connections;
  return server::RunServe(o);
}

}  // namespace

std::vector<Command> ServeCommand(CLI::App& app) {
  static ServeFlags flags;
  auto* sub = app.add_subcommand("serve", "Fleet mode: the HTTP API over a PostgreSQL job queue (docs/fleet.md)");
  sub->add_option("--listen", flags.listen, "HOST:PORT to listen on")->capture_default_str();
  sub->add_option("--database", flags.database,
                  "PostgreSQL connection URI or key=value string (default: $DRYDOCK_DATABASE)");
  sub->add_option("--token-file", flags.token_file, "file holding the bearer token clients must send");
  sub->add_flag("--no-auth", flags.no_auth, "accept requests without a token (loopback addresses only)");
  sub->add_option("--allow-targets", flags.allow_targets,
                  "targets clients may ask for: registry, docker, path:DIR (comma-separated)")
      ->capture_default_str();
  sub->add_option("--max-attempts", flags.max_attempts, "attempts per job before it is failed")->capture_default_str();
  sub->add_option("--max-body-bytes", flags.max_body, "largest request body (larger: 413)")->capture_default_str();
  sub->add_option("--max-connections", flags.max_connections, "connections served at once (more wait)")
      ->capture_default_str();
  return {{sub, [] { return RunServeCommand(flags); }}};
}

}  // namespace drydock
