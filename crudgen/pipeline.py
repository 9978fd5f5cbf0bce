"""The stages end to end: source -> IR -> render -> format -> plan. Writes nothing."""

from __future__ import annotations

from dataclasses import dataclass

from crudgen.config import Config
from crudgen.plan import Plan, build_plan


@dataclass(frozen=True)
class PlannedRun:
    plan: Plan
    warnings: tuple[str, ...]


def plan_run(config: Config) -> PlannedRun:
    # Imported here so the CLI starts without SQLAlchemy, Jinja or black loaded.
    from crudgen.formatting import format_files
    from crudgen.options import apply_options
    from crudgen.render import render_project
    from crudgen.sources.sqlalchemy import load_project

    loaded = load_project(config.sources, title=config.title)
    project = apply_options(loaded.project, config)
    rendered = render_project(project, config)
    formatted = format_files(rendered, line_length=config.line_length)
    plan = build_plan(config.out_dir, formatted, force=config.force)
    return PlannedRun(plan, loaded.warnings)
