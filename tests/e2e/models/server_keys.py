"""Keys on PostgreSQL (test_bulk_autocommit.py): one the server fills in with `gen_random_uuid()` (no number to
match a multi-row INSERT's rows to their items by), and one it counts up."""

import uuid

from sqlalchemy import String, Uuid, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Badge(Base):
    __tablename__ = "badges"

    id: Mapped[uuid.UUID] = mapped_column(
        Uuid, primary_key=True, server_default=text("gen_random_uuid()")
    )
    handle: Mapped[str] = mapped_column(String(30), unique=True)


class Counter(Base):
    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(30), unique=True)
    score: Mapped[int] = mapped_column(default=0)
