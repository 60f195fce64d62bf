// Helpers shared by the report writers (private to src/report).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <iterator>
#include <string>
#include <vector>

#include "model/finding.h"
#include "model/scan.h"

namespace drydock::report {

// Findings in report order, by reference into the ScanResult (a report of
// 250k findings must not copy them). Iterates as `const Finding&`. A finding
// the scanner left without a fingerprint is copied once, with it computed.
class FindingList {
 public:
  class Iterator {
   public:
    using iterator_category = std::random_access_iterator_tag;
    using value_type = Finding;
    using difference_type = std::ptrdiff_t;
    using pointer = const Finding*;
    using reference = const Finding&;
    Iterator() = default;
    explicit Iterator(std::vector<const Finding*>::const_iterator it) : it_(it) {}
    const Finding& operator*() const { return **it_; }
    const Finding* operator->() const { return *it_; }
    Iterator& operator++() {
      ++it_;
      return *this;
    }
    Iterator operator++(int) { return Iterator(it_++); }
    difference_type operator-(const Iterator& o) const { return it_ - o.it_; }
    bool operator==(const Iterator& o) const { return it_ == o.it_; }

   private:
    std::vector<const Finding*>::const_iterator it_;
  };

  FindingList() = default;
  FindingList(FindingList&&) = default;
  FindingList& operator=(FindingList&&) = default;
  // Sorted (SortFindings order) references to `findings`.
  explicit FindingList(const std::vector<Finding>& findings);
  // Appends `other`'s findings after this list's, keeping each list's order.
  void Append(FindingList&& other);

  Iterator begin() const { return Iterator(refs_.begin()); }
  Iterator end() const { return Iterator(refs_.end()); }
  size_t size() const { return refs_.size(); }
  bool empty() const { return refs_.empty(); }
  const Finding& operator[](size_t i) const { return *refs_[i]; }

 private:
  std::vector<const Finding*> refs_;
  std::vector<std::unique_ptr<Finding>> owned_;  // the copies given a fingerprint
};

// The findings of `scan` in report order (SortFindings), each with its
// fingerprint computed when the scanner left it empty.
FindingList PreparedFindings(const ScanResult& scan);
// scan.suppressed, prepared the same way.
FindingList PreparedSuppressed(const ScanResult& scan);

// Number of findings per severity, indexed by static_cast<int>(Severity).
using SeverityCounts = std::array<int64_t, 5>;
template <class List>
SeverityCounts CountBySeverity(const List& findings) {
  SeverityCounts counts{};
  for (const Finding& f : findings) {
    const auto i = static_cast<size_t>(f.severity);
    if (i < counts.size()) ++counts[i];
  }
  return counts;
}

// Severities from CRITICAL down to UNKNOWN: the order summaries list them in.
inline constexpr std::array<Severity, 5> kSeveritiesDescending = {
    Severity::kCritical, Severity::kHigh, Severity::kMedium, Severity::kLow, Severity::kUnknown};

// opts.tool_version, or the version this binary was built as when empty.
std::string ToolVersion(const std::string& requested);

}  // namespace drydock::report
