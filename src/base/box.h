// Box<T>: an optional T kept on the heap, so that an empty one costs one
// pointer. Finding carries three rarely-set parts (a vulnerability's detail,
// a suppression, a VEX note) that together would triple its size if held
// inline; a Box reads and is assigned like the std::optional it replaces
// (bool test, *, ->, value_or, has_value, emplace, reset, = T, = nullopt) and
// copies deeply.
#pragma once

#include <memory>
#include <optional>
#include <utility>

namespace drydock {

template <class T>
class Box {
 public:
  Box() = default;
  Box(std::nullopt_t) {}  // NOLINT
  Box(const T& v) : p_(std::make_unique<T>(v)) {}        // NOLINT
  Box(T&& v) : p_(std::make_unique<T>(std::move(v))) {}  // NOLINT
  Box(const std::optional<T>& v) : p_(v ? std::make_unique<T>(*v) : nullptr) {}  // NOLINT
  Box(const Box& o) : p_(o.p_ ? std::make_unique<T>(*o.p_) : nullptr) {}
  Box(Box&&) noexcept = default;
  Box& operator=(const Box& o) {
    if (this != &o) p_ = o.p_ ? std::make_unique<T>(*o.p_) : nullptr;
    return *this;
  }
  Box& operator=(Box&&) noexcept = default;
  Box& operator=(std::nullopt_t) {
    p_.reset();
    return *this;
  }
  Box& operator=(const T& v) {
    p_ = std::make_unique<T>(v);
    return *this;
  }
  Box& operator=(T&& v) {
    p_ = std::make_unique<T>(std::move(v));
    return *this;
  }
  Box& operator=(const std::optional<T>& v) {
    p_ = v ? std::make_unique<T>(*v) : nullptr;
    return *this;
  }
  Box& operator=(std::optional<T>&& v) {
    p_ = v ? std::make_unique<T>(std::move(*v)) : nullptr;
    return *this;
  }

  bool has_value() const { return p_ != nullptr; }
  explicit operator bool() const { return has_value(); }
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_.get(); }
  const T* operator->() const { return p_.get(); }
  T& value() { return *p_; }
  const T& value() const { return *p_; }
  T value_or(T other) const { return p_ ? *p_ : std::move(other); }
  template <class... A>
  T& emplace(A&&... a) {
    p_ = std::make_unique<T>(std::forward<A>(a)...);
    return *p_;
  }
  void reset() { p_.reset(); }
  operator std::optional<T>() const { return p_ ? std::optional<T>(*p_) : std::nullopt; }  // NOLINT

  friend bool operator==(const Box& b, std::nullopt_t) { return !b.p_; }

 private:
  std::unique_ptr<T> p_;
};

}  // namespace drydock
