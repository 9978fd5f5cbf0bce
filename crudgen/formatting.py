"""Format rendered sources with black, in-process. The only module that imports black."""

from __future__ import annotations

from dataclasses import replace

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from crudgen.errors import Location, TemplateError
from crudgen.files import RenderedFile


def black_mode(line_length: int = 88) -> Mode:
    return Mode(target_versions={TargetVersion.PY310}, line_length=line_length)


def format_files(files: list[RenderedFile], *, line_length: int = 88) -> list[RenderedFile]:
    mode = black_mode(line_length)
    return [replace(f, source=format_source(f, mode)) for f in files]


def format_source(file: RenderedFile, mode: Mode) -> str:
    try:
        return black.format_str(file.source, mode=mode)
    except InvalidInput as error:
        line = _error_line(str(error))
        snippet = _line_of(file.source, line)
        raise TemplateError(
            f"template {file.template} produced invalid Python in {file.path}: {error}"
            + (f"\n    {line}: {snippet}" if snippet else ""),
            location=Location(file.template, None),
            hint="fix the template (or your override of it) so it renders valid Python",
        ) from error


def _error_line(message: str) -> int | None:
    # black reports "Cannot parse for target version ...: 12:4: <text>"
    for part in message.split(": "):
        head = part.split(":")[0]
        if head.isdigit():
            return int(head)
    return None


def _line_of(source: str, line: int | None) -> str:
    lines = source.splitlines()
    if line is None or not 1 <= line <= len(lines):
        return ""
    return lines[line - 1].strip()
