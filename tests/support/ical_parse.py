#!/usr/bin/python3
"""Reads an iCalendar file with an independent parser (Debian's python3-icalendar) and prints
each VEVENT as one JSON object per line, times resolved to UTC epoch seconds:

    {"uid", "start", "end", "summary", "status", "sequence", "location"}

so tests/core/ical_test.cpp can check that what xiehui writes is what a calendar app reads.
Exits non-zero with a message on stderr on anything a strict reader would object to.

Run with /usr/bin/python3: a pyenv or venv python does not see Debian's packages.
"""

import json
import sys
from datetime import datetime, timezone

try:
    from zoneinfo import ZoneInfo

    import icalendar
except ImportError as error:  # the test must fail, not skip, when the parser is missing
    sys.exit(
        f"ical_parse.py: cannot import the parser ({error}); "
        "install Debian's python3-icalendar and run with /usr/bin/python3"
    )

MAX_LINE_OCTETS = 75
REQUIRED_EVENT_PROPERTIES = ("UID", "DTSTAMP", "DTSTART", "DTEND")


class Problem(Exception):
    pass


def check_lines(data: bytes) -> str:
    """RFC 5545 3.1: UTF-8, CRLF line ends, physical lines of at most 75 octets."""
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as error:
        raise Problem(f"not valid UTF-8: {error}") from error
    if not data.endswith(b"\r\n"):
        raise Problem("the last line does not end with CRLF")
    for number, line in enumerate(data[:-2].split(b"\r\n"), start=1):
        if b"\r" in line or b"\n" in line:
            raise Problem(f"line {number} has a bare CR or LF")
        if len(line) > MAX_LINE_OCTETS:
            raise Problem(f"line {number} has {len(line)} octets (> {MAX_LINE_OCTETS})")
        try:
            line.decode("utf-8", errors="strict")
        except UnicodeDecodeError as error:
            raise Problem(f"line {number} splits a UTF-8 sequence: {error}") from error
    return text


def parse(text: str) -> icalendar.Calendar:
    try:
        calendar = icalendar.Calendar.from_ical(text)
    except ValueError as error:
        raise Problem(f"icalendar refused the file: {error}") from error
    # Components such as VEVENT collect value errors instead of raising: treat any as fatal.
    for component in calendar.walk():
        if component.errors:
            raise Problem(f"{component.name}: {component.errors}")
    if calendar.name != "VCALENDAR":
        raise Problem(f"top-level component is {calendar.name}, not VCALENDAR")
    for name in ("VERSION", "PRODID"):
        if name not in calendar:
            raise Problem(f"VCALENDAR has no {name}")
    if str(calendar["VERSION"]) != "2.0":
        raise Problem(f"VERSION is {calendar['VERSION']}, not 2.0")
    return calendar


def timezones(calendar: icalendar.Calendar) -> dict:
    """TZID → tzinfo built by the library from the file's own VTIMEZONE."""
    zones = {}
    for component in calendar.walk("VTIMEZONE"):
        zones[str(component["TZID"])] = component.to_tz()
    return zones


def epoch(event, name: str, zones: dict) -> int:
    """The instant of a DATE-TIME property as UTC epoch seconds. A TZID must name a VTIMEZONE
    of the file, and that VTIMEZONE must agree with the tz database's zone of the same name."""
    prop = event[name]
    value = prop.dt
    if not isinstance(value, datetime):
        raise Problem(f"{name} is not a DATE-TIME: {value!r}")
    tzid = prop.params.get("TZID")
    if tzid is None:
        if value.tzinfo is None or value.utcoffset().total_seconds() != 0:
            raise Problem(f"{name} is floating or not UTC and has no TZID: {value!r}")
        return int(value.timestamp())
    if tzid not in zones:
        raise Problem(f"{name} names TZID {tzid}, which has no VTIMEZONE in the file")
    local = value.replace(tzinfo=None)
    from_file = zones[tzid].localize(local)
    from_tzdb = local.replace(tzinfo=ZoneInfo(tzid))
    if from_file.timestamp() != from_tzdb.timestamp():
        raise Problem(
            f"{name} {local} resolves to {from_file.isoformat()} with the file's VTIMEZONE "
            f"but {from_tzdb.isoformat()} with the tz database"
        )
    return int(from_file.timestamp())


def events(calendar: icalendar.Calendar):
    zones = timezones(calendar)
    for event in calendar.walk("VEVENT"):
        for name in REQUIRED_EVENT_PROPERTIES:
            if name not in event:
                raise Problem(f"a VEVENT has no {name}")
        stamp = event["DTSTAMP"].dt
        if stamp.tzinfo is None or stamp.utcoffset().total_seconds() != 0:
            raise Problem(f"DTSTAMP of {event['UID']} is not UTC: {stamp!r}")
        start = epoch(event, "DTSTART", zones)
        end = epoch(event, "DTEND", zones)
        if end <= start:
            raise Problem(f"DTEND of {event['UID']} is not after its DTSTART")
        yield {
            "uid": str(event["UID"]),
            "start": start,
            "end": end,
            "summary": str(event["SUMMARY"]) if "SUMMARY" in event else None,
            "status": str(event["STATUS"]) if "STATUS" in event else None,
            "sequence": int(event["SEQUENCE"]) if "SEQUENCE" in event else None,
            "location": str(event["LOCATION"]) if "LOCATION" in event else None,
        }


def main(argv) -> int:
    if len(argv) != 2:
        print("usage: /usr/bin/python3 ical_parse.py FILE.ics", file=sys.stderr)
        return 2
    try:
        with open(argv[1], "rb") as file:
            calendar = parse(check_lines(file.read()))
        for event in events(calendar):
            print(json.dumps(event, ensure_ascii=False))
    except (Problem, OSError, KeyError, ValueError, TypeError) as error:
        print(f"ical_parse.py: {argv[1]}: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
