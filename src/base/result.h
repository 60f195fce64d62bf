// Result<T>: the value of an operation on untrusted input, or the error that
// stopped it. No exceptions cross library boundaries; callers check with
// RETURN_IF_ERROR / ASSIGN_OR_RETURN, which keep call sites flat.
#pragma once

#include <string>
#include <utility>
#include <variant>

#include <fmt/format.h>

namespace drydock {

// What went wrong, in one line that names the thing: "layer 3 (sha256:ab12…):
// gzip: unexpected end of data at offset 1048576". `kind` selects the exit
// status and lets callers tell input errors from environment errors.
struct Error {
  enum class Kind { kInput, kUsage, kEnvironment, kInternal };
  Kind kind = Kind::kInput;
  std::string message;

  // Returns a copy whose message is "context: message".
  [[nodiscard]] Error Wrap(std::string_view context) const {
    return Error{kind, fmt::format("{}: {}", context, message)};
  }
};

template <typename... Args>
[[nodiscard]] Error InputError(fmt::format_string<Args...> f, Args&&... args) {
  return Error{Error::Kind::kInput, fmt::format(f, std::forward<Args>(args)...)};
}
template <typename... Args>
[[nodiscard]] Error UsageError(fmt::format_string<Args...> f, Args&&... args) {
  return Error{Error::Kind::kUsage, fmt::format(f, std::forward<Args>(args)...)};
}
template <typename... Args>
[[nodiscard]] Error EnvError(fmt::format_string<Args...> f, Args&&... args) {
  return Error{Error::Kind::kEnvironment, fmt::format(f, std::forward<Args>(args)...)};
}

// std::expected-style holder. Construct from a T or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : v_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// Result of an operation with no value.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

using Status = Result<void>;
inline Status Ok() { return Status(); }

}  // namespace drydock

#define DRYDOCK_CONCAT_INNER(a, b) a##b
#define DRYDOCK_CONCAT(a, b) DRYDOCK_CONCAT_INNER(a, b)

// Returns the error of `expr` (a Result) from the enclosing function.
#define RETURN_IF_ERROR(expr)                                  \
  do {                                                         \
    auto drydock_status_ = (expr);                             \
    if (!drydock_status_.ok()) return drydock_status_.error(); \
  } while (0)

// `lhs = value of expr`, or return its error.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(DRYDOCK_CONCAT(drydock_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.error();          \
  lhs = std::move(tmp).value()
