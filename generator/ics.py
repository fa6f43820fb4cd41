"""Calendars: deadlines as iCalendar feeds (RFC 5545) that Outlook and Google Calendar can
subscribe to. A yearly deadline is one recurring event; every event quotes its timeline as
written and links to its task. An event's UID is made from ids only (plan, task or report), so
a subscribed calendar updates the event when the text changes instead of adding a second one.
Pure functions returning bytes (or writing them to a file, for the largest feeds); the writer
puts them on disk."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from icalendar import Calendar, Event

from generator import names, urls
from generator.deadlines import Deadline
from generator.text import plain, shorten

UID_DOMAIN = "cong-ke-hoach"  # fixed: a change of the site's address must not change UIDs


def event_uid(deadline: Deadline) -> str:
    return f"{deadline.key}@{UID_DOMAIN}"


def deadline_url(deadline: Deadline, site_url: str) -> str:
    """The task on its plan page, or the plan's reporting duty there."""
    if deadline.task is not None:
        target = urls.plan_url(deadline.plan.id) + "#" + deadline.task.anchor
    else:
        assert deadline.report is not None
        target = urls.plan_url(deadline.plan.id) + "#" + urls.report_anchor(deadline.report.id)
    return urls.absolute(site_url, target)


def _description(deadline: Deadline, url: str) -> str:
    lines = []
    if deadline.task is not None:
        lines.append(plain(deadline.task.text))
        if deadline.task.lead:
            lines.append("Chủ trì: " + "; ".join(r.written for r in deadline.task.lead))
        if deadline.task.support:
            lines.append("Phối hợp: " + "; ".join(r.written for r in deadline.task.support))
        lines.append(f"Thời hạn (nguyên văn): {deadline.wording}")
    elif deadline.report is not None:
        lines.append(f"Nguyên văn: “{deadline.report.quote}”")
        if deadline.report.by:
            lines.append("Báo cáo: " + "; ".join(r.written for r in deadline.report.by))
        if deadline.report.to:
            lines.append("Gửi: " + "; ".join(r.written for r in deadline.report.to))
    lines.append(
        names.deadline_title(deadline.plan, deadline.group, deadline.task, deadline.report)
    )
    lines.append(url)
    return "\n".join(lines)


@dataclass(frozen=True)
class EventText:
    """Everything one event of a feed says, worked out from its deadline: what a feed is made
    of, and what the download cache (generator/opendata.py) keys it by."""

    uid: str
    first: dt.date
    yearly: bool
    summary: str
    description: str
    url: str


def event_text(deadline: Deadline, site_url: str, agency_id: str | None) -> EventText:
    assert deadline.first is not None
    url = deadline_url(deadline, site_url)
    duties = [names.DUTY_LABELS[duty] for a, duty in deadline.agencies if a == agency_id]
    subject = plain(deadline.task.text if deadline.task else deadline.wording)
    summary = f"{names.deadline_title(deadline.plan, deadline.group, deadline.task, deadline.report)}: {shorten(subject, 90)}"
    return EventText(
        uid=event_uid(deadline),
        first=deadline.first,
        yearly=deadline.every_year is not None,
        summary=f"[{', '.join(duties)}] {summary}" if duties else summary,
        description=_description(deadline, url),
        url=url,
    )


def feed_events(
    deadlines: Iterable[Deadline], site_url: str, agency_id: str | None = None
) -> list[EventText]:
    """The events of a feed: every dated deadline (ongoing and undated ones have no day to put
    in a calendar) of a plan in force (a replaced plan's are no longer due). In an agency's
    feed (`agency_id`) each title starts with what the agency has to do: lead, support, send
    or receive the report."""
    return [
        event_text(d, site_url, agency_id)
        for d in deadlines
        if d.first is not None and not d.replaced
    ]


def _event(text: EventText, built: dt.date) -> Event:
    event = Event()
    event.add("uid", text.uid)
    event.add("dtstamp", dt.datetime.combine(built, dt.time(), dt.UTC))
    event.add("dtstart", text.first)
    event.add("dtend", text.first + dt.timedelta(days=1))
    if text.yearly:
        event.add("rrule", {"freq": "yearly"})
    event.add("summary", text.summary)
    event.add("description", text.description)
    event.add("url", text.url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
    return event


def calendar_feed(
    deadlines: Iterable[Deadline],
    name: str,
    site_url: str,
    built: dt.date,
    agency_id: str | None = None,
) -> bytes:
    """One feed holding every dated deadline in `deadlines` (see feed_events)."""
    return feed_bytes(feed_events(deadlines, site_url, agency_id), name, built)


def feed_bytes(events: Iterable[EventText], name: str, built: dt.date) -> bytes:
    """The feed named `name` holding `events`, as iCalendar bytes: byte for byte what
    `icalendar_feed` makes."""
    out = io.BytesIO()
    write_feed(out, events, name, built)
    return out.getvalue()


def write_feed(out: BinaryIO, events: Iterable[EventText], name: str, built: dt.date) -> None:
    """`feed_bytes` written to `out` event by event (the national feed is tens of megabytes).
    icalendar builds an object per property and folds each line a character at a time (a
    fifth of a clean build's CPU); the feed's header still comes from it, the events' lines
    are written here."""
    out.write(feed_head(name, built))
    for event in events:
        out.write(_event_lines(event, built))
    out.write(FEED_END)


def events_part(events: Iterable[EventText], built: dt.date) -> bytes:
    """The lines of `events` as a feed holds them: one plan's share of a feed joined from
    plans (`feed_head`, the parts, `FEED_END`)."""
    return b"".join(_event_lines(event, built) for event in events)


FEED_END = b"END:VCALENDAR\r\n"


def feed_head(name: str, built: dt.date) -> bytes:
    """The feed named `name` up to its first event, as icalendar writes it."""
    header = icalendar_feed((), name, built)
    assert header.endswith(FEED_END), header
    return header.removesuffix(FEED_END)


def _event_lines(event: EventText, built: dt.date) -> bytes:
    lines = [
        "BEGIN:VEVENT\r\n",
        _content_line("SUMMARY", _ical_text(event.summary)),
        f"DTSTART;VALUE=DATE:{event.first:%Y%m%d}\r\n",
        f"DTEND;VALUE=DATE:{event.first + dt.timedelta(days=1):%Y%m%d}\r\n",
        f"DTSTAMP:{built:%Y%m%d}T000000Z\r\n",
        _content_line("UID", _ical_text(event.uid)),
        "RRULE:FREQ=YEARLY\r\n" if event.yearly else "",
        _content_line("DESCRIPTION", _ical_text(event.description)),
        "TRANSP:TRANSPARENT\r\n",
        _content_line("URL", event.url),
        "END:VEVENT\r\n",
    ]
    return "".join(lines).encode("utf-8")


def icalendar_feed(events: Iterable[EventText], name: str, built: dt.date) -> bytes:
    """`feed_bytes` made by icalendar throughout: the reference it is tested against, and the
    maker of its header."""
    name = plain(name)  # X-WR-CALNAME is not a TEXT value: a line break in it would break the file
    feed = Calendar()
    feed.add("prodid", "-//Cổng Kế hoạch//Thời hạn//VI")
    feed.add("version", "2.0")
    feed.add("calscale", "GREGORIAN")
    feed.add("method", "PUBLISH")
    feed.add("name", name)
    feed.add("x-wr-calname", name)
    feed.add("x-wr-timezone", "Asia/Ho_Chi_Minh")
    feed.add("refresh-interval", dt.timedelta(days=1), parameters={"VALUE": "DURATION"})
    feed.add("x-published-ttl", "P1D")
    for event in events:
        feed.add_component(_event(event, built))
    return bytes(feed.to_ical())


def _ical_text(text: str) -> str:
    """A TEXT value escaped as icalendar escapes it (RFC 5545, 3.3.11), in its order: a
    written `\\N` is a line break, and every line break is `\\n`."""
    return (
        text.replace("\\N", "\n")
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


_LINE_OCTETS = 74  # icalendar's folding: a line ends before the character reaching 75 octets


def _content_line(name: str, value: str) -> str:
    """`NAME:value` folded as icalendar folds (RFC 5545, 3.1): at most 74 octets a line, never
    inside a UTF-8 character, and never right after a backslash or caret (an escape stays
    whole on the next line); each continuation begins with a space."""
    line = f"{name}:{value}"
    data = line.encode()
    if len(data) <= _LINE_OCTETS:
        return line + "\r\n"
    parts, start = [], 0
    while len(data) - start > _LINE_OCTETS:
        end = start + _LINE_OCTETS
        while data[end] & 0xC0 == 0x80:  # inside a character: cut before it
            end -= 1
        if data[end - 1] in b"\\^" and end - 1 > start:
            end -= 1
        parts.append(data[start:end])
        start = end
    parts.append(data[start:])
    return b"\r\n ".join(parts).decode() + "\r\n"
