// Readers of the rpm package database, written from the formats (no librpm):
//   - sqlite: rpmdb.sqlite, table Packages(hnum, blob) (rpm >= 4.16, RHEL 9,
//     Fedora >= 33);
//   - ndb: Packages.db, rpm's own slot/blob file (SUSE; rpm >= 4.16 option);
//   - bdb: Packages, a Berkeley DB hash database (RHEL <= 8, CentOS, Amazon
//     Linux 2).
// and of the header blobs they all store (rpm's header format without the
// 8-byte magic: entry count, data length, index entries, data store).
//
// Promises: the input is untrusted and borrowed. Every offset, length and
// count is checked against the bytes before use; page chains and bucket
// chains are followed at most once per page, so a loop ends with a problem
// report; memory stays within a small multiple of the input size. Nothing
// throws. All functions are thread-safe (no shared state).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace drydock {

// What the catalog needs of one installed package's header.
struct RpmHeader {
  std::string name;
  std::string version;
  std::string release;
  std::optional<uint32_t> epoch;  // absent and 0 differ: rpm prints "(none)" for absent
  std::string arch;               // empty for gpg-pubkey pseudo-packages
  std::string source_rpm;         // "name-version-release.src.rpm"; empty for source-less headers
  std::string license;
  std::string vendor;
  std::optional<uint64_t> size;  // installed size in bytes (LONGSIZE, else SIZE)
  // Installed paths, clean and absolute: DIRNAMES[DIRINDEXES[i]] +
  // BASENAMES[i], or OLDFILENAMES in pre-4.0 headers. Filled only when asked.
  std::vector<std::string> files;
};

// Parses one header blob as the database stores it. With `with_files`
// false the file list is not built (cheaper, for attribution passes). An
// error names what is wrong ("tag 1000 (NAME): offset 9999 past the 120-byte
// data store").
[[nodiscard]] Result<RpmHeader> ParseRpmHeader(std::string_view blob, bool with_files);

enum class RpmdbFormat { kSqlite, kNdb, kBdb };

// "sqlite", "ndb", "bdb".
std::string_view RpmdbFormatName(RpmdbFormat format);

// The database format a file name implies ("rpmdb.sqlite", "Packages.db",
// "Packages"), or nullopt.
std::optional<RpmdbFormat> RpmdbFormatOf(std::string_view basename);

// Called with each stored header blob; the view is valid only during the call.
using RpmBlobFn = std::function<void(std::string_view blob)>;

// Reads the database `bytes` of `format` and calls `fn` once per package
// record, in storage order. An error means the file is not a readable
// database of that format at all (bad magic, truncated metadata, unusable
// schema). Damage confined to some records (a blob with a bad magic, an
// overflow chain that loops) skips those records and appends one line per
// problem to `problems` ("page 17: overflow chain loops"); the rest is
// still read.
[[nodiscard]] Status ReadRpmdb(RpmdbFormat format, std::string_view bytes, const RpmBlobFn& fn,
                               std::vector<std::string>& problems);

}  // namespace drydock
