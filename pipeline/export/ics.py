"""Plans → an iCalendar file (RFC 5545, via the `icalendar` package) for Outlook, Google Calendar
and the iOS calendar.

Pure: returns the calendar's text. Each dated task is an all-day VEVENT (DTSTART;VALUE=DATE, DTEND
the day after its last day); a periodic task (每月15日, 每月≥1次, 每周一) is one VEVENT with an
RRULE running from the plan's start (or the task's own start) to the plan's end (UNTIL). UIDs are
hashes of the plan and the task's text and date, so a re-run gives the same UIDs (a calendar that
imports the file again updates the events instead of doubling them). Tasks without a date and
periodic tasks of a plan without a stated year are left out (the checklist still lists them).
"""
from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone
from typing import Optional, Sequence, Tuple

from icalendar import Calendar, Event, vRecur

from ..model import Document, Task
from .checklist import task_head, task_line

PRODID = "-//planlens//work-plan checklist//ZH"
UID_DOMAIN = "planlens"
WEEKDAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}


def task_uid(plan_key: str, task: Task) -> str:
    """A UID stable across runs: hash of the plan's key (title and position), the task's quote and dates."""
    basis = "\x1f".join((plan_key, task.section_path or "", task.quote, task.start or "", task.end or "",
                         task.recurrence or ""))
    return hashlib.sha1(basis.encode("utf-8")).hexdigest()[:24] + "@" + UID_DOMAIN


def _first_occurrence(start: date, rule: str) -> date:
    """The first day on or after `start` that a BYMONTHDAY / BYDAY rule hits (else `start`)."""
    parts = dict(p.split("=", 1) for p in rule.split(";"))
    if "BYMONTHDAY" in parts:
        day = int(parts["BYMONTHDAY"])
        d = start
        for _ in range(400):
            if d.day == day:
                return d
            d += timedelta(days=1)
    if "BYDAY" in parts and parts["BYDAY"] in WEEKDAY_INDEX:
        return start + timedelta(days=(WEEKDAY_INDEX[parts["BYDAY"]] - start.weekday()) % 7)
    return start


def _span(document: Document, task: Task) -> Optional[Tuple[date, date, Optional[str]]]:
    """(first day, last day, RRULE) of a task's event, or None when it has no date."""
    if task.recurrence:
        begin = task.start or (document.period.start if document.period else None)
        until = task.end if task.start else (document.period.end if document.period else None)
        if begin and until:
            first = _first_occurrence(date.fromisoformat(begin), task.recurrence)
            if first <= date.fromisoformat(until):
                return first, first, task.recurrence + ";UNTIL=" + until.replace("-", "")
    if task.start:
        end = task.end or task.start
        return date.fromisoformat(task.start), date.fromisoformat(end), None
    return None


def calendar_text(documents: Sequence[Document], plan_keys: Optional[Sequence[str]] = None) -> str:
    """The calendar of these plans' dated and periodic tasks as iCalendar text (CRLF lines).

    `plan_keys` (one per document) make UIDs unique across files; default: title and index.
    """
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "、".join(dict.fromkeys(d.title for d in documents if d.title)) or "planlens")
    for n, document in enumerate(documents):
        key = plan_keys[n] if plan_keys else f"{document.title}#{document.index}"
        stamp = datetime.combine(date.fromisoformat(document.period.start) if document.period else date(2000, 1, 1),
                                 datetime.min.time(), tzinfo=timezone.utc)
        for task in document.tasks:
            span = _span(document, task)
            if span is None:
                continue
            first, last, rule = span
            event = Event()
            event.add("uid", task_uid(key, task))
            event.add("dtstamp", stamp)  # fixed: same plans, same file
            event.add("summary", task_head(task, document.commitments))
            event.add("dtstart", first)
            event.add("dtend", last + timedelta(days=1))
            if rule:
                event.add("rrule", vRecur.from_ical(rule))
            description = [task_line(task, document.commitments), "", task.quote]
            if task.section_path:
                description.insert(1, f"章节：{task.section_path}")
            event.add("description", "\n".join(description))
            if task.who:
                event.add("x-planlens-who", "、".join(task.who))
            event.add("categories", [document.title or "planlens"])
            event.add("transp", "TRANSPARENT")
            cal.add_component(event)
    return cal.to_ical().decode("utf-8")
