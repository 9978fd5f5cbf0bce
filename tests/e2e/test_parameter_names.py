"""Columns named like what the generated code names (issue 13, item 1): the package imports
and every route works, on SQLite and PostgreSQL, in both code styles. A name the generated
code cannot carry is refused before anything is written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crudgen.cli import app
from crudgen.config import Config
from crudgen.errors import GeneratedCodeError
from crudgen.pipeline import plan_run
from tests.conftest import MODELS, GeneratedPackage

SHAPE = MODELS / "real_shapes" / "parameter_names.py"
REVISION = {
    "document": "spec",
    "version": 1,
    "hard": True,
    "cursor": "c",
    "fields": "f",
    "sort": 3,
    "count": 2,
    "include_deleted": True,
    "offset": 7,
    "limit": 4,
    "items": "i",
    "ids": "x",
    "values": "v",
    "expected_version": 5,
    "if_match": "m",
}
LEDGER = {
    "session": "s",
    "data": "d",
    "query": "q",
    "resource": "r",
    "response": "x",
    "status": "open",
    "crud": "c",
    "hooks": "h",
    "router": "r",
    "select": "s",
    "sortable": "yes",
    "readable": "no",
    "cursor_key": "k",
    "after": 3,
    "found": True,
}


@pytest.fixture(scope="module", params=["functions", "inline"])
def package(
    request: pytest.FixtureRequest, generate_once: Callable[..., GeneratedPackage]
) -> GeneratedPackage:
    return generate_once(SHAPE, style=request.param)


async def test_a_key_part_named_version_is_a_key_not_a_lock(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        created = await client.post("/revisions", json=REVISION)
        assert created.status_code == 201, created.text
        assert created.json() == REVISION and "etag" not in created.headers
        second = await client.post("/revisions", json=REVISION | {"version": 2})
        assert second.status_code == 201
        url = "/revisions/spec/1"
        assert (await client.get(url)).json()["version"] == 1
        changed = await client.patch(url, json={"hard": False, "limit": 9, "values": "w"})
        assert changed.status_code == 200, changed.text
        assert (changed.json()["hard"], changed.json()["limit"]) == (False, 9)
        replaced = await client.put(
            url, json={k: v for k, v in REVISION.items() if k not in ("document", "version")}
        )
        assert replaced.status_code == 200, replaced.text
        page = (await client.get("/revisions?sort=-version&limit=1&count__gte=2")).json()
        assert [row["version"] for row in page["items"]] == [2] and page["total"] == 2
        assert (await client.get("/revisions?hard=true&offset__lte=7")).json()["total"] == 2
        bulk = await client.patch(
            "/revisions",
            json={"ids": [{"document": "spec", "version": 2}], "values": {"items": "j"}},
        )
        assert bulk.status_code == 200 and bulk.json()[0]["items"] == "j"
        assert (await client.delete(url)).status_code == 204
        assert (await client.get(url)).status_code == 404


async def test_columns_named_like_the_generated_code_keep_every_route_working(
    package: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(package) as client:
        for n in range(3):
            created = await client.post("/ledgers", json=LEDGER | {"after": n})
            assert created.status_code == 201, created.text
        assert created.json() == LEDGER | {"after": 2, "id": 3}
        # sort and fields still check against the real sortable and readable fields
        page = (await client.get("/ledgers?sort=-after&fields=id,after")).json()
        assert page["items"] == [
            {"id": 3, "after": 2},
            {"id": 2, "after": 1},
            {"id": 1, "after": 0},
        ]
        assert (await client.get("/ledgers?sort=nope")).status_code == 422
        # filters on those columns, and cursor paging beside a column called `after`
        assert (await client.get("/ledgers?sortable=yes&after__gte=1")).json()["total"] == 2
        first = (await client.get("/ledgers?limit=2")).json()
        rest = (await client.get(f"/ledgers?limit=2&cursor={first['next_cursor']}")).json()
        assert [row["id"] for row in first["items"] + rest["items"]] == [1, 2, 3]
        updated = await client.patch("/ledgers/1", json={"session": "t", "query": "u"})
        assert updated.status_code == 200 and updated.json()["session"] == "t"
        removed = await client.request("DELETE", "/ledgers", json={"ids": [1, 2]})
        assert removed.status_code == 204
        assert (await client.get("/ledgers")).json()["total"] == 1


def test_a_field_that_would_hide_a_name_of_the_generated_code_is_refused(
    tmp_path: Path,
) -> None:
    models = tmp_path / "odd_models.py"
    models.write_text(
        "from sqlalchemy import String\n"
        "from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column\n\n\n"
        "class Base(DeclarativeBase):\n    pass\n\n\n"
        "class Odd(Base):\n"
        '    __tablename__ = "odds"\n'
        "    id: Mapped[int] = mapped_column(primary_key=True)\n"
        "    Field: Mapped[str | None] = mapped_column(String(20))\n"
        "    note: Mapped[str | None] = mapped_column(String(20))\n"
    )
    with pytest.raises(GeneratedCodeError) as raised:
        plan_run(Config(sources=(str(models),), out_dir=tmp_path / "out"))
    message = str(raised.value)
    assert "odd_models.py:9" in message and "Odd: a field named `Field`" in message
    assert 'mapped_column("Field"' in message  # what to do

    result = CliRunner().invoke(app, ["generate", str(models), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "out").exists(), "nothing written"
