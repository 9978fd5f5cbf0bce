"""A synthetic models package of many models, for the generator benchmark.

Deterministic (a seeded random generator): the same arguments write the same bytes. The
models look like an application's: integer and UUID keys, foreign keys between models (across
modules) with relationships on both sides, many-to-many association tables, enums, numeric,
JSON and timestamp columns, optimistic locking and soft delete on some.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from pathlib import Path

MODELS_PER_MODULE = 20
# The column a benchmark edits to change one model: see `change_one_model`.
EDITED_COLUMN = "label"

_HEADER = '''"""Synthetic models, part {part}: written by benchmarks/synthetic.py."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Table,
    Text,
    Time,
    Uuid,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.db import Base, Status
'''

_DB = '''"""The declarative base and the enums the synthetic models share."""

import enum

from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    pass


class Status(enum.Enum):
    DRAFT = "draft"
    ACTIVE = "active"
    RETIRED = "retired"
'''

# (annotation, mapped_column arguments) for the ordinary columns a model may have.
_COLUMN_KINDS = (
    ("str", "String({n})"),
    ("str | None", "String({n})"),
    ("str", "Text, default=''"),
    ("str | None", "Text"),
    ("int", "default=0"),
    ("int | None", "BigInteger"),
    ("int", "SmallInteger, default=1"),
    ("bool", "default=False"),
    ("bool | None", ""),
    ("datetime.datetime", "DateTime(timezone=True), server_default=func.now()"),
    ("datetime.datetime | None", "DateTime(timezone=True)"),
    ("datetime.date | None", "Date"),
    ("datetime.time | None", "Time"),
    ("decimal.Decimal", "Numeric(12, 2), default=decimal.Decimal('0')"),
    ("decimal.Decimal | None", "Numeric(8, 3)"),
    ("float | None", "Float"),
    ("dict[str, Any] | None", "JSON"),
    ("uuid.UUID | None", "Uuid"),
    ("Status", "Enum(Status), default=Status.DRAFT"),
    ("bytes | None", "LargeBinary"),
)


# Names as long as real projects use them, for --long-names.
LONG_STEM = "InvoiceLineAdjustmentRecord"


@dataclass
class _Model:
    index: int
    uuid_key: bool
    long_names: bool = False
    lines: list[str] = field(default_factory=list)
    relations: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{LONG_STEM if self.long_names else 'Item'}{self.index:03d}"

    @property
    def table(self) -> str:
        stem = "invoice_line_adjustment_record" if self.long_names else "item"
        return f"{stem}_{self.index:03d}"

    @property
    def module(self) -> int:
        return self.index // MODELS_PER_MODULE


def write_project(
    root: Path, *, models: int = 200, seed: int = 6, long_names: bool = False
) -> Path:
    """Write `shop/` (a package of model modules) and pyproject.toml under root; return root."""
    rng = random.Random(seed)
    package = root / "shop"
    (package / "models").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text("")
    (package / "db.py").write_text(_DB)
    (package / "models" / "__init__.py").write_text('"""The synthetic models."""\n')
    (root / "pyproject.toml").write_text(
        '[tool.crudgen]\nsources = ["shop/models"]\nout = "shop/api"\ntitle = "Synthetic shop"\n'
    )
    built = [_Model(i, uuid_key=i % 10 == 7, long_names=long_names) for i in range(models)]
    association_tables: dict[int, list[str]] = {}
    for model in built:
        _columns(model, built, rng)
        if model.index % 10 == 3 and model.index >= 10:
            association_tables.setdefault(model.module, []).extend(
                _many_to_many(model, built[model.index - 10 + rng.randrange(3)])
            )
    for part in range((models + MODELS_PER_MODULE - 1) // MODELS_PER_MODULE):
        chunk = [m for m in built if m.module == part]
        text = _HEADER.format(part=part)
        for line in association_tables.get(part, []):
            text += line + "\n"
        for model in chunk:
            text += "\n\n" + "\n".join(model.lines + model.relations) + "\n"
        (package / "models" / f"part_{part:02d}.py").write_text(text)
    return root


def _columns(model: _Model, built: list[_Model], rng: random.Random) -> None:
    lines = model.lines
    lines.append(f"class {model.name}(Base):")
    lines.append(f'    """Synthetic model number {model.index}."""')
    lines.append("")
    lines.append(f'    __tablename__ = "{model.table}"')
    lines.append("")
    if model.uuid_key:
        lines.append(
            "    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)"
        )
    else:
        lines.append("    id: Mapped[int] = mapped_column(primary_key=True)")
    lines.append(f"    {EDITED_COLUMN}: Mapped[str] = mapped_column(String(80), index=True)")
    if model.index % 5 == 0:
        lines.append("    code: Mapped[str] = mapped_column(String(32), unique=True)")
    parents = rng.sample(built[: model.index], k=min(model.index, rng.choice((0, 1, 1, 2))))
    for parent in parents:
        _foreign_key(model, parent, rng)
    for number in range(rng.randint(6, 14)):
        annotation, arguments = rng.choice(_COLUMN_KINDS)
        arguments = arguments.format(n=rng.choice((40, 100, 255)))
        lines.append(f"    field_{number}: Mapped[{annotation}] = mapped_column({arguments})")
    if model.index % 7 == 0:
        lines.append("    version: Mapped[int] = mapped_column(default=1)")
    if model.index % 9 == 0:
        lines.append("    is_deleted: Mapped[bool] = mapped_column(default=False)")
        lines.append("    deleted_at: Mapped[datetime.datetime | None] = mapped_column(DateTime())")
    lines.append(
        "    updated_at: Mapped[datetime.datetime | None] = mapped_column("
        "DateTime(timezone=True), onupdate=func.now())"
    )


def _foreign_key(model: _Model, parent: _Model, rng: random.Random) -> None:
    column = f"{parent.table}_id"
    key_type = "uuid.UUID" if parent.uuid_key else "int"
    optional = rng.random() < 0.4
    annotation = f"{key_type} | None" if optional else key_type
    ondelete = ', ondelete="CASCADE"' if not optional and rng.random() < 0.5 else ""
    model.lines.append(
        f"    {column}: Mapped[{annotation}] = mapped_column("
        f'ForeignKey("{parent.table}.id"{ondelete}), index=True)'
    )
    back = f"{model.table}_set"
    target = f'"{parent.name} | None"' if optional else f'"{parent.name}"'
    model.relations.append(
        f"    {parent.table}: Mapped[{target}] = relationship(back_populates={back!r})"
    )
    parent.relations.append(
        f'    {back}: Mapped[list["{model.name}"]] = relationship(back_populates={parent.table!r})'
    )


def _many_to_many(model: _Model, other: _Model) -> list[str]:
    table = f"{model.table}_{other.table}"
    key = "Uuid" if model.uuid_key else "BigInteger"
    other_key = "Uuid" if other.uuid_key else "BigInteger"
    model.relations.append(
        f'    tagged_{other.table}: Mapped[list["{other.name}"]] = relationship('
        f'secondary="{table}", back_populates="tagged_by_{model.table}")'
    )
    other.relations.append(
        f'    tagged_by_{model.table}: Mapped[list["{model.name}"]] = relationship('
        f'secondary="{table}", back_populates="tagged_{other.table}")'
    )
    return [
        f"{table} = Table(",
        f'    "{table}",',
        "    Base.metadata,",
        f'    Column("{model.table}_id", {key}, ForeignKey("{model.table}.id"), primary_key=True),',
        f'    Column("{other.table}_id", {other_key}, ForeignKey("{other.table}.id"), '
        "primary_key=True),",
        ")",
    ]


def change_one_model(root: Path, length: int) -> Path:
    """Give Item000's edited column another length; return the file changed."""
    path = root / "shop" / "models" / "part_00.py"
    text = path.read_text()
    marker = f"    {EDITED_COLUMN}: Mapped[str] = mapped_column(String("
    start = text.index(marker) + len(marker)
    end = text.index(")", start)
    path.write_text(text[:start] + str(length) + text[end:])
    return path
