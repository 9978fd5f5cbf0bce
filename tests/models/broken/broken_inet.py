"""A column of a PostgreSQL-only type crudgen cannot map: INET."""

from sqlalchemy import Column, Integer
from sqlalchemy.dialects.postgresql import INET
from sqlalchemy.orm import DeclarativeBase


class InetBase(DeclarativeBase):
    pass


class Host(InetBase):
    __tablename__ = "hosts"

    id = Column(Integer, primary_key=True)
    address = Column(INET, nullable=False)
