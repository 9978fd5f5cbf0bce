"""Format rendered sources with black, in-process. The only module that imports black.

Every file goes through black: the templates are written for people to read, and black lays
out what they render. Before black, a generated module's import block loses the names its
code does not use (templates import what their module may need). A file whose rendered text
an earlier run already formatted is not formatted again (the caller passes those results in
`known`), and many files are formatted across the cores, while the caller goes on with its
own work (`start_formatting`).
"""

from __future__ import annotations

import gc
import itertools
import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

from crudgen.errors import Location, TemplateError
from crudgen.files import RenderedFile, content_hash
from crudgen.imports import settle

# Below this much text, starting worker processes costs more than it saves.
PARALLEL_MIN_CHARS = 300_000
_CHUNK_FILES = 4


# black.format_str formats a changed text twice, for the rare layouts whose magic trailing
# commas only the first pass adds; the templates write none, so one pass gives the same
# text at half the cost (tests/unit/test_formatting.py holds the output to format_str's).
_format_once = getattr(black, "_format_str_once", black.format_str)


def black_mode(line_length: int = 88) -> Mode:
    return Mode(target_versions={TargetVersion.PY310}, line_length=line_length)


def formatter_id(line_length: int = 88) -> str:
    """What the formatted text depends on besides its input: a cache of results keys on it."""
    version = getattr(black, "__version__", "unknown")  # not declared in black's stubs
    return f"black {version}; py310; line length {line_length}"


@dataclass(frozen=True)
class Formatting:
    """black at work on a run's files. in_background: in other processes, so the caller's
    own work until `result()` runs beside it (else black runs when the result is asked)."""

    in_background: bool
    finish: Callable[[], list[RenderedFile]]

    def result(self) -> list[RenderedFile]:
        """The formatted files, in the order given; raises TemplateError for invalid Python."""
        return self.finish()

    def then(self, after: Callable[[list[RenderedFile]], None]) -> Formatting:
        """The same formatting, handing its result to `after` first (to remember it)."""

        def finish_and_hand_on() -> list[RenderedFile]:
            formatted = self.finish()
            after(formatted)
            return formatted

        return Formatting(self.in_background, finish_and_hand_on)


def format_files(
    files: list[RenderedFile],
    *,
    line_length: int = 88,
    known: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> list[RenderedFile]:
    """known: formatted text by memo_key of the rendered file, from an earlier run.
    workers: processes to format in (default: one per core, when there is enough to do)."""
    return start_formatting(files, line_length=line_length, known=known, workers=workers).result()


def start_formatting(
    files: list[RenderedFile],
    *,
    line_length: int = 88,
    known: Mapping[str, str] | None = None,
    workers: int | None = None,
) -> Formatting:
    """format_files, started: the worker processes (if any) have their work on return."""
    known = known or {}
    formatted = {(f.source, f.user_owned): known.get(memo_key(f)) for f in files}
    todo = [work for work, text in formatted.items() if text is None]
    in_background, results = _start_all(todo, line_length, workers)
    mode = black_mode(line_length)

    def finish() -> list[RenderedFile]:
        formatted.update(zip(todo, results(), strict=True))
        return [
            replace(f, source=_text_of(f, formatted[f.source, f.user_owned], mode)) for f in files
        ]

    return Formatting(in_background, finish)


def memo_key(file: RenderedFile) -> str:
    """What a remembered result is found by: the rendered text, and whether it is settled
    (its imports pruned) before black."""
    return content_hash(file.source) if file.user_owned else content_hash("pruned\n" + file.source)


def _text_of(file: RenderedFile, formatted: str | None, mode: Mode) -> str:
    return formatted if formatted is not None else format_source(file, mode)  # raises


def format_source(file: RenderedFile, mode: Mode) -> str:
    source = settle(file.source, file.user_owned)
    try:
        return str(_format_once(source, mode=mode))
    except InvalidInput as error:
        line = _error_line(str(error))
        snippet = _line_of(file.source, line)
        raise TemplateError(
            f"template {file.template} produced invalid Python in {file.path}: {error}"
            + (f"\n    {line}: {snippet}" if snippet else ""),
            location=Location(file.template, None),
            hint="fix the template (or your override of it) so it renders valid Python",
        ) from error


def _start_all(
    work: list[tuple[str, bool]], line_length: int, workers: int | None
) -> tuple[bool, Callable[[], list[str | None]]]:
    """Each (source, user-owned) pruned unless user-owned, then through black; None where
    black rejects one (format_source then says why). Returns whether the work went to other
    processes, and the call that waits for it."""
    if workers is None:
        size = sum(len(source) for source, _ in work)
        workers = _cores() if size >= PARALLEL_MIN_CHARS else 1
    workers = min(workers, -(-len(work) // _CHUNK_FILES))
    if workers <= 1:
        return False, lambda: _format_here(work, line_length)
    # Submitted now, from this thread: the workers fork before the caller imports anything.
    pool = ProcessPoolExecutor(workers, initializer=gc.freeze)
    results = pool.map(_format_or_none, work, itertools.repeat(line_length), chunksize=_CHUNK_FILES)

    def collect() -> list[str | None]:
        try:
            return list(results)
        finally:
            pool.shutdown()

    return True, collect


def _format_here(work: list[tuple[str, bool]], line_length: int) -> list[str | None]:
    with _collector_paused():
        return [_format_or_none(item, line_length) for item in work]


def _format_or_none(work: tuple[str, bool], line_length: int) -> str | None:
    source, user_owned = work
    try:
        return str(_format_once(settle(source, user_owned), mode=black_mode(line_length)))
    except InvalidInput:
        return None


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def _collector_paused() -> Iterator[None]:
    """black makes many short-lived objects, and each collection would scan every object the
    run already holds (the imported models, the IR): leave those out of the collector's
    sight while black works, which makes formatting a quarter faster."""
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


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
