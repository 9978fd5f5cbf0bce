"""Single table inheritance: subclasses share one table, told apart by a discriminator."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Payment(Base):
    __tablename__ = "payments"

    id: Mapped[int] = mapped_column(primary_key=True)
    amount_cents: Mapped[int]
    kind: Mapped[str] = mapped_column(String(20))

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "payment"}


class CardPayment(Payment):
    last_four: Mapped[str | None] = mapped_column(String(4))

    __mapper_args__ = {"polymorphic_identity": "card"}


class BankPayment(Payment):
    iban: Mapped[str | None] = mapped_column(String(34))

    __mapper_args__ = {"polymorphic_identity": "bank"}
