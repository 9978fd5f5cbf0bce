"""A column of a type crudgen cannot map: a two-dimensional ARRAY."""

from sqlalchemy import ARRAY, Integer
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class ArrayBase(DeclarativeBase):
    pass


class Scoreboard(ArrayBase):
    __tablename__ = "scoreboards"

    id: Mapped[int] = mapped_column(primary_key=True)
    scores: Mapped[list[list[int]]] = mapped_column(ARRAY(Integer, dimensions=2))
