// Fuzzes what a registry and a user's machine hand the registry client:
// image references, WWW-Authenticate headers, token endpoint bodies and
// docker config.json files. The first input byte selects the parser (mod
// 4); the rest is the input. For the config, a first line (when there is
// one, up to 300 bytes) names the registry to look up. Credential helpers
// are never run (HelperOptions::run false): a fuzzer must not spawn
// processes. Besides "no crash", it asserts what the headers promise.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "source/reference.h"
#include "source/registry_auth.h"

namespace drydock::fuzz {
namespace {

bool IsLower(std::string_view s) {
  for (char c : s) {
    if (c >= 'A' && c <= 'Z') return false;
  }
  return true;
}

void CheckError(const Error& e, size_t limit) {
  Say("error", e.message);
  FUZZ_CHECK(!e.message.empty(), "empty error message");
  FUZZ_CHECK(e.message.size() <= limit, "error message of %zu bytes", e.message.size());
}

void FuzzReference(std::string_view in) {
  Result<Reference> r = ParseReference(in);
  if (!r.ok()) {
    CheckError(r.error(), 2000);
    return;
  }
  const Reference& ref = *r;
  FUZZ_CHECK(!ref.registry.empty() && !ref.repository.empty(), "empty registry or repository");
  FUZZ_CHECK(ref.repository.size() <= 255, "repository of %zu bytes", ref.repository.size());
  FUZZ_CHECK(IsLower(ref.repository), "upper case repository %s", ref.repository.c_str());
  FUZZ_CHECK(ref.tag.size() <= 128, "tag of %zu bytes", ref.tag.size());
  FUZZ_CHECK(ref.digest.empty() || ref.digest.algorithm == "sha256", "digest %s", ref.digest.str().c_str());
  FUZZ_CHECK(ref.registry != "index.docker.io", "index.docker.io not normalized");
  FUZZ_CHECK(!ref.manifest_ref().empty(), "empty manifest_ref");
  FUZZ_CHECK(!ref.api_host().empty(), "empty api_host");
  (void)ref.is_loopback();
  // str() is canonical: it parses back to itself.
  const std::string s = ref.str();
  Result<Reference> again = ParseReference(s);
  FUZZ_CHECK(again.ok(), "ParseReference rejects its own str() %s: %s", s.c_str(),
             again.ok() ? "" : again.error().message.c_str());
  FUZZ_CHECK(again->str() == s, "round trip: %s vs %s", s.c_str(), again->str().c_str());
  FUZZ_CHECK(again->registry == ref.registry && again->repository == ref.repository && again->tag == ref.tag &&
                 again->digest == ref.digest,
             "round trip changed the parts of %s", s.c_str());
}

void FuzzChallenges(std::string_view in) {
  auto r = ParseWwwAuthenticate(in);
  if (!r.ok()) {
    CheckError(r.error(), 300);
    return;
  }
  FUZZ_CHECK(!r->empty(), "no challenges but no error");
  for (const AuthChallenge& c : *r) {
    FUZZ_CHECK(!c.scheme.empty() && IsLower(c.scheme), "scheme %s", c.scheme.c_str());
    FUZZ_CHECK(c.params.empty() || c.token68.empty(), "both params and token68");
    for (const auto& [k, v] : c.params) {
      FUZZ_CHECK(!k.empty() && IsLower(k), "param name %s", k.c_str());
      FUZZ_CHECK(v.size() <= in.size(), "param value longer than the header");
    }
  }
}

void FuzzToken(std::string_view in) {
  auto r = ParseTokenResponse(in);
  if (!r.ok()) {
    CheckError(r.error(), 300);
    return;
  }
  FUZZ_CHECK(!r->token.empty(), "empty token accepted");
  FUZZ_CHECK(r->expires_in >= 60 && r->expires_in <= 365LL * 24 * 3600, "expires_in %lld",
             static_cast<long long>(r->expires_in));
}

void FuzzConfig(std::string_view in) {
  std::string_view registry = "docker.io";
  std::string_view config = in;
  if (size_t nl = in.find('\n'); nl != std::string_view::npos && nl <= 300) {
    registry = in.substr(0, nl);
    config = in.substr(nl + 1);
  }
  (void)ConvertToHostname(registry);
  auto r = LookupCredentialsInConfig(config, registry, "config.json", HelperOptions{.run = false});
  if (!r.ok()) {
    CheckError(r.error(), 2000);
    FUZZ_CHECK(r.error().message.find("config.json") != std::string::npos, "error does not name the file: %s",
               r.error().message.c_str());
    return;
  }
  const Credentials& c = r->credentials;
  if (!c.empty()) {
    FUZZ_CHECK(!c.from.empty(), "credentials without a source");
    FUZZ_CHECK(c.from.rfind("config.json ", 0) == 0, "`from` does not name the file: %s", c.from.c_str());
    FUZZ_CHECK(BasicAuthorization(c).rfind("Basic ", 0) == 0, "BasicAuthorization prefix");
  }
  if (!r->warning.empty()) FUZZ_CHECK(c.empty(), "warning with credentials");
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock::fuzz;
  if (size < 1) return 0;
  std::string_view in(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      FuzzReference(in);
      break;
    case 1:
      FuzzChallenges(in);
      break;
    case 2:
      FuzzToken(in);
      break;
    case 3:
      FuzzConfig(in);
      break;
  }
  return 0;
}
