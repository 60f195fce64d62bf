// Fuzzes the in-memory zip reader and the Java archive cataloger on top of
// it (pom.properties, MANIFEST.MF, nested jars, bomb limits).
//
// Input: byte 0 selects the mode, byte 1 holds writer flags (bit 0:
// deflate, bit 1: Zip64 records, bit 2: a launch script in front); the
// rest is
//   mode % 2 == 0: raw archive bytes;
//   mode % 2 == 1: a structured archive: records separated by "%%%\n",
//                  each "<entry name>\n<content>"; an entry named *.jar is
//                  itself built from its content with "~~~\n" separators,
//                  so nested archives are reached with valid framing.
// Besides "no crash", it checks that reads stay within their limits and
// budget, and that every package has a maven type, a name, a version and
// one evidence.

#include <zlib.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/zip.h"
#include "fuzz_util.h"

namespace drydock::fuzz {
namespace {

std::string U(uint64_t v, int n) {
  std::string out(static_cast<size_t>(n), '\0');
  for (int i = 0; i < n; ++i) out[static_cast<size_t>(i)] = static_cast<char>(v >> (8 * i));
  return out;
}

std::string RawDeflate(std::string_view in) {
  z_stream z{};
  if (deflateInit2(&z, 1, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, in.size()) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

std::string WriteZip(std::string_view spec, std::string_view sep, int flags, int depth) {
  const bool deflate = flags & 1, zip64 = flags & 2;
  std::string out = (flags & 4) && depth == 0 ? "#!/bin/sh\nexec java -jar \"$0\"\n" : "";
  const size_t base = out.size();
  std::string central;
  size_t count = 0;
  for (std::string_view rec : Split(spec, sep)) {
    if (rec.empty() || ++count > 64) continue;
    const size_t nl = rec.find('\n');
    const std::string name(rec.substr(0, std::min<size_t>(nl, 200)));
    std::string data(nl == std::string_view::npos ? std::string_view() : rec.substr(nl + 1));
    if (depth == 0 && name.size() > 4 && name.ends_with(".jar")) data = WriteZip(data, "~~~\n", flags & 1, depth + 1);
    std::string body = deflate ? RawDeflate(data) : data;
    const uint32_t crc =
        static_cast<uint32_t>(crc32(0, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
    const uint64_t local = out.size() - base;
    const std::string extra = zip64 ? U(1, 2) + U(24, 2) + U(data.size(), 8) + U(body.size(), 8) + U(local, 8) : "";
    const uint64_t s32 = zip64 ? 0xffffffff : data.size(), c32 = zip64 ? 0xffffffff : body.size();
    out += U(0x04034b50, 4) + U(20, 2) + U(0, 2) + U(deflate ? 8 : 0, 2) + U(0, 4) + U(crc, 4) + U(c32, 4) + U(s32, 4) +
           U(name.size(), 2) + U(extra.size(), 2) + name + extra + body;
    central += U(0x02014b50, 4) + U(20, 2) + U(20, 2) + U(0, 2) + U(deflate ? 8 : 0, 2) + U(0, 4) + U(crc, 4) +
               U(c32, 4) + U(s32, 4) + U(name.size(), 2) + U(extra.size(), 2) + U(0, 2) + U(0, 2) + U(0, 2) + U(0, 4) +
               U(zip64 ? 0xffffffff : local, 4) + name + extra;
  }
  count = std::min<size_t>(count, 64);
  const uint64_t cd = out.size() - base;
  out += central;
  if (zip64) {
    const uint64_t e64 = out.size() - base;
    out += U(0x06064b50, 4) + U(44, 8) + U(45, 2) + U(45, 2) + U(0, 8) + U(count, 8) + U(count, 8) +
           U(central.size(), 8) + U(cd, 8);
    out += U(0x07064b50, 4) + U(0, 4) + U(e64, 8) + U(1, 4);
  }
  out += U(0x06054b50, 4) + U(0, 4) + U(zip64 ? 0xffff : count, 2) + U(zip64 ? 0xffff : count, 2) +
         U(zip64 ? 0xffffffff : central.size(), 4) + U(zip64 ? 0xffffffff : cd, 4) + U(0, 2);
  return out;
}

void CheckReader(std::string_view bytes) {
  auto zip = ZipArchive::Open(bytes);
  if (!zip.ok()) {
    FUZZ_CHECK(!zip.error().message.empty(), "empty zip error");
    return;
  }
  FUZZ_CHECK(zip->entries().size() <= ZipLimits{}.max_entries, "more entries than the limit");
  ZipBudget budget{uint64_t{64} << 20};
  for (const auto& e : zip->entries()) {
    const uint64_t before = budget.remaining;
    auto r = zip->ReadEntry(e, budget, 1 << 20, e.name.size() % 2 == 0);
    FUZZ_CHECK(budget.remaining <= before, "budget grew");
    if (r.ok) {
      FUZZ_CHECK(r.data.size() <= (1u << 20), "read %zu bytes past the limit", r.data.size());
      FUZZ_CHECK(before - budget.remaining >= r.data.size(), "bytes read without being charged");
    } else {
      FUZZ_CHECK(!r.error.message.empty() && r.data.empty(), "failed read with data or without a message");
    }
  }
}

void RunJava(std::string_view bytes) {
  for (const auto& c : Catalogers()) {
    if (c.id != "java-archive") continue;
    FileNode node{
        .path = "/app/app.jar", .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(bytes.size())};
    LayerResult out;
    c.on_file(node, bytes, out);
    Say("java",
        std::to_string(out.packages.size()) + " packages, " + std::to_string(out.diagnostics.size()) + " diagnostics");
    for (const auto& p : out.packages) {
      FUZZ_CHECK(p.type == "maven" && !p.name.empty() && !p.version.empty(), "incomplete maven package");
      FUZZ_CHECK(p.evidence.size() == 1, "package with %zu evidences", p.evidence.size());
    }
    for (const auto& d : out.diagnostics) FUZZ_CHECK(!d.message.empty(), "diagnostic without text");
  }
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock::fuzz;
  if (size < 2) return 0;
  const std::string_view in(reinterpret_cast<const char*>(data) + 2, size - 2);
  const std::string bytes = data[0] % 2 == 0 ? std::string(in) : WriteZip(in, "%%%\n", data[1], 0);
  CheckReader(bytes);
  RunJava(bytes);
  return 0;
}
