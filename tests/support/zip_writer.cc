#include "support/zip_writer.h"

#include <zlib.h>

#include <cstdlib>

#include "support/elf_writer.h"

namespace drydock::testing {

std::string RawDeflate(const std::string& data) {
  z_stream z{};
  if (deflateInit2(&z, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) std::abort();
  std::string out(deflateBound(&z, data.size()) + 16, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  if (deflate(&z, Z_FINISH) != Z_STREAM_END) std::abort();
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

std::string MakeZip(const std::vector<ZipFileEntry>& entries, const ZipOptions& opts) {
  auto u = [](uint64_t v, int n) { return PutUint(v, n, true); };
  std::string out = opts.prefix;
  std::string central;
  for (const auto& e : entries) {
    const std::string body = e.deflate ? RawDeflate(e.data) : e.data;
    const uint16_t method = e.method.value_or(e.deflate ? 8 : 0);
    const uint32_t crc = e.declared_crc.value_or(static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(e.data.data()), static_cast<uInt>(e.data.size()))));
    const uint64_t size = e.declared_size.value_or(e.data.size());
    // Offsets count from the start of the archive proper, as a zip tool
    // writes them before a launch script is glued on.
    const uint64_t local_at = out.size() - opts.prefix.size();
    std::string extra;
    if (opts.zip64) extra = u(1, 2) + u(24, 2) + u(size, 8) + u(body.size(), 8) + u(local_at, 8);
    const uint64_t size32 = opts.zip64 ? 0xffffffff : size;
    const uint64_t csize32 = opts.zip64 ? 0xffffffff : body.size();
    out += u(0x04034b50, 4) + u(20, 2) + u(e.flags, 2) + u(method, 2) + u(0, 4) + u(crc, 4) + u(csize32, 4) +
           u(size32, 4) + u(e.name.size(), 2) + u(extra.size(), 2) + e.name + extra + body;
    central += u(0x02014b50, 4) + u(20, 2) + u(20, 2) + u(e.flags, 2) + u(method, 2) + u(0, 4) + u(crc, 4) +
               u(csize32, 4) + u(size32, 4) + u(e.name.size(), 2) + u(extra.size(), 2) + u(0, 2) + u(0, 2) + u(0, 2) +
               u(0, 4) + u(opts.zip64 ? 0xffffffff : local_at, 4) + e.name + extra;
  }
  const uint64_t cd_at = out.size() - opts.prefix.size();
  const uint64_t count = opts.declared_entries.value_or(entries.size());
  out += central;
  if (opts.zip64) {
    const uint64_t eocd64_at = out.size() - opts.prefix.size();
    out += u(0x06064b50, 4) + u(44, 8) + u(45, 2) + u(45, 2) + u(0, 4) + u(0, 4) + u(count, 8) + u(count, 8) +
           u(central.size(), 8) + u(cd_at, 8);
    out += u(0x07064b50, 4) + u(0, 4) + u(eocd64_at, 8) + u(1, 4);
  }
  const uint64_t count16 = opts.zip64 ? 0xffff : count;
  out += u(0x06054b50, 4) + u(0, 2) + u(0, 2) + u(count16 & 0xffff, 2) + u(count16 & 0xffff, 2) +
         u(opts.zip64 ? 0xffffffff : central.size(), 4) + u(opts.zip64 ? 0xffffffff : cd_at, 4) +
         u(opts.comment.size(), 2) + opts.comment;
  return out;
}

}  // namespace drydock::testing
