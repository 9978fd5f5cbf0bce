"""Concurrent bulk writes over the same rows (issue 17, item 15): a deadlock or a
serialization failure is the database undoing one transaction to let the others on. Bulk
writes take their rows in key order, which avoids most; the rest are retried a bounded
number of times, then answered 503. Never a 500."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GeneratedPackage, url_of
from tests.e2e.test_bulk_and_upsert import MODELS_PATH

CLIENTS = 40
HANDLES = [f"h{n:02}" for n in range(16)]


@pytest.fixture(params=["postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_of(request.param, tmp_path)


@pytest.fixture(scope="module")
def players(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    return generate_once(MODELS_PATH)


async def test_concurrent_shuffled_bulk_upserts_all_succeed(
    players: GeneratedPackage, app_client: Any
) -> None:
    shuffler = random.Random(17)
    async with app_client(players) as client:
        seeded = await client.post("/players/bulk", json=[{"handle": h} for h in HANDLES])
        assert seeded.status_code == 201, seeded.text

        async def upsert(writer: int) -> Any:
            handles = shuffler.sample(HANDLES, 10)
            batch = [{"handle": h, "score": writer} for h in handles]
            return handles, await client.post("/players/bulk/upsert", json=batch)

        answers = await asyncio.gather(*(upsert(writer) for writer in range(CLIENTS)))
        statuses = [response.status_code for _, response in answers]
        assert 500 not in statuses, [r.text for _, r in answers if r.status_code == 500][:2]
        assert statuses.count(200) >= CLIENTS - 2, statuses  # a 503 only after the retries
        for handles, response in answers:
            if response.status_code == 200:
                assert [p["handle"] for p in response.json()] == handles, "in item order"
