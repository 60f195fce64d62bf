// The vulnerability database: one SQLite file in the cache dir
// (<cache>/db/drydock.db), schema versioned, built only by importers and
// read only by the matcher. A build writes a new file beside the old one and
// renames it into place, so a reader (or a kill -9 at any moment) always sees
// either the old database or the complete new one.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "vuln/advisory.h"

struct sqlite3;
struct sqlite3_stmt;

namespace drydock {

// 2: packed records carry their column lengths up front.
inline constexpr int kVulnDbSchemaVersion = 2;

// One imported source, as `db status` lists it.
struct DbSourceInfo {
  std::string source;       // importer id ("osv-pypa", "debian-dsa", …)
  std::string origin;       // the path or URL it came from
  std::string imported_at;  // RFC 3339 UTC
  int64_t files = 0, advisories = 0, affected = 0, skipped = 0;
};

// One affected record as the matcher reads it, without copying: views into
// the package's packed blob (ranges and versions in the EncodeRanges /
// JoinList encodings). `advisory` is the row to fetch details from.
struct AffectedView {
  int64_t advisory = 0;
  std::string_view range_type, ranges, versions, raw_range, status, severity;
};

// Every affected record of one (ecosystem, package); the views point into
// `blob`, which the result owns.
struct PackageRecords {
  std::shared_ptr<const std::string> blob;
  std::vector<AffectedView> rows;
};

// Details of one advisory (what a finding prints).
struct DbAdvisory {
  std::string id;
  std::vector<std::string> aliases;
  std::string source;
  std::string title;
  std::string severity;
  std::vector<std::pair<std::string, std::string>> cvss;
  std::vector<std::string> references;
  std::string published;
};

// How another source rates a CVE: what a finding falls back on when its own
// source gives no severity (Debian's DSA lists, Go's vulndb).
struct CveRating {
  std::string source;
  std::string severity;
  std::vector<std::pair<std::string, std::string>> cvss;
};

struct SqliteCloser {
  void operator()(sqlite3* db) const;
};
struct StmtCloser {
  void operator()(sqlite3_stmt* st) const;
};
using SqliteHandle = std::unique_ptr<sqlite3, SqliteCloser>;
using StmtHandle = std::unique_ptr<sqlite3_stmt, StmtCloser>;

// A read-only open database. Not thread-safe (one per thread).
class VulnDb {
 public:
  // Opens `path` read-only and checks its schema version. Errors name the
  // file: missing ("no vulnerability database at …; run drydock db import
  // or db update"), not SQLite, or another schema version.
  static Result<VulnDb> Open(const std::string& path);

  // Every affected record for (ecosystem, package).
  Result<PackageRecords> Lookup(std::string_view ecosystem, std::string_view package);
  // The rating of `cve` from the advisory (of any source) that carries CVSS
  // vectors for it, else a qualitative rating; nullopt when none does.
  Result<std::optional<CveRating>> RatingOf(std::string_view cve);
  // Details of the advisory row `rowid`.
  Result<DbAdvisory> Advisory(int64_t rowid);
  // Details of each advisory row of `rowids` (distinct), by row id, in a few
  // statements rather than one per row; an error names a row that is missing.
  Result<std::vector<std::pair<int64_t, DbAdvisory>>> Advisories(std::vector<int64_t> rowids);
  Result<std::vector<DbSourceInfo>> Sources();
  // meta("built_at"): when the database file was last built.
  Result<std::string> BuiltAt();
  Result<int64_t> CountAdvisories();

 private:
  // The columns id … published of a row of advisory_ / advisories_.
  static DbAdvisory ReadAdvisory(sqlite3_stmt* st);
  SqliteHandle db_;
  StmtHandle lookup_, advisory_, advisories_, rating_;
};

// Writes a database. Create() makes `path` (which must not exist) with the
// schema; Add() appends advisories in one transaction; Finish() commits,
// records the sources and closes the file (fsynced).
class DbWriter {
 public:
  static Result<DbWriter> Create(const std::string& path);
  // Copies every advisory of `old_db` whose source is not in `except` into
  // this database (an import of some sources keeps the others).
  Status CopyFrom(const std::string& old_db, const std::vector<std::string>& except);
  Status Add(const Advisory& a);
  Status AddSource(const DbSourceInfo& s);
  Status Finish();

 private:
  Status Pack();
  Status RateCves();
  SqliteHandle db_;
  StmtHandle ins_adv_, ins_aff_;
};

// Builds a new database at `final_path` atomically: runs `fill` on a writer
// of `final_path`.tmp-PID, then fsyncs and renames it over `final_path` (and
// fsyncs the directory). On any error the temp file is removed and the old
// database is untouched.
Status BuildDatabaseAtomically(const std::string& final_path, const std::function<Status(DbWriter&)>& fill);

// Encodes ranges / lists compactly for the affected table (fields joined by
// 0x1f, records by 0x1e); exposed for tests.
std::string EncodeRanges(const std::vector<AffectedRange>& ranges);
std::vector<AffectedRange> DecodeRanges(std::string_view s);
std::string JoinList(const std::vector<std::string>& items);
std::vector<std::string> SplitList(std::string_view s);

}  // namespace drydock
