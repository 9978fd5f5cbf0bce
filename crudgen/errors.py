"""Errors meant for people: each says what is wrong, where, and what to do."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a user's file that an error points at."""

    file: str
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")


class CrudgenError(Exception):
    """Base class of every error the CLI reports without a traceback (exit code 2)."""

    def __init__(self, message: str, *, location: Location | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.location = location
        self.hint = hint

    def __str__(self) -> str:
        where = f"{self.location}: " if self.location else ""
        fix = f"\n  hint: {self.hint}" if self.hint else ""
        return f"{where}{self.message}{fix}"


class SourceError(CrudgenError):
    """The models could not be loaded or understood."""


class UnsupportedTypeError(SourceError):
    """A column has a type crudgen cannot map to a Pydantic type."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a user's file: where, at which key path, and what."""

    location: Location
    path: str  # dotted key path, e.g. `models.Order.fields.total`; empty for the whole file
    message: str
    hint: str = ""  # what to do, when it is particular to this problem

    @property
    def what(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __str__(self) -> str:
        return f"{self.location}: {self.what}"


class ProblemsError(CrudgenError):
    """Every problem found in the user's files, reported at once, each at its place."""

    def __init__(self, problems: list[Problem], *, hint: str, subject: str) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        if len(problems) == 1:
            super().__init__(first.what, location=first.location, hint=first.hint or hint)
        else:
            lines = "".join(
                f"\n  {problem}" + (f" ({problem.hint})" if problem.hint else "")
                for problem in problems
            )
            message = f"{len(problems)} problems in {subject}:{lines}"
            files = {problem.location.file for problem in problems}
            where = Location(first.location.file) if len(files) == 1 else None
            super().__init__(message, location=where, hint=hint)


class SpecError(ProblemsError, SourceError):
    """A YAML spec is invalid. Carries every problem found, so all are reported at once."""

    def __init__(self, problems: list[Problem], *, hint: str) -> None:
        super().__init__(problems, hint=hint, subject="the spec")


class TemplateError(CrudgenError):
    """A template failed to render, or rendered code that is not valid Python."""


class ConfigError(CrudgenError):
    """The configuration is invalid."""


class OptionsError(ProblemsError, ConfigError):
    """Options (of a spec, pyproject.toml or the command line) that do not fit the models:
    every one found, each placed at the key that set it."""

    def __init__(self, problems: list[Problem], *, hint: str) -> None:
        super().__init__(problems, hint=hint, subject="the options")


class OutputConflictError(CrudgenError):
    """Writing would overwrite or delete a file crudgen did not generate."""


class WriteError(CrudgenError):
    """The output directory could not be written."""


class GeneratedCodeError(CrudgenError):
    """What crudgen rendered does not compile or import: its bug, or a model name the
    generated code cannot carry. Nothing is written."""


# Modules whose distribution (what pip installs) is named otherwise.
_DISTRIBUTIONS = {
    "yaml": "PyYAML",
    "dateutil": "python-dateutil",
    "dotenv": "python-dotenv",
    "jose": "python-jose",
    "jwt": "PyJWT",
    "PIL": "Pillow",
    "psycopg2": "psycopg2-binary",
    "MySQLdb": "mysqlclient",
    "sqlalchemy_utils": "SQLAlchemy-Utils",
    "geoalchemy2": "GeoAlchemy2",
    "pydantic_settings": "pydantic-settings",
    "email_validator": "email-validator",
    "greenlet": "sqlalchemy[asyncio]",
}


def install_hint(module: str) -> str:
    """What to do about a module that is not installed where crudgen runs: under pre-commit
    (which sets PRE_COMMIT=1) that is the hook's own environment, not the project's."""
    top = module.split(".")[0]
    package = _DISTRIBUTIONS.get(top, top.replace("_", "-"))
    if os.environ.get("PRE_COMMIT"):
        return (
            f"pre-commit runs crudgen in an environment of its own: add {package!r} to the "
            "hook's additional_dependencies in .pre-commit-config.yaml, or run the hook in "
            "your project's environment (repo: local, language: system)"
        )
    return f"install it where crudgen runs: pip install {package}"
