"""A legacy schema mapped to Python names: CamelCase columns, a key column named
`SupplierID`, a column named after a reserved word (`type`)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Supplier(Base):
    __tablename__ = "tblSupplier"

    id: Mapped[int] = mapped_column("SupplierID", primary_key=True)
    name: Mapped[str] = mapped_column("SupplierName", String(80))
    kind: Mapped[str] = mapped_column("type", String(20), default="retail")
    rating: Mapped[int | None] = mapped_column("Rating")


class Ledger(Base):
    """A column named as the API names the parameter of the key (`key_id`)."""

    __tablename__ = "ledgers"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(String(20))


class Product(Base):
    """A row referring to a Supplier through `SupplierID`."""

    __tablename__ = "tblProduct"

    id: Mapped[int] = mapped_column("ProductID", primary_key=True)
    supplier_id: Mapped[int] = mapped_column("SupplierID", ForeignKey("tblSupplier.SupplierID"))
    supplier: Mapped[Supplier] = relationship()
