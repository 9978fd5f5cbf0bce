"""Errors meant for people: each says what is wrong, where, and what to do."""

from __future__ import annotations

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
class SpecProblem:
    """One thing wrong in a YAML spec: where, at which key path, and what."""

    location: Location
    path: str  # dotted key path, e.g. `models.Order.fields.total`; empty for the whole file
    message: str

    @property
    def what(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message

    def __str__(self) -> str:
        return f"{self.location}: {self.what}"


class SpecError(SourceError):
    """A YAML spec is invalid. Carries every problem found, so all are reported at once."""

    def __init__(self, problems: list[SpecProblem], *, hint: str) -> None:
        self.problems = tuple(problems)
        first = problems[0]
        if len(problems) == 1:
            super().__init__(first.what, location=first.location, hint=hint)
        else:
            lines = "".join(f"\n  {problem}" for problem in problems)
            message = f"{len(problems)} problems in the spec:{lines}"
            super().__init__(message, location=Location(first.location.file), hint=hint)


class TemplateError(CrudgenError):
    """A template failed to render, or rendered code that is not valid Python."""


class ConfigError(CrudgenError):
    """The configuration is invalid."""


class OutputConflictError(CrudgenError):
    """Writing would overwrite or delete a file crudgen did not generate."""


class WriteError(CrudgenError):
    """The output directory could not be written."""


class GeneratedCodeError(CrudgenError):
    """What crudgen rendered does not compile or import: its bug, or a model name the
    generated code cannot carry. Nothing is written."""
