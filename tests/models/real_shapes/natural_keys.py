"""Natural string keys: ISO codes and slugs chosen by the client, referenced by others."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Currency(Base):
    __tablename__ = "currencies"

    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))


class Country(Base):
    __tablename__ = "countries"

    iso_code: Mapped[str] = mapped_column(String(2), primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    currency_code: Mapped[str] = mapped_column(ForeignKey("currencies.code"))
    currency: Mapped[Currency] = relationship()
