"""A club pack: one zip a coach hands to every member, whatever watch they wear.

For every workout, each format in ``FORMATS`` (FIT, Garmin Connect JSON, COROS program, HTML
card, and any format added later); for every plan, its calendar files and a page with the
weeks as a grid; an ``index.html`` that lists everything with a card per workout; a
``README.txt`` with steps per watch brand. The same inputs give the same zip, byte for byte:
entries are sorted, and their timestamps and permissions fixed.
"""

from __future__ import annotations

import io
import textwrap
import time
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from liftfit.api import Compiled
from liftfit.athletes import Athlete, AthleteBuild, compile_athletes
from liftfit.calendars import (
    CALENDAR_FOLDER,
    DEFAULT_SCHEDULE_WEEKS,
    LibraryBuild,
    PlanBuild,
    athlete_calendars,
    compile_library,
)
from liftfit.delivery import check_name
from liftfit.exporters import FORMATS, workout_file
from liftfit.exporters.fit import time_created
from liftfit.exporters.html import Card, render, workout_card
from liftfit.library import load_library
from liftfit.limits import DEFAULT_MAX_STEPS
from liftfit.model import Profile
from liftfit.notes import Note, library_notes
from liftfit.plan import WEEKDAYS, Calendar, expand, plan_variants

DEFAULT_TITLE = "Strength workouts"
README_WIDTH = 78
PLANS_FOLDER = "plans"
ZIP_EPOCH_MIN = 315_532_800  # 1980-01-01, the earliest time a zip entry can hold
ZIP_EPOCH_MAX = 4_354_819_199  # 2107-12-31
# A Monday far from any real date: lays out the weeks of a plan that has no start date.
NOMINAL_MONDAY = date(1, 1, 1)

# How the index and README name each format's files; a format not listed here shows its name.
FORMAT_LABELS = {
    "fit": "FIT",
    "html": "card",
    "garmin-connect": "Garmin Connect",
    "coros": "COROS",
}
CALENDAR_LABELS = {
    ".ics": "calendar (.ics)",
    ".schedule.fit": "Garmin schedule",
    ".coros-schedule.json": "COROS schedule",
}
FOLDER_HELP = {
    "fit": "workouts for a Garmin watch: copy them into GARMIN/NewFiles",
    "html": "one printable card per workout",
    "garmin-connect": "Garmin Connect workouts, for `liftfit garmin push`",
    "coros": "COROS Training Hub programs",
}


@dataclass(frozen=True)
class WeekRow:
    """One week of a plan's grid: the sessions on each of its seven days."""

    week: int
    phase: str | None
    days: tuple[tuple[PlanCell, ...], ...]


@dataclass(frozen=True)
class PlanCell:
    slug: str
    title: str
    day: date | None

    @property
    def when(self) -> str:
        return f"{self.day.day} {self.day:%b}" if self.day else ""


@dataclass(frozen=True)
class PlanPage:
    slug: str
    name: str
    description: str | None
    weeks: int
    start: date | None
    columns: tuple[str, ...]
    rows: tuple[WeekRow, ...]
    files: tuple[tuple[str, str], ...]


@dataclass
class Pack:
    """What goes in the zip: archive paths and their bytes, and what to tell the user."""

    title: str
    files: dict[str, bytes] = field(default_factory=dict)
    workouts: list[Compiled] = field(default_factory=list)
    plans: list[PlanBuild] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    athletes: list[AthleteBuild] = field(default_factory=list)  # each one's own workouts

    def zip_bytes(self) -> bytes:
        return zip_bytes(self.files, zip_time())


def zip_time() -> int:
    """The entries' timestamp: ``SOURCE_DATE_EPOCH`` when set (as the FIT files use), else a
    fixed date; never the clock, and inside what a zip entry can hold."""
    return min(max(time_created(), ZIP_EPOCH_MIN), ZIP_EPOCH_MAX)


def zip_bytes(files: Mapping[str, bytes], epoch: int) -> bytes:
    """A zip of ``files`` that depends on nothing else: sorted entries, one fixed timestamp,
    plain ``rw-r--r--`` files, Unix as the creating system. Every entry name is checked
    (``delivery.check_name``): none can unzip outside the folder it is unzipped into."""
    for name in files:
        check_name(name)
    stamp = time.gmtime(epoch)[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.create_system = 3
            info.external_attr = 0o100644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=9)
    return buffer.getvalue()


def build_pack(
    paths: Iterable[Path],
    *,
    title: str = DEFAULT_TITLE,
    start: date | None = None,
    profile: Profile | None = None,
    max_steps: int = DEFAULT_MAX_STEPS,
    athletes: Sequence[Athlete] = (),
) -> Pack:
    """Compile every workout and plan in ``paths`` into a pack, and each athlete's own files
    of the workouts a profile changes; every problem raised at once, before anything is
    written."""
    library = load_library(paths)
    built = compile_library(
        library,
        start=start,
        formats=list(FORMATS),
        profile=profile,
        max_steps=max_steps,
        fit_folder=FORMATS["fit"].folder,  # the pack's own fit/ folder
    )
    pack = Pack(title, workouts=built.compiled, plans=built.plans)
    for compiled in built.compiled:
        for name, output in compiled.outputs.items():
            pack.files[workout_file(name, compiled.source.slug)] = output.data
    teams = compile_athletes(
        [c.source for c in built.compiled],
        athletes,
        formats=list(FORMATS),
        max_steps=max_steps,
    )
    pack.athletes = teams
    calendars = [plan.calendar for plan in built.plans if plan.calendar is not None]
    lowered = {c.source.slug: c.lowered for c in built.compiled}
    for team in teams:
        pack.files.update(team.files())
        pack.files.update(
            athlete_calendars(
                team.athlete,
                library.plans,
                calendars,
                lowered,
                {c.source.slug: c.lowered for c in team.compiled},
                formats=list(FORMATS),
                schedule_weeks=DEFAULT_SCHEDULE_WEEKS,
                fit_folder=FORMATS["fit"].folder,
            )
        )
    library_slugs = [source.slug for source in library.workouts]
    pages = [plan_page(plan) for plan in built.plans]
    for plan, page in zip(built.plans, pages, strict=True):
        for name, output in plan.outputs.items():
            pack.files[f"{CALENDAR_FOLDER}/{name}"] = output.data
        pack.files[f"{PLANS_FOLDER}/{plan.source.slug}.html"] = render(
            "plan.html.j2", title=page.name, plan=page
        ).encode("utf-8")
        if plan.calendar is None:
            plan.notes.append(
                "no start date, so no calendar files "
                "(give --start YYYY-MM-DD or write start: in the plan)"
            )
    pack.notes = library_notes(built.compiled, built.plans)
    cards = _cards(built)
    workouts = [cards[slug] for slug in library_slugs if slug in cards]
    variants = [c for c in cards.values() if c.slug not in library_slugs]
    pack.files["index.html"] = render(
        "index.html.j2",
        title=title,
        workouts=workouts,
        variants=variants,
        cards=list(cards.values()),
        files={slug: workout_links(slug) for slug in cards},
        athletes=[(team.athlete.name, _athlete_links(team)) for team in teams],
        plans=pages,
        brands=brand_steps(pack),
    ).encode("utf-8")
    pack.files["README.txt"] = readme(pack, workouts, variants, pages, teams).encode("utf-8")
    return pack


def _athlete_links(team: AthleteBuild) -> list[tuple[str, list[tuple[str, str]]]]:
    """(workout name, its files' links) of each of an athlete's own workouts."""
    return [
        (
            c.lowered.name,
            [
                (label, f"{team.athlete.folder}/{href}")
                for label, href in workout_links(c.source.slug)
            ],
        )
        for c in team.compiled
    ]


def workout_links(slug: str) -> list[tuple[str, str]]:
    """(label, archive path) of each of a workout's files, in ``FORMATS`` order."""
    return [(FORMAT_LABELS.get(name, name), workout_file(name, slug)) for name in FORMATS]


def calendar_label(name: str) -> str:
    """What a plan's calendar file is for, from its name (``PLAN.ics``, ``PLAN.schedule.fit``…)."""
    for suffix, label in CALENDAR_LABELS.items():
        if name.endswith(suffix):
            return label
    return name


def _cards(built: LibraryBuild) -> dict[str, Card]:
    """Each workout's card; a plan variant's under its whole name ("Ingebrigtsen lifting ·
    3 sets, -2 reps"), which the page has room for, not the watch's 31 bytes."""
    titles = {v.slug: v.title for plan in built.plans for v in plan_variants(plan.source)}
    cards = {}
    for compiled in built.compiled:
        card = workout_card(compiled.lowered)
        cards[compiled.source.slug] = replace(card, name=titles.get(card.slug, card.name))
    return cards


def plan_page(plan: PlanBuild) -> PlanPage:
    """A plan's weeks as a grid: a row per week, a column per day from the start's weekday."""
    calendar: Calendar = plan.calendar or expand(plan.source, NOMINAL_MONDAY)
    dated = plan.calendar is not None
    first = calendar.start.weekday()
    columns = tuple(WEEKDAYS[(first + offset) % 7].capitalize() for offset in range(7))
    rows = []
    for week in range(1, calendar.plan.weeks + 1):
        sessions = [s for s in calendar.sessions if s.week == week]
        week_start = calendar.start.toordinal() + 7 * (week - 1)
        days = tuple(
            tuple(
                PlanCell(s.variant.slug, s.variant.title, s.date if dated else None)
                for s in sessions
                if s.date.toordinal() - week_start == offset
            )
            for offset in range(7)
        )
        phases = {s.phase for s in sessions if s.phase}
        rows.append(WeekRow(week, ", ".join(sorted(phases)) or None, days))
    files = tuple(
        (calendar_label(name), f"{CALENDAR_FOLDER}/{name}") for name in sorted(plan.outputs)
    )
    return PlanPage(
        slug=plan.source.slug,
        name=calendar.plan.name,
        description=calendar.plan.description,
        weeks=calendar.plan.weeks,
        start=calendar.start if dated else None,
        columns=columns,
        rows=tuple(rows),
        files=files,
    )


# --- instructions -------------------------------------------------------------------------


def _has(pack: Pack, folder: str, suffix: str = "") -> bool:
    return any(n.startswith(f"{folder}/") and n.endswith(suffix) for n in pack.files)


def brand_steps(pack: Pack) -> list[tuple[str, list[str]]]:
    """Step-by-step instructions per watch brand and for calendars, for what the pack holds."""
    brands: list[tuple[str, list[str]]] = []
    if _has(pack, "fit"):
        steps = [
            "Connect the watch to a computer with its USB cable; it shows up as a drive "
            "named GARMIN.",
            "Open the drive, then its GARMIN folder, then NewFiles (create NewFiles if it "
            "is missing).",
            "Copy the .fit files you want from the pack's fit/ folder into NewFiles.",
        ]
        if _has(pack, CALENDAR_FOLDER, ".schedule.fit"):
            steps.append(
                "To put a plan on the watch's calendar, copy its calendar/PLAN.schedule.fit "
                "into NewFiles too, with the plan's workouts."
            )
        steps += [
            "Eject the drive and unplug the watch: it imports the files and empties NewFiles.",
            "On the watch: Training (or Strength) > Workouts > pick one > Do Workout.",
            "Or, with liftfit installed: `liftfit copy --to /path/to/GARMIN-drive` does the "
            "copying, and `liftfit garmin push` puts the workouts into Garmin Connect, which "
            "syncs them to the watch.",
            "Newer watches (Forerunner 265/965 and later) connect over MTP, not as a drive: "
            "on a Mac use an MTP tool (OpenMTP, Android File Transfer), or use "
            "`liftfit garmin push`.",
        ]
        brands.append(("Garmin", steps))
    if _has(pack, "coros"):
        steps = [
            "COROS watches and apps open no workout file: a workout reaches the watch from "
            "your COROS account (its workout library or training calendar), through the "
            "COROS app.",
            "coros/NAME.json is the program COROS Training Hub itself saves. A community "
            "tool that posts programs to Training Hub (unofficial, e.g. coros-training-mcp) "
            "can send it to your account as it is.",
            "Or build the workout once by hand, in Training Hub or the COROS app (Workouts "
            "> + > Strength), from its card in index.html: one row per exercise, with its "
            "sets, reps or seconds, rest and weight.",
            "Sync the watch from the COROS app: the workout is in its workout library.",
        ]
        if _has(pack, CALENDAR_FOLDER, ".coros-schedule.json"):
            steps.append(
                "calendar/PLAN.coros-schedule.json puts a plan's sessions on the Training "
                "Hub calendar, for the same tools."
            )
        brands.append(("COROS", steps))
    if _has(pack, CALENDAR_FOLDER, ".ics"):
        brands.append(
            (
                "Calendar (any phone or computer)",
                [
                    "Import calendar/PLAN.ics into your calendar app: Google Calendar: "
                    "Settings > Import & export > Import; Apple Calendar: File > Import; "
                    "Outlook: Add calendar > Upload from file.",
                    "Each session is an all-day event with the workout in its description; "
                    "importing a newer pack updates the events instead of doubling them.",
                ],
            )
        )
    brands.append(
        (
            "Paper or phone",
            [
                "Open index.html in a browser: every workout is a card. It works offline.",
                "Print it to get one card per page, to take to the gym.",
            ],
        )
    )
    return brands


def readme(
    pack: Pack,
    workouts: Sequence[Card],
    variants: Sequence[Card],
    plans: Sequence[PlanPage],
    teams: Sequence[AthleteBuild] = (),
) -> str:
    lines = [pack.title, "=" * len(pack.title), "", "What is in this pack", ""]
    lines.append("  index.html       open it in a browser: every workout as a card, printable")
    folders = {name.split("/", 1)[0] for name in pack.files if "/" in name}
    for name, fmt in FORMATS.items():
        if fmt.folder in folders:
            help_text = FOLDER_HELP.get(name, f"{FORMAT_LABELS.get(name, name)} files")
            lines.append(f"  {fmt.folder + '/':<16} {help_text}")
    if CALENDAR_FOLDER in folders:
        lines.append(
            f"  {CALENDAR_FOLDER + '/':<16} plan calendars: PLAN.ics for calendar apps, "
            "PLAN.schedule.fit for a Garmin watch"
        )
    if PLANS_FOLDER in folders:
        lines.append(f"  {PLANS_FOLDER + '/':<16} a page per plan: its weeks as a grid")
    lines += ["", "Each workout's files share its name: fit/NAME.fit, coros/NAME.json, ….", ""]
    for heading, cards in (("Workouts", workouts), ("Plan variants", variants)):
        if cards:
            lines += [heading, ""]
            lines += [f"  {c.slug:<34} {c.name} ({c.summary})" for c in cards]
            lines.append("")
    if teams:
        lines += ["Athletes: each one's own files of the workouts with % 1RM loads", ""]
        for team in teams:
            own = ", ".join(c.source.slug for c in team.compiled) or "none"
            lines.append(f"  {team.athlete.folder + '/':<34} {own}")
        lines.append("")
    if plans:
        lines += ["Plans", ""]
        for plan in plans:
            when = f"from {plan.start.isoformat()}" if plan.start else "no start date"
            lines.append(f"  {plan.slug:<34} {plan.name}: {plan.weeks} weeks, {when}")
        lines.append("")
    for brand, steps in brand_steps(pack):
        lines += [brand, "-" * len(brand), ""]
        for number, step in enumerate(steps, 1):
            lines += textwrap.wrap(
                step, README_WIDTH, initial_indent=f"  {number}. ", subsequent_indent="     "
            )
        lines.append("")
    lines.append("Made with liftfit.")
    return "\n".join(lines) + "\n"
