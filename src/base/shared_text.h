// SharedText: an immutable string shared by every holder of the same bytes.
//
// Findings repeat the same rule text (title, rationale, remediation,
// references) and the same layer facts (diff_id, created_by) thousands of
// times; a SharedText is one pointer to a reference-counted copy kept in a
// process-wide intern table, so N findings of one rule hold the text once.
// The table entry is freed with its last holder, so a long-running `serve`
// keeps only the texts of the results it still holds.
//
// It reads like a const std::string (implicit conversion to const
// std::string& and std::string_view, empty(), size(), ==, +, fmt), and is
// assigned from any string. Thread-safe: any number of threads may create,
// copy and drop SharedTexts at once.
#pragma once

#include <atomic>
#include <cstddef>
#include <string>
#include <string_view>

#include <fmt/format.h>

namespace drydock {

class SharedText {
 public:
  SharedText() = default;
  SharedText(std::string_view s) : node_(Intern(s)) {}  // NOLINT: implicit by design
  SharedText(const std::string& s) : node_(Intern(s)) {}
  SharedText(const char* s) : node_(s ? Intern(s) : nullptr) {}
  SharedText(const SharedText& o) noexcept : node_(o.node_) {
    if (node_) node_->refs.fetch_add(1, std::memory_order_relaxed);
  }
  SharedText(SharedText&& o) noexcept : node_(o.node_) { o.node_ = nullptr; }
  SharedText& operator=(const SharedText& o) noexcept {
    SharedText copy(o);
    std::swap(node_, copy.node_);
    return *this;
  }
  SharedText& operator=(SharedText&& o) noexcept {
    std::swap(node_, o.node_);
    return *this;
  }
  ~SharedText() { Release(node_); }

  const std::string& str() const { return node_ ? node_->text : Empty(); }
  operator const std::string&() const { return str(); }  // NOLINT: implicit by design
  operator std::string_view() const { return str(); }    // NOLINT
  const char* c_str() const { return str().c_str(); }
  const char* data() const { return str().data(); }
  size_t size() const { return str().size(); }
  size_t length() const { return size(); }
  bool empty() const { return node_ == nullptr; }
  std::string::const_iterator begin() const { return str().begin(); }
  std::string::const_iterator end() const { return str().end(); }
  size_t find(std::string_view s, size_t pos = 0) const { return str().find(s, pos); }
  size_t find(char c, size_t pos = 0) const { return str().find(c, pos); }
  std::string substr(size_t pos, size_t n = std::string::npos) const { return str().substr(pos, n); }
  bool starts_with(std::string_view s) const { return std::string_view(str()).starts_with(s); }
  bool ends_with(std::string_view s) const { return std::string_view(str()).ends_with(s); }

  friend bool operator==(const SharedText& a, const SharedText& b) { return a.node_ == b.node_; }
  friend bool operator==(const SharedText& a, std::string_view b) { return std::string_view(a.str()) == b; }
  friend bool operator==(const SharedText& a, const std::string& b) { return a.str() == b; }
  friend bool operator==(const SharedText& a, const char* b) { return a.str() == b; }
  friend auto operator<=>(const SharedText& a, const SharedText& b) { return a.str() <=> b.str(); }
  friend auto operator<=>(const SharedText& a, std::string_view b) { return std::string_view(a.str()) <=> b; }
  friend std::string operator+(const SharedText& a, std::string_view b) { return a.str() + std::string(b); }
  friend std::string operator+(std::string_view a, const SharedText& b) { return std::string(a) + b.str(); }
  friend std::string operator+(const SharedText& a, const char* b) { return a.str() + b; }
  friend std::string operator+(const char* a, const SharedText& b) { return a + b.str(); }
  friend std::string operator+(const SharedText& a, const std::string& b) { return a.str() + b; }
  friend std::string operator+(const std::string& a, const SharedText& b) { return a + b.str(); }
  friend std::string operator+(const SharedText& a, const SharedText& b) { return a.str() + b.str(); }
  friend std::string operator+(std::string&& a, const SharedText& b) { return std::move(a) + b.str(); }

  // How many distinct texts are alive (for tests and the memory bench).
  static size_t LiveCount();

 private:
  struct Node {
    std::atomic<size_t> refs{1};
    size_t hash = 0;
    std::string text;
  };
  static Node* Intern(std::string_view s);  // nullptr for ""
  static void Release(Node* n) noexcept;
  static const std::string& Empty();

  Node* node_ = nullptr;
};

std::ostream& operator<<(std::ostream& os, const SharedText& t);

}  // namespace drydock

template <>
struct fmt::formatter<drydock::SharedText> : fmt::formatter<std::string_view> {
  template <class Ctx>
  auto format(const drydock::SharedText& t, Ctx& ctx) const {
    return fmt::formatter<std::string_view>::format(std::string_view(t.str()), ctx);
  }
};
