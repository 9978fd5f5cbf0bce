"""A to-do list API from SQLModel table models (see ../README.md)."""
