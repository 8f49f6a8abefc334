"""``liftfit garmin``: log in to Garmin Connect and push workouts to it, safely.

garminconnect (and requests) are imported inside the commands, never at ``--help`` time.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from liftfit.cli.options import (
    compile_options,
    inputs,
    push_options,
    schedule_options,
)
from liftfit.cli.plan import dated_plan
from liftfit.cli.remote import (
    compile_named,
    count,
    echo_dry_run_push,
    echo_planned_pushes,
    echo_pushed,
    echo_scheduled,
)
from liftfit.errors import RemoteProblems

# Connect's calendar holds no dates before 2000 (a schedule there is refused or lost).
CONNECT_FIRST_DAY = date(2000, 1, 1)

if TYPE_CHECKING:
    from liftfit.garmin import sync
    from liftfit.garmin.schedule import CalendarPlan
    from liftfit.upsert import Local


@click.group("garmin")
def command() -> None:
    """Garmin Connect: log in once, then push workouts and schedule plans.

    Push is an upsert: each workout carries a marker (liftfit:<file>:<hash>) in
    its description, so a re-run sends nothing for unchanged workouts, updates
    changed ones in place (calendar entries stay) and never duplicates one.
    Schedule puts a plan's sessions on the Connect calendar the same way; pull
    downloads the workouts you built in Connect as workout files.
    Tokens live in LIFTFIT_GARMIN_TOKENS or your user data folder; every
    command stops after LIFTFIT_GARMIN_DEADLINE seconds (default 600) of
    waiting for Connect.
    """


@command.command("login")
@click.option("--email", envvar="GARMIN_EMAIL", help="Garmin account email [env: GARMIN_EMAIL].")
def login(email: str | None) -> None:
    """Log in to Garmin Connect and save the tokens (asks for an MFA code if needed).

    The password comes from GARMIN_PASSWORD or a hidden prompt; it is sent to
    Garmin once and never stored. Later commands reuse the saved tokens.
    """
    from liftfit.garmin import gateway

    if gateway.TOKENS.exists():
        try:
            session = gateway.open_session()
        except gateway.NotLoggedIn:
            pass  # refused: replaced once the new login succeeded, not before
        else:
            folder = gateway.token_folder()
            click.echo(
                f"Already logged in as {session.display_name} (tokens in {folder}); "
                "`liftfit garmin logout` first to switch accounts."
            )
            return
    if gateway.api_url():
        raise click.UsageError(
            f"{gateway.ENV_API_URL} is set: it redirects the API, not Garmin's sign-in, so a "
            f"password login is not possible; put a token file in {gateway.token_folder()}"
        )
    email = email or click.prompt("Garmin email")
    password = os.environ.get("GARMIN_PASSWORD") or click.prompt("Garmin password", hide_input=True)
    name = gateway.login(
        email,
        password,
        prompt_mfa=lambda: str(
            click.prompt("MFA code (from Garmin's email or your authenticator app)")
        ),
    )
    click.echo(f"Logged in as {name}; tokens saved in {gateway.token_folder()}.")


@command.command("logout")
def logout() -> None:
    """Delete the saved Garmin Connect tokens (your workouts on Connect stay)."""
    from liftfit.garmin import gateway

    deleted = gateway.logout()
    if deleted is None:
        click.echo(f"Not logged in (no tokens in {gateway.token_folder()}).")
    else:
        click.echo(f"Logged out: deleted {deleted}.")


def _locals(paths: tuple[Path, ...], profile: Path | None, max_steps: int) -> list[Local]:
    from liftfit.garmin.sync import FORMAT, locals_from

    return locals_from(compile_named(paths, profile, max_steps, formats=[FORMAT]))


@command.command("status")
@inputs
@compile_options
def status(paths: tuple[Path, ...], profile: Path | None, max_steps: int) -> None:
    """Show which workouts (default: workouts/) are on Garmin Connect, changed, or missing.

    Reads the account's workout list only; sends no write.
    """
    from liftfit.garmin import gateway
    from liftfit.garmin.sync import Connect
    from liftfit.upsert import match, status_lines

    local = _locals(paths, profile, max_steps)
    session = gateway.open_session()
    plan = match(local, Connect(session).remotes(), whole_library=not paths)
    for line in status_lines(plan, len(local), "Connect"):
        click.echo(line)


@command.command("push")
@push_options(
    dry_run="Print the requests push would send; send no write (works without a login).",
    force="Also overwrite workouts that were changed on Garmin Connect since the last push.",
)
def push(
    paths: tuple[Path, ...], dry_run: bool, force: bool, profile: Path | None, max_steps: int
) -> None:
    """Upload workouts (default: workouts/) to Garmin Connect: create, update, or nothing.

    New workouts are created, changed ones updated in place (their id and
    calendar entries stay), unchanged ones not sent at all. Workouts liftfit did
    not create are never touched. Each write is read back and compared. On a
    rate limit (HTTP 429) push stops; run it again later, nothing is duplicated.
    """
    from liftfit import upsert
    from liftfit.garmin import gateway
    from liftfit.garmin.sync import Connect

    local = _locals(paths, profile, max_steps)
    if dry_run and not gateway.TOKENS.exists():
        _echo_planned_pushes(upsert.match(local, [], whole_library=False), [])
        click.echo(
            f"dry run: {_not_compared()}: {count(len(local), 'workout')} to create, less any "
            "already there; nothing sent"
        )
        return
    connect = Connect(gateway.open_session())
    plan = upsert.plan(connect, local, whole_library=not paths, force=force)
    if dry_run:
        from liftfit.garmin.sync import request

        echo_dry_run_push(plan, upsert.conflict_lines(connect, plan), request)
        return
    _, lines = _push(connect, plan)
    if lines:
        raise RemoteProblems(lines)


def _not_compared() -> str:
    """A dry run without tokens: what it could not do."""
    from liftfit.garmin import gateway

    return (
        f"not logged in to Garmin Connect (no tokens in {gateway.TOKENS.folder}), so this "
        "could not be compared with it"
    )


def _echo_planned_pushes(plan: sync.Plan, conflicts: list[str]) -> None:
    from liftfit.garmin.sync import request

    echo_planned_pushes(plan, conflicts, request)


def _push(connect: sync.Connect, plan: sync.Plan) -> tuple[sync.Report, list[str]]:
    """Send a push plan's writes and say what was done; the lines to end with (exit 3)."""
    from liftfit import upsert

    writes = plan.writes
    conflicts = upsert.conflict_lines(connect, plan)
    with _progress(len(writes), "Pushing to Garmin Connect") as step:
        report = upsert.push(connect, plan, progress=step)
    echo_pushed("Garmin Connect", plan, report, conflicts)
    return report, upsert.result_lines(connect, plan, report)


@contextlib.contextmanager
def _progress(total: int, label: str) -> Iterator[Any]:
    """A progress bar on stderr for long runs on a terminal; else nothing."""
    if total < 3 or not sys.stderr.isatty():
        yield None
        return
    bar: Any = click.progressbar(
        length=total,
        label=label,
        file=sys.stderr,
        item_show_func=lambda item: _progress_label(item) if item else None,
    )
    with bar:

        def step(item: Any) -> None:
            bar.update(1, item)

        yield step


def _progress_label(item: Any) -> str:
    local = getattr(item, "local", None)
    return str(local.slug) if local is not None else str(getattr(item, "what", ""))


@command.command("schedule")
@schedule_options(
    dry_run="Print the requests schedule would send (workouts and calendar); send no write "
    "(works without a login).",
    force="Also overwrite plan workouts that were changed on Garmin Connect since the last push.",
)
def schedule(
    plan: str,
    start: datetime | None,
    dry_run: bool,
    force: bool,
    profile: Path | None,
    max_steps: int,
) -> None:
    """Put PLAN's sessions on the Garmin Connect calendar, from --start (or the plan's start).

    The workouts the sessions use (the plan's variants) are pushed first, as by
    `push`. Then the calendar is read over the plan's dates, and only what differs
    is sent: each missing session is scheduled, each entry of a liftfit workout
    that no session wants is taken off. A re-run sends nothing. Entries of other
    workouts, and any entry outside the plan's dates, are never touched.
    PLAN is a plan file, or the name of one in workouts/plans/.
    """
    from liftfit import upsert
    from liftfit.api import compile_sources, find_profile
    from liftfit.calendar_sync import result_lines as calendar_result_lines
    from liftfit.garmin import gateway, sync
    from liftfit.garmin import schedule as calendar_sync

    calendar = dated_plan(plan, start)
    if calendar.start < CONNECT_FIRST_DAY:
        raise click.UsageError(
            f"start {calendar.start.isoformat()}: Garmin Connect's calendar takes dates from "
            f"{CONNECT_FIRST_DAY.isoformat()} on (give a later --start)"
        )
    compiled = compile_sources(
        [variant.source for variant in calendar.variants],
        formats=[sync.FORMAT],
        profile=find_profile(profile, [calendar.source.path]),
        max_steps=max_steps,
    )
    local = sync.locals_from(compiled)
    span = f"{calendar.start.isoformat()} to {calendar.end.isoformat()}"
    if dry_run and not gateway.TOKENS.exists():
        pushes: sync.Plan = upsert.match(local, [], whole_library=False)
        wanted, _ = calendar_sync.sessions_of(
            calendar, calendar_sync.workout_ids(pushes, None), dry_run=True
        )
        changes = calendar_sync.reconcile(wanted, [], {})
        _echo_planned_schedule(pushes, [], changes, [])
        click.echo(
            f"dry run: {_not_compared()}: {count(len(local), 'workout')} to create and "
            f"{count(len(changes.of('add')), 'session')} to schedule from {span}, less any "
            "already there; nothing sent"
        )
        return
    session = gateway.open_session()
    connect = sync.Connect(session)
    remote = connect.remotes()
    pushes = upsert.plan(connect, local, whole_library=False, force=force, remote=remote)
    entries = calendar_sync.read_calendar(session, calendar.start, calendar.end)
    duplicates = {r.id for a in pushes.of("duplicate") for r in a.remotes}
    owned = {r.id: r.marker.slug for r in remote}

    if dry_run:
        ids = calendar_sync.workout_ids(pushes, None)
        wanted, left = calendar_sync.sessions_of(calendar, ids, dry_run=True)
        changes = calendar_sync.reconcile(wanted, entries, owned, keep=duplicates)
        _echo_planned_schedule(pushes, upsert.conflict_lines(connect, pushes), changes, left)
        click.echo(
            f"dry run: {len(pushes.writes)} workout writes, "
            f"{len(changes.of('add'))} to schedule and {len(changes.of('remove'))} to remove "
            f"from {span}, {len(changes.kept)} already on the calendar; nothing sent"
        )
        return

    report, lines = _push(connect, pushes)
    if report.stopped is not None:
        unsent = len(pushes.writes) - len(report.done)
        lines[-1] = (
            f"{report.stopped} (stopped with {unsent} workout writes not sent; "
            "the calendar was not changed)"
        )
        raise RemoteProblems(lines)
    ids = calendar_sync.workout_ids(pushes, report)
    wanted, left = calendar_sync.sessions_of(calendar, ids, dry_run=False)
    owned |= {workout_id: action.local.slug for action, workout_id in report.done}
    changes = calendar_sync.reconcile(wanted, entries, owned, keep=duplicates)
    with _progress(len(changes.changes), "Scheduling on Garmin Connect") as step:
        done = calendar_sync.apply(session, changes, progress=step)
    echo_scheduled(f"Calendar {span}", changes, done)
    lines += left + calendar_result_lines(changes, done)
    if lines:
        raise RemoteProblems(lines)


def _echo_planned_schedule(
    pushes: sync.Plan, conflicts: list[str], changes: CalendarPlan, left: list[str]
) -> None:
    from liftfit.garmin.schedule import request

    _echo_planned_pushes(pushes, conflicts)
    for change in changes.changes:
        click.echo(f"{request(change)}  {change.day.isoformat()}  {change.what}")
    for line in left:
        click.echo(f"skip  {line}")


@command.command("pull")
@click.option(
    "-o",
    "--output",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("workouts"),
    show_default=True,
    help="Folder to write the workout files (<name>.yaml) into.",
)
@click.option("--force", is_flag=True, help="Overwrite workout files that exist and differ.")
@click.option(
    "--all",
    "everything",
    is_flag=True,
    help="Also pull the workouts liftfit pushed (skipped by default: their files are here).",
)
def pull(folder: Path, force: bool, everything: bool) -> None:
    """Download your Garmin Connect workouts as workout files (default: into workouts/).

    What you built in Connect's workout editor comes back as a person writes it:
    repeat groups as sets, circuits or repeats, reps, times and Lap presses, weights
    in their unit, step descriptions as notes. Each change the file cannot hold
    exactly is printed as `note: …`. An existing file is never overwritten unless
    --force is given; files are written atomically. Sends no write to Connect.
    """
    from liftfit.delivery import inside, write_atomic
    from liftfit.errors import InvalidInput
    from liftfit.garmin import gateway
    from liftfit.garmin import pull as pulling

    session = gateway.open_session()
    listed = session.workouts()
    chosen = []
    skipped = 0
    for summary in listed:
        label = f"{summary.get('workoutName')!r} ({summary.get('workoutId')})"
        why = pulling.is_pullable(summary)
        pushed = pulling.pushed_by_liftfit(summary)
        if why is None and pushed is not None and not everything:
            why = f"pushed by liftfit from {pushed} (--all pulls it too)"
        if why is not None:
            click.echo(f"{'skipped':<9} {label}: {why}")
            skipped += 1
            continue
        chosen.append(summary)
    pulled = []
    for summary in chosen:
        label = f"{summary.get('workoutName')!r} ({summary.get('workoutId')})"
        try:
            workout_id = summary.get("workoutId")
            if not isinstance(workout_id, int):
                raise gateway.UnexpectedAnswer("Garmin Connect listed it without a workout id")
            pulled.append(pulling.pull_workout(session.workout(workout_id)))
        except InvalidInput as error:  # nothing a workout file can hold, or unreadable
            why = "; ".join(p.message for p in error.problems)
            click.echo(f"{'skipped':<9} {label}: {why}")
            skipped += 1
        except gateway.UnexpectedAnswer as error:
            click.echo(f"{'skipped':<9} {label}: {error}")
            skipped += 1
    counts = {"pulled": 0, "unchanged": 0, "kept": 0}
    for item, stem in pulling.file_names(pulled):
        path = inside(folder, f"{stem}.yaml")
        data = item.yaml_text.encode("utf-8")
        if path.exists() and not force and path.read_bytes() != data:
            click.echo(f"{'kept':<9} {path}: it exists and differs (--force overwrites it)")
            counts["kept"] += 1
            continue
        for note in item.notes:
            click.echo(f"note: {stem}: {note}", err=True)
        written = write_atomic(path, data)
        verb = "pulled" if written else "unchanged"
        counts[verb] += 1
        click.echo(f"{verb:<9} {path}  ({item.name!r}, workout {item.workout_id})")
    click.echo(
        f"Garmin Connect: {len(listed)} workouts, {counts['pulled']} pulled, "
        f"{counts['unchanged']} unchanged, {counts['kept']} kept, {skipped} skipped"
    )
