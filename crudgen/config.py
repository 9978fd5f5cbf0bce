"""One frozen Config per run: what to read, where to write, and how to render."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./app.db"


@dataclass(frozen=True)
class Config:
    sources: tuple[str, ...]
    out_dir: Path
    force: bool = False
    create_tables: bool = True
    templates_dir: Path | None = None
    title: str = "crudgen API"
    default_page_size: int = 50
    max_page_size: int = 100
    line_length: int = 88
    database_url: str = DEFAULT_DATABASE_URL
