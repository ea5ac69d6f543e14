// Credit codes, mobile numbers and e-mail addresses as people type them: never a crash, and what
// is accepted is already in its normal form (normalising it again changes nothing).

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/table_import.hpp"
#include "core/validate.hpp"
#include "tests/fuzz/fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  if (auto uscc = xiehui::normalise_uscc(text)) {
    FUZZ_CHECK(uscc->size() == 18);
    FUZZ_CHECK(xiehui::uscc_check_char(std::string_view(*uscc).substr(0, 17)) == (*uscc)[17]);
    FUZZ_CHECK(xiehui::normalise_uscc(*uscc).value_or("") == *uscc);
  } else {
    FUZZ_CHECK(!uscc.error().zh.empty() && !uscc.error().en.empty());
  }
  if (text.size() >= 17) (void)xiehui::uscc_check_char(text.substr(0, 17));

  if (auto mobile = xiehui::normalise_mobile(text)) {
    FUZZ_CHECK(mobile->size() == 11 && (*mobile)[0] == '1');
    for (char c : *mobile) FUZZ_CHECK(c >= '0' && c <= '9');
    FUZZ_CHECK(xiehui::normalise_mobile(*mobile).value_or("") == *mobile);
  }

  if (auto email = xiehui::normalise_email(text)) {
    FUZZ_CHECK(email->size() <= 254);
    FUZZ_CHECK(email->find('@') != std::string::npos);
    FUZZ_CHECK(!xiehui::has_control_chars(*email, true));
    FUZZ_CHECK(xiehui::normalise_email(*email).value_or("") == *email);
  }

  (void)xiehui::has_control_chars(text, true);
  (void)xiehui::has_control_chars(text, false);
  (void)xiehui::find_division(xiehui::hunan_prefectures(), text);
  return 0;
}
