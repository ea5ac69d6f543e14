#pragma once
// Writes JSON text straight into a string, for large lists: building a boost::json::value per
// row and serialising it afterwards allocated every field twice and copied it three times (a
// directory page of 50 spent about a fifth of its CPU there). Strings are escaped as
// boost::json::serialize escapes them, so either way gives the same text; the caller writes a
// well-formed document (objects and arrays opened and closed in order), and debug builds check.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace xiehui::web {

class JsonWriter {
 public:
  explicit JsonWriter(std::string& out) : out_(out) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  /// The next member's name, inside an object.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view text);
  JsonWriter& value(const char* text) { return value(std::string_view(text)); }
  JsonWriter& value(long long number);
  JsonWriter& value(int number) { return value(static_cast<long long>(number)); }
  JsonWriter& value(bool flag);
  JsonWriter& null();

  /// Shorthands for key(name).value(v).
  template <class T>
  JsonWriter& member(std::string_view name, const T& v) {
    return key(name).value(v);
  }

 private:
  void separate();  // a comma before every element but the first of its container
  void escaped(std::string_view text);

  std::string& out_;
  std::vector<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace xiehui::web
