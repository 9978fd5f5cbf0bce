"""Every column type crudgen maps, in both declaration styles, and unusual primary keys.

`Sample` is written in the classic `Column(...)` style, `Required` in the annotated
`Mapped[...]` style. They use their own `DeclarativeBase`, so their tables never mix with
the blog example's.
"""

from __future__ import annotations

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
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
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AllTypesBase(DeclarativeBase):
    pass


class Color(enum.Enum):
    """Names and values differ: the database stores names, the API speaks values."""

    RED = "red"
    GREEN = "green"
    BLUE = "blue"


class Sample(AllTypesBase):
    """One nullable column of every supported type, in the classic style."""

    __tablename__ = "samples"

    id = Column(Integer, primary_key=True)
    int_value = Column(Integer)
    big_value = Column(BigInteger)
    small_value = Column(SmallInteger)
    string_value = Column(String(20))
    text_value = Column(Text)
    bool_value = Column(Boolean)
    decimal_value = Column(Numeric(10, 3))
    float_value = Column(Float)
    date_value = Column(Date)
    aware_value = Column(DateTime(timezone=True))
    naive_value = Column(DateTime(timezone=False))
    time_value = Column(Time)
    interval_value = Column(Interval)
    color = Column(Enum(Color, name="sample_color"))
    size = Column(Enum("small", "medium", "large", name="sample_size"))
    json_value = Column(JSON)
    uuid_value = Column(Uuid)
    binary_value = Column(LargeBinary(length=16))


class Required(AllTypesBase):
    """The same types, not null, some with constant defaults, in the annotated style."""

    __tablename__ = "required_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    int_value: Mapped[int]
    big_value: Mapped[int] = mapped_column(BigInteger, default=2**40)
    small_value: Mapped[int] = mapped_column(SmallInteger, default=7)
    string_value: Mapped[str] = mapped_column(String(20), default="plain")
    text_value: Mapped[str] = mapped_column(Text)
    bool_value: Mapped[bool] = mapped_column(Boolean, default=False)
    decimal_value: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal("1.50"))
    float_value: Mapped[float] = mapped_column(Float, default=0.25)
    date_value: Mapped[datetime.date]
    aware_value: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=True))
    naive_value: Mapped[datetime.datetime] = mapped_column(DateTime(timezone=False))
    time_value: Mapped[datetime.time]
    interval_value: Mapped[datetime.timedelta]
    color: Mapped[Color] = mapped_column(default=Color.GREEN)
    size: Mapped[str] = mapped_column(
        Enum("small", "medium", "large", name="required_size"), default="medium"
    )
    json_value: Mapped[Any] = mapped_column(JSON)
    uuid_value: Mapped[uuid.UUID] = mapped_column(Uuid)
    binary_value: Mapped[bytes] = mapped_column(LargeBinary)


class Placement(AllTypesBase):
    """A composite primary key of mixed types, given by the client: /placements/{shelf}/{slot}."""

    __tablename__ = "placements"

    shelf: Mapped[int] = mapped_column(primary_key=True)
    slot: Mapped[str] = mapped_column(String(10), primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    note: Mapped[str | None] = mapped_column(Text)


class Country(AllTypesBase):
    """A natural string primary key: the client names the row on create."""

    __tablename__ = "countries"

    code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    population: Mapped[int | None] = mapped_column(BigInteger)


class Counter(AllTypesBase):
    """Narrow and wide integer primary keys: the path parameter is bounded like the column."""

    __tablename__ = "counters"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer(), "sqlite"), primary_key=True
    )
    small_key: Mapped[int] = mapped_column(SmallInteger, unique=True)
    count: Mapped[int] = mapped_column(default=0)


class Level(AllTypesBase):
    """A natural SmallInteger primary key: no autoincrement, the client numbers the rows."""

    __tablename__ = "levels"

    number: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(30))
