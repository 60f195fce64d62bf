// OS identification from the merged view: /etc/os-release, then
// /usr/lib/os-release, then distro files (alpine-release, debian_version,
// redhat-release).
#pragma once

#include <optional>

#include "layer/analyzer.h"
#include "layer/view.h"
#include "model/scan.h"

namespace drydock {

FileWants OsReleaseWants();
std::optional<OsRelease> DetectOs(const FileSystemView& fs);

// Parses os-release KEY=value lines (quotes and backslash escapes as the
// os-release(5) format defines). Unknown keys are ignored.
OsRelease ParseOsRelease(std::string_view text);

}  // namespace drydock
