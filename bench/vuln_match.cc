// Matching speed: 2,000 packages against a database of 100,000 advisories
// (PRODUCT.md: ≤ 50 ms). The database is synthetic but shaped like the real
// ones: every package has 50 advisories on its name (most already fixed at
// the installed version, 2 not), spread over Debian, PyPI, npm and Go, plus
// advisories on names the image does not have.
//
//   build/bench/bench_vuln_match [--benchmark_repetitions=N]
#include <unistd.h>

#include <filesystem>

#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include "vuln/db.h"
#include "vuln/match.h"

namespace drydock {
namespace {

constexpr int kPackages = 2000;
constexpr int kPerPackage = 50;
constexpr int kAdvisories = 100000;

struct Eco {
  const char* key;
  const char* type;
};
constexpr Eco kEcos[] = {{"debian:12", "deb"}, {"pypi", "pypi"}, {"npm", "npm"}, {"go", "golang"}};

std::string Name(int i) { return fmt::format("pkg{:05d}", i); }

struct Fixture {
  std::string dir;
  std::string db_path;
  Inventory inv;
  OsRelease os;

  Fixture() {
    char tmpl[] = "/tmp/drydock-bench-vuln-XXXXXX";
    dir = mkdtemp(tmpl);
    db_path = dir + "/drydock.db";
    os.id = "debian";
    os.version_id = "12";
    auto s = BuildDatabaseAtomically(db_path, [&](DbWriter& w) -> Status {
      for (int a = 0; a < kAdvisories; ++a) {
        // The first kPackages * kPerPackage advisories hit the inventory's
        // names; the rest are on names it does not have.
        const int pkg = a < kPackages * kPerPackage ? a % kPackages : kPackages + a;
        const int nth = a / kPackages;  // 0..49 for the hitting ones
        const Eco& eco = kEcos[pkg % 4];
        Advisory adv;
        adv.id = fmt::format("CVE-2024-{:06d}", a);
        adv.source = "bench";
        adv.title = "synthetic advisory " + adv.id;
        adv.cvss.push_back({"3.1", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"});
        Affected af;
        af.ecosystem = eco.key;
        af.package = Name(pkg);
        af.range_type = "ECOSYSTEM";
        // Installed is 10.0.0 (or 10.0.0-1 for Debian); fixes at 1.N.0 are
        // below it, fixes at 11.N.0 above it.
        const bool hits = nth < 2;
        const std::string fixed =
            fmt::format("{}.{}.0{}", hits ? 11 : 1, nth, std::string_view(eco.key) == "debian:12" ? "-1" : "");
        af.ranges.push_back(AffectedRange{"0", fixed, "", ""});
        adv.affected.push_back(std::move(af));
        RETURN_IF_ERROR(w.Add(adv));
      }
      return Ok();
    });
    if (!s.ok()) throw std::runtime_error(s.error().message);
    for (int i = 0; i < kPackages; ++i) {
      const Eco& eco = kEcos[i % 4];
      Package p;
      p.type = eco.type;
      p.name = Name(i);
      p.version = std::string_view(eco.type) == "deb"      ? "10.0.0-1"
                  : std::string_view(eco.type) == "golang" ? "v10.0.0"
                                                           : "10.0.0";
      p.id = fmt::format("{:016x}", i);
      inv.packages.push_back(std::move(p));
    }
  }
  ~Fixture() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

Fixture& Shared() {
  static Fixture f;
  return f;
}

void BM_Match2000Against100k(benchmark::State& state) {
  Fixture& f = Shared();
  auto db = VulnDb::Open(f.db_path);
  if (!db.ok()) {
    state.SkipWithError(db.error().message.c_str());
    return;
  }
  size_t found = 0;
  for (auto _ : state) {
    // Open included: a scan opens the database once.
    auto fresh = VulnDb::Open(f.db_path);
    auto got = MatchInventory(f.inv, f.os, *fresh);
    if (!got.ok()) {
      state.SkipWithError(got.error().message.c_str());
      return;
    }
    found = got->size();
    benchmark::DoNotOptimize(found);
  }
  state.counters["findings"] = static_cast<double>(found);
  state.counters["packages"] = kPackages;
  state.counters["advisories"] = kAdvisories;
}
BENCHMARK(BM_Match2000Against100k)->Unit(benchmark::kMillisecond)->MinTime(2.0);

}  // namespace
}  // namespace drydock

namespace drydock {
namespace {
void BM_LookupOnly(benchmark::State& state) {
  Fixture& f = Shared();
  auto db = VulnDb::Open(f.db_path);
  size_t rows = 0;
  for (auto _ : state) {
    rows = 0;
    for (const auto& p : f.inv.packages) {
      auto key = KeyFor(p, f.os);
      auto r = db->Lookup(key->ecosystem, key->names[0]);
      rows += r->rows.size();
    }
    benchmark::DoNotOptimize(rows);
  }
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_LookupOnly)->Unit(benchmark::kMillisecond)->MinTime(2.0);
void BM_CompareOnly(benchmark::State& state) {
  for (auto _ : state) {
    int s = 0;
    for (int i = 0; i < 100000; ++i) s += *CompareVersions(VersionScheme::kDpkg, "10.0.0-1", "1.23.0-1");
    benchmark::DoNotOptimize(s);
  }
}
BENCHMARK(BM_CompareOnly)->Unit(benchmark::kMillisecond);
}  // namespace
}  // namespace drydock
BENCHMARK_MAIN();
