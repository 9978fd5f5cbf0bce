"""Two declarative bases (two services in one repository), each with an `items` table."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class CatalogBase(DeclarativeBase):
    pass


class InventoryBase(DeclarativeBase):
    pass


class CatalogItem(CatalogBase):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(80))


class StockItem(InventoryBase):
    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    quantity: Mapped[int] = mapped_column(default=0)
