"""Every column type crudgen supports, declared in the 2.0 `Mapped[]` style."""

from __future__ import annotations

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Any, Literal

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    Integer,
    Interval,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    TypeDecorator,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class ModernBase(DeclarativeBase):
    pass


class Mood(enum.Enum):
    HAPPY = "happy"
    GRUMPY = "grumpy"


class LowerCaseString(TypeDecorator[str]):
    """Stores strings lower-cased: validates like the String(40) it stores as."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return value.lower() if value is not None else None


class Specimen(ModernBase):
    """A row with one column of every supported type.

    This second paragraph is not part of the description.
    """

    __tablename__ = "specimens"

    id: Mapped[int] = mapped_column(primary_key=True)
    an_integer: Mapped[int] = mapped_column(Integer)
    a_big_integer: Mapped[int] = mapped_column(BigInteger)
    a_small_integer: Mapped[int] = mapped_column(SmallInteger)
    a_string: Mapped[str] = mapped_column(String(120))
    a_text: Mapped[str] = mapped_column(Text)
    a_boolean: Mapped[bool] = mapped_column(Boolean)
    a_numeric: Mapped[Decimal] = mapped_column(Numeric(10, 2))
    a_numeric_as_float: Mapped[float] = mapped_column(Numeric(8, 3, asdecimal=False))
    a_float: Mapped[float] = mapped_column(Float)
    a_date: Mapped[datetime.date] = mapped_column(Date)
    a_naive_datetime: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=False))
    an_aware_datetime: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    a_time: Mapped[datetime.time] = mapped_column(Time)
    an_interval: Mapped[datetime.timedelta] = mapped_column(Interval)
    a_class_enum: Mapped[Mood] = mapped_column(Enum(Mood))
    a_choice_enum: Mapped[str] = mapped_column(Enum("small", "large", name="size"))
    a_json: Mapped[dict[str, Any]] = mapped_column(JSON)
    a_uuid: Mapped[uuid.UUID] = mapped_column(Uuid)
    a_binary: Mapped[bytes] = mapped_column(LargeBinary(256))
    a_decorated: Mapped[str] = mapped_column(LowerCaseString)


class Inferred(ModernBase):
    """Types inferred from the annotations alone, nullability from `| None`."""

    __tablename__ = "inferred"

    id: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int]
    label: Mapped[str]
    note: Mapped[str | None]
    ratio: Mapped[float]
    price: Mapped[Decimal | None]
    flag: Mapped[bool]
    born: Mapped[datetime.date]
    seen_at: Mapped[datetime.datetime | None]
    alarm: Mapped[datetime.time]
    ttl: Mapped[datetime.timedelta]
    token: Mapped[uuid.UUID]
    blob: Mapped[bytes | None]
    mood: Mapped[Mood]
    size: Mapped[Literal["s", "m", "l"]]
    renamed: Mapped[str] = mapped_column("renamed_column", String(10))
