"""``liftfit inspect``: what a FIT workout file holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from liftfit.fitread import FitWorkoutFile
    from liftfit.fitschedule import FitScheduleFile

_COLUMNS = ("#", "step", "duration", "target", "weight", "intensity", "notes")
_ALWAYS_SHOWN = frozenset({"#", "step", "duration"})


@click.command("inspect")
# Not click's checks (exists, readable, not a folder): their refusals are usage errors (exit 2),
# and a FIT file that cannot be read is bad input (exit 1, one line, from fitread).
@click.argument("file", type=click.Path(path_type=Path, readable=False))
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
def command(file: Path, as_json: bool) -> None:
    """Show the steps of a FIT workout file (liftfit's, Garmin's or any other).

    Prints the workout's name, sport and file id, then one row per step, with
    control characters in names and notes shown escaped (\x1b). With --json,
    prints every step's raw FIT values (ms, cm, kg × 100) and their names.
    A FIT schedule file (a plan's PLAN.schedule.fit) shows its dated entries and
    the workout files they point at (looked for beside it and in ../fit/).
    """
    from liftfit.fitschedule import FitScheduleFile, read_fit_file

    workout = read_fit_file(file)
    if isinstance(workout, FitScheduleFile):
        _show_schedule(workout, file, as_json)
    elif as_json:
        click.echo(json.dumps(_document(workout), indent=2, ensure_ascii=False))
    else:
        for line in _report(workout):
            click.echo(line.rstrip())


def _show_schedule(schedule: FitScheduleFile, file: Path, as_json: bool) -> None:
    from liftfit.fitschedule import workouts_near
    from liftfit.safe import printable

    near = workouts_near(file)
    entries = []
    for entry in schedule.entries:
        day = entry.day
        path, workout = (
            near.get(entry.serial_number, (None, None)) if entry.serial_number else (None, None)
        )
        entries.append(
            {
                "date": day.isoformat() if day else None,
                "weekday": day.strftime("%a") if day else None,
                "serial_number": entry.serial_number,
                "time_created": entry.time_created,
                "completed": entry.completed,
                "type": entry.kind,
                "workout_file": str(path) if path else None,
                "workout_name": workout.name if workout else None,
            }
        )
    if as_json:
        document = {
            "source": schedule.source,
            "file_type": 7,
            "file_type_name": "schedules",
            "serial_number": schedule.serial_number,
            "time_created": schedule.time_created,
            "entries": entries,
        }
        click.echo(json.dumps(document, indent=2, ensure_ascii=False))
        return
    found = sum(e["workout_file"] is not None for e in entries)
    click.echo(f"schedule: {len(entries)} entries, {found} pointing at workout files found here")
    for e in entries:
        when = f"{e['weekday']} {e['date']}" if e["date"] else "(no date)"
        if e["workout_file"]:
            what = f"{printable(str(e['workout_name']))}  ({printable(str(e['workout_file']))})"
        else:
            what = f"workout with serial {e['serial_number']} (its file is not beside this one)"
        click.echo(f"  {when}  {what}")


def _report(workout: FitWorkoutFile) -> list[str]:
    from liftfit import fittext as fr
    from liftfit.safe import printable

    sport = " / ".join(
        _named(name, value)
        for name, value in (
            (fr.sport_name(workout.sport), workout.sport),
            (fr.sub_sport_name(workout.sub_sport), workout.sub_sport),
        )
        if value is not None
    )
    repeats = sum(step.is_repeat for step in workout.steps)
    count = f"{len(workout.steps)} ({repeats} repeat{'s' if repeats != 1 else ''})"
    if workout.num_valid_steps != len(workout.steps):
        count += f"; the workout message says {workout.num_valid_steps}"
    lines = [
        printable(workout.name) if workout.name else "(workout without a name)",
        f"  sport:   {sport or 'not set'}",
        f"  steps:   {count}",
        f"  file id: {_file_id(workout)}",
        f"  header:  {workout.header_size} bytes, FIT protocol {workout.protocol_version}, "
        f"profile {workout.profile_version}",
        "",
    ]
    rows = [
        {
            "#": str(step.message_index if step.message_index is not None else "?"),
            "step": printable(fr.step_label(workout, step)),
            "duration": fr.duration_text(step),
            "target": fr.target_text(step, workout.sport),
            "weight": fr.weight_text(step),
            "intensity": fr.intensity_name(step.intensity) or _unnamed(step.intensity),
            "notes": printable(fr.notes_text(step)),
        }
        for step in workout.steps
    ]
    shown = [c for c in _COLUMNS if c in _ALWAYS_SHOWN or any(row[c] for row in rows)]
    widths = {c: max(len(c), *(len(row[c]) for row in rows)) for c in shown}
    header = {c: c for c in shown}
    for row in (header, *rows):
        cells = [row[c].rjust(widths[c]) if c == "#" else row[c].ljust(widths[c]) for c in shown]
        lines.append("  " + "  ".join(cells))
    return lines


def _file_id(workout: FitWorkoutFile) -> str:
    from liftfit import fittext as fr

    created = workout.time_created_utc
    parts = [
        f"manufacturer {_named(fr.manufacturer_name(workout.manufacturer), workout.manufacturer)}",
        "product "
        + _named(fr.product_name(workout.manufacturer, workout.product), workout.product),
        f"serial {_unnamed(workout.serial_number) or 'not set'}",
        "created "
        + (
            created.strftime("%Y-%m-%d %H:%M:%S UTC")
            if created
            else _unnamed(workout.time_created) or "not set"
        ),
    ]
    return " / ".join(parts)


def _named(name: str | None, value: int | None) -> str:
    if value is None:
        return "not set"
    return f"{name} ({value})" if name else str(value)


def _unnamed(value: int | None) -> str:
    return "" if value is None else str(value)


def _document(workout: FitWorkoutFile) -> dict[str, Any]:
    """Header fields and every step's raw values, with the names liftfit resolves for them."""
    from liftfit import fittext as fr

    created = workout.time_created_utc
    steps = []
    for step in workout.steps:
        steps.append(
            {
                **step.raw(),
                "duration_type_name": fr.duration_type_name(step.duration_type),
                "target_type_name": fr.target_type_name(step.target_type),
                "intensity_name": fr.intensity_name(step.intensity),
                "exercise_category_name": fr.category_name(step.exercise_category),
                "exercise_title": workout.exercise_title(step),
                "weight_display_unit_name": fr.weight_unit_name(step.weight_display_unit),
                "label": fr.step_label(workout, step),
                "duration": fr.duration_text(step),
                "target": fr.target_text(step, workout.sport) or None,
                "weight": fr.weight_text(step) or None,
            }
        )
    return {
        "source": workout.source,
        "header_size": workout.header_size,
        "protocol_version": workout.protocol_version,
        "profile_version": workout.profile_version,
        "file_type": workout.file_type,
        "file_type_name": fr.file_type_name(workout.file_type),
        "manufacturer": workout.manufacturer,
        "manufacturer_name": fr.manufacturer_name(workout.manufacturer),
        "product": workout.product,
        "product_name": fr.product_name(workout.manufacturer, workout.product),
        "serial_number": workout.serial_number,
        "time_created": workout.time_created,
        "time_created_utc": created.isoformat() if created else None,
        "name": workout.name,
        "sport": workout.sport,
        "sport_name": fr.sport_name(workout.sport),
        "sub_sport": workout.sub_sport,
        "sub_sport_name": fr.sub_sport_name(workout.sub_sport),
        "num_valid_steps": workout.num_valid_steps,
        "step_count": len(workout.steps),
        "steps": steps,
        "exercise_titles": [
            {"exercise_category": category, "exercise_name": name, "title": title}
            for (category, name), title in workout.titles.items()
        ],
    }
