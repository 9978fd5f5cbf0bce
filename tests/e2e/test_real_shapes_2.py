"""More model shapes real projects use (tests/models/real_shapes/), generated in both code
styles and driven over HTTP: relationships with every loader strategy, timestamps the
database stamps, and columns named like the parameters of generated functions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import Config, ModelOptions
from crudgen.errors import ConfigError
from crudgen.pipeline import plan_run
from tests.conftest import GeneratedPackage, url_of

SHAPES = Path(__file__).resolve().parent.parent / "models" / "real_shapes"
STYLES = ["functions", "inline"]

Shape = Callable[..., GeneratedPackage]


@pytest.fixture(params=["sqlite", "postgres", "mysql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return url_of(request.param, tmp_path)


@pytest.fixture(scope="module")
def shape(generate_once: Callable[..., GeneratedPackage]) -> Shape:
    """shape(module, style, **options) -> the package generated from
    tests/models/real_shapes/<module>.py, once per module, style and options."""
    packages: dict[tuple[str, str, str], GeneratedPackage] = {}

    def get(module: str, style: str, **options: Any) -> GeneratedPackage:
        key = (module, style, repr(sorted(options.items())))
        if key not in packages:
            packages[key] = generate_once(SHAPES / f"{module}.py", style=style, **options)
        return packages[key]

    return get


# -- loader options -------------------------------------------------------------------------

# Team.members_joined is lazy="joined": nested here, loaded by the API's own selectinload.
LOADED_TEAMS = {"Team": ModelOptions(nested_reads=("members_joined",))}


@pytest.mark.parametrize("style", STYLES)
async def test_relationships_with_any_loader_strategy_never_break_a_request(
    shape: Shape, app_client: Any, style: str
) -> None:
    """Every relationship strategy (joined, subquery, selectin, raise, noload, dynamic,
    write-only) on Team, and a joined many-to-one on Member: each operation answers as
    if the relationships were lazy. A joined collection used to make create a 500
    (`The unique() method must be invoked`)."""
    package = shape("loader_options", style, models=LOADED_TEAMS)
    async with app_client(package) as client:
        created = await client.post("/teams", json={"name": "red"})
        assert created.status_code == 201, created.text
        assert created.json() == {"id": 1, "name": "red", "members_joined": []}
        many = await client.post("/teams/bulk", json=[{"name": "blue"}, {"name": "green"}])
        assert many.status_code == 201, many.text
        for name in ("ann", "bob"):
            member = await client.post("/members", json={"name": name, "team_id": 1})
            assert member.status_code == 201, member.text
        assert member.json() == {"id": 2, "name": "bob", "team_id": 1}

        team = await client.get("/teams/1")
        assert team.status_code == 200, team.text
        assert [m["name"] for m in team.json()["members_joined"]] == ["ann", "bob"]
        page = await client.get("/teams", params={"sort": "-name", "count": "true"})
        assert page.status_code == 200, page.text
        assert [t["name"] for t in page.json()["items"]] == ["red", "green", "blue"]
        assert [len(t["members_joined"]) for t in page.json()["items"]] == [2, 0, 0]
        assert page.json()["total"] == 3
        renamed = await client.patch("/teams/1", json={"name": "crimson"})
        assert renamed.status_code == 200, renamed.text
        assert len(renamed.json()["members_joined"]) == 2
        replaced = await client.put("/teams/2", json={"name": "navy"})
        assert replaced.status_code == 200 and replaced.json()["name"] == "navy"
        bulk = await client.patch("/teams", json={"ids": [2, 3], "values": {"name": "x"}})
        assert bulk.status_code == 200, bulk.text

        members = await client.get("/members", params={"team_id": 1, "name__contains": "b"})
        assert members.status_code == 200, members.text
        assert members.json()["items"] == [{"id": 2, "name": "bob", "team_id": 1}]
        moved = await client.patch("/members/2", json={"team_id": 2})
        assert moved.status_code == 200 and moved.json()["team_id"] == 2
        assert (await client.get("/members/1")).status_code == 200
        assert (await client.delete("/members/1")).status_code == 204
        assert (await client.get("/teams/1")).json()["members_joined"] == []
        gone = await client.request("DELETE", "/members", json={"ids": [2]})
        assert gone.status_code == 204, gone.text
        assert (await client.delete("/teams/3")).status_code == 204


@pytest.mark.parametrize("style", STYLES)
async def test_deferred_columns_are_answered_by_every_operation(
    shape: Shape, app_client: Any, style: str
) -> None:
    """Badge defers two columns (one raising if loaded late) and raises if its
    relationship loads: each answer holds every column, as written."""
    package = shape("loader_options", style)
    drawn = {"label": "gold", "artwork": "<svg/>", "notes": "first", "member_id": None}
    async with app_client(package) as client:
        created = await client.post("/badges", json=drawn)
        assert created.status_code == 201, created.text
        assert created.json() == {"id": 1, **drawn}
        more = await client.post("/badges/bulk", json=[drawn | {"label": "tin"}])
        assert more.status_code == 201 and more.json()[0]["artwork"] == "<svg/>"
        assert (await client.get("/badges/1")).json() == {"id": 1, **drawn}
        page = await client.get("/badges", params={"artwork": "<svg/>"})
        assert [badge["notes"] for badge in page.json()["items"]] == ["first", "first"]
        noted = await client.patch("/badges/1", json={"notes": "second"})
        assert noted.status_code == 200 and noted.json()["artwork"] == "<svg/>"
        replaced = await client.put("/badges/2", json=drawn | {"artwork": None})
        assert replaced.json() == {"id": 2, **drawn, "artwork": None}


@pytest.mark.parametrize("relationship", ["members_dynamic", "members"])
def test_a_dynamic_or_write_only_relationship_cannot_be_nested(
    tmp_path: Path, relationship: str
) -> None:
    """A dynamic or write-only relationship never loads into a row: refused while
    generating, at its line in the models file, instead of a 500 on every read."""
    config = Config(
        sources=(str(SHAPES / "loader_options.py"),),
        out_dir=tmp_path / "api",
        models={"Team": ModelOptions(nested_reads=(relationship,))},
    )
    with pytest.raises(ConfigError) as raised:
        plan_run(config)
    error = raised.value
    assert f"Team.{relationship}" in str(error) and "nested_reads" in str(error)
    assert error.location is not None
    assert error.location.file.endswith("loader_options.py")
    declared = (SHAPES / "loader_options.py").read_text().splitlines()
    assert error.location.line is not None
    assert declared[error.location.line - 1].strip().startswith(f"{relationship}:")
    assert error.hint and "relationship" in error.hint
    assert not (tmp_path / "api").exists()


# -- timestamps the database stamps -----------------------------------------------------------


@pytest.mark.parametrize("style", STYLES)
async def test_filters_find_the_timestamps_the_api_returned(
    shape: Shape, app_client: Any, style: str
) -> None:
    """SQLite stores `func.now()` as `YYYY-MM-DD HH:MM:SS` while the API's values are
    ISO 8601: comparing the texts found nothing. Filters and sorting compare instants."""
    package = shape("server_timestamps", style)
    async with app_client(package) as client:
        created = await client.post("/events", json={"name": "first"})
        assert created.status_code == 201, created.text
        event = created.json()
        assert event["created_at"] and event["noted_at"]
        for column in ("created_at", "noted_at"):
            stamp = event[column]
            for params in (
                {column: stamp},
                {f"{column}__in": stamp},
                {f"{column}__gte": stamp},
                {f"{column}__lte": stamp},
            ):
                found = await client.get("/events", params=params)
                assert found.status_code == 200, found.text
                assert [row["id"] for row in found.json()["items"]] == [event["id"]], params
            later = _shifted(stamp, seconds=1)
            assert (await client.get("/events", params={f"{column}__gte": later})).json()[
                "items"
            ] == [], column
            earlier = _shifted(stamp, seconds=-1)
            assert (await client.get("/events", params={f"{column}__lte": earlier})).json()[
                "items"
            ] == [], column
        # The same instant written with another offset is the same instant.
        elsewhere = _in_offset(event["created_at"], hours=5)
        same = await client.get("/events", params={"created_at": elsewhere})
        assert [row["id"] for row in same.json()["items"]] == [event["id"]], elsewhere

        patched = await client.patch(f"/events/{event['id']}", json={"name": "renamed"})
        assert patched.status_code == 200, patched.text
        ordered = await client.get("/events", params={"sort": "-created_at"})
        assert ordered.status_code == 200, ordered.text


def _parsed(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=None)


def _shifted(text: str, *, seconds: int) -> str:
    return (_parsed(text) + datetime.timedelta(seconds=seconds)).isoformat()


def _in_offset(text: str, *, hours: int) -> str:
    value = datetime.datetime.fromisoformat(text)
    if value.tzinfo is None:  # a naive value from the API is in UTC
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone(datetime.timedelta(hours=hours))).isoformat()
