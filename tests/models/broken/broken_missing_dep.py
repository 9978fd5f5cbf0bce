"""A models file importing a package that is not installed."""

import crudgen_test_no_such_dependency  # MISSING-HERE
from sqlalchemy.orm import DeclarativeBase

__all__ = ["DeclarativeBase", "crudgen_test_no_such_dependency"]
