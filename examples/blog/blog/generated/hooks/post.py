# Created once by crudgen for Post. This file is yours: crudgen never changes it.
"""Your code for Post: hooks the generated crud functions call, and custom routes.

Hooks run inside the request's transaction, before the commit: raise to abort it.
"""

from typing import Any

from fastapi import APIRouter
from sqlalchemy import ColumnElement, or_
from sqlalchemy.ext.asyncio import AsyncSession

from blog.models import Post, PostStatus

from ..auth import current_principal

# Routes added here are served under /posts too, before the generated ones.
router = APIRouter()


def scope(principal: Any) -> list[ColumnElement[bool]]:
    """Drafts are their author's alone: anyone else gets a 404 for them, and lists leave
    them out. Published and archived posts are everyone's to read."""
    return [or_(Post.status != PostStatus.DRAFT, Post.author_id == principal.author_id)]


async def before_create(
    session: AsyncSession, values: dict[str, Any]
) -> dict[str, Any]:
    """A post is written by whoever creates it: no request names its author."""
    return {**values, "author_id": current_principal.get().author_id}


async def after_create(session: AsyncSession, row: Post) -> None:
    """The row is inserted; the transaction is not committed yet."""


async def before_update(
    session: AsyncSession, key: dict[str, Any], values: dict[str, Any]
) -> dict[str, Any]:
    """Check or change the values a PATCH or PUT writes; return the values to write."""
    return values


async def after_update(session: AsyncSession, row: Post) -> None:
    """The row is updated; the transaction is not committed yet."""


async def before_delete(session: AsyncSession, key: dict[str, Any]) -> None:
    """Runs before the row with this primary key is deleted."""


async def after_delete(session: AsyncSession, key: dict[str, Any]) -> None:
    """The row is deleted; the transaction is not committed yet."""
