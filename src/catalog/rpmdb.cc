#include "catalog/rpmdb.h"

#include <sqlite3.h>

#include <algorithm>
#include <cstring>
#include <memory>

#include "base/path.h"

namespace drydock {

namespace {

// --- bytes ------------------------------------------------------------------

uint32_t Be32(std::string_view b, size_t off) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data()) + off;
  return uint32_t{p[0]} << 24 | uint32_t{p[1]} << 16 | uint32_t{p[2]} << 8 | uint32_t{p[3]};
}
uint32_t Le32(std::string_view b, size_t off) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data()) + off;
  return uint32_t{p[3]} << 24 | uint32_t{p[2]} << 16 | uint32_t{p[1]} << 8 | uint32_t{p[0]};
}
uint16_t Le16(std::string_view b, size_t off) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data()) + off;
  return static_cast<uint16_t>(p[1] << 8 | p[0]);
}
uint16_t Be16(std::string_view b, size_t off) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data()) + off;
  return static_cast<uint16_t>(p[0] << 8 | p[1]);
}

// Collects per-record problems, keeping the first few: a file of garbage
// would otherwise yield one line per slot or page.
class Problems {
 public:
  explicit Problems(std::vector<std::string>& out) : out_(out) {}
  ~Problems() {
    if (dropped_ > 0) out_.push_back(fmt::format("and {} more problems", dropped_));
  }
  Problems(const Problems&) = delete;
  Problems& operator=(const Problems&) = delete;
  void Add(std::string s) {
    if (kept_ < kMax) {
      out_.push_back(std::move(s));
      ++kept_;
    } else {
      ++dropped_;
    }
  }

 private:
  static constexpr size_t kMax = 10;
  std::vector<std::string>& out_;
  size_t kept_ = 0;
  size_t dropped_ = 0;
};

// --- header blobs -----------------------------------------------------------

enum Tag : uint32_t {
  kTagName = 1000,
  kTagVersion = 1001,
  kTagRelease = 1002,
  kTagEpoch = 1003,
  kTagSize = 1009,
  kTagVendor = 1011,
  kTagLicense = 1014,
  kTagArch = 1022,
  kTagOldFilenames = 1027,
  kTagSourceRpm = 1044,
  kTagDirIndexes = 1116,
  kTagBasenames = 1117,
  kTagDirNames = 1118,
  kTagLongSize = 5009,
};

enum Type : uint32_t {
  kTypeInt32 = 4,
  kTypeInt64 = 5,
  kTypeString = 6,
  kTypeStringArray = 8,
  kTypeI18nString = 9,
};

struct TagInfo {
  uint32_t tag;
  const char* name;
};
constexpr TagInfo kWanted[] = {
    {kTagName, "NAME"},
    {kTagVersion, "VERSION"},
    {kTagRelease, "RELEASE"},
    {kTagEpoch, "EPOCH"},
    {kTagSize, "SIZE"},
    {kTagVendor, "VENDOR"},
    {kTagLicense, "LICENSE"},
    {kTagArch, "ARCH"},
    {kTagOldFilenames, "OLDFILENAMES"},
    {kTagSourceRpm, "SOURCERPM"},
    {kTagDirIndexes, "DIRINDEXES"},
    {kTagBasenames, "BASENAMES"},
    {kTagDirNames, "DIRNAMES"},
    {kTagLongSize, "LONGSIZE"},
};
constexpr size_t kWantedCount = sizeof(kWanted) / sizeof(kWanted[0]);

// rpm's own limits (lib/header.c): fewer than 64 Ki index entries, data
// store under 256 MiB.
constexpr uint32_t kMaxEntries = 0xffff;
constexpr uint32_t kMaxData = 256u << 20;

struct Entry {
  uint32_t tag = 0;
  uint32_t type = 0;
  uint32_t offset = 0;
  uint32_t count = 0;
  bool present = false;
};

class HeaderReader {
 public:
  explicit HeaderReader(std::string_view data) : data_(data) {}

  Result<std::string_view> String(const Entry& e, const char* name) const {
    if (e.type != kTypeString && e.type != kTypeStringArray && e.type != kTypeI18nString)
      return InputError("tag {} ({}): type {} is not a string", e.tag, name, e.type);
    if (e.count == 0) return InputError("tag {} ({}): empty", e.tag, name);
    return StringAt(e, name, e.offset);
  }

  Result<std::vector<std::string_view>> Strings(const Entry& e, const char* name) const {
    if (e.type != kTypeStringArray && e.type != kTypeI18nString)
      return InputError("tag {} ({}): type {} is not a string array", e.tag, name, e.type);
    if (e.offset >= data_.size() || e.count > data_.size() - e.offset)
      return InputError("tag {} ({}): {} strings at offset {} do not fit the {}-byte data store", e.tag, name, e.count,
                        e.offset, data_.size());
    std::vector<std::string_view> out;
    out.reserve(e.count);
    size_t off = e.offset;
    for (uint32_t i = 0; i < e.count; ++i) {
      ASSIGN_OR_RETURN(std::string_view s, StringAt(e, name, off));
      out.push_back(s);
      off += s.size() + 1;
    }
    return out;
  }

  Result<std::vector<uint32_t>> Int32s(const Entry& e, const char* name) const {
    if (e.type != kTypeInt32) return InputError("tag {} ({}): type {} is not INT32", e.tag, name, e.type);
    if (uint64_t{e.offset} + uint64_t{e.count} * 4 > data_.size())
      return InputError("tag {} ({}): {} integers at offset {} do not fit the {}-byte data store", e.tag, name, e.count,
                        e.offset, data_.size());
    std::vector<uint32_t> out;
    out.reserve(e.count);
    for (uint32_t i = 0; i < e.count; ++i) out.push_back(Be32(data_, e.offset + size_t{i} * 4));
    return out;
  }

  Result<uint64_t> Int64(const Entry& e, const char* name) const {
    if (e.type != kTypeInt64) return InputError("tag {} ({}): type {} is not INT64", e.tag, name, e.type);
    if (e.count == 0 || uint64_t{e.offset} + 8 > data_.size())
      return InputError("tag {} ({}): offset {} past the {}-byte data store", e.tag, name, e.offset, data_.size());
    return uint64_t{Be32(data_, e.offset)} << 32 | Be32(data_, e.offset + 4);
  }

 private:
  Result<std::string_view> StringAt(const Entry& e, const char* name, size_t off) const {
    if (off >= data_.size())
      return InputError("tag {} ({}): offset {} past the {}-byte data store", e.tag, name, off, data_.size());
    const void* nul = std::memchr(data_.data() + off, '\0', data_.size() - off);
    if (nul == nullptr) return InputError("tag {} ({}): string at offset {} is not terminated", e.tag, name, off);
    return data_.substr(off, static_cast<const char*>(nul) - (data_.data() + off));
  }

  std::string_view data_;
};

size_t WantedIndex(uint32_t tag) {
  for (size_t i = 0; i < kWantedCount; ++i) {
    if (kWanted[i].tag == tag) return i;
  }
  return kWantedCount;
}

Status BuildFileList(const HeaderReader& r, const Entry* entries, size_t blob_size, RpmHeader& h) {
  const Entry& base = entries[WantedIndex(kTagBasenames)];
  const Entry& dirs = entries[WantedIndex(kTagDirNames)];
  const Entry& index = entries[WantedIndex(kTagDirIndexes)];
  const Entry& old = entries[WantedIndex(kTagOldFilenames)];
  // Directory names are shared by many files, so joined paths can be far
  // larger than the blob; a real header spends 100 bytes or more on each
  // file besides its name (digest, size, mode, owner …), so it stays well
  // inside this budget.
  const uint64_t budget = uint64_t{blob_size} * 4 + 4096;
  uint64_t total = 0;
  if (base.present) {
    if (!dirs.present || !index.present) return InputError("BASENAMES without DIRNAMES and DIRINDEXES");
    ASSIGN_OR_RETURN(auto names, r.Strings(base, "BASENAMES"));
    ASSIGN_OR_RETURN(auto dirnames, r.Strings(dirs, "DIRNAMES"));
    ASSIGN_OR_RETURN(auto indexes, r.Int32s(index, "DIRINDEXES"));
    if (indexes.size() != names.size())
      return InputError("{} BASENAMES but {} DIRINDEXES", names.size(), indexes.size());
    for (size_t i = 0; i < names.size(); ++i) {
      if (indexes[i] >= dirnames.size())
        return InputError("file {}: directory index {} past the {} DIRNAMES", i, indexes[i], dirnames.size());
      total += dirnames[indexes[i]].size() + names[i].size() + 1;
      if (total > budget) return InputError("file list expands past {} bytes", budget);
    }
    h.files.reserve(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      std::string joined(dirnames[indexes[i]]);
      joined += names[i];
      h.files.push_back(CleanPath(joined));
    }
  } else if (old.present) {
    ASSIGN_OR_RETURN(auto names, r.Strings(old, "OLDFILENAMES"));
    h.files.reserve(names.size());
    for (auto n : names) h.files.push_back(CleanPath(n));
  }
  return Ok();
}

// --- sqlite -----------------------------------------------------------------

struct SqliteCloser {
  void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct StmtFinalizer {
  void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
};

// Ends a statement that runs away on a hostile schema: the handler is
// called every kProgressOps virtual machine steps.
constexpr int kProgressOps = 1000;
struct Budget {
  uint64_t left;
};
int OnProgress(void* p) {
  auto* b = static_cast<Budget*>(p);
  if (b->left == 0) return 1;
  --b->left;
  return 0;
}

Status ReadSqlite(std::string_view bytes, const RpmBlobFn& fn, Problems& problems) {
  static constexpr std::string_view kMagic("SQLite format 3\0", 16);
  if (bytes.size() < 100 || bytes.substr(0, 16) != kMagic) return InputError("not an SQLite database");
  sqlite3* raw = nullptr;
  if (sqlite3_open_v2(":memory:", &raw, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    sqlite3_close(raw);
    return Error{Error::Kind::kEnvironment, "sqlite: cannot open an in-memory database"};
  }
  std::unique_ptr<sqlite3, SqliteCloser> db(raw);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, nullptr);
  sqlite3_db_config(db.get(), SQLITE_DBCONFIG_ENABLE_VIEW, 0, nullptr);
  sqlite3_limit(db.get(), SQLITE_LIMIT_LENGTH, static_cast<int>(kMaxData));

  // rpm leaves its database in WAL mode, which an in-memory database cannot
  // open; a private copy marked as a rollback-journal file reads the same
  // pages (rpm checkpoints the WAL when it closes).
  auto* copy = static_cast<unsigned char*>(sqlite3_malloc64(bytes.size()));
  if (copy == nullptr) return Error{Error::Kind::kEnvironment, "sqlite: out of memory"};
  std::memcpy(copy, bytes.data(), bytes.size());
  if (copy[18] == 2) copy[18] = 1;
  if (copy[19] == 2) copy[19] = 1;
  const auto n = static_cast<sqlite3_int64>(bytes.size());
  if (sqlite3_deserialize(db.get(), "main", copy, n, n, SQLITE_DESERIALIZE_READONLY | SQLITE_DESERIALIZE_FREEONCLOSE) !=
      SQLITE_OK) {
    return InputError("sqlite: {}", sqlite3_errmsg(db.get()));
  }
  // Generous for a real database (a few steps per row), bounded for a
  // crafted one.
  Budget budget{100000 + bytes.size() / 16};
  sqlite3_progress_handler(db.get(), kProgressOps, OnProgress, &budget);

  auto prepare = [&](const char* sql) -> Result<std::unique_ptr<sqlite3_stmt, StmtFinalizer>> {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(db.get(), sql, -1, &s, nullptr) != SQLITE_OK) {
      sqlite3_finalize(s);
      return InputError("sqlite: {}", sqlite3_errmsg(db.get()));
    }
    return std::unique_ptr<sqlite3_stmt, StmtFinalizer>(s);
  };
  {
    ASSIGN_OR_RETURN(auto check, prepare("SELECT type FROM sqlite_master WHERE name = 'Packages'"));
    const int rc = sqlite3_step(check.get());
    if (rc != SQLITE_ROW) {
      if (rc == SQLITE_DONE) return InputError("no Packages table");
      return InputError("sqlite: {}", sqlite3_errmsg(db.get()));
    }
    const auto* type = reinterpret_cast<const char*>(sqlite3_column_text(check.get(), 0));
    if (type == nullptr || std::string_view(type) != "table") return InputError("Packages is not a table");
  }
  ASSIGN_OR_RETURN(auto stmt, prepare("SELECT hnum, blob FROM Packages"));
  int rc;
  while ((rc = sqlite3_step(stmt.get())) == SQLITE_ROW) {
    const void* blob = sqlite3_column_blob(stmt.get(), 1);
    const int len = sqlite3_column_bytes(stmt.get(), 1);
    if (blob == nullptr || len <= 0) {
      problems.Add(fmt::format("hnum {}: empty blob", sqlite3_column_int64(stmt.get(), 0)));
      continue;
    }
    fn(std::string_view(static_cast<const char*>(blob), static_cast<size_t>(len)));
  }
  if (rc != SQLITE_DONE) {
    if (rc == SQLITE_INTERRUPT) return InputError("sqlite: query ran past its step budget");
    problems.Add(fmt::format("sqlite: {} (the rest of the table is unread)", sqlite3_errmsg(db.get())));
  }
  return Ok();
}

// --- ndb --------------------------------------------------------------------

// Layout facts from rpm's lib/backend/ndb/rpmpkg.c (all little endian).
constexpr size_t kNdbHeaderSize = 32;
constexpr size_t kNdbPage = 4096;
constexpr size_t kNdbSlot = 16;
constexpr size_t kNdbBlock = 16;
constexpr size_t kNdbBlobHead = 16;
constexpr size_t kNdbBlobTail = 12;

Status ReadNdb(std::string_view bytes, const RpmBlobFn& fn, Problems& problems) {
  if (bytes.size() < kNdbHeaderSize) return InputError("shorter than the 32-byte ndb header");
  if (bytes.substr(0, 4) != "RpmP") return InputError("not an ndb database (no RpmP magic)");
  if (const uint32_t v = Le32(bytes, 4); v != 0) return InputError("unsupported ndb version {}", v);
  const uint64_t slot_pages = Le32(bytes, 12);
  if (slot_pages == 0) return InputError("no slot pages");
  if (slot_pages * kNdbPage > bytes.size())
    return InputError("{} slot pages do not fit the {}-byte file", slot_pages, bytes.size());
  const uint64_t min_block = slot_pages * (kNdbPage / kNdbBlock);
  const uint64_t file_blocks = bytes.size() / kNdbBlock;
  for (uint64_t page = 0; page < slot_pages; ++page) {
    for (size_t o = page == 0 ? kNdbHeaderSize : 0; o < kNdbPage; o += kNdbSlot) {
      const size_t at = page * kNdbPage + o;
      const uint64_t slot_no = at / kNdbSlot;  // rpm's numbering: the header takes slots 0 and 1
      if (bytes.substr(at, 4) != "Slot") {
        problems.Add(fmt::format("slot {}: bad magic", slot_no));
        continue;
      }
      const uint32_t pkg = Le32(bytes, at + 4);
      const uint64_t block = Le32(bytes, at + 8);
      const uint64_t count = Le32(bytes, at + 12);
      if (block == 0) continue;  // a free slot
      if (pkg == 0 || count == 0 || block < min_block || block + count > file_blocks) {
        problems.Add(
            fmt::format("slot {} (package {}): blocks {}+{} outside the blob area", slot_no, pkg, block, count));
        continue;
      }
      const std::string_view area = bytes.substr(block * kNdbBlock, count * kNdbBlock);
      if (area.size() < kNdbBlobHead + kNdbBlobTail || area.substr(0, 4) != "BlbS" || Le32(area, 4) != pkg) {
        problems.Add(fmt::format("package {}: no blob header at block {}", pkg, block));
        continue;
      }
      const uint64_t len = Le32(area, 12);
      if ((kNdbBlobHead + len + kNdbBlobTail + kNdbBlock - 1) / kNdbBlock != count) {
        problems.Add(fmt::format("package {}: blob length {} does not fill its {} blocks", pkg, len, count));
        continue;
      }
      const size_t tail = area.size() - kNdbBlobTail;
      if (Le32(area, tail + 4) != len || area.substr(tail + 8, 4) != "BlbE") {
        problems.Add(fmt::format("package {}: bad blob trailer", pkg));
        continue;
      }
      fn(area.substr(kNdbBlobHead, len));
    }
  }
  return Ok();
}

// --- Berkeley DB hash -------------------------------------------------------

// Layout facts from Berkeley DB's dbinc/db_page.h and rpm's
// lib/backend/bdb_ro.c: a metadata page, then pages with a 26-byte header
// (pgno @8, prev @12, next @16, entries @20, hf_offset @22, type @25);
// buckets map to pages through the spares table; each bucket is a chain of
// hash pages holding key/value item pairs; a large value is an H_OFFPAGE
// item naming a chain of overflow pages, each carrying hf_offset bytes.
constexpr size_t kBdbPageHeader = 26;
constexpr uint8_t kPageHashUnsorted = 2;
constexpr uint8_t kPageOverflow = 7;
constexpr uint8_t kPageHashMeta = 8;
constexpr uint8_t kPageHash = 13;
constexpr uint8_t kItemKeyData = 1;
constexpr uint8_t kItemOffPage = 3;

class Bdb {
 public:
  Bdb(std::string_view bytes, Problems& problems) : b_(bytes), problems_(problems) {}

  Status Read(const RpmBlobFn& fn) {
    if (b_.size() < 512) return InputError("shorter than a Berkeley DB metadata page");
    const uint32_t magic = Le32(b_, 12);
    if (magic == 0x00061561) {
      swapped_ = false;
    } else if (magic == 0x61150600) {
      swapped_ = true;
    } else if (magic == 0x00053162 || magic == 0x62310500) {
      return InputError("a Berkeley DB btree, not the hash database rpm writes");
    } else {
      return InputError("not a Berkeley DB hash database");
    }
    if (const uint32_t v = U32(b_, 16); v < 8 || v > 10) return InputError("unsupported hash version {}", v);
    page_size_ = U32(b_, 20);
    if (page_size_ < 512 || page_size_ > 65536 || (page_size_ & (page_size_ - 1)) != 0)
      return InputError("bad page size {}", page_size_);
    if (b_[24] != 0) return InputError("encrypted database");
    if (static_cast<uint8_t>(b_[25]) != kPageHashMeta) return InputError("page 0 is not a hash metadata page");
    const uint64_t pages_in_file = b_.size() / page_size_;
    if (pages_in_file == 0) return InputError("shorter than one {}-byte page", page_size_);
    last_page_ = U32(b_, 32);
    if (last_page_ >= pages_in_file) {
      problems_.Add(fmt::format("truncated: last page {} but the file holds {} pages", last_page_, pages_in_file));
      last_page_ = pages_in_file - 1;
    }
    const uint64_t max_bucket = U32(b_, 72);
    // Every bucket needs a page of its own.
    if (max_bucket > last_page_) return InputError("{} buckets in {} pages", max_bucket + 1, last_page_ + 1);
    uint32_t spares[32];
    for (size_t i = 0; i < 32; ++i) spares[i] = U32(b_, 96 + 4 * i);
    seen_.assign(last_page_ + 1, false);
    seen_[0] = true;
    for (uint64_t bucket = 0; bucket <= max_bucket; ++bucket) {
      size_t bits = 0;
      for (uint64_t v = bucket; v != 0; v >>= 1) ++bits;
      if (bits >= 32) break;
      ReadBucket(bucket, bucket + spares[bits], fn);
    }
    return Ok();
  }

 private:
  uint32_t U32(std::string_view p, size_t off) const { return swapped_ ? Be32(p, off) : Le32(p, off); }
  uint16_t U16(std::string_view p, size_t off) const { return swapped_ ? Be16(p, off) : Le16(p, off); }

  // The page `pgno`, or empty (with a problem) when it is out of range,
  // already visited (a loop), or does not say it is that page.
  std::string_view Page(uint64_t pgno, const char* what) {
    if (pgno == 0 || pgno > last_page_) {
      problems_.Add(fmt::format("page {}: {} points outside the file", pgno, what));
      return {};
    }
    if (seen_[pgno]) {
      problems_.Add(fmt::format("page {}: {} loops", pgno, what));
      return {};
    }
    seen_[pgno] = true;
    std::string_view p = b_.substr(pgno * page_size_, page_size_);
    if (U32(p, 8) != pgno) {
      problems_.Add(fmt::format("page {}: header says page {}", pgno, U32(p, 8)));
      return {};
    }
    return p;
  }

  void ReadBucket(uint64_t bucket, uint64_t pgno, const RpmBlobFn& fn) {
    const char* what = "hash chain";
    while (pgno != 0) {
      std::string_view p = Page(pgno, what);
      if (p.empty()) return;
      const uint8_t type = static_cast<uint8_t>(p[25]);
      if (type != kPageHash && type != kPageHashUnsorted) {
        problems_.Add(fmt::format("page {}: bucket {} leads to a page of type {}", pgno, bucket, type));
        return;
      }
      ReadItems(pgno, p, fn);
      pgno = U32(p, 16);
    }
  }

  // Item `i` of a hash page: its offset and length (items are stored from
  // the end of the page downwards, so item i ends where item i-1 begins).
  bool Item(std::string_view p, size_t n, size_t i, size_t& off, size_t& len) const {
    if (i >= n) return false;
    off = U16(p, kBdbPageHeader + 2 * i);
    const size_t end = i == 0 ? page_size_ : U16(p, kBdbPageHeader + 2 * (i - 1));
    const size_t min_off = kBdbPageHeader + 2 * n;
    if (off < min_off || end > page_size_ || off >= end) return false;
    len = end - off;
    return true;
  }

  void ReadItems(uint64_t pgno, std::string_view p, const RpmBlobFn& fn) {
    size_t n = U16(p, 20);
    n = std::min(n, (page_size_ - kBdbPageHeader) / 2);
    for (size_t i = 0; i + 1 < n; i += 2) {
      size_t koff, klen, voff, vlen;
      if (!Item(p, n, i, koff, klen) || !Item(p, n, i + 1, voff, vlen)) {
        problems_.Add(fmt::format("page {}: item {} has a bad offset", pgno, i));
        continue;
      }
      // rpm keeps the next free header number under key 0; it is no package.
      if (static_cast<uint8_t>(p[koff]) == kItemKeyData && klen == 5 && U32(p, koff + 1) == 0) continue;
      const uint8_t vtype = static_cast<uint8_t>(p[voff]);
      if (vtype == kItemKeyData) {
        fn(p.substr(voff + 1, vlen - 1));
      } else if (vtype == kItemOffPage && vlen == 12) {
        std::string value;
        if (Overflow(pgno, U32(p, voff + 4), U32(p, voff + 8), value)) fn(value);
      } else {
        problems_.Add(fmt::format("page {}: item {} has unsupported type {}", pgno, i + 1, vtype));
      }
    }
  }

  bool Overflow(uint64_t from, uint64_t pgno, uint64_t len, std::string& out) {
    const uint64_t room = (last_page_ + 1) * (page_size_ - kBdbPageHeader);
    if (len == 0 || len > room) {
      problems_.Add(fmt::format("page {}: value of {} bytes cannot fit the file", from, len));
      return false;
    }
    out.reserve(len);
    while (out.size() < len) {
      if (pgno == 0) {
        problems_.Add(fmt::format("page {}: overflow chain ends {} bytes short", from, len - out.size()));
        return false;
      }
      std::string_view p = Page(pgno, "overflow chain");
      if (p.empty()) return false;
      if (static_cast<uint8_t>(p[25]) != kPageOverflow) {
        problems_.Add(fmt::format("page {}: not an overflow page", pgno));
        return false;
      }
      const size_t used = U16(p, 22);
      if (used + kBdbPageHeader > page_size_ || used > len - out.size()) {
        problems_.Add(fmt::format("page {}: overflow length {} does not fit", pgno, used));
        return false;
      }
      out.append(p.substr(kBdbPageHeader, used));
      pgno = U32(p, 16);
    }
    return true;
  }

  std::string_view b_;
  Problems& problems_;
  bool swapped_ = false;
  size_t page_size_ = 0;
  uint64_t last_page_ = 0;
  std::vector<bool> seen_;
};

}  // namespace

Result<RpmHeader> ParseRpmHeader(std::string_view blob, bool with_files) {
  if (blob.size() < 8) return InputError("header of {} bytes is shorter than its 8-byte intro", blob.size());
  const uint32_t il = Be32(blob, 0);
  const uint32_t dl = Be32(blob, 4);
  if (il == 0 || il > kMaxEntries) return InputError("header claims {} index entries", il);
  if (dl > kMaxData) return InputError("header claims a {}-byte data store", dl);
  const uint64_t need = 8 + uint64_t{il} * 16 + dl;
  if (need > blob.size())
    return InputError("header of {} entries and {} data bytes needs {} bytes, has {}", il, dl, need, blob.size());
  const std::string_view data = blob.substr(8 + size_t{il} * 16, dl);

  Entry entries[kWantedCount];
  for (uint32_t i = 0; i < il; ++i) {
    const size_t at = 8 + size_t{i} * 16;
    const size_t w = WantedIndex(Be32(blob, at));
    if (w == kWantedCount) continue;
    // A later entry for the same tag replaces an earlier one, as rpm's
    // "dribble" entries after the immutable region do.
    entries[w] = Entry{Be32(blob, at), Be32(blob, at + 4), Be32(blob, at + 8), Be32(blob, at + 12), true};
  }
  HeaderReader r(data);
  RpmHeader h;
  struct StringField {
    uint32_t tag;
    std::string* into;
    bool required;
  };
  const StringField strings[] = {
      {kTagName, &h.name, true},      {kTagVersion, &h.version, true},       {kTagRelease, &h.release, true},
      {kTagArch, &h.arch, false},     {kTagSourceRpm, &h.source_rpm, false}, {kTagLicense, &h.license, false},
      {kTagVendor, &h.vendor, false},
  };
  for (const auto& f : strings) {
    const size_t w = WantedIndex(f.tag);
    if (!entries[w].present) {
      if (f.required) return InputError("no {} tag", kWanted[w].name);
      continue;
    }
    ASSIGN_OR_RETURN(std::string_view s, r.String(entries[w], kWanted[w].name));
    *f.into = std::string(s);
  }
  if (h.name.empty()) return InputError("empty NAME");
  if (const Entry& e = entries[WantedIndex(kTagEpoch)]; e.present) {
    ASSIGN_OR_RETURN(auto v, r.Int32s(e, "EPOCH"));
    if (v.empty()) return InputError("tag {} (EPOCH): empty", kTagEpoch);
    h.epoch = v.front();
  }
  if (const Entry& e = entries[WantedIndex(kTagLongSize)]; e.present) {
    ASSIGN_OR_RETURN(h.size, r.Int64(e, "LONGSIZE"));
  } else if (const Entry& s = entries[WantedIndex(kTagSize)]; s.present) {
    ASSIGN_OR_RETURN(auto v, r.Int32s(s, "SIZE"));
    if (!v.empty()) h.size = v.front();
  }
  if (with_files) RETURN_IF_ERROR(BuildFileList(r, entries, blob.size(), h));
  return h;
}

std::string_view RpmdbFormatName(RpmdbFormat format) {
  switch (format) {
    case RpmdbFormat::kSqlite:
      return "sqlite";
    case RpmdbFormat::kNdb:
      return "ndb";
    case RpmdbFormat::kBdb:
      return "bdb";
  }
  return "?";
}

std::optional<RpmdbFormat> RpmdbFormatOf(std::string_view basename) {
  if (basename == "rpmdb.sqlite") return RpmdbFormat::kSqlite;
  if (basename == "Packages.db") return RpmdbFormat::kNdb;
  if (basename == "Packages") return RpmdbFormat::kBdb;
  return std::nullopt;
}

Status ReadRpmdb(RpmdbFormat format, std::string_view bytes, const RpmBlobFn& fn, std::vector<std::string>& problems) {
  Problems log(problems);
  switch (format) {
    case RpmdbFormat::kSqlite:
      return ReadSqlite(bytes, fn, log);
    case RpmdbFormat::kNdb:
      return ReadNdb(bytes, fn, log);
    case RpmdbFormat::kBdb: {
      Bdb db(bytes, log);
      return db.Read(fn);
    }
  }
  return InputError("unknown rpmdb format");
}

}  // namespace drydock
