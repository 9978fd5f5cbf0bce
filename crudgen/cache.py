"""The run cache in `.crudgen-cache/`: a no-op `check` or `generate` without the pipeline.

crudgen runs on every commit (pre-commit), and a full run imports SQLAlchemy, the models,
Jinja and black for a result that is usually "nothing changed". After a run whose output
directory matches what the pipeline produced, crudgen records what that result depended on:

- the invocation: the command-line options, the current directory, the pyproject.toml that
  applies (its bytes), crudgen's version and the Python running it (the file's name hashes
  these, so each invocation has its own entry);
- every source file (a models file, a YAML spec) and every module the run imported (the
  models, the project modules they import, crudgen itself, black, SQLAlchemy, Jinja, ...),
  and the listing of each directory holding a project module (a new module in a models
  package is imported, and may be a model);
- every template file and the listings of the template directories (built-in and override);
- every file of the output directory that the plan covers, manifest included.

A run during which one of its inputs changed (it may have read the old text), or an output
changed after it was planned, is not recorded at all.

A later run with the same invocation key is "in sync" only when all of those are unchanged,
and then it imports none of the pipeline. Anything changed, missing, unreadable or corrupt is
a miss: the full pipeline runs and decides. Files are compared by content (SHA-256); the
file's stat (inode, size, mtime, ctime) stands in for reading it once the file has been left
alone for SETTLE_SECONDS, because any later write changes its ctime (which, unlike mtime, no
program can set back). Settled files under the Python installation (site-packages) are
recorded by stat alone: an upgrade rewrites them. The standard library is not recorded: the
key names the Python version.

What the cache cannot see: models whose mapping depends on something other than Python
source files, such as environment variables or data files read at import time. Run with
`--no-cache` there.

Also here: the formatting memo, black's output for each rendered text of the last run, so a
run in which most rendered files did not change formats only the ones that did.
"""

from __future__ import annotations

import hashlib
import json
import os
import site
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crudgen import __version__

if TYPE_CHECKING:
    from crudgen.config import Config
    from crudgen.files import RenderedFile
    from crudgen.formatting import Formatting
    from crudgen.pipeline import PlannedRun, StartFormatting
    from crudgen.plan import Plan

CACHE_DIR = ".crudgen-cache"
FORMAT_VERSION = 1
SETTLE_SECONDS = 2.0
KEEP_RUNS = 8  # entries of as many invocations (options, virtualenvs) at most
KEEP_MEMOS = 2  # formatting memos (one per output directory and black version)
_GITIGNORE = "# Created by crudgen: a cache, never to be committed.\n*\n"
_CACHEDIR_TAG = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# This directory is a cache created by crudgen (https://github.com/crudgen/crudgen).\n"
)

Fingerprint = dict[str, Any]  # {"sha256": str | None, "stat": [ino, size, mtime, ctime] | None}


@dataclass(frozen=True)
class CachedRun:
    """What an in-sync run reported: enough to report it again."""

    out_dir: Path
    files: tuple[str, ...]  # relative to out_dir, all unchanged
    warnings: tuple[str, ...]


class RunCache:
    """The cache entries of one invocation (see the module docstring)."""

    def __init__(self, directory: Path, key: Mapping[str, Any]) -> None:
        self.directory = directory
        self.key = dict(key)
        digest = hashlib.sha256(_canonical(self.key).encode()).hexdigest()
        self.entry_path = directory / f"run-{digest[:32]}.json"
        self.started: int | None = None  # see begin()
        # The formatting memo of this run, written by remember(): a failed run leaves nothing.
        self._memo: tuple[Path, dict[str, Any]] | None = None

    @classmethod
    def for_invocation(cls, cwd: Path, options: Mapping[str, Any]) -> RunCache | None:
        """options: the command-line values the configuration is built from. None when the
        inputs cannot be read (the full run will then say what is wrong)."""
        try:
            pyproject = find_pyproject(cwd)
            pyproject_hash = _file_sha256(pyproject) if pyproject else None
        except OSError:
            return None
        key = {
            "format": FORMAT_VERSION,
            "crudgen": __version__,
            "python": sys.version,
            "executable": sys.executable,
            "cwd": str(cwd.resolve()),
            "options": {name: _plain(value) for name, value in sorted(options.items())},
            "pyproject": str(pyproject) if pyproject else None,
            "pyproject_sha256": pyproject_hash,
        }
        root = pyproject.parent if pyproject else cwd
        return cls(root / CACHE_DIR, key)

    # -- the run entry ----------------------------------------------------------------------

    def in_sync_run(self) -> CachedRun | None:
        """The recorded run, when nothing it depended on has changed since; else None."""
        entry = _read_json(self.entry_path)
        try:
            return self._verified(entry) if entry is not None else None
        except (KeyError, TypeError, ValueError, AttributeError):
            return None  # an entry of another shape: a corrupt or foreign file

    def _verified(self, entry: dict[str, Any]) -> CachedRun | None:
        if entry["key"] != self.key:
            return None
        listings: dict[str, str | None] = entry["listings"]
        if any(_listing_hash(Path(d)) != digest for d, digest in listings.items()):
            return None
        out_dir: str = entry["out_dir"]
        checker = _Checker()
        if not checker.all_match(entry["inputs"]) or not checker.all_match(
            entry["outputs"], under=out_dir
        ):
            return None
        if checker.settled:
            self._write_entry(entry)  # those files now go by their stat
        return CachedRun(Path(out_dir), tuple(entry["outputs"]), tuple(entry["warnings"]))

    # -- the seam: the CLI runs the pipeline through these --------------------------------

    def replayed_run(self) -> PlannedRun | None:
        """The plan of a run the cache shows nothing has changed since: every file
        unchanged. Imports nothing of the pipeline (no SQLAlchemy, models, Jinja or black)."""
        from crudgen.pipeline import PlannedRun
        from crudgen.plan import Change, FileChange, Plan

        cached = self.in_sync_run()
        if cached is None:
            return None
        changes = tuple(FileChange(path, Change.UNCHANGED) for path in cached.files)
        return PlannedRun(Plan(cached.out_dir, changes), cached.warnings)

    def memoized(self, out_dir: Path) -> StartFormatting:
        """black over rendered files, reusing its output for texts the last run formatted;
        this run's output is kept for the next one (written when the run is recorded).
        Marks the start of the pipeline (see `begin`)."""
        from crudgen.formatting import formatter_id, start_formatting

        self.begin()

        def start_remembered(files: list[RenderedFile], *, line_length: int) -> Formatting:
            formatter = formatter_id(line_length)
            known = self.formatted(formatter, out_dir)
            formatting = start_formatting(files, line_length=line_length, known=known)
            return formatting.then(
                lambda formatted: self.keep_formatted(formatter, out_dir, files, formatted)
            )

        return start_remembered

    def record(self, run: PlannedRun) -> None:
        """Record a run whose plan the output directory now matches (applied, or in
        sync); a replayed run has nothing new to record."""
        if run.config is not None:
            self.remember(run.config, run.plan, run.warnings)

    def begin(self) -> None:
        """Note when the pipeline starts, by the clock the file system stamps files with: an
        input changed since may not be what the run read, so that run is not recorded."""
        # Beside the cache directory, not in it: a run that fails must leave nothing behind.
        marker = self.directory.parent / f".crudgen-start-{os.getpid()}.tmp"
        try:
            marker.write_bytes(b"")
            self.started = os.stat(marker).st_mtime_ns
            marker.unlink()
        except OSError:
            self.started = None

    def remember(self, config: Config, plan: Plan, warnings: Iterable[str]) -> None:
        """Record a run whose plan now matches the output directory on disk. Nothing is
        recorded when an input changed while the run went on, or an output since it was
        planned: the record would vouch for what the run never saw."""
        from crudgen.plan import Change

        self._write_memo()
        if self.started is None or config.pyproject != self._pyproject():
            return  # the configuration came from elsewhere than the key says: never guess
        installed = _installed_roots()
        project_dirs, inputs = _imported_files(installed)
        templates = _template_dirs(config)
        for directory in templates:
            inputs.update(_files_in(directory))
        if config.pyproject is not None:
            inputs.add(config.pyproject)
        # Sources that are read, not imported (a YAML spec); imported ones are modules too.
        inputs.update(Path(s).resolve() for s in config.sources if Path(s).is_file())
        now = time.time_ns()
        try:
            entry = {
                "key": self.key,
                "out_dir": str(config.out_dir),
                "warnings": list(warnings),
                "listings": {str(d): _listing_hash(d) for d in sorted(project_dirs | templates)},
                "inputs": {
                    str(p): _input_fingerprint(
                        p, now, self.started, hash_it=not _under(p, installed)
                    )
                    for p in sorted(inputs)
                },
                "outputs": {
                    c.path: _output_fingerprint(plan.location(c.path), c.new, now)
                    for c in plan.changes
                    if c.change is not Change.DELETE
                },
            }
        except (OSError, _ChangedMeanwhile):
            return
        self._write_entry(entry)

    def _pyproject(self) -> Path | None:
        found = self.key["pyproject"]
        return Path(found) if found else None

    def _write_entry(self, entry: dict[str, Any]) -> None:
        self._write(self.entry_path, entry)
        self._prune("run-*.json", keep=KEEP_RUNS)

    # -- the formatting memo ----------------------------------------------------------------

    def formatted(self, formatter: str, out_dir: Path) -> dict[str, str]:
        """black's output by content hash of the rendered text, from the last run."""
        memo = _read_json(self._memo_path(formatter, out_dir))
        if memo is None or memo.get("formatter") != formatter:
            return {}
        texts = memo.get("texts")
        if not isinstance(texts, dict):
            return {}
        return {k: v for k, v in texts.items() if isinstance(k, str) and isinstance(v, str)}

    def keep_formatted(
        self,
        formatter: str,
        out_dir: Path,
        rendered: list[RenderedFile],
        formatted: list[RenderedFile],
    ) -> None:
        from crudgen.formatting import memo_key

        texts = {
            memo_key(r): f.source
            for r, f in zip(rendered, formatted, strict=True)
            if r.source != f.source  # a text left as it was needs no memo
        }
        self._memo = (self._memo_path(formatter, out_dir), {"formatter": formatter, "texts": texts})

    def _write_memo(self) -> None:
        if self._memo is not None:
            self._write(*self._memo)
            self._prune("format-*.json", keep=KEEP_MEMOS)
            self._memo = None

    def _memo_path(self, formatter: str, out_dir: Path) -> Path:
        digest = hashlib.sha256(f"{formatter}\n{out_dir.resolve()}".encode()).hexdigest()
        return self.directory / f"format-{digest[:32]}.json"

    # -- writing ----------------------------------------------------------------------------

    def _write(self, path: Path, data: dict[str, Any]) -> None:
        """Best effort: a cache that cannot be written only makes the next run slower."""
        temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        try:
            self._create_directory()
            temp.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
            os.replace(temp, path)
        except OSError:
            temp.unlink(missing_ok=True)

    def _prune(self, pattern: str, *, keep: int) -> None:
        """Drop all but the newest entries: other invocations, virtualenvs, black versions."""
        try:
            entries = sorted(
                self.directory.glob(pattern), key=lambda p: p.stat().st_mtime_ns, reverse=True
            )
            for stale in entries[keep:]:
                stale.unlink(missing_ok=True)
        except OSError:
            pass  # another crudgen pruned at the same time

    def _create_directory(self) -> None:
        if self.directory.is_dir():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        (self.directory / ".gitignore").write_text(_GITIGNORE, encoding="utf-8")
        (self.directory / "CACHEDIR.TAG").write_text(_CACHEDIR_TAG, encoding="utf-8")


def find_pyproject(start: Path) -> Path | None:
    """The pyproject.toml the configuration reads (crudgen.config.find_pyproject, which
    `remember` checks against: that module imports pydantic, too slow for this path)."""
    for directory in (start.resolve(), *start.resolve().parents):
        candidate = directory / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


# -- fingerprints -------------------------------------------------------------------------


class _Checker:
    """Compares files with their fingerprints. A file that matched by content and has been
    left alone long enough gets its stat recorded in its fingerprint (`settled` says so).

    Paths stay strings: this runs for every file of the project on every commit."""

    def __init__(self) -> None:
        self.now = time.time_ns()
        self.settled = False

    def all_match(self, prints: Mapping[str, Fingerprint], *, under: str = "") -> bool:
        return all(
            self._matches(os.path.join(under, path), print_) for path, print_ in prints.items()
        )

    def _matches(self, path: str, print_: Fingerprint) -> bool:
        try:
            status = os.stat(path)
        except OSError:
            return False
        signature = _signature(status)
        if print_["stat"] is not None and print_["stat"] == signature:
            return True
        if print_["sha256"] is None or _file_sha256(path) != print_["sha256"]:
            return False
        if _settled(status, self.now):
            print_["stat"] = signature
            self.settled = True
        return True


class _ChangedMeanwhile(Exception):
    """A file changed while the run went on."""


def _input_fingerprint(path: Path, now: int, started: int, *, hash_it: bool) -> Fingerprint:
    status = os.stat(path)
    if max(status.st_mtime_ns, status.st_ctime_ns) >= started:
        raise _ChangedMeanwhile(path)
    settled = _settled(status, now)
    return {
        "sha256": _file_sha256(path) if hash_it or not settled else None,
        "stat": _signature(status) if settled else None,
    }


def _output_fingerprint(path: Path, planned: str | None, now: int) -> Fingerprint:
    status = os.stat(path)
    with open(path, "rb") as file:
        data = file.read()
    if planned is None or _as_read_by_plan(data) != planned:
        raise _ChangedMeanwhile(path)
    settled = _settled(status, now)
    return {
        "sha256": hashlib.sha256(data).hexdigest(),
        "stat": _signature(status) if settled else None,
    }


def _as_read_by_plan(data: bytes) -> str:
    """The text the plan compares: read_text(errors="replace"), universal newlines."""
    return data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")


def _signature(status: os.stat_result) -> list[int]:
    return [status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns]


def _settled(status: os.stat_result, now: int) -> bool:
    """Written long enough ago that a later write is bound to show in its ctime."""
    last_change = max(status.st_mtime_ns, status.st_ctime_ns)
    return last_change <= now - int(SETTLE_SECONDS * 1e9)


def _file_sha256(path: str | Path) -> str:
    with open(path, "rb") as file:
        return hashlib.sha256(file.read()).hexdigest()


def _listing_hash(directory: Path) -> str | None:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return None
    return hashlib.sha256("\n".join(names).encode("utf-8", "surrogateescape")).hexdigest()


# -- what a run depended on ---------------------------------------------------------------


def _imported_files(installed: tuple[str, ...]) -> tuple[set[Path], set[Path]]:
    """(directories of project modules, files of every imported module but the stdlib's)."""
    files: set[Path] = set()
    for name, module in list(sys.modules.items()):
        file = getattr(module, "__file__", None)
        if not file or name.partition(".")[0] in sys.stdlib_module_names:
            continue
        path = Path(file).resolve()
        if path.is_file():
            files.add(path)
    project_dirs = {p.parent for p in files if not _under(p, installed)}
    return project_dirs, files


def _template_dirs(config: Config) -> set[Path]:
    from crudgen.render import builtin_templates_dir

    dirs = {builtin_templates_dir().resolve()}
    if config.templates_dir is not None:
        dirs.add(config.templates_dir.resolve())
    return dirs


def _files_in(directory: Path) -> list[Path]:
    try:
        return [p.resolve() for p in directory.iterdir() if p.is_file()]
    except OSError:
        return []


def _installed_roots() -> tuple[str, ...]:
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots.update(getattr(site, "getsitepackages", list)())
    roots.add(site.getusersitepackages())
    return tuple(sorted(str(Path(r).resolve()) + os.sep for r in roots))


def _under(path: Path, roots: tuple[str, ...]) -> bool:
    return str(path).startswith(roots)


# -- helpers ------------------------------------------------------------------------------


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _plain(value: Any) -> Any:
    """An option value as JSON: paths and tuples as strings and lists."""
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (bool, int, str)):
        return value
    return str(value)


def _canonical(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))
