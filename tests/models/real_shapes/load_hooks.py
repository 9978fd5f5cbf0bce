"""Models running code of their own when a row loads: an `@reconstructor`, a `load`
listener, and a mapper-level version counter (`version_id_col`)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, reconstructor


class Base(DeclarativeBase):
    pass


class Gauge(Base):
    """Keeps a reading cache that is not a column, set up whenever a row loads."""

    __tablename__ = "gauges"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40))

    @reconstructor
    def start_cache(self) -> None:
        self.readings: list[float] = []


class Sensor(Base):
    """Counts the rows loaded, through a `load` listener."""

    __tablename__ = "sensors"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40))


LOADED: list[str] = []


@event.listens_for(Sensor, "load")
def count_loaded(sensor: Sensor, _context: Any) -> None:
    LOADED.append(sensor.label)


class Meter(Base):
    """Versioned by the ORM itself: every UPDATE moves `revision` on."""

    __tablename__ = "meters"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
    revision: Mapped[int] = mapped_column(nullable=False)

    __mapper_args__ = {"version_id_col": revision}


class Dial(Base):
    """Notes the rows refreshed, through a `refresh` listener."""

    __tablename__ = "dials"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40))


REFRESHED: list[str] = []


@event.listens_for(Dial, "refresh")
def note_refreshed(dial: Dial, _context: Any, _names: Any) -> None:
    REFRESHED.append(dial.label)
