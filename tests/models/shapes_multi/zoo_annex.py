"""Another `Keeper` class, in another module and registry."""

from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class AnnexBase(DeclarativeBase):
    pass


class Keeper(AnnexBase):
    __tablename__ = "annex_keepers"
    id: Mapped[int] = mapped_column(primary_key=True)
