#include "core/ical.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "core/table_import.hpp"

namespace xiehui::ical {
namespace {

using namespace std::chrono;

Timestamp utc(int y, unsigned m, unsigned d, int hour, int minute = 0, int second = 0) {
  return Timestamp{sys_days{year{y} / month{m} / day{d}} + hours{hour} + minutes{minute} +
                   seconds{second}};
}

long long epoch_seconds(Timestamp t) { return floor<seconds>(t).time_since_epoch().count(); }

/// The physical lines of `text`, which must end with CRLF; a bare CR or LF fails the test.
std::vector<std::string> physical_lines(const std::string& text) {
  std::vector<std::string> lines;
  EXPECT_TRUE(text.ends_with("\r\n")) << "the last line ends with CRLF";
  std::size_t at = 0;
  while (at < text.size()) {
    const auto end = text.find("\r\n", at);
    if (end == std::string::npos) break;
    lines.push_back(text.substr(at, end - at));
    EXPECT_EQ(lines.back().find_first_of("\r\n"), std::string::npos)
        << "bare CR or LF in line " << lines.size();
    at = end + 2;
  }
  return lines;
}

/// Content lines: physical lines with continuations joined (RFC 5545 3.1).
std::vector<std::string> content_lines(const std::string& text) {
  std::vector<std::string> lines;
  for (auto& line : physical_lines(text)) {
    if (line.starts_with(' ') && !lines.empty()) {
      lines.back() += line.substr(1);
    } else {
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

bool has_line(const std::string& text, std::string_view line) {
  const auto lines = content_lines(text);
  return std::find(lines.begin(), lines.end(), line) != lines.end();
}

std::string unfold(std::string text) {
  for (auto at = text.find("\r\n "); at != std::string::npos; at = text.find("\r\n ", at)) {
    text.erase(at, 3);
  }
  return text;
}

Event meeting() {
  Event e;
  e.uid = "meeting-12@xiehui";
  e.starts_at = utc(2026, 3, 5, 1);
  e.ends_at = utc(2026, 3, 5, 3, 30);
  e.summary = "第三届第二次理事会";
  e.location = "协会 301 会议室";
  e.last_modified = utc(2026, 2, 20, 8, 15, 30);
  return e;
}

const Timestamp kNow = utc(2026, 3, 1, 2, 3, 4);

TEST(IcalEscape, EscapesBackslashSemicolonCommaAndNewline) {
  EXPECT_EQ(escape_text("a\\b;c,d\ne"), "a\\\\b\\;c\\,d\\ne");
  EXPECT_EQ(escape_text("长沙，岳麓区；第一会议室"), "长沙，岳麓区；第一会议室")
      << "full-width punctuation is not escaped";
  EXPECT_EQ(escape_text(""), "");
  EXPECT_EQ(escape_text("Tab\tkept"), "Tab\tkept") << "HTAB is a TSAFE-CHAR";
}

TEST(IcalEscape, LineBreaksBecomeOneEscapedNewline) {
  EXPECT_EQ(escape_text("一\r\n二\n三\r四"), "一\\n二\\n三\\n四");
}

TEST(IcalEscape, DropsControlCharactersAndRepairsUtf8) {
  EXPECT_EQ(escape_text(std::string("a\x01"
                                    "b\x1b[31mc\x7f"
                                    "d\0e",
                                    13)),
            "ab[31mcde");
  EXPECT_EQ(escape_text("x\xC2\x85y"), "xy") << "C1 control NEL";
  EXPECT_EQ(escape_text("\xC2\xA0"), "\xC2\xA0") << "U+00A0 is not a control character";
  EXPECT_EQ(escape_text("a\xFF"
                        "b\xE4\xB8"),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(escape_text("\xED\xA0\x80"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD") << "a surrogate";
  EXPECT_TRUE(is_valid_utf8(escape_text("\xC0\xAF\xF5\x80 ok")));
}

TEST(IcalFold, LinesUpTo75OctetsStayWhole) {
  const std::string s75(75, 'x');
  EXPECT_EQ(fold_line(s75), s75);
  EXPECT_EQ(fold_line(s75 + "y"), s75 + "\r\n y");
  const std::string s75_74 = s75 + std::string(74, 'y');
  EXPECT_EQ(fold_line(s75_74), s75 + "\r\n " + std::string(74, 'y'));
  EXPECT_EQ(fold_line(s75_74 + "z"), s75 + "\r\n " + std::string(74, 'y') + "\r\n z");
}

TEST(IcalFold, LongChineseSummaryNeverSplitsACharacter) {
  const std::string summary =
      "湖南省开发区协会第三届第二次理事会暨二〇二六年度工作部署会议（长沙·岳麓山国家大学科技城），"
      "请各会员单位主要负责人准时参加😀；会议材料另行通知。";
  // Every offset of the text against the 75-octet grid: 3- and 4-byte sequences land on it.
  for (std::size_t pad = 0; pad < 4; ++pad) {
    const std::string line = "SUMMARY:" + std::string(pad, 'x') + escape_text(summary);
    const std::string folded = fold_line(line);
    ASSERT_GT(folded.size(), line.size()) << "it was folded";
    for (const auto& physical : physical_lines(folded + "\r\n")) {
      EXPECT_LE(physical.size(), 75u) << physical;
      EXPECT_TRUE(is_valid_utf8(physical)) << "pad " << pad << ": " << physical;
    }
    EXPECT_EQ(unfold(folded), line);
  }
}

TEST(IcalCalendar, TimesAreShanghaiWallClockAndStampsUtc) {
  const std::string ics = calendar("湖南省开发区协会", {meeting()}, kNow);
  EXPECT_TRUE(has_line(ics, "DTSTART;TZID=Asia/Shanghai:20260305T090000")) << ics;
  EXPECT_TRUE(has_line(ics, "DTEND;TZID=Asia/Shanghai:20260305T113000")) << ics;
  EXPECT_TRUE(has_line(ics, "DTSTAMP:20260301T020304Z")) << ics;
  EXPECT_TRUE(has_line(ics, "LAST-MODIFIED:20260220T081530Z")) << ics;
}

TEST(IcalCalendar, LocalTimeCrossesTheDateLineAtSixteenUtc) {
  Event e = meeting();
  e.starts_at = utc(2026, 2, 28, 16) + microseconds{999'999};  // sub-seconds are cut, not rounded
  e.ends_at = utc(2026, 12, 31, 15, 59, 59);
  const std::string ics = calendar("x", {e}, kNow);
  EXPECT_TRUE(has_line(ics, "DTSTART;TZID=Asia/Shanghai:20260301T000000")) << ics;
  EXPECT_TRUE(has_line(ics, "DTEND;TZID=Asia/Shanghai:20261231T235959")) << ics;
}

TEST(IcalCalendar, CancelledEventsAndSequence) {
  Event cancelled = meeting();
  cancelled.cancelled = true;
  cancelled.sequence = 3;
  const std::string ics = calendar("x", {cancelled}, kNow);
  EXPECT_TRUE(has_line(ics, "STATUS:CANCELLED"));
  EXPECT_FALSE(has_line(ics, "STATUS:CONFIRMED"));
  EXPECT_TRUE(has_line(ics, "SEQUENCE:3"));

  const std::string confirmed = calendar("x", {meeting()}, kNow);
  EXPECT_TRUE(has_line(confirmed, "STATUS:CONFIRMED"));
  EXPECT_TRUE(has_line(confirmed, "SEQUENCE:0"));
}

TEST(IcalCalendar, EscapesTextFieldsAndOmitsEmptyOnes) {
  Event e = meeting();
  e.summary = "议程：审议章程, 会费;选举";
  e.location.clear();
  e.description = "第一项\n第二项";
  e.categories = "会议,理事会";
  e.last_modified = {};
  const std::string ics = calendar("协会, 日历", {e}, kNow);
  EXPECT_TRUE(has_line(ics, "SUMMARY:议程：审议章程\\, 会费\\;选举")) << ics;
  EXPECT_TRUE(has_line(ics, "DESCRIPTION:第一项\\n第二项")) << ics;
  EXPECT_TRUE(has_line(ics, "CATEGORIES:会议\\,理事会")) << ics;
  EXPECT_TRUE(has_line(ics, "X-WR-CALNAME:协会\\, 日历")) << ics;
  EXPECT_EQ(ics.find("LOCATION"), std::string::npos);
  EXPECT_EQ(ics.find("URL"), std::string::npos);
  EXPECT_EQ(ics.find("LAST-MODIFIED"), std::string::npos) << "not set";
}

TEST(IcalCalendar, UrlIsNotEscapedButCannotBreakTheLine) {
  Event e = meeting();
  e.url = "https://xh.example.cn/meetings/12?a=1,2\r\nSTATUS:CANCELLED";
  const std::string ics = calendar("x", {e}, kNow);
  EXPECT_TRUE(has_line(ics, "URL:https://xh.example.cn/meetings/12?a=1,2STATUS:CANCELLED")) << ics;
  EXPECT_FALSE(has_line(ics, "STATUS:CANCELLED"));
}

TEST(IcalCalendar, EmptyCalendarStillHasItsHeaderAndTimezone) {
  const std::string ics = calendar("湖南省开发区协会", {}, kNow);
  const std::vector<std::string> expected{"BEGIN:VCALENDAR",
                                          "PRODID:-//xiehui//xiehui//ZH",
                                          "VERSION:2.0",
                                          "CALSCALE:GREGORIAN",
                                          "METHOD:PUBLISH",
                                          "X-WR-CALNAME:湖南省开发区协会",
                                          "X-WR-TIMEZONE:Asia/Shanghai",
                                          "BEGIN:VTIMEZONE",
                                          "TZID:Asia/Shanghai",
                                          "BEGIN:STANDARD",
                                          "TZOFFSETFROM:+0800",
                                          "TZOFFSETTO:+0800",
                                          "TZNAME:CST",
                                          "DTSTART:19700101T000000",
                                          "END:STANDARD",
                                          "END:VTIMEZONE",
                                          "END:VCALENDAR"};
  EXPECT_EQ(content_lines(ics), expected);
}

TEST(IcalCalendar, BeginAndEndAreBalancedAndEveryLineIsShort) {
  Event long_one = meeting();
  long_one.uid = "booking-7@xiehui";
  long_one.description = std::string(300, 'd') + "、会议说明" + std::string(100, ',');
  const std::string ics = calendar("x", {meeting(), long_one, meeting()}, kNow);
  std::vector<std::string> stack;
  int events = 0;
  for (const auto& line : content_lines(ics)) {
    if (line.starts_with("BEGIN:")) {
      stack.push_back(line.substr(6));
      if (stack.back() == "VEVENT") ++events;
    } else if (line.starts_with("END:")) {
      ASSERT_FALSE(stack.empty()) << line;
      EXPECT_EQ(stack.back(), line.substr(4));
      stack.pop_back();
    } else {
      EXPECT_FALSE(stack.empty()) << "property outside any component: " << line;
    }
  }
  EXPECT_TRUE(stack.empty());
  EXPECT_EQ(events, 3);
  for (const auto& physical : physical_lines(ics)) EXPECT_LE(physical.size(), 75u);
}

// --- the independent parser: tests/support/ical_parse.py on Debian's python3-icalendar ---

struct ParserRun {
  int exit_code = -1;
  std::string output;
};

ParserRun run_parser(const std::string& ics) {
  const auto path = std::filesystem::temp_directory_path() /
                    ("xiehui_ical_test_" + std::to_string(::getpid()) + ".ics");
  {
    std::ofstream out(path, std::ios::binary);
    out << ics;
  }
  const std::string command = "/usr/bin/python3 '" XIEHUI_SOURCE_DIR
                              "/tests/support/ical_parse.py' '" +
                              path.string() + "' 2>&1";
  ParserRun run;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    while (const std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe))
      run.output.append(buffer, n);
    const int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }
  std::filesystem::remove(path);
  return run;
}

std::vector<boost::json::object> parsed_events(const std::string& ics) {
  if (!std::filesystem::exists("/usr/bin/python3")) {
    ADD_FAILURE() << "/usr/bin/python3 is missing: install Debian's python3 and python3-icalendar";
    return {};
  }
  const ParserRun run = run_parser(ics);
  if (run.exit_code != 0) {
    ADD_FAILURE() << "the independent iCalendar parser refused the feed (exit " << run.exit_code
                  << "; needs Debian's python3-icalendar):\n"
                  << run.output << "\n--- feed ---\n"
                  << ics;
    return {};
  }
  std::vector<boost::json::object> events;
  std::size_t at = 0;
  while (at < run.output.size()) {
    auto end = run.output.find('\n', at);
    if (end == std::string::npos) end = run.output.size();
    boost::system::error_code ec;
    auto value = boost::json::parse(std::string_view(run.output).substr(at, end - at), ec);
    if (ec || !value.is_object()) {
      ADD_FAILURE() << "not a JSON object: " << run.output.substr(at, end - at);
      return {};
    }
    events.push_back(std::move(value.as_object()));
    at = end + 1;
  }
  return events;
}

std::string text_of(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string("<absent>");
}

TEST(IcalParser, IndependentParserReadsWhatWeWroteBack) {
  Event plain = meeting();
  Event punctuated = meeting();
  punctuated.uid = "booking-88@xiehui";
  punctuated.starts_at = utc(2026, 12, 31, 15, 30);  // 23:30 in Shanghai, ends next year
  punctuated.ends_at = utc(2026, 12, 31, 17);
  punctuated.summary = "议程：审议章程, 会费;选举\n第二行 \"引号\" 😀";
  punctuated.location = "长沙市岳麓区, 麓谷大道; 第一会议室";
  punctuated.description = std::string(200, 'x') + "说明";
  punctuated.sequence = 2;
  Event cancelled = meeting();
  cancelled.uid = "class-5@xiehui";
  cancelled.summary =
      std::string(40, 'a') + "第三届第二次理事会第三届第二次理事会第三届第二次理事会";
  cancelled.cancelled = true;
  cancelled.sequence = 7;

  const std::vector<Event> written{plain, punctuated, cancelled};
  const auto read = parsed_events(calendar("湖南省开发区协会", written, kNow));
  ASSERT_EQ(read.size(), written.size());
  for (std::size_t i = 0; i < written.size(); ++i) {
    SCOPED_TRACE(written[i].uid);
    const auto& r = read[i];
    EXPECT_EQ(text_of(r, "uid"), written[i].uid);
    EXPECT_EQ(r.at("start").to_number<long long>(), epoch_seconds(written[i].starts_at));
    EXPECT_EQ(r.at("end").to_number<long long>(), epoch_seconds(written[i].ends_at));
    EXPECT_EQ(text_of(r, "summary"), written[i].summary);
    EXPECT_EQ(text_of(r, "location"), written[i].location);
    EXPECT_EQ(text_of(r, "status"), written[i].cancelled ? "CANCELLED" : "CONFIRMED");
    EXPECT_EQ(r.at("sequence").to_number<int>(), written[i].sequence);
  }
  EXPECT_EQ(read[0].at("start").to_number<long long>(), 1772672400) << "2026-03-05T01:00:00Z";
}

TEST(IcalParser, IndependentParserAcceptsAnEmptyCalendar) {
  EXPECT_TRUE(parsed_events(calendar("x", {}, kNow)).empty());
}

TEST(IcalParser, IndependentParserRefusesABrokenFeed) {
  // The check must be able to fail: a line over 75 octets, then an event without DTEND.
  const std::string ics = calendar("x", {meeting()}, kNow);
  std::string too_long = ics;
  too_long.insert(too_long.find("END:VEVENT"), "X-LONG:" + std::string(80, 'x') + "\r\n");
  const ParserRun long_run = run_parser(too_long);
  EXPECT_NE(long_run.exit_code, 0);
  EXPECT_NE(long_run.output.find("octets"), std::string::npos) << long_run.output;

  std::string no_end = ics;
  const auto dtend = no_end.find("DTEND");
  no_end.erase(dtend, no_end.find("\r\n", dtend) + 2 - dtend);
  const ParserRun run = run_parser(no_end);
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.output.find("no DTEND"), std::string::npos) << run.output;
}

}  // namespace
}  // namespace xiehui::ical
