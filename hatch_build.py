"""Metadata hook: say plainly that liftfit needs Python 3.12, before pip looks at dependencies.

pip checks a local project's Requires-Python only after resolving its dependencies, so on
Python 3.11 `pip install .` would end in "No matching distribution found for garminconnect"
instead of naming the real cause.
"""

from __future__ import annotations

import sys
from typing import Any

from hatchling.metadata.plugin.interface import MetadataHookInterface

NEEDED = (3, 12)


class CustomMetadataHook(MetadataHookInterface):
    def update(self, metadata: dict[str, Any]) -> None:
        metadata["classifiers"] = [
            "Programming Language :: Python :: 3",
            "Programming Language :: Python :: 3.12",
            "Programming Language :: Python :: 3.13",
            "Environment :: Console",
        ]
        if sys.version_info < NEEDED:
            found = ".".join(str(n) for n in sys.version_info[:3])
            raise SystemExit(
                f"liftfit needs Python {NEEDED[0]}.{NEEDED[1]} or newer; this is Python {found}. "
                "Install with `uv tool install .`, or make a venv with python3.12."
            )
