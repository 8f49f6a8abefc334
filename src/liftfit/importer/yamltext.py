"""Writing the workout file: YAML a person would write (block style, the format's order)."""

from __future__ import annotations

from typing import Any

import yaml


def workout_yaml(document: dict[str, Any]) -> str:
    """YAML of a workout document: block style, keys as given, multi-line notes as ``|``."""
    return yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=100,
    )


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing multi-line text as a literal block."""


def _represent_str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    style = "|" if "\n" in text else None
    if any(char in text for char in _OTHER_LINE_BREAKS):
        style = '"'  # escaped: PyYAML folds a NEL in its other styles into a line break
    return dumper.represent_scalar("tag:yaml.org,2002:str", text, style=style)


_OTHER_LINE_BREAKS = ("\r", "\x85", "\u2028", "\u2029")


_Dumper.add_representer(str, _represent_str)
