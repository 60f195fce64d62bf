// Fuzzes the rpm database readers and the header-blob parser, and the rpm
// cataloger on top of them. The first input byte selects (mod 5):
//   0 a header blob, 1 rpmdb.sqlite, 2 Packages.db (ndb), 3 Packages
//   (Berkeley DB), 4 the cataloger on a one-layer view holding the rest as
//   the database file the second byte picks (mod 3).
// Besides "no crash, no hang", it asserts what rpmdb.h promises: file lists
// hold clean absolute paths, problem lists stay short.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/rpmdb.h"
#include "fuzz_util.h"

namespace drydock::fuzz {
namespace {

void CheckHeader(std::string_view blob) {
  auto h = ParseRpmHeader(blob, /*with_files=*/true);
  if (!h.ok()) return;
  FUZZ_CHECK(!h->name.empty(), "a header without a name was accepted");
  for (const auto& f : h->files) {
    FUZZ_CHECK(IsCleanPath(f) && !f.empty() && f.front() == '/', "unclean file path: %s", f.c_str());
  }
}

void FuzzDatabase(RpmdbFormat format, std::string_view bytes) {
  std::vector<std::string> problems;
  size_t records = 0;
  auto st = ReadRpmdb(
      format, bytes,
      [&](std::string_view blob) {
        ++records;
        CheckHeader(blob);
      },
      problems);
  // Ten problems and one "and N more" line at most.
  FUZZ_CHECK(problems.size() <= 11, "%zu problems", problems.size());
  Say("rpmdb",
      std::string(RpmdbFormatName(format)) + (st.ok() ? " ok, " : " error, ") + std::to_string(records) + " records");
}

void FuzzCataloger(unsigned pick, std::string_view bytes) {
  static const char* const kPaths[] = {"/var/lib/rpm/rpmdb.sqlite", "/usr/lib/sysimage/rpm/Packages.db",
                                       "/var/lib/rpm/Packages"};
  const std::string path = kPaths[pick % 3];
  auto layer = std::make_shared<LayerResult>();
  layer->entries.push_back(
      FileNode{.path = path, .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(bytes.size())});
  layer->captured[path] = std::string(bytes);
  const FileSystemView fs({layer});
  ImageInfo image;
  image.layers.resize(1);
  std::vector<Cataloger> rows;
  for (const auto& c : Catalogers()) {
    if (c.id == "rpm") rows.push_back(c);
  }
  FUZZ_CHECK(rows.size() == 1, "no rpm cataloger");
  const Inventory inv = BuildInventory(image, fs, std::nullopt, rows);
  for (const auto& p : inv.packages) {
    FUZZ_CHECK(p.type == "rpm" && !p.name.empty() && p.name != "gpg-pubkey", "bad package %s", p.name.c_str());
    FUZZ_CHECK(p.layer_index == 0, "package %s attributed to layer %d", p.name.c_str(), p.layer_index);
  }
}

}  // namespace
}  // namespace drydock::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace drydock;
  using namespace drydock::fuzz;
  if (size < 1) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 5) {
    case 0:
      CheckHeader(rest);
      break;
    case 1:
      FuzzDatabase(RpmdbFormat::kSqlite, rest);
      break;
    case 2:
      FuzzDatabase(RpmdbFormat::kNdb, rest);
      break;
    case 3:
      FuzzDatabase(RpmdbFormat::kBdb, rest);
      break;
    case 4:
      if (rest.empty()) return 0;
      FuzzCataloger(static_cast<unsigned char>(rest[0]), rest.substr(1));
      break;
  }
  return 0;
}
