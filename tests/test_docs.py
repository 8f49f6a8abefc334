"""The README's promises and the CLI's help text."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from liftfit.cli import cli
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text("utf-8")


def test_readme_opens_with_the_two_commands() -> None:
    block = README.split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in block.splitlines()]
    assert commands == ["uv run liftfit build", "uv run pytest"]


def test_readme_python_example_runs() -> None:
    example = re.search(r"```python\n(.*?)```", README, re.S)
    assert example is not None
    exec(compile(example.group(1), "README.md", "exec"), {})


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command path, walked the public way (the top-level commands load on demand)."""
    ctx = click.Context(group)
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found += _commands(command, (*prefix, name))
    return found


@pytest.mark.parametrize("path", _commands(cli), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"])
    assert result.exit_code == 0
    assert "Usage:" in result.output
    command: click.Command | None = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.get_command(click.Context(command), name)
    assert command is not None
    assert command.help and len(command.help) > 20
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{' '.join(path)} {param.opts[0]} has no help"


def test_readme_lists_every_top_level_command() -> None:
    for name in cli.list_commands(click.Context(cli)):
        assert f"liftfit {name}" in README, name


def test_an_install_on_an_old_python_names_the_cause(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    hook_module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook_module)
    hook = hook_module.CustomMetadataHook(str(ROOT), {})
    metadata: dict[str, object] = {}
    hook.update(metadata)  # this Python is new enough: classifiers, no complaint
    assert "Programming Language :: Python :: 3.12" in metadata["classifiers"]  # type: ignore[operator]
    monkeypatch.setattr(sys, "version_info", (3, 11, 7, "final", 0))
    with pytest.raises(
        SystemExit, match=r"^liftfit needs Python 3\.12 or newer; this is Python 3\.11\.7"
    ):
        hook.update({})


DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# The one place a doc names files outside the repository: where the tests look for the
# optional reference files (README, Install).
OUTSIDE_ALLOWED = "in `../shared/reference` (or where `LIFTFIT_REFERENCE` points)"
REPO_PATH = re.compile(r"`((?:docs|src|tests|scripts|benchmarks|workouts|samples)/[\w./-]+)`")
MD_LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_docs_link_only_to_files_in_the_repo(doc: Path) -> None:
    text = doc.read_text("utf-8").replace(OUTSIDE_ALLOWED, "")
    outside = [m.group(0) for m in re.finditer(r"\.\./shared\S*|\breference/\S+", text)]
    assert outside == [], f"{doc.name} points at files a user does not have"
    missing = [
        target
        for target in MD_LINK.findall(text)
        if "://" not in target and not (doc.parent / target).exists()
    ]
    missing += [path for path in REPO_PATH.findall(text) if not (ROOT / path.rstrip("/.")).exists()]
    assert missing == [], f"{doc.name} links to files that are not in the repo"
