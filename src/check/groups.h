// Internal to check/: each group file appends its rules to the table.
// The list of groups is checks.inc.
#pragma once

#include <vector>

#include "check/check.h"

namespace drydock {

#define DRYDOCK_CHECK_GROUP(fn) void fn(std::vector<CheckRule>& rules);
#include "check/checks.inc"
#undef DRYDOCK_CHECK_GROUP

}  // namespace drydock
