// Node catalogers: node_modules/**/package.json, package-lock.json v1–v3,
// yarn.lock v1 and berry, pnpm-lock.yaml v5, v6 and v9. The lock files in
// testdata were written by the real tools for one package.json
// (testdata/catalog/node/PROVENANCE.md), so every format must give the
// same set: the one `npm ls --all` printed for that install.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "catalog/lang_test_util.h"

namespace drydock {
namespace {

using testing::CatalogTestdata;
using testing::DescribeAll;
using testing::NameVersions;
using testing::RunCollect;

// `npm ls --all --json` of the install, name@version deduplicated.
const std::vector<std::string> kNpmLs = {
    "@types/node@20.11.30",
    "ansi-styles@4.3.0",
    "chalk@4.1.2",
    "color-convert@2.0.1",
    "color-name@1.1.4",
    "debug@4.3.4",
    "has-flag@4.0.0",
    "lru-cache@6.0.0",
    "ms@2.1.2",
    "ms@2.1.3",
    "semver@7.5.4",
    "supports-color@7.2.0",
    "undici-types@5.26.5",
    "yallist@4.0.0",
};

TEST(NodeLockFiles, EveryFormatGivesTheInstalledSet) {
  struct Case {
    std::string name, cataloger, path, testdata;
  };
  const Case cases[] = {
      {"package-lock v3 (npm 11)", "npm-package-lock", "/app/package-lock.json", "node/package-lock-v3.json"},
      {"package-lock v1 (npm 6)", "npm-package-lock", "/app/package-lock.json", "node/package-lock-v1.json"},
      {"npm-shrinkwrap.json", "npm-package-lock", "/app/npm-shrinkwrap.json", "node/package-lock-v3.json"},
      {"yarn.lock v1 (yarn 1.22)", "yarn-lock", "/app/yarn.lock", "node/yarn-v1.lock"},
      {"yarn.lock berry (yarn 4)", "yarn-lock", "/app/yarn.lock", "node/yarn-berry.lock"},
      {"pnpm-lock v5.4 (pnpm 7)", "pnpm-lock", "/app/pnpm-lock.yaml", "node/pnpm-lock-v5.yaml"},
      {"pnpm-lock v6 (pnpm 8)", "pnpm-lock", "/app/pnpm-lock.yaml", "node/pnpm-lock-v6.yaml"},
      {"pnpm-lock v9 (pnpm 9)", "pnpm-lock", "/app/pnpm-lock.yaml", "node/pnpm-lock-v9.yaml"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CatalogOutput out = RunCollect(c.cataloger, {{c.path, CatalogTestdata(c.testdata)}});
    EXPECT_EQ(NameVersions(out.packages), kNpmLs);
    EXPECT_TRUE(out.diagnostics.empty());
    for (const auto& p : out.packages) {
      EXPECT_EQ(p.type, "npm");
      ASSERT_EQ(p.evidence.size(), 1u);
      EXPECT_EQ(p.evidence[0].path, c.path);
    }
  }
}

using testing::RunCases;

TEST(NodeInstalled, Cases) {
  RunCases({
      {"package.json in node_modules: name, version, license",
       "npm-package",
       {{"/app/node_modules/debug/package.json", CatalogTestdata("node/debug-package.json")}},
       {"npm debug@4.3.4 [MIT] </app/node_modules/debug/package.json>"},
       ""},
      {"scoped package: the scope is the namespace",
       "npm-package",
       {{"/app/node_modules/@types/node/package.json", CatalogTestdata("node/types-node-package.json")}},
       {"npm @types/node@20.11.30 [MIT] </app/node_modules/@types/node/package.json>"},
       ""},
      {"nested node_modules",
       "npm-package",
       {{"/app/node_modules/debug/node_modules/ms/package.json", R"({"name":"ms","version":"2.1.2","license":"MIT"})"}},
       {"npm ms@2.1.2 [MIT] </app/node_modules/debug/node_modules/ms/package.json>"},
       ""},
      {"license as an object",
       "npm-package",
       {{"/n/node_modules/x/package.json", R"({"name":"x","version":"1.0.0","license":{"type":"ISC","url":"u"}})"}},
       {"npm x@1.0.0 [ISC] </n/node_modules/x/package.json>"},
       ""},
      {"legacy licenses array of objects and strings",
       "npm-package",
       {{"/n/node_modules/x/package.json",
         R"({"name":"x","version":"1.0.0","licenses":[{"type":"MIT"},"Apache-2.0",{"url":"no type"}]})"}},
       {"npm x@1.0.0 [MIT,Apache-2.0] </n/node_modules/x/package.json>"},
       ""},
      {"the project's own package.json is not an installed package",
       "npm-package",
       {{"/app/package.json", CatalogTestdata("node/package.json")}},
       {},
       ""},
      {"package.json below a package's own folders is not a package",
       "npm-package",
       {{"/app/node_modules/x/test/fixtures/y/package.json", R"({"name":"y","version":"1.0.0"})"}},
       {},
       ""},
      {"a module-type marker in lib/ is not a package",
       "npm-package",
       {{"/app/node_modules/x/lib/package.json", R"({"type":"module"})"}},
       {},
       ""},
      {"node_modules/@scope/package.json is not a package",
       "npm-package",
       {{"/app/node_modules/@scope/package.json", R"({"name":"s","version":"1.0.0"})"}},
       {},
       ""},
      {"without a version it is no package, and no error",
       "npm-package",
       {{"/app/node_modules/x/package.json", R"({"name":"x"})"}},
       {},
       ""},
      {"truncated JSON is a diagnostic",
       "npm-package",
       {{"/app/node_modules/x/package.json", R"({"name":"x","vers)"}},
       {},
       "invalid JSON"},
      {"binary garbage is a diagnostic",
       "npm-package",
       {{"/app/node_modules/x/package.json", std::string("\x89PNG\r\n\x1a\n\0\0", 10)}},
       {},
       "invalid JSON"},
      {"a JSON string is a diagnostic",
       "npm-package",
       {{"/app/node_modules/x/package.json", R"("x")"}},
       {},
       "not a JSON object"},
  });
}

TEST(NodePackageLock, Cases) {
  RunCases({
      {"v3: dev flag and licenses kept",
       "npm-package-lock",
       {{"/app/package-lock.json",
         R"({"lockfileVersion":3,"packages":{"":{"name":"app","version":"1.0.0"},
             "node_modules/a":{"version":"1.0.0","license":"MIT"},
             "node_modules/b":{"version":"2.0.0","dev":true},
             "node_modules/@s/c":{"version":"3.0.0"},
             "node_modules/a/node_modules/@s/c":{"version":"3.1.0"}}})"}},
       {"npm @s/c@3.0.0 </app/package-lock.json>", "npm @s/c@3.1.0 </app/package-lock.json>",
        "npm a@1.0.0 [MIT] </app/package-lock.json>", "npm b@2.0.0 {npm.dev=true scope=dev} </app/package-lock.json>"},
       ""},
      {"v3: links, workspace folders and the root are skipped; an alias names the real package",
       "npm-package-lock",
       {{"/app/package-lock.json",
         R"({"lockfileVersion":3,"packages":{"":{"name":"app","version":"1.0.0"},
             "packages/lib":{"name":"lib","version":"0.1.0"},
             "node_modules/lib":{"resolved":"packages/lib","link":true},
             "node_modules/old-x":{"name":"x","version":"1.2.3"}}})"}},
       {"npm x@1.2.3 </app/package-lock.json>"},
       ""},
      {"v3: a package both dev and not is not dev-only",
       "npm-package-lock",
       {{"/app/package-lock.json",
         R"({"lockfileVersion":3,"packages":{"node_modules/a":{"version":"1.0.0","dev":true},
             "node_modules/b/node_modules/a":{"version":"1.0.0"}}})"}},
       {"npm a@1.0.0 </app/package-lock.json>"},
       ""},
      {"v1: nested dependencies, npm: aliases, git URLs skipped",
       "npm-package-lock",
       {{"/app/package-lock.json",
         R"({"lockfileVersion":1,"dependencies":{
             "a":{"version":"1.0.0","dependencies":{"b":{"version":"2.0.0","dev":true}}},
             "alias":{"version":"npm:real@3.0.0"},
             "g":{"version":"github:user/g#abc"}}})"}},
       {"npm a@1.0.0 </app/package-lock.json>", "npm b@2.0.0 {npm.dev=true scope=dev} </app/package-lock.json>",
        "npm real@3.0.0 </app/package-lock.json>"},
       ""},
      {"v1: dependencies nested past the cap are a diagnostic",
       "npm-package-lock",
       {{"/app/package-lock.json",
         [] {
           std::string s = R"({"lockfileVersion":1,"dependencies":)";
           for (int i = 0; i < 100; ++i) s += R"({"a":{"version":"1.0.0","dependencies":)";
           s += "{}";
           for (int i = 0; i < 100; ++i) s += "}}";
           return s + "}";
         }()}},
       {"npm a@1.0.0 </app/package-lock.json>"},
       "nested deeper than 64"},
      {"truncated lock is a diagnostic",
       "npm-package-lock",
       {{"/app/package-lock.json", CatalogTestdata("node/package-lock-v3.json").substr(0, 1000)}},
       {},
       "invalid JSON"},
  });
}

TEST(NodeYarnLock, Cases) {
  RunCases({
      {"v1: several specs per header, scoped and aliased names",
       "yarn-lock",
       {{"/app/yarn.lock",
         "# yarn lockfile v1\n\n\n\"@babel/code-frame@^7.0.0\", \"@babel/code-frame@^7.10.4\":\n"
         "  version \"7.12.13\"\n  resolved \"https://r.invalid/x.tgz\"\n  dependencies:\n    x \"^1\"\n\n"
         "string-width-cjs@npm:string-width@^4.2.0:\n  version \"4.2.3\"\n\n"
         "local@file:../local:\n  version \"0.0.1\"\n"}},
       {"npm @babel/code-frame@7.12.13 </app/yarn.lock>", "npm string-width@4.2.3 </app/yarn.lock>"},
       ""},
      {"v1: an alias whose resolved tarball is another package reports the real package",
       "yarn-lock",
       {{"/app/yarn.lock",
         "# yarn lockfile v1\n\n"
         "my-lodash@^4.17.0:\n  version \"4.17.21\"\n"
         "  resolved "
         "\"https://registry.yarnpkg.com/lodash/-/lodash-4.17.21.tgz#679591c564c3bffaae8454cf0b3df370c3d6911c\"\n"
         "  dependencies:\n    version \"^9\"\n    resolved \"^1\"\n\n"
         "types-n@^20:\n  version \"20.1.0\"\n"
         "  resolved \"https://registry.npmjs.org/@types/node/-/node-20.1.0.tgz\"\n\n"
         "enc@^1:\n  version \"1.0.0\"\n  resolved \"https://r.invalid/@s%2fenc/-/enc-1.0.0.tgz\"\n\n"
         "not-a-tarball@^2:\n  version \"2.0.0\"\n  resolved \"https://codeload.invalid/u/r/tar.gz/abc\"\n"}},
       {"npm @s/enc@1.0.0 </app/yarn.lock>", "npm @types/node@20.1.0 </app/yarn.lock>",
        "npm lodash@4.17.21 </app/yarn.lock>", "npm not-a-tarball@2.0.0 </app/yarn.lock>"},
       ""},
      {"v1: a line that is no entry header is a diagnostic with its line",
       "yarn-lock",
       {{"/app/yarn.lock", "# yarn lockfile v1\na@^1:\n  version \"1.0.0\"\ngarbage here\n"}},
       {"npm a@1.0.0 </app/yarn.lock>"},
       "line 4"},
      {"berry: workspace entries and __metadata skipped, patch resolutions named by the package",
       "yarn-lock",
       {{"/app/yarn.lock",
         "__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"
         "\"app@workspace:.\":\n  version: 0.0.0-use.local\n  resolution: \"app@workspace:.\"\n\n"
         "\"resolve@patch:resolve@npm%3A^1.1.7#~builtin<compat/resolve>\":\n  version: 1.22.8\n"
         "  resolution: \"resolve@patch:resolve@npm%3A1.22.8#~builtin<compat/resolve>::version=1.22.8\"\n\n"
         "\"@s/x@npm:^2.0.0, @s/x@npm:^2.1.0\":\n  version: 2.1.0\n  resolution: \"@s/x@npm:2.1.0\"\n"}},
       {"npm @s/x@2.1.0 </app/yarn.lock>", "npm resolve@1.22.8 </app/yarn.lock>"},
       ""},
      {"berry: broken YAML is a diagnostic",
       "yarn-lock",
       {{"/app/yarn.lock", "__metadata:\n  version: 8\n\"a@npm:1\":\n  version: [1, 2\n"}},
       {},
       "YAML"},
      {"binary garbage is a diagnostic",
       "yarn-lock",
       {{"/app/yarn.lock", std::string("\0\x01\x02", 3)}},
       {},
       "binary data"},
  });
}

TEST(NodePnpmLock, Cases) {
  RunCases({
      {"v6: dev flag, peer suffixes stripped",
       "pnpm-lock",
       {{"/app/pnpm-lock.yaml",
         "lockfileVersion: '6.0'\npackages:\n  /a@1.0.0(react@18.2.0):\n    resolution: {integrity: sha512-x}\n"
         "    dev: true\n  /@s/b@2.0.0:\n    resolution: {integrity: sha512-y}\n    dev: false\n"}},
       {"npm @s/b@2.0.0 </app/pnpm-lock.yaml>", "npm a@1.0.0 {npm.dev=true scope=dev} </app/pnpm-lock.yaml>"},
       ""},
      {"v9 with several YAML documents: every document is read",
       "pnpm-lock",
       {{"/app/pnpm-lock.yaml",
         "---\nlockfileVersion: '9.0'\n\nimporters:\n  .:\n    packageManagerDependencies:\n"
         "      pnpm:\n        specifier: 9.15.0\n        version: 9.15.0\n\n"
         "packages:\n  pnpm@9.15.0:\n    resolution: {integrity: sha512-p}\n\n"
         "---\nlockfileVersion: '9.0'\n\nsettings:\n  autoInstallPeers: true\n\n"
         "packages:\n  a@1.0.0:\n    resolution: {integrity: sha512-x}\n"
         "  '@s/b@2.0.0':\n    resolution: {integrity: sha512-y}\n"}},
       {"npm @s/b@2.0.0 </app/pnpm-lock.yaml>", "npm a@1.0.0 </app/pnpm-lock.yaml>",
        "npm pnpm@9.15.0 </app/pnpm-lock.yaml>"},
       ""},
      {"v5: peer suffix after _ stripped; git dependency named by its fields",
       "pnpm-lock",
       {{"/app/pnpm-lock.yaml",
         "lockfileVersion: 5.4\npackages:\n  /a/1.0.0_react@18.2.0:\n    dev: false\n"
         "  /@s/b/2.0.0:\n    dev: false\n"
         "  github.com/u/c/abc123:\n    name: c\n    version: 0.3.0\n    dev: false\n"}},
       {"npm @s/b@2.0.0 </app/pnpm-lock.yaml>", "npm a@1.0.0 </app/pnpm-lock.yaml>",
        "npm c@0.3.0 </app/pnpm-lock.yaml>"},
       ""},
      {"v9: keys without a leading slash",
       "pnpm-lock",
       {{"/app/pnpm-lock.yaml",
         "lockfileVersion: '9.0'\npackages:\n  '@s/b@2.0.0':\n    resolution: {integrity: sha512-y}\n"
         "  a@1.0.0:\n    resolution: {integrity: sha512-x}\nsnapshots:\n  a@1.0.0(p@1.0.0): {}\n"}},
       {"npm @s/b@2.0.0 </app/pnpm-lock.yaml>", "npm a@1.0.0 </app/pnpm-lock.yaml>"},
       ""},
      {"no lockfileVersion: not a pnpm lock",
       "pnpm-lock",
       {{"/app/pnpm-lock.yaml", "just a string\n"}},
       {},
       "no lockfileVersion"},
      {"nesting past the cap is a diagnostic",
       "pnpm-lock",
       {{"/app/pnpm-lock.yaml", "lockfileVersion: '9.0'\nx: " + std::string(200, '[') + std::string(200, ']') + "\n"}},
       {},
       "nested deeper"},
      {"broken YAML is a diagnostic",
       "pnpm-lock",
       {{"/app/pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  a@1.0.0: {\n"}},
       {},
       "YAML"},
  });
}

TEST(NodeCatalog, LayerAttributionAndDeletion) {
  using testing::File;
  using testing::Whiteout;
  testing::TempDir dir;
  auto pj = [](std::string name, std::string version) {
    return R"({"name":")" + name + R"(","version":")" + version + R"("})";
  };
  auto r = testing::ScanLayers(
      dir, {
               {File("app/node_modules/a/package.json", pj("a", "1.0.0")),
                File("app/node_modules/gone/package.json", pj("gone", "1.0.0")),
                File("app/package.json", pj("app", "1.0.0"))},
               {File("app/node_modules/@s/b/package.json", pj("@s/b", "2.0.0")), Whiteout("app/node_modules", "gone"),
                File("app/pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  c@3.0.0: {}\n")},
           });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory);
  std::vector<std::string> got;
  for (const auto& p : r->inventory->packages) {
    got.push_back(p.purl + " layer " + std::to_string(p.layer_index) + " " + p.evidence.at(0).cataloger);
  }
  EXPECT_EQ(got,
            (std::vector<std::string>{"pkg:npm/%40s/b@2.0.0 layer 1 npm-package", "pkg:npm/a@1.0.0 layer 0 npm-package",
                                      "pkg:npm/c@3.0.0 layer 1 pnpm-lock"}));
  EXPECT_TRUE(r->inventory->diagnostics.empty());
}

TEST(NodeCatalog, AFileOverTheSizeLimitIsReportedNotRead) {
  using testing::File;
  testing::TempDir dir;
  // A valid package.json padded past the 4 MiB metadata limit.
  const std::string huge = R"({"name":"big","version":"1.0.0","description":")" + std::string(4 << 20, 'x') + R"("})";
  auto r = testing::ScanLayers(
      dir, {{File("app/node_modules/big/package.json", huge),
             File("app/node_modules/small/package.json", R"({"name":"small","version":"1.0.0"})")}});
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory);
  EXPECT_EQ(NameVersions(r->inventory->packages), (std::vector<std::string>{"small@1.0.0"}));
  bool reported = false;
  for (const auto& d : r->diagnostics) {
    // The layer pipeline names the layer before the path.
    reported |=
        d.where.ends_with(" /app/node_modules/big/package.json") && d.message.find("larger than") != std::string::npos;
  }
  EXPECT_TRUE(reported);
}

}  // namespace
}  // namespace drydock
