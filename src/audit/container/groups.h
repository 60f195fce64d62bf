// Internal to audit/container/: each container check group appends its
// rules to the table. The list of groups is checks.inc.
#pragma once

#include <vector>

#include "audit/container/container.h"

namespace drydock {

#define DRYDOCK_CONTAINER_CHECK_GROUP(fn) void fn(std::vector<ContainerCheck>& rules);
#include "audit/container/checks.inc"
#undef DRYDOCK_CONTAINER_CHECK_GROUP

}  // namespace drydock
