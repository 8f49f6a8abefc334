"""The club pack (``liftfit pack``) and copying to a watch (``liftfit copy``)."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from liftfit import watch
from liftfit.cli import cli
from liftfit.exporters import FORMATS
from liftfit.library import load_library
from liftfit.pack import build_pack
from tests.conftest import ROOT, garmin_decode

WORKOUTS = ROOT / "workouts"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


@pytest.fixture(scope="module")
def pack_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    out = tmp_path_factory.mktemp("pack") / "club.zip"
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("SOURCE_DATE_EPOCH", raising=False)
        result = run("pack", str(WORKOUTS), "-o", str(out), "--start", "2026-03-02", "-q")
    assert result.exit_code == 0, result.output
    return out.read_bytes()


@pytest.fixture(scope="module")
def entries(pack_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(pack_bytes)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def test_two_packs_are_the_same_bytes(pack_bytes: bytes, tmp_path: Path) -> None:
    again = tmp_path / "again.zip"
    result = run("pack", str(WORKOUTS), "-o", str(again), "--start", "2026-03-02", "-q")
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == pack_bytes


def test_entries_are_sorted_with_fixed_times_and_permissions(pack_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(pack_bytes)) as archive:
        infos = archive.infolist()
    names = [info.filename for info in infos]
    assert names == sorted(names)
    assert {info.date_time for info in infos} == {(2024, 1, 1, 0, 0, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}
    assert {info.create_system for info in infos} == {3}


def test_source_date_epoch_sets_the_timestamps(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    data = build_pack([WORKOUTS / "core.yaml"]).zip_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(2026, 1, 1, 0, 0, 0)}


def test_every_workout_has_every_format_and_a_card(entries: dict[str, bytes]) -> None:
    library = load_library([WORKOUTS])
    for source in library.workouts:
        for fmt in FORMATS.values():
            assert f"{fmt.folder}/{source.slug}{fmt.extension}" in entries
    assert {"index.html", "README.txt"} <= entries.keys()


def test_every_plan_has_its_calendar_and_a_page(entries: dict[str, bytes]) -> None:
    for plan in load_library([WORKOUTS]).plans:
        assert f"calendar/{plan.slug}.ics" in entries
        assert f"calendar/{plan.slug}.schedule.fit" in entries
        page = entries[f"plans/{plan.slug}.html"].decode("utf-8")
        assert '<table class="weeks">' in page
        assert page.count("<tr>") == plan.plan.weeks + 1  # the header row and one per week


def test_every_fit_file_decodes_with_garmins_decoder(entries: dict[str, bytes]) -> None:
    fits = {name: data for name, data in entries.items() if name.endswith(".fit")}
    assert len(fits) > 13
    for name, data in fits.items():
        messages = garmin_decode(data)
        assert messages["file_id_mesgs"], name


def test_index_names_every_workout_and_links_nothing_outside(entries: dict[str, bytes]) -> None:
    index = entries["index.html"].decode("utf-8")
    for source in load_library([WORKOUTS]).workouts:
        name = source.workout.name.replace("'", "&#39;")
        assert f'<a href="#{source.slug}">{name}</a>' in index
        assert f'<article class="card" id="{source.slug}">' in index
    assert "http://" not in index and "https://" not in index
    for target in re.findall(r'(?:href|src)="([^"]*)"', index):
        if target.startswith(("#", "data:")):
            continue
        assert target in entries, target  # every link points into the pack


def test_readme_gives_steps_for_each_brand(entries: dict[str, bytes]) -> None:
    readme = entries["README.txt"].decode("utf-8")
    for heading in ("Garmin\n------", "COROS\n-----", "Calendar (any phone or computer)"):
        assert heading in readme
    assert "GARMIN/NewFiles" in readme and "liftfit garmin push" in readme
    assert "liftfit copy" in readme and ".ics" in readme


def test_plans_without_a_start_get_a_page_and_no_calendar(tmp_path: Path) -> None:
    pack = build_pack([WORKOUTS / "core.yaml", WORKOUTS / "plans" / "coach-week.yaml"])
    assert "plans/coach-week.html" in pack.files
    assert not any(name.startswith("calendar/") for name in pack.files)
    assert any("no start date" in str(note) for note in pack.notes)
    assert "Calendar (any" not in pack.files["README.txt"].decode("utf-8")


def test_invalid_input_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nsteps:\n  - {exercise: squat, reps: 0}\n")
    out = tmp_path / "club.zip"
    result = run("pack", str(bad), "-o", str(out))
    assert result.exit_code == 1
    assert "bad.yaml" in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]


# --- liftfit copy ---------------------------------------------------------------------------


def fake_watch(root: Path, name: str = "GARMIN") -> Path:
    mount = root / name
    (mount / "GARMIN" / "Workouts").mkdir(parents=True)
    return mount


def built_fit_files(tmp_path: Path) -> dict[str, bytes]:
    out = tmp_path / "build"
    result = run("build", str(WORKOUTS), "-o", str(out), "-f", "fit", "-q")
    assert result.exit_code == 0, result.output
    files = {p.name: p.read_bytes() for p in (out / "fit").glob("*.fit")}
    files |= {p.name: p.read_bytes() for p in (out / "calendar").glob("*.fit")}
    return files


def test_copy_puts_every_fit_file_into_new_files_then_skips_them(tmp_path: Path) -> None:
    mount = fake_watch(tmp_path / "media")
    result = run("copy", str(WORKOUTS), "--to", str(mount))
    assert result.exit_code == 0, result.output
    new_files = mount / "GARMIN" / "NewFiles"
    copied = {p.name: p.read_bytes() for p in new_files.iterdir()}
    expected = built_fit_files(tmp_path)
    assert copied == expected
    assert f"copied {len(expected)} of {len(expected)} files" in result.stdout
    for data in copied.values():
        garmin_decode(data)

    again = run("copy", str(WORKOUTS), "--to", str(mount))
    assert again.exit_code == 0, again.output
    assert f"copied 0 of {len(expected)} files" in again.stdout
    assert f"{len(expected)} already there" in again.stdout
    assert "skipped, same content already on the watch: " in again.stdout
    assert sorted(p.name for p in new_files.iterdir()) == sorted(expected)  # no temporaries


def test_copy_replaces_a_changed_file(tmp_path: Path) -> None:
    mount = fake_watch(tmp_path)
    stale = mount / "GARMIN" / "NewFiles" / "core.fit"
    stale.parent.mkdir()
    stale.write_bytes(b"old")
    result = run("copy", str(WORKOUTS / "core.yaml"), "--to", str(mount))
    assert result.exit_code == 0, result.output
    assert "(0 new, 1 replaced, 0 already there)" in result.stdout
    garmin_decode(stale.read_bytes())


def test_copy_uses_the_watchs_own_spelling_of_new_files(tmp_path: Path) -> None:
    mount = tmp_path / "watch"
    (mount / "Garmin" / "NEWFILES").mkdir(parents=True)
    result = run("copy", str(WORKOUTS / "core.yaml"), "--to", str(mount))
    assert result.exit_code == 0, result.output
    assert [p.name for p in (mount / "Garmin").iterdir()] == ["NEWFILES"]
    assert (mount / "Garmin" / "NEWFILES" / "core.fit").is_file()


def test_copy_refuses_a_folder_that_is_not_a_watch(tmp_path: Path) -> None:
    plain = tmp_path / "usb-stick"
    plain.mkdir()
    result = run("copy", str(WORKOUTS), "--to", str(plain))
    assert result.exit_code == 1
    assert result.stderr == (
        f"error: {plain} is not a Garmin watch: it has no GARMIN folder (give the watch's "
        "drive, e.g. /media/you/GARMIN, or leave out --to to find it)\n"
    )
    assert list(plain.iterdir()) == []


def test_copy_writes_nothing_on_invalid_input(tmp_path: Path) -> None:
    mount = fake_watch(tmp_path)
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: Bad\nsteps:\n  - {exercise: squat, reps: 0}\n")
    result = run("copy", str(bad), "--to", str(mount))
    assert result.exit_code == 1
    assert not (mount / "GARMIN" / "NewFiles").exists()


def test_copy_finds_the_one_connected_watch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    media = tmp_path / "media"
    (media / "me" / "USB STICK").mkdir(parents=True)
    mount = fake_watch(media / "me")
    monkeypatch.setattr(watch, "SEARCH_PATTERNS", (f"{media}/*/*", f"{tmp_path}/Volumes/*"))
    result = run("copy", str(WORKOUTS / "core.yaml"))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Garmin watch found at {mount}\n")
    assert (mount / "GARMIN" / "NewFiles" / "core.fit").is_file()


def test_copy_without_a_watch_says_where_it_looked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "media" / "me" / "USB STICK").mkdir(parents=True)
    monkeypatch.setattr(watch, "SEARCH_PATTERNS", (f"{tmp_path}/media/*/*",))
    result = run("copy", str(WORKOUTS / "core.yaml"))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"error: no Garmin watch found in {tmp_path}/media/*/*: ")
    assert "--to" in result.stderr


def test_copy_with_several_watches_asks_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = fake_watch(tmp_path / "media" / "me", "GARMIN")
    second = fake_watch(tmp_path / "Volumes", "FR955")
    monkeypatch.setattr(
        watch, "SEARCH_PATTERNS", (f"{tmp_path}/media/*/*", f"{tmp_path}/Volumes/*")
    )
    result = run("copy", str(WORKOUTS / "core.yaml"))
    assert result.exit_code == 2
    assert result.stderr == (
        f"error: 2 Garmin watches are connected: {second}, {first}; choose one with --to\n"
    )
    assert not (first / "GARMIN" / "NewFiles").exists()


def test_a_packs_calendar_points_at_the_packs_own_fit_files(tmp_path: Path) -> None:
    out = tmp_path / "club.zip"
    result = CliRunner().invoke(
        cli, ["pack", str(WORKOUTS), "-o", str(out), "--start", "2026-03-02", "-q"]
    )
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as archive:
        ics = archive.read("calendar/ingebrigtsen-week.ics").decode("utf-8")
    unfolded = ics.replace("\r\n ", "")
    assert "Watch: fit/ingebrigtsen-lifting--2-sets.fit" in unfolded
    assert "build/fit" not in unfolded


def test_the_pack_names_plan_variants_in_full(tmp_path: Path) -> None:
    library = tmp_path / "lib"
    (library / "plans").mkdir(parents=True)
    (library / "upper.yaml").write_text(
        "name: Session 1 - Upper body strength\nsteps:\n  - {exercise: push up, reps: 8}\n",
        "utf-8",
    )
    (library / "plans" / "block.yaml").write_text(
        "name: Block\nweeks: 2\nsessions:\n  - {workout: upper, days: [mon]}\n"
        "phases:\n  - {name: more, weeks: 2, sets: +3, reps: -2}\n",
        "utf-8",
    )
    out = tmp_path / "club.zip"
    result = CliRunner().invoke(cli, ["pack", str(library), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    full = "Session 1 - Upper body strength · +3 sets, -2 reps"
    with zipfile.ZipFile(out) as archive:
        index = archive.read("index.html").decode("utf-8")
        readme = archive.read("README.txt").decode("utf-8")
        fit = archive.read("fit/upper--plus-3-sets-minus-2-reps.fit")
    assert full in index
    assert full in readme
    assert b"Session 1 \xc2\xb7 +3 sets, -2 reps\x00" in fit  # the watch's 31 bytes
