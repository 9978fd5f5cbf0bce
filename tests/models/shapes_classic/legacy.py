"""`declarative_base()` and `Column` attributes, the pre-2.0 way."""

import datetime
import enum
import uuid

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Integer,
    Interval,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    func,
)
from sqlalchemy.orm import declarative_base, relationship

LegacyBase = declarative_base()


class Shade(enum.Enum):
    LIGHT = "light"
    DARK = "dark"


class TrimmedString(TypeDecorator):
    impl = String(30)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return value.strip() if value is not None else None


class Gizmo(LegacyBase):
    __tablename__ = "gizmos"
    __table_args__ = (UniqueConstraint("serial"),)

    id = Column(Integer, primary_key=True)
    serial = Column(String(32), nullable=False)
    big = Column(BigInteger, nullable=False)
    small = Column(SmallInteger)
    notes = Column(Text, comment="Free-form notes")
    active = Column(Boolean, nullable=False, default=True)
    price = Column(Numeric(12, 4), nullable=False, default=0)
    weight = Column(Float)
    made_on = Column(Date, server_default="2000-01-01")
    made_at = Column(DateTime)
    synced_at = Column(DateTime(timezone=True), default=datetime.datetime.now)
    opens = Column(Time)
    warranty = Column(Interval)
    shade = Column(Enum(Shade), nullable=False, default=Shade.LIGHT)
    grade = Column(Enum("a", "b", "c", name="grade"), default="b")
    specs = Column(JSON, default=dict)
    ref = Column(Uuid, default=uuid.uuid4, nullable=False)
    firmware = Column(LargeBinary)
    label = Column(TrimmedString, nullable=False)
    created_at = Column(DateTime(timezone=True), server_default=func.now(), nullable=False)
    updated_at = Column(DateTime(timezone=True), onupdate=func.now())

    parts = relationship("Part", back_populates="gizmo")


class Part(LegacyBase):
    __tablename__ = "parts"

    id = Column(Integer, primary_key=True)
    gizmo_id = Column(Integer, ForeignKey("gizmos.id", ondelete="SET NULL"), index=True)
    name = Column(String(50), nullable=False)

    gizmo = relationship("Gizmo", back_populates="parts")
