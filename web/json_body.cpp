#include "web/json_body.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>

#include "core/validate.hpp"
#include "web/router.hpp"

namespace xiehui::web {
namespace {

Error bad_body(std::string zh, std::string en) {
  Error e = make_error(ErrorCode::invalid_argument, {zh, en});
  e.fields.push_back({"body", {std::move(zh), std::move(en)}});
  return e;
}

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

std::optional<long long> parse_positive(std::string_view text) {
  long long v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || end != text.data() + text.size() || v <= 0) return std::nullopt;
  return v;
}

}  // namespace

// The fields a describer was asked for, in the order the reader asked.
struct JsonBody::SchemaNode {
  struct Field {
    std::string name;
    bool required = false;
    boost::json::object schema;         // for objects and arrays of objects: without the child
    std::shared_ptr<SchemaNode> child;  // the nested object's fields
    bool child_is_items = false;        // the child describes the array's items
  };
  std::vector<Field> fields;
  std::vector<std::string> guarded;  // asked with has(): optional whatever the reader says

  boost::json::object render() const {
    boost::json::object properties;
    boost::json::array required;
    boost::json::object out{{"type", "object"}};
    for (const Field& f : fields) {
      boost::json::object s = f.schema;
      if (f.child && f.child_is_items) {
        s["items"] = f.child->render();
      } else if (f.child) {
        s = f.child->render();
      }
      const bool optional =
          !f.required || std::find(guarded.begin(), guarded.end(), f.name) != guarded.end();
      // find() reads a null like an absent field: an optional field may be sent as null.
      if (optional) s["nullable"] = true;
      if (f.name == kAnyKey) {
        out["additionalProperties"] = std::move(s);
        continue;
      }
      if (!optional) required.emplace_back(f.name);
      properties[f.name] = std::move(s);
    }
    out["properties"] = std::move(properties);
    if (!required.empty()) out["required"] = std::move(required);
    return out;
  }
};

JsonBody JsonBody::describer() {
  JsonBody body{boost::json::object{}};
  body.node_ = std::make_shared<SchemaNode>();
  return body;
}

boost::json::object JsonBody::schema() const {
  return node_ ? node_->render() : boost::json::object{{"type", "object"}};
}

std::shared_ptr<JsonBody::SchemaNode> JsonBody::record(std::string_view name, bool required,
                                                       boost::json::object schema) {
  for (auto& f : node_->fields) {
    if (f.name != name) continue;
    // Read twice (a guard, then the value): required if either read requires it.
    f.required = f.required || required;
    return f.child;
  }
  node_->fields.push_back({std::string(name), required, std::move(schema), nullptr, false});
  return nullptr;
}

Result<JsonBody> JsonBody::parse(const Request& req) {
  const auto type = req[http::field::content_type];
  if (type.substr(0, type.find(';')) != "application/json") {
    return std::unexpected(bad_body("请求内容类型必须是 application/json",
                                    "the request's Content-Type must be application/json"));
  }
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(req.body(), ec);
  if (ec) {
    return std::unexpected(bad_body("请求内容不是有效的 JSON", "the body is not valid JSON"));
  }
  if (!v.is_object()) {
    return std::unexpected(bad_body("请求内容应为 JSON 对象", "the body must be a JSON object"));
  }
  return JsonBody(std::move(v.as_object()));
}

Result<JsonBody> JsonBody::parse_optional(const Request& req) {
  if (req.body().empty()) return JsonBody(boost::json::object{});
  return parse(req);
}

Result<JsonBody> JsonBody::parse(const RequestContext& ctx) {
  if (!ctx.describing) return parse(ctx.request);
  ctx.describing->parsed = true;
  return ctx.describing->body;  // shares the recorded fields
}

Result<JsonBody> JsonBody::parse_optional(const RequestContext& ctx) {
  if (!ctx.describing) return parse_optional(ctx.request);
  ctx.describing->parsed = true;
  ctx.describing->optional = true;
  return ctx.describing->body;
}

std::optional<std::string> JsonBody::secret(std::string_view name, bool required,
                                            std::size_t max_chars) {
  if (node_) {
    record(name, required, {{"type", "string"}, {"format", "password"}, {"maxLength", max_chars}});
    return std::nullopt;
  }
  return text(name, required, max_chars, false);
}

std::optional<std::string> JsonBody::string(std::string_view name, bool required,
                                            std::size_t max_chars) {
  return text(name, required, max_chars, true);
}

std::optional<std::string> JsonBody::text_block(std::string_view name, bool required,
                                                std::size_t max_chars) {
  return text(name, required, max_chars, true, true);
}

bool JsonBody::has(std::string_view name) const {
  if (node_) {
    node_->guarded.emplace_back(name);
    return true;
  }
  return obj_.contains(name);
}

const boost::json::value* JsonBody::find(std::string_view name, bool required) {
  const auto* v = obj_.if_contains(name);
  if ((!v || v->is_null()) && required) {
    fail(std::string(name), {"必填", "required"});
    return nullptr;
  }
  return v && !v->is_null() ? v : nullptr;
}

std::optional<std::string> JsonBody::text(std::string_view name, bool required,
                                          std::size_t max_chars, bool trimmed, bool multiline) {
  if (node_) {
    record(name, required, {{"type", "string"}, {"maxLength", max_chars}});
    return std::nullopt;
  }
  const auto* v = find(name, required);
  if (!v) return std::nullopt;
  if (!v->is_string()) {
    fail(std::string(name), {"应为字符串", "must be a string"});
    return std::nullopt;
  }
  std::string crlf_free;
  std::string_view raw(v->as_string());
  if (multiline && raw.find('\r') != std::string_view::npos) {
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\r' && i + 1 < raw.size() && raw[i + 1] == '\n') continue;
      crlf_free += raw[i];
    }
    raw = crlf_free;
  }
  const std::string_view text = trimmed ? trim(raw) : raw;
  // Passwords (untrimmed secrets) are hashed, never stored or shown: any byte may be in them.
  if (trimmed && has_control_chars(text, multiline)) {
    fail(std::string(name), control_chars_message(multiline));
    return std::nullopt;
  }
  if (text.empty() && required) {
    fail(std::string(name), {"必填", "required"});
    return std::nullopt;
  }
  if (utf8_chars(text) > max_chars) {
    const std::string n = std::to_string(max_chars);
    fail(std::string(name), {"最多 " + n + " 个字符", "at most " + n + " characters"});
    return std::nullopt;
  }
  return std::string(text);
}

std::optional<bool> JsonBody::boolean(std::string_view name, bool required) {
  if (node_) {
    record(name, required, {{"type", "boolean"}});
    return std::nullopt;
  }
  const auto* v = find(name, required);
  if (!v) return std::nullopt;
  if (!v->is_bool()) {
    fail(std::string(name), {"应为 true 或 false", "must be true or false"});
    return std::nullopt;
  }
  return v->as_bool();
}

std::optional<long long> JsonBody::integer(std::string_view name, bool required, long long min,
                                           long long max) {
  if (node_) {
    record(name, required, {{"type", "integer"}, {"minimum", min}, {"maximum", max}});
    return std::nullopt;
  }
  const auto* v = find(name, required);
  if (!v) return std::nullopt;
  std::optional<long long> value;
  if (v->is_int64()) value = v->as_int64();
  if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(max)) {
    value = static_cast<long long>(v->as_uint64());
  }
  if (!value) {
    fail(std::string(name), {"应为整数", "must be an integer"});
    return std::nullopt;
  }
  if (*value < min || *value > max) {
    fail(std::string(name), {"超出允许范围 " + std::to_string(min) + "–" + std::to_string(max),
                             "out of range " + std::to_string(min) + "–" + std::to_string(max)});
    return std::nullopt;
  }
  return value;
}

std::optional<std::optional<long long>> JsonBody::nullable_integer(std::string_view name,
                                                                   long long min, long long max) {
  if (node_) {
    record(name, false, {{"type", "integer"}, {"minimum", min}, {"maximum", max}});
    return std::nullopt;
  }
  const auto* v = obj_.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_null()) return std::optional<long long>{};
  auto value = integer(name, true, min, max);
  if (!value) return std::nullopt;
  return std::optional<long long>(*value);
}

std::optional<std::optional<std::string>> JsonBody::nullable_string(std::string_view name,
                                                                    std::size_t max_chars) {
  if (node_) {
    record(name, false, {{"type", "string"}, {"maxLength", max_chars}});
    return std::nullopt;
  }
  const auto* v = obj_.if_contains(name);
  if (!v) return std::nullopt;
  if (v->is_null() || (v->is_string() && v->as_string().empty())) {
    return std::optional<std::string>{};
  }
  auto value = string(name, true, max_chars);
  if (!value) return std::nullopt;
  return std::optional<std::string>(*value);
}

std::optional<std::vector<std::string>> JsonBody::string_array(std::string_view name, bool required,
                                                               std::size_t max_items,
                                                               std::size_t max_chars) {
  if (node_) {
    record(name, required,
           {{"type", "array"},
            {"maxItems", max_items},
            {"items", {{"type", "string"}, {"maxLength", max_chars}}}});
    return std::nullopt;
  }
  const auto* v = find(name, required);
  if (!v) return std::nullopt;
  if (!v->is_array() || v->as_array().size() > max_items) {
    fail(std::string(name),
         {"应为最多 " + std::to_string(max_items) + " 项的字符串数组",
          "must be an array of at most " + std::to_string(max_items) + " strings"});
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_string() || utf8_chars(item.as_string()) > max_chars ||
        has_control_chars(item.as_string(), false)) {
      fail(std::string(name), {"数组中有无效的项", "has an invalid item"});
      return std::nullopt;
    }
    out.emplace_back(item.as_string());
  }
  return out;
}

JsonBody JsonBody::object(std::string_view name) {
  if (node_) {
    JsonBody nested{boost::json::object{}, prefix_ + std::string(name) + "."};
    nested.node_ = record(name, true, {});
    if (!nested.node_) {
      nested.node_ = std::make_shared<SchemaNode>();
      node_->fields.back().child = nested.node_;
    }
    return nested;
  }
  const auto* v = find(name, true);
  if (v && !v->is_object()) fail(std::string(name), {"应为对象", "must be an object"});
  const std::string prefix = prefix_ + std::string(name) + ".";
  if (!v || !v->is_object()) return JsonBody(boost::json::object{}, prefix);
  return JsonBody(v->as_object(), prefix);
}

std::optional<std::vector<long long>> JsonBody::integer_array(std::string_view name, bool required,
                                                              std::size_t max_items, long long min,
                                                              long long max) {
  if (node_) {
    record(name, required, {{"type", "integer"}, {"minimum", min}, {"maximum", max}});
    return std::nullopt;
  }
  const auto* v = find(name, required);
  if (!v) return std::nullopt;
  const Text bad{"应为最多 " + std::to_string(max_items) + " 个 " + std::to_string(min) + "–" +
                     std::to_string(max) + " 之间整数的数组",
                 "must be an array of at most " + std::to_string(max_items) + " integers " +
                     std::to_string(min) + "–" + std::to_string(max)};
  if (!v->is_array() || v->as_array().size() > max_items) {
    fail(std::string(name), bad);
    return std::nullopt;
  }
  std::vector<long long> out;
  for (const auto& item : v->as_array()) {
    if (!item.is_int64() || item.as_int64() < min || item.as_int64() > max) {
      fail(std::string(name), bad);
      return std::nullopt;
    }
    out.push_back(item.as_int64());
  }
  return out;
}

std::vector<JsonBody> JsonBody::objects(std::string_view name, bool required,
                                        std::size_t max_items) {
  std::vector<JsonBody> out;
  if (node_) {
    // One describing item, so the reader's loop runs once and records the items' fields.
    JsonBody item{boost::json::object{}, prefix_ + std::string(name) + "[0]."};
    item.node_ = record(name, required, {{"type", "array"}, {"maxItems", max_items}});
    if (!item.node_) {
      item.node_ = std::make_shared<SchemaNode>();
      node_->fields.back().child = item.node_;
      node_->fields.back().child_is_items = true;
    }
    out.push_back(std::move(item));
    return out;
  }
  const auto* v = find(name, required);
  if (!v) return out;
  if (!v->is_array() || v->as_array().size() > max_items) {
    fail(std::string(name), {"应为最多 " + std::to_string(max_items) + " 项的数组",
                             "must be an array of at most " + std::to_string(max_items)});
    return out;
  }
  const auto& items = v->as_array();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const std::string prefix = prefix_ + std::string(name) + "[" + std::to_string(i) + "].";
    if (!items[i].is_object()) {
      errors_.push_back({prefix.substr(0, prefix.size() - 1), {"应为对象", "must be an object"}});
      out.push_back(JsonBody(boost::json::object{}, prefix));
      continue;
    }
    out.push_back(JsonBody(items[i].as_object(), prefix));
  }
  return out;
}

std::vector<std::string> JsonBody::keys() const {
  if (node_) return {std::string(kAnyKey)};
  std::vector<std::string> out;
  for (const auto& kv : obj_) out.emplace_back(kv.key());
  return out;
}

void JsonBody::absorb(JsonBody& nested) {
  for (auto& e : nested.errors_) errors_.push_back(std::move(e));
  nested.errors_.clear();
}

void JsonBody::fail(std::string field, Text message) {
  errors_.push_back({prefix_ + field, std::move(message)});
}

Status JsonBody::finish() {
  if (node_) {
    return std::unexpected(
        make_error(ErrorCode::invalid_argument, {"仅用于生成接口说明", "described, not read"}));
  }
  if (errors_.empty()) return {};
  return std::unexpected(invalid_fields(std::move(errors_)));
}

Result<bool> query_flag(const RequestContext& ctx, std::string_view name, bool fallback) {
  const auto v = ctx.query(name);
  if (!v) return fallback;
  if (*v == "true" || *v == "1") return true;
  if (*v == "false" || *v == "0") return false;
  return std::unexpected(
      invalid_fields({{std::string(name), {"应为 true 或 false", "must be true or false"}}}));
}

Result<Paging> parse_paging(const RequestContext& ctx) {
  Paging p;
  std::vector<FieldError> errors;
  const auto read = [&](std::string_view name, int max, int& out) {
    auto text = ctx.query(name);
    if (!text) return;
    auto v = parse_positive(*text);
    if (!v || *v > max) {
      errors.push_back({std::string(name),
                        {"应为 1–" + std::to_string(max) + " 的整数",
                         "must be an integer 1–" + std::to_string(max)}});
      return;
    }
    out = static_cast<int>(*v);
  };
  read("page", 1'000'000, p.page);
  read("page_size", 200, p.page_size);
  if (!errors.empty()) return std::unexpected(invalid_fields(std::move(errors)));
  return p;
}

Result<long long> parse_id(std::string_view text, Text entity) {
  auto v = parse_positive(text);
  if (!v) return std::unexpected(not_found_error(std::move(entity)));
  return *v;
}

}  // namespace xiehui::web
