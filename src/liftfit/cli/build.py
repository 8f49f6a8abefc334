"""``liftfit build``: compile workouts into files for watches and apps."""

from __future__ import annotations

from pathlib import Path

import click

from liftfit.cli.options import compile_options, inputs, paths_or_default
from liftfit.exporters import FORMATS


@click.command("build")
@inputs
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("build"),
    show_default=True,
    help="Folder to write into; each format gets a subfolder (fit/, …).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help="Only these formats (repeatable) [default: all].",
)
@compile_options
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
def command(
    paths: tuple[Path, ...],
    output: Path,
    formats: tuple[str, ...],
    profile: Path | None,
    max_steps: int,
    quiet: bool,
) -> None:
    """Compile workouts (default: the workouts/ folder) into OUTPUT.

    Every file is checked first; if any has a problem, each is reported as
    file:line:col and nothing is written (exit 1).
    """
    from liftfit.api import compile_paths, find_profile
    from liftfit.delivery import write_atomic

    chosen = formats or tuple(FORMATS)
    results = compile_paths(
        paths_or_default(paths),
        formats=chosen,
        profile=find_profile(profile),
        max_steps=max_steps,
    )
    written = 0
    for compiled in results:
        for name, out in compiled.outputs.items():
            fmt = FORMATS[name]
            if write_atomic(
                output / fmt.folder / f"{compiled.source.slug}{fmt.extension}", out.data
            ):
                written += 1
        if not quiet:
            for line in (*compiled.lowered.fidelity, *compiled.warnings):
                click.echo(f"  note: {compiled.source.slug}: {line}", err=True)
    if not quiet:
        files = len(results) * len(chosen)
        click.echo(
            f"built {len(results)} workouts into {output}/ ({', '.join(chosen)}): "
            f"{files} files, {written} changed"
        )
