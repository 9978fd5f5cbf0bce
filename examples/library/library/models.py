"""A lending library: items of two kinds, their copies on the shelves, the authors
of books, and a tree of categories.

- Inheritance: `Item` is the base of a joined-table hierarchy; `Book` and
  `Periodical` each add a table of their own, told apart by `Item.kind` (the
  discriminator). `Item` has no identity: every item is a book or a periodical.
- A composite primary key: a `Copy` is keyed by its item and its number.
- A self-reference: a `Category` may sit below another one (`parent_id`).
- A many-to-many: books and their authors, through the association class
  `BookAuthor` (its own composite key, and the order in which authors are credited).
"""

from __future__ import annotations

import enum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Frequency(enum.Enum):
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"


class Condition(enum.Enum):
    GOOD = "good"
    WORN = "worn"
    DAMAGED = "damaged"


class Category(Base):
    """A shelf section; sections nest (Fiction > Crime)."""

    __tablename__ = "categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))

    parent: Mapped[Category | None] = relationship(
        remote_side="Category.id", back_populates="children"
    )
    children: Mapped[list[Category]] = relationship(back_populates="parent")


class Author(Base):
    __tablename__ = "authors"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    born: Mapped[int | None]


class Item(Base):
    """Anything the library lends: a book or a periodical."""

    __tablename__ = "items"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int | None]
    category_id: Mapped[int | None] = mapped_column(ForeignKey("categories.id"))

    __mapper_args__ = {"polymorphic_on": "kind"}


class Book(Item):
    __tablename__ = "books"

    id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    isbn: Mapped[str] = mapped_column(String(13), unique=True)
    pages: Mapped[int | None]

    # Read through the association class, which is where links are written.
    authors: Mapped[list[Author]] = relationship(
        secondary="book_authors", order_by="Author.name", viewonly=True
    )

    __mapper_args__ = {"polymorphic_identity": "book"}


class Periodical(Item):
    __tablename__ = "periodicals"

    id: Mapped[int] = mapped_column(ForeignKey("items.id"), primary_key=True)
    issn: Mapped[str] = mapped_column(String(9))
    issue: Mapped[int]
    frequency: Mapped[Frequency] = mapped_column(default=Frequency.MONTHLY)

    __mapper_args__ = {"polymorphic_identity": "periodical"}


class BookAuthor(Base):
    """An author credited on a book: the link of the many-to-many, with its position."""

    __tablename__ = "book_authors"

    book_id: Mapped[int] = mapped_column(
        ForeignKey("books.id", ondelete="CASCADE"), primary_key=True
    )
    author_id: Mapped[int] = mapped_column(ForeignKey("authors.id"), primary_key=True)
    position: Mapped[int] = mapped_column(default=1)


class Copy(Base):
    """One physical copy of an item, numbered within it."""

    __tablename__ = "copies"

    item_id: Mapped[int] = mapped_column(
        ForeignKey("items.id", ondelete="CASCADE"), primary_key=True
    )
    copy_number: Mapped[int] = mapped_column(primary_key=True)
    shelf: Mapped[str] = mapped_column(String(20))
    condition: Mapped[Condition] = mapped_column(default=Condition.GOOD)
