"""Single-table and joined-table inheritance next to an ordinary model."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class InheritBase(DeclarativeBase):
    pass


class Employee(InheritBase):
    """Single-table inheritance: the polymorphic base."""

    __tablename__ = "employees"
    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "employee"}

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))


class Manager(Employee):
    __mapper_args__ = {"polymorphic_identity": "manager"}

    budget: Mapped[int | None]


class Vehicle(InheritBase):
    """Joined-table inheritance: the polymorphic base."""

    __tablename__ = "vehicles"
    __mapper_args__ = {"polymorphic_on": "type", "polymorphic_identity": "vehicle"}

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(20))


class Car(Vehicle):
    __tablename__ = "cars"
    __mapper_args__ = {"polymorphic_identity": "car"}

    id: Mapped[int] = mapped_column(ForeignKey("vehicles.id"), primary_key=True)
    doors: Mapped[int]


class Document(InheritBase):
    """A plain mapped class that is subclassed without polymorphic_on."""

    __tablename__ = "documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(100))


class Invoice(Document):
    __tablename__ = "invoices"

    id: Mapped[int] = mapped_column(ForeignKey("documents.id"), primary_key=True)
    total: Mapped[int]


class Garage(InheritBase):
    """An ordinary model: still generated."""

    __tablename__ = "garages"

    id: Mapped[int] = mapped_column(primary_key=True)
    vehicle_id: Mapped[int | None] = mapped_column(ForeignKey("vehicles.id"))
