"""A mapping SQLAlchemy cannot configure: the relationship target does not exist.

Loaded only in a subprocess: a failed configure_mappers() poisons every registry in
the process.
"""

from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class MappingBase(DeclarativeBase):
    pass


class Orphan(MappingBase):
    __tablename__ = "orphans"

    id: Mapped[int] = mapped_column(primary_key=True)
    parent = relationship("NoSuchModel")
