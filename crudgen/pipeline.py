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
    from crudgen.sources import is_spec

    models_module = None
    if any(is_spec(source) for source in config.sources):
        from crudgen.sources.yaml_spec import load_spec

        spec = load_spec(config.sources, title=config.title)
        # The spec's per-model options, with [tool.crudgen]'s on top, key by key.
        config = config.under_model_options(spec.model_options)
        project, warnings, models_module = spec.project, spec.warnings, spec.models_module
    else:
        from crudgen.sources.sqlalchemy import load_project

        loaded = load_project(config.sources, title=config.title, type_map=config.type_map)
        project, warnings = loaded.project, loaded.warnings
    project = apply_options(project, config)
    rendered = render_project(project, config, models_module=models_module)
    formatted = format_files(rendered, line_length=config.line_length)
    plan = build_plan(config.out_dir, formatted, force=config.force)
    return PlannedRun(plan, warnings)
