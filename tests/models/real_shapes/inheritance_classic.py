"""Inheritance with classic `Column(...)` attributes: a joined hierarchy three levels deep
whose base holds a version and a soft-delete flag, and a single-table hierarchy whose base
has no identity of its own (every animal is a dog or a cat)."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Vehicle(Base):
    __tablename__ = "vehicles"

    id = Column(Integer, primary_key=True)
    name = Column(String(40), nullable=False)
    kind = Column(String(20), nullable=False)
    version = Column(Integer, nullable=False)
    is_deleted = Column(Boolean, nullable=False, default=False)

    __mapper_args__ = {"polymorphic_on": kind, "polymorphic_identity": "vehicle"}


class Car(Vehicle):
    __tablename__ = "cars"

    id = Column(Integer, ForeignKey("vehicles.id"), primary_key=True)
    seats = Column(Integer, nullable=False)

    __mapper_args__ = {"polymorphic_identity": "car"}


class Truck(Vehicle):
    __tablename__ = "trucks"

    id = Column(Integer, ForeignKey("vehicles.id"), primary_key=True)
    load_kg = Column(Integer, nullable=False)

    __mapper_args__ = {"polymorphic_identity": "truck"}


class DumpTruck(Truck):
    __tablename__ = "dump_trucks"

    id = Column(Integer, ForeignKey("trucks.id"), primary_key=True)
    bed_m3 = Column(Integer)

    __mapper_args__ = {"polymorphic_identity": "dump_truck"}


class Animal(Base):
    __tablename__ = "animals"

    id = Column(Integer, primary_key=True)
    name = Column(String(30), nullable=False)
    species = Column(String(10), nullable=False)

    __mapper_args__ = {"polymorphic_on": species}


class Dog(Animal):
    good = Column(Boolean)

    __mapper_args__ = {"polymorphic_identity": "dog"}


class Cat(Animal):
    lives = Column(Integer)

    __mapper_args__ = {"polymorphic_identity": "cat"}
