"""A unique handle compared the way people read it: case- and accent-insensitively.

MariaDB's default collation already compares so; on PostgreSQL the column takes a
nondeterministic ICU collation that the metadata creates before its tables.
"""

from sqlalchemy import DDL, String, event
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

CASE_INSENSITIVE = String(30).with_variant(String(30, collation="crudgen_ci"), "postgresql")


class Base(DeclarativeBase):
    pass


event.listen(
    Base.metadata,
    "before_create",
    DDL(
        "CREATE COLLATION IF NOT EXISTS crudgen_ci "
        "(provider = icu, locale = 'und-u-ks-level1', deterministic = false)"
    ).execute_if(dialect="postgresql"),
)


class Member(Base):
    __tablename__ = "members"
    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(CASE_INSENSITIVE, unique=True)
    score: Mapped[int] = mapped_column(default=0)


class Badge(Base):
    """A natural key read the same way: `ABC` names the badge stored as `abc`."""

    __tablename__ = "badges"
    code: Mapped[str] = mapped_column(CASE_INSENSITIVE, primary_key=True)
    label: Mapped[str] = mapped_column(String(30), default="")
