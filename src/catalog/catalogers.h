// Internal to catalog/: each cataloger file appends its rows to the table.
// The list of files is catalogers.inc.
#pragma once

#include <vector>

#include "catalog/catalog.h"

namespace drydock {

#define DRYDOCK_CATALOGER(fn) void fn(std::vector<Cataloger>& rows);
#include "catalog/catalogers.inc"
#undef DRYDOCK_CATALOGER

}  // namespace drydock
