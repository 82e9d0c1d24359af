// Result<T>: a value or an Error. A minimal stand-in for C++23 std::expected
// (GCC 12 in C++20 mode does not ship it).
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <utility>
#include <variant>

#include "core/error.hpp"

namespace caredesk::core {

// Aborts with a message: for broken invariants (bugs), never for input.
[[noreturn]] inline void Panic(const char* what) {
  std::fprintf(stderr, "caredesk: fatal: %s\n", what);
  std::abort();
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return data_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return Get(); }
  const T& value() const& { return const_cast<Result*>(this)->Get(); }
  T&& value() && { return std::move(Get()); }
  T& operator*() & { return Get(); }
  const T& operator*() const& { return const_cast<Result*>(this)->Get(); }
  T* operator->() { return &Get(); }
  const T* operator->() const { return &const_cast<Result*>(this)->Get(); }

  const Error& error() const& {
    if (ok()) {
      Panic("Result::error() on a value");
    }
    return std::get<1>(data_);
  }
  Error&& error() && {
    if (ok()) {
      Panic("Result::error() on a value");
    }
    return std::get<1>(std::move(data_));
  }

 private:
  T& Get() {
    if (!ok()) {
      Panic("Result::value() on an error");
    }
    return std::get<0>(data_);
  }
  std::variant<T, Error> data_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& {
    if (ok()) {
      Panic("Result::error() on success");
    }
    return *error_;
  }
  Error&& error() && {
    if (ok()) {
      Panic("Result::error() on success");
    }
    return std::move(*error_);
  }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace caredesk::core
