// Fuzzes what fleet mode reads from the network: the body of POST /v1/scans
// (ParseScanRequest, untrusted: any client that reaches the port) and the
// ScanResult a client downloads (DecodeScanResult, untrusted: the server
// may be hostile or the bytes damaged). The first byte picks the mode: even
// = a request body, odd = a scan result (the checksum is recomputed so the
// fuzzer reaches every field). Besides "no crash" it asserts the promises:
// an accepted request has a bounded, control-byte-free target and known
// scanners, its options survive the canonical JSON round trip, and an
// accepted result re-encodes to the same payload.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "layer/cache.h"
#include "server/api.h"

namespace drydock::fuzz {
namespace {

void Request(std::string_view body) {
  auto r = server::ParseScanRequest(body);
  if (!r.ok()) {
    FUZZ_CHECK(!r.error().message.empty(), "refused without a message");
    FUZZ_CHECK(r.error().message.find('\n') == std::string::npos, "multi-line error");
    return;
  }
  FUZZ_CHECK(!r->target.empty() && r->target.size() <= server::kMaxTargetBytes, "target size %zu", r->target.size());
  for (unsigned char c : r->target) FUZZ_CHECK(c >= 0x20 && c != 0x7f, "control byte in target");
  for (const auto& s : r->options.scanners) {
    FUZZ_CHECK(s == "vuln" || s == "secret" || s == "misconfig", "scanner %s", s.c_str());
  }
  const std::string canon = server::OptionsJson(r->options);
  auto back = server::ParseOptionsJson(canon);
  FUZZ_CHECK(back.ok(), "canonical options refused");
  FUZZ_CHECK(server::OptionsJson(*back) == canon, "options not canonical");
  server::TargetPolicy policy;  // registry only: no file system access
  (void)policy.Check(r->target);
}

void Result(std::string_view bytes) {
  auto s = DecodeScanResult(bytes);
  if (!s.ok()) return;
  FUZZ_CHECK(EncodeScanResult(*s) == bytes, "scan result encoding is not canonical");
}

void Run(std::string_view in) {
  if (in.empty()) return;
  const bool result = (static_cast<unsigned char>(in[0]) & 1) != 0;
  in.remove_prefix(1);
  if (!result) return Request(in);
  // Frame the payload the way EncodeScanResult does, so the checksum matches.
  Result(FrameScanPayload(in));
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  drydock::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
