// The in-memory zip reader: directory lookup in the layouts jars come in
// (plain, prefixed by a launch script, Zip64, trailing comment), stored and
// deflated reads, and the limits that refuse bombs and lying headers.
#include "catalog/zip.h"

#include <gtest/gtest.h>

#include "support/zip_writer.h"

namespace drydock {
namespace {

using testing::MakeZip;
using testing::ZipFileEntry;
using testing::ZipOptions;

const std::vector<ZipFileEntry> kTwo = {
    {.name = "META-INF/MANIFEST.MF", .data = "Manifest-Version: 1.0\r\n\r\n"},
    {.name = "a/b.txt", .data = std::string(5000, 'x') + "end", .deflate = false},
};

TEST(ZipArchive, ReadsTheLayoutsJarsComeIn) {
  struct Case {
    std::string name;
    ZipOptions opts;
  };
  const Case cases[] = {
      {"plain", {}},
      {"launch script prepended", {.prefix = "#!/bin/bash\nexec java -jar \"$0\" \"$@\"\n" + std::string(3000, '#')}},
      {"zip64 records", {.zip64 = true}},
      {"zip64 with a prefix", {.prefix = "#!/bin/sh\n", .zip64 = true}},
      {"comment holding a fake end record", {.comment = std::string("PK\x05\x06", 4) + "not a real one"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string bytes = MakeZip(kTwo, c.opts);
    auto z = ZipArchive::Open(bytes);
    ASSERT_TRUE(z.ok()) << z.error().message;
    ASSERT_EQ(z->entries().size(), 2u);
    EXPECT_EQ(z->entries()[0].name, "META-INF/MANIFEST.MF");
    EXPECT_EQ(z->entries()[0].method, 8);
    EXPECT_EQ(z->entries()[1].method, 0);
    ZipBudget budget;
    for (size_t i = 0; i < 2; ++i) {
      auto r = z->ReadEntry(z->entries()[i], budget, 1 << 20);
      ASSERT_TRUE(r.ok) << r.error.message;
      EXPECT_EQ(r.data, kTwo[i].data);
    }
    EXPECT_EQ(budget.remaining, (uint64_t{1} << 30) - kTwo[0].data.size() - kTwo[1].data.size());
  }
}

TEST(ZipArchive, PrefixReadsStopEarly) {
  const std::string big = "Main: yes\n\n" + std::string(3 << 20, 'y');
  const std::string bytes = MakeZip({{.name = "M", .data = big}});
  auto z = ZipArchive::Open(bytes);
  ASSERT_TRUE(z.ok());
  ZipBudget budget;
  for (bool deflate : {true, false}) {
    SCOPED_TRACE(deflate);
    const std::string b = MakeZip({{.name = "M", .data = big, .deflate = deflate}});
    auto zz = ZipArchive::Open(b);
    ASSERT_TRUE(zz.ok());
    auto r = zz->ReadEntry(zz->entries()[0], budget, 100, /*prefix_ok=*/true);
    ASSERT_TRUE(r.ok) << r.error.message;
    EXPECT_EQ(r.data, big.substr(0, 100));
    auto whole = zz->ReadEntry(zz->entries()[0], budget, 100);
    EXPECT_FALSE(whole.ok);
    EXPECT_EQ(whole.error.kind, ZipReadError::Kind::kBad);
  }
}

TEST(ZipArchive, RefusesDamagedArchives) {
  const std::string good = MakeZip(kTwo);
  struct Case {
    std::string name;
    std::string bytes;
    std::string want;
  };
  const Case cases[] = {
      {"empty", "", "too short"},
      {"no end record", std::string(100, 'A'), "no end of central directory record"},
      {"truncated in the middle", good.substr(0, good.size() / 2), "no end of central directory record"},
      {"absurd entry count", MakeZip(kTwo, {.declared_entries = 0xffff}),
       "65535 entries cannot fit a 119-byte central directory"},
      {"more entries than allowed", MakeZip(kTwo, {.zip64 = true, .declared_entries = 5000000000}),
       "5000000000 entries, more than the limit of 100000"},
      {"directory cut short", good.substr(0, 60) + good.substr(good.size() - 22), "does not fit"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto z = ZipArchive::Open(c.bytes);
    ASSERT_FALSE(z.ok());
    EXPECT_NE(z.error().message.find(c.want), std::string::npos) << z.error().message;
  }
}

TEST(ZipArchive, RefusesBadEntries) {
  using K = ZipReadError::Kind;
  struct Case {
    std::string name;
    ZipFileEntry entry;
    uint64_t budget;
    K kind;
    std::string want;
  };
  const std::string zeros(4 << 20, '\0');
  const Case cases[] = {
      {"deflate bomb (ratio)", {.name = "bomb.bin", .data = zeros}, 1 << 30, K::kBomb, "compression ratio over 200:1"},
      {"declared size over the entry limit",
       {.name = "big", .data = "x", .declared_size = uint64_t{300} << 20},
       1 << 30,
       K::kBomb,
       "over the limit"},
      {"out of total budget", {.name = "a", .data = std::string(100000, 'q')}, 1000, K::kBomb, "total limit"},
      {"stored out of total budget", {.name = "a", .data = "0123456789", .deflate = false}, 5, K::kBomb, "total limit"},
      {"crc mismatch", {.name = "a", .data = "hello", .declared_crc = 1234}, 1 << 30, K::kBad, "CRC-32 mismatch"},
      {"inflates past its declared size",
       {.name = "a", .data = "hello world", .declared_size = 5},
       1 << 30,
       K::kBad,
       "more than its declared 5 bytes"},
      {"inflates short of its declared size",
       {.name = "a", .data = "hello", .declared_size = 50},
       1 << 30,
       K::kBad,
       "inflates to 5 bytes, not the declared 50"},
      {"encrypted", {.name = "a", .data = "hello", .flags = 1}, 1 << 30, K::kBad, "encrypted"},
      {"bzip2", {.name = "a", .data = "hello", .method = 12}, 1 << 30, K::kBad, "unsupported compression method 12"},
      {"stored with differing sizes",
       {.name = "a", .data = "hello", .deflate = false, .declared_size = 4},
       1 << 30,
       K::kBad,
       "differing sizes"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string bytes = MakeZip({c.entry});
    auto z = ZipArchive::Open(bytes);
    ASSERT_TRUE(z.ok()) << z.error().message;
    ZipBudget budget{c.budget};
    auto r = z->ReadEntry(z->entries()[0], budget, uint64_t{256} << 20);
    ASSERT_FALSE(r.ok);
    EXPECT_EQ(r.error.kind, c.kind);
    EXPECT_NE(r.error.message.find(c.want), std::string::npos) << r.error.message;
    EXPECT_TRUE(r.data.empty());
  }
}

TEST(ZipArchive, TruncatedEntryDataIsAnError) {
  std::string bytes = MakeZip({{.name = "a", .data = std::string(70000, 'z') + "tail"}});
  auto z = ZipArchive::Open(bytes);
  ASSERT_TRUE(z.ok());
  ZipEntry e = z->entries()[0];
  ZipBudget budget;
  e.compressed_size /= 2;  // the deflate stream stops half way
  auto r = z->ReadEntry(e, budget, 1 << 20);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.message.find("truncated"), std::string::npos) << r.error.message;
  e = z->entries()[0];
  e.compressed_size = bytes.size();
  r = z->ReadEntry(e, budget, 1 << 20);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.message.find("past the end"), std::string::npos) << r.error.message;
  e = z->entries()[0];
  e.local_offset = 7;
  r = z->ReadEntry(e, budget, 1 << 20);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.message.find("local header missing"), std::string::npos) << r.error.message;
}

}  // namespace
}  // namespace drydock
