// The NuGet packages.lock.json cataloger (nuget_lock.cc): a fixture written
// from NuGet's lock-file documentation.
#include <gtest/gtest.h>

#include "catalog/lang_test_util.h"
#include "catalog/purl_util.h"

namespace drydock {
namespace {

using testing::CatalogTestdata;
using testing::RunCases;

TEST(NugetPackagesLock, Cases) {
  const std::string at = " </src/App/packages.lock.json>";
  RunCases({
      {"every framework and runtime; projects skipped; direct ones marked",
       "nuget-packages-lock",
       {{"/src/App/packages.lock.json", CatalogTestdata("formats/packages.lock.json")}},
       {"nuget Microsoft.NETCore.App.Runtime.linux-x64@8.0.6 {nuget.direct=true}" + at,
        "nuget Newtonsoft.Json@13.0.3 {nuget.direct=true}" + at,
        "nuget Serilog.Sinks.Console@5.0.1 {nuget.direct=true}" + at, "nuget Serilog@3.1.1" + at},
       ""},
      {"no dependencies object is a diagnostic",
       "nuget-packages-lock",
       {{"/src/App/packages.lock.json", "{\"version\": 1}"}},
       {},
       "no \"dependencies\""},
      {"not JSON is a diagnostic",
       "nuget-packages-lock",
       {{"/src/App/packages.lock.json", "{"}},
       {},
       "packages.lock.json"},
  });
  EXPECT_EQ(testing::PurlsOf(
                "nuget-packages-lock",
                {{"/p/packages.lock.json",
                  R"({"dependencies": {"net8.0": {"Newtonsoft.Json": {"type": "Direct", "resolved": "13.0.3"}}}})"}}),
            std::vector<std::string>{"pkg:nuget/Newtonsoft.Json@13.0.3"});
}

}  // namespace
}  // namespace drydock
