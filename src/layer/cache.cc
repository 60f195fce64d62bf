#include "layer/cache.h"

#include <dirent.h>
#include <elf.h>
#include <fcntl.h>
#include <link.h>
#include <openssl/rand.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cerrno>
#include <cstring>
#include <ctime>
#include <tuple>

#include <fmt/format.h>

#include "layer/huge_pages.h"

namespace drydock {

namespace {

// ---- identity and keys ---------------------------------------------------------

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// Finds the NT_GNU_BUILD_ID note of the first object dl_iterate_phdr
// reports, which is the main program.
int FindBuildId(struct dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<std::string*>(data);
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE) continue;
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    size_t left = ph.p_memsz;
    while (left >= sizeof(ElfW(Nhdr))) {
      ElfW(Nhdr) nh;
      std::memcpy(&nh, p, sizeof nh);
      const size_t name_len = (nh.n_namesz + 3u) & ~size_t{3};
      const size_t desc_len = (nh.n_descsz + 3u) & ~size_t{3};
      const size_t total = sizeof nh + name_len + desc_len;
      if (total > left) break;
      if (nh.n_type == NT_GNU_BUILD_ID && nh.n_namesz == 4 && std::memcmp(p + sizeof nh, "GNU", 4) == 0 &&
          nh.n_descsz > 0) {
        *out = Hex(std::string_view(p + sizeof nh + name_len, nh.n_descsz));
        return 1;
      }
      p += total;
      left -= total;
    }
  }
  return 1;  // only the main program
}

void PutField(Sha256& h, std::string_view s) {
  h.Update(fmt::format("{}:", s.size()));
  h.Update(s);
}

void PutList(Sha256& h, const std::vector<std::string>& v) {
  PutField(h, std::to_string(v.size()));
  for (const auto& s : v) PutField(h, s);
}

void HashWants(Sha256& h, const FileWants& w) {
  // Every field: adding one to FileWants fails to compile here until the
  // key covers it.
  const auto& [globs, basenames, suffixes, magic, executable, all_regular_files, max_size, capture, keep_head,
               quiet_over_limit] = w;
  PutList(h, globs);
  PutList(h, basenames);
  PutList(h, suffixes);
  PutList(h, magic);
  // keep_head is code: the build-id covers what it does, the key whether it is set.
  PutField(h, fmt::format("{} {} {} {} {} {}", executable, all_regular_files, max_size, capture, keep_head != nullptr,
                          quiet_over_limit));
}

// ---- payload encoding --------------------------------------------------------------

class Writer {
 public:
  void U(uint64_t v) {
    while (v >= 0x80) {
      out_.push_back(static_cast<char>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    out_.push_back(static_cast<char>(v));
  }
  void I(int64_t v) { U((static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63)); }
  void B(bool v) { out_.push_back(v ? '\1' : '\0'); }
  void S(std::string_view s) {
    U(s.size());
    out_.append(s);
  }
  void D(double d) {
    const auto bits = std::bit_cast<uint64_t>(d);
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(bits >> (8 * i)));
  }
  void Strings(const std::vector<std::string>& v) {
    U(v.size());
    for (const auto& s : v) S(s);
  }
  void Strings(const std::vector<SharedText>& v) {
    U(v.size());
    for (const auto& s : v) S(s);
  }
  template <typename T, typename F>
  void Vec(const std::vector<T>& v, F put) {
    U(v.size());
    for (const auto& x : v) put(*this, x);
  }
  std::string Take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote, refusing anything a Writer could not have
// produced. The first failure is kept (offset and why).
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  bool U(uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos_ >= in_.size()) return Fail("unexpected end of data");
      const auto b = static_cast<unsigned char>(in_[pos_++]);
      if (shift == 63 && b > 1) return Fail("varint overflows 64 bits");
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        if (b == 0 && shift > 0) return Fail("overlong varint");
        return true;
      }
    }
    return Fail("varint longer than 10 bytes");
  }
  bool I(int64_t& v) {
    uint64_t u = 0;
    if (!U(u)) return false;
    v = static_cast<int64_t>((u >> 1) ^ (~(u & 1) + 1));
    return true;
  }
  bool NonNegative(int64_t& v) {
    if (!I(v)) return false;
    return v >= 0 || Fail("negative size");
  }
  bool Int(int& v, int lo) {
    int64_t x = 0;
    if (!I(x)) return false;
    if (x < lo || x > INT32_MAX) return Fail("integer out of range");
    v = static_cast<int>(x);
    return true;
  }
  bool U32(uint32_t& v, uint32_t max) {
    uint64_t x = 0;
    if (!U(x)) return false;
    if (x > max) return Fail("value out of range");
    v = static_cast<uint32_t>(x);
    return true;
  }
  template <typename E>
  bool Enum(E& e, E last) {
    uint64_t x = 0;
    if (!U(x)) return false;
    if (x > static_cast<uint64_t>(last)) return Fail("unknown enum value");
    e = static_cast<E>(x);
    return true;
  }
  bool B(bool& v) {
    if (pos_ >= in_.size()) return Fail("unexpected end of data");
    const char c = in_[pos_++];
    if (c != '\0' && c != '\1') return Fail("not a boolean");
    v = c == '\1';
    return true;
  }
  bool S(std::string& s) {
    uint64_t n = 0;
    if (!U(n)) return false;
    if (n > in_.size() - pos_) return Fail("string runs past the end");
    s.assign(in_.substr(pos_, static_cast<size_t>(n)));
    pos_ += static_cast<size_t>(n);
    return true;
  }
  bool S(SharedText& s) {
    std::string t;
    if (!S(t)) return false;
    s = t;
    return true;
  }
  bool D(double& d) {
    if (in_.size() - pos_ < 8) return Fail("unexpected end of data");
    uint64_t bits = 0;
    for (int i = 0; i < 8; ++i) bits |= static_cast<uint64_t>(static_cast<unsigned char>(in_[pos_ + i])) << (8 * i);
    pos_ += 8;
    d = std::bit_cast<double>(bits);
    return true;
  }
  // A count of elements that each take at least `min_bytes`: more than the
  // bytes left can hold is refused before anything is allocated.
  bool Count(size_t& n, size_t min_bytes) {
    uint64_t x = 0;
    if (!U(x)) return false;
    if (x > (in_.size() - pos_) / min_bytes) return Fail("count exceeds the data left");
    n = static_cast<size_t>(x);
    return true;
  }
  template <class Str>
  bool Strings(std::vector<Str>& v) {
    size_t n = 0;
    if (!Count(n, 1)) return false;
    v.clear();
    v.reserve(n);  // Count bounded n by the bytes left
    for (size_t i = 0; i < n; ++i) {
      if (!S(v.emplace_back())) return false;
    }
    return true;
  }
  template <typename T, typename F>
  bool Vec(std::vector<T>& v, size_t min_bytes, F get) {
    size_t n = 0;
    if (!Count(n, min_bytes)) return false;
    v.clear();
    ReserveHuge(v, n);  // a layer's entries: ~90 bytes each, 50k in a large layer
    for (size_t i = 0; i < n; ++i) {
      if (!get(*this, v.emplace_back())) return false;
    }
    return true;
  }
  bool Fail(const char* why) {
    if (why_ == nullptr) {
      why_ = why;
      at_ = pos_;
    }
    return false;
  }
  bool done() const { return pos_ == in_.size(); }
  Error error() const {
    return InputError("layer cache entry: {} at payload offset {}", why_ ? why_ : "malformed", at_);
  }

 private:
  std::string_view in_;
  size_t pos_ = 0;
  const char* why_ = nullptr;
  size_t at_ = 0;
};

// The form every path the pipeline stores has (base/path.h): absolute, no
// empty, "." or ".." component, no trailing slash, no NUL.
bool IsCleanPath(std::string_view p) {
  if (p == "/") return true;
  if (p.empty() || p.front() != '/' || p.back() == '/') return false;
  // One pass (every entry's path goes through here): each component is
  // non-empty, not "." or "..", and holds no NUL.
  size_t start = 1;
  for (size_t i = 1; i <= p.size(); ++i) {
    if (i < p.size() && p[i] != '/') {
      if (p[i] == '\0') return false;
      continue;
    }
    const size_t len = i - start;
    if (len == 0 || (len <= 2 && p[start] == '.' && (len == 1 || p[start + 1] == '.'))) return false;
    start = i + 1;
  }
  return true;
}

bool GetCleanPath(Reader& r, std::string& s) { return r.S(s) && (IsCleanPath(s) || r.Fail("path is not clean")); }

void PutDigest(Writer& w, const Digest& d) { w.S(d.str()); }
bool GetDigest(Reader& r, Digest& d) {
  std::string s;
  if (!r.S(s)) return false;
  if (s.empty()) {
    d = Digest{};
    return true;
  }
  auto parsed = Digest::Parse(s);
  if (!parsed.ok()) return r.Fail("bad digest");
  d = std::move(parsed).value();
  return true;
}

// Each struct is taken apart with a structured binding that names every
// field: adding a field to one of these structs fails to compile here until
// the cache carries it (tests/layer/cache_test.cc checks the round trip).

void PutNode(Writer& w, const FileNode& n) {
  const auto& [path, type, mode, uid, gid, size, link_target] = n;
  w.S(path);
  w.U(static_cast<uint64_t>(type));
  w.U(mode);
  w.U(uid);
  w.U(gid);
  w.I(size);
  w.S(link_target);
}
bool GetNode(Reader& r, FileNode& n) {
  auto& [path, type, mode, uid, gid, size, link_target] = n;
  if (!GetCleanPath(r, path) || !r.Enum(type, EntryType::kOther) || !r.U32(mode, 07777) || !r.U32(uid, UINT32_MAX) ||
      !r.U32(gid, UINT32_MAX) || !r.NonNegative(size) || !r.S(link_target)) {
    return false;
  }
  if (type == EntryType::kHardlink && !IsCleanPath(link_target)) return r.Fail("hardlink target is not clean");
  return true;
}

void PutLocation(Writer& w, const Location& l) {
  const auto& [layer_index, diff_id, created_by, path, line, config_field, column] = l;
  w.I(layer_index);
  w.S(diff_id);
  w.S(created_by);
  w.S(path);
  w.I(line);
  w.S(config_field);
  w.I(column);
}
bool GetLocation(Reader& r, Location& l) {
  auto& [layer_index, diff_id, created_by, path, line, config_field, column] = l;
  return r.Int(layer_index, -1) && r.S(diff_id) && r.S(created_by) && r.S(path) && r.Int(line, 0) &&
         r.S(config_field) && r.Int(column, 0);
}

void PutCvss(Writer& w, const CvssScore& c) {
  const auto& [version, vector, score, source] = c;
  w.S(version);
  w.S(vector);
  w.D(score);
  w.S(source);
}
bool GetCvss(Reader& r, CvssScore& c) {
  auto& [version, vector, score, source] = c;
  return r.S(version) && r.S(vector) && r.D(score) && r.S(source);
}

void PutVuln(Writer& w, const VulnerabilityDetail& v) {
  const auto& [id, aliases, package_name, package_id, purl, installed_version, fixed_versions, status, severity_source,
               cvss, data_source, published] = v;
  w.S(id);
  w.Strings(aliases);
  w.S(package_name);
  w.S(package_id);
  w.S(purl);
  w.S(installed_version);
  w.Strings(fixed_versions);
  w.S(status);
  w.S(severity_source);
  w.Vec(cvss, PutCvss);
  w.S(data_source);
  w.S(published);
}
bool GetVuln(Reader& r, VulnerabilityDetail& v) {
  auto& [id, aliases, package_name, package_id, purl, installed_version, fixed_versions, status, severity_source, cvss,
         data_source, published] = v;
  return r.S(id) && r.Strings(aliases) && r.S(package_name) && r.S(package_id) && r.S(purl) && r.S(installed_version) &&
         r.Strings(fixed_versions) && r.S(status) && r.S(severity_source) && r.Vec(cvss, 11, GetCvss) &&
         r.S(data_source) && r.S(published);
}

void PutSuppression(Writer& w, const Box<Suppression>& s) {
  w.B(s.has_value());
  if (!s) return;
  const auto& [kind, source, reason, justification, expires, status] = *s;
  for (const std::string* f : {&kind, &source, &reason, &justification, &expires, &status}) w.S(*f);
}
bool GetSuppression(Reader& r, Box<Suppression>& s) {
  bool has = false;
  if (!r.B(has)) return false;
  if (!has) return true;
  auto& [kind, source, reason, justification, expires, status] = s.emplace();
  return r.S(kind) && r.S(source) && r.S(reason) && r.S(justification) && r.S(expires) && r.S(status);
}

void PutFinding(Writer& w, const Finding& f) {
  const auto& [rule_id, kind, severity, title, description, remediation, location, evidence, references, fingerprint,
               vuln, more_locations, secret_digest, suppression, vex_note] = f;
  w.S(rule_id);
  w.U(static_cast<uint64_t>(kind));
  w.U(static_cast<uint64_t>(severity));
  w.S(title);
  w.S(description);
  w.S(remediation);
  PutLocation(w, location);
  w.S(evidence);
  w.Strings(references);
  w.S(fingerprint);
  w.B(vuln.has_value());
  if (vuln) PutVuln(w, *vuln);
  w.Vec(more_locations, PutLocation);
  w.S(secret_digest);
  PutSuppression(w, suppression);
  PutSuppression(w, vex_note);
}
bool GetFinding(Reader& r, Finding& f) {
  auto& [rule_id, kind, severity, title, description, remediation, location, evidence, references, fingerprint, vuln,
         more_locations, secret_digest, suppression, vex_note] = f;
  bool has_vuln = false;
  if (!r.S(rule_id) || !r.Enum(kind, FindingKind::kLicense) || !r.Enum(severity, Severity::kCritical) || !r.S(title) ||
      !r.S(description) || !r.S(remediation) || !GetLocation(r, location) || !r.S(evidence) || !r.Strings(references) ||
      !r.S(fingerprint) || !r.B(has_vuln)) {
    return false;
  }
  if (has_vuln && !GetVuln(r, vuln.emplace())) return false;
  return r.Vec(more_locations, 7, GetLocation) && r.S(secret_digest) && GetSuppression(r, suppression) &&
         GetSuppression(r, vex_note);
}

void PutEvidence(Writer& w, const PackageEvidence& e) {
  const auto& [cataloger, path, inner, layer_index] = e;
  w.S(cataloger);
  w.S(path);
  w.S(inner);
  w.I(layer_index);
}
bool GetEvidence(Reader& r, PackageEvidence& e) {
  auto& [cataloger, path, inner, layer_index] = e;
  return r.S(cataloger) && r.S(path) && r.S(inner) && r.Int(layer_index, -1);
}

void PutPackage(Writer& w, const Package& p) {
  const auto& [type, namespace_, name, version, arch, source_name, source_version, licenses, metadata, evidence, files,
               purl, id, layer_index, diff_id, created_by] = p;
  w.S(type);
  w.S(namespace_);
  w.S(name);
  w.S(version);
  w.S(arch);
  w.S(source_name);
  w.S(source_version);
  w.Strings(licenses);
  w.U(metadata.size());
  for (const auto& [k, v] : metadata) {
    w.S(k);
    w.S(v);
  }
  w.Vec(evidence, PutEvidence);
  w.Strings(files);
  w.S(purl);
  w.S(id);
  w.I(layer_index);
  w.S(diff_id);
  w.S(created_by);
}
bool GetPackage(Reader& r, Package& p) {
  auto& [type, namespace_, name, version, arch, source_name, source_version, licenses, metadata, evidence, files, purl,
         id, layer_index, diff_id, created_by] = p;
  if (!r.S(type) || !r.S(namespace_) || !r.S(name) || !r.S(version) || !r.S(arch) || !r.S(source_name) ||
      !r.S(source_version) || !r.Strings(licenses)) {
    return false;
  }
  size_t n = 0;
  if (!r.Count(n, 2)) return false;
  for (size_t i = 0; i < n; ++i) {
    std::string k, v;
    if (!r.S(k) || !r.S(v)) return false;
    if (!metadata.empty() && !(metadata.rbegin()->first < k)) return r.Fail("metadata keys out of order");
    metadata.emplace_hint(metadata.end(), std::move(k), std::move(v));
  }
  return r.Vec(evidence, 4, GetEvidence) && r.Strings(files) && r.S(purl) && r.S(id) && r.Int(layer_index, -1) &&
         r.S(diff_id) && r.S(created_by);
}

void PutDiagnostic(Writer& w, const Diagnostic& d) {
  const auto& [where, message] = d;
  w.S(where);
  w.S(message);
}
bool GetDiagnostic(Reader& r, Diagnostic& d) {
  auto& [where, message] = d;
  return r.S(where) && r.S(message);
}

bool KnownCompression(std::string_view c) { return c == "gzip" || c == "zstd" || c == "none"; }

// ---- entry framing ---------------------------------------------------------------------

constexpr std::string_view kMagic = "DDLAYER\n";
constexpr size_t kKeyBytes = 32;
constexpr size_t kHeaderBytes = 8 + 4 + 4 + kKeyBytes + 8;  // before the checksum
constexpr size_t kChecksumBytes = 32;

void PutLe(std::string& out, uint64_t v, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<char>(v >> (8 * i)));
}
uint64_t GetLe(std::string_view in, int bytes) {
  uint64_t v = 0;
  for (int i = 0; i < bytes; ++i) v |= static_cast<uint64_t>(static_cast<unsigned char>(in[i])) << (8 * i);
  return v;
}

// The 32 raw bytes of a 64-hex key; empty when it is not one.
std::string KeyBytes(std::string_view hex) {
  if (hex.size() != 2 * kKeyBytes) return {};
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto nibble = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) return {};
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

std::string RawSha256(std::string_view a, std::string_view b) {
  Sha256 h;
  h.Update(a);
  h.Update(b);
  return KeyBytes(h.Finish().hex);
}

// ---- files -------------------------------------------------------------------------------

struct Fd {
  int fd = -1;
  explicit Fd(int f) : fd(f) {}
  ~Fd() {
    if (fd >= 0) close(fd);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
};

bool IsHexName(std::string_view name, size_t len) {
  return name.size() == len && name.find_first_not_of("0123456789abcdef") == std::string_view::npos;
}

constexpr std::string_view kTempPrefix = ".tmp-";

// "<pid>-<random>" after the prefix: the writer's pid, or 0 if not a temp name.
pid_t TempOwner(std::string_view name) {
  if (!name.starts_with(kTempPrefix)) return 0;
  name.remove_prefix(kTempPrefix.size());
  const size_t dash = name.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 10) return 0;
  int64_t pid = 0;
  for (char c : name.substr(0, dash)) {
    if (c < '0' || c > '9') return 0;
    pid = pid * 10 + (c - '0');
  }
  return pid > 0 && pid <= INT32_MAX ? static_cast<pid_t>(pid) : 0;
}

struct FileInfo {
  std::string path;
  int64_t bytes = 0;
  struct timespec mtime {};
};

// Calls `entry` for each entry file and `temp` for each temp file in the
// 256 subdirectories of `dir`.
template <typename E, typename T>
void Walk(const std::string& dir, E entry, T temp) {
  for (int i = 0; i < 256; ++i) {
    const std::string sub = fmt::format("{}/{:02x}", dir, i);
    std::unique_ptr<DIR, int (*)(DIR*)> d(opendir(sub.c_str()), &closedir);
    if (!d) continue;
    while (struct dirent* e = readdir(d.get())) {
      const std::string_view name = e->d_name;
      if (name == "." || name == "..") continue;
      FileInfo fi;
      fi.path = sub + "/" + std::string(name);
      struct stat st {};
      if (lstat(fi.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) continue;
      fi.bytes = st.st_size;
      fi.mtime = st.st_mtim;
      if (IsHexName(name, 62)) {
        entry(fi);
      } else if (name.starts_with(kTempPrefix)) {
        temp(fi, name);
      }
    }
  }
}

bool Older(const struct timespec& a, const struct timespec& b) {
  return std::tie(a.tv_sec, a.tv_nsec) < std::tie(b.tv_sec, b.tv_nsec);
}

// Anonymous memory an entry file is read into: not zeroed first, as a
// resized std::string would be, and from huge pages when it spans one.
class EntryBuffer {
 public:
  explicit EntryBuffer(size_t n) : size_(n) {
    if (n == 0) return;
    // Room to start the data on a huge-page boundary.
    len_ = n >= kHugePageBytes ? n + kHugePageBytes : n;
    void* p = mmap(nullptr, len_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
      len_ = 0;
      return;
    }
    base_ = static_cast<char*>(p);
    const auto aligned = (reinterpret_cast<uintptr_t>(p) + len_ - n) & ~uintptr_t{kHugePageBytes - 1};
    data_ = n >= kHugePageBytes ? base_ + (aligned - reinterpret_cast<uintptr_t>(p)) : base_;
    if (n >= kHugePageBytes) AdviseHugePages(data_, n);
  }
  ~EntryBuffer() {
    if (base_ != nullptr) munmap(base_, len_);
  }
  EntryBuffer(const EntryBuffer&) = delete;
  EntryBuffer& operator=(const EntryBuffer&) = delete;

  bool ok() const { return size_ == 0 || base_ != nullptr; }
  char* data() { return data_; }
  size_t size() const { return size_; }

 private:
  size_t size_ = 0;
  size_t len_ = 0;
  char* base_ = nullptr;
  char* data_ = nullptr;
};

Status WriteAll(int fd, std::string_view bytes, const std::string& what) {
  while (!bytes.empty()) {
    const ssize_t n = write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return EnvError("{}: write: {}", what, std::strerror(errno));
    }
    bytes.remove_prefix(static_cast<size_t>(n));
  }
  return Ok();
}

}  // namespace

std::string BinaryIdentity() {
  // Constant for the life of the process: computed once.
  static const std::string identity = [] {
    std::string id;
    dl_iterate_phdr(&FindBuildId, &id);
    if (!id.empty()) return "build-id " + id;
    struct stat st {};
    if (stat("/proc/self/exe", &st) != 0) return fmt::format("version {} (no build-id)", DRYDOCK_VERSION);
    return fmt::format("version {} exe {} {}.{:09}", DRYDOCK_VERSION, st.st_size, st.st_mtim.tv_sec,
                       st.st_mtim.tv_nsec);
  }();
  return identity;
}

std::string AnalyzerKey(const std::vector<const LayerAnalyzer*>& analyzers, const PipelineOptions& opts) {
  Sha256 h;
  PutField(h, fmt::format("drydock layer cache {}", kLayerCacheFormat));
  PutField(h, BinaryIdentity());
  // The limits that decide whether a layer yields a result at all (chunk
  // size, queue depth and progress do not change results).
  PutField(h, fmt::format("{} {} {}", opts.max_ratio, opts.min_bomb_bytes, opts.max_entries_per_layer));
  for (const LayerAnalyzer* a : analyzers) {
    PutField(h, a->name());
    PutField(h, a->cache_key());
    HashWants(h, a->wants());
  }
  return h.Finish().hex;
}

std::string LayerEntryKey(const Digest& diff_id, std::string_view analyzer_key) {
  Sha256 h;
  PutField(h, "layer");
  PutField(h, diff_id.str());
  PutField(h, analyzer_key);
  return h.Finish().hex;
}

std::string EncodeLayerPayload(const LayerResult& r) {
  // blob_name names the blob in one source, error is never cached.
  const auto& [blob_name, blob_digest, diff_id, compression, blob_bytes, tar_bytes, entries, whiteouts, opaque_dirs,
               captured, findings, packages, diagnostics, error] = r;
  (void)blob_name;
  (void)error;
  Writer w;
  PutDigest(w, diff_id);
  PutDigest(w, blob_digest);
  w.S(compression);
  w.I(blob_bytes);
  w.I(tar_bytes);
  w.Vec(entries, PutNode);
  w.Strings(whiteouts);
  w.Strings(opaque_dirs);
  w.U(captured.size());
  for (const auto& [path, content] : captured) {
    w.S(path);
    w.S(content);
  }
  w.Vec(findings, PutFinding);
  w.Vec(packages, PutPackage);
  w.Vec(diagnostics, PutDiagnostic);
  return w.Take();
}

Result<LayerResult> DecodeLayerPayload(std::string_view payload) {
  LayerResult out;
  auto& [blob_name, blob_digest, diff_id, compression, blob_bytes, tar_bytes, entries, whiteouts, opaque_dirs, captured,
         findings, packages, diagnostics, error] = out;
  (void)blob_name;
  (void)error;
  Reader r(payload);
  auto clean_list = [&](std::vector<std::string>& v) {
    if (!r.Strings(v)) return false;
    return std::all_of(v.begin(), v.end(), IsCleanPath) || r.Fail("path is not clean");
  };
  bool ok = GetDigest(r, diff_id) && (!diff_id.empty() || r.Fail("no diff_id")) && GetDigest(r, blob_digest) &&
            r.S(compression) && (KnownCompression(compression) || r.Fail("unknown compression")) &&
            r.NonNegative(blob_bytes) && r.NonNegative(tar_bytes) && r.Vec(entries, 7, GetNode) &&
            clean_list(whiteouts) && clean_list(opaque_dirs);
  size_t n = 0;
  ok = ok && r.Count(n, 2);
  for (size_t i = 0; ok && i < n; ++i) {
    std::string path, content;
    ok = GetCleanPath(r, path) && r.S(content);
    if (ok && !captured.empty() && !(captured.rbegin()->first < path)) ok = r.Fail("captured paths out of order");
    if (ok) captured.emplace_hint(captured.end(), std::move(path), std::move(content));
  }
  ok = ok && r.Vec(findings, 15, GetFinding) && r.Vec(packages, 16, GetPackage) &&
       r.Vec(diagnostics, 2, GetDiagnostic) && (r.done() || r.Fail("trailing bytes"));
  if (!ok) return r.error();
  return out;
}

std::string EncodeLayerEntry(std::string_view key, const LayerResult& r) {
  const std::string payload = EncodeLayerPayload(r);
  std::string out;
  out.reserve(kHeaderBytes + kChecksumBytes + payload.size());
  out.append(kMagic);
  PutLe(out, kLayerCacheFormat, 4);
  PutLe(out, 0, 4);
  std::string raw_key = KeyBytes(key);
  raw_key.resize(kKeyBytes, '\0');
  out.append(raw_key);
  PutLe(out, payload.size(), 8);
  out.append(RawSha256(out, payload));
  out.append(payload);
  return out;
}

Result<LayerResult> DecodeLayerEntry(std::string_view key, std::string_view file) {
  if (file.size() < kHeaderBytes + kChecksumBytes) return InputError("layer cache entry: truncated header");
  if (!file.starts_with(kMagic)) return InputError("layer cache entry: not a drydock layer cache entry (bad magic)");
  if (const uint64_t v = GetLe(file.substr(8), 4); v != kLayerCacheFormat) {
    return InputError("layer cache entry: format {}, want {}", v, kLayerCacheFormat);
  }
  if (GetLe(file.substr(12), 4) != 0) return InputError("layer cache entry: unknown flags");
  if (file.substr(16, kKeyBytes) != KeyBytes(key)) return InputError("layer cache entry: stored under another key");
  const uint64_t length = GetLe(file.substr(16 + kKeyBytes), 8);
  const std::string_view payload = file.substr(kHeaderBytes + kChecksumBytes);
  if (length != payload.size()) {
    return InputError("layer cache entry: payload is {} bytes, the header says {} (truncated?)", payload.size(),
                      length);
  }
  if (RawSha256(file.substr(0, kHeaderBytes), payload) != file.substr(kHeaderBytes, kChecksumBytes)) {
    return InputError("layer cache entry: checksum mismatch");
  }
  return DecodeLayerPayload(payload);
}

// ---- whole scan results (fleet mode) -----------------------------------------------------

namespace {

void PutHistory(Writer& w, const HistoryEntry& h) {
  const auto& [created, created_by, comment, empty_layer] = h;
  w.S(created);
  w.S(created_by);
  w.S(comment);
  w.B(empty_layer);
}
bool GetHistory(Reader& r, HistoryEntry& h) {
  auto& [created, created_by, comment, empty_layer] = h;
  return r.S(created) && r.S(created_by) && r.S(comment) && r.B(empty_layer);
}

void PutConfig(Writer& w, const ImageConfig& c) {
  const auto& [architecture, os, variant, created, user, env, entrypoint, cmd, working_dir, exposed_ports, volumes,
               labels, healthcheck, stop_signal, diff_ids, history] = c;
  for (const std::string* s : {&architecture, &os, &variant, &created, &user}) w.S(*s);
  w.Strings(env);
  w.Strings(entrypoint);
  w.Strings(cmd);
  w.S(working_dir);
  w.Strings(exposed_ports);
  w.Strings(volumes);
  w.U(labels.size());
  for (const auto& [k, v] : labels) {
    w.S(k);
    w.S(v);
  }
  w.B(healthcheck.has_value());
  if (healthcheck) w.Strings(healthcheck->test);
  w.S(stop_signal);
  w.Vec(diff_ids, PutDigest);
  w.Vec(history, PutHistory);
}
bool GetConfig(Reader& r, ImageConfig& c) {
  auto& [architecture, os, variant, created, user, env, entrypoint, cmd, working_dir, exposed_ports, volumes, labels,
         healthcheck, stop_signal, diff_ids, history] = c;
  if (!r.S(architecture) || !r.S(os) || !r.S(variant) || !r.S(created) || !r.S(user) || !r.Strings(env) ||
      !r.Strings(entrypoint) || !r.Strings(cmd) || !r.S(working_dir) || !r.Strings(exposed_ports) ||
      !r.Strings(volumes)) {
    return false;
  }
  size_t n = 0;
  if (!r.Count(n, 2)) return false;
  for (size_t i = 0; i < n; ++i) {
    std::string k, v;
    if (!r.S(k) || !r.S(v)) return false;
    if (!labels.empty() && !(labels.rbegin()->first < k)) return r.Fail("labels out of order");
    labels.emplace_hint(labels.end(), std::move(k), std::move(v));
  }
  bool has_hc = false;
  if (!r.B(has_hc)) return false;
  if (has_hc && !r.Strings(healthcheck.emplace().test)) return false;
  return r.S(stop_signal) && r.Vec(diff_ids, 1, GetDigest) && r.Vec(history, 4, GetHistory);
}

void PutLayer(Writer& w, const Layer& l) {
  const auto& [index, blob, diff_id, created_by, uncompressed_size] = l;
  const auto& [name, media_type, digest, size, urls] = blob;
  w.I(index);
  w.S(name);
  w.S(media_type);
  PutDigest(w, digest);
  w.I(size);
  w.Strings(urls);
  PutDigest(w, diff_id);
  w.S(created_by);
  w.I(uncompressed_size);
}
bool GetLayer(Reader& r, Layer& l) {
  auto& [index, blob, diff_id, created_by, uncompressed_size] = l;
  auto& [name, media_type, digest, size, urls] = blob;
  return r.Int(index, 0) && r.S(name) && r.S(media_type) && GetDigest(r, digest) && r.I(size) && r.Strings(urls) &&
         GetDigest(r, diff_id) && r.S(created_by) && r.I(uncompressed_size);
}

void PutImage(Writer& w, const ImageInfo& i) {
  const auto& [source_kind, reference, repo_tags, config_digest, manifest_digest, config, layers] = i;
  w.S(source_kind);
  w.S(reference);
  w.Strings(repo_tags);
  PutDigest(w, config_digest);
  PutDigest(w, manifest_digest);
  PutConfig(w, config);
  w.Vec(layers, PutLayer);
}
bool GetImage(Reader& r, ImageInfo& i) {
  auto& [source_kind, reference, repo_tags, config_digest, manifest_digest, config, layers] = i;
  return r.S(source_kind) && r.S(reference) && r.Strings(repo_tags) && GetDigest(r, config_digest) &&
         GetDigest(r, manifest_digest) && GetConfig(r, config) && r.Vec(layers, 9, GetLayer);
}

void PutOs(Writer& w, const std::optional<OsRelease>& o) {
  w.B(o.has_value());
  if (!o) return;
  const auto& [id, version_id, version_codename, pretty_name, source_path, distroless] = *o;
  for (const std::string* s : {&id, &version_id, &version_codename, &pretty_name, &source_path}) w.S(*s);
  w.B(distroless);
}
bool GetOs(Reader& r, std::optional<OsRelease>& o) {
  bool has = false;
  if (!r.B(has)) return false;
  if (!has) return true;
  auto& [id, version_id, version_codename, pretty_name, source_path, distroless] = o.emplace();
  return r.S(id) && r.S(version_id) && r.S(version_codename) && r.S(pretty_name) && r.S(source_path) &&
         r.B(distroless);
}

void PutLayerSummary(Writer& w, const LayerSummary& l) {
  const auto& [index, diff_id, blob_digest, media_type, compression, blob_bytes, tar_bytes, files, created_by] = l;
  w.I(index);
  for (const std::string* s : {&diff_id, &blob_digest, &media_type, &compression}) w.S(*s);
  w.I(blob_bytes);
  w.I(tar_bytes);
  w.I(files);
  w.S(created_by);
}
bool GetLayerSummary(Reader& r, LayerSummary& l) {
  auto& [index, diff_id, blob_digest, media_type, compression, blob_bytes, tar_bytes, files, created_by] = l;
  return r.Int(index, 0) && r.S(diff_id) && r.S(blob_digest) && r.S(media_type) && r.S(compression) &&
         r.I(blob_bytes) && r.I(tar_bytes) && r.I(files) && r.S(created_by);
}

constexpr std::string_view kScanMagic = "DDSCAN1\n";
constexpr uint32_t kScanFormat = 1;

}  // namespace

std::string EncodeScanResult(const ScanResult& s) {
  // outcomes belong to the live audits (containers, host), never to an image scan.
  const auto& [target, image, summary, findings, suppressed, inventory, diagnostics, scanners, outcomes] = s;
  (void)outcomes;
  Writer w;
  w.S(target);
  PutImage(w, image);
  const auto& [os, layers, total_tar_bytes, total_blob_bytes, files] = summary;
  PutOs(w, os);
  w.Vec(layers, PutLayerSummary);
  w.I(total_tar_bytes);
  w.I(total_blob_bytes);
  w.I(files);
  w.Vec(findings, PutFinding);
  w.Vec(suppressed, PutFinding);
  w.B(inventory.has_value());
  if (inventory) {
    w.Vec(inventory->packages, PutPackage);
    w.Vec(inventory->diagnostics, PutDiagnostic);
    w.Strings(inventory->catalogers);
  }
  w.Vec(diagnostics, PutDiagnostic);
  w.Strings(scanners);
  return FrameScanPayload(w.Take());
}

std::string FrameScanPayload(std::string_view payload) {
  std::string out(kScanMagic);
  PutLe(out, kScanFormat, 4);
  PutLe(out, payload.size(), 8);
  out.append(RawSha256(out, payload));
  out.append(payload);
  return out;
}

Result<ScanResult> DecodeScanResult(std::string_view bytes) {
  constexpr size_t kHeader = 8 + 4 + 8;
  if (bytes.size() < kHeader + kChecksumBytes) return InputError("scan result: truncated header");
  if (!bytes.starts_with(kScanMagic)) return InputError("scan result: not a drydock scan result (bad magic)");
  if (const uint64_t v = GetLe(bytes.substr(8), 4); v != kScanFormat) {
    return InputError("scan result: format {}, want {}", v, kScanFormat);
  }
  const std::string_view payload = bytes.substr(kHeader + kChecksumBytes);
  if (GetLe(bytes.substr(12), 8) != payload.size()) return InputError("scan result: length mismatch (truncated?)");
  if (RawSha256(bytes.substr(0, kHeader), payload) != bytes.substr(kHeader, kChecksumBytes)) {
    return InputError("scan result: checksum mismatch");
  }
  ScanResult s;
  Reader r(payload);
  auto& [os, layers, total_tar_bytes, total_blob_bytes, files] = s.summary;
  bool has_inv = false;
  bool ok = r.S(s.target) && GetImage(r, s.image) && GetOs(r, os) && r.Vec(layers, 9, GetLayerSummary) &&
            r.I(total_tar_bytes) && r.I(total_blob_bytes) && r.I(files) && r.Vec(s.findings, 15, GetFinding) &&
            r.Vec(s.suppressed, 15, GetFinding) && r.B(has_inv);
  if (ok && has_inv) {
    Inventory& inv = s.inventory.emplace();
    ok = r.Vec(inv.packages, 16, GetPackage) && r.Vec(inv.diagnostics, 2, GetDiagnostic) && r.Strings(inv.catalogers);
  }
  ok = ok && r.Vec(s.diagnostics, 2, GetDiagnostic) && r.Strings(s.scanners) && (r.done() || r.Fail("trailing bytes"));
  if (!ok) return r.error();
  return s;
}

// ---- LayerCache --------------------------------------------------------------------------

Result<std::unique_ptr<LayerCache>> LayerCache::Open(std::string dir, int64_t max_bytes) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.empty()) return EnvError("layer cache: no directory");
  // Each missing level is made private: the entries hold file contents of
  // the images scanned (e.g. /etc/shadow for the account checks).
  for (size_t at = dir.find('/', 1);; at = dir.find('/', at + 1)) {
    const std::string level = dir.substr(0, at);
    if (mkdir(level.c_str(), 0700) != 0 && errno != EEXIST) {
      return EnvError("layer cache {}: cannot create {}: {}", dir, level, std::strerror(errno));
    }
    if (at == std::string::npos) break;
  }
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return EnvError("layer cache {}: not a directory", dir);
  return std::unique_ptr<LayerCache>(new LayerCache(std::move(dir), std::max<int64_t>(max_bytes, 0)));
}

std::string LayerCache::EntryPath(std::string_view key) const {
  return fmt::format("{}/{}/{}", dir_, key.substr(0, 2), key.substr(2));
}

std::optional<LayerResult> LayerCache::Load(std::string_view key) const {
  if (KeyBytes(key).empty()) return std::nullopt;
  const std::string path = EntryPath(key);
  Fd f(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK));
  if (f.fd < 0) {
    misses_++;
    return std::nullopt;
  }
  struct stat st {};
  const bool regular = fstat(f.fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size <= kMaxLayerEntryBytes;
  EntryBuffer buf(regular ? static_cast<size_t>(st.st_size) : 0);
  if (!buf.ok()) {  // no memory to read it into: a miss, the entry may be fine
    misses_++;
    return std::nullopt;
  }
  size_t got = 0;
  while (regular && got < buf.size()) {
    const ssize_t n = pread(f.fd, buf.data() + got, buf.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    got += static_cast<size_t>(n);
  }
  auto decoded = regular ? DecodeLayerEntry(key, std::string_view(buf.data(), got))
                         : Result<LayerResult>(InputError("not a regular file"));
  if (!decoded.ok()) {
    // Never trusted: removed (unless a writer has since replaced it) and
    // recomputed by the caller.
    struct stat now {};
    if (S_ISREG(st.st_mode) && lstat(path.c_str(), &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev) {
      unlink(path.c_str());
    }
    dropped_++;
    misses_++;
    return std::nullopt;
  }
  // The mtime is the LRU clock.
  futimens(f.fd, nullptr);
  hits_++;
  return std::move(decoded).value();
}

Result<int64_t> LayerCache::Store(std::string_view key, const LayerResult& r) const {
  if (KeyBytes(key).empty()) return InputError("layer cache: bad key {:?}", key);
  if (r.error || r.diff_id.empty()) return InputError("layer cache: a failed layer is never stored");
  const std::string bytes = EncodeLayerEntry(key, r);
  if (static_cast<int64_t>(bytes.size()) > std::min(max_bytes_, kMaxLayerEntryBytes)) return int64_t{0};
  const std::string sub = fmt::format("{}/{}", dir_, key.substr(0, 2));
  if (mkdir(sub.c_str(), 0700) != 0 && errno != EEXIST) {
    return EnvError("layer cache {}: cannot create: {}", sub, std::strerror(errno));
  }
  unsigned char rnd[8] = {};
  if (RAND_bytes(rnd, sizeof rnd) != 1) return EnvError("layer cache: no random bytes for a temp name");
  const std::string tmp = fmt::format("{}/{}{}-{}", sub, kTempPrefix, getpid(),
                                      Hex(std::string_view(reinterpret_cast<const char*>(rnd), sizeof rnd)));
  Fd f(open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (f.fd < 0) return EnvError("layer cache {}: {}", tmp, std::strerror(errno));
  Status s = WriteAll(f.fd, bytes, tmp);
  if (s.ok() && fsync(f.fd) != 0) s = EnvError("layer cache {}: fsync: {}", tmp, std::strerror(errno));
  if (s.ok() && rename(tmp.c_str(), EntryPath(key).c_str()) != 0) {
    s = EnvError("layer cache {}: rename: {}", tmp, std::strerror(errno));
  }
  if (!s.ok()) {
    unlink(tmp.c_str());
    return s.error();
  }
  return static_cast<int64_t>(bytes.size());
}

LayerCache::EvictStats LayerCache::Evict() const {
  EvictStats stats;
  const std::string lock_path = dir_ + "/.lock";
  Fd lock(open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (lock.fd < 0 || flock(lock.fd, LOCK_EX | LOCK_NB) != 0) {
    stats.skipped = true;
    return stats;
  }
  std::vector<FileInfo> entries;
  int64_t total = 0;
  const time_t now = time(nullptr);
  Walk(
      dir_,
      [&](const FileInfo& fi) {
        total += fi.bytes;
        entries.push_back(fi);
      },
      [&](const FileInfo& fi, std::string_view name) {
        // A writer that is gone (or, whatever its pid says, one that has
        // been at it for an hour) will not rename its temp file. A live
        // writer in another pid namespace may look gone: losing its write
        // only costs a miss.
        const pid_t pid = TempOwner(name);
        const bool dead = pid == 0 || (kill(pid, 0) != 0 && errno == ESRCH);
        if ((dead || now - fi.mtime.tv_sec > 3600) && unlink(fi.path.c_str()) == 0) stats.stale_temps++;
      });
  if (total <= max_bytes_) return stats;
  std::sort(entries.begin(), entries.end(), [](const FileInfo& a, const FileInfo& b) {
    if (Older(a.mtime, b.mtime)) return true;
    if (Older(b.mtime, a.mtime)) return false;
    return a.path < b.path;
  });
  for (const FileInfo& fi : entries) {
    if (total <= max_bytes_) break;
    if (unlink(fi.path.c_str()) != 0) continue;
    total -= fi.bytes;
    stats.removed++;
    stats.removed_bytes += fi.bytes;
  }
  return stats;
}

LayerCache::Usage LayerCache::Measure() const {
  Usage u;
  Walk(
      dir_,
      [&](const FileInfo& fi) {
        u.entries++;
        u.bytes += fi.bytes;
        const int64_t t = fi.mtime.tv_sec;
        if (u.oldest == 0 || t < u.oldest) u.oldest = t;
        if (t > u.newest) u.newest = t;
      },
      [&](const FileInfo&, std::string_view) { u.temp_files++; });
  return u;
}

LayerCache::Usage LayerCache::Clear() const {
  Usage u;
  Walk(
      dir_,
      [&](const FileInfo& fi) {
        if (unlink(fi.path.c_str()) != 0) return;
        u.entries++;
        u.bytes += fi.bytes;
      },
      [&](const FileInfo& fi, std::string_view) {
        if (unlink(fi.path.c_str()) == 0) u.temp_files++;
      });
  for (int i = 0; i < 256; ++i) rmdir(fmt::format("{}/{:02x}", dir_, i).c_str());  // only when empty
  return u;
}

bool AdoptCachedResult(const Layer& layer, int64_t declared, LayerResult& r) {
  const int64_t size = declared >= 0 ? declared : layer.blob.size;
  if (size < 0 || r.diff_id != layer.diff_id) return false;
  const std::string_view mt = layer.blob.media_type;
  std::string compression;
  Digest digest = layer.blob.digest;
  if (!digest.empty() && digest == r.blob_digest) {
    // The very blob the result was computed from: what reading it measured.
    if (size != r.blob_bytes) return false;  // not that blob after all; reading it will say why
    compression = r.compression;
  } else if (mt.ends_with("+gzip") || mt.ends_with(".tar.gzip")) {
    compression = "gzip";
  } else if (mt.ends_with("+zstd") || mt.ends_with(".tar.zstd")) {
    compression = "zstd";
  } else if (mt.empty() || mt.ends_with(".v1.tar") || mt.ends_with(".diff.tar")) {
    compression = "none";
  } else {
    return false;
  }
  if (compression == "none") {
    // A plain tar is its own diff_id and its own size. Without a digest
    // (classic docker save) only the size can tell it from a compressed one.
    if ((!digest.empty() && digest != r.diff_id) || size != r.tar_bytes) return false;
    digest = r.diff_id;
  } else if (digest.empty() || digest == r.diff_id) {
    return false;
  }
  r.blob_name = layer.blob.name;
  r.blob_digest = std::move(digest);
  r.compression = std::move(compression);
  r.blob_bytes = size;
  return true;
}

}  // namespace drydock
