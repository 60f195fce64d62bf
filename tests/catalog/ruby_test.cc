// Ruby catalogers: installed gemspecs and Gemfile.lock.
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

using testing::RunCases;

TEST(RubyGemspec, Cases) {
  const std::string gems = "/var/lib/gems/3.1.0/specifications/";
  RunCases({
      {"generated gemspec: name, version, licenses",
       "gemspec",
       {{gems + "rack-2.2.22.gemspec", CatalogTestdata("ruby/rack-2.2.22.gemspec")}},
       {"gem rack@2.2.22 [MIT] <" + gems + "rack-2.2.22.gemspec>"},
       ""},
      {"default gem shipped with Ruby",
       "gemspec",
       {{gems + "default/json-2.6.1.gemspec", CatalogTestdata("ruby/json-2.6.1.gemspec")}},
       {"gem json@2.6.1 [Ruby] <" + gems + "default/json-2.6.1.gemspec>"},
       ""},
      {"native gem: platform kept as metadata, single license, other receiver name",
       "gemspec",
       {{gems + "nokogiri-1.16.6-x86_64-linux.gemspec",
         "Gem::Specification.new do |spec|\n  spec.name = \"nokogiri\".freeze\n  spec.version = \"1.16.6\"\n"
         "  spec.platform = \"x86_64-linux\".freeze\n  spec.license = 'MIT'\n"
         "  spec.required_rubygems_version = Gem::Requirement.new(\">= 3.3.22\".freeze)\nend\n"}},
       {"gem nokogiri@1.16.6 [MIT] {gem.platform=x86_64-linux} <" + gems + "nokogiri-1.16.6-x86_64-linux.gemspec>"},
       ""},
      {"a gemspec outside specifications/ is a project's, not installed",
       "gemspec",
       {{"/src/app/app.gemspec", CatalogTestdata("ruby/rack-2.2.22.gemspec")}},
       {},
       ""},
      {"no name assignment is a diagnostic",
       "gemspec",
       {{gems + "x.gemspec", "Gem::Specification.new do |s|\n  s.version = \"1\"\nend\n"}},
       {},
       "no name assignment"},
      {"binary garbage is a diagnostic",
       "gemspec",
       {{gems + "x.gemspec", std::string("\x04\x08[\0\0", 5)}},
       {},
       "binary data"},
  });
}

TEST(RubyGemfileLock, Cases) {
  RunCases({
      {"Gemfile.lock written by bundler 2.3",
       "gemfile-lock",
       {{"/app/Gemfile.lock", CatalogTestdata("ruby/Gemfile.lock")}},
       {"gem json@2.6.1 </app/Gemfile.lock>", "gem rack@2.2.22 </app/Gemfile.lock>",
        "gem rake@13.0.6 </app/Gemfile.lock>", "gem webrick@1.8.1 </app/Gemfile.lock>"},
       ""},
      {"GEM and GIT specs, platform variants, PATH and dependency lines left out",
       "gemfile-lock",
       {{"/app/Gemfile.lock", CatalogTestdata("ruby/Gemfile-rails.lock")}},
       {"gem actionpack@7.1.3.4 </app/Gemfile.lock>", "gem fugit@1.11.0 </app/Gemfile.lock>",
        "gem mini_portile2@2.8.7 </app/Gemfile.lock>", "gem nokogiri@1.16.6 </app/Gemfile.lock>",
        "gem pg@1.5.6 </app/Gemfile.lock>", "gem racc@1.8.0 </app/Gemfile.lock>",
        "gem rack-test@2.1.0 </app/Gemfile.lock>", "gem rack@3.1.7 </app/Gemfile.lock>",
        "gem rails@7.1.3.4 </app/Gemfile.lock>", "gem sidekiq-cron@1.12.0 {gem.source=git} </app/Gemfile.lock>"},
       ""},
      {"only a platform-specific variant: the platform is metadata",
       "gemfile-lock",
       {{"/app/Gemfile.lock", "GEM\n  remote: https://r.invalid/\n  specs:\n    ffi (1.17.0-x86_64-linux-gnu)\n"}},
       {"gem ffi@1.17.0 {gem.platform=x86_64-linux-gnu} </app/Gemfile.lock>"},
       ""},
      {"a malformed spec line is a diagnostic with its line",
       "gemfile-lock",
       {{"/app/Gemfile.lock", "GEM\n  specs:\n    rack 3.1.7\n"}},
       {},
       "line 3"},
      {"indented text before any section is a diagnostic",
       "gemfile-lock",
       {{"/app/Gemfile.lock", "    rack (1.0)\n"}},
       {},
       "line 1"},
      {"empty file is a diagnostic", "gemfile-lock", {{"/app/Gemfile.lock", ""}}, {}, "no sections"},
  });
}

TEST(RubyCatalog, LayerAttributionAndDeletion) {
  using testing::File;
  using testing::Whiteout;
  testing::TempDir dir;
  auto spec = [](std::string name) {
    return "Gem::Specification.new do |s|\n  s.name = \"" + name + "\"\n  s.version = \"1.0\"\nend\n";
  };
  auto r = testing::ScanLayers(dir, {
                                        {File("usr/local/bundle/specifications/a-1.0.gemspec", spec("a")),
                                         File("usr/local/bundle/specifications/gone-1.0.gemspec", spec("gone"))},
                                        {Whiteout("usr/local/bundle/specifications", "gone-1.0.gemspec"),
                                         File("app/Gemfile.lock", "GEM\n  specs:\n    b (2.0)\n")},
                                    });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory);
  std::vector<std::string> got;
  for (const auto& p : r->inventory->packages) got.push_back(p.purl + " layer " + std::to_string(p.layer_index));
  EXPECT_EQ(got, (std::vector<std::string>{"pkg:gem/a@1.0 layer 0", "pkg:gem/b@2.0 layer 1"}));
}

}  // namespace
}  // namespace drydock
