"""Who is calling: a toy bearer-token scheme standing in for your real one (OAuth2, a
session cookie, ...). crudgen only needs a FastAPI dependency that returns the user or
answers 401; `[tool.crudgen] auth` in pyproject.toml names this one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Header, HTTPException, status


@dataclass(frozen=True)
class User:
    name: str
    author_id: int  # the Author row this user writes as
    roles: tuple[str, ...]  # `require_roles` in the generated routers reads these


# Demo users. Never ship tokens in code: this stands in for a real identity provider.
USERS = {
    "ada-token": User("ada", author_id=1, roles=("writer",)),
    "grace-token": User("grace", author_id=2, roles=("writer", "editor")),
}


async def current_user(authorization: Annotated[str | None, Header()] = None) -> User:
    token = (authorization or "").removeprefix("Bearer ").strip()
    user = USERS.get(token)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "sign in: send Authorization: Bearer <token>",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user
