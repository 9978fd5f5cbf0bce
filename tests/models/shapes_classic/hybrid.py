"""A 2.0 `DeclarativeBase` whose models still use `Column` attributes."""

from sqlalchemy import Column, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase


class HybridBase(DeclarativeBase):
    pass


class Memo(HybridBase):
    __tablename__ = "memos"
    __table_args__ = {"comment": "Short notes to self"}

    id = Column(Integer, primary_key=True)
    title = Column(String(80), nullable=False, unique=True)
    body = Column(Text)
