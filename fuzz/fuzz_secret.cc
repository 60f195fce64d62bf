// Fuzzes the secret scanner: the rules YAML parser (--secret-config) and the
// engine over random bytes. The first byte picks the mode: even = the rest
// is a rules file (parsed); odd = the rest is file content scanned
// with the built-in rules. Besides "no crash", it asserts the promises of
// secret/engine.h: matches lie inside the text, in order, their value is the
// text at [begin, end), the evidence never holds the value (beyond the
// redacted prefix) and lines are right. The same bytes go through the file
// rules (as a .p12 file: PKCS#12 sniffing) and the Kubernetes manifest reader
// at every `kind:` line, whose values must lie inside the text.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "secret/config.h"
#include "secret/engine.h"
#include "secret/kubernetes.h"

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
  for (const auto& m : engine.MatchFile("/app/certs/file.p12", text)) {
    FUZZ_CHECK(m.begin == 0 && m.end == 0 && m.line == 0, "a file match with a span");
    FUZZ_CHECK(secret::IsPkcs12(text), "a file match that is no PKCS#12 file");
  }
  for (size_t at = text.find("kind:"); at != std::string_view::npos; at = text.find("kind:", at + 1)) {
    for (const bool string_data : {false, true}) {
      const auto vals = secret::KubernetesSecretValues(text, at + 5, string_data);
      FUZZ_CHECK(vals.read_to <= text.size(), "manifest read past the text");
      for (const auto& v : vals.values) {
        FUZZ_CHECK(v.begin < v.end && v.end <= text.size(), "manifest value outside the text");
        FUZZ_CHECK(v.block || text.substr(v.begin, v.end - v.begin).find('\n') == std::string_view::npos,
                   "a one-line value spans lines");
      }
    }
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
