#include "base/shared_text.h"

#include <functional>
#include <mutex>
#include <ostream>
#include <unordered_set>

namespace drydock {

namespace {

// The intern table: nodes keyed by their bytes. A node is found and its
// count raised under the lock, and dropped (count to zero, erased, freed)
// under the same lock, so a lookup never returns a node being freed. A copy
// raises the count without the lock: its source holds a reference, so the
// count cannot reach zero meanwhile.
struct NodeKey {
  size_t hash;
  std::string_view text;
};

}  // namespace

namespace {

template <class Node>
struct Table {
  struct Hash {
    using is_transparent = void;
    size_t operator()(const Node* n) const { return n->hash; }
    size_t operator()(const NodeKey& k) const { return k.hash; }
  };
  struct Eq {
    using is_transparent = void;
    bool operator()(const Node* a, const Node* b) const { return a == b; }
    bool operator()(const NodeKey& k, const Node* n) const { return k.hash == n->hash && k.text == n->text; }
    bool operator()(const Node* n, const NodeKey& k) const { return k.hash == n->hash && k.text == n->text; }
  };
  std::mutex mu;
  std::unordered_set<Node*, Hash, Eq> nodes;
};

}  // namespace

// The one piece of process-wide mutable state in the model: a cache of
// immutable strings, which is the point (sharing across every finding of a
// scan, whichever thread made it). Leaked on purpose so that SharedTexts in
// static objects can be destroyed after it.
template <class Node>
static Table<Node>& TheTable() {
  static auto* table = new Table<Node>();
  return *table;
}

SharedText::Node* SharedText::Intern(std::string_view s) {
  if (s.empty()) return nullptr;
  const NodeKey key{std::hash<std::string_view>{}(s), s};
  auto& t = TheTable<Node>();
  std::lock_guard lock(t.mu);
  if (auto it = t.nodes.find(key); it != t.nodes.end()) {
    (*it)->refs.fetch_add(1, std::memory_order_relaxed);
    return *it;
  }
  auto* n = new Node();  // owned by the table until its count reaches zero
  n->hash = key.hash;
  n->text.assign(s);
  t.nodes.insert(n);
  return n;
}

void SharedText::Release(Node* n) noexcept {
  if (!n) return;
  auto& t = TheTable<Node>();
  std::lock_guard lock(t.mu);
  if (n->refs.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
  t.nodes.erase(n);
  delete n;
}

size_t SharedText::LiveCount() {
  auto& t = TheTable<Node>();
  std::lock_guard lock(t.mu);
  return t.nodes.size();
}

const std::string& SharedText::Empty() {
  static const std::string empty;
  return empty;
}

std::ostream& operator<<(std::ostream& os, const SharedText& t) { return os << t.str(); }

}  // namespace drydock
