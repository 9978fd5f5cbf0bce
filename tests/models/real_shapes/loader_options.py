"""Relationships declared with every loader strategy real projects use."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import (
    DeclarativeBase,
    DynamicMapped,
    Mapped,
    WriteOnlyMapped,
    mapped_column,
    relationship,
)


class Base(DeclarativeBase):
    pass


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    members_joined: Mapped[list[Member]] = relationship(lazy="joined", viewonly=True)
    members_subquery: Mapped[list[Member]] = relationship(lazy="subquery", viewonly=True)
    members_selectin: Mapped[list[Member]] = relationship(lazy="selectin", viewonly=True)
    members_raise: Mapped[list[Member]] = relationship(lazy="raise", viewonly=True)
    members_noload: Mapped[list[Member]] = relationship(lazy="noload", viewonly=True)
    members_dynamic: DynamicMapped[Member] = relationship(viewonly=True)
    members: WriteOnlyMapped[Member] = relationship(back_populates="team")


class Member(Base):
    __tablename__ = "members"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(50))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    team: Mapped[Team] = relationship(back_populates="members", lazy="joined")
