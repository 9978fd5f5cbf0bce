"""The stages end to end: source -> IR -> render -> format -> plan -> verify. Writes
nothing. While black formats in worker processes, the verify stage starts on black's input
(the same code): a cold run imports its new package beside black, not after it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from crudgen.config import Config, locate_setting
from crudgen.errors import Location, OptionsError, Problem
from crudgen.placement import placement_of
from crudgen.plan import Plan, build_plan, orphaned_hooks

if TYPE_CHECKING:
    from crudgen.files import RenderedFile
    from crudgen.formatting import Formatting
    from crudgen.ir import Model
    from crudgen.resolve import OptionProblem
    from crudgen.sources.yaml_spec import LoadedSpec
    from crudgen.verify import Verified


# Told what the pipeline starts on next (a progress bar shows it); one call per STAGES.
Step = Callable[[str], None]
STAGES = 4


def _no_progress(what: str) -> None:
    """A run nobody watches."""


class StartFormatting(Protocol):
    """How rendered files become formatted ones: started, then waited for (`result()`)."""

    def __call__(self, files: list[RenderedFile], *, line_length: int) -> Formatting: ...


@dataclass(frozen=True)
class PlannedRun:
    plan: Plan
    warnings: tuple[str, ...]
    config: Config | None = None  # None: replayed from the cache, no pipeline ran


@dataclass(frozen=True)
class RenderedRun:
    files: list[RenderedFile]
    warnings: tuple[str, ...]
    config: Config  # as given: a YAML spec's options are applied by the resolve stage
    models: dict[str, Model]  # by module name


def plan_run(
    config: Config, *, start_formatting: StartFormatting | None = None, step: Step = _no_progress
) -> PlannedRun:
    """start_formatting: how rendered files become formatted ones (default: black over
    each; the CLI passes one that remembers black's output between runs). step: told each
    stage as it starts."""
    # Imported here so the CLI starts without SQLAlchemy, Jinja or black loaded.
    from crudgen.formatting import start_formatting as black_each
    from crudgen.verify import verify_package

    rendered = render_run(config, step=step)
    config = rendered.config
    step(f"formatting {len(rendered.files)} files")
    formatting = (start_formatting or black_each)(rendered.files, line_length=config.line_length)
    done = _verify_beside(formatting, rendered)
    formatted = formatting.result()
    plan = build_plan(config.out_dir, formatted, force=config.force)
    step("importing the generated package")
    import_warnings = verify_package(formatted, plan, rendered.models, done)
    orphans = orphaned_hooks(plan, formatted, placement_of(config).hooks)
    return PlannedRun(plan, (*rendered.warnings, *import_warnings, *orphans), config)


def _verify_beside(formatting: Formatting, rendered: RenderedRun) -> Verified | None:
    """While black works in other processes, check the package and import its new modules
    here (a cold run: most of them). None when black works here: after it, then."""
    if not formatting.in_background:
        return None
    from crudgen.imports import settled
    from crudgen.verify import verify_new_modules

    try:
        return verify_new_modules(settled(rendered.files), rendered.config.out_dir, rendered.models)
    except Exception:
        formatting.result()  # a template's invalid Python is told as black finds it, first
        raise


def render_run(config: Config, *, step: Step = _no_progress) -> RenderedRun:
    """Read the sources, resolve the options and render every file, before black."""
    from crudgen.render import render_project
    from crudgen.resolve import resolve
    from crudgen.sources import is_spec
    from crudgen.sources.hooks import read_hooks

    step("reading the models")
    spec: LoadedSpec | None = None
    if any(is_spec(source) for source in config.sources):
        from crudgen.sources.yaml_spec import load_spec

        spec = load_spec(config.sources, title=config.title)
        project, warnings = spec.project, spec.warnings
    else:
        from crudgen.sources.sqlalchemy import load_project

        loaded = load_project(config.sources, title=config.title, type_map=config.type_map)
        project, warnings = loaded.project, loaded.warnings
    resolved = resolve(project, config, spec.model_options if spec else None)
    if resolved.problems:
        raise OptionsError(
            [_placed(problem, config, spec) for problem in resolved.problems],
            hint="fix the options named (in the spec or [tool.crudgen]; see docs)",
        )
    project = read_hooks(resolved.project, placement_of(config))
    step(f"rendering {len(project.models)} models")
    rendered = render_project(project, config)
    models = {model.module_name: model for model in project.models}
    return RenderedRun(rendered, (*warnings, *resolved.warnings), config, models)


def _placed(problem: OptionProblem, config: Config, spec: LoadedSpec | None) -> Problem:
    """A problem at the key that set the option: pyproject.toml wins over the spec, as its
    options do; an option no layer set is the models' own doing (a column's name)."""
    path = ".".join(problem.path)
    return Problem(_place(problem, config, spec), path, problem.message, problem.hint)


def _place(problem: OptionProblem, config: Config, spec: LoadedSpec | None) -> Location:
    if problem.location is not None:
        return problem.location
    options = config.models.get(problem.model or "")
    set_in_pyproject = problem.model is None or (
        options is not None and (problem.key is None or problem.key in options.model_fields_set)
    )
    if config.pyproject is not None and set_in_pyproject:
        return locate_setting(config.pyproject, problem.path)
    if spec is not None and problem.model in spec.model_options:
        return spec.locate(problem.path)
    return Location(str(config.pyproject)) if config.pyproject else Location("options")
