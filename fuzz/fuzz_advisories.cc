// Fuzzes the advisory parsers and the helpers they lean on. The first byte
// picks the entry point (mod 14): the nine per-file parsers of
// vuln/feed/importers.h, node-semver ranges, CVSS vectors, and the Cargo, NuGet
// and Composer comparators (input split at the first NUL). Besides "no
// crash", it asserts what the headers promise: errors are input errors;
// every advisory has an id and a source; CVSS scores lie in [0, 10]; a valid
// version equals itself and comparison is antisymmetric.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.h"
#include "vuln/cvss.h"
#include "vuln/feed/importers.h"
#include "vuln/version/semver_range.h"
#include "vuln/version/version.h"

namespace drydock::fuzz {
namespace {

int Sign(int v) { return v < 0 ? -1 : v > 0 ? 1 : 0; }

void CheckAdvisories(const Result<std::vector<Advisory>>& r) {
  if (!r.ok()) {
    FUZZ_CHECK(r.error().kind == Error::Kind::kInput, "non-input error: %s", r.error().message.c_str());
    return;
  }
  for (const auto& a : *r) {
    FUZZ_CHECK(!a.id.empty(), "advisory without id");
    FUZZ_CHECK(!a.source.empty(), "advisory %s without source", a.id.c_str());
    FUZZ_CHECK(a.description.size() <= 2048, "description over 2 KiB");
  }
}

void Run(std::string_view data) {
  if (data.empty()) return;
  const int which = static_cast<unsigned char>(data[0]) % 14;
  data.remove_prefix(1);
  std::vector<std::string> w;
  switch (which) {
    case 0:
      return CheckAdvisories(ParseOsvJson(data, "", w));
    case 1:
      return CheckAdvisories(ParseOsvYaml(data, "", w));
    case 2:
      return CheckAdvisories(ParseRustSec(data, w));
    case 3:
      return CheckAdvisories(ParseRubySec(data, false, w));
    case 4:
      return CheckAdvisories(ParseNodeNpm(data, w));
    case 5:
      return CheckAdvisories(ParseAlpineSecdb(data, w));
    case 6:
      return CheckAdvisories(ParseWolfi(data, w));
    case 7:
      return CheckAdvisories(ParseDebianList(data, "debian-dsa", w));
    case 8:
      return CheckAdvisories(ParseDebianTrackerJson(data, w));
    default:
      break;
  }
  const size_t nul = data.find('\0');
  const std::string_view a = data.substr(0, nul);
  const std::string_view b = nul == std::string_view::npos ? std::string_view() : data.substr(nul + 1);
  if (which == 9) {
    auto r = SemverSatisfies(a, b);
    if (!r.ok()) FUZZ_CHECK(r.error().kind == Error::Kind::kInput, "non-input error");
    return;
  }
  if (which == 10) {
    auto r = CvssBaseScore(a);
    if (r.ok()) FUZZ_CHECK(*r >= 0 && *r <= 10, "score out of range: %f", *r);
    return;
  }
  const VersionScheme scheme = which == 11   ? VersionScheme::kCargo
                               : which == 12 ? VersionScheme::kNuGet
                                             : VersionScheme::kComposer;
  auto ab = CompareVersions(scheme, a, b);
  auto ba = CompareVersions(scheme, b, a);
  if (ab.ok() && ba.ok()) FUZZ_CHECK(Sign(*ab) == -Sign(*ba), "not antisymmetric (%d vs %d)", *ab, *ba);
  auto aa = CompareVersions(scheme, a, a);
  if (aa.ok()) FUZZ_CHECK(*aa == 0, "a version differs from itself (%d)", *aa);
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  drydock::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
