// Rust cataloger: Cargo.lock.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "catalog/lang_test_util.h"

namespace drydock {
namespace {

using testing::CatalogTestdata;
using testing::DescribeAll;
using testing::RunCollect;

TEST(RustCargoLock, Cases) {
  struct Case {
    std::string name;
    std::string content;
    std::vector<std::string> want;  // Describe() lines, sorted
    std::string want_diag;          // substring of the one diagnostic, "" for none
  };
  const std::string p = " </app/Cargo.lock>";
  const Case cases[] = {
      {"registry and git crates; workspace members and path crates (no source) marked local",
       CatalogTestdata("rust/Cargo.lock"),
       {"cargo anyhow@1.0.86" + p, "cargo itoa@1.0.11" + p, "cargo myapp@0.3.1 {cargo.local=true}" + p,
        "cargo mylib@0.1.0 {cargo.local=true}" + p, "cargo proc-macro2@1.0.86" + p, "cargo quote@1.0.36" + p,
        "cargo ryu@1.0.18" + p, "cargo serde@1.0.204" + p, "cargo serde_derive@1.0.204" + p,
        "cargo serde_json@1.0.120" + p, "cargo syn@2.0.72" + p,
        "cargo tiny-http@0.12.0 {cargo.source=git+https://github.com/tiny-http/tiny-http?rev=5d5e4b2#"
        "5d5e4b2f3d6c1e0a9b8c7d6e5f4a3b2c1d0e9f8a}" +
            p,
        "cargo unicode-ident@1.0.12" + p},
       ""},
      {"two versions of one crate",
       "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\n\n[[package]]\nname = \"a\"\n"
       "version = \"2.0.0\"\nsource = \"registry+x\"\n",
       {"cargo a@1.0.0" + p, "cargo a@2.0.0" + p},
       ""},
      {"literal strings, quoted keys, comments, CRLF",
       "[[package]] # c\r\n'name' = 'a'\r\n\"version\" = \"1.0.0\" # c\r\nsource = 'sparse+x'\r\n",
       {"cargo a@1.0.0" + p},
       ""},
      {"the [metadata] table of old lock files is read and ignored",
       "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\n\n[metadata]\n"
       "\"checksum a 1.0.0 (registry+x)\" = \"abc\"\n",
       {"cargo a@1.0.0" + p},
       ""},
      {"truncated inside a dependencies array is a diagnostic",
       "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\ndependencies = [\n \"b\",\n",
       {},
       "unterminated array"},
      {"a header without its closing brackets is a diagnostic", "[[package\nname = \"a\"\n", {}, "line 1"},
      {"a key without a value is a diagnostic", "[[package]]\nname =\n", {}, "line 2"},
      {"binary garbage is a diagnostic",
       std::string("\x7f"
                   "ELF\x02\x01\x01\0",
                   8),
       {},
       "binary data"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CatalogOutput out = RunCollect("cargo-lock", {{"/app/Cargo.lock", c.content}});
    EXPECT_EQ(DescribeAll(out.packages), c.want);
    testing::ExpectDiagnostics(out.diagnostics, "/app/Cargo.lock", c.want_diag);
  }
}

TEST(RustCatalog, LayerAttributionAndDeletion) {
  using testing::File;
  using testing::Whiteout;
  testing::TempDir dir;
  const std::string lock = "[[package]]\nname = \"a\"\nversion = \"1.0.0\"\nsource = \"registry+x\"\n";
  auto r = testing::ScanLayers(dir, {
                                        {File("src/one/Cargo.lock", lock), File("src/gone/Cargo.lock", lock)},
                                        {Whiteout("src", "gone"), File("src/two/Cargo.lock", lock)},
                                    });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory);
  ASSERT_EQ(r->inventory->packages.size(), 1u);
  const Package& p = r->inventory->packages[0];
  EXPECT_EQ(p.purl, "pkg:cargo/a@1.0.0");
  EXPECT_EQ(p.layer_index, 0);  // the layer that first had it
  std::vector<std::string> where;
  for (const auto& e : p.evidence) where.push_back(e.path + " " + std::to_string(e.layer_index));
  std::sort(where.begin(), where.end());
  EXPECT_EQ(where, (std::vector<std::string>{"/src/one/Cargo.lock 0", "/src/two/Cargo.lock 1"}));
}

}  // namespace
}  // namespace drydock
