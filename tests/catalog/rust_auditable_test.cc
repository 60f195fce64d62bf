// The cargo-auditable cataloger: the zlib-compressed JSON dependency list
// in a binary's .dep-v0 section, and what it does with damaged ones.
#include <zlib.h>

#include <gtest/gtest.h>

#include "catalog/bin_test_util.h"
#include "support/elf_writer.h"

namespace drydock {
namespace {

using testing::RunOnFile;

std::string Zlib(const std::string& data) {
  uLongf n = compressBound(static_cast<uLong>(data.size()));
  std::string out(n, '\0');
  EXPECT_EQ(compress(reinterpret_cast<Bytef*>(out.data()), &n, reinterpret_cast<const Bytef*>(data.data()),
                     static_cast<uLong>(data.size())),
            Z_OK);
  out.resize(n);
  return out;
}

std::string Binary(const std::string& dep_v0) {
  testing::ElfSpec spec;
  spec.sections = {{.name = ".text", .data = "\xc3", .flags = 6},
                   {.name = ".rodata", .data = "strings"},
                   {.name = ".dep-v0", .data = dep_v0, .flags = 0}};
  return testing::MakeElf(spec);
}

// The JSON cargo auditable 0.6 writes for a small binary.
const std::string kDeps = R"({"packages":[
 {"name":"adler","version":"1.0.2","source":"crates.io"},
 {"name":"cc","version":"1.0.83","source":"crates.io","kind":"build"},
 {"name":"miniz_oxide","version":"0.7.1","source":"crates.io","dependencies":[0]},
 {"name":"mytool","version":"0.3.0","source":"local","dependencies":[0,1,2,4],"root":true},
 {"name":"patched","version":"2.0.0-alpha.1","source":"git"}
]})";

std::vector<std::string> Describe(const LayerResult& r) {
  std::vector<std::string> out;
  for (const auto& p : r.packages) {
    std::string line = p.type + " " + p.name + "@" + p.version;
    for (const auto& [k, v] : p.metadata) line += " " + k + "=" + v;
    out.push_back(line);
    EXPECT_EQ(p.evidence.size(), 1u);
    EXPECT_EQ(p.evidence[0].cataloger, "rust-cargo-auditable");
    EXPECT_EQ(p.evidence[0].path, "/usr/local/bin/mytool");
  }
  return out;
}

TEST(RustAuditableCataloger, Cases) {
  struct Case {
    std::string name;
    std::string bytes;
    std::vector<std::string> want;
    std::string diagnostic;
  };
  const Case cases[] = {
      {"every crate, build dependencies and sources marked",
       Binary(Zlib(kDeps)),
       {"cargo adler@1.0.2", "cargo cc@1.0.83 cargo.kind=build", "cargo miniz_oxide@0.7.1",
        "cargo mytool@0.3.0 cargo.root=true cargo.source=local", "cargo patched@2.0.0-alpha.1 cargo.source=git"},
       ""},
      {"no .dep-v0 section: not an auditable binary", testing::MakeElf({}), {}, ""},
      {"corrupt zlib stream",
       Binary("\x78\x9c garbage that is not deflate"),
       {},
       "rust-cargo-auditable: .dep-v0: zlib:"},
      {"truncated zlib stream",
       Binary(Zlib(kDeps).substr(0, 40)),
       {},
       "rust-cargo-auditable: .dep-v0: zlib: truncated"},
      {"zlib bomb",
       Binary(Zlib(std::string(9 << 20, ' '))),
       {},
       "rust-cargo-auditable: .dep-v0: dependency list inflates past 8388608 bytes"},
      {"invalid JSON", Binary(Zlib("{\"packages\": [")), {}, "rust-cargo-auditable: .dep-v0: invalid JSON"},
      {"packages is not an array",
       Binary(Zlib(R"({"packages": {"a": 1}})")),
       {},
       "rust-cargo-auditable: .dep-v0: no \"packages\" array"},
      {"entries without name or version are counted",
       Binary(Zlib(R"({"packages":[{"name":"ok","version":"1.0.0"},{"name":"x"},{"version":"1"},)"
                   R"({"name":"bad name","version":"1"},{"name":3,"version":"1"}]})")),
       {"cargo ok@1.0.0"},
       "rust-cargo-auditable: .dep-v0: 4 package(s) without a usable name and version skipped"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const LayerResult got = RunOnFile("rust-cargo-auditable", "/usr/local/bin/mytool", c.bytes);
    EXPECT_EQ(Describe(got), c.want);
    if (c.diagnostic.empty()) {
      EXPECT_TRUE(got.diagnostics.empty());
    } else {
      ASSERT_EQ(got.diagnostics.size(), 1u);
      EXPECT_EQ(got.diagnostics[0].where, "/usr/local/bin/mytool");
      EXPECT_TRUE(got.diagnostics[0].message.starts_with(c.diagnostic)) << got.diagnostics[0].message;
    }
  }
}

TEST(RustAuditableCataloger, LayerAttribution) {
  const std::string one = Binary(Zlib(R"({"packages":[{"name":"one","version":"1.0.0","root":true}]})"));
  const std::string two = Binary(Zlib(R"({"packages":[{"name":"two","version":"2.0.0","root":true}]})"));
  const std::string l1 =
      testing::MakeTar({testing::File("usr/bin/one", one, 0755), testing::File("usr/bin/two", two, 0755)});
  const std::string l2 = testing::MakeTar({testing::Whiteout("usr/bin", "one"), testing::File("opt/one", one, 0755)});
  auto scan = testing::ScanLayers({l1, l2});
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  std::vector<std::string> got;
  for (const auto& p : testing::OfType(*scan->inventory, "cargo")) {
    got.push_back(p.purl + " " + p.evidence[0].path + " layer " + std::to_string(p.layer_index));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"pkg:cargo/one@1.0.0 /opt/one layer 1",
                                           "pkg:cargo/two@2.0.0 /usr/bin/two layer 0"}));
}

}  // namespace
}  // namespace drydock
