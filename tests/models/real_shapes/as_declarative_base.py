"""The classic `@as_declarative` base with `__tablename__` from a declared_attr."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import as_declarative, declared_attr


@as_declarative()
class Base:
    id: Any
    __name__: str

    @declared_attr.directive
    def __tablename__(cls) -> str:
        return cls.__name__.lower()


class Recipe(Base):
    id = Column(Integer, primary_key=True, index=True)
    title = Column(String(100), index=True, nullable=False)
    description = Column(String(500))
