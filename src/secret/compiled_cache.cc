#include "secret/compiled_cache.h"

#include <fcntl.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <system_error>

#include <fmt/format.h>

#include "base/digest.h"

namespace drydock::secret {

namespace {

namespace fs = std::filesystem;

// File layout: this line, the SHA-256 (hex) of the payload and a newline,
// then hs_serialize_database's bytes.
constexpr std::string_view kMagic = "drydock compiled secret rules 1\n";
constexpr size_t kHexLen = 64;
// The built-in rules serialize to a few MiB; anything far larger is not ours.
constexpr uintmax_t kMaxFile = 256u << 20;
// Entries kept: the built-in rules plus a few user rule files.
constexpr size_t kKeep = 8;
constexpr std::string_view kSuffix = ".hsdb";

fs::path EntryPath(const std::string& dir, const std::string& key) { return fs::path(dir) / (key + ".hsdb"); }

// Removes the oldest entries beyond kKeep, and temporary files a killed
// writer left (older than an hour).
void Prune(const fs::path& dir) {
  std::error_code ec;
  std::vector<std::pair<fs::file_time_type, fs::path>> entries;
  const auto now = fs::file_time_type::clock::now();
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path& p = it->path();
    const auto mtime = fs::last_write_time(p, ec);
    if (ec) return;
    const std::string name = p.filename().string();
    if (name.ends_with(kSuffix)) {
      entries.emplace_back(mtime, p);
    } else if (name.find(".hsdb.tmp-") != std::string::npos && now - mtime > std::chrono::hours(1)) {
      fs::remove(p, ec);
    }
  }
  if (entries.size() <= kKeep) return;
  std::sort(entries.begin(), entries.end());
  for (size_t i = 0; i + kKeep < entries.size(); ++i) fs::remove(entries[i].second, ec);
}

}  // namespace

std::string CompiledKey(const PatternSet& patterns, unsigned mode) {
  Sha256 h;
  h.Update(fmt::format("vectorscan {}\nmode {}\n", hs_version(), mode));
  for (size_t i = 0; i < patterns.expressions.size(); ++i) {
    const std::string_view expr = patterns.expressions[i];
    h.Update(fmt::format("{} {} {}\n", patterns.ids[i], patterns.flags[i], expr.size()));
    h.Update(expr);
  }
  return h.Finish().hex;
}

hs_database_t* LoadCompiled(const std::string& dir, const std::string& key) {
  if (dir.empty()) return nullptr;
  const fs::path path = EntryPath(dir, key);
  std::error_code ec;
  const uintmax_t size = fs::file_size(path, ec);
  if (ec || size > kMaxFile || size < kMagic.size() + kHexLen + 1) return nullptr;
  std::ifstream in(path, std::ios::binary);
  std::string bytes(static_cast<size_t>(size), '\0');
  if (!in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) return nullptr;
  const std::string_view view = bytes;
  if (!view.starts_with(kMagic) || view[kMagic.size() + kHexLen] != '\n') return nullptr;
  const std::string_view hex = view.substr(kMagic.size(), kHexLen);
  const std::string_view payload = view.substr(kMagic.size() + kHexLen + 1);
  if (Sha256Of(payload).hex != hex) return nullptr;
  hs_database_t* db = nullptr;
  if (hs_deserialize_database(payload.data(), payload.size(), &db) != HS_SUCCESS) return nullptr;
  // Used entries stay young for the pruning.
  fs::last_write_time(path, fs::file_time_type::clock::now(), ec);
  return db;
}

void StoreCompiled(const std::string& dir, const std::string& key, const hs_database_t* db) {
  if (dir.empty()) return;
  char* raw = nullptr;
  size_t length = 0;
  if (hs_serialize_database(db, &raw, &length) != HS_SUCCESS) return;
  const std::string payload(raw, length);
  std::free(raw);  // Vectorscan's default allocator is malloc
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return;
  const fs::path path = EntryPath(dir, key);
  const fs::path tmp = path.string() + fmt::format(".tmp-{}", getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << kMagic << Sha256Of(payload).hex << '\n' << payload;
    out.flush();
    if (!out) {
      fs::remove(tmp, ec);
      return;
    }
  }
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    return;
  }
  Prune(dir);
}

std::array<unsigned char, 32> ValueKey(const std::string& dir) {
  std::array<unsigned char, 32> key{};
  if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) key.fill(0x5a);
  if (dir.empty()) return key;
  const std::string path = dir + "/value.key";
  auto read = [&](std::array<unsigned char, 32>& out) {
    const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
    if (fd < 0) return false;
    struct stat st {};
    const bool ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size == static_cast<off_t>(out.size()) &&
                    pread(fd, out.data(), out.size(), 0) == static_cast<ssize_t>(out.size());
    close(fd);
    return ok;
  };
  std::array<unsigned char, 32> stored{};
  if (read(stored)) return stored;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return key;
  unsigned char rnd[8] = {};
  if (RAND_bytes(rnd, sizeof rnd) != 1) return key;
  const std::string tmp =
      fmt::format("{}.tmp-{}-{:02x}{:02x}{:02x}{:02x}", path, getpid(), rnd[0], rnd[1], rnd[2], rnd[3]);
  const int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return key;
  const bool written = write(fd, key.data(), key.size()) == static_cast<ssize_t>(key.size()) && fsync(fd) == 0;
  close(fd);
  // link fails when another run made the key first: theirs wins. A damaged
  // file (wrong size) is replaced. Whatever fails, this run's key is used.
  if (written && link(tmp.c_str(), path.c_str()) != 0 && errno == EEXIST) {
    if (read(stored)) {
      key = stored;
    } else {
      rename(tmp.c_str(), path.c_str());
    }
  }
  unlink(tmp.c_str());
  return key;
}

}  // namespace drydock::secret
