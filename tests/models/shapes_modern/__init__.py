"""SQLAlchemy 2.0 style: `Mapped[...]` annotations and `mapped_column()`."""
