"""Projects and their tasks, as SQLModel table models.

crudgen reads `table=True` classes like any SQLAlchemy model, and carries the pydantic
constraints of their fields (min_length, ge, le, ...) into the generated schemas.
"""

from __future__ import annotations

import datetime

from sqlalchemy import func
from sqlmodel import Field, SQLModel


class Project(SQLModel, table=True):
    __tablename__ = "projects"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(min_length=1, max_length=80, unique=True)
    description: str | None = Field(default=None, max_length=500)


class Task(SQLModel, table=True):
    __tablename__ = "tasks"

    id: int | None = Field(default=None, primary_key=True)
    project_id: int = Field(foreign_key="projects.id", index=True)
    title: str = Field(min_length=1, max_length=200)
    priority: int = Field(default=3, ge=1, le=5)
    done: bool = False
    due_on: datetime.date | None = None
    created_at: datetime.datetime | None = Field(
        default=None, sa_column_kwargs={"server_default": func.now()}
    )
