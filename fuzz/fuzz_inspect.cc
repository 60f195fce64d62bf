// Fuzzes the Engine API readers the live audits use (container inspect,
// container list, /info, top, images and image inspect + history, network)
// and daemon.json. The first
// input byte selects the reader (mod 7); the rest is the document. A parsed
// container also goes through every CIS §5 check, which must not crash and
// must yield exactly one outcome per check.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "audit/container/container.h"
#include "audit/host/host.h"
#include "engine/inspect.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  if (size < 1) return 0;
  std::string_view doc(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 7) {
    case 0: {
      auto c = ParseContainerInspect(doc);
      if (!c.ok()) break;
      FUZZ_CHECK(!c->id.empty(), "container without an id accepted");
      DaemonContext daemon;
      std::vector<CheckOutcome> outcomes;
      std::vector<Finding> findings;
      const std::optional<ProcessList> procs;
      RunContainerChecks({*c, daemon, procs}, {}, outcomes, findings);
      FUZZ_CHECK(outcomes.size() + 1 == ContainerChecks().size(), "%zu outcomes", outcomes.size());
      break;
    }
    case 1:
      (void)ParseContainerList(doc);
      break;
    case 2: {
      auto info = ParseDaemonInfo(doc);
      if (info.ok()) (void)info->HasSecurityOption("apparmor");
      break;
    }
    case 3:
      (void)ParseTop(doc);
      break;
    case 4: {
      (void)ParseImageList(doc);
      // Also an image inspect and its history, split at the first NUL byte:
      // parsed images go through the §4 checks, one outcome per check.
      const size_t nul = doc.find('\0');
      if (nul == std::string_view::npos) break;
      auto img = ParseImageInspect(doc.substr(0, nul), doc.substr(nul + 1));
      if (!img.ok()) break;
      std::vector<CheckOutcome> outcomes;
      std::vector<Finding> findings;
      RunImageConfigChecks(*img, {}, outcomes, findings);
      FUZZ_CHECK(outcomes.size() == 4, "%zu image outcomes", outcomes.size());
      ContainerInspect c;
      c.id = "0123456789abcdef";
      c.user = img->config.user;
      RunContainerUserCheck(c, *img, {}, outcomes, findings);
      FUZZ_CHECK(outcomes.size() == 5, "%zu outcomes with 4.1", outcomes.size());
      (void)ImageTarget(*img);
      break;
    }
    case 5:
      (void)ParseNetworkOption(doc, "com.docker.network.bridge.name");
      break;
    default:
      (void)ParseDaemonConfig(doc, "daemon.json");
      break;
  }
  return 0;
}
