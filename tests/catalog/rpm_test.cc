// The rpm cataloger and its database readers: real databases written by rpm
// (sqlite), by Berkeley DB's db5.3_load and read back by rpm (bdb), and by
// the ndb layout writer (tests/testdata/catalog/rpm/make.sh); header blobs
// and databases assembled here for layer attribution; and hostile inputs,
// each of which must end in a diagnostic, not a crash or a hang.
#include <sqlite3.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "base/path.h"
#include "catalog/catalog.h"
#include "catalog/lang_test_util.h"
#include "catalog/rpmdb.h"
#include "cli/scan.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

std::string Testdata(const std::string& name) {
  std::ifstream in(std::string(DRYDOCK_TESTDATA) + "/catalog/rpm/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// --- building blobs and databases ------------------------------------------

void PutBe32(std::string& s, uint32_t v) {
  for (int shift : {24, 16, 8, 0}) s.push_back(static_cast<char>((v >> shift) & 0xff));
}
void PutLe32(std::string& s, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) s[at + static_cast<size_t>(i)] = static_cast<char>((v >> (8 * i)) & 0xff);
}
uint32_t GetLe32(const std::string& s, size_t at) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(s[at + static_cast<size_t>(i)]);
  return v;
}

struct RawEntry {
  uint32_t tag, type, offset, count;
};

// A header blob with exactly these index entries over `data`.
std::string RawHeader(const std::vector<RawEntry>& entries, const std::string& data) {
  std::string b;
  PutBe32(b, static_cast<uint32_t>(entries.size()));
  PutBe32(b, static_cast<uint32_t>(data.size()));
  for (const auto& e : entries) {
    PutBe32(b, e.tag);
    PutBe32(b, e.type);
    PutBe32(b, e.offset);
    PutBe32(b, e.count);
  }
  return b + data;
}

// A well-formed header from tag values: strings (type 6), string arrays
// (type 8) and INT32 arrays (type 4).
struct Value {
  uint32_t tag;
  uint32_t type;
  std::vector<std::string> strings;
  std::vector<uint32_t> ints;
};
std::string Header(const std::vector<Value>& values) {
  std::vector<RawEntry> entries;
  std::string data;
  for (const auto& v : values) {
    if (v.type == 4) {
      while (data.size() % 4 != 0) data.push_back('\0');
      entries.push_back({v.tag, 4, static_cast<uint32_t>(data.size()), static_cast<uint32_t>(v.ints.size())});
      for (uint32_t i : v.ints) PutBe32(data, i);
    } else {
      entries.push_back({v.tag, v.type, static_cast<uint32_t>(data.size()), static_cast<uint32_t>(v.strings.size())});
      for (const auto& s : v.strings) data += s + std::string(1, '\0');
    }
  }
  return RawHeader(entries, data);
}
Value Str(uint32_t tag, std::string s) { return {tag, 6, {std::move(s)}, {}}; }
Value Strs(uint32_t tag, std::vector<std::string> s) { return {tag, 8, std::move(s), {}}; }
Value Ints(uint32_t tag, std::vector<uint32_t> i) { return {tag, 4, {}, std::move(i)}; }

// name, version, release (and arch x86_64): a minimal package header.
std::string Nvr(const std::string& n, const std::string& v, const std::string& r, std::vector<Value> more = {}) {
  std::vector<Value> vals = {Str(1000, n), Str(1001, v), Str(1002, r), Str(1022, "x86_64")};
  vals.insert(vals.end(), more.begin(), more.end());
  return Header(vals);
}

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};

// An rpmdb.sqlite image with rpm's Packages schema holding `blobs`, and any
// extra SQL run first (to build broken schemas).
std::string SqliteDb(const std::vector<std::string>& blobs, const std::string& schema = "") {
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open(":memory:", &raw), SQLITE_OK);
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  const std::string sql =
      schema.empty() ? "CREATE TABLE 'Packages' (hnum INTEGER PRIMARY KEY AUTOINCREMENT,blob BLOB NOT NULL)" : schema;
  EXPECT_EQ(sqlite3_exec(db.get(), sql.c_str(), nullptr, nullptr, nullptr), SQLITE_OK) << sqlite3_errmsg(db.get());
  for (const auto& b : blobs) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db.get(), "INSERT INTO Packages(blob) VALUES (?)", -1, &st, nullptr), SQLITE_OK);
    sqlite3_bind_blob(st, 1, b.data(), static_cast<int>(b.size()), SQLITE_TRANSIENT);
    EXPECT_EQ(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
  }
  sqlite3_int64 n = 0;
  unsigned char* bytes = sqlite3_serialize(db.get(), "main", &n, 0);
  std::string out(reinterpret_cast<char*>(bytes), static_cast<size_t>(n));
  sqlite3_free(bytes);
  return out;
}

// The header blobs of the committed rpmdb.sqlite, read with sqlite itself.
std::vector<std::string> RealBlobs() {
  // immutable: a WAL-mode file opened read-only would otherwise get -wal
  // and -shm files beside it, in the source tree.
  const std::string uri = "file:" + std::string(DRYDOCK_TESTDATA) + "/catalog/rpm/rpmdb.sqlite?immutable=1";
  sqlite3* raw = nullptr;
  EXPECT_EQ(sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr), SQLITE_OK);
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  std::vector<std::string> out;
  sqlite3_stmt* st = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db.get(), "SELECT blob FROM Packages ORDER BY hnum", -1, &st, nullptr), SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW) {
    out.emplace_back(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                     static_cast<size_t>(sqlite3_column_bytes(st, 0)));
  }
  sqlite3_finalize(st);
  return out;
}

std::string RealBlobNamed(const std::string& name) {
  for (const auto& b : RealBlobs()) {
    auto h = ParseRpmHeader(b, false);
    if (h.ok() && h->name == name) return b;
  }
  ADD_FAILURE() << "no blob for " << name;
  return {};
}

// --- headers -----------------------------------------------------------------

TEST(RpmHeader, RealHeaders) {
  struct Case {
    std::string name;
    std::string version, release, arch, source_rpm, license, vendor;
    std::optional<uint32_t> epoch;
    std::vector<std::string> files;
  };
  const Case cases[] = {
      {"hello",
       "1.0",
       "1",
       "noarch",
       "hello-1.0-1.src.rpm",
       "MIT",
       "",
       std::nullopt,
       {"/usr/bin/hello", "/usr/share/doc/hello", "/usr/share/doc/hello/README"}},
      {"libfoo",
       "3.4.5",
       "6.el9",
       "x86_64",
       "libfoo-3.4.5-6.el9.src.rpm",
       "GPL-2.0-or-later AND MIT",
       "Drydock Tests",
       2u,
       {"/etc/foo.conf", "/usr/lib64/libfoo.so.3"}},
      {"libfoo-devel",
       "3.4.5",
       "6.el9",
       "x86_64",
       "libfoo-3.4.5-6.el9.src.rpm",
       "MIT",
       "Drydock Tests",
       2u,
       {"/usr/include/foo.h", "/usr/lib64/libfoo.so"}},
      {"zepoch", "0.9", "2", "noarch", "zepoch-0.9-2.src.rpm", "BSD-3-Clause", "", 0u, {"/usr/share/zepoch/data.txt"}},
  };
  const auto blobs = RealBlobs();
  ASSERT_EQ(blobs.size(), 6u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto h = ParseRpmHeader(RealBlobNamed(c.name), true);
    ASSERT_TRUE(h.ok()) << h.error().message;
    EXPECT_EQ(h->version, c.version);
    EXPECT_EQ(h->release, c.release);
    EXPECT_EQ(h->arch, c.arch);
    EXPECT_EQ(h->source_rpm, c.source_rpm);
    EXPECT_EQ(h->license, c.license);
    EXPECT_EQ(h->vendor, c.vendor);
    EXPECT_EQ(h->epoch, c.epoch);
    EXPECT_EQ(h->files, c.files);
  }
}

TEST(RpmHeader, ManyFilesAndNoFileListWhenNotAsked) {
  const std::string blob = RealBlobNamed("manyfiles");
  auto with = ParseRpmHeader(blob, true);
  ASSERT_TRUE(with.ok()) << with.error().message;
  // /usr/share/manyfiles, two directories, 30 files in each.
  EXPECT_EQ(with->files.size(), 63u);
  EXPECT_TRUE(std::count(with->files.begin(), with->files.end(), "/usr/share/manyfiles/beta/file-number-30.txt"));
  auto without = ParseRpmHeader(blob, false);
  ASSERT_TRUE(without.ok());
  EXPECT_TRUE(without->files.empty());
  EXPECT_EQ(without->version, "2024.1");
}

TEST(RpmHeader, Variants) {
  struct Case {
    std::string name;
    std::string blob;
    std::string want_version;  // "E:V-R" with E only when present
    std::vector<std::string> want_files;
  };
  const Case cases[] = {
      {"pre-4.0 OLDFILENAMES",
       Nvr("old", "1", "1", {Strs(1027, {"/bin/old", "/etc/old.conf"})}),
       "1-1",
       {"/bin/old", "/etc/old.conf"}},
      {"a later entry for a tag replaces the earlier one",
       Header({Str(1000, "dup"), Str(1001, "1"), Str(1002, "1"), Str(1001, "2")}),
       "2-1",
       {}},
      {"epoch 0 is kept", Nvr("e0", "1", "1", {Ints(1003, {0})}), "0:1-1", {}},
      {"file paths are cleaned",
       Nvr("p", "1", "1", {Ints(1116, {0, 1}), Strs(1117, {"a", "b"}), Strs(1118, {"/usr//lib/", "relative/../dir/"})}),
       "1-1",
       {"/usr/lib/a", "/dir/b"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto h = ParseRpmHeader(c.blob, true);
    ASSERT_TRUE(h.ok()) << h.error().message;
    EXPECT_EQ((h->epoch ? std::to_string(*h->epoch) + ":" : "") + h->version + "-" + h->release, c.want_version);
    EXPECT_EQ(h->files, c.want_files);
  }
}

TEST(RpmHeader, Malformed) {
  std::string huge_dir(60000, 'd');
  std::vector<std::string> many(50000, "a");
  std::vector<uint32_t> zeros(50000, 0);
  struct Case {
    std::string name;
    std::string blob;
    std::string want;
  };
  const Case cases[] = {
      {"shorter than the intro", std::string("\0\0\0", 3), "shorter than its 8-byte intro"},
      {"no entries", RawHeader({}, "x"), "claims 0 index entries"},
      {"too many entries", std::string("\0\1\0\0\0\0\0\0", 8), "claims 65536 index entries"},
      {"data store past the end", std::string("\0\0\0\1\0\0\x10\0", 8) + std::string(16, '\0'), "needs 4120 bytes"},
      {"NAME offset past the data", RawHeader({{1000, 6, 50, 1}}, "abc"), "offset 50 past the 3-byte data store"},
      {"unterminated NAME", RawHeader({{1000, 6, 0, 1}}, "abc"), "not terminated"},
      {"NAME of integer type", RawHeader({{1000, 4, 0, 1}}, std::string(4, '\0')), "type 4 is not a string"},
      {"no NAME", Header({Str(1001, "1"), Str(1002, "1")}), "no NAME tag"},
      {"no VERSION", Header({Str(1000, "x"), Str(1002, "1")}), "no VERSION tag"},
      {"empty NAME", Header({Str(1000, ""), Str(1001, "1"), Str(1002, "1")}), "empty NAME"},
      {"EPOCH with no values", Nvr("x", "1", "1", {Ints(1003, {})}), "EPOCH"},
      {"EPOCH past the data",
       RawHeader({{1000, 6, 0, 1}, {1001, 6, 0, 1}, {1002, 6, 0, 1}, {1003, 4, 0, 9}}, std::string("x\0", 2)),
       "integers at offset 0 do not fit"},
      {"string array count beyond the data",
       RawHeader({{1000, 6, 0, 1},
                  {1001, 6, 0, 1},
                  {1002, 6, 0, 1},
                  {1117, 8, 0, 0x7fffffff},
                  {1118, 8, 0, 1},
                  {1116, 4, 0, 0}},
                 std::string("x\0", 2)),
       "strings at offset 0 do not fit"},
      {"directory index out of range", Nvr("x", "1", "1", {Ints(1116, {5}), Strs(1117, {"a"}), Strs(1118, {"/"})}),
       "directory index 5 past the 1"},
      {"BASENAMES without DIRNAMES", Nvr("x", "1", "1", {Strs(1117, {"a"})}), "BASENAMES without DIRNAMES"},
      {"DIRINDEXES count differs", Nvr("x", "1", "1", {Ints(1116, {0, 0}), Strs(1117, {"a"}), Strs(1118, {"/"})}),
       "1 BASENAMES but 2 DIRINDEXES"},
      {"file list that expands without bound",
       Nvr("x", "1", "1", {Ints(1116, zeros), Strs(1117, many), Strs(1118, {"/" + huge_dir + "/"})}),
       "file list expands past"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto h = ParseRpmHeader(c.blob, true);
    ASSERT_FALSE(h.ok());
    testing::ExpectMentions(h.error().message, {c.want});
  }
}

// --- databases -----------------------------------------------------------------

std::vector<std::string> NamesIn(RpmdbFormat f, std::string_view bytes, std::vector<std::string>& problems,
                                 Status& status) {
  std::vector<std::string> names;
  status = ReadRpmdb(
      f, bytes,
      [&](std::string_view blob) {
        auto h = ParseRpmHeader(blob, false);
        names.push_back(h.ok() ? h->name : "<bad: " + h.error().message + ">");
      },
      problems);
  std::sort(names.begin(), names.end());
  return names;
}

TEST(RpmdbRead, RealDatabasesOfEachFormat) {
  const std::vector<std::string> want = {"gpg-pubkey", "hello", "libfoo", "libfoo-devel", "manyfiles", "zepoch"};
  struct Case {
    RpmdbFormat format;
    std::string file;
  };
  for (const auto& c : {Case{RpmdbFormat::kSqlite, "rpmdb.sqlite"}, Case{RpmdbFormat::kNdb, "Packages.db"},
                        Case{RpmdbFormat::kBdb, "Packages"}}) {
    SCOPED_TRACE(c.file);
    EXPECT_EQ(RpmdbFormatOf(c.file), c.format);
    std::vector<std::string> problems;
    Status st;
    EXPECT_EQ(NamesIn(c.format, Testdata(c.file), problems, st), want);
    EXPECT_TRUE(st.ok()) << st.error().message;
    EXPECT_TRUE(problems.empty()) << problems.front();
  }
}

// The committed Berkeley DB file: 4 KiB pages; finds the first page of a
// type (7 overflow with a successor, 13 hash page).
size_t FindBdbPage(const std::string& db, uint8_t type, bool with_next) {
  for (size_t pg = 1; (pg + 1) * 4096 <= db.size(); ++pg) {
    const size_t at = pg * 4096;
    if (static_cast<uint8_t>(db[at + 25]) == type && (!with_next || GetLe32(db, at + 16) != 0)) return pg;
  }
  ADD_FAILURE() << "no page of type " << int{type};
  return 0;
}

// The committed ndb file with a slot (the first used one) rewritten.
std::string NdbWithSlot(size_t field, uint32_t value) {
  std::string db = Testdata("Packages.db");
  PutLe32(db, 32 + field, value);
  return db;
}

TEST(RpmdbRead, Hostile) {
  const std::string bdb = Testdata("Packages");
  const std::string ndb = Testdata("Packages.db");
  const std::string sqlite = Testdata("rpmdb.sqlite");
  auto edit = [](std::string s, size_t at, std::string bytes) { return s.replace(at, bytes.size(), bytes); };
  auto le32 = [](uint32_t v) {
    std::string s(4, '\0');
    PutLe32(s, 0, v);
    return s;
  };
  const size_t ovfl = FindBdbPage(bdb, 7, true);
  const size_t hash = FindBdbPage(bdb, 13, false);
  const uint32_t first_blob_block = GetLe32(ndb, 32 + 8);
  struct Case {
    std::string name;
    RpmdbFormat format;
    std::string bytes;
    std::string want;  // in the error, or in a problem when the read succeeds
    size_t min_records;
  };
  const Case cases[] = {
      {"sqlite: garbage", RpmdbFormat::kSqlite, std::string(4096, 'x'), "not an SQLite database", 0},
      {"sqlite: cut in half", RpmdbFormat::kSqlite, sqlite.substr(0, sqlite.size() / 2), "sqlite", 0},
      {"sqlite: no Packages table", RpmdbFormat::kSqlite, SqliteDb({}, "CREATE TABLE other(x)"), "no Packages table",
       0},
      {"sqlite: Packages is a view", RpmdbFormat::kSqlite,
       SqliteDb({},
                "CREATE VIEW Packages AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c) "
                "SELECT x AS hnum, x AS blob FROM c"),
       "not a table", 0},
      {"sqlite: empty blob", RpmdbFormat::kSqlite,
       SqliteDb({}, "CREATE TABLE Packages(hnum INTEGER PRIMARY KEY, blob BLOB); INSERT INTO Packages VALUES(7, x'')"),
       "hnum 7: empty blob", 0},
      {"ndb: garbage", RpmdbFormat::kNdb, std::string(64, 'x'), "no RpmP magic", 0},
      {"ndb: short header", RpmdbFormat::kNdb, "RpmP", "shorter than the 32-byte ndb header", 0},
      {"ndb: version 1", RpmdbFormat::kNdb, edit(ndb, 4, le32(1)), "unsupported ndb version 1", 0},
      {"ndb: slot pages past the end", RpmdbFormat::kNdb, edit(ndb, 12, le32(100000)), "100000 slot pages do not fit",
       0},
      {"ndb: bad slot magic", RpmdbFormat::kNdb, NdbWithSlot(0, 0), "slot 2: bad magic", 5},
      {"ndb: blob outside the file", RpmdbFormat::kNdb, NdbWithSlot(8, 0x7fffffff), "outside the blob area", 5},
      {"ndb: blob inside the slot pages", RpmdbFormat::kNdb, NdbWithSlot(8, 3), "outside the blob area", 5},
      {"ndb: blob header of another package", RpmdbFormat::kNdb, edit(ndb, first_blob_block * 16 + 4, le32(99)),
       "no blob header at block", 5},
      {"ndb: blob length disagrees with blocks", RpmdbFormat::kNdb, edit(ndb, first_blob_block * 16 + 12, le32(1)),
       "does not fill its", 5},
      {"ndb: bad trailer", RpmdbFormat::kNdb, edit(ndb, (first_blob_block + GetLe32(ndb, 32 + 12)) * 16 - 4, "XXXX"),
       "bad blob trailer", 5},
      {"bdb: garbage", RpmdbFormat::kBdb, std::string(8192, 'x'), "not a Berkeley DB hash database", 0},
      {"bdb: short", RpmdbFormat::kBdb, bdb.substr(0, 100), "shorter than a Berkeley DB metadata page", 0},
      {"bdb: btree", RpmdbFormat::kBdb, edit(bdb, 12, le32(0x00053162)), "btree", 0},
      {"bdb: bad page size", RpmdbFormat::kBdb, edit(bdb, 20, le32(1000)), "bad page size 1000", 0},
      {"bdb: encrypted", RpmdbFormat::kBdb, edit(bdb, 24, "\x01"), "encrypted", 0},
      {"bdb: version 7", RpmdbFormat::kBdb, edit(bdb, 16, le32(7)), "unsupported hash version 7", 0},
      {"bdb: more buckets than pages", RpmdbFormat::kBdb, edit(bdb, 72, le32(0xfffffff0)), "buckets in", 0},
      {"bdb: overflow chain loops", RpmdbFormat::kBdb, edit(bdb, ovfl * 4096 + 16, le32(static_cast<uint32_t>(ovfl))),
       "page " + std::to_string(ovfl) + ": overflow chain loops", 4},
      {"bdb: overflow chain leaves the file", RpmdbFormat::kBdb, edit(bdb, ovfl * 4096 + 16, le32(0x7ffffff0)),
       "points outside the file", 4},
      {"bdb: hash chain loops", RpmdbFormat::kBdb, edit(bdb, hash * 4096 + 16, le32(static_cast<uint32_t>(hash))),
       "hash chain loops", 0},
      {"bdb: page larger than the file", RpmdbFormat::kBdb, bdb.substr(0, 2048), "shorter than one 4096-byte page", 0},
      {"bdb: truncated", RpmdbFormat::kBdb, bdb.substr(0, bdb.size() - 4096), "truncated", 0},
      {"bdb: page numbered wrong", RpmdbFormat::kBdb, edit(bdb, hash * 4096 + 8, le32(1234)), "header says page 1234",
       0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::vector<std::string> problems;
    Status st;
    const auto names = NamesIn(c.format, c.bytes, problems, st);
    if (st.ok()) {
      ASSERT_FALSE(problems.empty());
      std::string all;
      for (const auto& p : problems) all += p + "\n";
      testing::ExpectMentions(all, {c.want});
    } else {
      testing::ExpectMentions(st.error().message, {c.want});
    }
    EXPECT_GE(names.size(), c.min_records);
  }
}

TEST(RpmdbRead, ProblemsAreCapped) {
  std::string db = Testdata("Packages.db");
  for (size_t slot = 2; slot < 256; ++slot) PutLe32(db, slot * 16, 0);
  std::vector<std::string> problems;
  Status st;
  NamesIn(RpmdbFormat::kNdb, db, problems, st);
  ASSERT_TRUE(st.ok());
  ASSERT_EQ(problems.size(), 11u);
  EXPECT_EQ(problems.back(), "and 244 more problems");
}

// --- the cataloger -------------------------------------------------------------

struct LayerSpec {
  std::map<std::string, std::string> files;  // captured regular files
  std::vector<std::string> whiteouts;
  std::vector<std::string> opaque_dirs;
  std::vector<FileNode> uncaptured;  // entries whose bytes were not kept
};

struct Fixture {
  ImageInfo image;
  std::unique_ptr<FileSystemView> fs;
};

Fixture Make(const std::vector<LayerSpec>& specs) {
  Fixture fx;
  std::vector<std::shared_ptr<const LayerResult>> layers;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto r = std::make_shared<LayerResult>();
    for (const auto& [path, content] : specs[i].files) {
      r->entries.push_back(
          FileNode{.path = path, .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(content.size())});
      r->captured[path] = content;
    }
    for (const auto& n : specs[i].uncaptured) r->entries.push_back(n);
    r->whiteouts = specs[i].whiteouts;
    r->opaque_dirs = specs[i].opaque_dirs;
    layers.push_back(std::move(r));
    Layer l;
    l.index = static_cast<int>(i);
    l.diff_id = Sha256Of("layer" + std::to_string(i));
    fx.image.layers.push_back(l);
  }
  fx.image.source_kind = "docker-archive";
  fx.fs = std::make_unique<FileSystemView>(std::move(layers));
  return fx;
}

std::span<const Cataloger> RpmRow() {
  for (const auto& c : Catalogers()) {
    if (c.id == "rpm") return {&c, 1};
  }
  ADD_FAILURE() << "no rpm cataloger";
  return {};
}

Inventory Catalog(const Fixture& fx) { return BuildInventory(fx.image, *fx.fs, std::nullopt, RpmRow()); }

constexpr const char* kSqlitePath = "/var/lib/rpm/rpmdb.sqlite";
constexpr const char* kBdbPath = "/var/lib/rpm/Packages";
constexpr const char* kNdbPath = "/usr/lib/sysimage/rpm/Packages.db";

TEST(RpmCataloger, PackageFieldsFromEachFormat) {
  struct Want {
    std::string name, version, arch, source_name, source_version;
    std::vector<std::string> licenses;
    std::map<std::string, std::string> metadata;
    std::string purl;
  };
  const std::vector<Want> want = {
      {"hello",
       "1.0-1",
       "noarch",
       "hello",
       "1.0-1",
       {"MIT"},
       {{"rpm.size", "13"}, {"rpm.sourcerpm", "hello-1.0-1.src.rpm"}},
       "pkg:rpm/redhat/hello@1.0-1?arch=noarch"},
      {"libfoo",
       "2:3.4.5-6.el9",
       "x86_64",
       "libfoo",
       "3.4.5-6.el9",
       {"GPL-2.0-or-later AND MIT"},
       {{"rpm.epoch", "2"},
        {"rpm.size", "9"},
        {"rpm.sourcerpm", "libfoo-3.4.5-6.el9.src.rpm"},
        {"rpm.vendor", "Drydock Tests"}},
       "pkg:rpm/redhat/libfoo@3.4.5-6.el9?arch=x86_64&epoch=2"},
      {"libfoo-devel",
       "2:3.4.5-6.el9",
       "x86_64",
       "libfoo",
       "3.4.5-6.el9",
       {"MIT"},
       {{"rpm.epoch", "2"},
        {"rpm.size", "25"},
        {"rpm.sourcerpm", "libfoo-3.4.5-6.el9.src.rpm"},
        {"rpm.vendor", "Drydock Tests"}},
       "pkg:rpm/redhat/libfoo-devel@3.4.5-6.el9?arch=x86_64&epoch=2&upstream=libfoo%403.4.5-6.el9"},
      {"manyfiles",
       "2024.1-3",
       "noarch",
       "manyfiles",
       "2024.1-3",
       {"Apache-2.0"},
       {{"rpm.size", "162"}, {"rpm.sourcerpm", "manyfiles-2024.1-3.src.rpm"}},
       "pkg:rpm/redhat/manyfiles@2024.1-3?arch=noarch"},
      {"zepoch",
       "0:0.9-2",
       "noarch",
       "zepoch",
       "0.9-2",
       {"BSD-3-Clause"},
       {{"rpm.epoch", "0"}, {"rpm.size", "5"}, {"rpm.sourcerpm", "zepoch-0.9-2.src.rpm"}},
       "pkg:rpm/redhat/zepoch@0.9-2?arch=noarch&epoch=0"},
  };
  struct Case {
    std::string path, file;
  };
  for (const auto& c :
       {Case{kSqlitePath, "rpmdb.sqlite"}, Case{kBdbPath, "Packages"}, Case{kNdbPath, "Packages.db"},
        Case{"/var/lib/rpm/Packages.db", "Packages.db"}, Case{"/usr/lib/sysimage/rpm/rpmdb.sqlite", "rpmdb.sqlite"}}) {
    SCOPED_TRACE(c.path);
    const auto fx = Make({{.files = {{c.path, Testdata(c.file)}}}});
    const Inventory inv = Catalog(fx);
    EXPECT_TRUE(inv.diagnostics.empty()) << inv.diagnostics.front().message;
    ASSERT_EQ(inv.packages.size(), want.size());  // gpg-pubkey is not a package
    for (size_t i = 0; i < want.size(); ++i) {
      const Package& p = inv.packages[i];
      const Want& w = want[i];
      SCOPED_TRACE(w.name);
      EXPECT_EQ(p.type, "rpm");
      EXPECT_EQ(p.name, w.name);
      EXPECT_EQ(p.version, w.version);
      EXPECT_EQ(p.arch, w.arch);
      EXPECT_EQ(p.source_name, w.source_name);
      EXPECT_EQ(p.source_version, w.source_version);
      EXPECT_EQ(p.licenses, w.licenses);
      EXPECT_EQ(p.metadata, w.metadata);
      EXPECT_EQ(p.purl, w.purl);
      EXPECT_EQ(p.layer_index, 0);
      ASSERT_EQ(p.evidence.size(), 1u);
      EXPECT_EQ(p.evidence[0].cataloger, "rpm");
      EXPECT_EQ(p.evidence[0].path, c.path);
    }
  }
}

TEST(RpmCataloger, FilesOwnedBecomePackageFiles) {
  const auto fx = Make({{.files = {{kBdbPath, Testdata("Packages")}}}});
  const Inventory inv = Catalog(fx);
  ASSERT_EQ(inv.packages.size(), 5u);
  EXPECT_EQ(inv.packages[0].name, "hello");
  EXPECT_EQ(inv.packages[0].files,
            (std::vector<std::string>{"/usr/bin/hello", "/usr/share/doc/hello", "/usr/share/doc/hello/README"}));
  EXPECT_EQ(inv.packages[3].files.size(), 63u);
}

struct WantPkg {
  std::string name;
  std::string version;
  int layer;
  std::string path = kSqlitePath;
  bool operator==(const WantPkg&) const = default;
};
std::ostream& operator<<(std::ostream& os, const WantPkg& w) {
  return os << w.name << " " << w.version << " @" << w.layer << " " << w.path;
}

TEST(RpmCataloger, LayerAttribution) {
  const std::string a1 = Nvr("a", "1", "1"), a2 = Nvr("a", "2", "1"), b = Nvr("b", "1", "1"), c = Nvr("c", "1", "1");
  const std::string real_bdb = Testdata("Packages");
  struct Case {
    std::string name;
    std::vector<LayerSpec> layers;
    std::vector<WantPkg> want;
  };
  const Case cases[] = {
      {"one layer", {{.files = {{kSqlitePath, SqliteDb({a1, b})}}}}, {{"a", "1-1", 0}, {"b", "1-1", 0}}},
      {"a package added later is attributed to its layer",
       {{.files = {{kSqlitePath, SqliteDb({a1})}}},
        {.files = {{"/etc/x", "x"}}},
        {.files = {{kSqlitePath, SqliteDb({a1, b})}}}},
       {{"a", "1-1", 0}, {"b", "1-1", 2}}},
      {"an upgrade is attributed to the upgrading layer",
       {{.files = {{kSqlitePath, SqliteDb({a1, b})}}}, {.files = {{kSqlitePath, SqliteDb({a2, b})}}}},
       {{"a", "2-1", 1}, {"b", "1-1", 0}}},
      {"a package removed later is not listed",
       {{.files = {{kSqlitePath, SqliteDb({a1, b})}}}, {.files = {{kSqlitePath, SqliteDb({b})}}}},
       {{"b", "1-1", 0}}},
      {"removed and installed again: the reinstalling layer",
       {{.files = {{kSqlitePath, SqliteDb({a1, b})}}},
        {.files = {{kSqlitePath, SqliteDb({b})}}},
        {.files = {{kSqlitePath, SqliteDb({a1, b})}}}},
       {{"a", "1-1", 2}, {"b", "1-1", 0}}},
      {"a database deleted by a later layer lists nothing",
       {{.files = {{kSqlitePath, SqliteDb({a1, b})}}}, {.whiteouts = {kSqlitePath}}},
       {}},
      {"deleting the directory deletes the database",
       {{.files = {{kSqlitePath, SqliteDb({a1})}}}, {.whiteouts = {"/var/lib"}}},
       {}},
      {"deleted then written again: packages date from the new file",
       {{.files = {{kSqlitePath, SqliteDb({a1, b})}}},
        {.whiteouts = {kSqlitePath}},
        {.files = {{kSqlitePath, SqliteDb({a1, b, c})}}}},
       {{"a", "1-1", 2}, {"b", "1-1", 2}, {"c", "1-1", 2}}},
      {"an opaque directory in the writing layer hides the older file",
       {{.files = {{kSqlitePath, SqliteDb({a1})}}},
        {.files = {{kSqlitePath, SqliteDb({a1, b})}}, .opaque_dirs = {"/var/lib/rpm"}}},
       {{"a", "1-1", 1}, {"b", "1-1", 1}}},
      {"an uncaptured rewrite in between ends the run",
       {{.files = {{kSqlitePath, SqliteDb({a1})}}},
        {.uncaptured = {FileNode{.path = kSqlitePath, .type = EntryType::kFile, .size = 1}}},
        {.files = {{kSqlitePath, SqliteDb({a1})}}}},
       {{"a", "1-1", 2}}},
      {"an unreadable older version attributes to the newer",
       {{.files = {{kSqlitePath, "garbage"}}}, {.files = {{kSqlitePath, SqliteDb({a1})}}}},
       {{"a", "1-1", 1}}},
      {"sqlite is preferred to a stale Berkeley DB beside it",
       {{.files = {{kBdbPath, real_bdb}}}, {.files = {{kSqlitePath, SqliteDb({c})}}}},
       {{"c", "1-1", 1}}},
      {"both locations are read",
       {{.files = {{kSqlitePath, SqliteDb({a1})}, {"/usr/lib/sysimage/rpm/rpmdb.sqlite", SqliteDb({b})}}}},
       {{"a", "1-1", 0}, {"b", "1-1", 0, "/usr/lib/sysimage/rpm/rpmdb.sqlite"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto fx = Make(c.layers);
    const Inventory inv = Catalog(fx);
    EXPECT_TRUE(inv.diagnostics.empty()) << inv.diagnostics.front().message;
    std::vector<WantPkg> got;
    for (const auto& p : inv.packages) got.push_back({p.name, p.version, p.layer_index, p.evidence.at(0).path});
    EXPECT_EQ(got, c.want);
  }
}

TEST(RpmCataloger, MalformedDatabasesAreDiagnosed) {
  const std::string good = Nvr("good", "1", "1");
  std::string bdb = Testdata("Packages");
  const size_t ovfl = FindBdbPage(bdb, 7, true);
  PutLe32(bdb, ovfl * 4096 + 16, static_cast<uint32_t>(ovfl));
  struct Case {
    std::string name;
    std::vector<LayerSpec> layers;
    std::vector<std::string> want_diagnostics;  // substrings, in order
    size_t want_packages;
  };
  const Case cases[] = {
      {"garbage sqlite",
       {{.files = {{kSqlitePath, "not a database at all"}}}},
       {"rpm: rpmdb rpmdb.sqlite: not an SQLite database"},
       0},
      {"a bad record among good ones",
       {{.files = {{kSqlitePath, SqliteDb({good, RawHeader({{1000, 6, 9, 1}}, "x")})}}}},
       {"rpmdb rpmdb.sqlite: record 2: tag 1000 (NAME): offset 9 past the 1-byte data store"},
       1},
      {"an overflow loop in Berkeley DB",
       {{.files = {{kBdbPath, bdb}}}},
       {"rpmdb Packages: page " + std::to_string(ovfl) + ": overflow chain loops"},
       4},
      {"a database too large to capture",
       {{.uncaptured = {FileNode{.path = kSqlitePath, .type = EntryType::kFile, .size = int64_t{300} << 20}}}},
       {"over the 268435456-byte limit"},
       0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const auto fx = Make(c.layers);
    const Inventory inv = Catalog(fx);
    ASSERT_EQ(inv.diagnostics.size(), c.want_diagnostics.size());
    for (size_t i = 0; i < c.want_diagnostics.size(); ++i) {
      testing::ExpectMentions(inv.diagnostics[i].message, {c.want_diagnostics[i]});
    }
    EXPECT_EQ(inv.packages.size(), c.want_packages);
  }
}

TEST(RpmCataloger, ManyBadRecordsGiveBoundedDiagnostics) {
  std::vector<std::string> blobs(50, "junk");
  const auto fx = Make({{.files = {{kSqlitePath, SqliteDb(blobs)}}}});
  const Inventory inv = Catalog(fx);
  ASSERT_EQ(inv.diagnostics.size(), 11u);
  testing::ExpectMentions(inv.diagnostics.back().message, {"and 40 more unreadable records"});
}

TEST(RpmCataloger, WantsTheDatabasesUpTo256MiB) {
  const auto row = RpmRow();
  ASSERT_EQ(row.size(), 1u);
  EXPECT_EQ(row[0].view_wants.max_size, int64_t{256} << 20);
  for (const char* p :
       {"/var/lib/rpm/rpmdb.sqlite", "/var/lib/rpm/Packages.db", "/var/lib/rpm/Packages",
        "/usr/lib/sysimage/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/Packages.db", "/usr/lib/sysimage/rpm/Packages"}) {
    SCOPED_TRACE(p);
    bool wanted = false;
    for (const auto& g : row[0].view_wants.globs) wanted |= GlobMatch(g, p);
    EXPECT_TRUE(wanted);
  }
  bool other = false;
  for (const auto& g : row[0].view_wants.globs) other |= GlobMatch(g, "/var/lib/rpm/Basenames");
  EXPECT_FALSE(other);
}

// The whole pipeline: an OCI image whose second layer installs a package
// into the first layer's Berkeley DB, and whose third converts to sqlite.
TEST(RpmCataloger, ScanImageAttributesAcrossLayers) {
  testing::TempDir dir;
  const std::string a = Nvr("a", "1", "1"), b = Nvr("b", "1", "1");
  const std::string bdb = Testdata("Packages");
  const std::vector<std::string> tars = {
      testing::MakeTar({testing::File("var/lib/rpm/Packages", bdb)}),
      testing::MakeTar({testing::File("var/lib/rpm/Packages.db", Testdata("Packages.db")),
                        testing::Whiteout("var/lib/rpm", "Packages")}),
      testing::MakeTar({testing::File("usr/lib/sysimage/rpm/rpmdb.sqlite", SqliteDb({a})),
                        testing::File("etc/os-release", "ID=rhel\nVERSION_ID=9.4\n")}),
      testing::MakeTar({testing::File("usr/lib/sysimage/rpm/rpmdb.sqlite", SqliteDb({a, b}))}),
  };
  auto r = testing::ScanLayerTars(dir, tars);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory.has_value());
  std::vector<WantPkg> got;
  for (const auto& p : r->inventory->packages) {
    if (p.type == "rpm") got.push_back({p.name, p.version, p.layer_index, p.evidence.at(0).path});
  }
  const std::string ndb = "/var/lib/rpm/Packages.db", sq = "/usr/lib/sysimage/rpm/rpmdb.sqlite";
  // The ndb file lists what the deleted Berkeley DB did, but it is a new
  // file: its packages date from layer 1.
  EXPECT_EQ(got, (std::vector<WantPkg>{{"a", "1-1", 2, sq},
                                       {"b", "1-1", 3, sq},
                                       {"hello", "1.0-1", 1, ndb},
                                       {"libfoo", "2:3.4.5-6.el9", 1, ndb},
                                       {"libfoo-devel", "2:3.4.5-6.el9", 1, ndb},
                                       {"manyfiles", "2024.1-3", 1, ndb},
                                       {"zepoch", "0:0.9-2", 1, ndb}}));
  for (const auto& p : r->inventory->packages) {
    if (p.name == "a") {
      EXPECT_EQ(p.purl, "pkg:rpm/redhat/a@1-1?arch=x86_64&distro=rhel-9.4");
    }
  }
}

}  // namespace
}  // namespace drydock
