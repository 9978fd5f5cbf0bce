"""What a person reads after `generate`: counts of what changed."""

from __future__ import annotations

from pathlib import Path

from rich.console import Console

from crudgen.plan import Change, Plan

_VERBS = (
    (Change.CREATE, "created"),
    (Change.UPDATE, "updated"),
    (Change.DELETE, "deleted"),
    (Change.UNCHANGED, "unchanged"),
)


def print_summary(out_dir: Path, plan: Plan, console: Console | None = None) -> None:
    console = console or Console()
    counts = plan.counts
    parts = [f"{counts[change]} {verb}" for change, verb in _VERBS if counts[change]]
    console.print(f"[green]crudgen:[/] {out_dir}: {', '.join(parts) or 'nothing to do'}")
