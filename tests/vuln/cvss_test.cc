// CVSS base scores against published examples: the CVSS v3.1 specification
// document's examples (first.org/cvss/v3.1/examples), the CVSS v4.0 examples
// page (first.org/cvss/v4.0/examples), the NVD v2 equation, and vectors
// shipped in the advisory data with the score the source printed beside them.
#include "vuln/cvss.h"

#include <gtest/gtest.h>

namespace drydock {
namespace {

struct Case {
  const char* vector;
  double want;
  const char* what;
};

const Case kCases[] = {
    // CVSS v3.1 specification examples.
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1, "CVE-2013-1937 phpMyAdmin XSS"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N", 6.4, "CVE-2013-0375 MySQL"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N", 3.1, "CVE-2014-3566 POODLE"},
    {"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9, "CVE-2012-1516 VMware"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 7.5, "CVE-2014-0160 Heartbleed"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8, "CVE-2014-6271 Shellshock"},
    {"CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:U/C:H/I:H/A:N", 6.8, "CVE-2016-0128 Badlock"},
    {"CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 7.8, "CVE-2009-0658 Adobe Reader"},
    {"CVSS:3.1/AV:A/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.8, "CVE-2011-1265 Bluetooth"},
    {"CVSS:3.1/AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 6.8, "CVE-2014-2005 Sophos"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8, "CVE-2015-0970 SearchBlox CSRF"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0, "scope changed, all high"},
    {"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0.0, "no impact"},
    // From the shipped data: values printed by the source.
    {"CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:L/A:N", 6.5, "nodejs-security-wg 1.json"},
    {"CVSS:3.0/AV:L/AC:H/PR:L/UI:N/S:C/C:H/I:H/A:H", 7.8, "nodejs-security-wg pdfinfojs"},
    {"CVSS:3.0/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:L/A:N", 8.5, "nodejs-security-wg cloudcmd"},
    {"CVSS:3.0/AV:P/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:H", 5.2, "nodejs-security-wg stringstream"},
    {"CVSS:3.0/AV:N/AC:H/PR:H/UI:R/S:U/C:L/I:L/A:L", 3.9, "nodejs-security-wg glance"},
    // CVSS v4.0 examples page.
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 9.3, "all high, no subsequent"},
    {"CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 7.3, "CVE-2022-41741 nginx"},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", 7.7, "CVE-2020-3549 Cisco"},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:N/VC:H/VI:L/VA:L/SC:N/SI:N/SA:N", 8.3, "CVE-2023-3089 OpenShift"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:A/VC:L/VI:N/VA:N/SC:N/SI:N/SA:N", 4.6, "CVE-2021-44714 Adobe"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:A/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", 5.1, "CVE-2022-24682 Zimbra"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:L/SI:L/SA:N", 6.9, "CVE-2022-22186 Juniper"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:H/UI:N/VC:N/VI:N/VA:N/SC:H/SI:N/SA:N", 5.9, "CVE-2023-21989 VirtualBox"},
    {"CVSS:4.0/AV:L/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H", 9.4, "CVE-2020-3947 VMware"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:H/VA:N/SC:H/SI:H/SA:H", 9.3, "CVE-2023-48228 authentik"},
    {"CVSS:4.0/AV:N/AC:H/AT:P/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:P", 8.2, "CVE-2024-6387 regreSSHion"},
    {"CVSS:4.0/AV:A/AC:L/AT:N/PR:N/UI:N/VC:N/VI:L/VA:N/SC:H/SI:N/SA:H", 6.4, "CVE-2013-6014 Juniper ARP"},
    {"CVSS:4.0/AV:N/AC:L/AT:P/PR:N/UI:P/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/E:U", 5.2, "CVE-2020-3549 with E:U"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:A", 8.7, "Heartbleed with E:A"},
    {"CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:N/VI:N/VA:N/SC:N/SI:N/SA:N", 0.0, "no impact"},
    // CVSS v2 (NVD equation).
    {"AV:N/AC:L/Au:N/C:P/I:P/A:P", 7.5, "v2 network partial"},
    {"AV:N/AC:M/Au:N/C:N/I:P/A:N", 4.3, "v2 XSS"},
    {"AV:N/AC:L/Au:N/C:C/I:C/A:C", 10.0, "v2 complete"},
    {"(AV:L/AC:L/Au:N/C:C/I:C/A:C)", 7.2, "v2 local, parenthesized"},
};

TEST(Cvss, PublishedExamples) {
  for (const auto& c : kCases) {
    auto r = CvssBaseScore(c.vector);
    ASSERT_TRUE(r.ok()) << c.what << ": " << r.error().message;
    EXPECT_DOUBLE_EQ(*r, c.want) << c.what << ": " << c.vector;
  }
}

TEST(Cvss, RejectsMalformedVectors) {
  const char* bad[] = {
      "",
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",           // missing A
      "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:Q",       // bad value
      "CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",  // repeated
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H",   // missing subsequent
      "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/ZZ:Q",
      "CVSS:9.9/AV:N",
      "CVSS:3.1/AV:N//AC:L",
  };
  for (const char* v : bad) EXPECT_FALSE(CvssBaseScore(v).ok()) << v;
}

TEST(Cvss, RatingBands) {
  struct Band {
    double score;
    const char* rating;
    Severity severity;
  } bands[] = {{0.0, "NONE", Severity::kUnknown},      {0.1, "LOW", Severity::kLow},
               {3.9, "LOW", Severity::kLow},           {4.0, "MEDIUM", Severity::kMedium},
               {6.9, "MEDIUM", Severity::kMedium},     {7.0, "HIGH", Severity::kHigh},
               {8.9, "HIGH", Severity::kHigh},         {9.0, "CRITICAL", Severity::kCritical},
               {10.0, "CRITICAL", Severity::kCritical}};
  for (const auto& b : bands) {
    EXPECT_EQ(CvssRating(b.score), b.rating) << b.score;
    EXPECT_EQ(SeverityFromScore(b.score), b.severity) << b.score;
  }
}

}  // namespace
}  // namespace drydock
