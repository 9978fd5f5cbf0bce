"""Relationships declared with every loader strategy real projects use."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
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


class Badge(Base):
    """Deferred columns, one raising when loaded late, and a relationship raising when
    loaded at all: the API still answers every column."""

    __tablename__ = "badges"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(50))
    artwork: Mapped[str | None] = mapped_column(Text, deferred=True)
    notes: Mapped[str | None] = mapped_column(Text, deferred=True, deferred_raiseload=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("members.id"))
    member: Mapped[Member | None] = relationship(lazy="raise")
