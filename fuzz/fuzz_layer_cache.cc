// Fuzzes the layer cache's entry reader: the cache dir is user-writable, so
// an entry is untrusted bytes. The first byte picks the mode: even = the
// rest is a whole entry file (read under the key its own header names, so
// the fuzzer gets past the key check; the checksum still has to match), odd
// = the rest is a payload, decoded without the checksum so the fuzzer
// reaches every field. Besides "no crash", it asserts the promises of
// layer/cache.h: an accepted payload holds only clean paths and known
// values, and the encoding is canonical (re-encoding what was decoded gives
// the same bytes, so nothing is read that is not carried).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_util.h"
#include "layer/cache.h"

namespace drydock::fuzz {
namespace {

std::string HexKey(std::string_view raw) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : raw) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

bool Clean(std::string_view p) {
  return p == "/" || (!p.empty() && p.front() == '/' && p.back() != '/' && p.find("//") == std::string_view::npos &&
                      p.find("/./") == std::string_view::npos && p.find("/../") == std::string_view::npos &&
                      !p.ends_with("/.") && !p.ends_with("/..") && p.find('\0') == std::string_view::npos);
}

void CheckAccepted(const LayerResult& r, std::string_view payload) {
  FUZZ_CHECK(!r.diff_id.empty(), "accepted without a diff_id");
  FUZZ_CHECK(r.compression == "gzip" || r.compression == "zstd" || r.compression == "none", "compression %s",
             r.compression.c_str());
  FUZZ_CHECK(r.tar_bytes >= 0 && r.blob_bytes >= 0, "negative size");
  FUZZ_CHECK(!r.error, "an error was decoded");
  for (const auto& e : r.entries) {
    FUZZ_CHECK(Clean(e.path), "unclean entry path");
    FUZZ_CHECK(e.mode <= 07777 && e.size >= 0, "mode or size out of range");
    FUZZ_CHECK(e.type != EntryType::kHardlink || Clean(e.link_target), "unclean hardlink target");
  }
  for (const auto& p : r.whiteouts) FUZZ_CHECK(Clean(p), "unclean whiteout");
  for (const auto& p : r.opaque_dirs) FUZZ_CHECK(Clean(p), "unclean opaque dir");
  for (const auto& [p, content] : r.captured) FUZZ_CHECK(Clean(p), "unclean captured path");
  FUZZ_CHECK(EncodeLayerPayload(r) == payload, "not canonical: re-encoding differs");
}

void Run(std::string_view data) {
  if (data.empty()) return;
  const bool entry = (static_cast<unsigned char>(data[0]) & 1) == 0;
  data.remove_prefix(1);
  if (!entry) {
    auto r = DecodeLayerPayload(data);
    if (r.ok()) CheckAccepted(*r, data);
    return;
  }
  // magic 8, version 4, flags 4, then the 32-byte key.
  const std::string key = data.size() >= 48 ? HexKey(data.substr(16, 32)) : std::string(64, '0');
  auto r = DecodeLayerEntry(key, data);
  if (!r.ok()) {
    FUZZ_CHECK(r.error().message.starts_with("layer cache entry: "), "error does not name the entry: %s",
               r.error().message.c_str());
    return;
  }
  const std::string_view payload = data.substr(88);
  CheckAccepted(*r, payload);
  FUZZ_CHECK(EncodeLayerEntry(key, *r) == data, "entry not canonical");
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  drydock::fuzz::Run(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
