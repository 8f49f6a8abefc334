"""The watch shows the exercise the user wrote: one FIT title per exercise, on every target."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from liftfit import Exercise, Workout, compile_paths, to_fit_bytes
from liftfit.catalogue import Entry, catalogue
from liftfit.errors import InvalidInput
from liftfit.library import load_sources
from liftfit.model import Cooldown, Warmup
from tests.conftest import ROOT, examples, garmin_decode

ALL = [*catalogue().curated, *catalogue().fit_taxonomy]


def shown(data: bytes) -> list[tuple[int, str]]:
    """(message_index, the title the watch shows) of every step with an exercise."""
    messages = garmin_decode(data)
    titles = {
        (t["exercise_category"], t.get("exercise_name")): t["wkt_step_name"]
        for t in messages.get("exercise_title_mesgs", [])
    }
    assert len(titles) == len(messages.get("exercise_title_mesgs", [])), "one title per pair"
    return [
        (s["message_index"], titles[(s["exercise_category"], s.get("exercise_name"))])
        for s in messages["workout_step_mesgs"]
        if "exercise_category" in s
    ]


def written(workout: Workout) -> list[str]:
    """The names of the workout's exercise steps in order, as the catalogue spells them."""
    names = []
    for step in workout.steps:
        if isinstance(step, Exercise):
            names.append(catalogue().resolve(step.exercise).name)
    return names


@settings(max_examples=examples(60), deadline=None)
@given(st.lists(st.sampled_from(ALL), min_size=1, max_size=12, unique_by=lambda e: e.id))
def test_every_exercise_step_shows_the_name_written(entries: list[Entry]) -> None:
    steps: list[Any] = [Exercise(exercise=e.id, reps=5) for e in entries]
    workout = Workout(name="Any", steps=steps)
    assert [title for _, title in shown(to_fit_bytes(workout))] == [e.name for e in entries]


def bundled_and_test_workouts() -> list[Path]:
    paths = sorted((ROOT / "workouts").glob("*.yaml"))
    paths += [p for p in (ROOT / "tests").rglob("*.yaml") if "bad" not in p.parts]
    return paths


@pytest.mark.parametrize("path", bundled_and_test_workouts(), ids=lambda p: p.stem)
def test_bundled_and_test_workouts_show_the_names_written(path: Path) -> None:
    for compiled in compile_paths([path], max_steps=500):
        lowered = compiled.lowered
        expected = [s.exercise.name for s in _fit_steps(lowered) if s.exercise is not None]
        titles = [title for _, title in shown(compiled.outputs["fit"].data)]
        assert titles == expected, compiled.source.slug


def _fit_steps(lowered: Any) -> list[Any]:
    out = []
    for item in lowered.items:
        out += list(getattr(item, "steps", (item,)))
    return out


def titles_of(slug: str) -> dict[str, str]:
    (compiled,) = compile_paths([ROOT / "workouts" / f"{slug}.yaml"])
    return {title: title for _, title in shown(compiled.outputs["fit"].data)}


def test_strides_plank_and_cool_down_keep_their_names() -> None:
    (drills,) = compile_paths([ROOT / "workouts" / "ingebrigtsen-drills.yaml"])
    steps = garmin_decode(drills.outputs["fit"].data)["workout_step_mesgs"]
    by_index = dict(shown(drills.outputs["fit"].data))
    strides = [
        by_index[s["message_index"]] for s in steps if s.get("notes", "").startswith("stride")
    ]
    assert strides == ["Run"]
    cool = [by_index[s["message_index"]] for s in steps if s.get("intensity") == 3]
    assert cool == ["Cool-Down"]
    core = titles_of("core")
    assert "Plank" in core and "Plank Walk-Up" in core


def test_a_moved_exercise_keeps_its_category_and_says_so() -> None:
    workout = Workout(
        name="Planks",
        steps=[
            Exercise(exercise="plank walk-up", reps=8),
            Exercise(exercise="plank", hold=30),
        ],
    )
    data = to_fit_bytes(workout)
    steps = garmin_decode(data)["workout_step_mesgs"]
    assert [(s["exercise_category"], s["exercise_name"]) for s in steps][1] == (19, 43)
    assert steps[0]["exercise_category"] == 19 and steps[0]["exercise_name"] != 43
    assert [t for _, t in shown(data)] == ["Plank Walk-Up", "Plank"]
    (compiled,) = compile_paths([_write(workout)])
    assert any(
        note.startswith("Plank Walk-Up: no such FIT exercise; sent as plank/")
        and "(plank/plank is Plank's in this workout)" in note
        for note in compiled.lowered.fidelity
    )


def _write(workout: Workout) -> Path:
    import tempfile

    import yaml

    folder = Path(tempfile.mkdtemp())
    path = folder / "w.yaml"
    path.write_text(yaml.safe_dump(workout.model_dump(mode="json", exclude_defaults=True)))
    return path


def test_cool_down_is_no_warm_up_on_any_target() -> None:
    workout = Workout(
        name="Cool",
        steps=[Warmup(warmup=300), Exercise(exercise="squat", reps=5), Cooldown(cooldown=300)],
    )
    (compiled,) = compile_paths([_write(workout)], formats=["fit", "garmin-connect", "coros"])
    assert [t for _, t in shown(compiled.outputs["fit"].data)] == ["Warm-Up", "Squat", "Cool-Down"]
    connect = json.loads(compiled.outputs["garmin-connect"].data)
    steps = connect["workoutSegments"][0]["workoutSteps"]
    cool = steps[-1]
    assert cool["stepType"]["stepTypeKey"] == "cooldown"
    assert (cool["category"], cool["exerciseName"]) == (None, None)
    assert steps[0]["category"] == "WARM_UP"
    coros = json.loads(compiled.outputs["coros"].data)["exercises"]
    assert (coros[-1]["name"], coros[-1]["exerciseType"]) == ("T1122", 3)


def test_per_side_hold_is_a_left_and_a_right_step_on_fit_and_connect() -> None:
    workout = Workout(
        name="Side",
        steps=[Exercise(exercise="side plank", sets=2, hold=30, per_side=True, rest=20)],
    )
    (compiled,) = compile_paths([_write(workout)], formats=["fit", "garmin-connect", "coros"])
    fit = garmin_decode(compiled.outputs["fit"].data)["workout_step_mesgs"]
    assert [(s["duration_type"], s["duration_value"], s.get("notes")) for s in fit] == [
        (0, 30000, "Left"),
        (0, 30000, "Right"),
        (0, 20000, None),
        (6, 0, None),
    ]
    connect = json.loads(compiled.outputs["garmin-connect"].data)
    (group,) = connect["workoutSegments"][0]["workoutSteps"]
    assert [(s["endConditionValue"], s["description"]) for s in group["workoutSteps"]] == [
        (30.0, "Left"),
        (30.0, "Right"),
        (20.0, None),
    ]
    program = json.loads(compiled.outputs["coros"].data)
    (row,) = program["exercises"]
    assert (row["targetValue"], row["sets"]) == (60, 2)
    assert "Side Plank: 30s each side" in program["overview"]


def test_fit_description_is_the_workouts_cut_to_connects_size() -> None:
    text = "Hinge fast, lower slow. " * 10
    header = garmin_decode(to_fit_bytes(Workout(name="D", description=text, steps=[_squat()])))
    (workout,) = header["workout_mesgs"]
    assert workout["wkt_description"] == " ".join(text.split())[:159].rstrip()
    short = garmin_decode(to_fit_bytes(Workout(name="D", description="Easy.", steps=[_squat()])))
    assert short["workout_mesgs"][0]["wkt_description"] == "Easy."
    bare = garmin_decode(to_fit_bytes(Workout(name="D", steps=[_squat()])))
    assert "wkt_description" not in bare["workout_mesgs"][0]


def _squat() -> Exercise:
    return Exercise(exercise="squat", reps=5)


# ----- custom exercises ---------------------------------------------------------------------

CUSTOM = """\
exercises:
  - name: Spanish Squat
    aliases: [spanish squats]
    like: wall sit
  - name: Hip Airplane
    like: single leg deadlift
  - name: Reverse Nordic
    like: squat/any
"""
COACH = """\
name: Coach day
steps:
  - {exercise: spanish squats, sets: 3, hold: 45s, rest: 60s}
  - {exercise: hip airplane, reps: 5, per_side: true}
  - {exercise: wall sit, hold: 30s}
  - {exercise: reverse nordic, reps: 8}
"""


def library(tmp_path: Path, custom: str = CUSTOM, workout: str = COACH) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "exercises.yaml").write_text(custom)
    (tmp_path / "coach.yaml").write_text(workout)
    return tmp_path


def test_custom_exercises_show_their_names_on_the_watch(tmp_path: Path) -> None:
    (compiled,) = compile_paths(
        [library(tmp_path)], formats=["fit", "garmin-connect", "coros"]
    )  # exercises.yaml is no workout
    data = compiled.outputs["fit"].data
    assert [t for _, t in shown(data)] == [
        "Spanish Squat",
        "Hip Airplane",
        "Wall Sit",
        "Reverse Nordic",
    ]
    steps = garmin_decode(data)["workout_step_mesgs"]
    categories = [s["exercise_category"] for s in steps if "exercise_category" in s]
    assert categories == [28, 8, 28, 28]  # wall sit's squat, single-leg deadlift's, …
    notes = compiled.lowered.fidelity
    assert (
        "Spanish Squat: your own exercise, like Wall Sit: the watch shows Spanish Squat; "
        "Garmin Connect and COROS get Wall Sit with Spanish Squat in the text they show"
    ) in notes
    assert sum(n.startswith("Hip Airplane: your own exercise") for n in notes) == 1


def test_custom_exercises_on_connect_and_coros(tmp_path: Path) -> None:
    (compiled,) = compile_paths([library(tmp_path)], formats=["garmin-connect", "coros"])
    connect = json.loads(compiled.outputs["garmin-connect"].data)
    group, airplane, wall, nordic = connect["workoutSegments"][0]["workoutSteps"]
    spanish = group["workoutSteps"][0]
    assert (spanish["category"], spanish["exerciseName"]) == ("SQUAT", "BODY_WEIGHT_WALL_SQUAT")
    assert spanish["description"] == "Spanish Squat"
    assert (airplane["exerciseName"], airplane["description"]) == (
        "SINGLE_LEG_ROMANIAN_DEADLIFT_WITH_DUMBBELL",
        "Hip Airplane · each side",
    )
    assert wall["description"] is None
    assert (nordic["category"], nordic["exerciseName"]) == ("SQUAT", "")
    program = json.loads(compiled.outputs["coros"].data)
    codes = [row["name"] for row in program["exercises"]]
    assert codes == ["T1231", "T1187", "T1231", "T1061"]
    lines = program["overview"].splitlines()
    assert "Spanish Squat (as Wall Sit)" in lines
    assert "Hip Airplane (as Single Leg Deadlift): each side" in lines
    assert "Reverse Nordic (as Squats)" in lines


def test_unknown_names_stay_errors_with_custom_exercises(tmp_path: Path) -> None:
    workout = COACH.replace("hip airplane", "hip aeroplane")
    with pytest.raises(InvalidInput) as error:
        load_sources([library(tmp_path, workout=workout)])
    (line,) = error.value.lines()
    assert "coach.yaml:4:16: steps[1].exercise: unknown exercise 'hip aeroplane': " in line
    assert ": did you mean Hip Airplane, " in line


def test_custom_file_problems_are_located(tmp_path: Path) -> None:
    custom = (
        "exercises:\n"
        "  - name: Plank\n    like: plank\n"
        "  - name: Hip Airplane\n    like: single leg deadlfit\n"
        "  - name: Adductor Squeeze Hold\n    like: copenhagen plank\n    aliases: [hip airplane]\n"
        "  - {name: Nordic, like: squat, colour: red}\n"
    )
    with pytest.raises(InvalidInput) as error:
        load_sources([library(tmp_path, custom=custom)])
    lines = [line.split("exercises.yaml:", 1)[1] for line in error.value.lines()]
    assert lines == [
        "9:33: exercises[3].colour: unknown key 'colour' (allowed: name, aliases, like)",
    ]
    custom = custom.replace(", colour: red", "")
    with pytest.raises(InvalidInput) as error:
        load_sources([library(tmp_path, custom=custom)])
    lines = [line.split("exercises.yaml:", 1)[1] for line in error.value.lines()]
    assert lines[0] == (
        "2:11: exercises[0].name: 'Plank' is already the catalogue's Plank (plank): use it as it is"
    )
    assert lines[1].startswith(
        "5:11: exercises[1].like: unknown exercise 'single leg deadlfit': did you mean"
    )
    assert lines[2] == (
        "8:15: exercises[2].aliases[0]: 'hip airplane' is given twice (first for Hip Airplane)"
    )


def test_exercises_file_is_in_the_schema() -> None:
    from click.testing import CliRunner

    from liftfit.cli import cli

    result = CliRunner().invoke(cli, ["schema", "exercises"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    item = schema["$defs"]["CustomExercise"]
    assert set(item["properties"]) == {"name", "aliases", "like"}
    assert item["required"] == ["name", "like"]


def test_workouts_elsewhere_do_not_see_another_folders_exercises(tmp_path: Path) -> None:
    library(tmp_path / "a")
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "w.yaml").write_text(
        "name: W\nsteps:\n  - {exercise: hip airplane, reps: 5}\n"
    )
    with pytest.raises(InvalidInput) as error:
        load_sources([tmp_path / "b"])
    assert "unknown exercise 'hip airplane'" in error.value.lines()[0]


# ----- liftfit preview ----------------------------------------------------------------------


def test_preview_shows_each_target_and_the_names_put_in_place(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from liftfit.cli import cli

    path = library(tmp_path) / "coach.yaml"
    result = CliRunner().invoke(cli, ["preview", str(path)])
    assert result.exit_code == 0, result.output
    out = result.stdout.splitlines()
    fit = out[out.index("Coach day → FIT (Garmin watch)") + 1 :]
    assert fit[:3] == [
        "  3 ×",
        "    Spanish Squat: 45s  [sent as FIT squat/air_squat, titled 'Spanish Squat']",
        "    Rest 1min",
    ]
    connect = out[out.index("Coach day → Garmin Connect") + 1 :]
    assert connect[1] == (
        "    Body Weight Wall Squat: 45s — Spanish Squat  "
        "[Connect shows 'Body Weight Wall Squat' for Spanish Squat]"
    )
    coros = out[out.index("Coach day → COROS") + 1 :]
    assert coros[0] == "  Wall Sit: 3 × 45s, rest 1min"
    assert "    Spanish Squat (as Wall Sit)" in coros
    assert "your own exercise, like Wall Sit" in result.stderr


def test_preview_one_target_and_build_points_at_it(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from liftfit.cli import cli

    path = library(tmp_path) / "coach.yaml"
    result = CliRunner().invoke(cli, ["preview", str(path), "--target", "coros"])
    assert result.exit_code == 0
    assert result.stdout.startswith("Coach day → COROS\n")
    assert "FIT" not in result.stdout
    built = CliRunner().invoke(cli, ["build", str(path), "-o", str(tmp_path / "out")])
    assert built.exit_code == 0
    assert f"`liftfit preview {path}` shows what each target will show" in built.stderr
    bad = CliRunner().invoke(cli, ["preview", str(path), "--target", "tcx"])
    assert bad.exit_code == 2


def test_fit_exercises_are_titled_as_garmin_connect_titles_them(reference: Path) -> None:
    """Garmin's own names (data/fit_exercises.tsv, from garminconnect): the titles of Connect's
    own export are the catalogue's names for the same pairs."""
    messages = garmin_decode(
        (reference / "fit" / "garmin-connect-strength-export.fit").read_bytes()
    )
    ours = {(e.fit_category, e.fit_name): e.name for e in catalogue().fit_taxonomy}
    titles = messages["exercise_title_mesgs"]
    assert len(titles) == 9
    for title in titles:
        pair = (title["exercise_category"], title.get("exercise_name"))
        assert ours[pair] == title["wkt_step_name"], pair
    assert catalogue().resolve("wide hands push up").name == "Wide-hands Push-up"
    assert catalogue().resolve("push_up/wide_hands_push_up").aliases == ()
    old = catalogue().resolve("90 Degree Static Hold")  # the enum's spelling still resolves
    assert old.name == "90-degree Static Hold"


@settings(max_examples=examples(200), deadline=None)
@given(
    category=st.sampled_from(sorted({e.fit_category for e in catalogue().curated})),
    name=st.one_of(
        st.sampled_from([e.name for e in catalogue().curated]),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz -", min_size=1, max_size=30),
    ),
    taken=st.integers(min_value=0, max_value=40),
)
def test_the_free_name_is_the_likeliest_of_all_with_ties_to_the_lowest_number(
    category: int, name: str, taken: int
) -> None:
    """``_closest_free`` stops early, from what names can score by their lengths alone; it
    must choose what comparing every free name would."""
    import difflib

    from liftfit.catalogue import normalise
    from liftfit.titles import _category, _closest_free

    pairs = _category(category)
    used = frozenset(pair for _, pair in pairs[:taken:3])
    free = [(key, pair) for key, pair in pairs if pair not in used]
    wanted = normalise(name)
    expected = max(
        free,
        key=lambda kp: (difflib.SequenceMatcher(None, wanted, kp[0]).ratio(), -(kp[1][1] or 0)),
        default=(None, None),
    )[1]
    assert _closest_free(name, category, used) == expected
