// drydock.yaml and the global flags' values: sizes (--cache-max-size) and
// the layer cache keys of the config file.
#include "cli/config.h"

#include <gtest/gtest.h>

namespace drydock {
namespace {

TEST(ParseSize, AcceptsBytesAndBinaryUnits) {
  struct Case {
    std::string in;
    int64_t want;
  };
  const Case cases[] = {
      {"0", 0},
      {"1048576", 1048576},
      {"10k", 10 << 10},
      {"10K", 10 << 10},
      {"500M", int64_t{500} << 20},
      {"500MB", int64_t{500} << 20},
      {"500MiB", int64_t{500} << 20},
      {"2G", int64_t{2} << 30},
      {"2gib", int64_t{2} << 30},
      {"1T", int64_t{1} << 40},
      {"77B", 77},
  };
  for (const auto& c : cases) {
    auto got = ParseSize(c.in);
    ASSERT_TRUE(got.ok()) << c.in << ": " << got.error().message;
    EXPECT_EQ(*got, c.want) << c.in;
  }
}

TEST(ParseSize, RefusesWhatIsNotASize) {
  for (const std::string in : {"", "G", "12x", "1.5G", "-1", "2 G", "10GG", "99999999999999999", "8388608T"}) {
    auto got = ParseSize(in);
    ASSERT_FALSE(got.ok()) << in;
    EXPECT_NE(got.error().message.find("size"), std::string::npos) << got.error().message;
  }
}

TEST(ParseConfig, ReadsTheLayerCacheKeys) {
  auto cfg = ParseConfig("no-cache: true\ncache-max-size: 500M\n", "drydock.yaml");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_TRUE(cfg->no_cache);
  EXPECT_EQ(cfg->cache_max_bytes, int64_t{500} << 20);
  auto defaults = ParseConfig("", "drydock.yaml");
  ASSERT_TRUE(defaults.ok());
  EXPECT_FALSE(defaults->no_cache);
  EXPECT_EQ(defaults->cache_max_bytes, kDefaultLayerCacheBytes);
  auto bad = ParseConfig("cache-max-size: lots\n", "drydock.yaml");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("drydock.yaml: cache-max-size"), std::string::npos) << bad.error().message;
}

}  // namespace
}  // namespace drydock
