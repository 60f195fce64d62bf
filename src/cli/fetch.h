// Downloads for `db update`: one URL to one file, TLS verified, size-capped.
#pragma once

#include <cstdint>
#include <string>

#include "base/result.h"

namespace drydock {

// GETs `url` (http or https, redirects followed) into `path`. Fails on a
// non-2xx status, a body over `max_bytes`, or a transfer error, naming the
// URL; `path` is removed on failure.
Status FetchToFile(const std::string& url, const std::string& path, int64_t max_bytes = int64_t{4} << 30);

}  // namespace drydock
