"""Rows with an integer `version` column (optimistic locking by its name) and one with
SQLAlchemy's own `version_id_col` (locking the user asked for in the mapping)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Article(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(default=1)


class Setting(Base):
    __tablename__ = "settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    value: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(default=1)


class Ledger(Base):
    __tablename__ = "ledgers"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column()

    __mapper_args__ = {"version_id_col": revision}
