"""Columns named like the parameters, locals and class attributes of the generated code:
a composite key holding an integer called `version` (never the lock column), and plain
columns called `hard`, `cursor`, `sort`, `limit`, `session`, `sortable`, `after`, ...
Both code styles: `Mapped[...]` (Revision) and classic `Column(...)` (Ledger)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Integer, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Revision(Base):
    __tablename__ = "revisions"

    document: Mapped[str] = mapped_column(String(40), primary_key=True)
    version: Mapped[int] = mapped_column(primary_key=True)
    hard: Mapped[bool] = mapped_column(default=False)
    cursor: Mapped[str | None] = mapped_column(String(20))
    fields: Mapped[str | None] = mapped_column(String(20))
    sort: Mapped[int | None]
    count: Mapped[int | None]
    include_deleted: Mapped[bool | None]
    offset: Mapped[int | None]
    limit: Mapped[int | None]
    items: Mapped[str | None] = mapped_column(String(20))
    ids: Mapped[str | None] = mapped_column(String(20))
    values: Mapped[str | None] = mapped_column(String(20))
    expected_version: Mapped[int | None]
    if_match: Mapped[str | None] = mapped_column(String(20))


class Ledger(Base):
    __tablename__ = "ledgers"

    id = Column(Integer, primary_key=True)
    session = Column(String(20))
    data = Column(String(20))
    query = Column(String(20))
    resource = Column(String(20))
    response = Column(String(20))
    status = Column(String(20))
    crud = Column(String(20))
    hooks = Column(String(20))
    router = Column(String(20))
    select = Column(String(20))
    sortable = Column(String(20))
    readable = Column(String(20))
    cursor_key = Column(String(20))
    after = Column(Integer)
    found = Column(Boolean)
