"""Workout cards: what each line says comes from the lowered program, and pages stay offline."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import pytest

from liftfit.api import compile_paths
from liftfit.exporters.html import Line, html_output, workout_card
from liftfit.ir import Block, Step
from liftfit.loader import read_yaml
from liftfit.lowering import NOTE_SEPARATOR, lower_workout
from liftfit.model import Profile, Workout
from tests.conftest import ROOT

WORKOUTS = sorted((ROOT / "workouts").glob("*.yaml"))


def lowered(yaml_text: str, tmp_path: Path, profile: Profile | None = None) -> Workout:
    path = tmp_path / "w.yaml"
    path.write_text(yaml_text)
    return Workout.model_validate(read_yaml(path).data)


def lines_of(yaml_text: str, tmp_path: Path, profile: Profile | None = None) -> list[Line]:
    card = workout_card(lower_workout(lowered(yaml_text, tmp_path), profile=profile))
    return [line for section in card.sections for line in section.lines]


def steps(items: tuple[Step | Block, ...]) -> list[Step]:
    return [s for item in items for s in (item.steps if isinstance(item, Block) else (item,))]


@pytest.mark.parametrize("path", WORKOUTS, ids=lambda p: p.stem)
def test_cues_spell_the_notes_exactly(path: Path) -> None:
    """Cards read cues, watches read notes: the two must never say different things."""
    (compiled,) = compile_paths([path])
    for step in steps(compiled.lowered.items):
        if step.role == "rest":
            # A range of rest is told on the card by the rest step's cue; on the watch by the
            # exercise's notes (rest steps carry none on Garmin Connect).
            assert step.notes is None and all(c.kind == "rest" for c in step.cues), step
            continue
        joined = NOTE_SEPARATOR.join(cue.text for cue in step.cues)
        assert joined == (step.notes or ""), step


def test_a_line_shows_sets_load_effort_side_and_rest(tmp_path: Path) -> None:
    lines = lines_of(
        "name: Heavy\nrest: 90s\nsteps:\n"
        "  - {exercise: back squat, sets: 4, reps: 4, load: 80% 1RM, rpe: 8-9, rest: 3min,"
        " note: explode up}\n"
        "  - {exercise: split squat, sets: 3, reps: 6, per_side: true, load: 20 kg}\n"
        "  - {exercise: romanian deadlift, reps: 5-6, rir: 2, tempo: 3-1-1}\n",
        tmp_path,
    )
    squat, split, rdl = lines
    assert (squat.name, squat.dose, squat.note) == ("Back Squat", "4 × 4 reps", "explode up")
    assert [(t.kind, t.text) for t in squat.tags] == [
        ("load", "80% 1RM"),
        ("effort", "RPE 8-9"),
        ("rest", "rest 3min"),
    ]
    assert split.dose == "3 × 6 reps"
    assert [(t.kind, t.text) for t in split.tags] == [
        ("side", "each side"),
        ("load", "20 kg"),
        ("rest", "rest 1:30"),
    ]
    assert rdl.dose == "5-6 reps"
    assert [t.text for t in rdl.tags] == ["RIR 2", "tempo 3-1-1", "rest 1:30"]


def test_resolved_percent_shows_the_weight_and_the_share(tmp_path: Path) -> None:
    profile = Profile.model_validate({"one_rep_max": {"back squat": "100 kg"}})
    (line,) = lines_of(
        "name: H\nsteps:\n  - {exercise: back squat, sets: 2, reps: 3, load: 75% 1RM}\n",
        tmp_path,
        profile,
    )
    assert line.tags[0].text == "75 kg (75% 1RM)"


def test_pounds_stay_pounds(tmp_path: Path) -> None:
    (line,) = lines_of("name: H\nsteps:\n  - {exercise: step up, reps: 6, load: 25 lb}\n", tmp_path)
    assert line.tags[0].text == "25 lb"


def test_holds_per_side_show_one_side(tmp_path: Path) -> None:
    (line,) = lines_of(
        "name: H\nsteps:\n  - {exercise: side plank, sets: 2, hold: 30s, per_side: true,"
        " rest: lap}\n",
        tmp_path,
    )
    assert line.dose == "2 × 30s"
    assert [t.text for t in line.tags] == ["left, then right", "rest until Lap"]


def test_split_sides_are_one_line(tmp_path: Path) -> None:
    (line,) = lines_of(
        "name: H\nsteps:\n  - {exercise: single leg deadlift, sets: 2, reps: 5, per_side: split}\n",
        tmp_path,
    )
    assert line.dose == "2 × 5 reps"
    assert line.tags[0].text == "left, then right"


def test_circuit_rounds_and_rest_after_each_round(tmp_path: Path) -> None:
    workout = lowered(
        "name: C\nsteps:\n  - warmup: 5min\n  - circuit:\n      rounds: 3\n      rest: 1:30\n"
        "      exercises:\n        - {exercise: burpee, reps: 10}\n"
        "        - {exercise: plank, hold: 30s}\n",
        tmp_path,
    )
    card = workout_card(lower_workout(workout))
    warmup, circuit = card.sections
    assert [(line.name, line.dose) for line in warmup.lines] == [("Warm-up", "5min")]
    assert circuit.title == "Circuit: 3 rounds"
    assert circuit.after == "rest 1:30 after each round"
    assert [(line.name, line.dose) for line in circuit.lines] == [
        ("Burpee", "10 reps"),
        ("Plank", "30s"),
    ]
    assert card.sets == 6 and card.exercises == 2


def test_the_picture_has_a_block_per_set_and_gaps_for_rest(tmp_path: Path) -> None:
    workout = lowered(
        "name: P\nsteps:\n  - {exercise: squat, sets: 3, reps: 8, rest: 60s}\n"
        "  - {exercise: plank, sets: 2, hold: 30s, rest: lap}\n",
        tmp_path,
    )
    shape = workout_card(lower_workout(workout)).shape
    blocks = [s for s in shape.segments if not s.lap]
    laps = [s for s in shape.segments if s.lap]
    assert [s.colour for s in blocks] == ["c0"] * 3 + ["c1"] * 2
    assert len(laps) == 2
    for before, after in itertools.pairwise(blocks):
        assert after.x > before.x + before.width  # a gap between sets
    assert shape.width >= blocks[-1].x + blocks[-1].width


@pytest.mark.parametrize("path", WORKOUTS, ids=lambda p: p.stem)
def test_card_pages_are_self_contained(path: Path) -> None:
    (compiled,) = compile_paths([path])
    page = html_output(compiled.lowered).data.decode("utf-8")
    assert page.startswith("<!doctype html>")
    assert "http://" not in page and "https://" not in page
    assert not re.search(r"""(?:src|href)=["'](?!#|data:)""", page)
    assert "@media print" in page and "break-after: page" in page
    assert 'name="viewport"' in page
    assert f"<h2>{compiled.lowered.name}</h2>" in page


def test_names_are_escaped(tmp_path: Path) -> None:
    workout = lowered(
        "name: <b>Hips & core</b>\ndescription: 'a <script>alert(1)</script>'\n"
        "steps:\n  - {exercise: plank, hold: 30s, note: '<i>flat</i>'}\n",
        tmp_path,
    )
    page = html_output(lower_workout(workout)).data.decode("utf-8")
    assert "<script>" not in page and "<i>" not in page and "<b>" not in page
    assert "&lt;b&gt;Hips &amp; core&lt;/b&gt;" in page


def test_cards_and_calendars_say_what_was_written() -> None:
    from liftfit.exporters.calendar import workout_summary
    from liftfit.exporters.html import workout_card
    from liftfit.lowering import lower_workout
    from liftfit.model import Workout

    workout = Workout.model_validate(
        {
            "name": "Cards",
            "sets": 3,
            "rest": "60s",
            "steps": [
                {"exercise": "side plank", "hold": "30s", "per_side": "split", "sets": 4},
                {
                    "exercise": "back squat",
                    "reps": 5,
                    "load": "40 kg",
                    "intensity": "warmup",
                    "sets": 1,
                },
                {
                    "circuit": {
                        "rounds": 2,
                        "rest": "none",
                        "exercises": [
                            {"exercise": "glute bridge", "reps": 10},
                            {"exercise": "russian twist", "reps": 10, "rest": "15s"},
                        ],
                    }
                },
                {
                    "circuit": {
                        "rounds": 2,
                        "rest": "90s",
                        "exercises": [
                            {"exercise": "glute bridge", "reps": 10, "rest": "15s"},
                        ],
                    }
                },
            ],
        }
    )
    lowered = lower_workout(workout)
    assert workout_summary(lowered) == [
        "Side Plank: 4 × 30s left, then right",
        "Back Squat: 5 reps warm-up set @ 40 kg",
        "Circuit: 2 rounds: Glute Bridge 10 reps, Russian Twist 10 reps",
        "Circuit: 2 rounds: Glute Bridge 10 reps; rest 1:30 after each round",
    ]
    sections = workout_card(lowered).sections
    twist = sections[2].lines[1]
    assert (sections[2].after, [t.text for t in twist.tags]) == (None, ["rest 15s"])
    bridge = sections[3].lines[0]
    assert (sections[3].after, [t.text for t in bridge.tags]) == (
        "rest 1:30 after each round",
        ["rest 15s"],
    )
    assert sections[1].lines[0].tags[0].text == "warm-up set"


def _build_cards(out: Path, cache: Path) -> dict[str, bytes]:
    """``liftfit build -f html`` of two bundled workouts in a process of its own, with the
    user cache folder at ``cache``; the cards it wrote."""
    import os
    import subprocess
    import sys

    sources = [str(ROOT / "workouts" / f"{name}.yaml") for name in ("core", "heavy-strength")]
    subprocess.run(
        [sys.executable, "-m", "liftfit", "build", *sources, "-o", str(out), "-f", "html", "-q"],
        check=True,
        env={**os.environ, "XDG_CACHE_HOME": str(cache)},
    )
    return {p.name: p.read_bytes() for p in sorted((out / "html").iterdir())}


def test_compiled_templates_are_kept_in_the_user_cache_folder_and_reused(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = _build_cards(tmp_path / "one", cache)
    kept = sorted((cache / "liftfit" / "templates").glob("__jinja2_*.cache"))
    assert len(kept) == 4  # workout.html.j2 and the base, card and style templates it uses
    written = {p: p.stat().st_mtime_ns for p in kept}
    assert _build_cards(tmp_path / "two", cache) == first
    assert {p: p.stat().st_mtime_ns for p in kept} == written  # read, not written again


def test_a_cache_folder_that_cannot_be_made_only_means_compiling(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cards = _build_cards(tmp_path / "one", blocked)
    assert cards == _build_cards(tmp_path / "two", tmp_path / "cache")
    assert blocked.read_text() == "not a folder"
