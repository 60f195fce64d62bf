// The matchers the policy sources share: dates, RFC 3339 times, purls and
// their covering rule, version ranges per purl type, path globs, UTF-8.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "policy/internal.h"

namespace drydock::policy {
namespace {

TEST(PolicyDate, ParsesAndRejects) {
  struct Case {
    std::string in;
    bool ok;
    std::string error;  // substring
  };
  const std::vector<Case> cases = {
      {"2024-01-31", true, ""},
      {"2024-02-29", true, ""},  // leap year
      {"2000-02-29", true, ""},  // divisible by 400
      {"2024-02-30", false, "February 2024 has 29 days"},
      {"2023-02-29", false, "February 2023 has 28 days"},
      {"1900-02-29", false, "February 1900 has 28 days"},
      {"2024-04-31", false, "April 2024 has 30 days"},
      {"2024-13-01", false, "no month 13"},
      {"2024-00-10", false, "no month 00"},
      {"2024-01-00", false, "has 31 days"},
      {"0000-01-01", false, "year 0000"},
      {"2024-1-31", false, "want YYYY-MM-DD"},
      {"2024/01/31", false, "want YYYY-MM-DD"},
      {"2024-01-31T00:00:00Z", false, "want YYYY-MM-DD"},
      {"", false, "want YYYY-MM-DD"},
      {"２０２４-01-31", false, "want YYYY-MM-DD"},  // full-width digits
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    auto d = ParseDate(c.in);
    EXPECT_EQ(d.ok(), c.ok);
    if (d.ok()) {
      EXPECT_EQ(d->str(), c.in);
    } else {
      EXPECT_NE(d.error().message.find(c.error), std::string::npos) << d.error().message;
    }
  }
}

TEST(PolicyDate, TodayComesFromTheEnvironmentValueElseTheClock) {
  auto injected = Today("2024-03-01", 0);
  ASSERT_TRUE(injected.ok());
  EXPECT_EQ(injected->str(), "2024-03-01");
  auto clock = Today(nullptr, 1706659200);  // 2024-01-31T00:00:00Z
  ASSERT_TRUE(clock.ok());
  EXPECT_EQ(clock->str(), "2024-01-31");
  auto empty = Today("", 86399);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->str(), "1970-01-01");
  auto bad = Today("2024-02-30", 0);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("DRYDOCK_TODAY"), std::string::npos);
}

TEST(PolicyTime, Rfc3339) {
  struct Case {
    std::string in;
    std::optional<int64_t> seconds;
    int32_t nanos = 0;
  };
  const std::vector<Case> cases = {
      {"1970-01-01T00:00:00Z", 0},
      {"2024-01-31T00:00:00Z", 1706659200},
      {"2024-01-31T01:00:00+01:00", 1706659200},
      {"2024-01-30T18:00:00-06:00", 1706659200},
      {"2023-01-08T18:02:03.647787998-06:00", 1673222523, 647787998},
      {"2024-01-31t00:00:00.5z", 1706659200, 500000000},
      {"2024-02-30T00:00:00Z", std::nullopt},
      {"2024-01-31T24:00:00Z", std::nullopt},
      {"2024-01-31T00:00:00", std::nullopt},  // no offset
      {"2024-01-31 00:00:00Z", std::nullopt},
      {"2024-01-31T00:00:00.Z", std::nullopt},
      {"2024-01-31T00:00:00+0100", std::nullopt},
      {"2024-01-31", std::nullopt},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.in);
    auto t = ParseRfc3339(c.in);
    ASSERT_EQ(t.has_value(), c.seconds.has_value());
    if (t) {
      EXPECT_EQ(t->seconds, *c.seconds);
      EXPECT_EQ(t->nanos, c.nanos);
    }
  }
}

TEST(PolicyPurl, Parses) {
  auto p = ParsePurl("pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u3?distro=debian-11&arch=amd64");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_EQ(p->type, "deb");
  EXPECT_EQ(p->ns, "debian");
  EXPECT_EQ(p->name, "openssl");
  EXPECT_EQ(p->version, "1.1.1n-0+deb11u3");
  ASSERT_EQ(p->qualifiers.size(), 2u);
  EXPECT_EQ(p->qualifiers[0].first, "arch");  // sorted
  EXPECT_EQ(*p->Qualifier("distro"), "debian-11");

  auto npm = ParsePurl("pkg:npm/%40types/node@20.1.0");
  ASSERT_TRUE(npm.ok());
  EXPECT_EQ(npm->ns, "@types");
  EXPECT_EQ(npm->name, "node");
  auto scoped = ParsePurl("pkg:npm/@types/node");  // an unencoded scope is a namespace
  ASSERT_TRUE(scoped.ok());
  EXPECT_EQ(scoped->ns, "@types");
  EXPECT_EQ(scoped->version, "");
  auto go = ParsePurl("PKG:golang/github.com/x/net@v0.1.0#sub/dir");
  ASSERT_TRUE(go.ok());
  EXPECT_EQ(go->ns, "github.com/x");
  EXPECT_EQ(go->subpath, "sub/dir");
  auto pypi = ParsePurl("pkg:PyPI/Django_Rest@1.0");
  ASSERT_TRUE(pypi.ok());
  EXPECT_EQ(pypi->type, "pypi");
  EXPECT_EQ(pypi->name, "django-rest");
  auto epoch = ParsePurl("pkg:deb/debian/zlib1g@1%3A1.2.11.dfsg-2");
  ASSERT_TRUE(epoch.ok());
  EXPECT_EQ(epoch->version, "1:1.2.11.dfsg-2");

  for (const char* bad : {"openssl", "pkg:", "pkg:deb", "pkg:deb/", "pkg:de b/x/y", "pkg:deb/debian/open%zzssl",
                          "pkg:deb/debian/x%4", "pkg:deb/debian/x?arch"}) {
    SCOPED_TRACE(bad);
    EXPECT_FALSE(ParsePurl(bad).ok());
  }
}

TEST(PolicyPurl, CoversAsOpenVexSays) {
  struct Case {
    std::string general, specific;
    bool covers;
  };
  const std::string installed = "pkg:deb/debian/openssl@1.1.1n-0%2Bdeb11u3?arch=amd64&distro=debian-11";
  const std::vector<Case> cases = {
      {"pkg:deb/debian/openssl", installed, true},
      {"pkg:deb/debian/openssl@1.1.1n-0+deb11u3", installed, true},
      {"pkg:deb/debian/openssl@1.1.1n-0+deb11u4", installed, false},
      {"pkg:deb/debian/openssl?arch=amd64", installed, true},
      {"pkg:deb/debian/openssl?arch=arm64", installed, false},
      {"pkg:deb/debian/openssl?foo=bar", installed, false},
      {"pkg:deb/debian/openssl-dev", installed, false},
      {"pkg:deb/debian/openss", installed, false},
      {"pkg:deb/ubuntu/openssl", installed, false},
      {"pkg:rpm/debian/openssl", installed, false},
      {"pkg:deb/openssl", installed, false},
      {"pkg:deb/debian/libssl1.1", "pkg:deb/debian/libssl1.1@1.1.1n?upstream=openssl", true},
      // A binary package of the source "openssl" is not "openssl".
      {"pkg:deb/debian/openssl", "pkg:deb/debian/libssl1.1@1.1.1n?upstream=openssl", false},
      {"pkg:deb/debian/openssl@1.1.1n", "pkg:deb/debian/openssl", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.general + " vs " + c.specific);
    auto g = ParsePurl(c.general);
    auto s = ParsePurl(c.specific);
    ASSERT_TRUE(g.ok() && s.ok());
    EXPECT_EQ(PurlCovers(*g, *s), c.covers);
  }
}

TEST(PolicyVersionRange, ComparesWithThePurlTypesOrdering) {
  struct Case {
    std::string type, range, version;
    bool in;
  };
  const std::vector<Case> cases = {
      {"deb", "< 1.1.1n-0+deb11u5", "1.1.1n-0+deb11u3", true},
      {"deb", "< 1.1.1n-0+deb11u5", "1.1.1n-0+deb11u5", false},
      {"deb", "< 1.1.1n-0+deb11u5", "1.1.1n-0+deb11u10", false},  // u10 > u5: not a string compare
      {"deb", "< 1.1.1n-0+deb11u5", "1:1.0", false},              // an epoch outranks everything
      {"deb", "<=1.1.1n-0+deb11u5", "1.1.1n-0+deb11u5", true},
      {"deb", ">= 1.1.1, < 1.1.1n", "1.1.1m-1", true},
      {"deb", ">= 1.1.1, < 1.1.1n", "1.1.0", false},
      {"deb", "!= 2.0", "2.0", false},
      {"deb", "= 2.0", "2.0", true},
      {"pypi", "< 2.0", "2.0rc1", true},  // PEP 440: a pre-release sorts first
      {"pypi", "< 2.0", "2.0.post1", false},
      {"npm", ">= 4.17.0, < 4.17.21", "4.17.15", true},
      {"npm", "< 1.0.0", "1.0.0-beta", true},
      {"golang", "< v0.3.8", "v0.3.5", true},
      {"apk", "< 1.1.1d-r3", "1.1.1d-r2", true},
      {"rpm", "< 1:1.0-1", "1.0-1", true},  // no epoch is epoch 0
      {"maven", "< 2.0", "2.0-SNAPSHOT", true},
      {"deb", "< 2.0", "", false},
      {"deb", "< 2.0", "not a version!", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.type + " " + c.range + " " + c.version);
    auto scheme = SchemeForPurlType(c.type);
    ASSERT_TRUE(scheme.has_value());
    auto r = ParseVersionRange(c.range, *scheme);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_EQ(InRange(*r, c.version), c.in);
  }
  EXPECT_FALSE(SchemeForPurlType("generic").has_value());
  EXPECT_FALSE(SchemeForPurlType("oci").has_value());
}

TEST(PolicyVersionRange, RejectsWhatIsNotARange) {
  for (const char* bad : {"", "1.0", "<", "< 1.0 2.0", "~> 1.0", "< 1.0,", "<< 1.0", "< 1.0 || > 2.0", "< 1.0\n",
                          ">= \n  , < 2", "< 1.\x01"}) {
    SCOPED_TRACE(bad);
    auto r = ParseVersionRange(bad, VersionScheme::kDpkg);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().message.find('\n'), std::string::npos) << r.error().message;
  }
  // A version the comparator rejects: its message is quoted on one line.
  auto r = ParseVersionRange("< dev\x7f-0", VersionScheme::kDpkg);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find('\x7f'), std::string::npos) << r.error().message;
  // Not a valid version of the scheme: PEP 440 has no "1.0.0-foo_bar".
  EXPECT_FALSE(ParseVersionRange("< 1.0.0-foo_bar!", VersionScheme::kPep440).ok());
}

TEST(PolicyGlob, MatchesPaths) {
  struct Case {
    std::string pattern, path;
    bool match;
  };
  const std::vector<Case> cases = {
      {"/app/.env", "/app/.env", true},
      {"app/.env", "/app/.env", true},  // the leading '/' is optional
      {"/app/*.env", "/app/prod.env", true},
      {"/app/*.env", "/app/sub/prod.env", false},  // '*' stays in one component
      {"/app/**/*.env", "/app/prod.env", true},    // '**' may be no component
      {"/app/**/*.env", "/app/a/b/c/prod.env", true},
      {"/app/**", "/app/a/b", true},
      {"/app/**", "/application/x", false},
      {"**/test/**", "/usr/lib/python3/test/x.py", true},
      {"/usr/lib/python3.?/**", "/usr/lib/python3.9/x", true},
      {"/usr/lib/python3.?/**", "/usr/lib/python3.10/x", false},
      {"/srv/[a-c]*.key", "/srv/b1.key", true},
      {"/srv/[!a-c]*.key", "/srv/b1.key", false},
      {"/srv/[!a-c]*.key", "/srv/d1.key", true},
      {"/srv/[x", "/srv/[x", true},  // an unclosed class is literal
      {"/var/lib/dpkg/status", "/var/lib/dpkg/status.d/x", false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.pattern + " vs " + c.path);
    auto g = CompileGlob(c.pattern);
    ASSERT_TRUE(g.ok());
    EXPECT_EQ(g->Match(c.path), c.match);
  }
  EXPECT_FALSE(CompileGlob("").ok());
  EXPECT_FALSE(CompileGlob("///").ok());
  EXPECT_FALSE(CompileGlob(std::string(5000, 'a')).ok());
}

TEST(PolicyGlob, HostilePatternsStayLinear) {
  // "*a*a*a…b" against "aaaa…": exponential for a naive backtracking matcher.
  std::string pattern = "/";
  for (int i = 0; i < 1000; ++i) pattern += "*a";
  pattern += "b/**/" + pattern.substr(1);
  auto g = CompileGlob(pattern);
  ASSERT_TRUE(g.ok());
  const std::string path = "/" + std::string(3000, 'a') + "/" + std::string(3000, 'a');
  EXPECT_FALSE(g->Match(path));
}

TEST(PolicyUtf8, Validates) {
  EXPECT_TRUE(IsUtf8("plain"));
  EXPECT_TRUE(IsUtf8("café ✓ 𝄞"));
  EXPECT_FALSE(IsUtf8("\xff"));
  EXPECT_FALSE(IsUtf8("\xc3"));              // truncated
  EXPECT_FALSE(IsUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsUtf8("\xed\xa0\x80"));      // a surrogate
  EXPECT_FALSE(IsUtf8("\xf4\x90\x80\x80"));  // above U+10FFFF
}

}  // namespace
}  // namespace drydock::policy
