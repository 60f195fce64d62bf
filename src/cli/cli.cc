#include "cli/cli.h"

#include <clocale>
#include <cstdio>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/config.h"

namespace drydock {

std::vector<Command> VersionCommand(CLI::App& app) {
  auto* ver = app.add_subcommand("version", "Print the version");
  return {{ver, [] {
             std::printf("drydock %s\n", DRYDOCK_VERSION);
             return 0;
           }}};
}

int RunCli(int argc, char** argv) {
  // libarchive converts pax UTF-8 names with the locale's charset.
  std::setlocale(LC_CTYPE, "C.UTF-8");
  CLI::App app{
      "drydock: what is inside a container image, what is vulnerable, what leaks, what runs with too much "
      "privilege"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("drydock ") + DRYDOCK_VERSION);

  AddGlobalFlags(app);
  std::vector<Command> commands;
#define DRYDOCK_COMMAND(fn) \
  for (auto& c : fn(app)) commands.push_back(std::move(c));
#include "cli/commands.inc"
#undef DRYDOCK_COMMAND

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    std::fprintf(stderr, "drydock: %s (see drydock --help)\n", msg.c_str());
    return kExitError;
  }
  for (const auto& c : commands) {
    if (c.sub->parsed()) return c.run();
  }
  return kExitError;
}

}  // namespace drydock
