// The uv.lock and pdm.lock catalogers (uv.cc, pdm.cc): fixtures written
// from uv's and PDM's lock-file documentation.
#include <gtest/gtest.h>

#include "catalog/lang_test_util.h"
#include "catalog/purl_util.h"

namespace drydock {
namespace {

using testing::CatalogTestdata;
using testing::RunCases;

TEST(UvLock, Cases) {
  RunCases({
      {"registry, git and the project itself (editable / virtual kept, marked local)",
       "python-uv-lock",
       {{"/app/uv.lock", CatalogTestdata("formats/uv.lock")}},
       {"pypi anyio@4.8.0 </app/uv.lock>", "pypi certifi@2025.1.31 </app/uv.lock>",
        "pypi demo@0.1.0 {python.local=true} </app/uv.lock>", "pypi idna@3.10 </app/uv.lock>",
        "pypi mylib@0.2.0 {python.source=git} </app/uv.lock>", "pypi pytest@8.3.4 </app/uv.lock>",
        "pypi sniffio@1.3.1 </app/uv.lock>", "pypi tools@0.0.1 {python.local=true} </app/uv.lock>"},
       ""},
      {"broken TOML is one diagnostic naming the line",
       "python-uv-lock",
       {{"/app/uv.lock", "version = 1\n[[package]]\nname = \"a\nversion = \"1\"\n"}},
       {},
       "uv.lock: line"},
  });
}

TEST(UvLock, Purl) {
  EXPECT_EQ(testing::PurlsOf("python-uv-lock", {{"/app/uv.lock",
                                                 "[[package]]\nname = \"Flask_Cors\"\nversion = "
                                                 "\"5.0.0\"\nsource = { registry = \"x\" }\n"}}),
            std::vector<std::string>{"pkg:pypi/flask-cors@5.0.0"});
}

TEST(PdmLock, Cases) {
  RunCases({
      {"groups: a package only dev groups need is marked dev; default wins",
       "python-pdm-lock",
       {{"/app/pdm.lock", CatalogTestdata("formats/pdm.lock")}},
       {"pypi certifi@2024.8.30 </app/pdm.lock>", "pypi colorama@0.4.6 {python.dev=true scope=dev} </app/pdm.lock>",
        "pypi iniconfig@2.0.0 {python.dev=true scope=dev} </app/pdm.lock>",
        "pypi pytest@8.3.3 {python.dev=true scope=dev} </app/pdm.lock>", "pypi requests@2.32.3 </app/pdm.lock>",
        "pypi urllib3@2.2.3 </app/pdm.lock>"},
       ""},
      {"the same distribution once per extra set: a runtime entry clears dev",
       "python-pdm-lock",
       {{"/app/pdm.lock",
         "[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = [\"dev\"]\n\n"
         "[[package]]\nname = \"a\"\nversion = \"1\"\ngroups = [\"default\"]\n"}},
       {"pypi a@1 </app/pdm.lock>"},
       ""},
  });
}

}  // namespace
}  // namespace drydock
