from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from .base import PackageBase


class Writer(PackageBase):
    __tablename__ = "writers"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
