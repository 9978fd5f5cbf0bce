"""Models of the scope tests: folders and documents that belong to a user; documents are
soft-deleted and upserted by slug."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Folder(Base):
    __tablename__ = "folders"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(50), default="")
    name: Mapped[str] = mapped_column(String(100))

    documents: Mapped[list[Document]] = relationship(back_populates="folder")


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(50), unique=True)
    owner: Mapped[str] = mapped_column(String(50), default="")
    title: Mapped[str] = mapped_column(String(200))
    folder_id: Mapped[int | None] = mapped_column(ForeignKey("folders.id"))
    is_deleted: Mapped[bool] = mapped_column(default=False)

    folder: Mapped[Folder | None] = relationship(back_populates="documents")
