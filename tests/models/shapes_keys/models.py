"""Primary key kinds, defaults of every origin, unique/index/foreign key constraints."""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from sqlalchemy import (
    Computed,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Numeric,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class KeysBase(DeclarativeBase):
    pass


def _default_code() -> str:
    return "xx"


class Country(KeysBase):
    """A natural string primary key: the client chooses it."""

    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True, comment="English name")


class Token(KeysBase):
    __tablename__ = "tokens"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    secret: Mapped[str] = mapped_column(String(64))


class Counter(KeysBase):
    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
    step: Mapped[int | None] = mapped_column(default=1)
    ratio: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("1.50"))
    label: Mapped[str] = mapped_column(String(20), default="plain")
    quoted: Mapped[str] = mapped_column(String(20), default="it's")
    enabled: Mapped[bool] = mapped_column(default=False)
    code: Mapped[str] = mapped_column(String(2), default=_default_code)
    origin: Mapped[str] = mapped_column(String(20), server_default="factory")
    rank: Mapped[int] = mapped_column(server_default=text("7"))
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime(timezone=True), onupdate=func.now()
    )
    touched_at: Mapped[datetime.datetime] = mapped_column(default=datetime.datetime.now)
    seen_at: Mapped[datetime.datetime | None] = mapped_column(DateTime)
    doubled: Mapped[int | None] = mapped_column(Computed("value * 2"))


class Ticket(KeysBase):
    __tablename__ = "tickets"

    number: Mapped[int] = mapped_column(Identity(start=100), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))


class Enrollment(KeysBase):
    """Composite primary key of two foreign keys."""

    __tablename__ = "enrollments"
    __table_args__ = (
        UniqueConstraint("country_code", "seat"),
        UniqueConstraint("badge"),
        Index("ix_enrollments_seat_badge", "seat", "badge"),
        Index("ix_enrollments_email", "email", unique=True),
    )

    token_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("tokens.id", ondelete="CASCADE"), primary_key=True
    )
    country_code: Mapped[str] = mapped_column(
        ForeignKey("countries.code", ondelete="RESTRICT"), primary_key=True
    )
    seat: Mapped[int]
    badge: Mapped[str] = mapped_column(String(12))
    email: Mapped[str] = mapped_column(String(254))
    counter_id: Mapped[int | None] = mapped_column(ForeignKey("counters.id"), index=True)
    plain: Mapped[str | None] = mapped_column(String(5))


class Pair(KeysBase):
    """Composite integer primary key: no column autoincrements."""

    __tablename__ = "pairs"

    left: Mapped[int] = mapped_column(primary_key=True)
    right: Mapped[int] = mapped_column(primary_key=True)
    weight: Mapped[float | None]
