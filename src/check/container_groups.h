// Internal to check/: each container check group appends its rules to the
// table. The list of groups is container_checks.inc.
#pragma once

#include <vector>

#include "check/audit.h"

namespace drydock {

#define DRYDOCK_CONTAINER_CHECK_GROUP(fn) void fn(std::vector<ContainerCheck>& rules);
#include "check/container_checks.inc"
#undef DRYDOCK_CONTAINER_CHECK_GROUP

// Helpers the groups share.
Verdict Pass(std::string evidence);
Verdict Warn(std::string evidence);
// "[a b]" like docker inspect prints a list, "[]" when empty.
std::string ListText(const std::vector<std::string>& v);

}  // namespace drydock
