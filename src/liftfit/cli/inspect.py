"""``liftfit inspect``: what a FIT workout file holds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from liftfit.fitread import FitWorkoutFile

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
    """
    from liftfit.fitread import read_fit_path

    workout = read_fit_path(file)
    if as_json:
        click.echo(json.dumps(_document(workout), indent=2, ensure_ascii=False))
    else:
        for line in _report(workout):
            click.echo(line.rstrip())


def _report(workout: FitWorkoutFile) -> list[str]:
    from liftfit import fitread as fr
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
    from liftfit import fitread as fr

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
    from liftfit import fitread as fr

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
