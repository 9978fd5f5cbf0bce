"""Classes declared out of alphabetical order, with their own base."""

from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class ZooBase(DeclarativeBase):
    pass


class Zebra(ZooBase):
    __tablename__ = "zebras"
    id: Mapped[int] = mapped_column(primary_key=True)


class Aardvark(ZooBase):
    __tablename__ = "aardvarks"
    id: Mapped[int] = mapped_column(primary_key=True)


class Meerkat(ZooBase):
    __tablename__ = "meerkats"
    id: Mapped[int] = mapped_column(primary_key=True)


class Keeper(ZooBase):
    __tablename__ = "keepers"
    id: Mapped[int] = mapped_column(primary_key=True)
