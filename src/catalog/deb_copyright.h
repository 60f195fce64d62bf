// Licenses of a Debian package from its /usr/share/doc/NAME/copyright file.
//
// Promises: never guesses. A machine-readable (DEP-5) file yields the
// distinct short names of its License fields, each mapped to an SPDX id
// when the Debian name has an exact SPDX equivalent and kept as written
// otherwise. Any other file yields only the licenses it names by path under
// /usr/share/common-licenses/ (kept as Debian names them: "GPL-2" says which
// text, not whether "or later" applies). Linear in the input; at most
// kMaxLicenses names of at most kMaxNameLength bytes each; pure functions,
// safe from any thread.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace drydock {

inline constexpr size_t kMaxLicenses = 64;
inline constexpr size_t kMaxNameLength = 128;

// The licenses `text` declares, sorted and distinct; empty when it declares
// none this reader can be sure of.
std::vector<std::string> DebianCopyrightLicenses(std::string_view text);

// True when `text` is a machine-readable copyright file (its first stanza
// has a Format field naming copyright-format/1.0 or DEP-5).
bool IsMachineReadableCopyright(std::string_view text);

// The SPDX id of one Debian license short name ("GPL-2+" →
// "GPL-2.0-or-later", "Expat" → "MIT", "BSD-3-clause" → "BSD-3-Clause");
// the name unchanged when it has no exact SPDX equivalent.
std::string DebianLicenseToSpdx(std::string_view name);

}  // namespace drydock
