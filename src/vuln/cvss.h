// CVSS base scores computed from vector strings, so a finding's score never
// depends on a number a source typed by hand.
#pragma once

#include <string_view>

#include "base/result.h"
#include "model/finding.h"

namespace drydock {

// The base score of `vector`:
//   "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  (3.0 and 3.1 formulas,
//     including each one's Roundup),
//   "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"
//     (the FIRST macrovector method; threat/environmental metrics when present
//     take part, as in the reference calculator),
//   "AV:N/AC:L/Au:N/C:P/I:P/A:P" or "(AV:N/…)" (CVSS v2 base equation).
// Temporal/environmental metrics of 2.0/3.x are accepted and ignored. An
// error names the vector and the metric that is missing, repeated or unknown.
Result<double> CvssBaseScore(std::string_view vector);

// The qualitative rating band of a score (CVSS v3/v4 table): 0.0 None,
// 0.1-3.9 Low, 4.0-6.9 Medium, 7.0-8.9 High, 9.0-10.0 Critical.
// "NONE", "LOW", "MEDIUM", "HIGH", "CRITICAL".
std::string_view CvssRating(double score);
// The same band as a Severity; None (0.0) has no severity: kUnknown.
Severity SeverityFromScore(double score);

}  // namespace drydock
