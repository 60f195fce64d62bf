// Which findings are suppressed, and why: the user's ignore file
// (.drydockignore / .trivyignore), their ignore policy (YAML) and VEX
// documents (OpenVEX 0.2, CycloneDX 1.4–1.6), loaded once into a Policy and
// applied to a scan's findings. Suppressed findings are kept, with the
// reason, so reports can show them dismissed; they leave the --exit-code
// gate. The formats and the precedence are documented in docs/policy.md.
//
//   ASSIGN_OR_RETURN(Policy p, policy::Load(opts));   // before the scan
//   Applied a = policy::Apply(p, std::move(findings), {&inventory, &image});
//
// Nothing here reads the wall clock or the environment: "today" (for
// expiry dates) is a parameter.
#pragma once

#include <compare>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "model/finding.h"
#include "model/image.h"
#include "model/package.h"

namespace drydock::policy {

// A calendar date, proleptic Gregorian.
struct Date {
  int year = 1970;
  int month = 1;
  int day = 1;
  auto operator<=>(const Date&) const = default;
  std::string str() const;  // "2024-01-31"
};

// Strict "YYYY-MM-DD" (four-digit year 0001–9999, a day the month has:
// 2024-02-30 is an error saying so).
Result<Date> ParseDate(std::string_view s);

// The date expiry is judged against: `env` (the DRYDOCK_TODAY value, nullptr
// or "" when unset) when given, else the UTC date of `now` (seconds since
// the epoch). An error names DRYDOCK_TODAY when its value is not a date.
Result<Date> Today(const char* env, int64_t now);

// What to load. Every file is read whole and parsed as untrusted input.
struct LoadOptions {
  Date today;
  // --ignorefile FILE; when empty, `default_ignore_files` are tried in order
  // and the first that exists is read (none existing is not an error).
  std::string ignore_file;
  std::vector<std::string> default_ignore_files = {".drydockignore", ".trivyignore"};
  std::string policy_file;             // --ignore-policy FILE ("" = none)
  std::vector<std::string> vex_files;  // --vex FILE, in command-line order
};

struct PolicyData;  // the parsed sources (policy/internal.h)

// The loaded sources: immutable, cheap to copy, safe to share across threads.
class Policy {
 public:
  Policy();
  explicit Policy(std::shared_ptr<const PolicyData> data);

  // True when no source was loaded (Apply then keeps everything).
  bool empty() const;
  // One line per thing the user should know, for stderr: an entry that has
  // expired ("FILE:LINE: CVE-… expired on 2024-01-31; it no longer
  // suppresses"), a token of an ignore file that is not understood.
  const std::vector<std::string>& warnings() const;
  const PolicyData& data() const { return *data_; }

 private:
  std::shared_ptr<const PolicyData> data_;
};

// Loads the sources `opts` names. An input error (exit 2) names the file,
// the line (or the JSON element) and what is wrong; a file that cannot be
// read is an environment error naming it.
Result<Policy> Load(const LoadOptions& opts);

// What a finding is matched against besides itself: the inventory (a VEX
// product that must be present in the image) and the image (a VEX product
// naming the image by its pkg:oci purl). Either may be null.
struct Subject {
  const Inventory* inventory = nullptr;
  const ImageInfo* image = nullptr;
};

struct Applied {
  std::vector<Finding> kept;        // input order; VEX notes in Finding::vex_note
  std::vector<Finding> suppressed;  // input order; each with Finding::suppression
};

// Splits `findings`. Sources are consulted in a fixed order — the policy
// file, then the ignore file, then VEX — and the first that suppresses a
// finding is the one recorded. Within the policy file the first matching
// entry wins, within the ignore file the first matching line; between VEX
// statements the latest (by timestamp) wins. Fingerprints are computed for
// findings that lack one. Pure: no I/O.
Applied Apply(const Policy& policy, std::vector<Finding> findings, const Subject& subject);

}  // namespace drydock::policy
