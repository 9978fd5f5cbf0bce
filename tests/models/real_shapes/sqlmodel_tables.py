"""SQLModel `table=True` classes, with pydantic constraints on their fields."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlmodel import Field, SQLModel


class Hero(SQLModel, table=True):
    __tablename__ = "heroes"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(min_length=2, max_length=40, index=True)
    # SQLModel's own `regex` is lost under pydantic 2: a pattern goes through schema_extra.
    secret_name: str = Field(max_length=60, schema_extra={"pattern": r"^[A-Z]\w*$"})
    age: int | None = Field(default=None, ge=0, le=150)
    power: float = Field(default=1.0, gt=0, lt=100)
    fee: Decimal = Field(default=Decimal("0"), max_digits=8, decimal_places=2, ge=0)
    team_id: uuid.UUID | None = Field(default=None, foreign_key="teams.id")


class Team(SQLModel, table=True):
    __tablename__ = "teams"

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    name: str = Field(max_length=30, unique=True)
