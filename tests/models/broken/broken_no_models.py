"""Imports fine, has a declarative base, but maps no class."""

from sqlalchemy.orm import DeclarativeBase


class EmptyBase(DeclarativeBase):
    pass


class NotAModel:
    id = 1
