// Fuzzes the secret scanner: the rules YAML parser (--secret-config) and the
// engine over random bytes. The first byte picks the mode: even = the rest
// is a rules file (parsed); odd = the rest is file content scanned
// with the built-in rules. Besides "no crash", it asserts the promises of
// secret/engine.h: matches lie inside the text, in order, their value is the
// text at [begin, end), the evidence never holds the value (beyond the
// redacted prefix) and lines are right.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "secret/config.h"
#include "secret/engine.h"

namespace drydock::fuzz {
namespace {

void CheckScan(const secret::Engine& engine, std::string_view text) {
  const auto out = engine.Scan(text, "/app/file");
  size_t last = 0;
  for (const auto& m : out.matches) {
    FUZZ_CHECK(m.begin < m.end && m.end <= text.size(), "match outside the text");
    FUZZ_CHECK(m.begin >= last, "matches out of order");
    last = m.begin;
    FUZZ_CHECK(text.substr(m.begin, m.end - m.begin) == m.value, "value is not the text at the match");
    FUZZ_CHECK(m.value.size() < 8 || m.evidence.find(m.value) == std::string::npos, "evidence holds the secret");
    const auto lines = std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(m.begin), '\n');
    FUZZ_CHECK(m.line == lines + 1, "wrong line %d", m.line);
  }
}

const secret::Engine& Builtin() {
  static const std::shared_ptr<const secret::Engine> engine = [] {
    auto e = secret::Engine::Create(secret::Config{});
    FUZZ_CHECK(e.ok(), "built-in rules do not compile: %s", e.ok() ? "" : e.error().message.c_str());
    return *e;
  }();
  return *engine;
}

void Run(std::string_view data) {
  if (data.empty()) return;
  const bool rules = (static_cast<unsigned char>(data[0]) & 1) == 0;
  data.remove_prefix(1);
  if (!rules) {
    CheckScan(Builtin(), data);
    return;
  }
  auto cfg = secret::ParseConfig(data, "rules.yaml");
  if (!cfg.ok()) {
    FUZZ_CHECK(cfg.error().kind == Error::Kind::kInput, "non-input error");
    FUZZ_CHECK(cfg.error().message.find('\n') == std::string::npos, "multi-line error: %s",
               cfg.error().message.c_str());
    return;
  }
  // Building an engine from the parsed rules would recompile every
  // built-in rule per input (seconds under ASan); the patterns' own
  // checks are covered by the unit tests and the hostile cases.
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  drydock::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
