"""Long model, table and column names, as enterprise schemas have them."""

from __future__ import annotations

import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class CustomerSubscriptionBillingAgreementAmendment(Base):
    __tablename__ = "customer_subscription_billing_agreement_amendments"

    id: Mapped[int] = mapped_column(primary_key=True)
    amendment_reference_identifier_supplied_by_partner: Mapped[str] = mapped_column(String(120))
    effective_from_date_in_customer_local_timezone: Mapped[datetime.date]
    previous_amendment_in_the_same_agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("customer_subscription_billing_agreement_amendments.id")
    )
