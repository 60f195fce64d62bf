// The values of a Kubernetes Secret manifest, found from its `kind: Secret`
// line: the engine's confirm step for the kubernetes-secret-* rules
// (Rule::Check::kKubernetesData, kKubernetesStringData).
//
// A line reader, not a YAML parser: the findings need the exact byte span of
// each value in the file, and a manifest's shape is narrow (a block mapping
// whose `data:`/`stringData:` key holds a block mapping of scalars). It reads
// only the mapping that holds the `kind:` line — a document of a `---`
// stream, or one item of a `- ` list — and at most kMaxManifestBytes of text
// either side of it.
#pragma once

#include <cstddef>
#include <string_view>
#include <vector>

namespace drydock::secret {

constexpr size_t kMaxManifestBytes = 256 << 10;

struct ManifestValue {
  size_t begin = 0, end = 0;  // the scalar's bytes in the text (quotes excluded)
  bool block = false;         // a `|` or `>` block scalar: [begin, end) spans its lines
};

struct ManifestValues {
  std::vector<ManifestValue> values;
  // Where the mapping that was read ends: a later `kind:` hit before this
  // offset is in the same manifest, already read.
  size_t read_to = 0;
};

// `at` is an offset on the `kind: Secret` line (a pattern's match end).
// Returns the non-empty values of that mapping's `data:` map (`string_data`
// false) or `stringData:` map (true), in text order; none when the line is
// not `kind: Secret` or the map is absent. Block scalars count only for
// `data:` (a stringData block holds a whole file, scanned by the other
// rules). Plain scalars that are YAML aliases, anchors or tags, and quoted
// scalars with escapes, are skipped: their text is not their value.
ManifestValues KubernetesSecretValues(std::string_view text, size_t at, bool string_data);

}  // namespace drydock::secret
