"""The application's own authentication, as the auth tests configure it: a bearer token
names a user; no token or an unknown one is a 401."""

from typing import Annotated, Any

from fastapi import Header, HTTPException

USERS = {
    "token-ann": {"name": "ann", "roles": ["writer", "admin"]},
    "token-bob": {"name": "bob", "roles": ["writer"]},
    "token-eve": {"name": "eve", "roles": ["reader"]},
}


async def get_current_user(authorization: Annotated[str | None, Header()] = None) -> Any:
    token = (authorization or "").removeprefix("Bearer ").strip()
    if token not in USERS:
        raise HTTPException(401, "Sign in first", headers={"WWW-Authenticate": "Bearer"})
    return USERS[token]
