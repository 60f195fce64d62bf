// What the fleet commands share (cmd_serve.cc, cmd_worker.cc, image --server):
// the database URL and the token file.
#pragma once

#include <string>

#include "base/result.h"

namespace drydock {

// `flag`, else $DRYDOCK_DATABASE; a usage error when neither is set.
Result<std::string> DatabaseUrl(const std::string& flag);

// The bearer token in `path` (trailing white space dropped). Usage error
// when the file cannot be read or holds no token, or holds control bytes.
Result<std::string> ReadTokenFile(const std::string& path);

}  // namespace drydock
