// The bun.lock cataloger (bun.cc): a fixture written from Bun's lock-file
// documentation (text JSONC format, bun >= 1.2).
#include <gtest/gtest.h>

#include "catalog/lang_test_util.h"
#include "catalog/purl_util.h"

namespace drydock {
namespace {

using testing::CatalogTestdata;
using testing::RunCases;

TEST(BunLock, Cases) {
  const std::string at = " </app/bun.lock>";
  const std::string dev = " {npm.dev=true scope=dev}" + at;
  RunCases({
      {"JSONC, aliases by the real name, nested installs, workspaces and git skipped, dev-only marked",
       "bun-lock",
       {{"/app/bun.lock", CatalogTestdata("formats/bun.lock")}},
       {"npm @types/react@18.3.3" + at, "npm axios@1.6.0" + at, "npm csstype@3.1.3" + at, "npm debug@4.3.4" + dev,
        "npm eslint@9.0.0" + dev, "npm follow-redirects@1.15.6" + at, "npm lodash@4.17.21" + at, "npm ms@2.1.2" + dev,
        "npm typescript@5.4.5" + dev},
       ""},
      {"an unterminated comment is a diagnostic",
       "bun-lock",
       {{"/app/bun.lock", "{\"packages\": {} /* x"}},
       {},
       "unterminated"},
      {"no packages object is a diagnostic",
       "bun-lock",
       {{"/app/bun.lock", "{\"lockfileVersion\": 1,}"}},
       {},
       "no \"packages\""},
      {"a comment marker inside a string is text",
       "bun-lock",
       {{"/app/bun.lock", "{\"packages\": {\"a\": [\"a@1.0.0\", \"http://x//y\", {}, \"s\"],},}"}},
       {"npm a@1.0.0" + at},
       ""},
  });
}

TEST(BunLock, Purl) {
  EXPECT_EQ(
      testing::PurlsOf("bun-lock", {{"/app/bun.lock", "{\"packages\": {\"@types/node\": [\"@types/node@20.1.0\"]}}"}}),
      std::vector<std::string>{"pkg:npm/%40types/node@20.1.0"});
}

}  // namespace
}  // namespace drydock
