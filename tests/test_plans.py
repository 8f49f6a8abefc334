"""Plans: expansion into dated sessions and variants, located errors, calendar outputs."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from liftfit.cli import cli
from liftfit.library import load_library
from liftfit.plan import expand, plan_variants
from liftfit.units import Range
from liftfit.variants import Changes, make_variant, variant_name
from tests.conftest import ROOT, garmin_decode

WORKOUTS = ROOT / "workouts"
PLANS = WORKOUTS / "plans"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_plan_show_puts_the_ingebrigtsen_week_on_its_days(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(ROOT)
    result = run("plan", "show", "workouts/plans/ingebrigtsen-week.yaml", "--start", "2026-03-02")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:7] == [
        "Ingebrigtsen strength week: 4 weeks from Mon 2026-03-02 to Sun 2026-03-29, 16 sessions",
        "",
        "date        day  workout                        sets",
        "2026-03-02  Mon  Ingebrigtsen drills            2-5",
        "2026-03-04  Wed  Ingebrigtsen drills            2-5",
        "2026-03-06  Fri  Ingebrigtsen lifting · 2 sets  2",
        "2026-03-08  Sun  Ingebrigtsen lifting           3",
    ]
    assert len(lines) == 2 + 1 + 16
    assert [line[12:15] for line in lines[3:]] == ["Mon", "Wed", "Fri", "Sun"] * 4
    # The plan's name resolves too, and a start in mid-week moves week 1's days after it.
    shifted = run("plan", "show", "ingebrigtsen-week", "--start", "2026-03-04")
    assert shifted.stdout.splitlines()[3:5] == [
        "2026-03-04  Wed  Ingebrigtsen drills            2-5",
        "2026-03-06  Fri  Ingebrigtsen lifting · 2 sets  2",
    ]


def test_plan_show_marks_phases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("plan", "show", "winter-to-summer")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2] == "date        day  workout                   sets  phase"
    # Warm-up sets are no volume: the column counts working sets (the split squat's 2-3, +1).
    assert lines[3] == "2026-03-03  Tue  Heavy strength · +1 set   3-5   winter volume"
    assert lines[-1] == "2026-04-26  Sun  Core · -2 reps            2-3   summer speed"


def test_a_plan_without_a_start_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    shown = run("plan", "show", "beginner")
    assert shown.exit_code == 2
    assert "plan 'beginner' has no start date: give --start YYYY-MM-DD" in shown.stderr
    built = run("build", "workouts/plans/beginner.yaml", "-o", str(tmp_path / "out"))
    assert built.exit_code == 2
    assert "plan 'beginner' has no start date" in built.stderr
    assert not (tmp_path / "out").exists()
    # Found in a folder, a start-less plan builds its workouts and says it has no calendar.
    library = run("build", "workouts", "-o", str(tmp_path / "all"))
    assert library.exit_code == 0, library.output
    assert (
        "plan beginner: workouts only, no calendar (no start date: give --start YYYY-MM-DD "
        "or write start: in the plan)" in library.stdout
    )
    assert sorted(p.name for p in (tmp_path / "all" / "calendar").iterdir()) == [
        "winter-to-summer.coros-schedule.json",
        "winter-to-summer.ics",
        "winter-to-summer.schedule.fit",
    ]


BAD_PLANS = {
    "unknown-workout": (
        "name: Typo\nweeks: 2\nsessions:\n"
        "  - {workout: ingebrigtsen-drills, days: [mon]}\n"
        "  - {workout: ingebrigtsen-liftin, days: [fri], sets: 2}\n",
        [
            "plans/unknown-workout.yaml:5:15: sessions[1].workout: unknown workout "
            "'ingebrigtsen-liftin': did you mean 'ingebrigtsen-lifting'?"
        ],
    ),
    "overlapping-phases": (
        "name: Overlap\nweeks: 8\nsessions:\n  - {workout: core, days: [sat]}\nphases:\n"
        "  - {name: winter, weeks: 1-4, sets: +1}\n"
        "  - {name: spring, weeks: 3-6, reps: -2}\n",
        [
            "plans/overlapping-phases.yaml:7:27: phases[1].weeks: weeks 3-6 overlap phase "
            "'winter' (weeks 1-4)"
        ],
    ),
    "start-not-a-date": (
        "name: Someday\nweeks: 2\nstart: next monday\nsessions:\n"
        "  - {workout: core, days: [sat]}\n",
        [
            "plans/start-not-a-date.yaml:3:8: start: expected a date like 2026-03-02, "
            "got 'next monday'"
        ],
    ),
    "not-a-weekday": (
        "name: Funday\nweeks: 2\nsessions:\n  - workout: core\n    days: [mon, funday]\n",
        [
            "plans/not-a-weekday.yaml:5:17: sessions[0].days[1]: expected a weekday "
            "(mon, tue, wed, thu, fri, sat, sun), got 'funday'"
        ],
    ),
    "several": (
        "name: Several\nweeks: 4\nstart: 2026-02-30\nsessions:\n"
        "  - {workout: core, days: [sat, sat], set: 2}\n"
        "phases:\n  - {name: base, weeks: 3-6, sets: 1}\n",
        [
            "plans/several.yaml:3:8: start: expected a date like 2026-03-02, got '2026-02-30'",
            "plans/several.yaml:5:39: sessions[0].set: unknown key 'set': did you mean 'sets'? "
            "(allowed: workout, days, sets, reps, load, warmup)",
        ],
    ),
    "phase-problems": (
        "name: Phases\nweeks: 4\nsessions:\n  - {workout: core, days: [sat, sat]}\n"
        "phases:\n  - {name: base, weeks: 3-6, sets: 1, load: 90%}\n",
        [
            "plans/phase-problems.yaml:4:33: sessions[0].days[1]: 'sat' given twice",
            "plans/phase-problems.yaml:6:25: phases[0].weeks: weeks 3-6 go past the plan's 4 weeks",
            "plans/phase-problems.yaml:6:36: phases[0].sets: a phase changes sets: write the "
            "sign, like +1 or -2 (a session's sets: gives the number)",
        ],
    ),
}


@pytest.fixture
def library_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The bundled workouts in a scratch folder, with an empty plans/ folder beside them."""
    for path in WORKOUTS.glob("*.yaml"):
        shutil.copy(path, tmp_path / path.name)
    (tmp_path / "plans").mkdir()
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("name", sorted(BAD_PLANS))
def test_bad_plans_are_located_exactly(name: str, library_copy: Path) -> None:
    text, expected = BAD_PLANS[name]
    (library_copy / "plans" / f"{name}.yaml").write_text(text, "utf-8")
    result = run("validate", f"plans/{name}.yaml")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == [f"error: {line}" for line in expected]
    built = run("build", f"plans/{name}.yaml", "--start", "2026-03-02", "-o", "out")
    assert built.exit_code == 1
    assert not (library_copy / "out").exists()


def test_validate_counts_plans(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout == "4 plans, 13 workouts OK\n"


def test_a_plan_finds_its_workouts_beside_its_folder() -> None:
    library = load_library([PLANS / "coach-week.yaml"])
    assert library.workouts == []
    (plan,) = library.plans
    assert sorted(plan.workouts) == ["bad-day", "core", "heavy-strength", "plyo-strength"]


def _build(out: Path, *args: str) -> Result:
    result = run("build", str(PLANS / "ingebrigtsen-week.yaml"), "-o", str(out), *args)
    assert result.exit_code == 0, result.output
    return result


def test_ics_parses_and_its_uids_are_stable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from icalendar import Calendar

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    _build(tmp_path / "a", "--start", "2026-03-02")
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    _build(tmp_path / "b", "--start", "2026-03-02")

    def events(folder: Path) -> list[tuple[str, str, str]]:
        data = (folder / "calendar" / "ingebrigtsen-week.ics").read_bytes()
        calendar = Calendar.from_ical(data)
        return [
            (str(e["uid"]), e.decoded("dtstart").isoformat(), str(e["summary"]))
            for e in calendar.walk("VEVENT")
        ]

    first, second = events(tmp_path / "a"), events(tmp_path / "b")
    assert len(first) == 16
    assert len({uid for uid, _, _ in first}) == 16
    assert first == second
    assert first[2] == (
        "ingebrigtsen-week-20260306-ingebrigtsen-lifting--2-sets@liftfit",
        "2026-03-06",
        "Ingebrigtsen lifting · 2 sets",
    )
    ics = tmp_path / "a" / "calendar" / "ingebrigtsen-week.ics"
    calendar = Calendar.from_ical(ics.read_bytes())
    friday = calendar.walk("VEVENT")[2]
    assert friday.decoded("dtstart") == date(2026, 3, 6)
    assert friday.decoded("dtend") == date(2026, 3, 7)
    description = str(friday["description"])
    assert "Quarter Squat: 2 × 8 reps @ 70% 1RM" in description
    assert "Lunge: 2 × 6 reps each side" in description
    assert f"Watch: {tmp_path / 'a'}/fit/ingebrigtsen-lifting--2-sets.fit" in description.split(
        "\n"
    )


def test_schedule_fit_names_the_workout_files(tmp_path: Path) -> None:
    result = _build(tmp_path, "--start", "2026-03-02", "--schedule-weeks", "2")
    assert "the watch schedule holds the first 2 weeks (8 sessions" in result.stdout
    messages = garmin_decode(
        (tmp_path / "calendar" / "ingebrigtsen-week.schedule.fit").read_bytes()
    )
    (file_id,) = messages["file_id_mesgs"]
    assert file_id["type"] == 7
    assert file_id["serial_number"] != 0
    entries = messages["schedule_mesgs"]
    assert len(entries) == 8

    def key(message: dict[str, int]) -> tuple[int, ...]:
        return tuple(
            message[k] for k in ("manufacturer", "product", "serial_number", "time_created")
        )

    files = {}
    for path in (tmp_path / "fit").glob("*.fit"):
        (workout_id,) = garmin_decode(path.read_bytes())["file_id_mesgs"]
        assert workout_id["type"] == 5
        files[key(workout_id)] = path.stem
    assert len(files) == 3
    fit_epoch = date(1989, 12, 31)
    scheduled = [
        (files[key(e)], fit_epoch.toordinal() + e["scheduled_time"] // 86400) for e in entries
    ]
    assert [(slug, date.fromordinal(day).isoformat()) for slug, day in scheduled[:4]] == [
        ("ingebrigtsen-drills", "2026-03-02"),
        ("ingebrigtsen-drills", "2026-03-04"),
        ("ingebrigtsen-lifting--2-sets", "2026-03-06"),
        ("ingebrigtsen-lifting", "2026-03-08"),
    ]
    assert all(e["type"] == 0 and e["completed"] == 0 for e in entries)


def test_coros_schedule_payload(tmp_path: Path) -> None:
    _build(tmp_path, "--start", "2026-03-02")
    body = json.loads(
        (tmp_path / "calendar" / "ingebrigtsen-week.coros-schedule.json").read_text("utf-8")
    )
    assert set(body) == {"entities", "programs", "versionObjects", "pbVersion"}
    assert body["pbVersion"] == 2
    assert body["entities"][2] == {"happenDay": "20260306", "idInPlan": 3, "sortNoInSchedule": 1}
    assert [p["idInPlan"] for p in body["programs"]] == list(range(1, 17))
    assert body["programs"][2]["name"] == "Ingebrigtsen lifting · 2 sets"
    assert body["versionObjects"][:2] == [{"id": 1, "status": 1}, {"id": 2, "status": 1}]


def test_identical_variants_are_compiled_once(tmp_path: Path) -> None:
    result = run(
        "build", str(PLANS / "winter-to-summer.yaml"), "-o", str(tmp_path), "-f", "fit", "-q"
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.stem for p in (tmp_path / "fit").glob("*.fit")) == [
        "core--minus-2-reps",
        "core--plus-1-set",
        "heavy-strength--minus-2-reps",
        "heavy-strength--plus-1-set",
        "plyo-strength--minus-2-reps",
        "plyo-strength--plus-1-set",
    ]
    (plan,) = load_library([PLANS / "winter-to-summer.yaml"]).plans
    calendar = expand(plan)
    assert len(calendar.sessions) == 24
    assert len(calendar.variants) == 6
    heavy = [s.variant for s in calendar.sessions if s.variant.base.slug == "heavy-strength"]
    assert len(heavy) == 8
    assert heavy[0] is heavy[3]
    # A session whose changes leave the workout as it is uses the workout itself.
    (week,) = load_library([PLANS / "ingebrigtsen-week.yaml"]).plans
    assert [v.slug for v in plan_variants(week)] == [
        "ingebrigtsen-drills",
        "ingebrigtsen-lifting--2-sets",
        "ingebrigtsen-lifting",
    ]


def test_changes_apply_to_sets_reps_and_loads() -> None:
    (plan,) = load_library([PLANS / "winter-to-summer.yaml"]).plans
    plyo = plan.workouts["plyo-strength"]
    variant = make_variant(plyo, Changes(sets_delta=1, reps_delta=-2, load=90))
    steps = {getattr(s, "exercise", None): s for s in variant.workout.steps}
    assert steps["trap bar deadlift"].sets == Range(5, 5)  # its own 4, +1
    assert steps["box jump"].sets is None and variant.workout.sets == Range(4, 4)
    assert str(steps["box jump"].reps) == "2-4"
    assert str(steps["trap bar deadlift"].reps) == "1-3"  # 3-5 - 2
    assert str(steps["step up"].load) == "22.5 lb"  # 25 lb × 90 %
    assert str(steps["pogo hop"].hold) == "20-30s"
    assert variant.slug == "plyo-strength--plus-1-set-minus-2-reps-load-90"
    assert variant.title == "Plyo strength · +1 set, -2 reps, 90% load"
    assert variant.workout.name == "Plyo · +1 set, -2 reps, 90%"
    assert len(variant.workout.name.encode()) <= 31


def test_variant_names_fit_a_fit_workout_name() -> None:
    assert variant_name("Ingebrigtsen lifting", ["2 sets"]) == "Ingebrigtsen lifting · 2 sets"
    assert variant_name("Ingebrigtsen lifting", ["3 sets", "-2 reps"]) == (
        "Ingebrigtsen · 3 sets, -2 reps"
    )
    long = variant_name("Supercalifragilistic strength", ["3 sets", "-2 reps", "90% load"])
    assert len(long.encode()) <= 31
    assert long.startswith("Supercalifragilistic · 3 sets")


def test_variant_names_are_cut_between_words_without_a_dangling_separator() -> None:
    name = variant_name("Session 1 - Upper body strength", ["+3 sets", "-2 reps"])
    assert name == "Session 1 · +3 sets, -2 reps"
    name = variant_name("Hill - sprints", ["+3 sets", "-2 reps", "90% load"], ["+3 sets", "90%"])
    assert name == "Hill - sprints · +3 sets, 90%"
    long = variant_name("Supercalifragilisticexpialidocious", ["+3 sets", "-2 reps", "90% load"])
    assert len(long.encode()) <= 31
    assert not long.endswith((" ", "·", ",", "-"))
