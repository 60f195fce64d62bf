#include "support/elf_writer.h"

namespace drydock::testing {

std::string PutUint(uint64_t v, int size, bool little_endian) {
  std::string out(static_cast<size_t>(size), '\0');
  for (int i = 0; i < size; ++i) {
    const auto b = static_cast<char>((v >> (8 * i)) & 0xff);
    out[static_cast<size_t>(little_endian ? i : size - 1 - i)] = b;
  }
  return out;
}

std::string Uvarint(uint64_t v) {
  std::string out;
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
  return out;
}

std::string MakeElf(const ElfSpec& spec) {
  const bool le = spec.little_endian;
  const int w = spec.is64 ? 8 : 4;
  const size_t ehsize = spec.is64 ? 64 : 52;
  const size_t phentsize = spec.is64 ? 56 : 32;
  const size_t shentsize = spec.is64 ? 64 : 40;
  auto put = [&](uint64_t v, int size) { return PutUint(v, size, le); };

  size_t nload = 0;
  for (const auto& s : spec.sections) nload += (s.flags & 2) != 0;
  if (!spec.program_headers) nload = 0;
  size_t off = ehsize + nload * phentsize;

  struct Placed {
    size_t offset;
    uint64_t addr;
  };
  std::vector<Placed> placed;
  std::string body;
  for (const auto& s : spec.sections) {
    off = (off + 15) & ~size_t{15};
    uint64_t addr = s.addr;
    if (addr == 0 && (s.flags & 2) != 0) addr = 0x400000 + off;
    placed.push_back({off, addr});
    off += s.type == 8 ? 0 : s.data.size();  // SHT_NOBITS takes no file space
  }
  std::string shstrtab(1, '\0');
  std::vector<size_t> name_at;
  for (const auto& s : spec.sections) {
    name_at.push_back(shstrtab.size());
    shstrtab += s.name + '\0';
  }
  const size_t shstr_name = shstrtab.size();
  shstrtab += std::string(".shstrtab") + '\0';
  const size_t shstr_off = off;
  off += shstrtab.size();
  off = (off + 7) & ~size_t{7};
  const size_t shoff = off;
  const size_t shnum = spec.sections.size() + 2;  // null section first, .shstrtab last

  std::string out;
  out += std::string("\x7f") + "ELF";
  out += static_cast<char>(spec.is64 ? 2 : 1);
  out += static_cast<char>(le ? 1 : 2);
  out += '\x01';
  out.append(9, '\0');
  out += put(spec.type, 2) + put(spec.machine, 2) + put(1, 4);
  out += put(0, w);                                           // entry
  out += put(nload ? ehsize : 0, w);                          // phoff
  out += put(spec.section_headers ? shoff : 0, w);            // shoff
  out += put(0, 4);                                           // flags
  out += put(ehsize, 2) + put(phentsize, 2) + put(nload, 2);  // sizes, phnum
  out += put(shentsize, 2) + put(spec.section_headers ? shnum : 0, 2);
  out += put(spec.section_headers ? shnum - 1 : 0, 2);  // shstrndx

  for (size_t i = 0; i < spec.sections.size() && nload; ++i) {
    const auto& s = spec.sections[i];
    if ((s.flags & 2) == 0) continue;
    const uint32_t pflags = 4 | ((s.flags & 1) ? 2 : 0) | ((s.flags & 4) ? 1 : 0);
    const uint64_t filesz = s.type == 8 ? 0 : s.data.size();
    if (spec.is64) {
      out += put(1, 4) + put(pflags, 4) + put(placed[i].offset, 8) + put(placed[i].addr, 8) + put(placed[i].addr, 8) +
             put(filesz, 8) + put(s.data.size(), 8) + put(16, 8);
    } else {
      out += put(1, 4) + put(placed[i].offset, 4) + put(placed[i].addr, 4) + put(placed[i].addr, 4) + put(filesz, 4) +
             put(s.data.size(), 4) + put(pflags, 4) + put(16, 4);
    }
  }
  for (size_t i = 0; i < spec.sections.size(); ++i) {
    out.resize(placed[i].offset, '\0');
    if (spec.sections[i].type != 8) out += spec.sections[i].data;
  }
  out.resize(shstr_off, '\0');
  out += shstrtab;
  out.resize(shoff, '\0');
  if (!spec.section_headers) return out;

  auto section_header = [&](uint64_t name, uint32_t type, uint64_t flags, uint64_t addr, uint64_t offset,
                            uint64_t size) {
    if (spec.is64) {
      return put(name, 4) + put(type, 4) + put(flags, 8) + put(addr, 8) + put(offset, 8) + put(size, 8) + put(0, 4) +
             put(0, 4) + put(16, 8) + put(0, 8);
    }
    return put(name, 4) + put(type, 4) + put(flags, 4) + put(addr, 4) + put(offset, 4) + put(size, 4) + put(0, 4) +
           put(0, 4) + put(16, 4) + put(0, 4);
  };
  out += section_header(0, 0, 0, 0, 0, 0);
  for (size_t i = 0; i < spec.sections.size(); ++i) {
    const auto& s = spec.sections[i];
    out += section_header(name_at[i], s.type, s.flags, placed[i].addr, placed[i].offset, s.data.size());
  }
  out += section_header(shstr_name, 3, 0, 0, shstr_off, shstrtab.size());
  return out;
}

}  // namespace drydock::testing
