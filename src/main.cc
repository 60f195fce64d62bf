#include "cli/cli.h"

int main(int argc, char** argv) { return drydock::RunCli(argc, argv); }
