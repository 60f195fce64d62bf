// The secret rules: data, not code. A rule is an id, a title, a severity, the
// keywords it is about, one regular expression whose first capture group that
// takes part is the secret (the whole match when it has none), an optional entropy floor
// and an optional path filter. The built-in table is in rules.cc; users add,
// disable and allow through a YAML file (secret/config.h).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/finding.h"

namespace drydock::secret {

struct Rule {
  std::string id;  // "aws-access-key-id"; findings use "DD-SECRET-" + id
  std::string category;
  std::string title;
  Severity severity = Severity::kHigh;
  std::vector<std::string> keywords;  // what the pattern is anchored on (documentation, config)
  // The pattern, in the subset Vectorscan and ECMAScript share: no
  // look-around, no back-references, bounded repeats. ^ and $ match at line
  // boundaries.
  std::string regex;
  // The grammar of the secret (secret/grammar.h): what a valid token is.
  // Every built-in rule has one; the property test proves the regex finds
  // each token it generates. When it has a checksum, a match whose checksum
  // is wrong is not reported.
  std::string grammar;
  bool caseless = false;
  double min_entropy = 0;  // Shannon bits per character of the secret; 0 = any
  std::string path;        // ECMAScript regex the file path must match; empty = any file
  // What a match must be besides its pattern, and where the secret comes
  // from (Check below).
  enum class Check {
    kNone,
    // The secret, base64-decoded, is "user:password" (docker auths).
    kBase64UserPass,
    // The secret is base64: its decoded text must not be a placeholder
    // either (jwt-base64).
    kBase64,
    // The pattern finds a `kind: Secret` line; the secrets are the values of
    // the data: map (base64, decoded not a placeholder) of that YAML
    // document, wherever in the document the map is (secret/kubernetes.h).
    kKubernetesData,
    // As kKubernetesData, the plain values of the stringData: map.
    kKubernetesStringData,
    // No pattern: a file whose path matches `path` and whose bytes are a
    // PKCS#12 PFX (DER SEQUENCE, version 3, PKCS#7 content) is the finding.
    kPkcs12File,
  };
  Check check = Check::kNone;

  std::string FullId() const { return "DD-SECRET-" + id; }
};

// The built-in rules, most specific first: when two rules match overlapping
// text, the earlier one wins.
const std::vector<Rule>& BuiltinRules();

}  // namespace drydock::secret
