"""Columns of types crudgen cannot know, spread over two models (reported in one run)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer
from sqlalchemy.dialects.postgresql import BIT, INT4RANGE, TSRANGE
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import UserDefinedType


class Base(DeclarativeBase):
    pass


class Point(UserDefinedType[str]):
    """A geometry type of a third-party library, say; it says it holds text."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "POINT"

    @property
    def python_type(self) -> type:
        return str


class Booking(Base):
    __tablename__ = "bookings"

    id: Mapped[int] = mapped_column(primary_key=True)
    nights: Mapped[Any] = mapped_column(INT4RANGE)
    period: Mapped[Any] = mapped_column(TSRANGE)


class Site(Base):
    __tablename__ = "sites"

    id = Column(Integer, primary_key=True)
    location = Column(Point, nullable=False)
    flags = Column(BIT(8))
