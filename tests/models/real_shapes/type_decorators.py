"""TypeDecorators typed by what they hold: a GUID kept in CHAR(36), a list kept as text."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import CHAR, Column, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class Base(DeclarativeBase):
    pass


class GUID(TypeDecorator[uuid.UUID]):
    """The portable GUID recipe: 36 characters everywhere. No python_type of its own."""

    impl = CHAR(36)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else str(uuid.UUID(str(value)))

    def process_result_value(self, value: Any, dialect: Any) -> uuid.UUID | None:
        return None if value is None else uuid.UUID(value)


class TypedGUID(GUID):
    """The same, saying what it holds (for classic Column models without annotations)."""

    cache_ok = True

    @property
    def python_type(self) -> type:
        return uuid.UUID


class StringList(TypeDecorator[list[str]]):
    """A list of strings kept as JSON text (databases without arrays)."""

    impl = Text
    cache_ok = True

    @property
    def python_type(self) -> type:
        return list

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else json.dumps(list(value))

    def process_result_value(self, value: Any, dialect: Any) -> list[str] | None:
        return None if value is None else json.loads(value)


class Account(Base):
    __tablename__ = "accounts"

    id: Mapped[uuid.UUID] = mapped_column(GUID, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(80))
    tags: Mapped[list[str]] = mapped_column(StringList, default=list)
    referrer_id: Mapped[uuid.UUID | None] = mapped_column(GUID, ForeignKey("accounts.id"))


class Device(Base):
    """Classic Column style: no annotations, so the decorator's python_type decides."""

    __tablename__ = "devices"

    id = Column(Integer, primary_key=True)
    serial = Column(TypedGUID, nullable=False, unique=True)
    labels = Column(StringList, nullable=True)
