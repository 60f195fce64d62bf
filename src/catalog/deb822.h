// A reader of deb822 control data (RFC-822-like stanzas): dpkg's status
// database, distroless status.d files and machine-readable Debian copyright
// files.
//
// Promises: one linear pass over the borrowed text; every string_view it
// returns points into that text (no copies); at most kMaxFields fields are
// kept per stanza, so memory is bounded whatever the input. Malformed lines
// never stop the reader: the stanza that holds them carries an error and the
// next stanza is read as usual. Not thread-safe per object; objects share
// nothing.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace drydock {

// One "Name: value" field. `value` spans the first line (after the colon and
// leading blanks) through its continuation lines, raw, without the final
// newline.
struct Deb822Field {
  std::string_view name;
  std::string_view value;
};

// One stanza. `line` is the 1-based line of its first field; `error` is
// empty unless a line of the stanza was not a field, continuation, comment
// or separator ("line 7: no colon in field line").
struct Deb822Stanza {
  std::vector<Deb822Field> fields;
  size_t line = 0;
  std::string error;

  // The first line of field `name` (matched ASCII case-insensitively, as
  // dpkg does), blanks and a trailing CR trimmed; "" when absent.
  std::string_view Get(std::string_view name) const;
  // True when the stanza has field `name`.
  bool Has(std::string_view name) const;
};

class Deb822Reader {
 public:
  // Fields past this count in one stanza are dropped and the stanza gets an
  // error; real stanzas have a few dozen.
  static constexpr size_t kMaxFields = 512;

  explicit Deb822Reader(std::string_view text) : rest_(text) {}

  // Reads the next stanza into `out` (cleared first). False when the text
  // holds no more stanzas.
  bool Next(Deb822Stanza& out);

 private:
  std::string_view rest_;
  size_t line_ = 0;
};

// The first line of a raw field value, trimmed of blanks and CR.
std::string_view Deb822FirstLine(std::string_view value);

// ASCII case-insensitive equality.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace drydock
