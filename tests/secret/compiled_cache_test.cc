// The compiled rule database kept in the cache dir: a second engine loads
// what the first stored and finds the same secrets; damaged, truncated or
// foreign files are compiled anew; a cache dir that cannot be written is not
// an error.
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "secret/compiled_cache.h"
#include "secret/config.h"
#include "secret/engine.h"

namespace drydock::secret {
namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    char tmpl[] = "/tmp/drydock-hsdb-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~TempDir() { fs::remove_all(path); }
};

// The compiled databases in `dir` (value.key, the secret digests' key, sits
// beside them).
std::vector<fs::path> Entries(const fs::path& dir) {
  std::vector<fs::path> out;
  if (!fs::exists(dir)) return out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename() != "value.key") out.push_back(e.path());
  }
  return out;
}

std::string Slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}
ino_t Inode(const fs::path& p) {
  struct stat st {};
  EXPECT_EQ(stat(p.c_str(), &st), 0);
  return st.st_ino;
}
void Spit(const fs::path& p, const std::string& bytes) { std::ofstream(p, std::ios::binary | std::ios::trunc) << bytes; }

// Several kinds, so a wrong database would show as a different result.
const std::string kText =
    "token = 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\n"
    "aws_access_key_id = AKIAQ2WSXCDE3RFVBGT5\n"
    "aws_secret_access_key = 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\n"
    "SLACK=xoxb-2846201937-5729164830-Qm8Rt2Vx7Kp4Lz9Nw3Hc6Jd\n";

std::vector<std::string> Found(const Engine& e) {
  std::vector<std::string> out;
  for (const Match& m : e.Scan(kText, "/app/.env").matches) {
    out.push_back(e.rules()[m.rule].id + "@" + std::to_string(m.begin));
  }
  return out;
}

PatternSet Patterns(const char* expr, unsigned flags, unsigned id) { return PatternSet{{expr}, {flags}, {id}}; }

hs_database_t* Compile(const PatternSet& p) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  EXPECT_EQ(hs_compile_multi(p.expressions.data(), p.flags.data(), p.ids.data(), 1, HS_MODE_BLOCK, nullptr, &db, &err),
            HS_SUCCESS);
  return db;
}

TEST(CompiledCache, ASecondEngineLoadsTheStoredDatabaseAndFindsTheSameSecrets) {
  TempDir dir;
  auto uncached = Engine::Create(Config{});
  ASSERT_TRUE(uncached.ok()) << uncached.error().message;
  const auto want = Found(**uncached);
  ASSERT_GE(want.size(), 3u);

  auto first = Engine::Create(Config{}, dir.path.string());
  ASSERT_TRUE(first.ok()) << first.error().message;
  // The rules' database and the built-in allow paths' one.
  const auto stored = Entries(dir.path);
  ASSERT_EQ(stored.size(), 2u);
  std::vector<ino_t> inodes;
  for (const auto& p : stored) {
    EXPECT_EQ(p.extension(), ".hsdb");
    inodes.push_back(Inode(p));
  }

  auto second = Engine::Create(Config{}, dir.path.string());
  ASSERT_TRUE(second.ok()) << second.error().message;
  EXPECT_EQ(Entries(dir.path).size(), 2u);
  EXPECT_EQ(Found(**first), want);
  EXPECT_EQ(Found(**second), want);
  // Loaded, not rewritten (a rewrite renames a new file into place).
  for (size_t i = 0; i < stored.size(); ++i) EXPECT_EQ(Inode(stored[i]), inodes[i]) << stored[i];
}

TEST(CompiledCache, OtherRulesGetTheirOwnEntry) {
  TempDir dir;
  ASSERT_TRUE(Engine::Create(Config{}, dir.path.string()).ok());
  Config cfg;
  cfg.disable = {"github-pat"};
  auto fewer = Engine::Create(cfg, dir.path.string());
  ASSERT_TRUE(fewer.ok()) << fewer.error().message;
  EXPECT_EQ(Entries(dir.path).size(), 3u) << "two rule sets, one allow-path database";
  for (const auto& f : Found(**fewer)) EXPECT_FALSE(f.starts_with("github-pat@")) << f;
}

TEST(CompiledCache, KeyCoversExpressionFlagsIdAndMode) {
  const std::string base = CompiledKey(Patterns("abc[0-9]+", HS_FLAG_MULTILINE, 0), HS_MODE_BLOCK);
  EXPECT_EQ(base.size(), 64u);
  EXPECT_EQ(base, CompiledKey(Patterns("abc[0-9]+", HS_FLAG_MULTILINE, 0), HS_MODE_BLOCK));
  EXPECT_NE(base, CompiledKey(Patterns("abc[0-9]*", HS_FLAG_MULTILINE, 0), HS_MODE_BLOCK));
  EXPECT_NE(base, CompiledKey(Patterns("abc[0-9]+", HS_FLAG_CASELESS, 0), HS_MODE_BLOCK));
  EXPECT_NE(base, CompiledKey(Patterns("abc[0-9]+", HS_FLAG_MULTILINE, 1), HS_MODE_BLOCK));
  EXPECT_NE(base, CompiledKey(Patterns("abc[0-9]+", HS_FLAG_MULTILINE, 0), HS_MODE_STREAM));
}

TEST(CompiledCache, DamagedTruncatedOrForeignFilesAreNotLoaded) {
  TempDir dir;
  const PatternSet p = Patterns("secret_[a-z]{8}", HS_FLAG_MULTILINE, 0);
  const std::string key = CompiledKey(p, HS_MODE_BLOCK);
  hs_database_t* db = Compile(p);
  ASSERT_NE(db, nullptr);
  StoreCompiled(dir.path.string(), key, db);
  hs_free_database(db);
  const fs::path file = dir.path / (key + ".hsdb");
  const std::string good = Slurp(file);
  ASSERT_GT(good.size(), 200u);

  hs_database_t* loaded = LoadCompiled(dir.path.string(), key);
  EXPECT_NE(loaded, nullptr);
  hs_free_database(loaded);
  EXPECT_EQ(LoadCompiled(dir.path.string(), std::string(64, '0')), nullptr) << "another key";

  std::string flipped = good;
  flipped[flipped.size() - 40] ^= 0x5a;
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"a payload byte flipped", flipped},
      {"truncated", good.substr(0, good.size() / 2)},
      {"header only", good.substr(0, 100)},
      {"empty", ""},
      {"another magic", "drydock compiled secret rules 9\n" + good.substr(32)},
      {"not ours", std::string(4096, 'x')},
  };
  for (const auto& [name, bytes] : bad) {
    Spit(file, bytes);
    EXPECT_EQ(LoadCompiled(dir.path.string(), key), nullptr) << name;
  }
}

TEST(CompiledCache, ADamagedEntryIsCompiledAndRewritten) {
  TempDir dir;
  ASSERT_TRUE(Engine::Create(Config{}, dir.path.string()).ok());
  const fs::path file = Entries(dir.path).at(0);
  std::string bytes = Slurp(file);
  bytes.resize(bytes.size() - 1000);
  Spit(file, bytes);
  auto again = Engine::Create(Config{}, dir.path.string());
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_GE(Found(**again).size(), 3u);
  EXPECT_GT(Slurp(file).size(), bytes.size()) << "rewritten whole";
}

TEST(CompiledCache, AnUnwritableCacheDirIsNotAnError) {
  TempDir dir;
  const fs::path not_a_dir = dir.path / "file";
  Spit(not_a_dir, "x");
  auto e = Engine::Create(Config{}, (not_a_dir / "secret").string());
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_GE(Found(**e).size(), 3u);
}

TEST(CompiledCache, KeepsTheNewestEightEntries) {
  TempDir dir;
  for (int i = 0; i < 11; ++i) {
    const std::string expr = "k" + std::to_string(i) + "_[a-z]{6}";
    const PatternSet p = Patterns(expr.c_str(), 0, 0);
    hs_database_t* db = Compile(p);
    ASSERT_NE(db, nullptr);
    StoreCompiled(dir.path.string(), CompiledKey(p, HS_MODE_BLOCK), db);
    hs_free_database(db);
    // Distinct modification times for the pruning order.
    fs::last_write_time(dir.path / (CompiledKey(p, HS_MODE_BLOCK) + ".hsdb"),
                        fs::file_time_type::clock::now() - std::chrono::minutes(60 - i));
  }
  EXPECT_EQ(Entries(dir.path).size(), 8u);
  const std::string newest = "k10_[a-z]{6}";
  EXPECT_TRUE(fs::exists(dir.path / (CompiledKey(Patterns(newest.c_str(), 0, 0), HS_MODE_BLOCK) + ".hsdb")));
}

}  // namespace
}  // namespace drydock::secret
