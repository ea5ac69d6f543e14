#pragma once
// Reading request bodies and query parameters into typed values, collecting one field error per
// bad field so the client hears about all of them at once (400 with details.fields).

#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "web/http.hpp"

namespace xiehui::web {

struct RequestContext;

/// A JSON object body under validation.
class JsonBody {
 public:
  /// invalid_argument when the Content-Type is not JSON, the body is not valid JSON, or it is
  /// not an object.
  static Result<JsonBody> parse(const Request& req);
  /// As parse, but an empty body is an empty object (for bodies whose fields are all optional).
  static Result<JsonBody> parse_optional(const Request& req);
  /// parse() / parse_optional() of the context's request, or, when the handler runs in
  /// describing mode (ctx.describing), the describer it records into.
  static Result<JsonBody> parse(const RequestContext& ctx);
  static Result<JsonBody> parse_optional(const RequestContext& ctx);
  /// A body in describing mode, for the OpenAPI document: it reads nothing; every accessor
  /// records the field it was asked for (type, required, limits, nesting) and answers "absent"
  /// (objects() answers one describing item), so running a body reader on it once yields the
  /// reader's JSON Schema without a second, drifting copy. has() answers true so guarded
  /// fields are recorded too (as optional); keys() answers kAnyKey, recorded as
  /// additionalProperties (a map).
  static JsonBody describer();
  static constexpr std::string_view kAnyKey = "*";
  bool describing() const { return node_ != nullptr; }
  /// The JSON Schema recorded by a describer (an empty object schema otherwise).
  boost::json::object schema() const;

  bool has(std::string_view name) const;
  /// A one-line string of 1..max_chars characters (trimmed), without control characters;
  /// `required` makes absence an error.
  std::optional<std::string> string(std::string_view name, bool required, std::size_t max_chars);
  /// A multi-line text (a reason, a description): as string(), but newlines and tabs are
  /// allowed (CR LF is stored as LF).
  std::optional<std::string> text_block(std::string_view name, bool required,
                                        std::size_t max_chars);
  /// A secret (password) as sent: not trimmed, at most max_chars characters.
  std::optional<std::string> secret(std::string_view name, bool required, std::size_t max_chars);
  std::optional<bool> boolean(std::string_view name, bool required);
  /// An integer in [min, max]; a number with a fraction or a string is an error.
  std::optional<long long> integer(std::string_view name, bool required, long long min,
                                   long long max);
  /// Present and null → nullopt inside; absent → nullopt outside.
  std::optional<std::optional<long long>> nullable_integer(std::string_view name, long long min,
                                                           long long max);
  /// Present and null or "" → nullopt inside (clear it); absent → nullopt outside.
  std::optional<std::optional<std::string>> nullable_string(std::string_view name,
                                                            std::size_t max_chars);
  std::optional<std::vector<std::string>> string_array(std::string_view name, bool required,
                                                       std::size_t max_items,
                                                       std::size_t max_chars);

  /// The nested object `name` as a JsonBody whose field errors are prefixed "name."; a missing
  /// or non-object value is an error and reads as an empty object. Merge with absorb().
  JsonBody object(std::string_view name);
  /// An array of at most max_items integers, each in [min, max].
  std::optional<std::vector<long long>> integer_array(std::string_view name, bool required,
                                                      std::size_t max_items, long long min,
                                                      long long max);
  /// The objects of the array `name` (at most max_items), each a JsonBody prefixed
  /// "name[i]."; absent and not required → empty. Merge each with absorb().
  std::vector<JsonBody> objects(std::string_view name, bool required, std::size_t max_items);
  /// The names of this object's fields.
  std::vector<std::string> keys() const;
  /// Takes over the field errors of a nested body.
  void absorb(JsonBody& nested);

  /// Adds a field error found by the caller.
  void fail(std::string field, Text message);
  /// invalid_argument with every collected field error, or success. A describer always fails
  /// (invalid_argument): a handler run to describe its body stops before it acts.
  Status finish();

 private:
  struct SchemaNode;

  explicit JsonBody(boost::json::object obj, std::string prefix = {})
      : obj_(std::move(obj)), prefix_(std::move(prefix)) {}
  const boost::json::value* find(std::string_view name, bool required);
  /// Describing mode: records `schema` for the field `name`; returns the child node when the
  /// field is an object (or an array of objects) whose fields a nested describer records.
  std::shared_ptr<SchemaNode> record(std::string_view name, bool required,
                                     boost::json::object schema);
  std::optional<std::string> text(std::string_view name, bool required, std::size_t max_chars,
                                  bool trimmed, bool multiline = false);

  boost::json::object obj_;
  std::string prefix_;  // "org." for a nested object
  std::vector<FieldError> errors_;
  std::shared_ptr<SchemaNode> node_;  // set in describing mode only
};

/// Page and page size from ?page=&page_size= (defaults 1 and 50, size at most 200).
struct Paging {
  int page = 1;
  int page_size = 50;
};
Result<Paging> parse_paging(const RequestContext& ctx);

/// A true/false query flag (also 1/0); `fallback` when absent.
Result<bool> query_flag(const RequestContext& ctx, std::string_view name, bool fallback);

/// A path parameter that must be a positive id; not_found otherwise (an id that cannot exist).
Result<long long> parse_id(std::string_view text, Text entity);

}  // namespace xiehui::web
