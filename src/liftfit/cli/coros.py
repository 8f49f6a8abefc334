"""``liftfit coros``: log in to COROS Training Hub, push workouts, schedule plans, safely.

requests and bcrypt are imported inside the commands, never at ``--help`` time.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
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

if TYPE_CHECKING:
    from liftfit.coros import sync
    from liftfit.coros.api import Session
    from liftfit.upsert import Local

REGIONS = ("auto", "eu", "us", "cn", "ap")


@click.group("coros")
def command() -> None:
    """COROS Training Hub: log in once, then push workouts and schedule plans.

    Push is an upsert: each program carries a marker (liftfit:<file>:<hash>) in
    its overview, so a re-run sends nothing for unchanged workouts, updates
    changed ones in place and never duplicates one. Schedule puts a plan's
    sessions on the COROS training calendar the same way. The COROS app then
    syncs them to the watch. The token lives in LIFTFIT_COROS_TOKENS or your
    user data folder.
    """


@command.command("login")
@click.option("--email", envvar="COROS_EMAIL", help="COROS account email [env: COROS_EMAIL].")
@click.option(
    "--region",
    type=click.Choice(REGIONS),
    default="auto",
    show_default=True,
    help="Your account's region; auto tries each region's host.",
)
def login(email: str | None, region: str) -> None:
    """Log in to COROS and save the token (asks for the two-factor code if it is on).

    The password comes from COROS_PASSWORD or a hidden prompt; it is sent to
    COROS (as a salted hash) and never stored. Logging in ends any other session
    of the account, such as Training Hub open in a browser.
    """
    from liftfit.coros import login as account
    from liftfit.coros.api import NotLoggedIn

    if account.load_tokens() is not None:
        try:
            who = account.open_session(relogin=False).account_name()
        except NotLoggedIn:
            account.delete_tokens()  # a stale token: replace it
        else:
            click.echo(
                f"Already logged in as {who} (token in {account.token_folder()}); "
                "`liftfit coros logout` first to switch accounts."
            )
            return
    email = email or click.prompt("COROS email")
    password = os.environ.get(account.ENV_PASSWORD) or click.prompt(
        "COROS password", hide_input=True
    )
    tokens = account.login(
        email,
        password,
        hosts=account.hosts_for(region),
        prompt_code=lambda: str(click.prompt("Two-factor code (COROS sent it to your email)")),
    )
    folder = account.token_folder()
    click.echo(f"Logged in as {tokens.email} on {tokens.host}; token saved in {folder}.")


@command.command("logout")
def logout() -> None:
    """Delete the saved COROS token (your workouts on COROS stay)."""
    from liftfit.coros import login as account

    deleted = account.delete_tokens()
    if deleted is None:
        click.echo(f"Not logged in (no token in {account.token_folder()}).")
    else:
        click.echo(f"Logged out: deleted {deleted}.")


def _progress(total: int, label: str) -> Callable[[Any], None]:
    """A line on stderr per write of a long run (three writes or more): ``label n/total: what``."""
    done = 0

    def step(item: Any) -> None:
        nonlocal done
        done += 1
        if total >= 3:
            local = getattr(item, "local", None)
            what = local.slug if local is not None else getattr(item, "what", "")
            click.echo(f"{label} {done}/{total}: {what}", err=True)

    return step


def _locals(paths: tuple[Path, ...], profile: Path | None, max_steps: int) -> list[Local]:
    from liftfit.coros.sync import locals_from

    return locals_from(compile_named(paths, profile, max_steps, formats=[]))


@command.command("status")
@inputs
@compile_options
def status(paths: tuple[Path, ...], profile: Path | None, max_steps: int) -> None:
    """Show which workouts (default: workouts/) are on COROS, changed there or here, or missing.

    Reads the account's workout library only; sends no write.
    """
    from liftfit.coros import login as account
    from liftfit.coros.shape import content_hash
    from liftfit.coros.sync import remotes_from
    from liftfit.upsert import match, status_lines

    local = _locals(paths, profile, max_steps)
    session = account.open_session()
    listed = session.programs()
    stored = {str(p.get("id")): p for p in listed}
    plan = match(local, remotes_from(listed), whole_library=not paths)
    for action in plan.of("unchanged", "update", "different"):
        assert action.remote is not None
        marker = action.remote.marker
        if content_hash(stored[action.remote.id]) not in (marker.content_hash, marker.stored_hash):
            action.kind = "edited"
    for line in status_lines(plan, len(local), "COROS"):
        click.echo(line)


@command.command("push")
@push_options(
    dry_run="Print the requests push would send; send no write (needs no login).",
    force="Also overwrite programs that were changed on COROS since the last push.",
)
def push(
    paths: tuple[Path, ...], dry_run: bool, force: bool, profile: Path | None, max_steps: int
) -> None:
    """Upload workouts (default: workouts/) to your COROS library: create, update, or nothing.

    New workouts are created, changed ones updated in place, unchanged ones not
    sent at all. Programs liftfit did not create are never touched, nor ones
    changed on COROS since liftfit sent them (unless --force). Every workout is
    checked against COROS's rules before anything is sent, and each write is read
    back and compared. If COROS fails mid-way, run push again: nothing is duplicated.
    """
    from liftfit import upsert
    from liftfit.coros.sync import Coros

    local = _locals(paths, profile, max_steps)
    session = _session_or_none(dry_run)
    if session is None:
        _echo_planned_pushes(upsert.match(local, [], whole_library=False), [])
        click.echo(
            f"dry run: {_not_compared()}: {count(len(local), 'program')} to create, less any "
            "already there; nothing sent"
        )
        return
    service = Coros(session)
    plan = upsert.plan(service, local, whole_library=not paths, force=force)
    if dry_run:
        from liftfit.coros.sync import request

        echo_dry_run_push(plan, upsert.conflict_lines(service, plan), request)
        return
    report = upsert.push(service, plan, progress=_progress(len(plan.writes), "COROS push"))
    echo_pushed("COROS", plan, report, upsert.conflict_lines(service, plan))
    lines = upsert.result_lines(service, plan, report)
    if lines:
        raise RemoteProblems(lines)


def _echo_planned_pushes(plan: sync.Plan, conflicts: list[str]) -> None:
    from liftfit.coros.sync import request

    echo_planned_pushes(plan, conflicts, request)


def _not_compared() -> str:
    """A dry run without a token: what it could not do."""
    from liftfit.coros import login as account

    return (
        f"not logged in to COROS (no token in {account.token_folder()}), so this could not be "
        "compared with it"
    )


def _session_or_none(dry_run: bool) -> Session | None:
    """The saved login; in a dry run without one, None (the run cannot compare)."""
    from liftfit.coros import login as account

    if dry_run and account.load_tokens() is None:
        return None
    return account.open_session()


@command.command("schedule")
@schedule_options(
    dry_run="Print the calendar changes schedule would send; send nothing (needs no login)."
)
def schedule(
    plan: str, start: datetime | None, dry_run: bool, profile: Path | None, max_steps: int
) -> None:
    """Put PLAN's sessions on the COROS training calendar, from --start (or the plan's start).

    Each calendar entry holds its own copy of the workout. The calendar is read
    over the plan's dates, and only what differs is sent: each missing session is
    added, each of liftfit's entries that no session wants (or that holds an older
    version of the workout) is removed. A re-run sends nothing. Entries you added
    yourself, and any entry outside the plan's dates, are never touched.
    PLAN is a plan file, or the name of one in workouts/plans/.
    """
    from liftfit.api import compile_sources, find_profile
    from liftfit.calendar_sync import result_lines as calendar_result_lines
    from liftfit.coros import schedule as calendar_sync
    from liftfit.coros.shape import checked_programs

    calendar = dated_plan(plan, start)
    compiled = compile_sources(
        [variant.source for variant in calendar.variants],
        formats=[],
        profile=find_profile(profile, [calendar.source.path]),
        max_steps=max_steps,
    )
    programs = {
        item.source.slug: program
        for item, program in zip(compiled, checked_programs(compiled), strict=True)
    }
    wanted = [
        calendar_sync.Wanted(s.date, s.variant.slug, programs[s.variant.slug])
        for s in calendar.sessions
    ]
    span = f"{calendar.start.isoformat()} to {calendar.end.isoformat()}"
    session = _session_or_none(dry_run)
    if session is None:
        for session_ in wanted:
            click.echo(f"add     {session_.day.isoformat()}  {session_.slug}")
        click.echo(
            f"dry run: {_not_compared()}: {count(len(wanted), 'session')} to schedule from "
            f"{span}, less any already there; nothing sent"
        )
        return
    entries = calendar_sync.read_calendar(session, calendar.start, calendar.end).entries
    changes = calendar_sync.reconcile(wanted, entries)
    if dry_run:
        for change in changes.changes:
            click.echo(f"{change.kind:<7} {change.day.isoformat()}  {change.what}")
        for line in calendar_sync.conflict_lines(changes):
            click.echo(f"skip    {line}")
        click.echo(
            f"dry run: {len(changes.of('add'))} to add and {len(changes.of('remove'))} to "
            f"remove from {span}, {len(changes.kept)} already on the calendar; nothing sent"
        )
        return
    total = len(changes.changes)
    progress = _progress(total, "COROS calendar")
    done = calendar_sync.apply(session, changes, calendar.start, calendar.end, progress=progress)
    echo_scheduled(f"COROS calendar {span}", changes, done)
    lines = calendar_sync.conflict_lines(changes) + calendar_result_lines(changes, done)
    if lines:
        raise RemoteProblems(lines)
