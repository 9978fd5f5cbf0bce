"""Models of the owner-stamping tests: memos whose owner no request gives (no default: the
before_create hook stamps it from the signed-in user)."""

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Memo(Base):
    __tablename__ = "memos"
    id: Mapped[int] = mapped_column(primary_key=True)
    owner: Mapped[str] = mapped_column(String(50))
    text: Mapped[str] = mapped_column(String(200))
