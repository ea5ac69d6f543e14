// The iCalendar writer's escaping and folding, on any text a summary or description may hold:
// escaped text is valid UTF-8 without line breaks or control characters, folded lines are at most
// 75 octets, never split a character, and unfold to the original line.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/ical.hpp"
#include "core/table_import.hpp"
#include "tests/fuzz/fuzz_check.hpp"

namespace {

std::string unfold(std::string_view folded) {
  std::string out;
  for (std::size_t i = 0; i < folded.size(); ++i) {
    if (folded.substr(i, 3) == "\r\n ") {
      i += 2;
      continue;
    }
    out += folded[i];
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);

  const std::string escaped = xiehui::ical::escape_text(text);
  FUZZ_CHECK(xiehui::is_valid_utf8(escaped));
  for (unsigned char c : escaped) FUZZ_CHECK(c >= 0x20 || c == '\t');
  FUZZ_CHECK(escaped.find('\x7f') == std::string::npos);

  const std::string line = "DESCRIPTION:" + escaped;
  const std::string folded = xiehui::ical::fold_line(line);
  FUZZ_CHECK(unfold(folded) == line);
  std::size_t start = 0;
  while (start <= folded.size()) {
    const std::size_t end = folded.find("\r\n", start);
    const std::string_view physical =
        std::string_view(folded).substr(start, end == std::string::npos ? end : end - start);
    FUZZ_CHECK(physical.size() <= 75);
    FUZZ_CHECK(xiehui::is_valid_utf8(physical));
    if (end == std::string::npos) break;
    start = end + 2;
  }

  // A whole calendar with the text in every field that takes free text.
  xiehui::ical::Event event;
  event.uid = "meeting-1@xiehui";
  event.starts_at = xiehui::Timestamp{std::chrono::seconds{1'767'225'600}};
  event.ends_at = event.starts_at + std::chrono::hours{2};
  event.summary = event.location = event.description = event.categories = event.url =
      std::string(text);
  const std::string calendar =
      xiehui::ical::calendar(text, std::vector<xiehui::ical::Event>{event}, event.starts_at);
  FUZZ_CHECK(calendar.ends_with("END:VCALENDAR\r\n"));
  FUZZ_CHECK(calendar.find("\r\nBEGIN:VEVENT\r\n") != std::string::npos);
  for (std::size_t i = 0; i < calendar.size(); ++i) {
    if (calendar[i] == '\n') FUZZ_CHECK(i > 0 && calendar[i - 1] == '\r');
  }
  return 0;
}
