// Fuzzes the ELF reader and the catalogers that look inside binaries (Go
// build info and pclntab, cargo-auditable, the generic version rules).
//
// Input: byte 0 selects the mode; the rest is
//   mode % 3 == 0: a raw file ("\x7fELF" is put in front when missing, as
//                  only files with that magic reach the catalogers);
//   mode % 3 == 1: a structured binary: records separated by "%%%\n", each
//                  "<section name>\n<content>", laid out by WriteElf below
//                  as an ELF64 (byte 1 odd: ELF32 big endian) with one
//                  PT_LOAD per section, so the fuzzer reaches build info,
//                  pclntab, .dep-v0 and .rodata contents with valid framing;
//   mode % 3 == 2: the same without a section header table (sstrip).
// Besides "no crash", it checks what the headers promise: sections' data
// lies inside the file, packages have a type, a name and one evidence,
// diagnostics have text.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/elf.h"
#include "fuzz_util.h"

namespace drydock::fuzz {
namespace {

std::string Put(uint64_t v, int size, bool little) {
  std::string out(static_cast<size_t>(size), '\0');
  for (int i = 0; i < size; ++i) out[static_cast<size_t>(little ? i : size - 1 - i)] = static_cast<char>(v >> (8 * i));
  return out;
}

// A minimal ELF: header, program headers, section data (16-aligned, vaddr
// 0x400000 + offset), .shstrtab, section headers.
std::string WriteElf(const std::vector<std::pair<std::string, std::string>>& sections, bool is64, bool little,
                     bool with_sections) {
  const int w = is64 ? 8 : 4;
  const size_t eh = is64 ? 64 : 52, ph = is64 ? 56 : 32, sh = is64 ? 64 : 40;
  auto put = [&](uint64_t v, int n) { return Put(v, n, little); };
  size_t off = eh + sections.size() * ph;
  std::vector<size_t> at;
  for (const auto& s : sections) {
    off = (off + 15) & ~size_t{15};
    at.push_back(off);
    off += s.second.size();
  }
  std::string names(1, '\0');
  std::vector<size_t> name_at;
  for (const auto& s : sections) {
    name_at.push_back(names.size());
    names += s.first + '\0';
  }
  const size_t shstr_name = names.size();
  names += std::string(".shstrtab") + '\0';
  const size_t names_at = off;
  off += names.size();
  const size_t shoff = (off + 7) & ~size_t{7};
  std::string out = std::string("\x7f") + "ELF" + static_cast<char>(is64 ? 2 : 1) + static_cast<char>(little ? 1 : 2) +
                    '\x01' + std::string(9, '\0');
  out += put(2, 2) + put(62, 2) + put(1, 4) + put(0, w) + put(eh, w) + put(with_sections ? shoff : 0, w) + put(0, 4);
  out += put(eh, 2) + put(ph, 2) + put(sections.size(), 2) + put(sh, 2) +
         put(with_sections ? sections.size() + 2 : 0, 2) + put(with_sections ? sections.size() + 1 : 0, 2);
  for (size_t i = 0; i < sections.size(); ++i) {
    const uint64_t flags =
        sections[i].first == ".text"                                                                    ? 5
        : (sections[i].first.find("data") != std::string::npos || sections[i].first == ".go.buildinfo") ? 6
                                                                                                        : 4;
    const uint64_t va = 0x400000 + at[i], n = sections[i].second.size();
    if (is64) {
      out += put(1, 4) + put(flags, 4) + put(at[i], 8) + put(va, 8) + put(va, 8) + put(n, 8) + put(n, 8) + put(16, 8);
    } else {
      out += put(1, 4) + put(at[i], 4) + put(va, 4) + put(va, 4) + put(n, 4) + put(n, 4) + put(flags, 4) + put(16, 4);
    }
  }
  for (size_t i = 0; i < sections.size(); ++i) {
    out.resize(at[i], '\0');
    out += sections[i].second;
  }
  out.resize(names_at, '\0');
  out += names;
  if (!with_sections) return out;
  out.resize(shoff, '\0');
  auto header = [&](uint64_t name, uint32_t type, uint64_t flags, uint64_t addr, uint64_t offset, uint64_t size) {
    if (is64) {
      return put(name, 4) + put(type, 4) + put(flags, 8) + put(addr, 8) + put(offset, 8) + put(size, 8) + put(0, 8) +
             put(16, 8) + put(0, 8);
    }
    return put(name, 4) + put(type, 4) + put(flags, 4) + put(addr, 4) + put(offset, 4) + put(size, 4) + put(0, 8) +
           put(16, 4) + put(0, 4);
  };
  out += header(0, 0, 0, 0, 0, 0);
  for (size_t i = 0; i < sections.size(); ++i) {
    const bool code = sections[i].first == ".text";
    const bool write = sections[i].first.find("data") != std::string::npos || sections[i].first == ".go.buildinfo";
    out +=
        header(name_at[i], 1, 2 | (write ? 1 : 0) | (code ? 4 : 0), 0x400000 + at[i], at[i], sections[i].second.size());
  }
  out += header(shstr_name, 3, 0, 0, names_at, names.size());
  return out;
}

void CheckElf(std::string_view bytes) {
  auto elf = ElfFile::Parse(bytes);
  if (!elf.ok()) {
    FUZZ_CHECK(!elf.error().message.empty(), "empty ELF error");
    return;
  }
  for (const auto& s : elf->sections()) {
    std::string_view d = elf->Data(s);
    FUZZ_CHECK(d.empty() || (d.data() >= bytes.data() && d.data() + d.size() <= bytes.data() + bytes.size()),
               "section data outside the file");
    (void)elf->ReadAt(s.addr, s.size);
  }
  for (const auto& p : elf->segments()) {
    if (auto d = elf->ReadAt(p.vaddr, 64)) {
      FUZZ_CHECK(d->data() >= bytes.data() && d->data() + d->size() <= bytes.data() + bytes.size(),
                 "ReadAt outside the file");
    }
  }
}

void RunCatalogers(std::string_view bytes) {
  FileNode node{.path = "/usr/local/bin/redis-server",
                .type = EntryType::kFile,
                .mode = 0755,
                .size = static_cast<int64_t>(bytes.size())};
  for (const auto& c : Catalogers()) {
    if (c.id != "go-binary" && c.id != "rust-cargo-auditable" && c.id != "binary") continue;
    LayerResult out;
    c.on_file(node, bytes, out);
    Say("catalog", std::string(c.id) + ": " + std::to_string(out.packages.size()) + " packages, " +
                       std::to_string(out.diagnostics.size()) + " diagnostics");
    for (const auto& p : out.packages) {
      FUZZ_CHECK(!p.type.empty() && !p.name.empty(), "package without type or name from %s", std::string(c.id).c_str());
      FUZZ_CHECK(p.evidence.size() == 1, "package with %zu evidences", p.evidence.size());
      FUZZ_CHECK(p.version.size() <= 4096, "version of %zu bytes", p.version.size());
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
  const int mode = data[0] % 3;
  std::string bytes;
  if (mode == 0) {
    bytes =
        in.starts_with(std::string("\x7f") + "ELF") ? std::string(in) : std::string("\x7f") + "ELF" + std::string(in);
  } else {
    std::vector<std::pair<std::string, std::string>> sections;
    for (std::string_view rec : Split(in, "%%%\n")) {
      const size_t nl = rec.find('\n');
      sections.emplace_back(std::string(rec.substr(0, std::min<size_t>(nl, 64))),
                            nl == std::string_view::npos ? std::string() : std::string(rec.substr(nl + 1)));
      if (sections.size() >= 32) break;
    }
    const bool odd = data[1] & 1;
    bytes = WriteElf(sections, !odd, !odd, mode == 1);
  }
  CheckElf(bytes);
  RunCatalogers(bytes);
  return 0;
}
