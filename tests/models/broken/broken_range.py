"""A column of a PostgreSQL-only type crudgen cannot map: INT4RANGE."""

from sqlalchemy import Column, Integer
from sqlalchemy.dialects.postgresql import INT4RANGE
from sqlalchemy.orm import DeclarativeBase


class RangeBase(DeclarativeBase):
    pass


class Booking(RangeBase):
    __tablename__ = "bookings"

    id = Column(Integer, primary_key=True)
    nights = Column(INT4RANGE, nullable=False)
