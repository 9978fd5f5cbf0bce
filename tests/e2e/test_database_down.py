"""The app survives its database: it starts while the database is down (tables created on
first use), says so on /health/ready while /health/live answers, and requests meanwhile
are a 503 with Retry-After, never a 500."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from tests.conftest import GeneratedPackage

MODELS = Path(__file__).resolve().parent / "models" / "owned_notes.py"
# Nothing listens on port 1 of the loopback: every connection is refused at once.
UNREACHABLE = "postgresql+asyncpg://postgres@127.0.0.1:1/test"


async def test_the_app_starts_and_answers_503_while_the_database_is_down(
    generate: Callable[..., GeneratedPackage], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", UNREACHABLE)
    package = generate(MODELS)
    app = package.module("app").app
    async with app.router.lifespan_context(app):  # start-up does not fail
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/health/live")).json() == {"status": "ok"}
            ready = await client.get("/health/ready")
            assert ready.status_code == 503 and ready.json() == {"status": "unavailable"}
            for method, url in (("GET", "/notes"), ("POST", "/notes"), ("GET", "/notes/1")):
                answer = await client.request(method, url, json={"text": "x"})
                assert answer.status_code == 503, (method, url, answer.text)
                assert answer.headers["retry-after"] == "5"
                assert "unavailable" in answer.json()["detail"]


async def test_ready_when_the_database_answers_and_health_can_be_switched_off(
    tmp_path: Path,
    generate: Callable[..., GeneratedPackage],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'up.db'}")
    package = generate(MODELS)
    app = package.module("app").app
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            assert (await client.get("/health/ready")).json() == {"status": "ok"}
            assert (await client.post("/notes", json={"text": "x"})).status_code == 201
    quiet = generate(MODELS, health=False)
    paths = quiet.module("app").app.openapi()["paths"]
    assert not [path for path in paths if path.startswith("/health")]
