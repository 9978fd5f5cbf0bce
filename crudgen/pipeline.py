"""The stages end to end: source -> IR -> render -> format -> plan. Writes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from crudgen.plan import Change, FileChange, Plan, build_plan

if TYPE_CHECKING:
    from crudgen.cache import RunCache
    from crudgen.config import Config
    from crudgen.files import RenderedFile


@dataclass(frozen=True)
class PlannedRun:
    plan: Plan
    warnings: tuple[str, ...]
    config: Config | None = None  # None: replayed from the cache, no pipeline ran


@dataclass(frozen=True)
class RenderedRun:
    files: list[RenderedFile]
    warnings: tuple[str, ...]
    config: Config  # with a YAML spec's per-model options under [tool.crudgen]'s


def plan_run(config: Config, *, cache: RunCache | None = None) -> PlannedRun:
    """cache: where to find and keep black's output for rendered texts seen before."""
    # Imported here so the CLI starts without SQLAlchemy, Jinja or black loaded.
    from crudgen.formatting import format_files, formatter_id

    if cache:
        cache.begin()
    rendered = render_run(config)
    config = rendered.config
    formatter = formatter_id(config.line_length)
    known = cache.formatted(formatter, config.out_dir) if cache else None
    formatted = format_files(rendered.files, line_length=config.line_length, known=known)
    if cache:
        cache.keep_formatted(formatter, config.out_dir, rendered.files, formatted)
    plan = build_plan(config.out_dir, formatted, force=config.force)
    return PlannedRun(plan, rendered.warnings, config)


def render_run(config: Config) -> RenderedRun:
    """Read the sources and render every file, before black."""
    from crudgen.options import apply_options, implicit_locking_warnings, secret_warnings
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
    configured = apply_options(project, config)
    warnings = (
        *warnings,
        *implicit_locking_warnings(project, configured, config),
        *secret_warnings(configured, config),
    )
    project = configured
    rendered = render_project(project, config, models_module=models_module)
    return RenderedRun(rendered, warnings, config)


def cached_run(cache: RunCache) -> PlannedRun | None:
    """The plan of a run the cache shows nothing has changed since: every file unchanged.
    Imports nothing of the pipeline (no SQLAlchemy, models, Jinja or black)."""
    cached = cache.in_sync_run()
    if cached is None:
        return None
    changes = tuple(FileChange(path, Change.UNCHANGED) for path in cached.files)
    return PlannedRun(Plan(cached.out_dir, changes), cached.warnings)


def remember(cache: RunCache, run: PlannedRun) -> None:
    """Record a run whose plan the output directory now matches (applied, or in sync)."""
    if run.config is not None:
        cache.remember(run.config, run.plan, run.warnings)
