"""Calendars: deadlines as iCalendar feeds (RFC 5545) that Outlook and Google Calendar can
subscribe to. A yearly deadline is one recurring event; every event quotes its timeline as
written and links to its task. An event's UID is made from ids only (plan, task or report), so
a subscribed calendar updates the event when the text changes instead of adding a second one.
Pure functions returning bytes; the writer puts them on disk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

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


def _event(deadline: Deadline, site_url: str, built: dt.date, agency_id: str | None) -> Event:
    assert deadline.first is not None
    url = deadline_url(deadline, site_url)
    duties = [names.DUTY_LABELS[duty] for a, duty in deadline.agencies if a == agency_id]
    subject = plain(deadline.task.text if deadline.task else deadline.wording)
    summary = f"{names.deadline_title(deadline.plan, deadline.group, deadline.task, deadline.report)}: {shorten(subject, 90)}"
    event = Event()
    event.add("uid", event_uid(deadline))
    event.add("dtstamp", dt.datetime.combine(built, dt.time(), dt.UTC))
    event.add("dtstart", deadline.first)
    event.add("dtend", deadline.first + dt.timedelta(days=1))
    if deadline.every_year is not None:
        event.add("rrule", {"freq": "yearly"})
    event.add("summary", f"[{', '.join(duties)}] {summary}" if duties else summary)
    event.add("description", _description(deadline, url))
    event.add("url", url)
    event.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy all day
    return event


def calendar_feed(
    deadlines: Iterable[Deadline],
    name: str,
    site_url: str,
    built: dt.date,
    agency_id: str | None = None,
) -> bytes:
    """One feed holding every dated deadline in `deadlines` (ongoing and undated ones have no
    day to put in a calendar). In an agency's feed (`agency_id`) each title starts with what
    the agency has to do: lead, support, send or receive the report."""
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
    for deadline in deadlines:
        if deadline.first is not None:
            feed.add_component(_event(deadline, site_url, built, agency_id))
    return bytes(feed.to_ical())
