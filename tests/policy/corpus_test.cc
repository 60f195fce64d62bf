// Replays fuzz/corpus/policy (the hostile seeds and any regress-* files the
// fuzzer found) through the parsers as fuzz/fuzz_policy.cc does: the first
// byte picks the parser. Every input must end in a value or in one
// printable line naming the file, quickly.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "policy/internal.h"

namespace drydock::policy {
namespace {

namespace fs = std::filesystem;

void CheckError(const Error& e, const std::string& name) {
  EXPECT_EQ(e.kind, Error::Kind::kInput) << e.message;
  EXPECT_EQ(e.message.find('\n'), std::string::npos) << e.message;
  EXPECT_LE(e.message.size(), 1000u);
  EXPECT_EQ(e.message.rfind(name, 0), 0u) << e.message;
}

TEST(PolicyCorpus, EverySeedEndsInAValueOrOneLine) {
  const fs::path dir = fs::path(DRYDOCK_SOURCE_DIR) / "fuzz" / "corpus" / "policy";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  int files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    SCOPED_TRACE(entry.path().filename().string());
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string bytes = ss.str();
    if (bytes.empty()) continue;
    ++files;
    const std::string_view data = std::string_view(bytes).substr(1);
    const auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> warnings;
    switch (static_cast<unsigned char>(bytes[0]) % 5) {
      case 0: {
        auto r = ParseIgnoreFile(data, "f.ignore", Date{2024, 6, 1}, warnings);
        if (!r.ok()) CheckError(r.error(), "f.ignore");
        break;
      }
      case 1: {
        auto r = ParsePolicyFile(data, "p.yaml", Date{2024, 6, 1}, warnings);
        if (!r.ok()) CheckError(r.error(), "p.yaml");
        break;
      }
      case 2: {
        VexSet set;
        const Status s = AddVexDocument(set, data, "v.json");
        if (!s.ok()) CheckError(s.error(), "v.json");
        break;
      }
      default: {
        auto p = ParsePurl(data.substr(0, data.find('\0')));
        if (!p.ok()) {
          EXPECT_EQ(p.error().message.find('\n'), std::string::npos);
        }
        break;
      }
    }
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  }
  EXPECT_GE(files, 10);
}

}  // namespace
}  // namespace drydock::policy
