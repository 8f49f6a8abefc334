"""YAML files as plain data that remembers where each value was written, read safely.

Reading is two passes over libyaml's output:

1. The event stream is walked once, without building anything, to bound the work before it
   is done: a file deeper than ``MAX_DEPTH`` or holding more than ``MAX_VALUES`` values once
   its aliases are expanded (the "billion laughs" file grows past gigabytes) is refused, and
   so is an alias inside the value it names (a recursive alias). Each is one located problem.
2. The node tree is turned into plain data with the line and column of every value and key,
   duplicate keys reported, ``<<`` merge keys applied (the usual YAML way to share defaults:
   keys written beside the merge win), and tags other than YAML's own refused.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from liftfit.errors import InvalidInput, Problem
from liftfit.safe import Unreadable, clip, read_regular

Loc = tuple[str | int, ...]
Mark = tuple[int, int]

MAX_FILE_BYTES = 2 << 20  # 2 MB: a 500-step workout is about 20 kB
MAX_DEPTH = 32
MAX_VALUES = 50_000

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_YAML_TAG = "tag:yaml.org,2002:"
_MERGE = "tag:yaml.org,2002:merge"


@dataclass
class Document:
    """A YAML file's data, with the line and column of each value (``marks``) and key."""

    data: Any
    marks: dict[Loc, Mark]
    key_marks: dict[Loc, Mark]


def render_loc(loc: Loc) -> str:
    """``("steps", 2, "reps")`` → ``steps[2].reps``."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def read_yaml(path: Path, text: str | None = None) -> Document:
    """Parse one YAML file (at most ``MAX_FILE_BYTES``, a regular file); raise InvalidInput
    with every syntax error, duplicate key or bound exceeded, each located."""
    if text is None:
        text = _read_text(path)
    try:
        _check_bounds(path, text)
        node = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        what = " ".join(str(error.problem or error.context or "").split())
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        problem = Problem(path, f"YAML syntax error: {what}", line, col)
        raise InvalidInput([_explained(problem, text)]) from None
    except yaml.YAMLError as error:
        raise InvalidInput([Problem(path, f"YAML error: {' '.join(str(error).split())}")]) from None
    if node is None:
        raise InvalidInput([Problem(path, "the file is empty")])
    composer = _Composer(path)
    data = composer.build(node, ())
    if composer.problems:
        raise InvalidInput(composer.problems)
    return Document(data, composer.marks, composer.key_marks)


_WORDS_WITHOUT_COLON = re.compile(r"^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)\s+[^\s:#][^:]*$")


def _explained(problem: Problem, text: str) -> Problem:
    """A YAML syntax error said the way to fix it, where the usual causes can be seen:
    a tab in the indentation, or a key whose ':' was left out (YAML notices it a line later)."""
    lines = text.splitlines()
    if problem.line is None or problem.line > len(lines) + 1:
        return problem
    here = lines[problem.line - 1] if problem.line <= len(lines) else ""
    if "\t" in here[: (problem.column or 1)]:
        column = here.index("\t") + 1
        return replace(
            problem, message="YAML syntax error: indent with spaces, not tabs", column=column
        )
    for number in range(problem.line, max(0, problem.line - 3), -1):
        found = _WORDS_WITHOUT_COLON.match(lines[number - 1]) if number <= len(lines) else None
        if found:
            return replace(
                problem,
                message=f"YAML syntax error: missing ':' after {found.group(2)!r}?",
                line=number,
                column=len(found.group(1)) + len(found.group(2)) + 1,
            )
    return problem


def _read_text(path: Path) -> str:
    try:
        data = read_regular(path, MAX_FILE_BYTES, "YAML file")
    except Unreadable as error:
        raise InvalidInput([Problem(path, str(error))]) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise InvalidInput([Problem(path, "not a text file (expected UTF-8 YAML)")]) from None


def _check_bounds(path: Path, text: str) -> None:
    """Walk the events once: depth, expanded size and recursive aliases, before composing."""
    sizes: dict[str, int] = {}  # anchor → values it stands for, once its node has ended
    open_anchors: list[str | None] = []
    counts: list[int] = [0]
    total = 0

    def refuse(event: yaml.Event, message: str) -> None:
        mark = event.start_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
        raise InvalidInput([Problem(path, message, line, col)])

    for event in yaml.parse(text, Loader=_Loader):
        if isinstance(event, yaml.AliasEvent):
            anchor = str(event.anchor)
            if anchor not in sizes:
                if anchor in open_anchors:
                    refuse(event, f"alias *{clip(anchor)} inside the value it names (recursive)")
                refuse(event, f"alias *{clip(anchor)} names no anchor")
            added = sizes[anchor]
        elif isinstance(event, yaml.ScalarEvent):
            added = 1
            if event.anchor is not None:
                sizes[str(event.anchor)] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            if len(counts) > MAX_DEPTH:
                refuse(event, f"nested more than {MAX_DEPTH} levels deep")
            open_anchors.append(None if event.anchor is None else str(event.anchor))
            counts.append(1)
            continue
        elif isinstance(event, yaml.CollectionEndEvent):
            added = counts.pop()
            anchor_name = open_anchors.pop()
            if anchor_name is not None:
                sizes[anchor_name] = added
        else:
            continue
        counts[-1] += added
        total += added
        if total > MAX_VALUES:
            refuse(
                event,
                f"more than {MAX_VALUES:,} values (with aliases expanded): "
                "far more than any workout or plan",
            )


class _Composer:
    """Turns a YAML node tree into plain data, recording marks and duplicate keys."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.marks: dict[Loc, Mark] = {}
        self.key_marks: dict[Loc, Mark] = {}
        self.problems: list[Problem] = []
        self._constructor = _Loader("")

    def problem(self, node: yaml.Node, message: str, loc: Loc) -> None:
        mark = node.start_mark
        self.problems.append(
            Problem(self.path, message, mark.line + 1, mark.column + 1, render_loc(loc))
        )

    def build(self, node: yaml.Node, loc: Loc) -> Any:
        self.marks[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if not self._plain(node, loc):
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, loc)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*loc, i)) for i, item in enumerate(node.value)]
        return self._scalar(node, loc)

    def _scalar(self, node: yaml.Node, loc: Loc) -> Any:
        try:
            value = self._constructor.construct_object(node)
        except ValueError:
            # 2026-02-30 looks like a YAML timestamp but is no date: keep the text, so that
            # validation reports it where it is.
            return node.value
        except yaml.YAMLError as error:
            what = getattr(error, "problem", None) or error
            self.problem(node, f"YAML error: {' '.join(str(what).split())}", loc)
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.problem(node, f"expected a finite number, got {clip(node.value)}", loc)
            return None
        return value

    def _mapping(self, node: yaml.MappingNode, loc: Loc) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        merged: list[yaml.Node] = []
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE:
                merged.extend(self._merge_sources(value_node, loc))
                continue
            key = self._key(key_node, loc)
            if key is None:
                continue
            key_loc = (*loc, key)
            line, col = key_node.start_mark.line + 1, key_node.start_mark.column + 1
            if key in result:
                first = self.key_marks[key_loc][0]
                self.problem(
                    key_node,
                    f"duplicate key {clip(repr(key))} (first given on line {first})",
                    key_loc,
                )
                continue
            self.key_marks[key_loc] = (line, col)
            result[key] = self.build(value_node, key_loc)
        for source in merged:  # keys written beside the merge win over merged ones
            for key_node, value_node in source.value:
                key = self._key(key_node, loc)
                if key is not None and key not in result:
                    key_loc = (*loc, key)
                    self.key_marks[key_loc] = (
                        key_node.start_mark.line + 1,
                        key_node.start_mark.column + 1,
                    )
                    result[key] = self.build(value_node, key_loc)
        return result

    def _merge_sources(self, value: yaml.Node, loc: Loc) -> list[yaml.MappingNode]:
        """What ``<<:`` merges: a mapping, or a list of mappings (earlier ones win)."""
        items = value.value if isinstance(value, yaml.SequenceNode) else [value]
        found = [item for item in items if isinstance(item, yaml.MappingNode)]
        if len(found) != len(items):
            self.problem(
                value, "<< merges a mapping (or a list of mappings), like <<: *defaults", loc
            )
        return found

    def _key(self, node: yaml.Node, loc: Loc) -> Any:
        """A mapping key: plain text or a number; a list or mapping as a key is a problem."""
        if not isinstance(node, yaml.ScalarNode):
            kind = "list" if isinstance(node, yaml.SequenceNode) else "mapping"
            self.problem(node, f"a key must be plain text, got a {kind}", loc)
            return None
        return self._scalar(node, loc) if self._plain(node, loc) else None

    def _plain(self, node: yaml.Node, loc: Loc) -> bool:
        """Whether the node carries only YAML's own tags; a problem where it does not."""
        if node.tag.startswith(_YAML_TAG):
            return True
        self.problem(node, f"unknown YAML tag {clip(node.tag)} (liftfit reads plain YAML)", loc)
        return False
