// The layer cache: the entry format (every field carried, every damaged
// byte detected, hostile payloads refused), the directory (LRU eviction,
// stale temp files, concurrent writers in several processes), the keys
// (what changes them), and LayerCollector answering from the cache exactly
// as a cold read would have.
#include "layer/cache.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <gtest/gtest.h>

#include "secret/analyzer.h"
#include "secret/compiled_cache.h"
#include "secret/engine.h"
#include "support/tar_builder.h"

namespace drydock {
namespace {

using testing::File;
using testing::MakeTar;
using testing::MemoryStream;
using testing::TempDir;

// ---- a dump of every field ------------------------------------------------------------------
// Each struct is taken apart with a structured binding naming every field,
// so adding a field to one of them fails to compile here (and in cache.cc)
// until the test dumps it and the cache carries it.

// Declared first: the vector overload finds them at its instantiation.
void D(std::string& o, const FileNode& n);
void D(std::string& o, const Location& l);
void D(std::string& o, const CvssScore& c);
void D(std::string& o, const Finding& f);
void D(std::string& o, const std::optional<Suppression>& s);
void D(std::string& o, const PackageEvidence& e);
void D(std::string& o, const Package& p);
void D(std::string& o, const Diagnostic& d);
void D(std::string& o, const std::string& s) { o += fmt::format("{:?};", s); }
void D(std::string& o, int64_t v) { o += fmt::format("{};", v); }
void D(std::string& o, int v) { o += fmt::format("{};", v); }
void D(std::string& o, uint32_t v) { o += fmt::format("{};", v); }
void D(std::string& o, double v) { o += fmt::format("{:a};", v); }
void D(std::string& o, const Digest& d) { o += d.str() + ";"; }
void D(std::string& o, EntryType t) { D(o, static_cast<int>(t)); }
void D(std::string& o, FindingKind k) { D(o, static_cast<int>(k)); }
void D(std::string& o, Severity s) { D(o, static_cast<int>(s)); }
template <typename T>
void D(std::string& o, const std::vector<T>& v) {
  o += "[";
  for (const auto& x : v) D(o, x);
  o += "]";
}
void D(std::string& o, const std::map<std::string, std::string>& m) {
  o += "{";
  for (const auto& [k, v] : m) {
    D(o, k);
    D(o, v);
  }
  o += "}";
}
void D(std::string& o, const FileNode& n) {
  const auto& [path, type, mode, uid, gid, size, link_target] = n;
  o += "node(";
  D(o, path), D(o, type), D(o, mode), D(o, uid), D(o, gid), D(o, size), D(o, link_target);
  o += ")";
}
void D(std::string& o, const Location& l) {
  const auto& [layer_index, diff_id, created_by, path, line, config_field, column] = l;
  o += "loc(";
  D(o, layer_index), D(o, diff_id), D(o, created_by), D(o, path), D(o, line), D(o, config_field), D(o, column);
  o += ")";
}
void D(std::string& o, const CvssScore& c) {
  const auto& [version, vector, score, source] = c;
  o += "cvss(";
  D(o, version), D(o, vector), D(o, score), D(o, source);
  o += ")";
}
void D(std::string& o, const std::optional<VulnerabilityDetail>& v) {
  if (!v) {
    o += "novuln;";
    return;
  }
  const auto& [id, aliases, package_name, package_id, purl, installed_version, fixed_versions, status, severity_source,
               cvss, data_source, published] = *v;
  o += "vuln(";
  D(o, id), D(o, aliases), D(o, package_name), D(o, package_id), D(o, purl), D(o, installed_version);
  D(o, fixed_versions), D(o, status), D(o, severity_source), D(o, cvss), D(o, data_source), D(o, published);
  o += ")";
}
void D(std::string& o, const std::optional<Suppression>& s) {
  if (!s) {
    o += "nosuppression;";
    return;
  }
  const auto& [kind, source, reason, justification, expires, status] = *s;
  o += "suppression(";
  D(o, kind), D(o, source), D(o, reason), D(o, justification), D(o, expires), D(o, status);
  o += ")";
}
void D(std::string& o, const Finding& f) {
  const auto& [rule_id, kind, severity, title, description, remediation, location, evidence, references, fingerprint,
               vuln, more_locations, secret_digest, suppression, vex_note] = f;
  o += "finding(";
  D(o, rule_id), D(o, kind), D(o, severity), D(o, title), D(o, description), D(o, remediation), D(o, location);
  D(o, evidence), D(o, references), D(o, fingerprint), D(o, vuln), D(o, more_locations), D(o, secret_digest);
  D(o, suppression), D(o, vex_note);
  o += ")";
}
void D(std::string& o, const PackageEvidence& e) {
  const auto& [cataloger, path, inner, layer_index] = e;
  o += "evidence(";
  D(o, cataloger), D(o, path), D(o, inner), D(o, layer_index);
  o += ")";
}
void D(std::string& o, const Package& p) {
  const auto& [type, namespace_, name, version, arch, source_name, source_version, licenses, metadata, evidence, files,
               purl, id, layer_index, diff_id, created_by] = p;
  o += "package(";
  D(o, type), D(o, namespace_), D(o, name), D(o, version), D(o, arch), D(o, source_name), D(o, source_version);
  D(o, licenses), D(o, metadata), D(o, evidence), D(o, files), D(o, purl), D(o, id), D(o, layer_index);
  D(o, diff_id), D(o, created_by);
  o += ")";
}
void D(std::string& o, const Diagnostic& d) {
  const auto& [where, message] = d;
  o += "diag(";
  D(o, where), D(o, message);
  o += ")";
}
// Every field but `error` (never cached: the test sets none).
std::string Dump(const LayerResult& r) {
  const auto& [blob_name, blob_digest, diff_id, compression, blob_bytes, tar_bytes, entries, whiteouts, opaque_dirs,
               captured, findings, packages, diagnostics, error] = r;
  std::string o;
  D(o, blob_name), D(o, blob_digest), D(o, diff_id), D(o, compression), D(o, blob_bytes), D(o, tar_bytes);
  D(o, entries), D(o, whiteouts), D(o, opaque_dirs), D(o, captured), D(o, findings), D(o, packages);
  D(o, diagnostics);
  o += error ? "error" : "noerror";
  return o;
}

// A result with every field of every struct set to something other than
// its default (checked below), and every enum at its last value somewhere.
LayerResult FullResult() {
  LayerResult r;
  r.blob_name = "blobs/sha256/" + std::string(64, 'b');
  r.blob_digest = Sha256Of("blob");
  r.diff_id = Sha256Of("tar");
  r.compression = "zstd";
  r.blob_bytes = 1234;
  r.tar_bytes = (int64_t{1} << 40) + 7;
  r.entries = {{"/etc/passwd", EntryType::kFile, 04755, 1000, 4294967295u, 99, "x"},
               {"/usr/bin/sh", EntryType::kHardlink, 0777, 7, 8, 5, "/bin/busybox"},
               {"/dev/null", EntryType::kOther, 1, 2, 3, 4, "link"}};
  r.whiteouts = {"/tmp/gone"};
  r.opaque_dirs = {"/", "/var/cache"};
  r.captured = {{"/etc/passwd", std::string("root:x:0:0\n\0binary\xff", 20)}, {"/etc/shadow", "s"}};
  Finding f;
  f.rule_id = "DD-SECRET-aws";
  f.kind = FindingKind::kLicense;
  f.severity = Severity::kCritical;
  f.title = "title";
  f.description = "description";
  f.remediation = "remediation";
  f.location = Location{3, "sha256:ab", "RUN x", "/app/.env", 12, "config.Env[X]", 5};
  f.evidence = "AKIA****";
  f.references = {"https://example.test/a", "CIS 4.10"};
  f.fingerprint = "fp";
  f.vuln = VulnerabilityDetail{"CVE-1",
                               {"GHSA-1"},
                               "openssl",
                               "pkgid",
                               "pkg:deb/openssl",
                               "1.0",
                               {"1.1", "1.2"},
                               "fixed",
                               "nvd",
                               {{"3.1", "CVSS:3.1/AV:N", 9.8, "nvd"}, {"4.0", "CVSS:4.0", 0.1, "ghsa"}},
                               "debian",
                               "2024-01-01T00:00:00Z"};
  f.more_locations = {Location{4, "sha256:cd", "COPY", "/b", 1, "f", 2}};
  f.secret_digest = "sha256:digest";
  f.suppression = Suppression{
      "vex", "vex.json: statements[3]", "not reachable", "code_not_reachable", "2030-01-01", "not_affected"};
  f.vex_note = Suppression{"vex", "vex.json: statements[4]", "looking", "j", "2031-01-01", "under_investigation"};
  r.findings = {f};
  Package p;
  p.type = "deb";
  p.namespace_ = "ns";
  p.name = "openssl";
  p.version = "1:3.0-1";
  p.arch = "amd64";
  p.source_name = "openssl-src";
  p.source_version = "3.0";
  p.licenses = {"Apache-2.0"};
  p.metadata = {{"a", "1"}, {"go.version", "go1.22"}};
  p.evidence = {{"dpkg", "/var/lib/dpkg/status", "inner.jar", 2}};
  p.files = {"/usr/lib/libssl.so"};
  p.purl = "pkg:deb/debian/openssl";
  p.id = "0123456789abcdef";
  p.layer_index = 1;
  p.diff_id = "sha256:ef";
  p.created_by = "RUN apt-get install";
  r.packages = {p};
  r.diagnostics = {{"/etc/x", "malformed"}};
  return r;
}

// ---- every field non-default -----------------------------------------------------------------

bool Set(const std::string& s) { return !s.empty(); }
bool Set(int64_t v) { return v != 0; }
bool Set(int v) { return v != 0 && v != -1; }
bool Set(uint32_t v) { return v != 0; }
bool Set(double v) { return v != 0; }
bool Set(const Digest& d) { return !d.empty(); }
template <typename T>
bool Set(const std::vector<T>& v) {
  return !v.empty();
}
bool Set(const std::map<std::string, std::string>& m) { return !m.empty(); }
template <typename T>
bool Set(const std::optional<T>& v) {
  return v.has_value();
}
template <typename T>
bool Set(const Box<T>& v) {
  return v.has_value();
}
bool Set(const SharedText& s) { return !s.empty(); }
bool Set(EntryType) { return true; }

template <typename... T>
bool AllSet(const T&... fields) {
  return (Set(fields) && ...);
}

TEST(LayerCacheFormat, TheSampleSetsEveryField) {
  const LayerResult r = FullResult();
  for (const FileNode& n : r.entries) {
    const auto& [path, type, mode, uid, gid, size, link_target] = n;
    EXPECT_TRUE(AllSet(path, type, mode, uid, gid, size, link_target)) << n.path;
  }
  const Finding& f = r.findings.at(0);
  const auto& [rule_id, kind, severity, title, description, remediation, location, evidence, references, fingerprint,
               vuln, more_locations, secret_digest, suppression, vex_note] = f;
  EXPECT_TRUE(AllSet(rule_id, title, description, remediation, evidence, references, fingerprint, vuln, more_locations,
                     secret_digest, suppression, vex_note));
  for (const Suppression& s : {*f.suppression, *f.vex_note}) {
    const auto& [skind, source, reason, justification, expires, status] = s;
    EXPECT_TRUE(AllSet(skind, source, reason, justification, expires, status));
  }
  for (const Location& l : std::vector<Location>{f.location, f.more_locations.at(0)}) {
    const auto& [layer_index, diff_id, created_by, path, line, config_field, column] = l;
    EXPECT_TRUE(AllSet(layer_index, diff_id, created_by, path, line, config_field, column));
  }
  const auto& [id, aliases, package_name, package_id, purl, installed_version, fixed_versions, status, severity_source,
               cvss, data_source, published] = *f.vuln;
  EXPECT_TRUE(AllSet(id, aliases, package_name, package_id, purl, installed_version, fixed_versions, status,
                     severity_source, cvss, data_source, published));
  for (const CvssScore& c : f.vuln->cvss) {
    const auto& [version, vector, score, source] = c;
    EXPECT_TRUE(AllSet(version, vector, score, source));
  }
  const Package& p = r.packages.at(0);
  const auto& [type, namespace_, name, version, arch, source_name, source_version, licenses, metadata, pevidence, files,
               ppurl, pid, layer_index, diff_id, created_by] = p;
  EXPECT_TRUE(AllSet(type, namespace_, name, version, arch, source_name, source_version, licenses, metadata, pevidence,
                     files, ppurl, pid, layer_index, diff_id, created_by));
  const auto& [cataloger, epath, inner, elayer] = p.evidence.at(0);
  EXPECT_TRUE(AllSet(cataloger, epath, inner, elayer));
  const auto& [where, message] = r.diagnostics.at(0);
  EXPECT_TRUE(AllSet(where, message));
  const auto& [blob_name, blob_digest, rdiff_id, compression, blob_bytes, tar_bytes, entries, whiteouts, opaque_dirs,
               captured, findings, packages, diagnostics, error] = r;
  EXPECT_TRUE(AllSet(blob_name, blob_digest, rdiff_id, compression, blob_bytes, tar_bytes, entries, whiteouts,
                     opaque_dirs, captured, findings, packages, diagnostics));
  EXPECT_FALSE(error.has_value());
}

const std::string kKey(64, 'a');

TEST(LayerCacheFormat, RoundTripCarriesEveryFieldButTheBlobName) {
  LayerResult want = FullResult();
  auto got = DecodeLayerEntry(kKey, EncodeLayerEntry(kKey, want));
  ASSERT_TRUE(got.ok()) << got.error().message;
  want.blob_name.clear();  // names the blob in one source only
  EXPECT_EQ(Dump(*got), Dump(want));
  // Default (empty) values survive too.
  LayerResult empty;
  empty.diff_id = Sha256Of("");
  empty.compression = "none";
  auto e = DecodeLayerPayload(EncodeLayerPayload(empty));
  ASSERT_TRUE(e.ok()) << e.error().message;
  EXPECT_EQ(Dump(*e), Dump(empty));
}

TEST(LayerCacheFormat, EncodingIsCanonical) {
  const std::string payload = EncodeLayerPayload(FullResult());
  auto decoded = DecodeLayerPayload(payload);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(EncodeLayerPayload(*decoded), payload);
}

TEST(LayerCacheFormat, EveryFlippedBitAndEveryTruncationIsDetected) {
  LayerResult r = FullResult();
  r.findings.clear();  // a smaller entry: every byte is tried
  r.packages.clear();
  const std::string entry = EncodeLayerEntry(kKey, r);
  ASSERT_TRUE(DecodeLayerEntry(kKey, entry).ok());
  for (size_t i = 0; i < entry.size(); ++i) {
    for (int bit = 0; bit < 8; bit += 3) {
      std::string bad = entry;
      bad[i] = static_cast<char>(bad[i] ^ (1 << bit));
      EXPECT_FALSE(DecodeLayerEntry(kKey, bad).ok()) << "byte " << i << " bit " << bit;
    }
  }
  for (size_t n = 0; n < entry.size(); ++n) {
    EXPECT_FALSE(DecodeLayerEntry(kKey, std::string_view(entry).substr(0, n)).ok()) << "truncated to " << n;
  }
  EXPECT_FALSE(DecodeLayerEntry(kKey, entry + "x").ok()) << "trailing byte";
}

TEST(LayerCacheFormat, ForeignEntriesAreRefused) {
  const std::string entry = EncodeLayerEntry(kKey, FullResult());
  struct Case {
    std::string name;
    std::string key;
    std::string bytes;
    std::string want;
  };
  std::string magic = entry;
  magic.replace(0, 8, "DDLAYER2");
  std::string version = entry;
  version[8] = 2;
  const Case cases[] = {
      {"another key", std::string(64, 'b'), entry, "another key"},
      {"other magic", kKey, magic, "magic"},
      {"other format version", kKey, version, "format 2"},
      {"a compiled secret rules file", kKey, "drydock compiled secret rules 1\n" + std::string(100, 'x'), "magic"},
      {"empty", kKey, "", "truncated"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = DecodeLayerEntry(c.key, c.bytes);
    ASSERT_FALSE(got.ok());
    testing::ExpectMentions(got.error().message, {"layer cache entry", c.want});
  }
}

// Payloads a writer could not have produced, each refused with a reason.
TEST(LayerCacheFormat, MalformedPayloadsAreRefused) {
  auto with = [](auto edit) {
    LayerResult r = FullResult();
    edit(r);
    return EncodeLayerPayload(r);
  };
  const std::string good = EncodeLayerPayload(FullResult());
  std::string huge_count;  // the diff_id, then a string length of 2^63
  huge_count.push_back(static_cast<char>(71));
  huge_count += Sha256Of("tar").str();
  huge_count += std::string("\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 9);
  struct Case {
    std::string name;
    std::string payload;
    std::string want;
  };
  const Case cases[] = {
      {"empty", "", "unexpected end"},
      {"no diff_id", with([](LayerResult& r) { r.diff_id = Digest{}; }), "no diff_id"},
      {"bad digest", with([](LayerResult& r) { r.diff_id.hex = "XYZ"; }), "bad digest"},
      {"unknown compression", with([](LayerResult& r) { r.compression = "bzip2"; }), "unknown compression"},
      {"negative size", with([](LayerResult& r) { r.tar_bytes = -1; }), "negative"},
      {"entry path with ..", with([](LayerResult& r) { r.entries[0].path = "/a/../etc/shadow"; }), "not clean"},
      {"relative entry path", with([](LayerResult& r) { r.entries[0].path = "etc/passwd"; }), "not clean"},
      {"entry path with NUL", with([](LayerResult& r) { r.entries[0].path = std::string("/a\0b", 4); }), "not clean"},
      {"entry path with an empty component", with([](LayerResult& r) { r.entries[0].path = "/a//b"; }), "not clean"},
      {"entry path ending in .", with([](LayerResult& r) { r.entries[0].path = "/a/."; }), "not clean"},
      {"entry path ending in ..", with([](LayerResult& r) { r.entries[0].path = "/a/.."; }), "not clean"},
      {"entry path that is /..", with([](LayerResult& r) { r.entries[0].path = "/.."; }), "not clean"},
      {"hardlink target not clean", with([](LayerResult& r) { r.entries[1].link_target = "../x"; }), "hardlink"},
      {"mode over 07777", with([](LayerResult& r) { r.entries[0].mode = 010000; }), "out of range"},
      {"unknown entry type", with([](LayerResult& r) { r.entries[0].type = static_cast<EntryType>(99); }), "enum"},
      {"unknown severity", with([](LayerResult& r) { r.findings[0].severity = static_cast<Severity>(9); }), "enum"},
      {"whiteout not clean", with([](LayerResult& r) { r.whiteouts = {"/a/"}; }), "not clean"},
      {"captured path not clean", with([](LayerResult& r) {
         r.captured = {{"x", "y"}};
       }),
       "not clean"},
      {"line below zero", with([](LayerResult& r) { r.findings[0].location.line = -5; }), "out of range"},
      {"trailing bytes", good + std::string(1, '\0'), "trailing"},
      {"cut short", good.substr(0, good.size() - 1), "end"},
      {"string longer than the data", huge_count, "past the end"},
      {"overlong varint", std::string("\x80\x00", 2), "overlong"},
      {"varint past 64 bits", std::string("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 10), "64 bits"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto got = DecodeLayerPayload(c.payload);
    ASSERT_FALSE(got.ok());
    testing::ExpectMentions(got.error().message, {"layer cache entry", c.want});
  }
}

TEST(LayerCacheFormat, NamesThatOnlyLookLikeDotsAreClean) {
  LayerResult r = FullResult();
  for (const char* p : {"/...", "/.a", "/a/..b", "/a/b.", "/.a/.b/..c", "/a-/-b"}) {
    r.entries.push_back({p, EntryType::kFile, 0644, 0, 0, 1, ""});
  }
  auto got = DecodeLayerPayload(EncodeLayerPayload(r));
  ASSERT_TRUE(got.ok()) << got.error().message;
  EXPECT_EQ(got->entries.size(), r.entries.size());
}

TEST(LayerCacheFormat, CountsAreBoundedByTheDataLeft) {
  // diff_id, blob digest "", compression "none", sizes, then 2^40 entries
  // in a few bytes: refused before any allocation.
  std::string p;
  const std::string d = Sha256Of("tar").str();
  p.push_back(static_cast<char>(d.size()));
  p += d;
  p += std::string("\x00\x04none\x00\x00", 8);
  p += std::string("\x80\x80\x80\x80\x80\x20", 6);
  auto got = DecodeLayerPayload(p);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message.find("count exceeds"), std::string::npos) << got.error().message;
}

// ---- the fuzz corpus ----------------------------------------------------------------------------
// fuzz/corpus/layer_cache/seed-* are made by the encoder: the first byte is
// the fuzz target's mode (0: a whole entry, 1: a payload). Stale seeds fail
// here; DRYDOCK_UPDATE_GOLDEN=1 rewrites them.

std::vector<std::pair<std::string, std::string>> Seeds() {
  LayerResult small;
  small.diff_id = Sha256Of("t");
  small.blob_digest = Sha256Of("b");
  small.compression = "gzip";
  small.blob_bytes = 10;
  small.tar_bytes = 20;
  small.entries = {{"/etc", EntryType::kDir, 0755, 0, 0, 0, ""},
                   {"/etc/os-release", EntryType::kFile, 0644, 0, 0, 9, ""}};
  small.captured = {{"/etc/os-release", "ID=test\n"}};
  LayerResult empty;
  empty.diff_id = Sha256Of("");
  empty.compression = "none";
  const std::string key = LayerEntryKey(Sha256Of("t"), "seed");
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [name, r] :
       {std::pair{"full", FullResult()}, std::pair{"small", small}, std::pair{"empty", empty}}) {
    out.emplace_back("seed-entry-" + std::string(name), std::string(1, '\0') + EncodeLayerEntry(key, r));
    out.emplace_back("seed-payload-" + std::string(name), std::string(1, '\1') + EncodeLayerPayload(r));
  }
  return out;
}

TEST(LayerCacheFormat, FuzzSeedsAreCurrent) {
  const std::string dir = std::string(DRYDOCK_SOURCE_DIR) + "/fuzz/corpus/layer_cache";
  const char* update = std::getenv("DRYDOCK_UPDATE_GOLDEN");
  for (const auto& [name, bytes] : Seeds()) {
    const std::string path = dir + "/" + name;
    if (update != nullptr && std::string_view(update) == "1") {
      std::filesystem::create_directories(dir);
      std::ofstream(path, std::ios::binary) << bytes;
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    EXPECT_EQ(ss.str(), bytes) << path << " is stale: DRYDOCK_UPDATE_GOLDEN=1 rewrites it";
  }
}

// ---- the directory ---------------------------------------------------------------------------

std::unique_ptr<LayerCache> OpenCache(const TempDir& dir, int64_t max = kDefaultLayerCacheBytes) {
  auto c = LayerCache::Open(dir.path() + "/cache/layers", max);
  EXPECT_TRUE(c.ok()) << (c.ok() ? "" : c.error().message);
  return c.ok() ? std::move(*c) : nullptr;
}

std::string KeyOf(int i) { return LayerEntryKey(Sha256Of(std::to_string(i)), "test"); }

LayerResult SmallResult(int i) {
  LayerResult r;
  r.diff_id = Sha256Of(std::to_string(i));
  r.compression = "none";
  r.tar_bytes = 100 + i;
  r.entries = {{"/file" + std::to_string(i % 10), EntryType::kFile, 0644, 0, 0, 1, ""}};
  return r;
}

std::string EntryPathOf(const LayerCache& c, const std::string& key) {
  return c.dir() + "/" + key.substr(0, 2) + "/" + key.substr(2);
}

TEST(LayerCache, StoresAndLoads) {
  TempDir dir;
  auto cache = OpenCache(dir);
  ASSERT_TRUE(cache);
  EXPECT_FALSE(cache->Load(KeyOf(1)));
  auto n = cache->Store(KeyOf(1), FullResult());
  ASSERT_TRUE(n.ok()) << n.error().message;
  EXPECT_GT(*n, 0);
  auto got = cache->Load(KeyOf(1));
  ASSERT_TRUE(got);
  LayerResult want = FullResult();
  want.blob_name.clear();
  EXPECT_EQ(Dump(*got), Dump(want));
  EXPECT_EQ(cache->hits(), 1);
  EXPECT_EQ(cache->misses(), 1);
  struct stat st {};
  ASSERT_EQ(stat(EntryPathOf(*cache, KeyOf(1)).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u) << "entries hold file contents of the images";
  ASSERT_EQ(stat(cache->dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_EQ(cache->Measure().entries, 1);
  EXPECT_EQ(cache->Measure().temp_files, 0);
}

TEST(LayerCache, NeverStoresAFailedLayer) {
  TempDir dir;
  auto cache = OpenCache(dir);
  LayerResult r = SmallResult(1);
  r.error = InputError("gzip: broken");
  EXPECT_FALSE(cache->Store(KeyOf(1), r).ok());
  EXPECT_EQ(cache->Measure().entries, 0);
}

TEST(LayerCache, DamagedEntriesAreDroppedNotTrusted) {
  struct Case {
    std::string name;
    std::function<void(std::string&)> damage;
  };
  const Case cases[] = {
      {"a flipped byte in the payload", [](std::string& b) { b[b.size() / 2] ^= 0x01; }},
      {"a flipped byte in the checksum", [](std::string& b) { b[60] ^= 0x80; }},
      {"truncated", [](std::string& b) { b.resize(b.size() - 3); }},
      {"emptied", [](std::string& b) { b.clear(); }},
      {"another file", [](std::string& b) { b = "not an entry at all"; }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    auto cache = OpenCache(dir);
    ASSERT_TRUE(cache->Store(KeyOf(1), FullResult()).ok());
    const std::string path = EntryPathOf(*cache, KeyOf(1));
    std::string bytes;
    {
      std::ifstream in(path, std::ios::binary);
      std::stringstream ss;
      ss << in.rdbuf();
      bytes = ss.str();
    }
    c.damage(bytes);
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
    EXPECT_FALSE(cache->Load(KeyOf(1)));
    EXPECT_EQ(cache->dropped(), 1);
    EXPECT_FALSE(std::filesystem::exists(path)) << "the damaged entry is removed";
    ASSERT_TRUE(cache->Store(KeyOf(1), FullResult()).ok()) << "and can be written again";
    EXPECT_TRUE(cache->Load(KeyOf(1)));
  }
}

// A layer the size of a distribution's base (50k entries, an entry file of
// some MiB): read into huge-page memory and decoded into an advised array,
// and still refused when one byte anywhere differs or the end is missing.
LayerResult LargeResult() {
  LayerResult r = SmallResult(7);
  r.entries.clear();
  for (int i = 0; i < 50000; ++i) {
    r.entries.push_back(
        {fmt::format("/usr/share/doc/package-{:05}/changelog.Debian.gz", i), EntryType::kFile, 0644, 0, 0, i, ""});
  }
  r.captured["/var/lib/dpkg/status"] = std::string(3 << 20, 'x');
  return r;
}

TEST(LayerCache, LargeEntriesRoundTripAndDamageIsDetected) {
  TempDir dir;
  auto cache = OpenCache(dir);
  const LayerResult want = LargeResult();
  auto n = cache->Store(KeyOf(7), want);
  ASSERT_TRUE(n.ok()) << n.error().message;
  ASSERT_GT(*n, int64_t{4} << 20) << "spans huge pages";
  auto got = cache->Load(KeyOf(7));
  ASSERT_TRUE(got);
  EXPECT_EQ(Dump(*got), Dump(want));
  const std::string path = EntryPathOf(*cache, KeyOf(7));
  const auto size = std::filesystem::file_size(path);
  struct Case {
    std::string name;
    std::function<void()> damage;
  };
  auto flip = [&](uint64_t at) {
    std::fstream f(path, std::ios::binary | std::ios::in | std::ios::out);
    f.seekg(static_cast<std::streamoff>(at));
    const char c = static_cast<char>(f.get() ^ 0x20);
    f.seekp(static_cast<std::streamoff>(at));
    f.put(c);
  };
  const Case cases[] = {
      {"a flipped byte in the first entry", [&] { flip(200); }},
      {"a flipped byte past the first huge page", [&] { flip((uint64_t{2} << 20) + 12345); }},
      {"a flipped last byte", [&] { flip(size - 1); }},
      {"truncated by one byte", [&] { std::filesystem::resize_file(path, size - 1); }},
      {"truncated at a huge page", [&] { std::filesystem::resize_file(path, uint64_t{2} << 20); }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const int64_t dropped = cache->dropped();
    c.damage();
    EXPECT_FALSE(cache->Load(KeyOf(7)));
    EXPECT_EQ(cache->dropped(), dropped + 1);
    EXPECT_FALSE(std::filesystem::exists(path)) << "the damaged entry is removed";
    ASSERT_TRUE(cache->Store(KeyOf(7), want).ok());
    ASSERT_TRUE(cache->Load(KeyOf(7)));
  }
}

TEST(LayerCache, AnEntryCopiedUnderAnotherKeyIsRefused) {
  TempDir dir;
  auto cache = OpenCache(dir);
  ASSERT_TRUE(cache->Store(KeyOf(1), SmallResult(1)).ok());
  std::filesystem::create_directories(std::filesystem::path(EntryPathOf(*cache, KeyOf(2))).parent_path());
  std::filesystem::copy_file(EntryPathOf(*cache, KeyOf(1)), EntryPathOf(*cache, KeyOf(2)));
  EXPECT_FALSE(cache->Load(KeyOf(2)));
  EXPECT_TRUE(cache->Load(KeyOf(1)));
}

void SetMtime(const std::string& path, time_t t) {
  struct timespec times[2] = {{t, 0}, {t, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, 0), 0) << path;
}

TEST(LayerCache, EvictsLeastRecentlyUsedFirst) {
  TempDir dir;
  auto cache = OpenCache(dir);
  int64_t size = 0;
  for (int i = 1; i <= 4; ++i) {
    auto n = cache->Store(KeyOf(i), SmallResult(i));
    ASSERT_TRUE(n.ok());
    size = *n;
    SetMtime(EntryPathOf(*cache, KeyOf(i)), 1'000'000 + i * 100);  // written 1, 2, 3, 4
  }
  ASSERT_TRUE(cache->Load(KeyOf(1)));  // used now: the most recent
  auto bounded = LayerCache::Open(cache->dir(), 2 * size);
  ASSERT_TRUE(bounded.ok());
  const auto stats = (*bounded)->Evict();
  EXPECT_FALSE(stats.skipped);
  EXPECT_EQ(stats.removed, 2);
  EXPECT_EQ(stats.removed_bytes, 2 * size);
  EXPECT_TRUE(cache->Load(KeyOf(1)));
  EXPECT_FALSE(cache->Load(KeyOf(2)));
  EXPECT_FALSE(cache->Load(KeyOf(3)));
  EXPECT_TRUE(cache->Load(KeyOf(4)));
  EXPECT_EQ((*bounded)->Measure().bytes, 2 * size);
}

TEST(LayerCache, AnEntryOverTheBoundIsNotWritten) {
  TempDir dir;
  auto cache = OpenCache(dir, 100);
  auto n = cache->Store(KeyOf(1), FullResult());
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(*n, 0);
  EXPECT_EQ(cache->Measure().entries, 0);
}

TEST(LayerCache, EvictionRemovesTempFilesOfDeadWritersOnly) {
  TempDir dir;
  auto cache = OpenCache(dir);
  ASSERT_TRUE(cache->Store(KeyOf(1), SmallResult(1)).ok());
  const pid_t child = fork();
  if (child == 0) _exit(0);
  ASSERT_GT(child, 0);
  waitpid(child, nullptr, 0);
  const std::string sub = cache->dir() + "/" + KeyOf(1).substr(0, 2);
  const std::string dead = fmt::format("{}/.tmp-{}-00", sub, child);
  const std::string live = fmt::format("{}/.tmp-{}-01", sub, getpid());
  std::ofstream(dead) << "half an entry";
  std::ofstream(live) << "being written";
  EXPECT_EQ(cache->Measure().temp_files, 2);
  const auto stats = cache->Evict();
  EXPECT_EQ(stats.stale_temps, 1);
  EXPECT_FALSE(std::filesystem::exists(dead));
  EXPECT_TRUE(std::filesystem::exists(live));
  EXPECT_TRUE(cache->Load(KeyOf(1)));
}

TEST(LayerCache, ASecondEvictorDoesNotWaitForTheFirst) {
  TempDir dir;
  auto cache = OpenCache(dir);
  const std::string lock = cache->dir() + "/.lock";
  const int fd = open(lock.c_str(), O_RDWR | O_CREAT, 0600);
  ASSERT_GE(fd, 0);
  // flock locks belong to the open file description: a child holds it.
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);
  int done[2];
  ASSERT_EQ(pipe(done), 0);
  const pid_t child = fork();
  if (child == 0) {
    const int cfd = open(lock.c_str(), O_RDWR);
    flock(cfd, LOCK_EX);
    char c = 1;
    (void)!write(ready[1], &c, 1);
    (void)!read(done[0], &c, 1);
    _exit(0);
  }
  char c = 0;
  ASSERT_EQ(read(ready[0], &c, 1), 1);
  EXPECT_TRUE(cache->Evict().skipped);
  (void)!write(done[1], &c, 1);
  waitpid(child, nullptr, 0);
  EXPECT_FALSE(cache->Evict().skipped);
  close(fd);
  for (int p : {ready[0], ready[1], done[0], done[1]}) close(p);
}

// Several processes storing the same keys and others while others load
// them: every load is a complete entry or a miss, never a damaged one.
TEST(LayerCache, ConcurrentWritersAndReadersInSeveralProcesses) {
  TempDir dir;
  auto cache = OpenCache(dir);
  constexpr int kProcs = 4, kRounds = 30, kKeys = 6;
  std::vector<pid_t> kids;
  for (int p = 0; p < kProcs; ++p) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      auto c = LayerCache::Open(cache->dir(), kDefaultLayerCacheBytes);
      int bad = 0;
      for (int round = 0; round < kRounds; ++round) {
        for (int k = 0; k < kKeys; ++k) {
          if ((round + k + p) % 2 == 0) {
            if (!(*c)->Store(KeyOf(k), SmallResult(k)).ok()) bad++;
          } else if (auto r = (*c)->Load(KeyOf(k)); r && r->tar_bytes != 100 + k) {
            bad++;
          }
        }
        if (round % 10 == 0) (*c)->Evict();
      }
      _exit(bad == 0 && (*c)->dropped() == 0 ? 0 : 1);
    }
    kids.push_back(pid);
  }
  for (pid_t pid : kids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "a process saw a damaged entry or failed a write";
  }
  for (int k = 0; k < kKeys; ++k) {
    auto r = cache->Load(KeyOf(k));
    ASSERT_TRUE(r) << k;
    EXPECT_EQ(Dump(*r), Dump(SmallResult(k)));
  }
  EXPECT_EQ(cache->Measure().temp_files, 0);
  EXPECT_EQ(cache->dropped(), 0);
}

TEST(LayerCache, ClearRemovesEverything) {
  TempDir dir;
  auto cache = OpenCache(dir);
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(cache->Store(KeyOf(i), SmallResult(i)).ok());
  const auto before = cache->Measure();
  EXPECT_EQ(before.entries, 5);
  const auto removed = cache->Clear();
  EXPECT_EQ(removed.entries, 5);
  EXPECT_EQ(removed.bytes, before.bytes);
  EXPECT_EQ(cache->Measure().entries, 0);
}

// ---- keys ------------------------------------------------------------------------------------

class FakeAnalyzer final : public LayerAnalyzer {
 public:
  FakeAnalyzer(std::string name, FileWants wants, std::string key = "")
      : name_(std::move(name)), wants_(std::move(wants)), key_(std::move(key)) {}
  std::string_view name() const override { return name_; }
  const FileWants& wants() const override { return wants_; }
  std::string cache_key() const override { return key_; }
  void OnFile(const FileNode&, std::string_view, LayerResult&) const override {}

 private:
  std::string name_;
  FileWants wants_;
  std::string key_;
};

bool KeepAll(std::string_view) { return true; }

TEST(AnalyzerKey, ChangesWithWhatShapesResults) {
  FileWants base;
  base.globs = {"/etc/passwd"};
  const FakeAnalyzer a("a", base), b("b", base);
  const PipelineOptions opts;
  const std::string key = AnalyzerKey({&a, &b}, opts);
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key, AnalyzerKey({&a, &b}, opts)) << "stable";
  auto wants = [&](auto edit) {
    FileWants w = base;
    edit(w);
    return w;
  };
  struct Case {
    std::string name;
    FakeAnalyzer changed;
  };
  const Case cases[] = {
      {"name", FakeAnalyzer("c", base)},
      {"cache_key", FakeAnalyzer("b", base, "rules v2")},
      {"globs", FakeAnalyzer("b", wants([](FileWants& w) { w.globs.push_back("/etc/group"); }))},
      {"basenames", FakeAnalyzer("b", wants([](FileWants& w) { w.basenames = {"package.json"}; }))},
      {"suffixes", FakeAnalyzer("b", wants([](FileWants& w) { w.suffixes = {".jar"}; }))},
      {"magic", FakeAnalyzer("b", wants([](FileWants& w) {
                               w.magic = {
                                   "\x7f"
                                   "ELF"};
                             }))},
      {"executable", FakeAnalyzer("b", wants([](FileWants& w) { w.executable = true; }))},
      {"all_regular_files", FakeAnalyzer("b", wants([](FileWants& w) { w.all_regular_files = true; }))},
      {"max_size", FakeAnalyzer("b", wants([](FileWants& w) { w.max_size = 2 << 20; }))},
      {"capture", FakeAnalyzer("b", wants([](FileWants& w) { w.capture = true; }))},
      {"keep_head", FakeAnalyzer("b", wants([](FileWants& w) { w.keep_head = &KeepAll; }))},
      {"quiet_over_limit", FakeAnalyzer("b", wants([](FileWants& w) { w.quiet_over_limit = true; }))},
      // A glob list split differently is another list.
      {"list boundaries", FakeAnalyzer("b", wants([](FileWants& w) {
                                         w.globs = {"/etc/", "passwd"};
                                       }))},
  };
  for (const auto& c : cases) {
    EXPECT_NE(AnalyzerKey({&a, &c.changed}, opts), key) << c.name;
  }
  EXPECT_NE(AnalyzerKey({&b, &a}, opts), key) << "order";
  EXPECT_NE(AnalyzerKey({&a}, opts), key) << "one analyzer fewer";
  PipelineOptions limits;
  limits.max_entries_per_layer = 10;
  EXPECT_NE(AnalyzerKey({&a, &b}, limits), key) << "entry limit";
  PipelineOptions chunks;
  chunks.chunk_size = 4096;
  chunks.on_progress = [](int64_t) {};
  EXPECT_EQ(AnalyzerKey({&a, &b}, chunks), key) << "chunk size and progress do not change results";
  EXPECT_NE(LayerEntryKey(Sha256Of("x"), key), LayerEntryKey(Sha256Of("y"), key));
  EXPECT_NE(LayerEntryKey(Sha256Of("x"), key), LayerEntryKey(Sha256Of("x"), AnalyzerKey({&a}, opts)));
}

TEST(AnalyzerKey, CoversThisBinary) {
  const std::string id = BinaryIdentity();
  EXPECT_TRUE(id.starts_with("build-id ") || id.starts_with("version ")) << id;
  EXPECT_EQ(id, BinaryIdentity());
}

TEST(SecretAnalyzerKey, ChangesWithTheRulesAndKeepsTheValueKeyOfACacheDir) {
  TempDir dir;
  const std::string secret_dir = dir.path() + "/secret";
  auto make = [](const secret::Config& cfg, const std::string& cache) {
    auto e = secret::Engine::Create(cfg, cache);
    EXPECT_TRUE(e.ok()) << (e.ok() ? "" : e.error().message);
    return *e;
  };
  const auto a = make({}, secret_dir);
  const auto b = make({}, secret_dir);
  EXPECT_EQ(a->cache_key(), b->cache_key()) << "same rules, same cache dir";
  EXPECT_EQ(a->ValueDigest("hunter2-password"), b->ValueDigest("hunter2-password"))
      << "digests stored by one run group with the next run's";
  EXPECT_NE(a->ValueDigest("hunter2-password"), a->ValueDigest("hunter3-password"));
  struct stat st {};
  ASSERT_EQ(stat((secret_dir + "/value.key").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_size, 32);

  secret::Config disabled;
  disabled.disable = {"github-pat"};
  secret::Config allowed;
  allowed.allow_paths = {"^/opt/"};
  secret::Config values;
  values.allow_regexes = {"EXAMPLE$"};
  for (const auto& [name, cfg] :
       {std::pair{"disable", disabled}, std::pair{"allow.paths", allowed}, std::pair{"allow.regexes", values}}) {
    EXPECT_NE(make(cfg, secret_dir)->cache_key(), a->cache_key()) << name;
  }
  // Another cache dir (its compiled rules copied, to spare a compile) has
  // another value key.
  TempDir other;
  std::filesystem::copy(secret_dir, other.path() + "/secret");
  std::filesystem::remove(other.path() + "/secret/value.key");
  const auto c = make({}, other.path() + "/secret");
  EXPECT_NE(c->cache_key(), a->cache_key()) << "another value key";
  EXPECT_NE(c->ValueDigest("hunter2-password"), a->ValueDigest("hunter2-password"));
  EXPECT_NE(secret::ValueKey(""), secret::ValueKey("")) << "no cache dir: a key per engine";
  const secret::SecretAnalyzer analyzer(a);
  EXPECT_EQ(analyzer.cache_key(), a->cache_key());
}

// ---- adopting a cached result for a blob ------------------------------------------------------

TEST(AdoptCachedResult, BlobFieldsAreWhatReadingTheBlobWouldMeasure) {
  const std::string tar = MakeTar({File("etc/hostname", "box\n")});
  const std::string gz = testing::Gzip(tar);
  const Digest diff_id = Sha256Of(tar), gz_digest = Sha256Of(gz);
  const auto tar_size = static_cast<int64_t>(tar.size()), gz_size = static_cast<int64_t>(gz.size());
  LayerResult from_gzip;  // what the cache holds, computed from the gzip blob
  from_gzip.diff_id = diff_id;
  from_gzip.blob_digest = gz_digest;
  from_gzip.compression = "gzip";
  from_gzip.blob_bytes = gz_size;
  from_gzip.tar_bytes = tar_size;
  const Digest other = Sha256Of("other blob");
  struct Case {
    std::string name;
    LayerBlob blob;
    int64_t declared;
    bool want;
    std::string want_compression;
    Digest want_digest;
    int64_t want_bytes;
  };
  const std::string oci = "application/vnd.oci.image.layer.v1.tar";
  const std::string docker = "application/vnd.docker.image.rootfs.diff.tar";
  const Case cases[] = {
      {"the same gzip blob", {"l", oci + "+gzip", gz_digest, gz_size}, gz_size, true, "gzip", gz_digest, gz_size},
      {"the same blob, no media type (Docker 25 save)",
       {"l", "", gz_digest, -1},
       gz_size,
       true,
       "gzip",
       gz_digest,
       gz_size},
      {"the same blob, another size: not that blob", {"l", oci + "+gzip", gz_digest, 5}, 5, false, "", {}, 0},
      {"another gzip blob", {"l", oci + "+gzip", other, 77}, 77, true, "gzip", other, 77},
      {"docker gzip", {"l", docker + ".gzip", other, 77}, -1, true, "gzip", other, 77},
      {"zstd", {"l", oci + "+zstd", other, 66}, 66, true, "zstd", other, 66},
      {"docker zstd", {"l", docker + ".zstd", other, 66}, 66, true, "zstd", other, 66},
      {"plain OCI tar", {"l", oci, diff_id, tar_size}, tar_size, true, "none", diff_id, tar_size},
      {"plain docker tar", {"l", docker, diff_id, tar_size}, tar_size, true, "none", diff_id, tar_size},
      {"plain tar media type on a compressed blob", {"l", oci, other, 77}, 77, false, "", {}, 0},
      {"classic docker save", {"id/layer.tar", "", {}, -1}, tar_size, true, "none", diff_id, tar_size},
      {"classic docker save of another size (compressed?)", {"id/layer.tar", "", {}, -1}, 99, false, "", {}, 0},
      {"no media type, another digest (Docker 25 gzip)", {"l", "", other, 77}, 77, false, "", {}, 0},
      {"gzip media type, no digest", {"l", oci + "+gzip", {}, 77}, 77, false, "", {}, 0},
      {"unknown media type", {"l", "application/x-tar+bzip2", other, 77}, 77, false, "", {}, 0},
      {"no size known", {"l", oci + "+gzip", other, -1}, -1, false, "", {}, 0},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    Layer layer;
    layer.blob = c.blob;
    layer.diff_id = diff_id;
    LayerResult r = from_gzip;
    ASSERT_EQ(AdoptCachedResult(layer, c.declared, r), c.want);
    if (!c.want) continue;
    EXPECT_EQ(r.blob_name, c.blob.name);
    EXPECT_EQ(r.compression, c.want_compression);
    EXPECT_EQ(r.blob_digest, c.want_digest);
    EXPECT_EQ(r.blob_bytes, c.want_bytes);
  }
  Layer wrong;
  wrong.blob = {"l", oci + "+gzip", gz_digest, gz_size};
  wrong.diff_id = other;
  LayerResult r = from_gzip;
  EXPECT_FALSE(AdoptCachedResult(wrong, gz_size, r)) << "another layer";
}

// ---- LayerCollector with a cache --------------------------------------------------------------

PipelineOptions SmallChunks() {
  PipelineOptions o;
  o.chunk_size = 4096;
  o.queue_depth = 2;
  return o;
}

struct Blob {
  std::string name;
  std::string bytes;
  std::string media_type;
  bool digest = true;  // the manifest names the blob digest
};

ImageInfo ImageOf(const std::vector<Blob>& blobs, const std::vector<std::string>& tars) {
  ImageInfo image;
  for (size_t i = 0; i < blobs.size(); ++i) {
    Layer l;
    l.index = static_cast<int>(i);
    l.blob = LayerBlob{blobs[i].name, blobs[i].media_type, blobs[i].digest ? Sha256Of(blobs[i].bytes) : Digest{},
                       static_cast<int64_t>(blobs[i].bytes.size())};
    if (!blobs[i].digest) l.blob.size = -1;
    l.diff_id = Sha256Of(tars[i]);
    image.config.diff_ids.push_back(l.diff_id);
    image.layers.push_back(l);
  }
  return image;
}

// Reads `blobs` as a source would: HaveLayer first, the blob only when the
// answer is no. Returns the verified results and how many came from the cache.
std::pair<std::vector<std::shared_ptr<const LayerResult>>, int> Collect(
    const std::vector<const LayerAnalyzer*>& analyzers, const LayerCache* cache, const std::vector<Blob>& blobs,
    const std::vector<std::string>& tars) {
  LayerCollector collector(analyzers, SmallChunks(), cache);
  ImageInfo image = ImageOf(blobs, tars);
  for (size_t i = 0; i < blobs.size(); ++i) {
    const auto size = static_cast<int64_t>(blobs[i].bytes.size());
    if (collector.HaveLayer(image.layers[i], size)) continue;
    MemoryStream s(blobs[i].bytes);
    EXPECT_TRUE(collector.OnLayerBlob(blobs[i].name, size, s).ok());
  }
  auto got = collector.Take(image);
  EXPECT_TRUE(got.ok()) << (got.ok() ? "" : got.error().message);
  return {got.ok() ? *got : std::vector<std::shared_ptr<const LayerResult>>{}, collector.layers_from_cache()};
}

TEST(LayerCollector, AWarmReadGivesWhatAColdReadGave) {
  const std::string base =
      MakeTar({File("etc/os-release", "ID=test\n"), File("etc/passwd", "root:x:0:0::/:/bin/sh\n"), testing::Dir("var"),
               testing::Symlink("bin", "usr/bin"), testing::Whiteout("tmp", "old"), testing::OpaqueMarker("opt")});
  const std::string app = MakeTar({File("app/config.env", "TOKEN=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\n")});
  const std::string oci = "application/vnd.oci.image.layer.v1.tar";
  struct Case {
    std::string name;
    std::vector<Blob> blobs;
  };
  const Case cases[] = {
      {"OCI gzip", {{"b0", testing::Gzip(base), oci + "+gzip"}, {"b1", testing::Gzip(app), oci + "+gzip"}}},
      {"OCI zstd", {{"b0", testing::Zstd(base), oci + "+zstd"}, {"b1", testing::Zstd(app), oci + "+zstd"}}},
      {"OCI plain", {{"b0", base, oci}, {"b1", app, oci}}},
      {"classic docker save", {{"0/layer.tar", base, "", false}, {"1/layer.tar", app, "", false}}},
      {"Docker 25 save, gzip", {{"b0", testing::Gzip(base), ""}, {"b1", testing::Gzip(app), ""}}},
  };
  FileWants capture;
  capture.globs = {"/etc/*"};
  capture.capture = true;
  const CaptureAnalyzer files(capture);
  auto engine = secret::Engine::Create({});
  ASSERT_TRUE(engine.ok());
  const secret::SecretAnalyzer secrets(*engine);
  const std::vector<const LayerAnalyzer*> analyzers = {&files, &secrets};
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    TempDir dir;
    auto cache = OpenCache(dir);
    const auto [cold, cold_hits] = Collect(analyzers, cache.get(), c.blobs, {base, app});
    ASSERT_EQ(cold.size(), 2u);
    EXPECT_EQ(cold_hits, 0);
    EXPECT_EQ(cache->Measure().entries, 2);
    ASSERT_FALSE(cold[1]->findings.empty()) << "the secret analyzer ran";
    const auto [warm, warm_hits] = Collect(analyzers, cache.get(), c.blobs, {base, app});
    EXPECT_EQ(warm_hits, 2);
    ASSERT_EQ(warm.size(), 2u);
    for (size_t i = 0; i < 2; ++i) EXPECT_EQ(Dump(*warm[i]), Dump(*cold[i])) << "layer " << i;
    const auto [plain, plain_hits] = Collect(analyzers, nullptr, c.blobs, {base, app});
    for (size_t i = 0; i < 2; ++i) EXPECT_EQ(Dump(*plain[i]), Dump(*cold[i])) << "without a cache, layer " << i;
  }
}

TEST(LayerCollector, AnotherAnalyzerSetDoesNotShareEntries) {
  const std::string tar = MakeTar({File("etc/passwd", "root:x:0:0::/:/bin/sh\n")});
  FileWants w;
  w.globs = {"/etc/passwd"};
  w.capture = true;
  const CaptureAnalyzer capture(w);
  TempDir dir;
  auto cache = OpenCache(dir);
  const std::vector<Blob> blobs = {{"b0", tar, "application/vnd.oci.image.layer.v1.tar"}};
  EXPECT_EQ(Collect({}, cache.get(), blobs, {tar}).second, 0);
  const auto [with_capture, hits] = Collect({&capture}, cache.get(), blobs, {tar});
  EXPECT_EQ(hits, 0) << "an entry made without the capture analyzer lacks the captured file";
  ASSERT_EQ(with_capture.size(), 1u);
  EXPECT_EQ(with_capture[0]->captured.count("/etc/passwd"), 1u);
  EXPECT_EQ(Collect({&capture}, cache.get(), blobs, {tar}).second, 1);
  EXPECT_EQ(cache->Measure().entries, 2);
}

TEST(LayerCollector, ALayerThatFailsVerificationIsNotStored) {
  const std::string tar = MakeTar({File("a", "1")});
  TempDir dir;
  auto cache = OpenCache(dir);
  LayerCollector collector({}, SmallChunks(), cache.get());
  MemoryStream s(tar);
  ASSERT_TRUE(collector.OnLayerBlob("l0", -1, s).ok());
  ImageInfo image;
  image.config.diff_ids = {Sha256Of("not this tar")};
  Layer l;
  l.blob.name = "l0";
  l.diff_id = image.config.diff_ids[0];
  image.layers = {l};
  EXPECT_FALSE(collector.Take(image).ok());
  EXPECT_EQ(cache->Measure().entries, 0);
  EXPECT_EQ(collector.bytes_stored(), 0);
}

}  // namespace
}  // namespace drydock
