#include "cli/fleet.h"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "base/path.h"

namespace drydock {

Result<std::string> DatabaseUrl(const std::string& flag) {
  if (!flag.empty()) return flag;
  if (const char* env = std::getenv("DRYDOCK_DATABASE"); env != nullptr && *env != '\0') return std::string(env);
  return UsageError("--database URL is required (or set DRYDOCK_DATABASE)");
}

Result<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return UsageError("--token-file {}: cannot read it", Printable(path));
  std::ostringstream ss;
  ss << in.rdbuf();
  std::string t = ss.str().substr(0, 4096);
  while (!t.empty() && (t.back() == '\n' || t.back() == '\r' || t.back() == ' ' || t.back() == '\t')) t.pop_back();
  if (t.empty()) return UsageError("--token-file {}: the file holds no token", Printable(path));
  for (char c : t) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) {
      return UsageError("--token-file {}: the token holds white space or control bytes", Printable(path));
    }
  }
  return t;
}

}  // namespace drydock
