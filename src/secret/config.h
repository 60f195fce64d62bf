// The user's secret rules file (--secret-config FILE), YAML:
//
//   rules:                      # added rules (same id as a built-in: replaces it)
//     - id: acme-token
//       title: ACME deploy token
//       severity: HIGH
//       keywords: [acme_]
//       regex: 'acme_([a-z0-9]{32})'   # group 1 is the secret (else the whole match)
//       entropy: 3.0                   # optional
//       path: '\.conf$'                # optional, regex on the file path
//       caseless: false                # optional
//   disable: [jwt, DD-SECRET-env-secret]
//   allow:
//     paths: ['^/opt/fixtures/']       # files not read
//     regexes: ['^AKIA.*TEST$']        # secret values never reported
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "secret/rules.h"

namespace drydock::secret {

struct Config {
  std::vector<Rule> rules;
  std::vector<std::string> disable;  // rule ids, with or without "DD-SECRET-"
  std::vector<std::string> allow_paths;
  std::vector<std::string> allow_regexes;
};

// Parses the YAML text; `name` names the file in errors. Unknown keys, wrong
// types, missing id/regex, bad severities are input errors. Patterns are
// checked when the engine is built.
Result<Config> ParseConfig(std::string_view yaml, std::string_view name);
// Reads and parses FILE (at most 1 MiB).
Result<Config> LoadConfig(const std::string& path);

}  // namespace drydock::secret
