"""Columns inherited from mixins and abstract bases; computed attributes to skip."""

from __future__ import annotations

import datetime

from sqlalchemy import DateTime, ForeignKey, String, func, select
from sqlalchemy.orm import (
    DeclarativeBase,
    Mapped,
    column_property,
    declared_attr,
    deferred,
    mapped_column,
)


class MixinBase(DeclarativeBase):
    pass


class TimestampMixin:
    created_at: Mapped[datetime.datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    updated_at: Mapped[datetime.datetime | None] = mapped_column(
        DateTime(timezone=True), onupdate=func.now()
    )


class OwnedMixin:
    @declared_attr
    def owner_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("owners.id"))


class AuditedModel(TimestampMixin, MixinBase):
    """An abstract base: its columns land in every subclass's own table."""

    __abstract__ = True

    id: Mapped[int] = mapped_column(primary_key=True)
    note: Mapped[str | None] = mapped_column(String(200))


class Owner(AuditedModel):
    __tablename__ = "owners"

    first_name: Mapped[str] = mapped_column(String(50))
    last_name: Mapped[str] = mapped_column(String(50))
    full_name: Mapped[str] = column_property(first_name + " " + last_name)
    resume: Mapped[str | None] = deferred(mapped_column(String(2000)))


class Pet(OwnedMixin, AuditedModel):
    __tablename__ = "pets"

    name: Mapped[str] = mapped_column(String(50))


Owner.pet_count = column_property(
    select(func.count(Pet.id)).where(Pet.owner_id == Owner.id).scalar_subquery()
)
