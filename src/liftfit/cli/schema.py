"""``liftfit schema``: JSON Schema of the files liftfit reads, for editor completion."""

from __future__ import annotations

import json

import click

_KINDS = ("workout", "plan", "profile", "exercises")


@click.command("schema")
@click.argument("kind", type=click.Choice(_KINDS), default="workout")
def command(kind: str) -> None:
    """Print the JSON Schema of a workout file (or of a plan, the athlete profile, or the
    library's own exercises, exercises.yaml in the workouts folder).

    Point your editor's YAML language server at it, e.g. with a first line
    `# yaml-language-server: $schema=workout.schema.json`.
    """
    from pydantic import BaseModel

    from liftfit.custom import ExercisesFile
    from liftfit.model import Profile, Workout
    from liftfit.plan import Plan

    models: dict[str, type[BaseModel]] = {
        "workout": Workout,
        "plan": Plan,
        "profile": Profile,
        "exercises": ExercisesFile,
    }
    schema = models[kind].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    click.echo(json.dumps(schema, indent=2))
