# Created once by crudgen for Author. This file is yours: crudgen never changes it.
"""Your code for Author: hooks the generated crud functions call, and custom routes.

Hooks run inside the request's transaction, before the commit: raise to abort it.
"""

from typing import Any

from fastapi import APIRouter
from sqlalchemy import ColumnElement
from sqlalchemy.ext.asyncio import AsyncSession

from library.models import Author

# Routes added here are served under /authors too, before the generated ones.
router = APIRouter()


def scope(principal: Any) -> list[ColumnElement[bool]]:
    """Extra WHERE conditions for every get, list, count, update and delete of Author
    (bulk and upsert included), for the current user: what your auth dependency
    returned, or None without one.

    For example `return [Author.owner_id == principal.id]`: each user sees and
    changes only their rows, and another's row is a 404.
    """
    return []


async def before_create(
    session: AsyncSession,
    values: dict[str, Any],
) -> dict[str, Any]:
    """Check or change the column values of a new row; return the values to insert."""
    return values


async def after_create(session: AsyncSession, row: Author) -> None:
    """The row is inserted; the transaction is not committed yet."""


async def before_update(
    session: AsyncSession,
    key: dict[str, Any],
    values: dict[str, Any],
) -> dict[str, Any]:
    """Check or change the values a PATCH or PUT writes; return the values to write."""
    return values


async def after_update(session: AsyncSession, row: Author) -> None:
    """The row is updated; the transaction is not committed yet."""


async def before_delete(session: AsyncSession, key: dict[str, Any]) -> None:
    """Runs before the row with this primary key is deleted."""


async def after_delete(session: AsyncSession, key: dict[str, Any]) -> None:
    """The row is deleted; the transaction is not committed yet."""
