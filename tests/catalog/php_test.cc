// PHP catalogers: composer.lock and vendor/composer/installed.json.
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

using Case = testing::CollectCase;

TEST(PhpComposer, Cases) {
  const std::string lock = " </app/composer.lock>";
  const std::string inst = " </app/vendor/composer/installed.json>";
  const Case cases[] = {
      {"composer.lock: packages and packages-dev, vendor as namespace",
       "composer-lock",
       {{"/app/composer.lock", CatalogTestdata("php/composer.lock")}},
       {"composer guzzlehttp/guzzle@7.9.2 [MIT]" + lock, "composer monolog/monolog@3.7.0 [MIT]" + lock,
        "composer phpunit/phpunit@10.5.29 [BSD-3-Clause] {composer.dev=true scope=dev}" + lock,
        "composer psr/log@3.0.0 [MIT]" + lock,
        "composer sebastian/diff@5.1.1 [BSD-3-Clause] {composer.dev=true scope=dev}" + lock,
        "composer symfony/polyfill-mbstring@v1.30.0 [MIT]" + lock},
       ""},
      {"composer.lock: entries without vendor/ or version skipped",
       "composer-lock",
       {{"/app/composer.lock",
         R"({"packages":[{"name":"novendor","version":"1"},{"name":"a/b"},{"name":"/x","version":"1"},
            {"name":"a/c","version":"2.0.0","license":"MIT"}]})"}},
       {"composer a/c@2.0.0 [MIT]" + lock},
       ""},
      {"composer.lock: no packages array is a diagnostic",
       "composer-lock",
       {{"/app/composer.lock", R"({"_readme":[]})"}},
       {},
       "no \"packages\" array"},
      {"composer.lock: truncated is a diagnostic",
       "composer-lock",
       {{"/app/composer.lock", CatalogTestdata("php/composer.lock").substr(0, 400)}},
       {},
       "invalid JSON"},
      {"installed.json v2: dev-package-names marked",
       "composer-installed",
       {{"/app/vendor/composer/installed.json", CatalogTestdata("php/installed.json")}},
       {"composer monolog/monolog@3.7.0 [MIT]" + inst, "composer psr/log@3.0.0 [MIT]" + inst,
        "composer sebastian/diff@5.1.1 [BSD-3-Clause] {composer.dev=true scope=dev}" + inst},
       ""},
      {"installed.json v1: a plain array, license as a string",
       "composer-installed",
       {{"/app/vendor/composer/installed.json", CatalogTestdata("php/installed-v1.json")}},
       {"composer doctrine/inflector@2.0.10 [MIT]" + inst, "composer psr/container@1.1.2 [MIT]" + inst},
       ""},
      {"installed.json outside a composer/ folder is not Composer's",
       "composer-installed",
       {{"/app/data/installed.json", CatalogTestdata("php/installed.json")}},
       {},
       ""},
      {"installed.json of another shape is a diagnostic",
       "composer-installed",
       {{"/app/vendor/composer/installed.json", R"({"installed": true})"}},
       {},
       "neither an array nor an object"},
      {"installed.json binary garbage is a diagnostic",
       "composer-installed",
       {{"/app/vendor/composer/installed.json", std::string("\xff\xd8\xff\xe0\0\x10JFIF", 10)}},
       {},
       "invalid JSON"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CatalogOutput out = RunCollect(c.cataloger, c.files);
    EXPECT_EQ(DescribeAll(out.packages), c.want);
    testing::ExpectDiagnostics(out.diagnostics, c.files.begin()->first, c.want_diag);
  }
}

TEST(PhpCatalog, LayerAttributionAndDeletion) {
  using testing::File;
  using testing::Whiteout;
  testing::TempDir dir;
  auto r = testing::ScanLayers(
      dir, {
               {File("app/composer.lock", R"({"packages":[{"name":"a/old","version":"1.0.0"}]})"),
                File("app/vendor/composer/installed.json", R"([{"name":"a/b","version":"1.0.0"}])")},
               {Whiteout("app", "composer.lock")},
           });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory);
  std::vector<std::string> got;
  for (const auto& p : r->inventory->packages) got.push_back(p.purl + " layer " + std::to_string(p.layer_index));
  EXPECT_EQ(got, (std::vector<std::string>{"pkg:composer/a/b@1.0.0 layer 0"}));
}

}  // namespace
}  // namespace drydock
