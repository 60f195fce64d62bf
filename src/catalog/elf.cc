#include "catalog/elf.h"

#include <algorithm>

namespace drydock {

std::optional<uint64_t> ReadUintAt(std::string_view data, uint64_t offset, int size, bool little_endian) {
  if (size < 1 || size > 8 || offset > data.size() || data.size() - offset < static_cast<uint64_t>(size)) {
    return std::nullopt;
  }
  uint64_t v = 0;
  for (int i = 0; i < size; ++i) {
    const auto b = static_cast<uint8_t>(data[offset + static_cast<uint64_t>(little_endian ? size - 1 - i : i)]);
    v = (v << 8) | b;
  }
  return v;
}

std::optional<uint64_t> ElfFile::ReadUint(std::string_view data, uint64_t offset, int size) const {
  return ReadUintAt(data, offset, size, little_);
}

namespace {

bool Fits(std::string_view bytes, uint64_t offset, uint64_t size) {
  return offset <= bytes.size() && size <= bytes.size() - offset;
}

}  // namespace

Result<ElfFile> ElfFile::Parse(std::string_view bytes) {
  ElfFile f;
  f.bytes_ = bytes;
  if (bytes.size() < 16 || bytes.substr(0, 4) !=
                               "\x7f"
                               "ELF") {
    return InputError("elf: not an ELF file");
  }
  const auto cls = static_cast<uint8_t>(bytes[4]);
  const auto data = static_cast<uint8_t>(bytes[5]);
  if (cls != 1 && cls != 2) return InputError("elf: unknown class {}", cls);
  if (data != 1 && data != 2) return InputError("elf: unknown byte order {}", data);
  f.is64_ = cls == 2;
  f.little_ = data == 1;
  const uint64_t ehsize = f.is64_ ? 64 : 52;
  if (bytes.size() < ehsize) return InputError("elf: truncated header ({} bytes)", bytes.size());

  const int w = f.is64_ ? 8 : 4;                                                   // width of addresses and offsets
  auto u = [&](uint64_t off, int size) { return *f.ReadUint(bytes, off, size); };  // in range: checked above
  f.type_ = static_cast<uint16_t>(u(16, 2));
  f.machine_ = static_cast<uint16_t>(u(18, 2));
  const uint64_t phoff = u(f.is64_ ? 32 : 28, w);
  const uint64_t shoff = u(f.is64_ ? 40 : 32, w);
  const uint64_t base = f.is64_ ? 54 : 42;
  const uint64_t phentsize = u(base, 2);
  uint64_t phnum = u(base + 2, 2);
  const uint64_t shentsize = u(base + 4, 2);
  uint64_t shnum = u(base + 6, 2);
  uint64_t shstrndx = u(base + 8, 2);

  const uint64_t want_sh = f.is64_ ? 64 : 40;
  const uint64_t want_ph = f.is64_ ? 56 : 32;

  // Section headers. Counts of 0 / 0xffff defer to section 0 (extended
  // numbering, for files with more than 65279 sections).
  if (shoff != 0) {
    if (shentsize != want_sh) {
      f.warning_ = "section header size " + std::to_string(shentsize) + " is not " + std::to_string(want_sh);
    } else if (!Fits(bytes, shoff, want_sh)) {
      f.warning_ = "section headers lie outside the file";
    } else {
      if (shnum == 0) shnum = u(shoff + (f.is64_ ? 32 : 20), w);
      if (shstrndx == 0xffff) shstrndx = u(shoff + (f.is64_ ? 40 : 24), 4);
      if (phnum == 0xffff) phnum = u(shoff + (f.is64_ ? 44 : 28), 4);
      if (shnum > kMaxHeaders) {
        f.warning_ = "too many section headers (" + std::to_string(shnum) + ")";
      } else if (!Fits(bytes, shoff, shnum * want_sh)) {
        f.warning_ = "section headers lie outside the file";
      } else {
        f.sections_.reserve(shnum);
        std::vector<uint32_t> name_offsets;
        for (uint64_t i = 0; i < shnum; ++i) {
          const uint64_t h = shoff + i * want_sh;
          ElfSection s;
          name_offsets.push_back(static_cast<uint32_t>(u(h, 4)));
          s.type = static_cast<uint32_t>(u(h + 4, 4));
          s.flags = u(h + 8, w);
          s.addr = u(h + 8 + static_cast<uint64_t>(w), w);
          s.offset = u(h + 8 + 2 * static_cast<uint64_t>(w), w);
          s.size = u(h + 8 + 3 * static_cast<uint64_t>(w), w);
          f.sections_.push_back(std::move(s));
        }
        if (shstrndx < f.sections_.size()) {
          const std::string_view names = f.Data(f.sections_[shstrndx]);
          for (size_t i = 0; i < f.sections_.size(); ++i) {
            const uint32_t at = name_offsets[i];
            if (at >= names.size()) continue;
            std::string_view n = names.substr(at, 256);
            f.sections_[i].name = std::string(n.substr(0, n.find('\0')));
          }
        }
      }
    }
  }

  // Program headers.
  if (phoff != 0 && phnum != 0) {
    if (phentsize != want_ph) {
      f.warning_ = "program header size " + std::to_string(phentsize) + " is not " + std::to_string(want_ph);
    } else if (phnum > kMaxHeaders || !Fits(bytes, phoff, phnum * want_ph)) {
      f.warning_ = "program headers lie outside the file";
    } else {
      f.segments_.reserve(phnum);
      for (uint64_t i = 0; i < phnum; ++i) {
        const uint64_t h = phoff + i * want_ph;
        ElfSegment s;
        s.type = static_cast<uint32_t>(u(h, 4));
        if (f.is64_) {
          s.flags = static_cast<uint32_t>(u(h + 4, 4));
          s.offset = u(h + 8, 8);
          s.vaddr = u(h + 16, 8);
          s.filesz = u(h + 32, 8);
          s.memsz = u(h + 40, 8);
        } else {
          s.offset = u(h + 4, 4);
          s.vaddr = u(h + 8, 4);
          s.filesz = u(h + 16, 4);
          s.memsz = u(h + 20, 4);
          s.flags = static_cast<uint32_t>(u(h + 24, 4));
        }
        f.segments_.push_back(s);
      }
    }
  }
  return f;
}

const ElfSection* ElfFile::Find(std::string_view name) const {
  for (const auto& s : sections_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string_view ElfFile::Data(const ElfSection& s) const {
  if (s.type == kShtNobits || !Fits(bytes_, s.offset, s.size)) return {};
  return bytes_.substr(s.offset, s.size);
}

std::optional<std::string_view> ElfFile::ReadAt(uint64_t vaddr, uint64_t size) const {
  for (const auto& p : segments_) {
    if (p.type != kPtLoad || p.filesz == 0) continue;
    if (vaddr < p.vaddr || vaddr - p.vaddr >= p.filesz) continue;
    const uint64_t skip = vaddr - p.vaddr;
    if (!Fits(bytes_, p.offset, skip)) continue;
    const uint64_t start = p.offset + skip;
    const uint64_t in_file = std::min<uint64_t>(p.filesz - skip, bytes_.size() - start);
    return bytes_.substr(start, std::min(size, in_file));
  }
  return std::nullopt;
}

FileWants ExecutableElfWants() {
  FileWants w;
  w.executable = true;
  w.magic = {std::string("\x7f") + "ELF"};
  w.max_size = int64_t{512} << 20;
  return w;
}

}  // namespace drydock
