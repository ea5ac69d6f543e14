#include "web/error_mapping.hpp"

#include <boost/json.hpp>

namespace xiehui::web {

http::status status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::invalid_argument:
      return http::status::bad_request;
    case ErrorCode::unauthenticated:
      return http::status::unauthorized;
    case ErrorCode::permission_denied:
    case ErrorCode::two_factor_required:
      return http::status::forbidden;
    case ErrorCode::not_found:
      return http::status::not_found;
    case ErrorCode::already_exists:
      return http::status::conflict;
    case ErrorCode::conflict:
      return http::status::conflict;
    case ErrorCode::idempotency_mismatch:
      return http::status::unprocessable_entity;
    case ErrorCode::rate_limited:
      return http::status::too_many_requests;
    case ErrorCode::payload_too_large:
      return http::status::payload_too_large;
    case ErrorCode::method_not_allowed:
      return http::status::method_not_allowed;
    case ErrorCode::headers_too_large:
      return http::status::request_header_fields_too_large;
    case ErrorCode::unavailable:
      return http::status::service_unavailable;
    case ErrorCode::internal:
      return http::status::internal_server_error;
  }
  return http::status::internal_server_error;
}

Response error_response(const Error& error, Lang lang, std::string_view request_id,
                        unsigned http_version) {
  const auto pick = [lang](const Text& t) -> const std::string& {
    return lang == Lang::en && !t.en.empty() ? t.en : t.zh;
  };
  boost::json::object details;
  if (!error.fields.empty()) {
    boost::json::object fields;
    for (const FieldError& f : error.fields) fields[f.field] = pick(f.message);
    details["fields"] = std::move(fields);
  }
  for (const ErrorFigure& f : error.figures) details[f.name] = f.value;
  if (!error.records_name.empty()) {
    boost::json::array list;
    for (const ErrorRecord& r : error.records) {
      boost::json::object o;
      for (const ErrorFigure& f : r.numbers) o[f.name] = f.value;
      for (const auto& [name, text] : r.texts) o[name] = text;
      list.push_back(std::move(o));
    }
    details[error.records_name] = std::move(list);
  }
  boost::json::object body{{"code", to_string(error.code)},
                           {"message", pick(error.message)},
                           {"details", std::move(details)},
                           {"request_id", request_id}};
  Response res{status_of(error.code), http_version};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = boost::json::serialize(body);
  return res;
}

}  // namespace xiehui::web
