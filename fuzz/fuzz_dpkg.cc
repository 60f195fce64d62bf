// Fuzzes the dpkg cataloger and the parsers under it (deb822 stanzas,
// Debian copyright files, .list and .md5sums lists, the status history).
// The input is split on "\n%%%\n" into up to six files of a two-layer view:
//   0 /var/lib/dpkg/status (layer 0)     1 /var/lib/dpkg/status (layer 1)
//   2 /var/lib/dpkg/info/p.list          3 /usr/share/doc/p/copyright
//   4 /var/lib/dpkg/status.d/p           5 /var/lib/dpkg/status.d/p.md5sums
// (seeds name their package "p"). Besides "no crash", it asserts what the
// headers promise: every package is a deb with a name, version and dpkg
// evidence in a real layer; owned files are clean absolute paths; licenses
// stay within their caps.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalog.h"
#include "catalog/deb822.h"
#include "catalog/deb_copyright.h"
#include "fuzz_util.h"

namespace drydock::fuzz {
namespace {

void CheckPackages(const CatalogOutput& out, size_t layers) {
  for (const Package& p : out.packages) {
    FUZZ_CHECK(p.type == "deb", "type %s", p.type.c_str());
    FUZZ_CHECK(!p.name.empty() && !p.version.empty(), "package without name or version");
    FUZZ_CHECK(!p.source_name.empty(), "package %s without a source name", Printable(p.name).c_str());
    FUZZ_CHECK(p.evidence.size() == 1, "%zu evidences", p.evidence.size());
    const PackageEvidence& e = p.evidence[0];
    FUZZ_CHECK(e.cataloger == "dpkg", "evidence cataloger %s", e.cataloger.c_str());
    FUZZ_CHECK(e.layer_index >= 0 && e.layer_index < static_cast<int>(layers), "layer %d", e.layer_index);
    FUZZ_CHECK(IsCleanPath(e.path) && e.path.starts_with("/var/lib/dpkg/status"), "evidence path %s",
               Printable(e.path).c_str());
    for (const auto& f : p.files) {
      FUZZ_CHECK(IsCleanPath(f) && f.size() > 1, "owned file %s", Printable(f).c_str());
    }
    FUZZ_CHECK(p.licenses.size() <= kMaxLicenses, "%zu licenses", p.licenses.size());
    for (const auto& l : p.licenses)
      FUZZ_CHECK(!l.empty() && l.size() <= kMaxNameLength, "license %zu bytes", l.size());
  }
  for (const auto& d : out.diagnostics) FUZZ_CHECK(!d.message.empty(), "empty diagnostic");
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  using namespace drydock::fuzz;
  const std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::vector<std::string_view> parts = Split(in, "\n%%%\n");
  auto part = [&](size_t i) { return i < parts.size() ? parts[i] : std::string_view(); };

  // The parsers on their own, on the whole input.
  {
    Deb822Reader reader(in);
    Deb822Stanza s;
    size_t stanzas = 0;
    while (reader.Next(s)) {
      FUZZ_CHECK(s.fields.size() <= Deb822Reader::kMaxFields, "%zu fields", s.fields.size());
      for (const auto& f : s.fields) {
        FUZZ_CHECK(f.name.data() >= in.data() && f.name.data() + f.name.size() <= in.data() + in.size(),
                   "field name outside the input");
        FUZZ_CHECK(f.value.data() >= in.data() && f.value.data() + f.value.size() <= in.data() + in.size(),
                   "field value outside the input");
      }
      FUZZ_CHECK(++stanzas <= size + 1, "more stanzas than bytes");
    }
    const auto licenses = DebianCopyrightLicenses(in);
    FUZZ_CHECK(licenses.size() <= kMaxLicenses, "%zu licenses", licenses.size());
  }

  auto l0 = std::make_shared<LayerResult>();
  auto l1 = std::make_shared<LayerResult>();
  auto add = [](LayerResult& l, std::string path, std::string_view content, bool present) {
    if (!present) return;
    l.entries.push_back(
        FileNode{.path = path, .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(content.size())});
    l.captured[std::move(path)] = std::string(content);
  };
  add(*l0, "/var/lib/dpkg/status", part(0), true);
  add(*l1, "/var/lib/dpkg/status", part(1), parts.size() > 1);
  add(*l0, "/var/lib/dpkg/info/p.list", part(2), parts.size() > 2);
  add(*l0, "/usr/share/doc/p/copyright", part(3), parts.size() > 3);
  add(*l1, "/var/lib/dpkg/status.d/p", part(4), parts.size() > 4);
  add(*l1, "/var/lib/dpkg/status.d/p.md5sums", part(5), parts.size() > 5);
  FileSystemView fs({l0, l1});
  Say("dpkg", std::to_string(parts.size()) + " files");

  for (const auto& c : Catalogers()) {
    if (c.id != "dpkg" || c.collect == nullptr) continue;
    CatalogOutput out;
    c.collect(CatalogInput{fs, std::nullopt}, out);
    Say("dpkg",
        std::to_string(out.packages.size()) + " packages, " + std::to_string(out.diagnostics.size()) + " diagnostics");
    CheckPackages(out, 2);
  }
  return 0;
}
