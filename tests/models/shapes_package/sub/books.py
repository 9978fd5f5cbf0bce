from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from ..base import PackageBase


class Volume(PackageBase):
    __tablename__ = "volumes"

    id: Mapped[int] = mapped_column(primary_key=True)
    writer_id: Mapped[int] = mapped_column(ForeignKey("writers.id"))
    title: Mapped[str] = mapped_column(String(200))
