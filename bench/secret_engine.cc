// The secret engine alone, no I/O: compiling the built-in rules into the
// Vectorscan database (no cache dir, so every run compiles), and scanning a
// 16 MiB synthetic text shaped like an image's files (config lines, source
// code, base64 and hex blobs, 1 secret per ~4 KiB) — bytes per second.
//
//   build/bench/bench_secret_engine [--benchmark_repetitions=N]
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>

#include "secret/engine.h"

namespace drydock::secret {
namespace {

std::string Corpus() {
  uint64_t s = 0x243f6a8885a308d3ULL;  // fixed: the same bytes every run
  auto next = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s >> 33;
  };
  auto pick = [&](std::string_view chars, size_t n) {
    std::string out;
    for (size_t i = 0; i < n; ++i) out += chars[next() % chars.size()];
    return out;
  };
  constexpr std::string_view kAlnum = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  constexpr std::string_view kB64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  constexpr std::string_view kHex = "0123456789abcdef";
  std::string text;
  size_t line = 0;
  while (text.size() < (16u << 20)) {
    const size_t kind = line % 12;
    // The secrets (kinds 8, 9, 11) in one round of 16: about one per 4 KiB.
    const bool secrets = (line++ / 12) % 16 == 0;
    if (!secrets && (kind == 8 || kind == 9 || kind == 11)) continue;
    switch (kind) {
      case 0: text += "def handler(event, context):\n    return {\"status\": 200, \"body\": event.get('x')}\n"; break;
      case 1: text += "LOG_LEVEL=info\nLISTEN_ADDR=0.0.0.0:8080\nexport PATH=/usr/local/bin:$PATH\n"; break;
      case 2: text += pick(kB64, 76) + "\n"; break;
      case 3: text += "sha256:" + pick(kHex, 64) + "  usr/lib/x86_64-linux-gnu/libssl.so.3\n"; break;
      case 4: text += "  password: ${DB_PASSWORD}\n  api_key: \"your-api-key\"\n"; break;
      case 5: text += "<dependency><groupId>org.example</groupId><version>1.2.3</version></dependency>\n"; break;
      case 6: text += "const token = process.env.GITHUB_TOKEN || '';  // read at startup\n"; break;
      case 7: text += "commit " + pick(kHex, 40) + "\nAuthor: dev <dev@example.org>\n"; break;
      case 8: text += "ghp_" + pick(kAlnum, 36) + "\n"; break;
      case 9: text += "AKIA" + pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 16) + "\n"; break;
      case 10: text += "The quick brown fox jumps over the lazy dog; secret keys are kept elsewhere.\n"; break;
      default: text += "DB_PASSWORD=" + pick(kAlnum, 20) + "\n"; break;
    }
  }
  return text;
}

void BM_CompileBuiltinRules(benchmark::State& state) {
  for (auto _ : state) {
    auto engine = Engine::Create(Config{});
    if (!engine.ok()) state.SkipWithError(engine.error().message.c_str());
    benchmark::DoNotOptimize(engine);
  }
}
BENCHMARK(BM_CompileBuiltinRules)->Unit(benchmark::kMillisecond)->Iterations(3);

void BM_ScanCorpus(benchmark::State& state) {
  static const std::string text = Corpus();
  auto engine = Engine::Create(Config{});
  if (!engine.ok()) {
    state.SkipWithError(engine.error().message.c_str());
    return;
  }
  size_t found = 0;
  for (auto _ : state) {
    // In 64 KiB files, as the analyzer hands them over.
    for (size_t at = 0; at < text.size(); at += 65536) {
      found += (*engine)->Scan(std::string_view(text).substr(at, 65536), "/app/config").matches.size();
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["matches"] = static_cast<double>(found) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_ScanCorpus)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace drydock::secret

BENCHMARK_MAIN();
