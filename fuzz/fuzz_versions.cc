// Fuzzes the version comparators. The first byte picks the scheme (mod the number of schemes);
// the rest is split at the first NUL into two versions A and B. Besides "no
// crash", it asserts what vuln/version/version.h promises: errors are input errors
// naming the scheme; a valid version equals itself; comparing B with A gives
// the opposite sign of A with B.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "vuln/version/version.h"

namespace drydock::fuzz {
namespace {

int Sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

void Run(std::string_view data) {
  if (data.empty()) return;
  const auto scheme = static_cast<VersionScheme>(static_cast<unsigned char>(data[0]) % kVersionSchemeCount);  // every VersionScheme value
  data.remove_prefix(1);
  const size_t nul = data.find('\0');
  const std::string_view a = data.substr(0, nul);
  const std::string_view b = nul == std::string_view::npos ? std::string_view() : data.substr(nul + 1);
  auto ab = CompareVersions(scheme, a, b);
  auto ba = CompareVersions(scheme, b, a);
  if (!ab.ok()) {
    FUZZ_CHECK(ab.error().kind == Error::Kind::kInput, "non-input error: %s", ab.error().message.c_str());
    FUZZ_CHECK(ab.error().message.starts_with(VersionSchemeName(scheme)), "error does not name the scheme: %s",
               ab.error().message.c_str());
  }
  if (ab.ok() && ba.ok()) {
    FUZZ_CHECK(Sign(*ab) == -Sign(*ba), "not antisymmetric (%d vs %d)", *ab, *ba);
  }
  auto aa = CompareVersions(scheme, a, a);
  if (aa.ok()) FUZZ_CHECK(*aa == 0, "a version differs from itself (%d)", *aa);
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  drydock::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
