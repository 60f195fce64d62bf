// Fuzzes the compose loader (YAML → tree with merge keys, interpolation,
// extends inside one file) and every compose rule. Asserts that errors are
// one line, nodes carry 1-based lines, and findings name a known rule, the
// file and a service.

#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>

#include "lint/lint.h"
#include "fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  ComposeOptions opts;
  opts.use_process_env = false;
  opts.use_dotenv = false;
  opts.env = {{"TAG", "1.0"}, {"EMPTY", ""}};
  opts.max_nodes = 20000;
  auto root = ParseComposeYaml(in, "compose.yaml", opts);
  if (!root.ok()) {
    FUZZ_CHECK(!root.error().message.empty(), "empty error");
    return 0;
  }
  // extends to other files is not followed here (no file system).
  ComposeProject p;
  p.root = std::move(*root);
  if (ComposeNode* services = p.root.GetMutable("services")) {
    for (auto& [name, svc] : services->map) {
      if (ComposeNode* ext = svc.GetMutable("extends"); ext && ext->IsMap()) {
        std::erase_if(ext->map, [](const auto& kv) { return kv.first == "file"; });
      }
    }
  }
  if (!ResolveExtends(p.root, ".", opts).ok()) return 0;
  std::set<std::string_view> ids;
  for (const LintRule& r : ComposeRules()) ids.insert(r.id);
  for (const Finding& f : LintCompose(p, {})) {
    FUZZ_CHECK(ids.contains(f.rule_id), "rule %s", f.rule_id.c_str());
    FUZZ_CHECK(f.location.config_field.starts_with("services."), "field %s", f.location.config_field.c_str());
    FUZZ_CHECK(f.location.path == "compose.yaml", "path");
  }
  return 0;
}
