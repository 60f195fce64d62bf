// The bounds-checked ELF reader: headers of every class and byte order,
// section lookup, virtual-address reads through PT_LOAD segments, and what
// it does with truncated and hostile headers.
#include "catalog/elf.h"

#include <gtest/gtest.h>

#include "support/elf_writer.h"

namespace drydock {
namespace {

using testing::ElfSpec;
using testing::MakeElf;

ElfSpec TwoSections(bool is64, bool little) {
  ElfSpec spec;
  spec.is64 = is64;
  spec.little_endian = little;
  spec.machine = is64 ? 62 : 3;
  spec.sections = {{.name = ".text", .data = "\x90\x90\x90", .flags = 6},
                   {.name = ".rodata", .data = std::string("hello\0world", 11), .addr = 0x8000}};
  return spec;
}

TEST(ElfFile, ReadsEveryClassAndByteOrder) {
  struct Case {
    std::string name;
    bool is64;
    bool little;
  };
  const Case cases[] = {
      {"ELF64 little endian", true, true},
      {"ELF64 big endian", true, false},
      {"ELF32 little endian", false, true},
      {"ELF32 big endian", false, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string bytes = MakeElf(TwoSections(c.is64, c.little));
    auto elf = ElfFile::Parse(bytes);
    ASSERT_TRUE(elf.ok()) << elf.error().message;
    EXPECT_EQ(elf->is64(), c.is64);
    EXPECT_EQ(elf->little_endian(), c.little);
    EXPECT_EQ(elf->machine(), c.is64 ? 62 : 3);
    EXPECT_EQ(elf->warning(), "");
    // null section, .text, .rodata, .shstrtab
    ASSERT_EQ(elf->sections().size(), 4u);
    const ElfSection* ro = elf->Find(".rodata");
    ASSERT_NE(ro, nullptr);
    EXPECT_EQ(ro->addr, 0x8000u);
    EXPECT_EQ(elf->Data(*ro), std::string_view("hello\0world", 11));
    EXPECT_EQ(elf->Find(".data"), nullptr);
    ASSERT_EQ(elf->segments().size(), 2u);
    EXPECT_EQ(elf->segments()[0].flags, ElfFile::kPfX | 4u);
    EXPECT_EQ(elf->ReadAt(0x8006, 5), std::optional<std::string_view>("world"));
    // A read past the segment's file image is cut short.
    EXPECT_EQ(elf->ReadAt(0x8006, 100), std::optional<std::string_view>("world"));
    EXPECT_EQ(elf->ReadAt(0x7fff, 1), std::nullopt);
    EXPECT_EQ(elf->ReadAt(0x800b, 1), std::nullopt);
  }
}

TEST(ElfFile, SstrippedBinaryHasSegmentsButNoSections) {
  ElfSpec spec = TwoSections(true, true);
  spec.section_headers = false;
  const std::string bytes = MakeElf(spec);
  auto elf = ElfFile::Parse(bytes);
  ASSERT_TRUE(elf.ok()) << elf.error().message;
  EXPECT_TRUE(elf->sections().empty());
  EXPECT_EQ(elf->ReadAt(0x8000, 5), std::optional<std::string_view>("hello"));
}

TEST(ElfFile, ReadUintHonoursByteOrderAndBounds) {
  EXPECT_EQ(ReadUintAt("\x01\x02\x03\x04", 0, 4, true), 0x04030201u);
  EXPECT_EQ(ReadUintAt("\x01\x02\x03\x04", 0, 4, false), 0x01020304u);
  EXPECT_EQ(ReadUintAt("\x01\x02\x03\x04", 2, 2, false), 0x0304u);
  EXPECT_EQ(ReadUintAt("\x01\x02\x03\x04", 3, 2, true), std::nullopt);
  EXPECT_EQ(ReadUintAt("\x01\x02\x03\x04", ~uint64_t{0}, 1, true), std::nullopt);
  EXPECT_EQ(ReadUintAt("\x01\x02\x03\x04", 0, 9, true), std::nullopt);
}

// Overwrites `bytes` at `at` with `v` (little endian, `size` bytes).
std::string Patch(std::string bytes, size_t at, uint64_t v, int size) {
  bytes.replace(at, static_cast<size_t>(size), testing::PutUint(v, size, true));
  return bytes;
}

TEST(ElfFile, HostileHeaders) {
  const std::string good = MakeElf(TwoSections(true, true));
  struct Case {
    std::string name;
    std::string bytes;
    bool ok;
    std::string want;  // error or warning text
    size_t sections;
  };
  const Case cases[] = {
      {"not ELF", "MZ\x90\x00 this is a PE file....", false, "not an ELF file", 0},
      {"empty", "", false, "not an ELF file", 0},
      {"only the magic", std::string("\x7f") + "ELF", false, "not an ELF file", 0},
      {"unknown class", Patch(good, 4, 3, 1), false, "unknown class 3", 0},
      {"unknown byte order", Patch(good, 5, 0, 1), false, "unknown byte order 0", 0},
      {"truncated header", good.substr(0, 40), false, "truncated header", 0},
      {"section headers past the end", Patch(good, 40, good.size() - 8, 8), true,
       "section headers lie outside the file", 0},
      {"huge section header offset", Patch(good, 40, ~uint64_t{0} - 3, 8), true, "section headers lie outside the file",
       0},
      {"absurd section count", Patch(good, 60, 0xfff0, 2), true, "too many section headers (65520)", 0},
      {"wrong section header size", Patch(good, 58, 12, 2), true, "section header size 12 is not 64", 0},
      {"program headers past the end", Patch(good, 32, good.size() - 4, 8), true,
       "program headers lie outside the file", 4},
      {"name table index out of range", Patch(good, 62, 99, 2), true, "", 4},
      {"truncated inside the sections", good.substr(0, good.size() - 10), true, "section headers lie outside the file",
       0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto elf = ElfFile::Parse(c.bytes);
    ASSERT_EQ(elf.ok(), c.ok);
    if (!c.ok) {
      EXPECT_NE(elf.error().message.find(c.want), std::string::npos) << elf.error().message;
      continue;
    }
    EXPECT_EQ(elf->warning(), c.want);
    EXPECT_EQ(elf->sections().size(), c.sections);
    for (const auto& s : elf->sections()) (void)elf->Data(s);  // never reads out of range
  }
}

TEST(ElfFile, SectionDataOutsideTheFileIsEmpty) {
  ElfSpec spec = TwoSections(true, true);
  std::string bytes = MakeElf(spec);
  auto elf = ElfFile::Parse(bytes);
  ASSERT_TRUE(elf.ok());
  ElfSection s = *elf->Find(".rodata");
  s.offset = bytes.size() - 2;
  EXPECT_EQ(elf->Data(s), "");
  s.offset = 0;
  s.size = ~uint64_t{0};
  EXPECT_EQ(elf->Data(s), "");
  s.size = 4;
  s.type = ElfFile::kShtNobits;
  EXPECT_EQ(elf->Data(s), "");
}

}  // namespace
}  // namespace drydock
