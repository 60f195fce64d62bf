// Digest parsing (the gate that keeps "../" out of blob paths) and SHA-256.
#include "base/digest.h"

#include <gtest/gtest.h>

#include <string>

namespace drydock {
namespace {

const std::string kHex64 = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

TEST(DigestParse, Cases) {
  struct Case {
    std::string name;
    std::string input;
    bool ok;
    std::string want_hex;  // when ok
  };
  const Case cases[] = {
      {"valid sha256", "sha256:" + kHex64, true, kHex64},
      {"upper-case hex refused", "sha256:BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD", false, ""},
      {"one digit short refused", "sha256:" + kHex64.substr(1), false, ""},
      {"one digit long refused", "sha256:" + kHex64 + "0", false, ""},
      {"sha512 refused", "sha512:" + kHex64 + kHex64, false, ""},
      {"path traversal refused", "sha256:../../x", false, ""},
      {"traversal padded to 64 chars refused", "sha256:../../" + std::string(58, 'a'), false, ""},
      {"no algorithm refused", kHex64, false, ""},
      {"empty refused", "", false, ""},
      {"non-hex letter refused", "sha256:" + kHex64.substr(0, 63) + "g", false, ""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto d = Digest::Parse(c.input);
    ASSERT_EQ(d.ok(), c.ok) << (d.ok() ? d->str() : d.error().message);
    if (c.ok) {
      EXPECT_EQ(d->algorithm, "sha256");
      EXPECT_EQ(d->hex, c.want_hex);
      EXPECT_EQ(d->str(), c.input);
    } else {
      EXPECT_EQ(d.error().kind, Error::Kind::kInput);
    }
  }
}

TEST(Sha256, KnownVectors) {
  struct Case {
    std::string name;
    std::string input;
    std::string want_hex;
  };
  const Case cases[] = {
      {"abc (FIPS 180-2)", "abc", kHex64},
      {"empty", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Sha256Of(c.input).str(), "sha256:" + c.want_hex);
  }
}

TEST(Sha256, IncrementalUpdatesEqualOneShot) {
  Sha256 h;
  h.Update("a");
  h.Update("");
  h.Update("bc");
  EXPECT_EQ(h.Finish(), Sha256Of("abc"));
}

TEST(Digest, ShortStrAndEmpty) {
  struct Case {
    std::string name;
    Digest d;
    std::string want_str;
    std::string want_short;
  };
  const Case cases[] = {
      {"empty digest", Digest{}, "", "(none)"},
      {"full digest", Digest{"sha256", kHex64}, "sha256:" + kHex64, "sha256:ba7816bf8f01"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(c.d.str(), c.want_str);
    EXPECT_EQ(c.d.short_str(), c.want_short);
  }
}

}  // namespace
}  // namespace drydock
