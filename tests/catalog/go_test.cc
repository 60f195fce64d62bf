// The Go catalogers: build info in ELF binaries (both layouts, every class
// and byte order, with and without section headers), what is recovered
// from binaries without build info, go.mod files, layer attribution, and
// hostile build info.
#include <gtest/gtest.h>

#include "catalog/bin_test_util.h"
#include "support/elf_writer.h"

namespace drydock {
namespace {

using testing::ElfSpec;
using testing::MakeElf;
using testing::PutUint;
using testing::RunOnFile;
using testing::Uvarint;

const std::string kMagic = "\xff Go buildinf:";

// The module info string as the linker stores it: 16-byte sentinels around.
std::string Framed(const std::string& modinfo) { return std::string(16, 'S') + modinfo + std::string(16, 'E'); }

// A Go >= 1.18 binary: inline varint strings in .go.buildinfo.
std::string InlineBinary(const std::string& version, const std::string& modinfo, bool sections = true) {
  std::string blob = kMagic + "\x08\x02" + std::string(16, '\0');
  blob += Uvarint(version.size()) + version + Uvarint(modinfo.size()) + modinfo;
  ElfSpec spec;
  spec.section_headers = sections;
  spec.sections = {{.name = ".text", .data = std::string(64, '\x90'), .flags = 6},
                   {.name = ".rodata", .data = "read only"},
                   {.name = ".go.buildinfo", .data = blob, .flags = 3}};
  return MakeElf(spec);
}

// A Go < 1.18 binary: .go.buildinfo holds pointers to Go string headers in
// .data, whose bytes are in .rodata.
std::string PointerBinary(const std::string& version, const std::string& modinfo, bool is64, bool little) {
  const int ptr = is64 ? 8 : 4;
  const uint64_t ro = 0x10000, data = 0x20000;
  const std::string rodata = version + modinfo;
  std::string hdrs = PutUint(ro, ptr, little) + PutUint(version.size(), ptr, little) +
                     PutUint(ro + version.size(), ptr, little) + PutUint(modinfo.size(), ptr, little);
  std::string blob = kMagic + static_cast<char>(ptr) + static_cast<char>(little ? 0 : 1);
  blob += PutUint(data, ptr, little) + PutUint(data + 2 * static_cast<uint64_t>(ptr), ptr, little);
  blob.resize(32, '\0');
  ElfSpec spec;
  spec.is64 = is64;
  spec.little_endian = little;
  spec.sections = {{.name = ".rodata", .data = rodata, .addr = ro},
                   {.name = ".data", .data = hdrs, .flags = 3, .addr = data},
                   {.name = ".go.buildinfo", .data = blob, .flags = 3, .addr = 0x30000}};
  return MakeElf(spec);
}

const std::string kModinfo =
    "path\texample.com/app/cmd/app\n"
    "mod\texample.com/app\t(devel)\t\n"
    "dep\tgithub.com/BurntSushi/toml\tv1.3.2\th1:o7IhLm0Msx3BaB+n3Ag7L8EVlByGKpXVBf3KtTV6bW4=\n"
    "dep\tgolang.org/x/net\tv0.17.0\th1:abc=\n"
    "=>\tgithub.com/fork/net\tv0.17.1-fix\th1:def=\n"
    "dep\tgopkg.in/yaml.v3\tv3.0.1\th1:ghi=\n"
    "dep\texample.com/local\tv1.0.0\n"
    "=>\t../local\t(devel)\t\n"
    "build\t-compiler=gc\n"
    "build\t-ldflags=\"-s -w -X main.v=1\"\n"
    "build\tCGO_ENABLED=0\n"
    "build\tvcs.revision=0123456789abcdef\n";

struct Want {
  std::string ns, name, version;
  std::map<std::string, std::string> metadata;  // checked keys only
};

void ExpectGo(const LayerResult& got, const std::vector<Want>& want) {
  ASSERT_EQ(got.packages.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(i);
    const Package& p = got.packages[i];
    EXPECT_EQ(p.type, "golang");
    EXPECT_EQ(p.namespace_, want[i].ns);
    EXPECT_EQ(p.name, want[i].name);
    EXPECT_EQ(p.version, want[i].version);
    for (const auto& [k, v] : want[i].metadata) {
      auto it = p.metadata.find(k);
      ASSERT_NE(it, p.metadata.end()) << k;
      EXPECT_EQ(it->second, v) << k;
    }
    ASSERT_EQ(p.evidence.size(), 1u);
    EXPECT_EQ(p.evidence[0].cataloger, "go-binary");
  }
}

const std::vector<Want> kWantFull = {
    {"example.com",
     "app",
     "",
     {{"go.main", "true"},
      {"go.main_version", "(devel)"},
      {"go.package", "example.com/app/cmd/app"},
      {"go.build.-ldflags", "-s -w -X main.v=1"},
      {"go.build.vcs.revision", "0123456789abcdef"},
      {"go.version", "go1.21.3"}}},
    {"github.com/BurntSushi", "toml", "v1.3.2", {{"go.version", "go1.21.3"}}},
    {"github.com/fork", "net", "v0.17.1-fix", {{"go.replaces", "golang.org/x/net v0.17.0"}}},
    {"gopkg.in", "yaml.v3", "v3.0.1", {}},
    {"example.com", "local", "", {{"go.replace", "../local"}, {"go.required_version", "v1.0.0"}}},
    {"", "stdlib", "v1.21.3", {{"go.version", "go1.21.3"}}},
};

TEST(GoBinaryCataloger, ReadsBuildInfo) {
  struct Case {
    std::string name;
    std::string bytes;
  };
  const Case cases[] = {
      {"inline strings (Go >= 1.18)", InlineBinary("go1.21.3", Framed(kModinfo))},
      {"inline strings, no section headers", InlineBinary("go1.21.3", Framed(kModinfo), /*sections=*/false)},
      {"pointers, ELF64 little endian", PointerBinary("go1.21.3", Framed(kModinfo), true, true)},
      {"pointers, ELF64 big endian", PointerBinary("go1.21.3", Framed(kModinfo), true, false)},
      {"pointers, ELF32 little endian", PointerBinary("go1.21.3", Framed(kModinfo), false, true)},
      {"pointers, ELF32 big endian", PointerBinary("go1.21.3", Framed(kModinfo), false, false)},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const LayerResult got = RunOnFile("go-binary", "/usr/local/bin/app", c.bytes);
    EXPECT_TRUE(got.diagnostics.empty()) << got.diagnostics[0].message;
    ExpectGo(got, kWantFull);
  }
}

TEST(GoBinaryCataloger, VersionsAndModuleForms) {
  struct Case {
    std::string name;
    std::string version;
    std::string modinfo;  // framed by the test
    bool framed;
    std::vector<Want> want;
  };
  const Case cases[] = {
      {"main module with a release version",
       "go1.24.1",
       "path\tgithub.com/x/tool\nmod\tgithub.com/x/tool\tv1.2.3\th1:x=\n",
       true,
       {{"github.com/x", "tool", "v1.2.3", {}}, {"", "stdlib", "v1.24.1", {}}}},
      {"release candidate toolchain", "go1.21rc2", "", true, {{"", "stdlib", "v1.21.0-rc.2", {}}}},
      {"beta toolchain", "go1.19beta1", "", true, {{"", "stdlib", "v1.19.0-beta.1", {}}}},
      {"two-component toolchain", "go1.20", "", true, {{"", "stdlib", "v1.20.0", {}}}},
      {"experiment suffix",
       "go1.21.3 X:boringcrypto",
       "",
       true,
       {{"", "stdlib", "v1.21.3", {{"go.version", "go1.21.3 X:boringcrypto"}}}}},
      {"development toolchain: no stdlib version to report", "devel go1.22-abcdef Tue", "", true, {}},
      {"GOPATH build: no module info, only the standard library",
       "go1.19.8",
       "path\tgithub.com/docker/cli/cmd/docker\nbuild\t-compiler=gc\n",
       false,
       {{"", "stdlib", "v1.19.8", {}}}},
      {"module path without a slash",
       "go1.22.0",
       "mod\tlocaltool\t(devel)\t\n",
       true,
       {{"", "localtool", "", {}}, {"", "stdlib", "v1.22.0", {}}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const LayerResult got =
        RunOnFile("go-binary", "/bin/x", InlineBinary(c.version, c.framed ? Framed(c.modinfo) : c.modinfo));
    EXPECT_TRUE(got.diagnostics.empty()) << got.diagnostics[0].message;
    ExpectGo(got, c.want);
  }
}

// A Go binary stripped of its build info: a pclntab (Go 1.20 layout)
// whose file table holds `files`, and runtime.buildVersion = `version`
// (a string header in .data pointing into .rodata) unless empty.
std::string StrippedBinary(const std::vector<std::string>& files, const std::string& version, bool header = true) {
  std::string filetab;
  for (const auto& f : files) filetab += f + '\0';
  const uint64_t words = 8;
  std::string tab = std::string("\xf1\xff\xff\xff\0\0\x01\x08", 8);
  const uint64_t filetab_at = 8 + words * 8;
  const uint64_t values[words] = {1,
                                  files.size(),
                                  0x401000,
                                  filetab_at,
                                  filetab_at,
                                  filetab_at,
                                  filetab_at + filetab.size(),
                                  filetab_at + filetab.size()};
  for (uint64_t v : values) tab += PutUint(v, 8, true);
  tab += filetab;
  const uint64_t ro = 0x500000;
  std::string rodata = "runtime: go1.bad\0xx" + std::string(13, 'r') + version + "\x01\x02more";
  const uint64_t at = ro + 32;
  std::string data = std::string(24, '\0');
  if (header) data += PutUint(at, 8, true) + PutUint(version.size(), 8, true);
  ElfSpec spec;
  spec.sections = {{.name = ".text", .data = "\xc3", .flags = 6},
                   {.name = ".rodata", .data = rodata, .addr = ro},
                   {.name = ".gopclntab", .data = tab},
                   {.name = ".data", .data = data, .flags = 3}};
  return MakeElf(spec);
}

TEST(GoBinaryCataloger, RecoversWhatAStrippedBinaryStillSays) {
  struct Case {
    std::string name;
    std::string bytes;
    std::vector<Want> want;
  };
  const std::vector<std::string> trimpath = {
      "internal/cpu/cpu.go",
      "runtime/proc.go",
      "<autogenerated>",
      "example.com/app/cmd/app/main.go",
      "example.com/app/internal/store/store.go",
      "github.com/!burnt!sushi/toml@v1.3.2/decode.go",
      "golang.org/x/sys@v0.13.0/unix/syscall.go",
      "golang.org/x/sys@v0.13.0/unix/zsyscall.go",
  };
  const std::vector<std::string> local = {
      "/usr/local/go/src/runtime/proc.go",
      "/src/app/main.go",
      "/home/builder/go/pkg/mod/github.com/spf13/cobra@v1.7.0/command.go",
      "/home/builder/go/pkg/mod/cache/weird",
  };
  const Case cases[] = {
      {"-trimpath: main module guessed, deps and Go version recovered",
       StrippedBinary(trimpath, "go1.20.5"),
       {{"example.com", "app", "", {{"go.main", "true"}, {"go.recovered", "pclntab file table (guess)"}}},
        {"github.com/BurntSushi", "toml", "v1.3.2", {{"go.recovered", "pclntab file table"}}},
        {"golang.org/x", "sys", "v0.13.0", {{"go.version", "go1.20.5"}}},
        {"", "stdlib", "v1.20.5", {{"go.recovered", "runtime.buildVersion"}}}}},
      {"local paths: no main module, module-cache deps recovered",
       StrippedBinary(local, "go1.21.0"),
       {{"github.com/spf13", "cobra", "v1.7.0", {}}, {"", "stdlib", "v1.21.0", {}}}},
      {"no string header: the well-formed version string is taken",
       StrippedBinary({"runtime/proc.go"}, "go1.19.13", /*header=*/false),
       {{"", "stdlib", "v1.19.13", {}}}},
      {"no version string: deps only, with the pclntab's version range",
       StrippedBinary({"/home/builder/go/pkg/mod/rsc.io/quote@v1.5.2/quote.go"}, "", false),
       {{"rsc.io", "quote", "v1.5.2", {{"go.version_range", "go1.20+"}}}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const LayerResult got = RunOnFile("go-binary", "/app", c.bytes);
    EXPECT_TRUE(got.diagnostics.empty());
    ExpectGo(got, c.want);
  }
}

TEST(GoBinaryCataloger, IgnoresOtherBinaries) {
  ElfSpec spec;
  spec.sections = {{.name = ".text", .data = "\xc3", .flags = 6},
                   {.name = ".rodata", .data = "go1.21.0 but not a Go binary"}};
  const LayerResult got = RunOnFile("go-binary", "/bin/c", MakeElf(spec));
  EXPECT_TRUE(got.packages.empty());
  EXPECT_TRUE(got.diagnostics.empty());
}

TEST(GoBinaryCataloger, HostileBuildInfo) {
  struct Case {
    std::string name;
    std::string bytes;
    std::string want;          // diagnostic; "" = none
    std::vector<Want> result;  // what is still reported
  };
  std::string truncated = kMagic + "\x08\x02" + std::string(16, '\0') + "\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f";
  std::string bad_ptr = kMagic + std::string("\x03\x00", 2) + std::string(16, '\0');
  std::string wild = kMagic + std::string("\x08\x00", 2) + PutUint(0xdeadbeef, 8, true) + PutUint(0xfeedface, 8, true);
  auto in_section = [](const std::string& blob) {
    ElfSpec spec;
    spec.sections = {{.name = ".go.buildinfo", .data = blob, .flags = 3}};
    return MakeElf(spec);
  };
  const Case cases[] = {
      {"varint length past the end", in_section(truncated), "go-binary: build info strings are truncated", {}},
      {"pointer size 3", in_section(bad_ptr), "go-binary: build info pointer size 3 is not 4 or 8", {}},
      {"pointers to nowhere", in_section(wild), "go-binary: build info pointers lead outside the file", {}},
      {"header cut short", in_section(kMagic + "\x08\x02"), "go-binary: build info header is truncated", {}},
      {"empty version", InlineBinary("", Framed(kModinfo)), "go-binary: build info has no Go version", {}},
      {"garbage lines are counted, the rest is read",
       InlineBinary("go1.21.0", Framed("mod\tex.com/m\tv1.0.0\n\x01\x02\x03\ndep\tonly-path\n=>\tdangling\tv1\n"
                                       "dep\tex.com/d\tv2.0.0\n\xff\xfe\n")),
       "go-binary: 4 malformed build info line(s) skipped",
       {{"ex.com", "m", "v1.0.0", {}}, {"ex.com", "d", "v2.0.0", {}}, {"", "stdlib", "v1.21.0", {}}}},
      {"module info without sentinels is ignored",
       InlineBinary("go1.21.0", kModinfo),
       "",
       {{"", "stdlib", "v1.21.0", {}}}},
      {"module paths with control bytes or empty elements are dropped",
       InlineBinary("go1.21.0", Framed("dep\tex.com/a\x01b\tv1\ndep\tex.com/ok\tv1\ndep\tex.com/x/\tv1\n"
                                       "dep\t/abs\tv1\ndep\ta//b\tv1\n")),
       "",
       {{"ex.com", "ok", "v1", {}}, {"", "stdlib", "v1.21.0", {}}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const LayerResult got = RunOnFile("go-binary", "/x", c.bytes);
    if (c.want.empty()) {
      EXPECT_TRUE(got.diagnostics.empty());
    } else {
      ASSERT_EQ(got.diagnostics.size(), 1u);
      EXPECT_EQ(got.diagnostics[0].where, "/x");
      EXPECT_EQ(got.diagnostics[0].message, c.want);
    }
    ExpectGo(got, c.result);
  }
}

TEST(GoBinaryCataloger, LayerAttribution) {
  const std::string a = InlineBinary("go1.21.0", Framed("mod\tex.com/a\tv1.0.0\n"));
  const std::string b = InlineBinary("go1.21.0", Framed("mod\tex.com/b\tv2.0.0\n"));
  const std::string c = InlineBinary("go1.22.0", Framed("mod\tex.com/c\tv3.0.0\n"));
  const std::string l1 = testing::MakeTar(
      {testing::File("bin/a", a, 0755), testing::File("bin/b", b, 0755), testing::File("bin/not-exec", c, 0644)});
  const std::string l2 = testing::MakeTar({testing::Whiteout("bin", "b"), testing::File("usr/bin/c", c, 0755)});
  auto scan = testing::ScanLayers({l1, l2});
  ASSERT_TRUE(scan.ok()) << scan.error().message;
  std::vector<std::string> got;
  for (const auto& p : testing::OfType(*scan->inventory, "golang")) {
    std::string where;
    for (const auto& e : p.evidence) where += " " + e.path + "@" + std::to_string(e.layer_index);
    got.push_back(p.purl + " layer " + std::to_string(p.layer_index) + where);
  }
  // b is deleted in layer 2; a file without an x bit is not read.
  EXPECT_EQ(got, (std::vector<std::string>{
                     "pkg:golang/ex.com/a@v1.0.0 layer 0 /bin/a@0",
                     "pkg:golang/ex.com/c@v3.0.0 layer 1 /usr/bin/c@1",
                     "pkg:golang/stdlib@v1.21.0 layer 0 /bin/a@0",
                     "pkg:golang/stdlib@v1.22.0 layer 1 /usr/bin/c@1",
                 }));
}

TEST(GoModCataloger, Cases) {
  struct Case {
    std::string name;
    std::string path;
    std::string text;
    std::vector<std::string> want;  // "purl metadata…"
    std::string skip;               // diagnostic
  };
  const Case cases[] = {
      {"require lines and blocks, indirect, replacements",
       "/src/app/go.mod",
       "module example.com/app // the app\n\ngo 1.21\n\nrequire github.com/a/b v1.0.0\n"
       "require (\n\tgolang.org/x/text v0.13.0 // indirect\n\t\"github.com/q/r\" v0.1.0\n"
       "\tgithub.com/old/mod v1.1.0\n\texample.com/local v0.0.0\n)\n"
       "replace github.com/old/mod v1.1.0 => github.com/new/mod v1.2.0\n"
       "replace (\n\texample.com/local => ../local\n\tgithub.com/unused => github.com/x v1\n)\n"
       "exclude github.com/a/b v0.9.0\nretract v0.1.0\n",
       {"pkg:golang/github.com/a/b@v1.0.0", "pkg:golang/golang.org/x/text@v0.13.0 go.indirect=true",
        "pkg:golang/github.com/q/r@v0.1.0",
        "pkg:golang/github.com/new/mod@v1.2.0 go.replaces=github.com/old/mod v1.1.0",
        "pkg:golang/example.com/local go.replace=../local go.required_version=v0.0.0"},
       ""},
      {"an excluded version that is required is not reported; other versions of the module are",
       "/src/app/go.mod",
       "module (\n    example.com/app\n)\n\nrequire (\n\tgithub.com/adrg/xdg v0.2.1\n\tgithub.com/k/v v1.2.0\n)\n"
       "exclude github.com/adrg/xdg v0.2.1\nexclude (\n\tgithub.com/k/v v1.1.0\n)\n",
       {"pkg:golang/github.com/k/v@v1.2.0"},
       ""},
      {"malformed exclude",
       "/x/go.mod",
       "module m\nexclude a\n",
       {},
       "go.mod: line 2: exclude needs a module path and a version"},
      {"module cache copies are skipped",
       "/home/builder/go/pkg/mod/github.com/a/b@v1.0.0/go.mod",
       "module github.com/a/b\nrequire github.com/c/d v1.0.0\n",
       {},
       ""},
      {"binary garbage",
       "/x/go.mod",
       std::string("\x7f"
                   "ELF\x02\x01\x01\0\0\0garbage",
                   16),
       {},
       "go.mod: no module directive"},
      {"malformed require",
       "/x/go.mod",
       "module m\nrequire (\n\tgithub.com/a/b\n)\n",
       {},
       "go.mod: line 3: require needs a module path and a version"},
      {"malformed replace", "/x/go.mod", "module m\nreplace a b c\n", {}, "go.mod: line 2: malformed replace"},
      {"unterminated quote", "/x/go.mod", "module \"m\nrequire a v1\n", {}, "go.mod: line 1: unterminated quote"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto layer = std::make_shared<LayerResult>();
    layer->entries.push_back(
        FileNode{.path = c.path, .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(c.text.size())});
    layer->captured[c.path] = c.text;
    const FileSystemView fs({layer});
    const std::optional<OsRelease> os;
    CatalogOutput out;
    const Cataloger* cat = testing::CatalogerById("go-mod");
    ASSERT_NE(cat, nullptr);
    cat->collect(CatalogInput{fs, os}, out);
    std::vector<std::string> got;
    for (const auto& p : out.packages) {
      std::string line = MakePurl(p, os);
      for (const auto& [k, v] : p.metadata) line += " " + k + "=" + v;
      got.push_back(line);
      ASSERT_EQ(p.evidence.size(), 1u);
      EXPECT_EQ(p.evidence[0].path, c.path);
    }
    EXPECT_EQ(got, c.want);
    if (c.skip.empty()) {
      EXPECT_TRUE(out.diagnostics.empty());
    } else {
      ASSERT_EQ(out.diagnostics.size(), 1u);
      EXPECT_EQ(out.diagnostics[0].where, c.path);
      EXPECT_EQ(out.diagnostics[0].message, c.skip);
    }
  }
}

}  // namespace
}  // namespace drydock
