// The command line: the only place that knows about argv. Returns the
// process exit status (0 clean, N gating findings, 2 error).
#pragma once

namespace drydock {
int RunCli(int argc, char** argv);
}  // namespace drydock
