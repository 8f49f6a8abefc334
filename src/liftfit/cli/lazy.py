"""A click group whose commands are imported only when they run.

The group knows each command by name, module and help line (the first paragraph of the
command's docstring), so ``liftfit --help`` lists them without importing any.
"""

from __future__ import annotations

import gc
import importlib
from typing import Any

import click


class LazyGroup(click.Group):
    """Commands from ``lazy``: name → (module in ``liftfit.cli``, help line); the module's
    ``command`` is the command."""

    def __init__(self, *args: Any, lazy: dict[str, tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy = lazy

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.commands, *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in self.lazy:
            # What is imported lives as long as the process: frozen, the garbage collector
            # does not walk it again at every collection (1.6 % of `liftfit build`).
            gc.freeze()
            module = importlib.import_module(f".{self.lazy[cmd_name][0]}", __package__)
            gc.freeze()
            self.add_command(module.command, cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """As click lists commands, each help line shortened the way click shortens a
        docstring, but without importing the commands."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = []
        for name in names:
            command = self.commands.get(name) or click.Command(name, help=self.lazy[name][1])
            rows.append((name, command.get_short_help_str(limit)))
        with formatter.section("Commands"):
            formatter.write_dl(rows)
