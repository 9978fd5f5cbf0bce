"""Render the IR into Python sources with Jinja2: {relative path: source}, nothing written.

A template imports what its module may need; the formatting stage drops what the rendered
code does not use."""

from __future__ import annotations

import decimal
import functools
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2.runtime import Context

from crudgen.config import Config
from crudgen.errors import Location, TemplateError
from crudgen.files import GENERATED_MARKER, RenderedFile
from crudgen.imports import format_block
from crudgen.ir import INTEGER_TYPES, Import, Model, Project, python_literal
from crudgen.placement import HOOKS, Placement, placement_of
from crudgen.samples import surrounding

HOOKS_TEMPLATE = "hooks.py.j2"
HOOKS_INIT_TEMPLATE = "hooks_init.py.j2"  # a hooks package outside the generated one
TESTS_TEMPLATE = "tests.py.j2"
USER_OWNED = (HOOKS_TEMPLATE, HOOKS_INIT_TEMPLATE)


def builtin_templates_dir() -> Path:
    """Inside the wheel the templates sit in the package; in a checkout, beside it."""
    packaged = Path(__file__).parent / "templates"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"


@functools.lru_cache(maxsize=8)
def environment(user_dir: Path | None = None) -> jinja2.Environment:
    """One environment per template directory: Jinja compiles each template once, and
    recompiles one whose file changed since."""
    search_path = [str(user_dir)] if user_dir else []
    search_path.append(str(builtin_templates_dir()))
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(search_path),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
        extensions=["jinja2.ext.do"],
    )
    env.globals["import_block"] = format_block
    env.filters["docstring"] = _docstring
    env.filters["comment"] = _comment
    env.globals["zip"] = zip
    env.globals["surrounding"] = surrounding
    # A text written as a Python string literal (black then settles the quotes).
    env.filters["string_literal"] = python_literal
    # Plain data (the generated tests' sample rows) written as a Python literal.
    env.filters["python_value"] = repr
    # A number as SQL text of its own digits (a server default the database stores as is).
    env.filters["sql_number"] = lambda value: str(decimal.Decimal(str(value)))
    return env


def render_project(project: Project, config: Config) -> list[RenderedFile]:
    env = environment(config.templates_dir)
    placement = placement_of(config)
    # A global too, for the docstring and comment filters in macros a template imports
    # without its context (as template overrides written before them do).
    env.globals["line_length"] = config.line_length
    shared = {
        "project": project,
        "create_tables": config.create_tables,
        "default_database_url": config.database_url,
        "session_dependency": _import_of(config.session),
        "engine_object": _import_of(config.engine),
        "default_page_size": config.default_page_size,
        "max_page_size": config.max_page_size,
        "integer_types": tuple(INTEGER_TYPES.values()),
        "max_in_items": config.max_in_items,
        "max_batch_size": config.max_batch_size,
        "max_body_size": config.max_body_size,
        "health": config.health,
        "statement_timeout": config.statement_timeout,
        "lock_timeout": config.lock_timeout,
        "pool": {
            "pool_size": config.pool_size,
            "max_overflow": config.max_overflow,
            "pool_timeout": config.pool_timeout,
            "pool_pre_ping": config.pool_pre_ping,
        },
        "line_length": config.line_length,
    }
    files = list(_files(project, placement))
    if project.declared_models:  # a YAML spec's package declares its models itself
        files.append(("models.py", "models.py.j2", {}))
    if config.with_tests:
        files += _test_files(project, placement)
    rendered = [
        _render(
            env,
            template,
            path,
            shared | {"package": placement.importer(path)} | context,
            test=path.startswith(f"{placement.tests}/"),
        )
        for path, template, context in files
    ]
    return sorted(rendered, key=lambda f: f.path)


def _files(project: Project, placement: Placement) -> Iterator[tuple[str, str, dict[str, Any]]]:
    yield "__init__.py", "package_init.py.j2", {"docstring": _package_doc(project)}
    yield "db.py", "db.py.j2", {}
    yield "app.py", "app.py.j2", {}
    yield "errors.py", "errors.py.j2", {}
    yield "types.py", "types.py.j2", {}
    yield "query.py", "query.py.j2", {}
    yield "writes.py", "writes.py.j2", {}
    yield "resource.py", "resource.py.j2", {}
    yield "auth.py", "auth.py.j2", {}
    for package, doc in (
        ("schemas", "Pydantic schemas, one module per model."),
        ("crud", "Async database operations, one module per model."),
        ("routers", "FastAPI routers, one module per model."),
    ):
        yield f"{package}/__init__.py", "package_init.py.j2", {"docstring": doc}
    hooks_init = placement.path(placement.hooks, "__init__.py")
    if placement.hooks == HOOKS:
        doc = "Your code: hooks and custom routes, one module per model."
        yield hooks_init, "package_init.py.j2", {"docstring": doc}
    else:  # outside the generated package: the user's, like the modules in it
        yield hooks_init, HOOKS_INIT_TEMPLATE, {}
    for model in project.models:
        yield from _model_files(model, placement)


def _model_files(model: Model, placement: Placement) -> Iterator[tuple[str, str, dict[str, Any]]]:
    hooks = placement.path(placement.hooks, f"{model.module_name}.py")
    yield hooks, HOOKS_TEMPLATE, {"model": model}
    for package, template in (
        ("schemas", "schemas.py.j2"),
        ("crud", "crud.py.j2"),
        ("routers", "router.py.j2"),
    ):
        if package == "crud" and model.inline:
            continue  # inline style: the router holds the queries
        yield f"{package}/{model.module_name}.py", template, {"model": model}


def _test_files(
    project: Project, placement: Placement
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """`generate --with-tests`: a pytest module per model and what they share."""
    from crudgen.samples import plan_tests

    suite = plan_tests(project)
    doc = "Tests of the generated API, written by crudgen: run them with `python -m pytest`."
    here = placement.tests
    yield placement.path(here, "__init__.py"), "package_init.py.j2", {"docstring": doc}
    yield placement.path(here, "conftest.py"), "tests_conftest.py.j2", {"suite": suite}
    yield placement.path(here, "support.py"), "tests_support.py.j2", {"suite": suite}
    for tests in suite.tests:
        path = placement.path(here, f"test_{tests.model.module_name}.py")
        yield path, TESTS_TEMPLATE, {"suite": suite, "tests": tests}


@jinja2.pass_context
def _docstring(context: Context, text: str, indent: int = 0) -> str:
    """`{% filter docstring(4) %}...{% endfilter %}`: the text as a docstring within the
    project's line length, its first line placed by the template at `indent` columns."""
    return docstring(text, indent=indent, width=context["line_length"])


@jinja2.pass_context
def _comment(context: Context, text: str, indent: int = 0) -> str:
    """`{% filter comment %}...{% endfilter %}`: the text as `#` lines within the line length."""
    return comment(text, indent=indent, width=context["line_length"])


def docstring(text: str, *, indent: int, width: int) -> str:
    """A docstring of `text`: its paragraphs (separated by blank lines) rewrapped to `width`,
    continuation lines indented by `indent`. One short paragraph stays on one line."""
    paragraphs = [" ".join(part.split()) for part in text.strip().split("\n\n")]
    pad = " " * indent
    if len(paragraphs) == 1 and indent + len(paragraphs[0]) + 6 <= width:
        return f'"""{paragraphs[0]}"""'
    lines: list[str] = []
    for number, paragraph in enumerate(paragraphs):
        if number:
            lines.append("")
        # Room for the closing quotes: black keeps them on the last line of one paragraph.
        first = pad + ('"""' if number == 0 else "")
        lines += _wrapped(paragraph, width - 3, first=first, rest=pad)
    if len(paragraphs) == 1:
        lines[-1] += '"""'
    else:
        lines.append(f'{pad}"""')
    return "\n".join(lines)[indent:]  # the template places the first line


def _wrapped(text: str, width: int, *, first: str, rest: str) -> list[str]:
    return textwrap.wrap(
        text,
        width,
        initial_indent=first,
        subsequent_indent=rest,
        break_long_words=False,  # a path or a name stays whole
        break_on_hyphens=False,
    )


def comment(text: str, *, indent: int, width: int) -> str:
    """`text` as comment lines within `width`, the first placed by the template."""
    pad = " " * indent
    lines = _wrapped(" ".join(text.split()), width, first=f"{pad}# ", rest=f"{pad}# ")
    return "\n".join(lines)[indent:]


def _import_of(target: str | None) -> Import | None:
    """`app.core.db:get_session` (or `app.core.db.get_session`) as an import."""
    if target is None:
        return None
    module, _, name = target.replace(":", ".").rpartition(".")
    return Import(module, name)


def _package_doc(project: Project) -> str:
    names = ", ".join(m.name for m in project.models)
    return f"FastAPI CRUD package for {names}."


def _render(
    env: jinja2.Environment, template: str, path: str, context: dict[str, Any], *, test: bool
) -> RenderedFile:
    try:
        source = env.get_template(template).render(**context)
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(
            f"template syntax error: {error.message}",
            location=Location(error.filename or template, error.lineno),
            hint="fix the template",
        ) from error
    except Exception as error:  # a template (or an override of it) failed while rendering
        raise TemplateError(
            f"rendering {template} for {path} failed: {type(error).__name__}: {error}",
            location=Location(template_path(env, template)),
            hint="a template override may use a variable the IR does not have; see README",
        ) from error
    user_owned = template in USER_OWNED
    if not user_owned and not source.startswith(GENERATED_MARKER):
        raise TemplateError(
            f"{template} must begin with crudgen's header ({GENERATED_MARKER!r})",
            location=Location(template_path(env, template)),
            hint='start it with {% import "_macros.j2" as macros %}{{ macros.header(project) }}',
        )
    return RenderedFile(
        path=path,
        template=template_path(env, template),
        source=source,
        user_owned=user_owned,
        test=test,
    )


def template_path(env: jinja2.Environment, template: str) -> str:
    """The file a template name resolves to: a user override or the built-in one."""
    assert env.loader is not None
    return env.loader.get_source(env, template)[1] or template
