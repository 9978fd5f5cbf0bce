"""The stages end to end: source -> IR -> render -> format -> plan -> verify. Writes
nothing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from crudgen.plan import Plan, build_plan

if TYPE_CHECKING:
    from crudgen.config import Config
    from crudgen.files import RenderedFile
    from crudgen.ir import Model


class FormatFiles(Protocol):
    def __call__(self, files: list[RenderedFile], *, line_length: int) -> list[RenderedFile]: ...


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
    models: dict[str, Model]  # by module name


def plan_run(config: Config, *, format_files: FormatFiles | None = None) -> PlannedRun:
    """format_files: how rendered files become formatted ones (default: black over each;
    the CLI passes one that remembers black's output between runs)."""
    # Imported here so the CLI starts without SQLAlchemy, Jinja or black loaded.
    from crudgen.formatting import format_files as black_each
    from crudgen.verify import verify_package

    rendered = render_run(config)
    config = rendered.config
    formatted = (format_files or black_each)(rendered.files, line_length=config.line_length)
    plan = build_plan(config.out_dir, formatted, force=config.force)
    import_warnings = verify_package(formatted, plan, rendered.models)
    return PlannedRun(plan, (*rendered.warnings, *import_warnings), config)


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
    models = {model.module_name: model for model in project.models}
    return RenderedRun(rendered, warnings, config, models)
