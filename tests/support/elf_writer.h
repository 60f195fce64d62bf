// Test support: small ELF files built in memory, so the binary catalogers'
// tests state their inputs in code instead of storing binaries. The files
// are well-formed enough for drydock's reader and for binutils (readelf
// shows their sections); they are not meant to run.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace drydock::testing {

struct ElfSpec {
  struct Section {
    std::string name;
    std::string data;
    uint32_t type = 1;   // SHT_PROGBITS
    uint64_t flags = 2;  // SHF_ALLOC; add 1 for SHF_WRITE, 4 for SHF_EXECINSTR
    // Virtual address; 0 picks one (0x400000 + the file offset) for
    // allocated sections.
    uint64_t addr = 0;
  };
  bool is64 = true;
  bool little_endian = true;
  uint16_t machine = 62;  // EM_X86_64
  uint16_t type = 2;      // ET_EXEC
  std::vector<Section> sections;
  bool section_headers = true;  // false: like an sstrip-ed binary
  bool program_headers = true;  // one PT_LOAD per allocated section
};

// The bytes of the ELF file `spec` describes: header, program headers,
// section contents (16-byte aligned), .shstrtab, section headers.
std::string MakeElf(const ElfSpec& spec);

// Section contents helpers: an unsigned integer of `size` bytes in the given
// byte order, and a Go-style unsigned varint.
std::string PutUint(uint64_t v, int size, bool little_endian);
std::string Uvarint(uint64_t v);

}  // namespace drydock::testing
