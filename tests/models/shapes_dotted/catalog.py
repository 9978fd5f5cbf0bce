from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class CatalogBase(DeclarativeBase):
    pass


class Sku(CatalogBase):
    __tablename__ = "skus"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
