// The merged filesystem view over hand-built layer results: layering,
// whiteouts, opaque directories, type changes, symlink and hardlink
// resolution, and which layer's captured bytes ReadFile serves.
#include "layer/view.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace drydock {
namespace {

FileNode F(std::string path) { return FileNode{.path = std::move(path), .type = EntryType::kFile, .mode = 0644}; }
FileNode D(std::string path) { return FileNode{.path = std::move(path), .type = EntryType::kDir, .mode = 0755}; }
FileNode S(std::string path, std::string target) {
  return FileNode{.path = std::move(path), .type = EntryType::kSymlink, .mode = 0777, .link_target = std::move(target)};
}
FileNode H(std::string path, std::string target) {
  return FileNode{
      .path = std::move(path), .type = EntryType::kHardlink, .mode = 0644, .link_target = std::move(target)};
}

struct LayerSpec {
  std::vector<FileNode> entries;
  std::vector<std::string> whiteouts;
  std::vector<std::string> opaque_dirs;
  std::map<std::string, std::string> captured;
};

FileSystemView MakeView(const std::vector<LayerSpec>& specs) {
  std::vector<std::shared_ptr<const LayerResult>> layers;
  for (const auto& s : specs) {
    auto r = std::make_shared<LayerResult>();
    r->entries = s.entries;
    r->whiteouts = s.whiteouts;
    r->opaque_dirs = s.opaque_dirs;
    r->captured = s.captured;
    layers.push_back(std::move(r));
  }
  return FileSystemView(std::move(layers));
}

// Every path of the view as "path@layer", in path order.
std::vector<std::string> Listing(const FileSystemView& v) {
  std::vector<std::string> out;
  v.ForEach([&](const std::string& path, const FileSystemView::Node& n) {
    out.push_back(path + "@" + std::to_string(n.layer));
  });
  return out;
}

TEST(FileSystemView, MergesLayers) {
  struct Case {
    std::string name;
    std::vector<LayerSpec> layers;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"later layer overrides a file",
       {{{D("/etc"), F("/etc/a"), F("/etc/b")}}, {{F("/etc/a")}}},
       {"/etc@0", "/etc/a@1", "/etc/b@0"}},
      {"whiteout removes a file", {{{D("/etc"), F("/etc/a"), F("/etc/b")}}, {{}, {"/etc/a"}}}, {"/etc@0", "/etc/b@0"}},
      {"whiteout removes a directory and its subtree but not name-prefixed siblings",
       {{{D("/opt"), D("/opt/app"), F("/opt/app/x"), D("/opt/app/y"), F("/opt/app/y/z"), F("/opt/apple")}},
        {{}, {"/opt/app"}}},
       {"/opt@0", "/opt/apple@0"}},
      {"whiteout hides lower layers only: the same layer may re-add the path",
       {{{F("/a"), F("/a2")}}, {{F("/a")}, {"/a"}}},
       {"/a@1", "/a2@0"}},
      {"a higher layer can re-create a whited-out path", {{{F("/a")}}, {{}, {"/a"}}, {{F("/a")}}}, {"/a@2"}},
      {"opaque dir hides lower children but keeps its own layer's",
       {{{D("/var"), D("/var/cache"), F("/var/cache/old"), D("/var/cache/sub"), F("/var/cache/sub/deep"),
          F("/var/log")}},
        {{D("/var/cache"), F("/var/cache/new")}, {}, {"/var/cache"}}},
       {"/var@0", "/var/cache@1", "/var/cache/new@1", "/var/log@0"}},
      {"opaque root hides every lower path", {{{D("/etc"), F("/etc/a")}}, {{F("/new")}, {}, {"/"}}}, {"/new@1"}},
      {"file replacing a directory hides the directory's children",
       {{{D("/srv"), F("/srv/a"), D("/srv/b"), F("/srv/b/c"), F("/srvx")}}, {{F("/srv")}}},
       {"/srv@1", "/srvx@0"}},
      {"symlink replacing a directory hides the directory's children",
       {{{D("/data"), F("/data/a")}}, {{S("/data", "/mnt")}}},
       {"/data@1"}},
      {"directory over a directory keeps lower children",
       {{{D("/d"), F("/d/x")}}, {{D("/d"), F("/d/y")}}},
       {"/d@1", "/d/x@0", "/d/y@1"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    FileSystemView v = MakeView(c.layers);
    EXPECT_EQ(Listing(v), c.want);
    EXPECT_EQ(v.size(), c.want.size());
  }
}

// What the view promises, in its plainest form: every layer in order, its
// whiteouts and opaque dirs first, then its entries one by one in archive
// order into a map ("path@layer", as Listing gives them).
std::vector<std::string> ReferenceListing(const std::vector<LayerSpec>& specs) {
  std::map<std::string, std::pair<EntryType, int>> nodes;
  auto erase_below = [&](const std::string& dir) {
    const std::string prefix = dir == "/" ? "/" : dir + "/";
    for (auto it = nodes.lower_bound(prefix); it != nodes.end() && it->first.starts_with(prefix);) it = nodes.erase(it);
  };
  for (size_t i = 0; i < specs.size(); ++i) {
    for (const auto& d : specs[i].opaque_dirs) erase_below(d);
    for (const auto& w : specs[i].whiteouts) {
      nodes.erase(w);
      erase_below(w);
    }
    for (const auto& e : specs[i].entries) {
      auto [it, inserted] = nodes.try_emplace(e.path, e.type, static_cast<int>(i));
      if (!inserted && it->second.first == EntryType::kDir && e.type != EntryType::kDir) erase_below(e.path);
      it->second = {e.type, static_cast<int>(i)};
    }
  }
  std::vector<std::string> out;
  for (const auto& [path, n] : nodes) out.push_back(path + "@" + std::to_string(n.second));
  return out;
}

TEST(FileSystemView, AgreesWithTheSequentialMergeOnRandomLayers) {
  // Names chosen so that siblings sort between a path and its children
  // ("/a" < "/a-b" < "/a.c" < "/a/b"), with repeats, type changes,
  // whiteouts and opaque dirs at every depth. A fixed seed: the same
  // layers every run.
  const std::vector<std::string> names = {"a", "a-b", "a.c", "b", "ab"};
  std::mt19937 rng(15);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  auto random_path = [&] {
    std::string p;
    const size_t depth = 1 + pick(3);
    for (size_t d = 0; d < depth; ++d) p += "/" + names[pick(names.size())];
    return p;
  };
  for (int round = 0; round < 2000; ++round) {
    std::vector<LayerSpec> specs(1 + pick(4));
    for (auto& spec : specs) {
      const size_t n = pick(12);
      for (size_t k = 0; k < n; ++k) {
        const std::string p = random_path();
        switch (pick(4)) {
          case 0:
            spec.entries.push_back(F(p));
            break;
          case 1:
            spec.entries.push_back(S(p, "/b"));
            break;
          default:
            spec.entries.push_back(D(p));
            break;
        }
      }
      if (pick(3) == 0) spec.whiteouts.push_back(random_path());
      if (pick(4) == 0) spec.opaque_dirs.push_back(pick(8) == 0 ? "/" : random_path());
    }
    const FileSystemView v = MakeView(specs);
    const std::vector<std::string> want = ReferenceListing(specs);
    ASSERT_EQ(Listing(v), want) << "round " << round;
    ASSERT_EQ(v.size(), want.size());
    for (const auto& entry : want) {
      const std::string path = entry.substr(0, entry.rfind('@'));
      ASSERT_NE(v.Lookup(path), nullptr) << path;
    }
    ASSERT_EQ(v.Lookup("/zz"), nullptr);
  }
}

// A small tree with every kind of link the resolver has to follow.
FileSystemView LinkTree() {
  std::vector<FileNode> entries = {
      D("/etc"),
      F("/etc/passwd"),
      D("/usr"),
      D("/usr/bin"),
      F("/usr/bin/python3.11"),
      S("/usr/bin/python3", "python3.11"),
      S("/usr/bin/python", "/usr/bin/python3"),
      S("/bin", "usr/bin"),
      S("/usr/bin/up", "../../../../../../etc/passwd"),
      S("/escape", "../../../../etc/passwd"),
      S("/lib", "/usr/lib"),
      S("/loop1", "/loop2"),
      S("/loop2", "loop1"),
      S("/self", "self"),
      S("/etc/alt", "."),
      H("/usr/bin/pyhard", "/usr/bin/python3.11"),
  };
  // A chain of 40 links ends at a file (allowed); one of 41 does not.
  for (int i = 0; i < 41; ++i) {
    entries.push_back(S("/chain/" + std::to_string(i), std::to_string(i + 1)));
  }
  entries.push_back(F("/chain/41"));
  return MakeView({{entries}});
}

TEST(FileSystemView, ResolveFollowsLinks) {
  const FileSystemView v = LinkTree();
  struct Case {
    std::string name;
    std::string input;
    std::string want;  // path of the resolved node; "" for null
  };
  const Case cases[] = {
      {"plain file", "/etc/passwd", "/etc/passwd"},
      {"relative input is taken from the root", "etc/passwd", "/etc/passwd"},
      {"relative symlink", "/usr/bin/python3", "/usr/bin/python3.11"},
      {"absolute symlink to a relative one", "/usr/bin/python", "/usr/bin/python3.11"},
      {"symlinked directory in the middle of a path", "/bin/python3", "/usr/bin/python3.11"},
      {"symlinked directory then another link", "/bin/python", "/usr/bin/python3.11"},
      {"dot symlink to its own directory", "/etc/alt/alt/passwd", "/etc/passwd"},
      {"relative link climbing past the root clamps there", "/usr/bin/up", "/etc/passwd"},
      {"link at the root climbing past it clamps", "/escape", "/etc/passwd"},
      {"hardlink resolves to its target", "/usr/bin/pyhard", "/usr/bin/python3.11"},
      {"two-link loop is null", "/loop1", ""},
      {"self loop is null", "/self", ""},
      {"loop in a middle component is null", "/loop1/x", ""},
      {"dangling directory link is null", "/lib/libc.so", ""},
      {"missing path is null", "/nope", ""},
      {"chain of 40 links resolves", "/chain/1", "/chain/41"},
      {"chain of 41 links is null", "/chain/0", ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const FileSystemView::Node* n = v.Resolve(c.input);
    if (c.want.empty()) {
      EXPECT_EQ(n, nullptr) << n->file->path;
    } else {
      ASSERT_NE(n, nullptr);
      EXPECT_EQ(n->file->path, c.want);
    }
  }
}

TEST(FileSystemView, LookupDoesNotFollowLinks) {
  const FileSystemView v = LinkTree();
  const FileSystemView::Node* n = v.Lookup("/usr/bin/python3");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->file->type, EntryType::kSymlink);
  EXPECT_EQ(v.Lookup("/bin/python3"), nullptr);
}

TEST(FileSystemView, HardlinkWhoseTargetALaterLayerReplacedKeepsItsOwnLayer) {
  // Layer 0 links /usr/bin/chfn to a setuid /usr/bin/passwd; layer 1
  // replaces /usr/bin/passwd (a copy-up without the setuid bit). The link
  // still names layer 0's file, so Resolve must not hand back layer 1's.
  FileNode setuid = F("/usr/bin/passwd");
  setuid.mode = 04755;
  const FileSystemView v = MakeView({
      {{D("/usr"), D("/usr/bin"), setuid, H("/usr/bin/chfn", "/usr/bin/passwd")}},
      {{F("/usr/bin/passwd")}},
  });
  const FileSystemView::Node* n = v.Resolve("/usr/bin/chfn");
  ASSERT_NE(n, nullptr);
  EXPECT_EQ(n->layer, 0);
}

TEST(FileSystemView, ReadFileServesTheTopmostCapturedContent) {
  const FileSystemView v = MakeView({
      {{D("/etc"), F("/etc/passwd"), F("/etc/shadow"), F("/etc/group"), F("/etc/hosts")},
       {},
       {},
       {{"/etc/passwd", "old"}, {"/etc/shadow", "secret"}, {"/etc/group", "old group"}, {"/etc/hosts", "hosts"}}},
      {{F("/etc/passwd"), F("/etc/group"), S("/etc/pw", "passwd"), H("/etc/passwd-", "/etc/passwd"),
        H("/etc/hosts-hl", "/etc/hosts-new"), F("/etc/hosts-new")},
       {"/etc/shadow"},
       {},
       // /etc/group was replaced but not captured (e.g. over the size
       // limit): the lower layer's bytes must not be served for it.
       {{"/etc/passwd", "new"}, {"/etc/passwd-", "new"}, {"/etc/hosts-new", "new hosts"}}},
  });
  struct Case {
    std::string name;
    std::string path;
    std::optional<std::string> want;
  };
  const Case cases[] = {
      {"file from the topmost layer", "/etc/passwd", "new"},
      {"file only in a lower layer", "/etc/hosts", "hosts"},
      {"through a symlink", "/etc/pw", "new"},
      {"hardlink captured under its own name", "/etc/passwd-", "new"},
      {"hardlink whose target was captured", "/etc/hosts-hl", "new hosts"},
      {"deleted file", "/etc/shadow", std::nullopt},
      {"overwritten but not captured", "/etc/group", std::nullopt},
      {"directory", "/etc", std::nullopt},
      {"missing", "/etc/nope", std::nullopt},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = v.ReadFile(c.path);
    ASSERT_EQ(got.has_value(), c.want.has_value()) << (got ? *got : "(nullopt)");
    if (c.want) {
      EXPECT_EQ(*got, *c.want);
    }
  }
}

}  // namespace
}  // namespace drydock
