"""Models of the secrets tests: accounts with a password hash and an API key."""

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Account(Base):
    __tablename__ = "accounts"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(255), unique=True)
    hashed_password: Mapped[str] = mapped_column(String(200))
    api_key: Mapped[str | None] = mapped_column(String(64))
    tokens_used: Mapped[int] = mapped_column(default=0)  # a count, not a token
