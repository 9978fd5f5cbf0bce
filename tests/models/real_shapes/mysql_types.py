"""MySQL / MariaDB column types used without any crudgen configuration."""

from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.dialects.mysql import SET, TINYINT, YEAR
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Album(Base):
    __tablename__ = "albums"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(100))
    rating: Mapped[int] = mapped_column(TINYINT, default=0)
    released: Mapped[int | None] = mapped_column(YEAR)
    formats: Mapped[set[str]] = mapped_column(SET("cd", "vinyl", "tape"), default=set)
