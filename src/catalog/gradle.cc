// Java packages from gradle.lockfile (Gradle's dependency locking, one
// file per project): "group:artifact:version=conf1,conf2" lines, `#`
// comments and an "empty=…" line naming configurations that resolved
// nothing. A dependency only test configurations resolve (every one named
// test…, e.g. testCompileClasspath) is kept and marked dev (scope=dev);
// the configurations are kept as gradle.configurations.
// Per-configuration lock files (gradle/dependency-locks/*.lockfile, Gradle
// before 6) use the same lines without "=…" and are read too.
#include <string>
#include <string_view>
#include <vector>

#include "base/path.h"
#include "catalog/catalogers.h"
#include "catalog/lockfile_util.h"

namespace drydock {

namespace {

constexpr size_t kMaxConfigurations = 1024;

bool IsGradleLock(std::string_view path) {
  const std::string_view base = Basename(path);
  return base == "gradle.lockfile" || (base.ends_with(".lockfile") && Basename(Dirname(path)) == "dependency-locks");
}

bool IsCoordinatePart(std::string_view s) {
  if (s.empty() || s.size() > 512) return false;
  for (const char c : s) {
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == ':' || c == '=' || c == ',') return false;
  }
  return true;
}

void CollectGradleLock(const CatalogInput& in, CatalogOutput& out) {
  for (const auto& f : FindCaptured(in, IsGradleLock)) {
    if (lang::HasNul(f.content)) {
      out.Skip(f.path, "gradle.lockfile: binary data (NUL byte)");
      continue;
    }
    lang::PackageSink sink(f, pkgtype::kMaven, out);
    std::string_view text = f.content;
    int line_no = 0;
    int bad = 0;
    while (!text.empty()) {
      const std::string_view line = lang::Trim(lang::NextLine(text));
      ++line_no;
      if (line.empty() || line.front() == '#' || line.starts_with("empty=")) continue;
      const size_t eq = line.find('=');
      const std::string_view coord = line.substr(0, eq);
      const std::string_view confs = eq == std::string_view::npos ? std::string_view() : line.substr(eq + 1);
      const size_t c1 = coord.find(':');
      const size_t c2 = c1 == std::string_view::npos ? c1 : coord.find(':', c1 + 1);
      if (c2 == std::string_view::npos || coord.find(':', c2 + 1) != std::string_view::npos) {
        if (bad++ == 0)
          out.Skip(f.path, "gradle.lockfile: line " + std::to_string(line_no) + ": not group:artifact:version");
        continue;
      }
      const std::string_view group = coord.substr(0, c1), artifact = coord.substr(c1 + 1, c2 - c1 - 1),
                             version = coord.substr(c2 + 1);
      if (!IsCoordinatePart(group) || !IsCoordinatePart(artifact) || !IsCoordinatePart(version)) continue;
      bool added = false;
      Package* p = sink.Add(std::string(group), std::string(artifact), std::string(version), &added);
      if (p == nullptr || !added) continue;
      bool test_only = !confs.empty();
      size_t count = 0;
      std::string kept;
      for (std::string_view rest = confs; !rest.empty() && count < kMaxConfigurations; ++count) {
        const size_t comma = rest.find(',');
        const std::string_view conf = lang::Trim(rest.substr(0, comma));
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
        if (conf.empty()) continue;
        test_only &= conf.starts_with("test");
        if (kept.size() + conf.size() < 1024) kept += (kept.empty() ? "" : ",") + std::string(conf);
      }
      if (!kept.empty()) p->metadata["gradle.configurations"] = kept;
      if (test_only) lang::MarkDev(*p);
    }
  }
}

}  // namespace

void GradleCatalogers(std::vector<Cataloger>& rows) {
  rows.push_back({.id = "gradle-lockfile",
                  .view_wants = lang::Wants({"gradle.lockfile"}, {".lockfile"}, lang::kMaxLockFileSize),
                  .collect = CollectGradleLock,
                  .lockfile = true});
}

}  // namespace drydock
