"""One module per target; each turns a lowered workout into bytes plus warnings.

``FORMATS`` is the table ``build`` walks: the format's name, the folder it writes in and the
file extension. Modules are imported only when their format is built.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from liftfit.ir import LoweredWorkout


@dataclass(frozen=True)
class Output:
    data: bytes
    warnings: tuple[str, ...] = ()


def json_output(body: object, warnings: tuple[str, ...] = ()) -> Output:
    """A JSON file as liftfit writes them: UTF-8, indented by 2, keys in the order given,
    newline-terminated (the bytes of ``json.dumps(indent=2, ensure_ascii=False)``; orjson
    writes them about 15 times faster, since Python's own encoder is pure Python whenever it
    indents)."""
    import orjson

    return Output(
        orjson.dumps(body, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE), warnings
    )


@dataclass(frozen=True)
class Format:
    name: str
    folder: str
    extension: str
    module: str
    function: str

    def export(self, workout: LoweredWorkout) -> Output:
        encode: Callable[[LoweredWorkout], Output] = getattr(
            importlib.import_module(self.module), self.function
        )
        return encode(workout)


FORMATS: dict[str, Format] = {
    "fit": Format("fit", "fit", ".fit", "liftfit.exporters.fit", "fit_output"),
    "html": Format("html", "html", ".html", "liftfit.exporters.html", "html_output"),
    "coros": Format("coros", "coros", ".json", "liftfit.exporters.coros", "coros_output"),
    "garmin-connect": Format(
        "garmin-connect",
        "garmin-connect",
        ".json",
        "liftfit.exporters.garmin_connect",
        "connect_output",
    ),
}


def workout_file(format_name: str, slug: str) -> str:
    """Where a workout's file of one format goes in a build or a pack: ``fit/heavy.fit``."""
    fmt = FORMATS[format_name]
    return f"{fmt.folder}/{slug}{fmt.extension}"
