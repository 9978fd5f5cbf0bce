"""How long crudgen takes, run as whole processes the way a shell or pre-commit runs it.

    python benchmarks/generator.py [--models 200] [--rounds 15] [--repeat 3]

Writes a synthetic project (benchmarks/synthetic.py: --models models of 10-20 columns with
foreign keys, relationships and many-to-many tables) into a temporary directory and times,
side by side in this one run:

- the bare interpreter importing crudgen's CLI (`python -c "import crudgen.cli"`), the yardstick;
- `crudgen --help`;
- `crudgen check` and `crudgen generate --quiet` on the unchanged project, as the pre-commit
  hooks run them (settings from pyproject.toml), and a check with options on the command line;
- a cold `crudgen generate` (no output directory, no cache);
- `crudgen generate` after one model changed;
- a cold run's stages alone, in one process (reading and rendering, black over every file,
  importing the new package before writing), how many lines the project generates, and the
  shortest a cold run could take on this machine's cores, from those CPU times.

The quick commands are timed in interleaved rounds (one of each per round) so that a busy
machine slows them alike; the table gives medians, CPU time (user + system, worker processes
included) and each wall time as a multiple of the yardstick. Bytecode caching is on, as for an
installed crudgen.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import change_one_model, write_project  # noqa: E402

CRUDGEN = [sys.executable, "-m", "crudgen"]
QUICK = {
    "python -c 'import crudgen.cli'": [sys.executable, "-c", "import crudgen.cli"],
    "crudgen --help": [*CRUDGEN, "--help"],
    "crudgen check (unchanged; pre-commit's call)": [*CRUDGEN, "check"],
    "crudgen generate --quiet (unchanged; the other hook)": [*CRUDGEN, "generate", "--quiet"],
    "crudgen check shop/models --out shop/api (unchanged)": [
        *CRUDGEN,
        "check",
        "shop/models",
        "--out",
        "shop/api",
    ],
}
YARDSTICK = "python -c 'import crudgen.cli'"


@dataclass
class Timing:
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)


def run(command: Sequence[str], cwd: Path, *, expect: int = 0) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children)."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if result.returncode != expect:
        raise SystemExit(f"{' '.join(command)} exited {result.returncode}:\n{result.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def timed(timing: Timing, command: Sequence[str], cwd: Path, **kwargs: int) -> None:
    wall, cpu = run(command, cwd, **kwargs)
    timing.wall.append(wall)
    timing.cpu.append(cpu)


def repeat(
    times: int, prepare: Callable[[int], object], command: Sequence[str], cwd: Path
) -> Timing:
    timing = Timing()
    for number in range(times):
        prepare(number)
        timed(timing, command, cwd)
    return timing


def cold_stages(root: Path) -> None:
    """Print the CPU seconds each stage of a cold run takes alone, in this one process:
    reading the models and rendering, black over every file, and the import of the new
    package that precedes writing (issue 13); then the files' count, size and lines."""
    from crudgen.config import build_config
    from crudgen.formatting import format_files
    from crudgen.imports import settled
    from crudgen.pipeline import render_run
    from crudgen.verify import verify_new_modules

    os.chdir(root)
    config = build_config(root)
    start = time.process_time()
    rendered = render_run(config)
    render = time.process_time() - start
    start = time.process_time()
    formatted = format_files(rendered.files, line_length=config.line_length, workers=1)
    black = time.process_time() - start
    # An output directory that does not exist: every module is new, as in a cold run.
    never_written = root / "cold-run-output"
    start = time.process_time()
    verify_new_modules(settled(rendered.files), never_written, rendered.models)
    imported = time.process_time() - start
    size = sum(len(f.source) for f in formatted)
    lines = sum(f.source.count("\n") for f in formatted)
    print(f"{render:.3f} {black:.3f} {imported:.3f} {len(formatted)} {size} {lines}")


def main() -> None:
    if sys.argv[1:2] == ["--cold-stages"]:
        return cold_stages(Path(sys.argv[2]))
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=15, help="rounds of the quick commands")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each generate timing")
    parser.add_argument("--keep", type=Path, help="write the project here and keep it")
    parser.add_argument(
        "--long-names", action="store_true", help="model names as long as real projects'"
    )
    arguments = parser.parse_args()

    root = arguments.keep or Path(tempfile.mkdtemp(prefix="crudgen-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    write_project(root, models=arguments.models, long_names=arguments.long_names)
    load_before = os.getloadavg()
    try:
        results = measure(root, arguments)
        report(results, arguments, load_before, root)
    finally:
        if arguments.keep is None:
            shutil.rmtree(root)


def measure(root: Path, arguments: argparse.Namespace) -> dict[str, Timing]:
    output, cache = root / "shop" / "api", root / ".crudgen-cache"

    def cold(_: int) -> None:
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)

    results = {}
    results["crudgen generate (cold: no output, no cache)"] = repeat(
        arguments.repeat, cold, [*CRUDGEN, "generate"], root
    )
    results["crudgen generate (one model changed)"] = repeat(
        arguments.repeat,
        lambda number: change_one_model(root, 81 + number),
        [*CRUDGEN, "generate"],
        root,
    )
    stages_run = subprocess.run(
        [sys.executable, __file__, "--cold-stages", str(root)], capture_output=True, text=True
    )
    render, black, imported, files, size, lines = stages_run.stdout.split()
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    # Black spreads over the cores; the import is one process beside it.
    floor = float(render) + max(float(imported), (float(black) + float(imported)) / cores)
    print(
        "a cold run's stages alone (one process, CPU): reading and rendering "
        f"{float(render):.2f} s, "
        f"black over {files} files ({int(size) / 1e6:.1f} MB, {int(lines)} lines) "
        f"{float(black):.2f} s, importing the new package {float(imported):.2f} s; "
        f"on {cores} cores no cold run can take less than {floor:.1f} s (black and the import "
        "run beside each other, after rendering)"
    )
    # Let the files settle (see crudgen/cache.py) and record every invocation once.
    time.sleep(2.5)
    for command in QUICK.values():
        run(command, root)
    quick = {name: Timing() for name in QUICK}
    for _ in range(arguments.rounds):
        for name, command in QUICK.items():
            timed(quick[name], command, root)
    return quick | results


def report(
    results: dict[str, Timing],
    arguments: argparse.Namespace,
    load_before: tuple[float, float, float],
    root: Path,
) -> None:
    import sqlalchemy

    from crudgen.formatting import formatter_id

    files = sum(1 for _ in (root / "shop" / "api").rglob("*.py"))
    yardstick = statistics.median(results[YARDSTICK].wall)
    print(
        f"{arguments.models} models ({files} generated files); "
        f"{os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}, "
        f"{formatter_id().split(';')[0]}, SQLAlchemy {sqlalchemy.__version__}; "
        f"load average {load_before[0]:.1f} before, {os.getloadavg()[0]:.1f} after"
    )
    print()
    print("| command | runs | wall (median) | CPU (median) | wall / import |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, timing in results.items():
        wall, cpu = statistics.median(timing.wall), statistics.median(timing.cpu)
        print(
            f"| `{name}` | {len(timing.wall)} | {_seconds(wall)} | {_seconds(cpu)} "
            f"| {wall / yardstick:.2f} |"
        )


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.1f} s"


if __name__ == "__main__":
    main()
