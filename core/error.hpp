#pragma once
// The one error vocabulary of xiehui. Services return Result<T>; only web/error_mapping.cpp
// turns an ErrorCode into an HTTP status.

// libstdc++ 12's <expected> uses __glibcxx_assert without including its definition: any
// standard header first provides it.
#include <cstddef>

#include <expected>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace xiehui {

/// What went wrong, independent of transport. Order is not significant.
enum class ErrorCode {
  invalid_argument,
  unauthenticated,
  permission_denied,
  two_factor_required,  ///< 403: a session that must set up a second factor first
  not_found,
  already_exists,
  conflict,
  idempotency_mismatch,  ///< an Idempotency-Key reused with another request (422)
  rate_limited,
  payload_too_large,
  method_not_allowed,
  headers_too_large,
  unavailable,
  internal,
};

/// The API name of a code ("invalid_argument", ...), as sent in error bodies.
std::string_view to_string(ErrorCode code);

/// A message for people in both supported languages: Simplified Chinese (default) and English.
struct Text {
  std::string zh;
  std::string en;
};

/// One bad input field: `field` is the JSON path the client sent ("org.uscc", "tiers.member").
struct FieldError {
  std::string field;
  Text message;
};

/// A number a caller can act on, sent in the error's details ("outstanding_fen").
struct ErrorFigure {
  std::string name;
  long long value = 0;
};

/// One thing in the way, sent as an object in the error's details list (a booking a new one
/// collides with: its id, title and times).
struct ErrorRecord {
  std::vector<ErrorFigure> numbers;
  std::vector<std::pair<std::string, std::string>> texts;
};

/// An error a caller can act on. `fields` is filled for invalid_argument.
struct Error {
  ErrorCode code = ErrorCode::internal;
  Text message;
  std::vector<FieldError> fields;
  std::vector<ErrorFigure> figures;
  std::string records_name;  ///< details.<records_name> = [records…] when not empty
  std::vector<ErrorRecord> records;
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline Error make_error(ErrorCode code, Text message) {
  return Error{code, std::move(message), {}, {}, {}, {}};
}

/// invalid_argument naming the fields; the summary message is generic.
Error invalid_fields(std::vector<FieldError> fields);

/// The generic 500 error: never carries internal detail.
Error internal_error();

/// not_found for an entity ("会员单位"/"member unit").
Error not_found_error(Text entity);

}  // namespace xiehui
