// Registry credentials and authentication challenges, as the docker CLI
// finds and answers them. Pure parsing plus one helper process; the HTTP
// token flow itself lives in the registry client (registry.cc). All input is
// untrusted: the config file, the helper's output, the registry's headers
// and token responses. Credentials never appear in an error message.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

// One challenge of a WWW-Authenticate header (RFC 7235): scheme lower-cased
// ("bearer", "basic"), parameter names lower-cased, values unquoted
// (backslash escapes resolved).
struct AuthChallenge {
  std::string scheme;
  std::map<std::string, std::string> params;  // realm, service, scope, error, …
};

// Parses a WWW-Authenticate value; several challenges may be
// comma-separated ("Bearer realm=\"…\",service=\"…\", Basic realm=\"x\"").
// Malformed input (unterminated quotes, no scheme, > 64 KiB) is an error.
Result<std::vector<AuthChallenge>> ParseWwwAuthenticate(std::string_view header);

struct Credentials {
  std::string username;
  std::string password;        // or a registry token from `auths[].registrytoken`
  std::string identity_token;  // OAuth2 refresh token (`identitytoken`, or helper Username "<token>")
  std::string from;            // where they came from, for messages: "config.json auths", "credHelpers: ecr-login", "--username"
  bool empty() const { return username.empty() && password.empty() && identity_token.empty(); }
};

// Finds the credentials for `registry` (as Reference::registry spells it:
// "docker.io", "ghcr.io", "127.0.0.1:5000") the way the docker CLI does:
//  1. credHelpers[registry] → run `docker-credential-NAME get`
//  2. credsStore → run `docker-credential-NAME get`
//  3. auths[key] whose key, with scheme and path stripped, equals the
//     registry ("https://index.docker.io/v1/", "index.docker.io",
//     "registry-1.docker.io" and "docker.io" all mean docker.io): base64
//     `auth` ("user:pass"), or username/password fields, or identitytoken.
// `config_dir` "" means $DOCKER_CONFIG, else $HOME/.docker. No config file
// is not an error (empty Credentials); a malformed one is (naming the file,
// never its content). A helper that is not installed, exits non-zero with
// "credentials not found", or times out (10 s) is not an error for a store
// (empty Credentials, a `warning` set) but is one for an explicit credHelper.
struct CredentialLookup {
  Credentials credentials;
  std::string warning;  // one line for stderr, or ""
};
Result<CredentialLookup> LookupCredentials(std::string_view registry, const std::string& config_dir);

// Runs `docker-credential-NAME get` with `server` on stdin (no shell; PATH
// lookup; stdout capped at 64 KiB, stderr discarded, 10 s deadline, killed
// after) and parses {"ServerURL","Username","Secret"}. Username "<token>"
// makes Secret an identity token.
Result<Credentials> RunCredentialHelper(const std::string& name, const std::string& server);

// The JSON body of a token endpoint response (distribution token spec):
// `token` or `access_token` (either; token wins when both), `expires_in`
// seconds (default 60, values < 60 taken as 60 as the spec says),
// `issued_at`, `refresh_token`. Over 1 MiB, not an object, or no token: an
// error.
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
