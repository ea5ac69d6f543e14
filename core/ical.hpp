#pragma once
// RFC 5545 iCalendar output for calendar feeds: what calendar apps subscribe to. Times are
// written as Asia/Shanghai wall-clock time with a VTIMEZONE (apps show them in the right zone
// and keep them right if the user travels); stamps are UTC. Pure: no clock, no I/O.

#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"

namespace xiehui::ical {

/// One VEVENT. Empty optional texts (summary … categories) are left out of the output.
struct Event {
  std::string uid;  ///< stable across feeds, e.g. "meeting-12@xiehui"; must not be empty
  Timestamp starts_at, ends_at;  ///< ends_at after starts_at (RFC 5545 3.8.2.2)
  std::string summary, location, description;
  std::string url;          ///< a URI: written as given, control characters removed
  std::string categories;   ///< one category (a comma in it is escaped, not a list separator)
  int sequence = 0;         ///< raise on every change the attendee should see (RFC 5545 3.8.7.4)
  bool cancelled = false;   ///< STATUS:CANCELLED, else STATUS:CONFIRMED
  Timestamp last_modified;  ///< LAST-MODIFIED; left out when zero (the epoch)
};

/// A whole VCALENDAR: PRODID -//xiehui//xiehui//ZH, VERSION 2.0, CALSCALE GREGORIAN, METHOD
/// PUBLISH, X-WR-CALNAME `name`, X-WR-TIMEZONE Asia/Shanghai, one VTIMEZONE Asia/Shanghai
/// (+0800, no DST), then one VEVENT per event in order: DTSTART/DTEND as
/// `;TZID=Asia/Shanghai:YYYYMMDDTHHMMSS` local time, DTSTAMP (`now`) and LAST-MODIFIED in UTC
/// with Z, UID, SEQUENCE, SUMMARY, LOCATION, DESCRIPTION, URL, CATEGORIES, STATUS. Times are
/// truncated to whole seconds. Every line is folded (fold_line) and ends with CRLF.
std::string calendar(std::string_view name, const std::vector<Event>& events, Timestamp now);

/// A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped with a backslash,
/// a line break (LF, CRLF or a lone CR) written as \n, other control characters (C0 but tab,
/// DEL, C1) dropped, and invalid UTF-8 replaced by U+FFFD so the output is always valid UTF-8.
std::string escape_text(std::string_view text);

/// One content line (without its CRLF) folded to physical lines of at most 75 octets: CRLF plus
/// one space before each continuation (RFC 5545 3.1). Never splits a UTF-8 sequence. The result
/// has no trailing CRLF; removing every "\r\n " gives back `line`.
std::string fold_line(std::string_view line);

}  // namespace xiehui::ical
