// Registry credentials and authentication challenges, as the docker CLI
// finds and answers them. Pure parsing plus one helper process; the HTTP
// token flow itself lives in the registry client (registry.cc). All input is
// untrusted: the config file, the helper's output, the registry's headers
// and token responses. Credentials never appear in an error message.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

// One challenge of a WWW-Authenticate header (RFC 7235): scheme lower-cased
// ("bearer", "basic"), parameter names lower-cased, values unquoted
// (backslash escapes resolved). A parameter given twice keeps its first
// value. A challenge carries either params or a token68 ("Negotiate abc=="),
// never both.
struct AuthChallenge {
  std::string scheme;
  std::map<std::string, std::string> params;  // realm, service, scope, error, …
  std::string token68;
};

// Parses a WWW-Authenticate value; several challenges may be
// comma-separated ("Bearer realm=\"…\",service=\"…\", Basic realm=\"x\"").
// Empty list elements (",,") are skipped as RFC 7230 §7 allows.
// Malformed input (unterminated quotes, no scheme, a parameter without a
// value, control characters outside quotes, > 64 KiB) is an error naming
// the byte offset.
Result<std::vector<AuthChallenge>> ParseWwwAuthenticate(std::string_view header);

struct Credentials {
  std::string username;
  std::string password;        // or a registry token from `auths[].registrytoken`
  std::string identity_token;  // OAuth2 refresh token (`identitytoken`, or helper Username "<token>")
  // Where they came from, for messages, never a secret: "<file> auths[\"ghcr.io\"]",
  // "<file> credHelpers[\"ghcr.io\"] (ecr-login)", "<file> credsStore (desktop)",
  // "credential helper ecr-login" (RunCredentialHelper alone), "--username".
  std::string from;
  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

// How LookupCredentials treats credential helpers. `run` false (the fuzzer)
// never starts a process: a config naming a helper is treated as if the
// helper were not installed (a warning for credsStore, an error for
// credHelpers). `timeout` is each helper run's deadline.
struct HelperOptions {
  bool run = true;
  std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

// Finds the credentials for `registry` (as Reference::registry spells it:
// "docker.io", "ghcr.io", "127.0.0.1:5000") the way the docker CLI does.
// The key docker stores them under is "https://index.docker.io/v1/" for
// docker.io (and its aliases "index.docker.io", "registry-1.docker.io"),
// else the registry itself; that key is also what a helper gets on stdin.
//  1. credHelpers[key] → run `docker-credential-NAME get` (an entry whose
//     value is "" means: skip credsStore, use auths)
//  2. credsStore → run `docker-credential-NAME get`
//  3. auths[key]; failing that, any auths key whose ConvertToHostname form
//     names the same registry ("https://index.docker.io/v1/",
//     "index.docker.io", "registry-1.docker.io" and "docker.io" all mean
//     docker.io): base64 `auth` ("user:pass", which overrides the
//     username/password fields), or username/password, identitytoken,
//     registrytoken (into `password` when there is no password).
// Where docker matches keys exactly, this also accepts the aliases and
// compares host names case-insensitively (credHelpers keys too): a superset.
// When a helper answers, auths is not consulted (docker's native store).
// Top-level field names match case-insensitively, the last duplicate
// winning, as Go's encoding/json reads them; only the fields used are
// type-checked. `config_dir` "" means $DOCKER_CONFIG, else $HOME/.docker.
// No config file is not an error (empty Credentials); an empty one is an
// empty config; a malformed one (bad JSON, a used field of the wrong type,
// a bad `auth`, > 1 MiB) is an error naming the file and the key, never a
// value. A helper that answers "credentials not found" gives empty
// Credentials and no warning (docker: anonymous access). A helper that is
// not installed, fails, or times out is not an error for a store (empty
// Credentials, a `warning` set) but is one for an explicit credHelper.
struct CredentialLookup {
  Credentials credentials;
  std::string warning;  // one line for stderr, or ""
};
Result<CredentialLookup> LookupCredentials(std::string_view registry, const std::string& config_dir,
                                           const HelperOptions& helpers = {});

// LookupCredentials on the text of a config file instead of a directory:
// no filesystem access besides the helpers it runs (none with
// helpers.run false). `path_for_messages` names the file in errors and
// warnings.
Result<CredentialLookup> LookupCredentialsInConfig(std::string_view config_json, std::string_view registry,
                                                   const std::string& path_for_messages,
                                                   const HelperOptions& helpers = {});

// docker CLI's credentials.ConvertToHostname: an auths key with a scheme
// ("https://host:port/v1/") becomes its host[:port] as Go's net/url reads
// it (IPv6 without a port loses its brackets, as in Go); one without a
// scheme is cut at the first '/'.
std::string ConvertToHostname(std::string_view key);

// Runs `docker-credential-NAME get` with `server` on stdin (no shell; PATH
// lookup; stdout capped at 64 KiB, stderr discarded, `timeout` deadline,
// after which the helper's process group is killed and reaped) and parses
// {"ServerURL","Username","Secret"}. Username "<token>" makes Secret an
// identity token. A non-zero exit whose output says "credentials not
// found" gives empty Credentials (not an error). Errors (not installed,
// other exit status, killed, timeout, output too large or not JSON) are
// kEnvironment or kInput; they quote at most the first line of the
// helper's output, and never output that looks like JSON. NAME must not
// contain '/'. Thread-safe (SIGPIPE is blocked in the calling thread while
// writing to the helper).
Result<Credentials> RunCredentialHelper(const std::string& name, const std::string& server,
                                        std::chrono::milliseconds timeout = std::chrono::seconds(10));

// The JSON body of a token endpoint response (distribution token spec):
// `token` or `access_token` (either; token wins when both), `expires_in`
// seconds (default 60, values < 60 taken as 60 as the spec says),
// `issued_at`, `refresh_token`. Values over a year are taken as a year, so
// `now + expires_in` cannot overflow. Field names match case-insensitively
// (Go's encoding/json). Over 1 MiB, not an object, a field of the wrong
// type (expires_in must be an integer), or no token: an error, which never
// quotes the body.
struct TokenResponse {
  std::string token;
  int64_t expires_in = 60;
  std::string issued_at;
  std::string refresh_token;
};
Result<TokenResponse> ParseTokenResponse(std::string_view json);

// "Basic " + base64("user:pass").
std::string BasicAuthorization(const Credentials& c);

}  // namespace drydock
