#include "core/error.hpp"

namespace xiehui {

std::string_view to_string(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return "invalid_argument";
    case ErrorCode::unauthenticated:
      return "unauthenticated";
    case ErrorCode::permission_denied:
      return "permission_denied";
    case ErrorCode::two_factor_required:
      return "two_factor_required";
    case ErrorCode::not_found:
      return "not_found";
    case ErrorCode::already_exists:
      return "already_exists";
    case ErrorCode::conflict:
      return "conflict";
    case ErrorCode::idempotency_mismatch:
      return "idempotency_mismatch";
    case ErrorCode::rate_limited:
      return "rate_limited";
    case ErrorCode::payload_too_large:
      return "payload_too_large";
    case ErrorCode::method_not_allowed:
      return "method_not_allowed";
    case ErrorCode::headers_too_large:
      return "headers_too_large";
    case ErrorCode::unavailable:
      return "unavailable";
    case ErrorCode::internal:
      return "internal";
  }
  return "internal";
}

Error invalid_fields(std::vector<FieldError> fields) {
  Error e = make_error(ErrorCode::invalid_argument,
                       {"提交的内容有误，请检查标出的字段", "Some fields are invalid"});
  e.fields = std::move(fields);
  return e;
}

Error internal_error() {
  return make_error(ErrorCode::internal, {"服务器内部错误，请稍后再试",
                                          "Internal server error, please try again later"});
}

Error not_found_error(Text entity) {
  return make_error(ErrorCode::not_found, {"未找到该" + entity.zh, "No such " + entity.en});
}

}  // namespace xiehui
