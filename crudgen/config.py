"""One frozen Config per run: `[tool.crudgen]` in pyproject.toml, overridden by CLI flags.

The pyproject.toml is found by walking up from the current directory. Paths in it are
relative to the file; paths on the command line are relative to the current directory.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import string
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from crudgen.errors import ConfigError, Location, OptionsError, Problem
from crudgen.ir import DEFAULT_OPERATION_IDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found, unused-ignore]

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./app.db"
# The app's title when neither [tool.crudgen] nor [project] names it.
FALLBACK_TITLE = "crudgen API"
# What an operation_ids pattern may use: {verb} tells a model's operations apart, one of
# the others tells the models apart, so the ids are unique.
OPERATION_ID_VERB = "verb"
OPERATION_ID_NOUNS = frozenset({"noun", "model", "models", "Model"})
Style = Literal["functions", "inline"]
Operation = Literal[
    "create",
    "get",
    "list",
    "update",
    "replace",
    "delete",
    "bulk_create",
    "bulk_update",
    "bulk_delete",
    "upsert",
    "bulk_upsert",
]
OPERATIONS: tuple[Operation, ...] = get_args(Operation)
# A role name as `require_roles` compares it with the user's roles.
RoleName = Annotated[str, Field(max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$")]
# `package.module:function` (or `package.module.function`): the user's auth dependency.
AUTH_PATTERN = r"^[A-Za-z_][\w.]*[:.][A-Za-z_]\w*$"
# What a `[tool.crudgen.type_map]` entry may map a column type to (crudgen.ir.ScalarKind,
# less enum, which needs the values only sa.Enum carries).
TypeKind = Literal[
    "string", "text", "integer", "big_integer", "small_integer", "boolean", "decimal",
    "float", "date", "datetime", "time", "interval", "json", "uuid", "binary",
]  # fmt: skip


def _role_pairs(value: Any) -> Any:
    """`{delete = ["admin"]}` as written in TOML or YAML -> (operation, roles) pairs."""
    return tuple(value.items()) if isinstance(value, Mapping) else value


class ModelOptions(BaseModel):
    """Per-model options, the one type every layer uses: a YAML spec's model, then
    `[tool.crudgen.models.<Name>]`. A key left unset follows the layer beneath it, then
    the project-wide setting or what the model itself says (a `version` column, ...)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    read_only: tuple[str, ...] = ()  # accepted in no request body, still returned
    # Accepted in request bodies, never returned. None: the columns whose names say they
    # hold a secret (password, token, api_key, ...).
    write_only: tuple[str, ...] | None = None
    exclude_fields: tuple[str, ...] = ()  # neither accepted nor returned
    page_size: int | None = Field(default=None, ge=1)
    max_page_size: int | None = Field(default=None, ge=1)
    prefix: str | None = Field(default=None, pattern=r"^/")
    tags: tuple[str, ...] | None = None
    routes: tuple[Operation, ...] = OPERATIONS
    filter_fields: tuple[str, ...] | None = None  # None: every column that can be filtered
    sort_fields: tuple[str, ...] | None = None
    # Features. None: decided from the model (a `version` column, `is_deleted`/`deleted_at`).
    version_column: str | None = None
    soft_delete_flag: str | None = None
    soft_delete_timestamp: str | None = None
    optimistic_locking: bool | None = None  # False turns off what the model would turn on
    soft_delete: bool | None = None
    hard_delete: bool = True
    style: Style | None = None  # None: the project-wide style
    max_batch_size: int | None = Field(default=None, ge=1)  # None: the project-wide maximum
    upsert_key: tuple[str, ...] | None = None  # None: a writable primary key or unique column
    nested_reads: tuple[str, ...] = ()  # relationships the Read schema nests
    nested_create: tuple[str, ...] = ()  # one-to-many relationships the Create schema nests
    # (operation, roles allowed) pairs; written as a table: `roles = { delete = ["admin"] }`.
    roles: Annotated[
        tuple[tuple[Operation, tuple[RoleName, ...]], ...],
        BeforeValidator(_role_pairs, json_schema_input_type=dict[Operation, list[RoleName]]),
    ] = ()


OPTION_KEYS: tuple[str, ...] = tuple(ModelOptions.model_fields)


def layered(under: ModelOptions, over: ModelOptions) -> ModelOptions:
    """`over` on top of `under`, key by key: what `over` sets wins, the rest is `under`'s."""
    values = {key: getattr(under, key) for key in OPTION_KEYS}
    values.update({key: getattr(over, key) for key in over.model_fields_set})
    keys = (under.model_fields_set & set(OPTION_KEYS)) | over.model_fields_set
    return ModelOptions.model_construct(_fields_set=keys, **values)


@dataclass(frozen=True)
class Config:
    sources: tuple[str, ...]
    out_dir: Path
    force: bool = False
    create_tables: bool = True
    templates_dir: Path | None = None
    title: str = FALLBACK_TITLE
    default_page_size: int = 50
    max_page_size: int = 100
    max_in_items: int = 100
    max_batch_size: int = 1000
    max_body_size: int = 1024 * 1024  # bytes; a larger request body is a 413
    health: bool = True  # the app serves GET /health/live and /health/ready
    # Seconds the generated engine lets one statement run, and wait for a row lock.
    statement_timeout: float = 5.0
    lock_timeout: float = 2.0
    # The generated engine's pool (PostgreSQL, MariaDB, MySQL): connections kept, extra
    # ones allowed at a peak, seconds a request waits for one (then a 503), and whether a
    # connection is pinged before each use (a round trip per request).
    pool_size: int = 5
    max_overflow: int = 10
    pool_timeout: float = 5.0
    pool_pre_ping: bool = False
    auth: str | None = None  # "module:function": the dependency giving the current user
    # The project's own database setup, instead of the generated engine: "module:function",
    # a FastAPI dependency yielding an AsyncSession, or "module:name", an AsyncEngine.
    session: str | None = None
    engine: str | None = None
    line_length: int = 88
    style: str = "functions"  # crud functions called by thin routers, or "inline" endpoints
    database_url: str = DEFAULT_DATABASE_URL
    include: tuple[str, ...] = ()  # model class names; empty means all
    exclude: tuple[str, ...] = ()
    models: Mapping[str, ModelOptions] = field(default_factory=dict)
    # Column types crudgen does not know (class name or dotted path) -> a TypeKind.
    type_map: Mapping[str, str] = field(default_factory=dict)
    pyproject: Path | None = None  # where the settings came from, for messages
    with_tests: bool = False  # also write a pytest module per model under <out>/tests
    # Where the hooks modules and the emitted tests live, when not in <out>/hooks and
    # <out>/tests (see crudgen/placement.py).
    hooks_dir: Path | None = None
    tests_dir: Path | None = None
    plural_prefixes: bool = True  # `/users` for a `user` table; False: the table name
    operation_ids: str = DEFAULT_OPERATION_IDS  # the pattern of the OpenAPI operationIds

    def options_for(self, model: str) -> ModelOptions:
        return self.models.get(model, ModelOptions())


# -- the [tool.crudgen] table, validated ---------------------------------------------------


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Settings(_Strict):
    sources: list[str] = []
    out: str | None = None
    include: list[str] = []
    exclude: list[str] = []
    templates: str | None = None
    title: str | None = None  # None: the name in [project], else FALLBACK_TITLE
    create_tables: bool = True
    page_size: int = Field(default=50, ge=1)
    max_page_size: int = Field(default=100, ge=1)
    max_in_items: int = Field(default=100, ge=1)
    max_batch_size: int = Field(default=1000, ge=1)
    max_body_size: int = Field(default=1024 * 1024, ge=1024)
    health: bool = True
    statement_timeout: float = Field(default=5.0, gt=0, le=3600)
    lock_timeout: float = Field(default=2.0, gt=0, le=3600)
    pool_size: int = Field(default=5, ge=1)
    max_overflow: int = Field(default=10, ge=0)
    pool_timeout: float = Field(default=5.0, gt=0)
    pool_pre_ping: bool = False
    with_tests: bool = False
    hooks_dir: str | None = None
    tests_dir: str | None = None
    auth: str | None = Field(default=None, pattern=AUTH_PATTERN)
    session: str | None = Field(default=None, pattern=AUTH_PATTERN)
    engine: str | None = Field(default=None, pattern=AUTH_PATTERN)
    line_length: int = Field(default=88, ge=40)
    style: Style = "functions"
    database_url: str = DEFAULT_DATABASE_URL
    models: dict[str, ModelOptions] = {}
    type_map: dict[str, TypeKind] = {}
    plural_prefixes: bool = True
    operation_ids: str = DEFAULT_OPERATION_IDS

    @field_validator("operation_ids")
    @classmethod
    def _unique_operation_ids(cls, pattern: str) -> str:
        names = {name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None}
        unknown = names - OPERATION_ID_NOUNS - {OPERATION_ID_VERB}
        if unknown:
            placeholders = sorted({OPERATION_ID_VERB, *OPERATION_ID_NOUNS})
            allowed = ", ".join(f"{{{name}}}" for name in placeholders)
            raise ValueError(f"unknown placeholder {{{min(unknown)}}}; use {allowed}")
        if OPERATION_ID_VERB not in names or not names & OPERATION_ID_NOUNS:
            raise ValueError(
                "use {verb} and one of {noun}, {model}, {models}, {Model}: "
                "without them two routes would share an id"
            )
        if not re.fullmatch(r"[A-Za-z0-9_.{}-]+", pattern):
            raise ValueError("letters, digits, _ . - and placeholders only (a method name)")
        return pattern

    @model_validator(mode="after")
    def _one_database_setup(self) -> Settings:
        if self.session and self.engine:
            raise ValueError("set session or engine, not both: a session already has its engine")
        return self


def find_pyproject(start: Path) -> Path | None:
    for directory in (start.resolve(), *start.resolve().parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def read_settings(pyproject: Path | None) -> Settings:
    if pyproject is None:
        return Settings()
    text = pyproject.read_text(encoding="utf-8")
    try:
        table = tomllib.loads(text).get("tool", {}).get("crudgen", {})
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"invalid TOML: {error}",
            location=Location(str(pyproject), _toml_error_line(error, text)),
            hint="fix the syntax of pyproject.toml",
        ) from error
    try:
        return Settings.model_validate(table)
    except ValidationError as error:
        raise _settings_error(error, pyproject, text) from error


def _toml_error_line(error: tomllib.TOMLDecodeError, text: str) -> int | None:
    """tomllib names the line in its message only before Python 3.14 (`lineno` since)."""
    line = getattr(error, "lineno", None)
    if isinstance(line, int):
        return line
    if found := re.search(r"\(at line (\d+), column \d+\)", str(error)):
        return int(found.group(1))
    if "end of document" in str(error):
        return max(1, len(text.splitlines()))
    return None


def _settings_error(error: ValidationError, pyproject: Path, text: str) -> OptionsError:
    """Every problem pydantic found, each at the line of its own key."""
    lines = key_lines(text)
    problems = []
    for found in error.errors():
        path = tuple(str(part) for part in found["loc"])
        dotted = ".".join(("tool.crudgen", *path))
        location = Location(str(pyproject), _line_of(lines, path, text))
        if found["type"] == "extra_forbidden":
            message = f"unknown key '{dotted}'{_did_you_mean(path)}"
        else:
            message = f"'{dotted}': {found['msg']}"
        problems.append(Problem(location, "", message))
    problems.sort(key=lambda problem: problem.location.line or 0)
    return OptionsError(problems, hint="fix [tool.crudgen] in pyproject.toml (see docs)")


def _did_you_mean(path: tuple[str, ...]) -> str:
    allowed = _allowed_keys(path)
    close = difflib.get_close_matches(path[-1], allowed, n=1)
    if close:
        return f"; did you mean '{close[0]}'?"
    return f"; allowed keys: {', '.join(allowed)}"


def _allowed_keys(path: tuple[str, ...]) -> list[str]:
    model: type[BaseModel] = ModelOptions if len(path) >= 3 and path[0] == "models" else Settings
    return sorted(model.model_fields)


_TABLE = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
_KEY_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_KEY_PART}(?:\s*\.\s*{_KEY_PART})*)\s*=")
_INLINE_KEY = re.compile(rf"[{{,]\s*({_KEY_PART})\s*=")


def key_lines(text: str) -> dict[tuple[str, ...], int]:
    """The line of every key and table of a TOML file, by full key path; keys of an inline
    table (`Post = { page_size = 5 }`) on the line that opens it."""
    lines: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    for number, line in enumerate(text.splitlines(), start=1):
        if header := _TABLE.match(line):
            table = _dotted_path(header.group(1))
            lines.setdefault(table, number)
        elif key := _KEY.match(line):
            path = (*table, *_dotted_path(key.group(1)))
            lines.setdefault(path, number)
            inline = line[key.end() :]
            for inner in _INLINE_KEY.finditer(inline):
                lines.setdefault((*path, _unquoted(inner.group(1))), number)
    return lines


def _dotted_path(text: str) -> tuple[str, ...]:
    return tuple(_unquoted(part.strip()) for part in re.findall(r'"[^"]*"|\'[^\']*\'|[^.]+', text))


def _unquoted(part: str) -> str:
    return part[1:-1] if part[:1] in "\"'" else part


def _line_of(
    lines: dict[tuple[str, ...], int], path: tuple[str, ...], text: str = ""
) -> int | None:
    """The line of `tool.crudgen.<path>`, or of the nearest table or key that holds it; of
    an array's item (`routes.1`) where that item is written."""
    full = ("tool", "crudgen", *path)
    for end in range(len(full), 0, -1):
        if full[:end] in lines:
            line = lines[full[:end]]
            rest = full[end:]
            if rest and rest[0].isdigit() and text:
                return _item_line(text.splitlines()[line - 1 :], int(rest[0])) + line - 1
            return line
    return None


def _item_line(lines: list[str], index: int) -> int:
    """The line (1: the first of `lines`) on which item `index` of the array whose key the
    first line sets begins; the first line when it cannot be told."""
    depth, item, expecting = 0, -1, False
    for number, line in enumerate(lines, start=1):
        position = line.index("=") + 1 if number == 1 and "=" in line else 0
        while position < len(line):
            char = line[position]
            if char == "#":
                break
            if depth == 1 and expecting and not char.isspace() and char not in ",]":
                item, expecting = item + 1, False
                if item == index:
                    return number
            if char in "\"'":
                end = line.find(char, position + 1)
                while end > 0 and char == '"' and line[end - 1] == "\\":
                    end = line.find(char, end + 1)
                position = len(line) if end < 0 else end
            elif char in "[{":
                depth += 1
                expecting = expecting or depth == 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return 1
            elif char == "," and depth == 1:
                expecting = True
            position += 1
    return 1


def locate_setting(pyproject: Path, path: tuple[str, ...]) -> Location:
    """Where `[tool.crudgen]` sets the key at `path` (e.g. `("models", "Post", "read_only")`)."""
    text = pyproject.read_text(encoding="utf-8")
    return Location(str(pyproject), _line_of(key_lines(text), path, text))


# -- settings + command line -> Config ------------------------------------------------------


def build_config(cwd: Path, **flags: Any) -> Config:
    """The run's Config: pyproject settings, then every flag that is not None on top."""
    pyproject = find_pyproject(cwd)
    settings = read_settings(pyproject)
    base = pyproject.parent if pyproject else cwd
    sources = tuple(flags.pop("sources", None) or (_rebase(s, base) for s in settings.sources))
    out = flags.pop("out", None) or (base / settings.out if settings.out else None)
    templates = flags.pop("templates", None) or (
        base / settings.templates if settings.templates else None
    )
    if not sources:
        raise ConfigError(
            "no models to read",
            hint="name them (crudgen generate app/models.py) or set sources in [tool.crudgen]",
        )
    if out is None:
        raise ConfigError(
            "no output directory",
            hint="pass --out DIR or set out in [tool.crudgen]",
        )
    _check_out_dir(
        Path(out), cwd, pyproject if settings.out and out == base / settings.out else None
    )
    values: dict[str, Any] = {
        "sources": sources,
        "out_dir": Path(out),
        "templates_dir": Path(templates) if templates else None,
        "create_tables": settings.create_tables,
        "title": settings.title or _project_name(pyproject) or FALLBACK_TITLE,
        "default_page_size": settings.page_size,
        "max_page_size": settings.max_page_size,
        "max_in_items": settings.max_in_items,
        "max_batch_size": settings.max_batch_size,
        "max_body_size": settings.max_body_size,
        "health": settings.health,
        "statement_timeout": settings.statement_timeout,
        "lock_timeout": settings.lock_timeout,
        "pool_size": settings.pool_size,
        "max_overflow": settings.max_overflow,
        "pool_timeout": settings.pool_timeout,
        "pool_pre_ping": settings.pool_pre_ping,
        "auth": settings.auth,
        "session": settings.session,
        "engine": settings.engine,
        "line_length": settings.line_length,
        "style": settings.style,
        "database_url": settings.database_url,
        "include": tuple(settings.include),
        "exclude": tuple(settings.exclude),
        "models": dict(settings.models),
        "type_map": dict(settings.type_map),
        "pyproject": pyproject,
        "with_tests": settings.with_tests,
        "hooks_dir": base / settings.hooks_dir if settings.hooks_dir else None,
        "tests_dir": base / settings.tests_dir if settings.tests_dir else None,
        "plural_prefixes": settings.plural_prefixes,
        "operation_ids": settings.operation_ids,
    }
    values.update({key: value for key, value in flags.items() if value is not None})
    return Config(**values)


def _check_out_dir(out: Path, cwd: Path, pyproject: Path | None) -> None:
    """The output is a directory: a file at its path (or on the way to it) is a mistake to
    name before any file is written. pyproject: where `out` was set, if it was."""
    for path in (out, *out.parents):
        if not (cwd / path).exists():
            continue
        if (cwd / path).is_dir():
            return
        what = "is a file" if path == out else f"is inside {path}, which is a file"
        raise ConfigError(
            f"the output directory {out} {what}",
            location=locate_setting(pyproject, ("out",)) if pyproject else None,
            hint="point --out (or out in [tool.crudgen]) at a directory, or at a path that "
            "does not exist yet (crudgen creates it)",
        )


def _project_name(pyproject: Path | None) -> str | None:
    """`name` in the [project] table of pyproject.toml: the app's default title."""
    if pyproject is None:
        return None
    table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
    name = table.get("name") if isinstance(table, dict) else None
    return name if isinstance(name, str) and name.strip() else None


def _rebase(source: str, base: Path) -> str:
    """A settings path is relative to pyproject.toml; dotted module names stay as they are."""
    looks_like_path = source.endswith(".py") or "/" in source or (base / source).exists()
    if not looks_like_path:
        return source
    return str(base / source)


# -- generate remembers the flags that change the output ----------------------------------

# `generate`'s flags that change what it writes, saved to [tool.crudgen] so that `check`,
# `diff`, the next `generate` and the pre-commit hook (none of which repeat the flag)
# compare with and write the same output.
OUTPUT_FLAGS = ("create_tables", "title", "with_tests", "templates")


@dataclass(frozen=True)
class SavedFlags:
    pyproject: Path | None  # None: there is none to save to
    saved: tuple[str, ...]  # `key = value` lines written
    unsaved: tuple[str, ...]  # lines that could not be written (see the warning)


def save_output_flags(cwd: Path, flags: Mapping[str, Any]) -> SavedFlags:
    """Write each output flag given (not None) that differs from [tool.crudgen] into it."""
    pyproject = find_pyproject(cwd)
    settings = read_settings(pyproject)
    base = pyproject.parent if pyproject else cwd
    wanted = {
        key: _setting_value(key, value, cwd, base)
        for key, value in flags.items()
        if key in OUTPUT_FLAGS and value is not None
    }
    changed = {k: v for k, v in wanted.items() if v != _current(settings, k, base)}
    lines = tuple(f"{key} = {_toml_value(value)}" for key, value in changed.items())
    if not changed or pyproject is None:
        return SavedFlags(pyproject, (), lines)
    text = pyproject.read_text(encoding="utf-8")
    edited = text
    for key, value in changed.items():
        edited = _with_setting(edited, key, _toml_value(value))
    if not _only_these_changed(text, edited, changed):
        return SavedFlags(pyproject, (), lines)
    pyproject.write_text(edited, encoding="utf-8")
    return SavedFlags(pyproject, lines, ())


def _setting_value(key: str, value: Any, cwd: Path, base: Path) -> Any:
    """A flag as [tool.crudgen] writes it: a path relative to pyproject.toml."""
    if key == "templates":
        return Path(os.path.relpath((cwd / value).absolute(), base.absolute())).as_posix()
    return value


def _current(settings: Settings, key: str, base: Path) -> Any:
    value = getattr(settings, key)
    if key == "templates" and value is not None:
        return Path(os.path.relpath((base / value).absolute(), base.absolute())).as_posix()
    return value


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(str(value), ensure_ascii=False)  # a JSON string is a TOML basic string


def _with_setting(text: str, key: str, value: str) -> str:
    """`key = value` in the [tool.crudgen] table of `text`: in place of the line that sets
    it, else right below the table's header; a new table at the end if there is none."""
    lines = text.splitlines(keepends=True)
    header = None
    for number, line in enumerate(lines):
        if found := _TABLE.match(line):
            if header is not None:
                break
            if _dotted_path(found.group(1)) == ("tool", "crudgen") and "[[" not in line:
                header = number
        elif header is not None and (setting := _KEY.match(line)):
            if _dotted_path(setting.group(1)) == (key,):
                lines[number] = f"{key} = {value}\n"
                return "".join(lines)
    if header is None:
        return (
            text.rstrip("\n")
            + ("\n\n" if text.strip() else "")
            + (f"[tool.crudgen]\n{key} = {value}\n")
        )
    lines.insert(header + 1, f"{key} = {value}\n")
    return "".join(lines)


def _only_these_changed(before: str, after: str, changed: Mapping[str, Any]) -> bool:
    """The edit parses, sets what it should, and changes nothing else (a multi-line value
    or a table written with dotted keys elsewhere would not survive a line edit)."""
    try:
        old, new = tomllib.loads(before), tomllib.loads(after)
    except tomllib.TOMLDecodeError:
        return False
    old.setdefault("tool", {}).setdefault("crudgen", {}).update(changed)
    return bool(old == new)


def starter(*, alembic: bool) -> str:
    """The section `crudgen init` writes. alembic: the project's migrations create the
    tables (an alembic.ini was found), so the generated app should not."""
    if not alembic:
        return STARTER
    return STARTER.replace(
        "# create_tables = true        # the app creates missing tables at start-up",
        "create_tables = false         # alembic.ini found: your migrations create the tables",
    )


STARTER = """
[tool.crudgen]
# Models to read: .py files, package directories or dotted module names.
sources = ["app/models.py"]
# The generated package (crudgen owns every file in it that carries its header).
out = "app/generated"
# title = "My API"           # default: name in [project], else "crudgen API"
# plural_prefixes = true      # /users for a `user` table; false: the table name as it is
# operation_ids = "{verb}_{noun}"  # OpenAPI operationIds: create_post, list_posts, ...
# create_tables = true        # the app creates missing tables at start-up
# page_size = 50              # default page size of list endpoints
# max_page_size = 100         # the largest page a client may ask for
# max_in_items = 100          # the most values one field__in filter may list
# max_batch_size = 1000       # the most rows one bulk request may carry
# statement_timeout = 5.0     # seconds one statement may run (the generated engine); a 503
# lock_timeout = 2.0          # seconds a write waits for a row another holds; then a 503
# pool_size = 5               # connections the generated engine keeps (not on SQLite)
# max_overflow = 10           # extra connections at a peak
# pool_timeout = 5.0          # seconds a request waits for a connection; then a 503
# pool_pre_ping = false       # ping before each use: one more round trip per request
# auth = "app.auth:get_current_user"  # every route depends on it; without it routes are open
# session = "app.core.db:get_session"  # your dependency yielding an AsyncSession (or:)
# engine = "app.core.db:engine"        # your AsyncEngine; default: DATABASE_URL, else SQLite
# include = ["Post"]          # only these models (class names); exclude = [...] skips some
# templates = "crudgen_templates"  # your overrides of the built-in templates
# style = "functions"         # crud functions + thin routers; "inline": queries in endpoints
# with_tests = true           # also write tests/test_<model>.py (pytest, httpx) per model
# tests_dir = "tests/api"     # those tests here instead of <out>/tests
# hooks_dir = "app/hooks"     # your hooks modules here instead of <out>/hooks (same package)
# line_length = 88            # black's line length for the generated code

# Per-model options:
# [tool.crudgen.models.Post]
# read_only = ["slug"]        # returned, never accepted from a request body
# write_only = ["pin"]        # accepted, never returned (default: password, token, ... columns)
# exclude_fields = ["secret"] # neither accepted nor returned
# page_size = 20
# max_page_size = 200
# prefix = "/articles"
# tags = ["articles"]
# routes = ["create", "get", "list", "update", "replace", "delete",
#           "bulk_create", "bulk_update", "bulk_delete", "upsert", "bulk_upsert"]
# max_batch_size = 500
# upsert_key = ["slug"]       # default: a writable primary key, else a unique column
# nested_reads = ["author", "tags"]   # relationships returned inside each row
# nested_create = ["comments"]        # one-to-many children created with the row
# roles = { delete = ["admin"], list = ["reader", "admin"] }  # needs auth
# filter_fields = ["status", "author_id"]   # default: every column but JSON and binary
# sort_fields = ["created_at", "title"]
# Optimistic locking turns on for an integer `version` column (or SQLAlchemy's
# version_id_col), soft delete for `is_deleted` and/or `deleted_at`. Name other columns:
# version_column = "revision"
# soft_delete_flag = "archived"
# soft_delete_timestamp = "archived_at"
# optimistic_locking = false  # or soft_delete = false: off although the columns exist
# hard_delete = false         # no DELETE ?hard=true on soft-deleting models
# style = "inline"

# Column types crudgen does not know, by class name or dotted path, and what they hold:
# string, text, integer, big_integer, small_integer, boolean, decimal, float, date,
# datetime, time, interval, json, uuid or binary.
# [tool.crudgen.type_map]
# INET = "string"
# "geoalchemy2.types.Geometry" = "string"
"""
