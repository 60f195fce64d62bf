// Test support for the language catalogers: run one cataloger's collect on
// a one-layer view, scan a small OCI image with the inventory on, read
// testdata, and describe packages as one comparable line each.
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "catalog/catalog.h"
#include "cli/scan.h"
#include "support/image_builder.h"
#include "support/tar_builder.h"

namespace drydock::testing {

// The bytes of tests/testdata/catalog/`rel`; fails the test if unreadable.
inline std::string CatalogTestdata(std::string_view rel) {
  const std::string path = std::string(DRYDOCK_TESTDATA) + "/catalog/" + std::string(rel);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// What collect of the cataloger `id` finds in a one-layer view holding
// `files` (path → content), every file regular and captured.
inline CatalogOutput RunCollect(std::string_view id, const std::map<std::string, std::string>& files) {
  auto layer = std::make_shared<LayerResult>();
  for (const auto& [path, content] : files) {
    layer->entries.push_back(
        FileNode{.path = path, .type = EntryType::kFile, .mode = 0644, .size = static_cast<int64_t>(content.size())});
    layer->captured[path] = content;
  }
  const FileSystemView fs({layer});
  const std::optional<OsRelease> os;
  CatalogOutput out;
  for (const auto& c : Catalogers()) {
    if (c.id == id) {
      c.collect(CatalogInput{fs, os}, out);
      return out;
    }
  }
  ADD_FAILURE() << "no cataloger " << id;
  return out;
}

// One line per package: "TYPE NS/NAME@VERSION [licenses] {k=v …} <path>".
inline std::string Describe(const Package& p) {
  std::string s = p.type + " " + p.FullName() + "@" + p.version;
  if (!p.licenses.empty()) {
    s += " [";
    for (size_t i = 0; i < p.licenses.size(); ++i) s += (i ? "," : "") + p.licenses[i];
    s += "]";
  }
  if (!p.metadata.empty()) {
    s += " {";
    bool first = true;
    for (const auto& [k, v] : p.metadata) {
      s += (first ? "" : " ") + k + "=" + v;
      first = false;
    }
    s += "}";
  }
  if (!p.evidence.empty()) s += " <" + p.evidence.front().path + ">";
  return s;
}

// Describe() of each package, sorted.
inline std::vector<std::string> DescribeAll(const std::vector<Package>& pkgs) {
  std::vector<std::string> out;
  for (const auto& p : pkgs) out.push_back(Describe(p));
  std::sort(out.begin(), out.end());
  return out;
}

// "NS/NAME@VERSION" of each package, sorted.
inline std::vector<std::string> NameVersions(const std::vector<Package>& pkgs) {
  std::vector<std::string> out;
  for (const auto& p : pkgs) out.push_back(p.FullName() + "@" + p.version);
  std::sort(out.begin(), out.end());
  return out;
}

// Builds an OCI layout of the layer tars `tars` (bottom first) in `dir` and
// scans it with the inventory on and the image checks off.
inline Result<ScanResult> ScanLayerTars(const TempDir& dir, const std::vector<std::string>& tars) {
  BlobStore store;
  nlohmann::json desc = store.AddImage(tars);
  for (const auto& [path, bytes] : store.blobs()) dir.Write(path, bytes);
  dir.Write("oci-layout", R"({"imageLayoutVersion": "1.0.0"})");
  dir.Write("index.json", IndexJson({desc}));
  ScanOptions opts;
  opts.source = Amd64Host();
  opts.inventory = true;
  opts.checks = false;
  return ScanImage("oci:" + dir.path(), opts);
}

// The same for layers given as tar entries.
inline Result<ScanResult> ScanLayers(const TempDir& dir, const std::vector<std::vector<TarEntry>>& layers) {
  std::vector<std::string> tars;
  for (const auto& l : layers) tars.push_back(MakeTar(l));
  return ScanLayerTars(dir, tars);
}

// A case's expected diagnostics: each `want` must be a substring of one
// diagnostic about `path`, and there must be no others.
inline void ExpectDiagnostics(const std::vector<Diagnostic>& got, const std::string& path, const std::string& want) {
  if (want.empty()) {
    for (const auto& d : got) ADD_FAILURE() << "unexpected diagnostic: " << d.where << ": " << d.message;
    return;
  }
  ASSERT_EQ(got.size(), 1u) << "want one diagnostic mentioning " << want;
  EXPECT_EQ(got[0].where, path);
  EXPECT_NE(got[0].message.find(want), std::string::npos) << got[0].message;
}

// One table case for a cataloger's collect: the files of a one-layer view,
// the packages it must find (Describe() lines, sorted) and the substring of
// its one diagnostic ("" for none).
struct CollectCase {
  std::string name;
  std::string cataloger;
  std::map<std::string, std::string> files;
  std::vector<std::string> want;
  std::string want_diag;
};

inline void RunCases(const std::vector<CollectCase>& cases) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const CatalogOutput out = RunCollect(c.cataloger, c.files);
    EXPECT_EQ(DescribeAll(out.packages), c.want);
    ExpectDiagnostics(out.diagnostics, c.files.begin()->first, c.want_diag);
  }
}

}  // namespace drydock::testing
