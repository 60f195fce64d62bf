// OS identification from the merged view: /etc/os-release, then
// /usr/lib/os-release, then distro files (alpine-release, debian_version,
// redhat-release).
#pragma once

#include <optional>

#include "layer/analyzer.h"
#include "layer/view.h"
#include "model/scan.h"

namespace drydock {

// The files DetectOs reads (captured).
FileWants OsReleaseWants();
// The OS of the merged view, or nullopt when no file names one. Sets
// OsRelease::distroless for Google distroless images: os-release's
// PRETTY_NAME starts with "Distroless", or dpkg's metadata is only in
// /var/lib/dpkg/status.d/ (a directory, or captured files below it) with no
// /var/lib/dpkg/status.
std::optional<OsRelease> DetectOs(const FileSystemView& fs);

// Parses os-release KEY=value lines (quotes and backslash escapes as the
// os-release(5) format defines). Unknown keys are ignored.
OsRelease ParseOsRelease(std::string_view text);

}  // namespace drydock
