// .NET cataloger: *.deps.json.
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

TEST(DotnetDepsJson, Cases) {
  struct Case {
    std::string name;
    std::string path, content;
    std::vector<std::string> want;  // Describe() lines, sorted
    std::string want_diag;          // substring of the one diagnostic, "" for none
  };
  const Case cases[] = {
      {"packages only; projects and references left out",
       "/app/WebApp.deps.json",
       CatalogTestdata("dotnet/WebApp.deps.json"),
       {"nuget Newtonsoft.Json@13.0.3 </app/WebApp.deps.json>",
        "nuget Serilog.AspNetCore@8.0.1 </app/WebApp.deps.json>", "nuget Serilog@3.1.1 </app/WebApp.deps.json>"},
       ""},
      {"a library key without a version is skipped",
       "/app/x.deps.json",
       R"({"libraries":{"NoVersion":{"type":"package"},"A/1.0.0":{"type":"package"},"B/2.0.0":{"type":7}}})",
       {"nuget A@1.0.0 </app/x.deps.json>"},
       ""},
      {"no libraries object is a diagnostic", "/app/x.deps.json", R"({"targets":{}})", {}, "no \"libraries\" object"},
      {"truncated is a diagnostic",
       "/app/WebApp.deps.json",
       CatalogTestdata("dotnet/WebApp.deps.json").substr(0, 2000),
       {},
       "invalid JSON"},
      {"binary garbage is a diagnostic", "/app/x.deps.json", std::string("MZ\x90\0\x03\0", 6), {}, "invalid JSON"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CatalogOutput out = RunCollect("dotnet-deps", {{c.path, c.content}});
    EXPECT_EQ(DescribeAll(out.packages), c.want);
    testing::ExpectDiagnostics(out.diagnostics, c.path, c.want_diag);
  }
}

TEST(DotnetCatalog, LayerAttributionAndDeletion) {
  using testing::File;
  using testing::Whiteout;
  testing::TempDir dir;
  const std::string deps = CatalogTestdata("dotnet/WebApp.deps.json");
  auto r = testing::ScanLayers(dir, {
                                        {File("app/Old.deps.json", deps)},
                                        {Whiteout("app", "Old.deps.json")},
                                        {File("app/WebApp.deps.json", deps)},
                                    });
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_TRUE(r->inventory);
  std::vector<std::string> got;
  for (const auto& p : r->inventory->packages) {
    got.push_back(p.purl + " layer " + std::to_string(p.layer_index) + " " + p.evidence.at(0).path);
  }
  EXPECT_EQ(got, (std::vector<std::string>{"pkg:nuget/Newtonsoft.Json@13.0.3 layer 2 /app/WebApp.deps.json",
                                           "pkg:nuget/Serilog@3.1.1 layer 2 /app/WebApp.deps.json",
                                           "pkg:nuget/Serilog.AspNetCore@8.0.1 layer 2 /app/WebApp.deps.json"}));
}

}  // namespace
}  // namespace drydock
