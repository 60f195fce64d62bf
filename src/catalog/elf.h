// A bounds-checked reader of ELF headers over borrowed bytes, for the
// catalogers that look inside binaries (Go build info, cargo-auditable,
// version strings). Promises: ELF32 and ELF64, little and big endian; every
// offset and size read from the file is checked against the buffer before
// use, so truncated, overlapping or hostile headers give an error or empty
// data, never an out-of-range read. Nothing is copied but section names.
// Thread-safe: an ElfFile is immutable after Parse.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "layer/analyzer.h"

namespace drydock {

struct ElfSection {
  std::string name;    // from the section name string table; "" when unreadable
  uint32_t type = 0;   // SHT_*
  uint64_t flags = 0;  // SHF_*
  uint64_t addr = 0;
  uint64_t offset = 0;
  uint64_t size = 0;
};

struct ElfSegment {
  uint32_t type = 0;   // PT_*
  uint32_t flags = 0;  // PF_X 1, PF_W 2, PF_R 4
  uint64_t offset = 0;
  uint64_t vaddr = 0;
  uint64_t filesz = 0;
  uint64_t memsz = 0;
};

class ElfFile {
 public:
  static constexpr uint32_t kShtNobits = 8;
  static constexpr uint64_t kShfWrite = 1;
  static constexpr uint64_t kShfAlloc = 2;
  static constexpr uint64_t kShfExecinstr = 4;
  static constexpr uint32_t kPtLoad = 1;
  static constexpr uint32_t kPfX = 1;
  static constexpr uint32_t kPfW = 2;
  // At most this many section and program headers are read; a file that
  // declares more is refused (real binaries have well under a thousand).
  static constexpr uint32_t kMaxHeaders = 16384;

  // Reads the ELF header, the section headers with their names and the
  // program headers of `bytes`, which must outlive the result. Errors when
  // the identification or the header is malformed; section or program
  // header tables that do not fit are dropped (sstrip-ed binaries have
  // none) and noted in warning().
  static Result<ElfFile> Parse(std::string_view bytes);

  bool is64() const { return is64_; }
  bool little_endian() const { return little_; }
  uint16_t machine() const { return machine_; }
  uint16_t type() const { return type_; }
  const std::vector<ElfSection>& sections() const { return sections_; }
  const std::vector<ElfSegment>& segments() const { return segments_; }
  // Why a header table was dropped, or "".
  const std::string& warning() const { return warning_; }
  std::string_view bytes() const { return bytes_; }

  // The first section called `name`, or null.
  const ElfSection* Find(std::string_view name) const;
  // The bytes of a section inside the file; empty for SHT_NOBITS or a
  // section that does not fit the file.
  std::string_view Data(const ElfSection& s) const;
  // The file bytes a PT_LOAD segment maps at virtual address `vaddr`, up to
  // `size` bytes (fewer when the segment's file image ends first); nullopt
  // when no segment maps that address from the file.
  std::optional<std::string_view> ReadAt(uint64_t vaddr, uint64_t size) const;

  // An unsigned integer of `size` (1, 2, 4 or 8) bytes at `offset` of `data`
  // in this file's byte order; nullopt when it does not fit.
  std::optional<uint64_t> ReadUint(std::string_view data, uint64_t offset, int size) const;

 private:
  std::string_view bytes_;
  bool is64_ = false;
  bool little_ = true;
  uint16_t machine_ = 0;
  uint16_t type_ = 0;
  std::vector<ElfSection> sections_;
  std::vector<ElfSegment> segments_;
  std::string warning_;
};

// Reads an unsigned integer of `size` bytes (1..8) at `offset` of `data`
// with the given byte order; nullopt when it does not fit.
std::optional<uint64_t> ReadUintAt(std::string_view data, uint64_t offset, int size, bool little_endian);

// What the ELF catalogers (Go, cargo-auditable, generic binary) read during
// the walk: regular files with an x bit that start with the ELF magic, up to
// 512 MiB. All three ask for the same set, so each file is buffered once
// and offered to the three.
FileWants ExecutableElfWants();

}  // namespace drydock
