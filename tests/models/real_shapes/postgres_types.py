"""PostgreSQL column types used without any crudgen configuration."""

from __future__ import annotations

import datetime
import enum
import uuid
from decimal import Decimal
from typing import Any

from sqlalchemy import DDL, Computed, Integer, String, event
from sqlalchemy.dialects.postgresql import (
    ARRAY,
    CIDR,
    ENUM,
    HSTORE,
    INET,
    INTERVAL,
    JSONB,
    MACADDR,
    MONEY,
    TSVECTOR,
    UUID,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Tier(enum.Enum):
    free = "free"
    pro = "pro"


class Server(Base):
    __tablename__ = "servers"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(60))
    address: Mapped[str] = mapped_column(INET)
    network: Mapped[str | None] = mapped_column(CIDR)
    mac: Mapped[str | None] = mapped_column(MACADDR)
    ports: Mapped[list[int]] = mapped_column(ARRAY(Integer), default=list)
    aliases: Mapped[list[str] | None] = mapped_column(ARRAY(String(40)))
    settings: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    labels: Mapped[dict[str, str | None] | None] = mapped_column(HSTORE)
    search: Mapped[str | None] = mapped_column(
        TSVECTOR, Computed("to_tsvector('english', name)", persisted=True)
    )
    tier: Mapped[Tier] = mapped_column(ENUM(Tier, name="server_tier"), default=Tier.free)
    uptime: Mapped[datetime.timedelta | None] = mapped_column(INTERVAL)
    monthly_cost: Mapped[Decimal | None] = mapped_column(MONEY)


# HSTORE is an extension: the database gets it with the tables (migrations would do the same).
event.listen(
    Base.metadata,
    "before_create",
    DDL("CREATE EXTENSION IF NOT EXISTS hstore").execute_if(dialect="postgresql"),
)
