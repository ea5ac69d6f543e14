#include "tests/support/json_schema.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace xiehui::testing {
namespace {

namespace json = boost::json;

std::string type_of(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "boolean";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "?";
}

// Concatenation by appending ("x" + std::string(...) trips GCC 12's -Wrestrict).
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

bool has_type(const json::value& v, std::string_view type) {
  const std::string actual = type_of(v);
  if (actual == type) return true;
  // An integer is a number; a double with no fraction is not taken for an integer.
  return type == "number" && actual == "integer";
}

std::size_t utf8_chars(std::string_view s) {
  std::size_t n = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++n;
  }
  return n;
}

double number_of(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.as_int64());
  if (v.is_uint64()) return static_cast<double>(v.as_uint64());
  return v.as_double();
}

// "~" and "/" escaped as JSON Pointer (RFC 6901) wants them.
std::string pointer_token(std::string_view key) {
  std::string out;
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

class Checker {
 public:
  explicit Checker(const json::object& document) : document_(document) {}

  void check(const json::value& v, const json::value& schema_value, const std::string& at) {
    if (!schema_value.is_object()) return;  // true / {}: anything
    const json::object& schema = schema_value.as_object();
    if (const auto* ref = schema.if_contains("$ref")) {
      const json::value* target = resolve(ref->as_string());
      if (!target) {
        fail(at, cat("unresolvable $ref ", std::string_view(ref->as_string())));
        return;
      }
      check(v, *target, at);
      return;
    }
    if (v.is_null()) {
      const auto* nullable = schema.if_contains("nullable");
      const auto* type = schema.if_contains("type");
      if ((nullable && nullable->is_bool() && nullable->as_bool()) || !type) return;
      fail(at, cat("is null, expected ", std::string_view(type->as_string())));
      return;
    }
    if (const auto* type = schema.if_contains("type")) {
      if (!has_type(v, type->as_string())) {
        fail(at, cat("is ", type_of(v), ", expected ", std::string_view(type->as_string())));
        return;
      }
    }
    if (const auto* values = schema.if_contains("enum")) {
      const auto& list = values->as_array();
      if (std::find(list.begin(), list.end(), v) == list.end()) {
        fail(at, cat(json::serialize(v), " is not one of ", json::serialize(*values)));
      }
    }
    if (v.is_number()) check_number(v, schema, at);
    if (v.is_string()) {
      if (const auto* max = schema.if_contains("maxLength")) {
        if (utf8_chars(v.as_string()) > static_cast<std::size_t>(max->to_number<double>())) {
          fail(at, cat("longer than maxLength ", json::serialize(*max)));
        }
      }
    }
    if (v.is_array()) check_array(v.as_array(), schema, at);
    if (v.is_object()) check_object(v.as_object(), schema, at);
    if (const auto* all = schema.if_contains("allOf")) {
      for (const auto& part : all->as_array()) check(v, part, at);
    }
    for (const char* combinator : {"oneOf", "anyOf"}) {
      const auto* options = schema.if_contains(combinator);
      if (!options) continue;
      std::size_t matching = 0;
      for (const auto& option : options->as_array()) {
        Checker sub(document_);
        sub.check(v, option, at);
        if (sub.problems_.empty()) ++matching;
      }
      const bool one = std::string_view(combinator) == "oneOf";
      if (matching == 0 || (one && matching > 1)) {
        fail(at, cat("matches ", std::to_string(matching), " of the ", combinator, " schemas"));
      }
    }
  }

  std::vector<std::string> problems_;

 private:
  const json::value* resolve(std::string_view ref) const {
    if (!ref.starts_with("#/")) return nullptr;
    const json::value* at = nullptr;
    const json::object* in = &document_;
    ref.remove_prefix(2);
    while (true) {
      const auto slash = ref.find('/');
      const std::string_view token = ref.substr(0, slash);
      if (!in) return nullptr;
      at = in->if_contains(token);
      if (!at) return nullptr;
      if (slash == std::string_view::npos) return at;
      in = at->if_object();
      ref.remove_prefix(slash + 1);
    }
  }

  void check_number(const json::value& v, const json::object& schema, const std::string& at) {
    const double n = number_of(v);
    if (const auto* min = schema.if_contains("minimum"); min && n < min->to_number<double>()) {
      fail(at, cat(json::serialize(v), " is below the minimum ", json::serialize(*min)));
    }
    if (const auto* max = schema.if_contains("maximum"); max && n > max->to_number<double>()) {
      fail(at, cat(json::serialize(v), " is above the maximum ", json::serialize(*max)));
    }
  }

  void check_array(const json::array& a, const json::object& schema, const std::string& at) {
    if (const auto* max = schema.if_contains("maxItems")) {
      if (a.size() > static_cast<std::size_t>(max->to_number<double>())) {
        fail(at, cat("has more than maxItems ", json::serialize(*max)));
      }
    }
    if (const auto* items = schema.if_contains("items")) {
      for (std::size_t i = 0; i < a.size(); ++i) {
        std::string item_at = at;
        item_at += "/";
        item_at += std::to_string(i);
        check(a[i], *items, item_at);
      }
    }
  }

  void check_object(const json::object& o, const json::object& schema, const std::string& at) {
    static const json::object kNone;
    const auto* props_value = schema.if_contains("properties");
    const json::object& props = props_value ? props_value->as_object() : kNone;
    if (const auto* required = schema.if_contains("required")) {
      for (const auto& name : required->as_array()) {
        if (!o.contains(name.as_string())) {
          std::string missing = "lacks the required field \"";
          missing += name.as_string();
          missing += "\"";
          fail(at, missing);
        }
      }
    }
    const auto* additional = schema.if_contains("additionalProperties");
    for (const auto& [key, value] : o) {
      std::string field_at = at;
      field_at += "/";
      field_at += pointer_token(key);
      if (const auto* sub = props.if_contains(key)) {
        check(value, *sub, field_at);
      } else if (additional && additional->is_bool() && !additional->as_bool()) {
        fail(field_at, "is not in the schema (additionalProperties: false)");
      } else if (additional && additional->is_object()) {
        check(value, *additional, field_at);
      }
    }
  }

  void fail(const std::string& at, const std::string& problem) {
    std::string line = at.empty() ? std::string("(root)") : at;
    line += ": ";
    line += problem;
    problems_.push_back(std::move(line));
  }

  const json::object& document_;
};

}  // namespace

std::vector<std::string> schema_problems(const json::value& value, const json::value& schema,
                                         const json::object& document) {
  Checker checker(document);
  checker.check(value, schema, "");
  return checker.problems_;
}

}  // namespace xiehui::testing
