"""A plan's calendar for calendar apps, Garmin watches and COROS Training Hub.

- ``ics_calendar``: one all-day event per session (RFC 5545). UIDs come from the plan, the date
  and the workout, so importing a rebuilt file updates the events instead of adding copies.
- ``fit_schedule``: a FIT schedule file (file_id type 7). Each ``schedule`` message names a
  workout file by its file_id (manufacturer, product, serial number, time created), exactly as
  ``exporters.fit`` writes them, and the day it is due.
- ``coros_schedule``: the body of COROS Training Hub's ``/training/schedule/update`` call.

Each is a pure function of the expanded plan (``liftfit.plan.Calendar``) and, for the watch
formats, the lowered workouts the sessions use, keyed by slug.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from liftfit.exporters import Output, json_output
from liftfit.exporters.fit import serial_number, time_created
from liftfit.exporters.fitwriter import FitWriter, fit_time, profile
from liftfit.ir import LoweredWorkout
from liftfit.plan import Calendar, ScheduledSession

# exporters.fit writes every workout file with product 0.
WORKOUT_PRODUCT = 0
FIT_EPOCH = date(1989, 12, 31)
PRODID = "-//liftfit//liftfit plan calendar//EN"


def event_uid(calendar: Calendar, session: ScheduledSession) -> str:
    """Stable across builds: the plan, the day and the workout (and the session's place)."""
    order = f"-{session.order}" if session.order > 1 else ""
    return f"{calendar.slug}-{session.date:%Y%m%d}-{session.variant.slug}{order}@liftfit"


def ics_calendar(
    calendar: Calendar,
    workouts: Mapping[str, LoweredWorkout],
    fit_file: Callable[[str], str] | None,
) -> Output:
    """The plan as an iCalendar file: all-day events with the workout in the description,
    and, when ``fit_file`` is given, where the day's FIT file is (``fit_file(slug)``)."""
    from icalendar import Calendar as ICalendar
    from icalendar import Event

    stamp = datetime.fromtimestamp(time_created(), UTC)
    cal = ICalendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar.plan.name)
    if calendar.plan.description:
        cal.add("x-wr-caldesc", calendar.plan.description)
    for session in calendar.sessions:
        variant = session.variant
        lines = workout_summary(workouts[variant.slug])
        phase = f" · {session.phase}" if session.phase else ""
        lines += ["", f"{calendar.plan.name}: week {session.week}{phase}"]
        if fit_file is not None:
            lines.append(f"Watch: {fit_file(variant.slug)}")
        event = Event()
        event.add("uid", event_uid(calendar, session))
        event.add("dtstamp", stamp)
        event.add("dtstart", session.date)
        event.add("dtend", session.date + timedelta(days=1))
        event.add("summary", variant.title)
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return Output(cal.to_ical())


def workout_summary(workout: LoweredWorkout) -> list[str]:
    """One line per part of the session, read off the same card the HTML pages show:
    ``Lunge: 2 × 6 reps each side @ 10 kg``; a circuit or repeat on one line."""
    from liftfit.exporters.html import Line, workout_card

    def dose(line: Line) -> str:
        sides = [tag.text for tag in line.tags if tag.kind in ("side", "warmup")]
        loads = [tag.text for tag in line.tags if tag.kind == "load"]
        return " @ ".join([" ".join([line.dose, *sides]), *loads])

    lines = []
    for section in workout_card(workout).sections:
        if section.title:
            inner = ", ".join(f"{line.name} {dose(line)}" for line in section.lines)
            after = f"; {section.after}" if section.after else ""
            lines.append(f"{section.title}: {inner}{after}")
        else:
            lines += [f"{line.name}: {dose(line)}" for line in section.lines]
    return lines


def local_date_time(day: date) -> int:
    """FIT ``local_date_time``: seconds since 1989-12-31 00:00 local time (the day's start)."""
    return (day - FIT_EPOCH).days * 86400


def fit_schedule(
    calendar: Calendar,
    sessions: Sequence[ScheduledSession],
    workouts: Mapping[str, LoweredWorkout],
) -> Output:
    """A FIT schedule file for ``sessions``, each pointing at its workout file's file_id."""
    enum = profile().enum
    development = enum("manufacturer", "development")
    created = fit_time(time_created())
    entries = [(serial_number(workouts[s.variant.slug]), local_date_time(s.date)) for s in sessions]
    writer = FitWriter()
    writer.write(
        "file_id",
        {
            "type": enum("file", "schedules"),
            "manufacturer": development,
            "product": WORKOUT_PRODUCT,
            "serial_number": zlib.crc32(repr((calendar.slug, entries)).encode("utf-8")) or 1,
            "time_created": created,
        },
    )
    for serial, when in entries:
        writer.write(
            "schedule",
            {
                "manufacturer": development,
                "product": WORKOUT_PRODUCT,
                "serial_number": serial,
                "time_created": created,
                "completed": 0,
                "type": enum("schedule", "workout"),
                "scheduled_time": when,
            },
        )
    return Output(writer.file())


CorosProgram = Callable[[LoweredWorkout], dict[str, Any]]


def coros_schedule(
    calendar: Calendar,
    workouts: Mapping[str, LoweredWorkout],
    program: CorosProgram,
) -> Output:
    """The body of COROS's ``POST /training/schedule/update`` that adds every session.

    Each session is an entity (its day and its place in the day) with its own copy of the
    program, joined by ``idInPlan``, numbered from 1 in date order; ``versionObjects`` marks
    each as added (status 1).
    """
    entities: list[dict[str, Any]] = []
    programs: list[dict[str, Any]] = []
    for number, session in enumerate(calendar.sessions, start=1):
        entities.append(
            {
                "happenDay": f"{session.date:%Y%m%d}",
                "idInPlan": number,
                "sortNoInSchedule": session.order,
            }
        )
        programs.append({**program(workouts[session.variant.slug]), "idInPlan": number})
    body = {
        "entities": entities,
        "programs": programs,
        "versionObjects": [{"id": e["idInPlan"], "status": 1} for e in entities],
        "pbVersion": 2,
    }
    return json_output(body)
