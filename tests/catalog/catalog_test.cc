// The catalog stage's own rules, independent of any real cataloger: layer
// attribution, walk-time finds that a later layer removes, OS-ownership
// dedupe (with merged-/usr paths), merging by purl, purls, ids and order.
// Also the pipeline's magic filter that binary catalogers rely on.
#include "catalog/catalog.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/path.h"
#include "layer/pipeline.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

FileNode F(std::string path, uint32_t mode = 0644) {
  return FileNode{.path = std::move(path), .type = EntryType::kFile, .mode = mode};
}
FileNode D(std::string path) { return FileNode{.path = std::move(path), .type = EntryType::kDir, .mode = 0755}; }
FileNode S(std::string path, std::string target) {
  return FileNode{.path = std::move(path), .type = EntryType::kSymlink, .mode = 0777, .link_target = std::move(target)};
}

struct LayerSpec {
  std::vector<FileNode> entries;
  std::vector<std::string> whiteouts;
  std::map<std::string, std::string> captured;
  std::vector<Package> packages;  // walk-time finds
};

struct Fixture {
  ImageInfo image;
  std::unique_ptr<FileSystemView> fs;
};

Fixture Make(const std::vector<LayerSpec>& specs) {
  Fixture fx;
  std::vector<std::shared_ptr<const LayerResult>> layers;
  for (size_t i = 0; i < specs.size(); ++i) {
    auto r = std::make_shared<LayerResult>();
    r->entries = specs[i].entries;
    r->whiteouts = specs[i].whiteouts;
    r->captured = specs[i].captured;
    r->packages = specs[i].packages;
    layers.push_back(std::move(r));
    Layer l;
    l.index = static_cast<int>(i);
    l.diff_id = Sha256Of("layer" + std::to_string(i));
    l.created_by = "RUN step " + std::to_string(i);
    fx.image.layers.push_back(l);
  }
  fx.image.source_kind = "docker-archive";
  fx.fs = std::make_unique<FileSystemView>(std::move(layers));
  return fx;
}

Package Pkg(std::string type, std::string name, std::string version, std::string path) {
  Package p;
  p.type = std::move(type);
  p.name = std::move(name);
  p.version = std::move(version);
  p.evidence.push_back(PackageEvidence{.path = std::move(path)});
  return p;
}

// A cataloger that reports one package per captured file named "pkg-*",
// whose content is "type name version".
void CollectFake(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in.fs, [](std::string_view p) { return Basename(p).starts_with("pkg-"); })) {
    std::vector<std::string> w;
    size_t i = 0;
    std::string_view c = f.content;
    while (i < c.size()) {
      size_t j = c.find(' ', i);
      if (j == std::string_view::npos) j = c.size();
      w.emplace_back(c.substr(i, j - i));
      i = j + 1;
    }
    if (w.size() != 3) {
      out.Skip(f.path, "want three words");
      continue;
    }
    out.packages.push_back(Pkg(w[0], w[1], w[2], std::string(f.path)));
  }
}

// A fake OS cataloger: one deb owning the files listed in /owned.
void CollectOwner(const CatalogInput& in, CatalogOutput& out) {
  auto list = in.fs.ReadFile("/owned");
  if (!list) return;
  Package p = Pkg("deb", "python3-yaml", "6.0-3+b2", "/var/lib/dpkg/status");
  std::string_view l = *list;
  size_t i = 0;
  while (i < l.size()) {
    size_t j = l.find('\n', i);
    if (j == std::string_view::npos) j = l.size();
    if (j > i) p.files.emplace_back(l.substr(i, j - i));
    i = j + 1;
  }
  out.packages.push_back(std::move(p));
}

// A fake lock-file cataloger: "/app/fake.lock" lists "name version" lines.
void CollectLock(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCapturedByBasename(in, "fake.lock")) {
    std::string_view c = f.content;
    size_t i = 0;
    while (i < c.size()) {
      size_t j = c.find('\n', i);
      if (j == std::string_view::npos) j = c.size();
      std::string_view line = c.substr(i, j - i);
      size_t sp = line.find(' ');
      if (sp == std::string_view::npos) {
        out.Skip(f.path, "line without a version");
      } else {
        out.packages.push_back(
            Pkg("npm", std::string(line.substr(0, sp)), std::string(line.substr(sp + 1)), std::string(f.path)));
      }
      i = j + 1;
    }
  }
}

const std::vector<Cataloger>& FakeTable() {
  static const std::vector<Cataloger> rows = {
      Cataloger{.id = "owner", .collect = &CollectOwner},
      Cataloger{.id = "fake", .collect = &CollectFake},
      Cataloger{.id = "fakelock",
                .view_wants = FileWants{.basenames = {"fake.lock"}},
                .collect = &CollectLock,
                .lockfile = true},
  };
  return rows;
}

std::vector<std::string> Summary(const Inventory& inv) {
  std::vector<std::string> out;
  for (const auto& p : inv.packages) {
    std::string s = p.type + " " + p.FullName() + "@" + p.version + " L" + std::to_string(p.layer_index) + " [";
    for (size_t i = 0; i < p.evidence.size(); ++i) {
      s += (i ? "," : "") + p.evidence[i].cataloger + ":" + p.evidence[i].Location() + "@" +
           std::to_string(p.evidence[i].layer_index);
    }
    out.push_back(s + "]");
  }
  return out;
}

TEST(BuildInventory, AttributionDedupeAndMerge) {
  Package jar = Pkg("maven", "guava", "32.1.2-jre", "/app/app.jar");
  jar.namespace_ = "com.google.guava";
  jar.evidence[0].inner = "BOOT-INF/lib/guava-32.1.2-jre.jar";
  jar.evidence[0].cataloger = "java-archive";
  Package gone = Pkg("generic", "redis", "7.2.3", "/usr/local/bin/redis-server");
  gone.evidence[0].cataloger = "binary";
  Package owned_bin = Pkg("generic", "python", "3.11.2", "/usr/bin/python3.11");
  owned_bin.evidence[0].cataloger = "binary";

  struct Case {
    std::string name;
    std::vector<LayerSpec> layers;
    std::vector<std::string> want;
  };
  const std::vector<Case> cases = {
      {"a package takes the layer that last wrote its file",
       {{{F("/pkg-a")}, {}, {{"/pkg-a", "npm left-pad 1.3.0"}}}, {{F("/x")}}},
       {"npm left-pad@1.3.0 L0 [fake:/pkg-a@0]"}},
      {"a rewritten metadata file moves the package up",
       {{{F("/pkg-a")}, {}, {{"/pkg-a", "npm left-pad 1.3.0"}}},
        {{F("/pkg-a")}, {}, {{"/pkg-a", "npm left-pad 1.3.1"}}}},
       {"npm left-pad@1.3.1 L1 [fake:/pkg-a@1]"}},
      {"a deleted metadata file takes its package with it",
       {{{F("/pkg-a")}, {}, {{"/pkg-a", "npm left-pad 1.3.0"}}}, {{}, {"/pkg-a"}}},
       {}},
      {"walk-time finds survive when the file does",
       {{{D("/app"), F("/app/app.jar")}, {}, {}, {jar}}, {{F("/other")}}},
       {"maven com.google.guava:guava@32.1.2-jre L0 [java-archive:/app/app.jar!/BOOT-INF/lib/guava-32.1.2-jre.jar@0]"}},
      {"walk-time finds of a deleted file are dropped",
       {{{D("/usr"), D("/usr/local"), D("/usr/local/bin"), F("/usr/local/bin/redis-server", 0755)}, {}, {}, {gone}},
        {{}, {"/usr/local/bin/redis-server"}}},
       {}},
      {"walk-time finds of an overwritten file are dropped (the new layer reports its own)",
       {{{F("/usr/local/bin/redis-server", 0755)}, {}, {}, {gone}}, {{F("/usr/local/bin/redis-server", 0755)}}},
       {}},
      {"same purl from two places merges, lowest layer wins",
       {{{F("/pkg-a")}, {}, {{"/pkg-a", "npm left-pad 1.3.0"}}},
        {{F("/pkg-b")}, {}, {{"/pkg-b", "npm left-pad 1.3.0"}}}},
       {"npm left-pad@1.3.0 L0 [fake:/pkg-a@0,fake:/pkg-b@1]"}},
      {"different versions stay apart",
       {{{F("/pkg-a"), F("/pkg-b")}, {}, {{"/pkg-a", "npm left-pad 1.3.0"}, {"/pkg-b", "npm left-pad 1.2.0"}}}},
       {"npm left-pad@1.2.0 L0 [fake:/pkg-b@0]", "npm left-pad@1.3.0 L0 [fake:/pkg-a@0]"}},
      {"a language find of a file an OS package owns joins that package",
       {{{F("/owned"), D("/usr"), D("/usr/lib"), F("/usr/lib/pkg-yaml")},
         {},
         {{"/owned", "/usr/lib/pkg-yaml\n/usr/share/doc/python3-yaml/copyright\n"},
          {"/usr/lib/pkg-yaml", "pypi PyYAML 6.0"}}}},
       {"deb python3-yaml@6.0-3+b2 L0 [owner:/var/lib/dpkg/status@-1,fake:/usr/lib/pkg-yaml@0]"}},
      {"a lock file an OS package installed lists its project's build deps, not the image's: dropped",
       {{{F("/owned"), D("/usr"), D("/usr/share"), F("/usr/share/fake.lock")},
         {},
         {{"/owned", "/usr/share/fake.lock\n"}, {"/usr/share/fake.lock", "left-pad 1.3.0\nchalk 4.1.2\n"}}}},
       {"deb python3-yaml@6.0-3+b2 L-1 [owner:/var/lib/dpkg/status@-1]"}},
      {"a lock file of the image's own app is listed",
       {{{D("/app"), F("/app/fake.lock")}, {}, {{"/app/fake.lock", "left-pad 1.3.0\n"}}}},
       {"npm left-pad@1.3.0 L0 [fakelock:/app/fake.lock@0]"}},
      {"ownership follows merged-/usr symlinks (/bin -> usr/bin)",
       {{{F("/owned"), S("/bin", "usr/bin"), D("/usr"), D("/usr/bin"), F("/usr/bin/python3.11", 0755)},
         {},
         {{"/owned", "/bin/python3.11\n"}},
         {owned_bin}}},
       {"deb python3-yaml@6.0-3+b2 L0 [owner:/var/lib/dpkg/status@-1,binary:/usr/bin/python3.11@0]"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Fixture fx = Make(c.layers);
    Inventory inv = BuildInventory(fx.image, *fx.fs, std::nullopt, FakeTable());
    EXPECT_EQ(Summary(inv), c.want);
    for (const auto& p : inv.packages) {
      EXPECT_EQ(p.id.size(), 16u);
      EXPECT_FALSE(p.purl.empty());
      if (p.layer_index >= 0) {
        EXPECT_EQ(p.diff_id, fx.image.layers[static_cast<size_t>(p.layer_index)].diff_id.str());
        EXPECT_EQ(p.created_by, fx.image.layers[static_cast<size_t>(p.layer_index)].created_by);
      }
    }
  }
}

TEST(BuildInventory, MalformedFilesAreDiagnosedAndTheRestListed) {
  Fixture fx =
      Make({{{F("/pkg-bad"), F("/pkg-good")}, {}, {{"/pkg-bad", "\x01\x02"}, {"/pkg-good", "gem rack 3.0.8"}}}});
  Inventory inv = BuildInventory(fx.image, *fx.fs, std::nullopt, FakeTable());
  ASSERT_EQ(inv.packages.size(), 1u);
  EXPECT_EQ(inv.packages[0].name, "rack");
  ASSERT_EQ(inv.diagnostics.size(), 1u);
  EXPECT_EQ(inv.diagnostics[0].where, "/pkg-bad");
  EXPECT_EQ(inv.diagnostics[0].message, "fake: want three words");
}

TEST(BuildInventory, LockFilesAnOsPackageInstalledAreNotRead) {
  Fixture fx =
      Make({{{F("/owned"), D("/usr"), D("/usr/share"), F("/usr/share/fake.lock"), D("/app"), F("/app/fake.lock")},
             {},
             {{"/owned", "/usr/share/fake.lock\n"},
              {"/usr/share/fake.lock", "garbage\n"},
              {"/app/fake.lock", "also-garbage\n"}}}});
  Inventory inv = BuildInventory(fx.image, *fx.fs, std::nullopt, FakeTable());
  // Only the app's lock file was read: one diagnostic, for it.
  ASSERT_EQ(inv.diagnostics.size(), 1u);
  EXPECT_EQ(inv.diagnostics[0].where, "/app/fake.lock");
}

TEST(BuildInventory, IdsAreStableAndDistinct) {
  auto run = [] {
    Fixture fx = Make({{{F("/pkg-a"), F("/pkg-b")}, {}, {{"/pkg-a", "npm a 1.0.0"}, {"/pkg-b", "npm b 1.0.0"}}}});
    return BuildInventory(fx.image, *fx.fs, std::nullopt, FakeTable());
  };
  Inventory x = run(), y = run();
  ASSERT_EQ(x.packages.size(), 2u);
  EXPECT_EQ(x.packages[0].id, y.packages[0].id);
  EXPECT_NE(x.packages[0].id, x.packages[1].id);
}

TEST(MakePurl, FollowsThePurlSpec) {
  OsRelease debian{.id = "debian", .version_id = "12"};
  OsRelease rhel{.id = "rhel", .version_id = "9.3"};
  struct Case {
    std::string name;
    Package p;
    std::optional<OsRelease> os;
    std::string want;
  };
  auto P = [](std::string type, std::string ns, std::string name, std::string version) {
    Package p;
    p.type = std::move(type);
    p.namespace_ = std::move(ns);
    p.name = std::move(name);
    p.version = std::move(version);
    return p;
  };
  Package deb = P("deb", "", "libssl3", "3.0.11-1~deb12u2");
  deb.arch = "amd64";
  deb.source_name = "openssl";
  Package deb_epoch = P("deb", "", "libpam0g", "1:1.5.2-6");
  deb_epoch.arch = "amd64";
  deb_epoch.source_name = "pam";
  deb_epoch.source_version = "1.5.2-6+deb12u1";
  Package rpm = P("rpm", "", "openssl-libs", "1:3.0.7-24.el9");
  rpm.arch = "x86_64";
  rpm.source_name = "openssl";
  const std::vector<Case> cases = {
      {"deb with distro, arch and upstream source", deb, debian,
       "pkg:deb/debian/libssl3@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&upstream=openssl"},
      {"deb epoch is part of the version, encoded", deb_epoch, debian,
       "pkg:deb/debian/libpam0g@1%3A1.5.2-6?arch=amd64&distro=debian-12&upstream=pam%401.5.2-6%2Bdeb12u1"},
      {"rpm epoch becomes a qualifier; rhel is redhat", rpm, rhel,
       "pkg:rpm/redhat/openssl-libs@3.0.7-24.el9?arch=x86_64&distro=rhel-9.3&epoch=1&upstream=openssl"},
      {"npm scope is an encoded namespace", P("npm", "@types", "node", "20.10.0"), std::nullopt,
       "pkg:npm/%40types/node@20.10.0"},
      {"pypi names are normalised", P("pypi", "", "Flask_SQLAlchemy", "3.1.1"), std::nullopt,
       "pkg:pypi/flask-sqlalchemy@3.1.1"},
      {"maven group is the namespace", P("maven", "org.apache.logging.log4j", "log4j-core", "2.14.1"), std::nullopt,
       "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"},
      {"go module path segments stay separate", P("golang", "github.com/spf13", "cobra", "v1.8.0"), std::nullopt,
       "pkg:golang/github.com/spf13/cobra@v1.8.0"},
      {"no version, no @", P("generic", "", "busybox", ""), std::nullopt, "pkg:generic/busybox"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(MakePurl(c.p, c.os), c.want);
  }
}

// An analyzer that keeps only ELF files and records what reached it.
class ElfOnly final : public LayerAnalyzer {
 public:
  ElfOnly() {
    wants_.executable = true;
    wants_.suffixes = {".so"};
    wants_.magic = {
        "\x7f"
        "ELF"};
    wants_.max_size = 1 << 20;
  }
  std::string_view name() const override { return "elf-only"; }
  const FileWants& wants() const override { return wants_; }
  void OnFile(const FileNode& node, std::string_view content, LayerResult& out) const override {
    out.diagnostics.push_back({node.path, "seen " + std::to_string(content.size())});
  }

 private:
  FileWants wants_;
};

TEST(FileWants, MagicFiltersBeforeTheFileIsRead) {
  using testing::File;
  const std::string elf = std::string(
                              "\x7f"
                              "ELF\x02\x01\x01",
                              7) +
                          std::string(5000, 'x');
  std::string tar = testing::MakeTar({
      File("bin/tool", elf, 0755), File("bin/script.sh", "#!/bin/sh\necho hi\n" + std::string(5000, ' '), 0755),
      File("lib/libx.so", elf, 0644), File("lib/notes.txt", elf, 0644),  // ELF bytes, but neither executable nor .so
      File("bin/tiny", "\x7f", 0755),                                    // shorter than the magic
  });
  ElfOnly a;
  testing::MemoryStream s(tar);
  LayerResult r = ProcessLayerBlob("blob", s, {&a}, PipelineOptions{});
  ASSERT_FALSE(r.error) << r.error->message;
  std::vector<std::string> seen;
  for (const auto& d : r.diagnostics) seen.push_back(d.where + " " + d.message);
  EXPECT_EQ(seen, (std::vector<std::string>{"/bin/tool seen 5007", "/lib/libx.so seen 5007"}));
}

}  // namespace
}  // namespace drydock
