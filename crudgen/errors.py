"""Errors meant for people: each says what is wrong, where, and what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A place in a user's file that an error points at."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        return self.file if self.line is None else f"{self.file}:{self.line}"


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


class TemplateError(CrudgenError):
    """A template failed to render, or rendered code that is not valid Python."""


class ConfigError(CrudgenError):
    """The configuration is invalid."""


class OutputConflictError(CrudgenError):
    """Writing would overwrite or delete a file crudgen did not generate."""


class WriteError(CrudgenError):
    """The output directory could not be written."""
