#include "vuln/db.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include <fmt/chrono.h>

namespace drydock {

void SqliteCloser::operator()(sqlite3* db) const { sqlite3_close_v2(db); }
void StmtCloser::operator()(sqlite3_stmt* st) const { sqlite3_finalize(st); }

namespace {

constexpr char kFieldSep = '\x1f';
// Row ids per statement of VulnDb::Advisories.
constexpr int kAdvisoryBatch = 64;
constexpr char kRecordSep = '\x1e';

constexpr const char* kSchema = R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sources(source TEXT PRIMARY KEY, origin TEXT, imported_at TEXT,
                     files INTEGER, advisories INTEGER, affected INTEGER, skipped INTEGER);
CREATE TABLE advisories(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL,
                        aliases TEXT, title TEXT, description TEXT, severity TEXT,
                        cvss TEXT, refs TEXT, published TEXT, modified TEXT);
CREATE TABLE affected(advisory INTEGER NOT NULL, ecosystem TEXT NOT NULL, package TEXT NOT NULL,
                      range_type TEXT, ranges TEXT, versions TEXT, raw_range TEXT,
                      status TEXT, severity TEXT);
)sql";
// `packed` holds every affected record of one (ecosystem, package) in one
// row, so a lookup is one B-tree probe and one blob, not a row per record.
// The blob is PackRecord's encoding, read back by UnpackRecords.
constexpr const char* kIndexes = R"sql(
CREATE INDEX advisories_source ON advisories(source);
CREATE TABLE packed(ecosystem TEXT NOT NULL, package TEXT NOT NULL, records BLOB NOT NULL,
                    PRIMARY KEY(ecosystem, package)) WITHOUT ROWID;
CREATE TABLE cve_rating(cve TEXT PRIMARY KEY, source TEXT, severity TEXT, cvss TEXT) WITHOUT ROWID;
)sql";

// Columns of one packed record after the advisory row id: range_type,
// ranges, versions, raw_range, status, severity.
constexpr int kPackedColumns = 6;

void AppendVarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Reads a LEB128 varint from the front of `in`; false when it is cut short.
bool ReadVarint(std::string_view& in, uint64_t& v) {
  v = 0;
  for (int shift = 0; shift < 64 && !in.empty(); shift += 7) {
    const auto b = static_cast<unsigned char>(in.front());
    in.remove_prefix(1);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) return true;
  }
  return false;
}

// One record: varint advisory row id, varint length of each column, then the
// columns' bytes. Lengths up front let a lookup slice the blob without
// scanning it byte by byte.
void PackRecord(std::string& blob, int64_t advisory, const std::string_view (&cols)[kPackedColumns]) {
  AppendVarint(blob, static_cast<uint64_t>(advisory));
  for (const auto& c : cols) AppendVarint(blob, c.size());
  for (const auto& c : cols) blob.append(c);
}

// The records of a PackRecord blob as views into it; false when the blob is
// malformed (a damaged database).
bool UnpackRecords(std::string_view blob, std::vector<AffectedView>& rows) {
  while (!blob.empty()) {
    uint64_t advisory = 0;
    uint64_t len[kPackedColumns];
    if (!ReadVarint(blob, advisory)) return false;
    uint64_t total = 0;
    for (auto& l : len) {
      if (!ReadVarint(blob, l) || l > blob.size()) return false;
      total += l;
    }
    if (total > blob.size()) return false;
    std::string_view cols[kPackedColumns];
    for (int c = 0; c < kPackedColumns; ++c) {
      cols[c] = blob.substr(0, len[c]);
      blob.remove_prefix(len[c]);
    }
    AffectedView& v = rows.emplace_back();
    v.advisory = static_cast<int64_t>(advisory);
    v.range_type = cols[0];
    v.ranges = cols[1];
    v.versions = cols[2];
    v.raw_range = cols[3];
    v.status = cols[4];
    v.severity = cols[5];
  }
  return true;
}

// Separator bytes cannot appear inside a field: advisory text is data.
std::string Clean(std::string_view s) {
  std::string out(s);
  for (auto& c : out) {
    if (c >= '\x1c' && c <= '\x1f') c = ' ';
  }
  return out;
}

Error SqlError(sqlite3* db, std::string_view what) {
  return InputError("vulnerability database: {}: {}", what, db ? sqlite3_errmsg(db) : "out of memory");
}

Result<StmtHandle> Prepare(sqlite3* db, const char* sql) {
  sqlite3_stmt* st = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) return SqlError(db, "prepare");
  return StmtHandle(st);
}

Status Exec(sqlite3* db, const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "unknown error";
    sqlite3_free(err);
    return InputError("vulnerability database: {}", m);
  }
  return Ok();
}

void BindText(sqlite3_stmt* st, int i, std::string_view s) {
  sqlite3_bind_text(st, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
}

// The column's bytes, valid until the statement steps or resets. Read as a
// blob: sqlite3_column_text would copy each value to NUL-terminate it.
std::string_view ColumnView(sqlite3_stmt* st, int i) {
  const auto* p = static_cast<const char*>(sqlite3_column_blob(st, i));
  return p ? std::string_view(p, static_cast<size_t>(sqlite3_column_bytes(st, i))) : std::string_view();
}

std::string ColumnText(sqlite3_stmt* st, int i) { return std::string(ColumnView(st, i)); }

std::string EncodePairs(const std::vector<std::pair<std::string, std::string>>& pairs) {
  std::vector<std::string> flat;
  for (const auto& [a, b] : pairs) flat.push_back(a + kFieldSep + b);
  std::string out;
  for (size_t i = 0; i < flat.size(); ++i) {
    if (i) out += kRecordSep;
    out += flat[i];
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> DecodePairs(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  if (s.empty()) return out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(kRecordSep, i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view rec = s.substr(i, j - i);
    size_t k = rec.find(kFieldSep);
    if (k != std::string_view::npos) out.emplace_back(rec.substr(0, k), rec.substr(k + 1));
    i = j + 1;
  }
  return out;
}

std::string NowRfc3339() {
  return fmt::format("{:%Y-%m-%dT%H:%M:%SZ}",
                     std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now()));
}

Result<SqliteHandle> OpenHandle(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  SqliteHandle db(raw);
  if (rc != SQLITE_OK) return SqlError(raw, path);
  sqlite3_extended_result_codes(raw, 1);
  return db;
}

Status FsyncPath(const std::string& path, bool dir) {
  int fd = open(path.c_str(), (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0) return InputError("{}: {}", path, std::strerror(errno));
  int rc = fsync(fd);
  int e = errno;
  close(fd);
  if (rc != 0) return InputError("{}: fsync: {}", path, std::strerror(e));
  return Ok();
}

}  // namespace

std::string EncodeRanges(const std::vector<AffectedRange>& ranges) {
  std::string out;
  for (size_t i = 0; i < ranges.size(); ++i) {
    if (i) out += kRecordSep;
    const auto& r = ranges[i];
    out += r.introduced + kFieldSep + r.fixed + kFieldSep + r.last_affected + kFieldSep + r.limit;
  }
  return out;
}

std::vector<AffectedRange> DecodeRanges(std::string_view s) {
  std::vector<AffectedRange> out;
  if (s.empty()) return out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(kRecordSep, i);
    if (j == std::string_view::npos) j = s.size();
    std::string_view rec = s.substr(i, j - i);
    std::string* fields[4];
    AffectedRange r;
    fields[0] = &r.introduced;
    fields[1] = &r.fixed;
    fields[2] = &r.last_affected;
    fields[3] = &r.limit;
    size_t a = 0;
    for (int f = 0; f < 4 && a <= rec.size(); ++f) {
      size_t b = rec.find(kFieldSep, a);
      if (b == std::string_view::npos) b = rec.size();
      fields[f]->assign(rec.substr(a, b - a));
      a = b + 1;
    }
    out.push_back(std::move(r));
    i = j + 1;
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += kFieldSep;
    out += items[i];
  }
  return out;
}

std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(kFieldSep, i);
    if (j == std::string_view::npos) j = s.size();
    out.emplace_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

// ---- reader ----

Result<VulnDb> VulnDb::Open(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return InputError("no vulnerability database at {}: run `drydock db import PATH` or `drydock db update`", path);
  }
  ASSIGN_OR_RETURN(auto h, OpenHandle(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX));
  VulnDb db;
  db.db_ = std::move(h);
  sqlite3_busy_timeout(db.db_.get(), 5000);
  // Reads through a mapping: no copy into the page cache for each row.
  RETURN_IF_ERROR(Exec(db.db_.get(), "PRAGMA mmap_size = 1073741824"));
  // Keeps the shared lock from the first read on, instead of taking and
  // dropping it (two fcntl calls and an fstat) around every statement. No
  // one writes a database file in place: builds write a new file and rename
  // it, so a held read lock never blocks them.
  RETURN_IF_ERROR(Exec(db.db_.get(), "PRAGMA locking_mode = EXCLUSIVE"));
  auto version = Prepare(db.db_.get(), "SELECT value FROM meta WHERE key = 'schema_version'");
  if (!version.ok()) return InputError("{}: not a drydock vulnerability database", path);
  int rc = sqlite3_step(version->get());
  if (rc != SQLITE_ROW) return InputError("{}: not a drydock vulnerability database (no schema version)", path);
  std::string v = ColumnText(version->get(), 0);
  if (v != std::to_string(kVulnDbSchemaVersion)) {
    return InputError("{}: database schema version {} (this drydock reads {}): run `drydock db update`", path, v,
                      kVulnDbSchemaVersion);
  }
  ASSIGN_OR_RETURN(db.lookup_,
                   Prepare(db.db_.get(), "SELECT records FROM packed WHERE ecosystem = ?1 AND package = ?2"));
  ASSIGN_OR_RETURN(db.rating_, Prepare(db.db_.get(), "SELECT source, severity, cvss FROM cve_rating WHERE cve = ?1"));
  ASSIGN_OR_RETURN(db.advisory_,
                   Prepare(db.db_.get(),
                           "SELECT id, aliases, source, title, severity, cvss, refs, published FROM advisories "
                           "WHERE rowid = ?1"));
  std::string in_list;
  for (int i = 1; i <= kAdvisoryBatch; ++i) in_list += fmt::format("{}?{}", i > 1 ? "," : "", i);
  const std::string batch = fmt::format(
      "SELECT id, aliases, source, title, severity, cvss, refs, published, rowid FROM advisories "
      "WHERE rowid IN ({})",
      in_list);
  ASSIGN_OR_RETURN(db.advisories_, Prepare(db.db_.get(), batch.c_str()));
  return db;
}

Result<PackageRecords> VulnDb::Lookup(std::string_view ecosystem, std::string_view package) {
  sqlite3_stmt* st = lookup_.get();
  sqlite3_reset(st);
  BindText(st, 1, ecosystem);
  BindText(st, 2, package);
  PackageRecords out;
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return out;
  if (rc != SQLITE_ROW) return SqlError(db_.get(), "lookup");
  const auto* data = static_cast<const char*>(sqlite3_column_blob(st, 0));
  out.blob = std::make_shared<const std::string>(data ? data : "", static_cast<size_t>(sqlite3_column_bytes(st, 0)));
  out.rows.reserve(out.blob->size() / 16);
  if (!UnpackRecords(*out.blob, out.rows)) {
    return InputError("vulnerability database: packed records of {} {} are damaged: run `drydock db update`", ecosystem,
                      package);
  }
  return out;
}

Result<DbAdvisory> VulnDb::Advisory(int64_t rowid) {
  sqlite3_stmt* st = advisory_.get();
  sqlite3_reset(st);
  sqlite3_bind_int64(st, 1, rowid);
  int rc = sqlite3_step(st);
  if (rc != SQLITE_ROW) return SqlError(db_.get(), fmt::format("advisory row {}", rowid));
  return ReadAdvisory(st);
}

Result<std::vector<std::pair<int64_t, DbAdvisory>>> VulnDb::Advisories(std::vector<int64_t> rowids) {
  std::sort(rowids.begin(), rowids.end());
  rowids.erase(std::unique(rowids.begin(), rowids.end()), rowids.end());
  std::vector<std::pair<int64_t, DbAdvisory>> out;
  out.reserve(rowids.size());
  sqlite3_stmt* st = advisories_.get();
  for (size_t at = 0; at < rowids.size(); at += kAdvisoryBatch) {
    sqlite3_reset(st);
    // A short last batch repeats its first row id: IN ignores duplicates.
    for (int i = 0; i < kAdvisoryBatch; ++i) {
      const size_t k = at + static_cast<size_t>(i) < rowids.size() ? at + static_cast<size_t>(i) : at;
      sqlite3_bind_int64(st, i + 1, rowids[k]);
    }
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) out.emplace_back(sqlite3_column_int64(st, 8), ReadAdvisory(st));
    if (rc != SQLITE_DONE) return SqlError(db_.get(), "advisories");
  }
  sqlite3_reset(st);
  if (out.size() != rowids.size()) {
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (size_t i = 0; i < rowids.size(); ++i) {
      if (i >= out.size() || out[i].first != rowids[i]) {
        return InputError("vulnerability database: advisory row {} is missing", rowids[i]);
      }
    }
  }
  return out;
}

DbAdvisory VulnDb::ReadAdvisory(sqlite3_stmt* st) {
  DbAdvisory a;
  a.id = ColumnText(st, 0);
  a.aliases = SplitList(ColumnView(st, 1));
  a.source = ColumnText(st, 2);
  a.title = ColumnText(st, 3);
  a.severity = ColumnText(st, 4);
  a.cvss = DecodePairs(ColumnView(st, 5));
  a.references = SplitList(ColumnView(st, 6));
  a.published = ColumnText(st, 7);
  return a;
}

Result<std::optional<CveRating>> VulnDb::RatingOf(std::string_view cve) {
  sqlite3_stmt* st = rating_.get();
  sqlite3_reset(st);
  BindText(st, 1, cve);
  int rc = sqlite3_step(st);
  if (rc == SQLITE_DONE) return std::optional<CveRating>();
  if (rc != SQLITE_ROW) return SqlError(db_.get(), "rating");
  CveRating r;
  r.source = ColumnText(st, 0);
  r.severity = ColumnText(st, 1);
  r.cvss = DecodePairs(ColumnView(st, 2));
  return std::optional<CveRating>(std::move(r));
}

Result<std::vector<DbSourceInfo>> VulnDb::Sources() {
  ASSIGN_OR_RETURN(auto st, Prepare(db_.get(),
                                    "SELECT source, origin, imported_at, files, advisories, affected, skipped "
                                    "FROM sources ORDER BY source"));
  std::vector<DbSourceInfo> out;
  while (sqlite3_step(st.get()) == SQLITE_ROW) {
    DbSourceInfo s;
    s.source = ColumnText(st.get(), 0);
    s.origin = ColumnText(st.get(), 1);
    s.imported_at = ColumnText(st.get(), 2);
    s.files = sqlite3_column_int64(st.get(), 3);
    s.advisories = sqlite3_column_int64(st.get(), 4);
    s.affected = sqlite3_column_int64(st.get(), 5);
    s.skipped = sqlite3_column_int64(st.get(), 6);
    out.push_back(std::move(s));
  }
  return out;
}

Result<std::string> VulnDb::BuiltAt() {
  ASSIGN_OR_RETURN(auto st, Prepare(db_.get(), "SELECT value FROM meta WHERE key = 'built_at'"));
  if (sqlite3_step(st.get()) != SQLITE_ROW) return std::string();
  return ColumnText(st.get(), 0);
}

Result<int64_t> VulnDb::CountAdvisories() {
  ASSIGN_OR_RETURN(auto st, Prepare(db_.get(), "SELECT count(*) FROM advisories"));
  if (sqlite3_step(st.get()) != SQLITE_ROW) return SqlError(db_.get(), "count");
  return sqlite3_column_int64(st.get(), 0);
}

// ---- writer ----

Result<DbWriter> DbWriter::Create(const std::string& path) {
  ASSIGN_OR_RETURN(auto h, OpenHandle(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX));
  DbWriter w;
  w.db_ = std::move(h);
  sqlite3* db = w.db_.get();
  // The file is private until renamed into place: no journal needed; a
  // crash leaves only a temp file the next build removes.
  RETURN_IF_ERROR(Exec(db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA page_size = 8192;"));
  RETURN_IF_ERROR(Exec(db, kSchema));
  RETURN_IF_ERROR(Exec(db, "BEGIN"));
  ASSIGN_OR_RETURN(w.ins_adv_, Prepare(db,
                                       "INSERT INTO advisories(id, source, aliases, title, description, severity, "
                                       "cvss, refs, published, modified) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)"));
  ASSIGN_OR_RETURN(w.ins_aff_, Prepare(db,
                                       "INSERT INTO affected(advisory, ecosystem, package, range_type, ranges, "
                                       "versions, raw_range, status, severity) VALUES(?1,?2,?3,?4,?5,?6,?7,?8,?9)"));
  return w;
}

Status DbWriter::Add(const Advisory& a) {
  sqlite3_stmt* st = ins_adv_.get();
  sqlite3_reset(st);
  BindText(st, 1, a.id);
  BindText(st, 2, a.source);
  std::vector<std::string> aliases;
  for (const auto& x : a.aliases) aliases.push_back(Clean(x));
  std::vector<std::string> refs;
  for (const auto& x : a.references) refs.push_back(Clean(x));
  std::vector<std::pair<std::string, std::string>> cvss;
  for (const auto& [v, vec] : a.cvss) cvss.emplace_back(Clean(v), Clean(vec));
  BindText(st, 3, JoinList(aliases));
  BindText(st, 4, a.title);
  BindText(st, 5, a.description);
  BindText(st, 6, a.severity);
  BindText(st, 7, EncodePairs(cvss));
  BindText(st, 8, JoinList(refs));
  BindText(st, 9, a.published);
  BindText(st, 10, a.modified);
  if (sqlite3_step(st) != SQLITE_DONE) return SqlError(db_.get(), "insert advisory " + a.id);
  const int64_t row = sqlite3_last_insert_rowid(db_.get());
  for (const auto& af : a.affected) {
    sqlite3_stmt* s = ins_aff_.get();
    sqlite3_reset(s);
    sqlite3_bind_int64(s, 1, row);
    std::vector<AffectedRange> ranges;
    for (const auto& r : af.ranges) {
      ranges.push_back(AffectedRange{Clean(r.introduced), Clean(r.fixed), Clean(r.last_affected), Clean(r.limit)});
    }
    std::vector<std::string> versions;
    for (const auto& v : af.versions) versions.push_back(Clean(v));
    BindText(s, 2, af.ecosystem);
    BindText(s, 3, af.package);
    BindText(s, 4, Clean(af.range_type));
    BindText(s, 5, EncodeRanges(ranges));
    BindText(s, 6, JoinList(versions));
    BindText(s, 7, Clean(af.raw_range));
    BindText(s, 8, Clean(af.status));
    BindText(s, 9, Clean(af.severity));
    if (sqlite3_step(s) != SQLITE_DONE) return SqlError(db_.get(), "insert affected of " + a.id);
  }
  return Ok();
}

Status DbWriter::CopyFrom(const std::string& old_db, const std::vector<std::string>& except) {
  struct stat st {};
  if (stat(old_db.c_str(), &st) != 0) return Ok();
  {
    // A database of another schema (or not one at all) is simply rebuilt.
    auto probe = VulnDb::Open(old_db);
    if (!probe.ok()) return Ok();
  }
  sqlite3* db = db_.get();
  ASSIGN_OR_RETURN(auto attach, Prepare(db, "ATTACH DATABASE ?1 AS old"));
  BindText(attach.get(), 1, old_db);
  // ATTACH cannot run inside a transaction.
  RETURN_IF_ERROR(Exec(db, "COMMIT"));
  if (sqlite3_step(attach.get()) != SQLITE_DONE) return SqlError(db, "attach " + old_db);
  attach.reset();
  RETURN_IF_ERROR(Exec(db, "BEGIN"));
  RETURN_IF_ERROR(Exec(db, "CREATE TEMP TABLE drop_sources(source TEXT PRIMARY KEY)"));
  for (const auto& s : except) {
    ASSIGN_OR_RETURN(auto ins, Prepare(db, "INSERT OR IGNORE INTO drop_sources VALUES(?1)"));
    BindText(ins.get(), 1, s);
    if (sqlite3_step(ins.get()) != SQLITE_DONE) return SqlError(db, "copy");
  }
  // Row ids are renumbered: old rowid + offset keeps advisory/affected joined.
  RETURN_IF_ERROR(Exec(db, R"sql(
    CREATE TEMP TABLE base AS SELECT coalesce(max(rowid), 0) AS off FROM main.advisories;
    INSERT INTO main.advisories(rowid, id, source, aliases, title, description, severity, cvss, refs, published, modified)
      SELECT rowid + (SELECT off FROM base), id, source, aliases, title, description, severity, cvss, refs, published, modified
      FROM old.advisories WHERE source NOT IN (SELECT source FROM drop_sources);
    INSERT INTO main.affected SELECT a.advisory + (SELECT off FROM base), a.ecosystem, a.package, a.range_type, a.ranges,
      a.versions, a.raw_range, a.status, a.severity
      FROM old.affected a JOIN old.advisories d ON d.rowid = a.advisory
      WHERE d.source NOT IN (SELECT source FROM drop_sources);
    INSERT OR REPLACE INTO main.sources SELECT * FROM old.sources WHERE source NOT IN (SELECT source FROM drop_sources);
  )sql"));
  RETURN_IF_ERROR(Exec(db, "COMMIT"));
  RETURN_IF_ERROR(Exec(db, "DETACH DATABASE old"));
  RETURN_IF_ERROR(Exec(db, "BEGIN"));
  return Ok();
}

Status DbWriter::AddSource(const DbSourceInfo& s) {
  ASSIGN_OR_RETURN(auto st, Prepare(db_.get(),
                                    "INSERT OR REPLACE INTO sources(source, origin, imported_at, files, advisories, "
                                    "affected, skipped) VALUES(?1,?2,?3,?4,?5,?6,?7)"));
  BindText(st.get(), 1, s.source);
  BindText(st.get(), 2, s.origin);
  BindText(st.get(), 3, s.imported_at.empty() ? NowRfc3339() : s.imported_at);
  sqlite3_bind_int64(st.get(), 4, s.files);
  sqlite3_bind_int64(st.get(), 5, s.advisories);
  sqlite3_bind_int64(st.get(), 6, s.affected);
  sqlite3_bind_int64(st.get(), 7, s.skipped);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return SqlError(db_.get(), "insert source " + s.source);
  return Ok();
}

Status DbWriter::RateCves() {
  sqlite3* db = db_.get();
  // Advisories with CVSS vectors first, then those with only a rating: the
  // first row seen for a CVE wins (INSERT OR IGNORE).
  ASSIGN_OR_RETURN(auto rd, Prepare(db,
                                    "SELECT id, aliases, source, severity, cvss FROM advisories "
                                    "WHERE cvss != '' OR severity != '' ORDER BY (cvss = ''), rowid"));
  ASSIGN_OR_RETURN(auto wr,
                   Prepare(db, "INSERT OR IGNORE INTO cve_rating(cve, source, severity, cvss) VALUES(?1,?2,?3,?4)"));
  int rc;
  while ((rc = sqlite3_step(rd.get())) == SQLITE_ROW) {
    std::vector<std::string> ids = SplitList(ColumnText(rd.get(), 1));
    ids.push_back(ColumnText(rd.get(), 0));
    for (const auto& id : ids) {
      if (!id.starts_with("CVE-")) continue;
      sqlite3_reset(wr.get());
      BindText(wr.get(), 1, id);
      BindText(wr.get(), 2, ColumnText(rd.get(), 2));
      BindText(wr.get(), 3, ColumnText(rd.get(), 3));
      BindText(wr.get(), 4, ColumnText(rd.get(), 4));
      if (sqlite3_step(wr.get()) != SQLITE_DONE) return SqlError(db, "rate " + id);
    }
  }
  if (rc != SQLITE_DONE) return SqlError(db, "rate");
  return Ok();
}

Status DbWriter::Pack() {
  sqlite3* db = db_.get();
  ASSIGN_OR_RETURN(auto rd, Prepare(db,
                                    "SELECT ecosystem, package, advisory, range_type, ranges, versions, raw_range, "
                                    "status, severity FROM affected ORDER BY ecosystem, package, advisory"));
  ASSIGN_OR_RETURN(auto wr, Prepare(db, "INSERT INTO packed(ecosystem, package, records) VALUES(?1, ?2, ?3)"));
  std::string eco, pkg, blob;
  auto flush = [&]() -> Status {
    if (blob.empty()) return Ok();
    sqlite3_reset(wr.get());
    BindText(wr.get(), 1, eco);
    BindText(wr.get(), 2, pkg);
    sqlite3_bind_blob(wr.get(), 3, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
    if (sqlite3_step(wr.get()) != SQLITE_DONE) return SqlError(db, "pack " + eco + "/" + pkg);
    blob.clear();
    return Ok();
  };
  int rc;
  while ((rc = sqlite3_step(rd.get())) == SQLITE_ROW) {
    std::string e = ColumnText(rd.get(), 0), p = ColumnText(rd.get(), 1);
    if (e != eco || p != pkg) {
      RETURN_IF_ERROR(flush());
      eco = std::move(e);
      pkg = std::move(p);
    }
    std::string_view cols[kPackedColumns];
    for (int c = 0; c < kPackedColumns; ++c) cols[c] = ColumnView(rd.get(), 3 + c);
    PackRecord(blob, sqlite3_column_int64(rd.get(), 2), cols);
  }
  if (rc != SQLITE_DONE) return SqlError(db, "pack");
  return flush();
}

Status DbWriter::Finish() {
  sqlite3* db = db_.get();
  ins_adv_.reset();
  ins_aff_.reset();
  RETURN_IF_ERROR(Exec(db, kIndexes));
  RETURN_IF_ERROR(Pack());
  RETURN_IF_ERROR(RateCves());
  ASSIGN_OR_RETURN(auto meta, Prepare(db, "INSERT OR REPLACE INTO meta(key, value) VALUES(?1, ?2)"));
  for (const auto& [k, v] : std::vector<std::pair<std::string, std::string>>{
           {"schema_version", std::to_string(kVulnDbSchemaVersion)}, {"built_at", NowRfc3339()}}) {
    sqlite3_reset(meta.get());
    BindText(meta.get(), 1, k);
    BindText(meta.get(), 2, v);
    if (sqlite3_step(meta.get()) != SQLITE_DONE) return SqlError(db, "meta");
  }
  meta.reset();
  RETURN_IF_ERROR(Exec(db, "COMMIT"));
  RETURN_IF_ERROR(Exec(db, "ANALYZE"));
  db_.reset();
  return Ok();
}

Status BuildDatabaseAtomically(const std::string& final_path, const std::function<Status(DbWriter&)>& fill) {
  namespace fs = std::filesystem;
  const fs::path target(final_path);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return InputError("{}: cannot create directory: {}", dir.string(), ec.message());
  // Temp files of builds that were killed are left behind; remove them.
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    const std::string name = e.path().filename().string();
    if (name.starts_with(target.filename().string() + ".tmp-")) {
      const pid_t pid = static_cast<pid_t>(std::atoll(name.substr(name.rfind('-') + 1).c_str()));
      if (pid > 0 && pid != getpid() && kill(pid, 0) != 0) fs::remove(e.path(), ec);
    }
  }
  const std::string tmp = final_path + ".tmp-" + std::to_string(getpid());
  fs::remove(tmp, ec);
  auto run = [&]() -> Status {
    ASSIGN_OR_RETURN(DbWriter w, DbWriter::Create(tmp));
    RETURN_IF_ERROR(fill(w));
    RETURN_IF_ERROR(w.Finish());
    RETURN_IF_ERROR(FsyncPath(tmp, false));
    if (std::rename(tmp.c_str(), final_path.c_str()) != 0) {
      return InputError("{}: rename into place: {}", final_path, std::strerror(errno));
    }
    return FsyncPath(dir.string(), true);
  };
  Status s = run();
  if (!s.ok()) fs::remove(tmp, ec);
  return s;
}

}  // namespace drydock
