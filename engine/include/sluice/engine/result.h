#pragma once
// Errors on the hot path are values: a small error enum and a result type that carries either a value
// or an error. Nothing here throws or allocates.
#include <cstdint>
#include <string_view>
#include <utility>

namespace sluice::engine {

enum class errc : std::uint8_t {
  ok = 0,
  invalid_utf8,        // input is not well-formed UTF-8
  input_too_large,     // input exceeds the configured limit
  scratch_missing,     // scanner has no scratch for its ruleset (internal: allocation failed)
  hyperscan_failure,   // Hyperscan returned an error during a scan or stream operation
  stream_closed,       // a write to a stream redactor after finish()
  too_many_findings,   // more candidate matches than the configured cap; the text is not trusted
  invalid_argument,    // a caller passed an argument outside the documented range
};

[[nodiscard]] constexpr std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::ok: return "ok";
    case errc::invalid_utf8: return "invalid_utf8";
    case errc::input_too_large: return "input_too_large";
    case errc::scratch_missing: return "scratch_missing";
    case errc::hyperscan_failure: return "hyperscan_failure";
    case errc::stream_closed: return "stream_closed";
    case errc::too_many_findings: return "too_many_findings";
    case errc::invalid_argument: return "invalid_argument";
  }
  return "unknown";
}

// A value or an error, in the spirit of std::expected (C++23). T must be default constructible.
template <class T>
class [[nodiscard]] result {
 public:
  result(T value) noexcept(std::is_nothrow_move_constructible_v<T>) : value_(std::move(value)) {}
  result(errc error) noexcept : error_(error) {}

  [[nodiscard]] bool has_value() const noexcept { return error_ == errc::ok; }
  explicit operator bool() const noexcept { return has_value(); }
  [[nodiscard]] errc error() const noexcept { return error_; }
  [[nodiscard]] T& value() & noexcept { return value_; }
  [[nodiscard]] const T& value() const& noexcept { return value_; }
  [[nodiscard]] T&& value() && noexcept { return std::move(value_); }
  T* operator->() noexcept { return &value_; }
  const T* operator->() const noexcept { return &value_; }
  T& operator*() & noexcept { return value_; }
  const T& operator*() const& noexcept { return value_; }

 private:
  T value_{};
  errc error_ = errc::ok;
};

}  // namespace sluice::engine
