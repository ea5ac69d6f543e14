// Pinyin sort keys of any bytes (names arrive from forms and spreadsheets): never a crash, the
// reading is lower-case ASCII words, and the key is the reading, the separator, then the name.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/pinyin.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 4096) return -1;  // names are short; long inputs only slow the search
  const std::string_view name(reinterpret_cast<const char*>(data), size);

  const std::string reading = xiehui::pinyin_reading(name);
  for (char c : reading) {
    FUZZ_CHECK((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ' ');
  }
  FUZZ_CHECK(reading.empty() || (reading.front() != ' ' && reading.back() != ' '));
  FUZZ_CHECK(reading.find("  ") == std::string::npos);

  const std::string key = xiehui::pinyin_sort_key(name);
  if (name.empty()) {
    FUZZ_CHECK(key.empty());
  } else {
    std::string expected = reading;
    expected += xiehui::kPinyinKeySeparator;
    expected += name;
    FUZZ_CHECK(key == expected);
  }
  FUZZ_CHECK(xiehui::pinyin_initial(name) == xiehui::pinyin_initial_of_key(key));

  // The input read as a staff-entered reading for a fixed name.
  const std::string corrected = xiehui::pinyin_sort_key_from_reading(name, "长沙");
  FUZZ_CHECK(corrected.size() >= std::string_view("长沙").size() + 1);
  return 0;
}
