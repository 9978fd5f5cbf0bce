"""Every column type crudgen supports, round-tripped over HTTP on SQLite and PostgreSQL.

The models are in tests/e2e/models/all_types.py: `Sample` (classic `Column(...)` style,
every type nullable), `Required` (annotated style, not null, constant defaults), a
composite primary key (`Placement`), natural primary keys (`Country`, `Level`) and a
BigInteger key (`Counter`).

A value either round-trips exactly or gets a 422; anything else (a changed value, a 500)
is a bug, and the test says which.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter

from tests.conftest import GeneratedPackage
from tests.e2e.conftest import instant

SAMPLE_FIELDS = (
    "int_value", "big_value", "small_value", "string_value", "text_value", "bool_value",
    "decimal_value", "float_value", "date_value", "aware_value", "naive_value",
    "time_value", "interval_value", "color", "size", "json_value", "uuid_value",
    "binary_value",
)  # fmt: skip

_timedelta = TypeAdapter(datetime.timedelta)


def _aware(text: str) -> datetime.datetime:
    value = datetime.datetime.fromisoformat(text)
    assert value.tzinfo is not None, f"{text!r} lost its offset (sent with one)"
    return value


# How to read each kind of value from JSON, to compare what was sent with what came back.
PARSE: dict[str, Callable[[Any], Any]] = {
    "decimal_value": Decimal,
    "date_value": datetime.date.fromisoformat,
    "aware_value": _aware,
    "naive_value": datetime.datetime.fromisoformat,
    "time_value": datetime.time.fromisoformat,
    "interval_value": _timedelta.validate_python,
    "uuid_value": uuid.UUID,
}


def parsed(field: str, value: Any) -> Any:
    return None if value is None else PARSE.get(field, lambda v: v)(value)


def case(field: str, value: Any, label: str) -> Any:
    return pytest.param(field, value, id=f"{field}-{label}")


# Values per column; each column is one test, so a type that fails fails alone.
ROUND_TRIPS: dict[str, list[Any]] = {
    "int_value": [2**31 - 1, -(2**31), 0],
    "big_value": [2**63 - 1, -(2**63)],
    "small_value": [2**15 - 1, -(2**15)],
    "string_value": ["é✓🚀" + "x" * 17, ""],  # max_length counts characters
    "text_value": ["line ✓\n" * 20000],
    "bool_value": [True, False],
    "decimal_value": ["1234567.125", "-0.001", 2.5],
    "float_value": [0.1, -1.5e300, 1e-300],
    "date_value": ["2024-02-29", "0001-01-01", "9999-12-31"],
    "aware_value": ["2024-01-02T03:04:05.123456+02:00", "2024-06-30T23:59:59Z"],
    "naive_value": ["2024-01-02T03:04:05.123456", "0001-01-01T00:00:00"],
    "time_value": ["13:45:30.123456", "00:00:00"],
    "interval_value": ["P1DT2H3M4.5S", 90061.5],  # ISO 8601 duration, or seconds
    "color": ["blue"],  # a Python enum: the API speaks values
    "size": ["large"],  # string choices
    "json_value": [{"a": [1, 2.5, "x", None, True, {"b": {}}]}, [1, "two"], "text", 0],
    "uuid_value": ["12345678-1234-5678-1234-567812345678"],
    # base64 in JSON; any bytes, max_length counts the decoded bytes
    "binary_value": ["cGxhaW4gYXNjaWk=", "AP/+gAD//oAA//6AAP/+gA=="],
}
assert set(ROUND_TRIPS) == set(SAMPLE_FIELDS)


async def create(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(url, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


# -- Sample: one nullable column of every type --------------------------------------------


@pytest.mark.parametrize("field", list(ROUND_TRIPS))
async def test_round_trip(field: str, all_types: GeneratedPackage, app_client: Any) -> None:
    """POST, GET, list, PATCH and PUT give back exactly the value that was sent."""
    async with app_client(all_types) as client:
        for value in ROUND_TRIPS[field]:
            expected = parsed(field, value)
            row = await create(client, "/samples", {field: value})
            assert parsed(field, row[field]) == expected, (value, row[field])
            others = {k: v for k, v in row.items() if k not in ("id", field)}
            assert others == {k: None for k in SAMPLE_FIELDS if k != field}
            url = f"/samples/{row['id']}"
            assert (await client.get(url)).json() == row
            assert row in (await client.get("/samples")).json()["items"]

            cleared = await client.patch(url, json={field: None})
            assert cleared.status_code == 200 and cleared.json()[field] is None
            patched = await client.patch(url, json={field: value})
            assert patched.status_code == 200, patched.text
            assert parsed(field, patched.json()[field]) == expected, value

            reset = await client.put(url, json={})
            assert reset.status_code == 200 and reset.json()[field] is None
            replaced = await client.put(url, json={field: value})
            assert replaced.status_code == 200, replaced.text
            assert parsed(field, replaced.json()[field]) == expected, value
            assert (await client.get(url)).json() == replaced.json()


REJECTED: list[tuple[str, Any]] = [
    ("int_value", 2**31),
    ("int_value", -(2**31) - 1),
    ("int_value", 1.5),
    ("int_value", "one"),
    ("big_value", 2**63),
    ("big_value", -(2**63) - 1),
    ("small_value", 2**15),
    ("small_value", -(2**15) - 1),
    ("string_value", "x" * 21),
    ("bool_value", "maybe"),
    ("decimal_value", "12345678.1"),  # 8 integer digits in a Numeric(10, 3)
    ("decimal_value", "0.0001"),  # 4 decimal places
    ("decimal_value", "NaN"),
    ("float_value", "inf"),
    ("float_value", "nan"),
    ("date_value", "2023-02-29"),
    ("aware_value", "2024-01-02T03:04:05"),
    ("naive_value", "2024-01-02T03:04:05+02:00"),
    ("naive_value", "2024-01-02T03:04:05Z"),
    ("time_value", "25:00:00"),
    ("interval_value", "P3000000D"),  # SQLite keeps 1970-01-01 plus it: past year 9999
    ("interval_value", "-P800000D"),  # before year 1
    ("color", "BLUE"),  # the member's name, not its value
    ("color", "purple"),
    ("size", "huge"),
    ("size", "Large"),
    ("uuid_value", "not-a-uuid"),
    ("binary_value", "eHh4eHh4eHh4eHh4eHh4eHg="),  # 17 bytes
    ("binary_value", "not base64!"),
]


@pytest.mark.parametrize("database_url", ["mysql"], indirect=True)
async def test_binary_values_round_trip_on_mariadb(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    """aiomysql 0.3 cannot send bytes with PyMySQL 1.2 (aio-libs/aiomysql#1080): every write
    of a binary column was a 500 until the mysql extra kept PyMySQL below 1.2."""
    await test_round_trip("binary_value", all_types, app_client)


async def test_invalid_values_get_422(all_types: GeneratedPackage, app_client: Any) -> None:
    async with app_client(all_types) as client:
        row = await create(client, "/samples", {})
        for field, value in REJECTED:
            for method, url in (("POST", "/samples"), ("PATCH", f"/samples/{row['id']}")):
                response = await client.request(method, url, json={field: value})
                assert response.status_code == 422, (method, field, value, response.text)
                assert response.json()["detail"][0]["loc"] == ["body", field]
        assert (await client.get("/samples")).json()["items"] == [row]


async def test_every_column_at_once_and_put_clears_them(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    values = {
        "int_value": 1, "big_value": 2**40, "small_value": 3, "string_value": "s",
        "text_value": "t", "bool_value": True, "decimal_value": "1.5", "float_value": 2.5,
        "date_value": "2024-01-01", "aware_value": "2024-01-01T00:00:00Z",
        "naive_value": "2024-01-01T00:00:00", "time_value": "12:00:00", "color": "red",
        "size": "small", "json_value": {"k": [1]}, "binary_value": "Yg==",
        "interval_value": "P2D",
        "uuid_value": "12345678-1234-5678-1234-567812345678",
    }  # fmt: skip
    async with app_client(all_types) as client:
        row = await create(client, "/samples", values)
        for field, value in values.items():
            if field == "aware_value":
                assert instant(row[field]) == instant("2024-01-01T00:00:00+00:00")
            else:
                assert parsed(field, row[field]) == parsed(field, value), field
        cleared = await client.put(f"/samples/{row['id']}", json={})
        assert cleared.status_code == 200, cleared.text
        assert cleared.json() == {"id": row["id"]} | dict.fromkeys(SAMPLE_FIELDS)


@pytest.mark.parametrize(
    ("sent", "returned"),
    [
        ("P400D", "P400D"),  # never "P1Y35D": a year has no fixed length
        ("P1995DT3H", "P1995DT3H"),
        (90061.5, "P1DT1H1M1.5S"),
        ("-PT1S", "-PT1S"),
        ("PT0S", "PT0S"),
        ("PT0.000001S", "PT0.000001S"),
    ],
)
async def test_durations_are_written_in_days_never_years(
    sent: Any, returned: str, all_types: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(all_types) as client:
        row = await create(client, "/samples", {"interval_value": sent})
        assert row["interval_value"] == returned
        assert (await client.get(f"/samples/{row['id']}")).json()["interval_value"] == returned
        found = await client.get("/samples", params={"interval_value": returned})
        assert [item["id"] for item in found.json()["items"]] == [row["id"]]


async def test_durations_out_of_range_are_refused_in_filters_too(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(all_types) as client:
        for value in ("P3000000D", "-P800000D"):
            response = await client.get("/samples", params={"interval_value__gte": value})
            assert response.status_code == 422, response.text


def test_interval_is_a_duration_in_the_schemas(all_types: GeneratedPackage) -> None:
    """Interval is a TypeDecorator over DateTime; the API must still speak durations."""
    schemas = all_types.module("schemas.sample")
    for schema in (schemas.SampleCreate, schemas.SampleUpdate, schemas.SampleRead):
        annotation = schema.model_fields["interval_value"].annotation
        assert "timedelta" in repr(annotation), (schema.__name__, annotation)


# -- values that do not survive ---------------------------------------------------------


async def test_time_with_an_offset_round_trips_or_is_refused(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    """A `Time` column (no timezone) given "13:45:30+02:00".

    For naive DateTime columns the API refuses an offset (LocalDatetime); a time with an
    offset must not be stored with its offset silently dropped either.
    """
    async with app_client(all_types) as client:
        response = await client.post("/samples", json={"time_value": "13:45:30+02:00"})
        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            assert response.json()["time_value"] == "13:45:30+02:00", "offset dropped"


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"float_value": Infinity}', id="float-infinity"),
        pytest.param(b'{"float_value": NaN}', id="float-nan"),
        pytest.param(b'{"decimal_value": -Infinity}', id="decimal-infinity"),
        pytest.param(b'{"int_value": NaN}', id="int-nan"),
    ],
)
async def test_non_finite_json_numbers_get_422_not_500(
    raw: bytes, all_types: GeneratedPackage, app_client: Any
) -> None:
    """Python's json (which Starlette uses) accepts the NaN and Infinity tokens.

    Validation refuses them, but the 422 body echoes the input: it must still be sent.
    """
    async with app_client(all_types) as client:
        response = await client.post(
            "/samples", content=raw, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param(b'{"json_value": NaN}', id="nan"),
        pytest.param(b'{"json_value": {"x": [Infinity]}}', id="nested-infinity"),
    ],
)
async def test_json_column_refuses_non_finite_numbers(
    raw: bytes, all_types: GeneratedPackage, app_client: Any
) -> None:
    """NaN is no JSON value: storing it must not turn it into null or into a 500."""
    async with app_client(all_types) as client:
        response = await client.post(
            "/samples", content=raw, headers={"content-type": "application/json"}
        )
        assert response.status_code == 422, response.text


@pytest.mark.parametrize(
    ("field", "value"),
    [
        case("string_value", "a\u0000b", "nul"),
        case("text_value", "a\u0000b", "nul"),
        case("json_value", {"k": "a\u0000b"}, "nul"),
        case("aware_value", "0001-01-01T00:00:00+05:00", "before-year-1-in-utc"),
    ],
)
async def test_values_the_database_refuses_get_422_not_500(
    field: str, value: Any, all_types: GeneratedPackage, app_client: Any
) -> None:
    """Valid for pydantic, maybe not for the database: either stored or a 422."""
    async with app_client(all_types) as client:
        response = await client.post("/samples", json={field: value})
        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            fetched = await client.get(f"/samples/{response.json()['id']}")
            assert fetched.status_code == 200
            if field != "aware_value":
                assert fetched.json()[field] == value


async def test_binary_column_holding_any_bytes_can_be_read(
    all_types: GeneratedPackage, app_client: Any, database_url: str
) -> None:
    """LargeBinary travels as base64, so a row holding any bytes (written by any other
    program) reads back exactly."""
    from sqlalchemy import insert
    from sqlalchemy.ext.asyncio import create_async_engine

    from tests.e2e.models.all_types import Sample

    async with app_client(all_types) as client:
        engine = create_async_engine(database_url)
        try:
            async with engine.begin() as connection:
                await connection.execute(
                    insert(Sample).values(id=7, binary_value=b"\xff\x00\xfe\x80")
                )
        finally:
            await engine.dispose()
        response = await client.get("/samples/7")
        assert response.status_code == 200, response.text
        assert response.json()["binary_value"] == "/wD+gA=="
        listing = await client.get("/samples")
        assert listing.status_code == 200, listing.text


# -- Required: not null, constant defaults ------------------------------------------------

REQUIRED_BODY = {
    "int_value": 1,
    "text_value": "text",
    "date_value": "2024-01-01",
    "aware_value": "2024-01-01T00:00:00Z",
    "naive_value": "2024-01-01T00:00:00",
    "time_value": "12:00:00",
    "interval_value": "PT1H",
    "json_value": {"k": 1},
    "uuid_value": "12345678-1234-5678-1234-567812345678",
    "binary_value": "Ymlu",
}
DEFAULTS = {
    "big_value": 2**40,
    "small_value": 7,
    "string_value": "plain",
    "bool_value": False,
    "decimal_value": Decimal("1.50"),
    "float_value": 0.25,
    "color": "green",
    "size": "medium",
}
NOT_DEFAULTS = {
    "big_value": -5,
    "small_value": -7,
    "string_value": "fancy",
    "bool_value": True,
    "decimal_value": "-2.25",
    "float_value": -0.5,
    "color": "red",
    "size": "large",
}


def assert_defaults(row: dict[str, Any]) -> None:
    for field, default in DEFAULTS.items():
        assert parsed(field, row[field]) == default, (field, row[field])


async def test_required_create_applies_constant_defaults(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(all_types) as client:
        row = await create(client, "/required-values", REQUIRED_BODY)
        assert_defaults(row)
        for field, value in REQUIRED_BODY.items():
            if field == "aware_value":
                assert instant(row[field]) == instant("2024-01-01T00:00:00+00:00")
            else:
                assert parsed(field, row[field]) == parsed(field, value), field
        explicit = await create(client, "/required-values", REQUIRED_BODY | NOT_DEFAULTS)
        for field, value in NOT_DEFAULTS.items():
            assert parsed(field, explicit[field]) == parsed(field, value), field


async def test_required_fields_must_be_given(all_types: GeneratedPackage, app_client: Any) -> None:
    async with app_client(all_types) as client:
        row = await create(client, "/required-values", REQUIRED_BODY)
        for field in REQUIRED_BODY:
            body = {k: v for k, v in REQUIRED_BODY.items() if k != field}
            for method, url in (
                ("POST", "/required-values"),
                ("PUT", f"/required-values/{row['id']}"),
            ):
                response = await client.request(method, url, json=body)
                assert response.status_code == 422, (method, field, response.text)
                assert response.json()["detail"][0]["loc"] == ["body", field]
                assert response.json()["detail"][0]["type"] == "missing"


async def test_required_refuses_null_except_json_null(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(all_types) as client:
        row = await create(client, "/required-values", REQUIRED_BODY)
        url = f"/required-values/{row['id']}"
        for field in (*REQUIRED_BODY, *DEFAULTS):
            if field == "json_value":
                continue
            for method, body in (
                ("POST", REQUIRED_BODY | {field: None}),
                ("PATCH", {field: None}),
                ("PUT", REQUIRED_BODY | {field: None}),
            ):
                response = await client.request(
                    method, "/required-values" if method == "POST" else url, json=body
                )
                assert response.status_code == 422, (method, field, response.text)
        assert (await client.get(url)).json() == row
        # A JSON column holds JSON; null is a JSON value, stored as such.
        json_null = await client.patch(url, json={"json_value": None})
        assert json_null.status_code == 200 and json_null.json()["json_value"] is None


async def test_required_patch_is_partial_and_put_restores_defaults(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(all_types) as client:
        row = await create(client, "/required-values", REQUIRED_BODY)
        url = f"/required-values/{row['id']}"
        patched = await client.patch(url, json=NOT_DEFAULTS)
        assert patched.status_code == 200, patched.text
        for field, value in NOT_DEFAULTS.items():
            assert parsed(field, patched.json()[field]) == parsed(field, value), field
        only_int = await client.patch(url, json={"int_value": 99})
        assert only_int.json() == patched.json() | {"int_value": 99}
        replaced = await client.put(url, json=REQUIRED_BODY)
        assert replaced.status_code == 200, replaced.text
        assert_defaults(replaced.json())
        assert replaced.json()["int_value"] == 1


# -- Placement: a composite primary key, /placements/{shelf}/{slot} -----------------------


async def test_composite_key_lifecycle(all_types: GeneratedPackage, app_client: Any) -> None:
    async with app_client(all_types) as client:
        keys = [(2, "a"), (1, "b"), (10, "a"), (1, "a")]
        rows = [
            await create(client, "/placements", {"shelf": s, "slot": t, "label": f"{s}{t}"})
            for s, t in keys
        ]
        assert rows[0] == {"shelf": 2, "slot": "a", "label": "2a", "note": None}

        page = (await client.get("/placements")).json()
        assert [(r["shelf"], r["slot"]) for r in page["items"]] == [
            (1, "a"),
            (1, "b"),
            (2, "a"),
            (10, "a"),
        ], "ordered by (shelf, slot), shelf as a number"
        assert page["total"] == 4
        paged = (await client.get("/placements", params={"offset": 1, "limit": 2})).json()
        assert [(r["shelf"], r["slot"]) for r in paged["items"]] == [(1, "b"), (2, "a")]

        assert (await client.get("/placements/1/b")).json() == rows[1]
        patched = await client.patch("/placements/1/b", json={"note": "top"})
        assert patched.status_code == 200
        assert patched.json() == rows[1] | {"note": "top"}
        replaced = await client.put("/placements/1/b", json={"label": "new"})
        assert replaced.json() == {"shelf": 1, "slot": "b", "label": "new", "note": None}
        missing_label = await client.put("/placements/1/b", json={"note": "x"})
        assert missing_label.status_code == 422

        for key_field, value in (("shelf", 5), ("slot", "z")):
            for method in ("PATCH", "PUT"):
                body = {"label": "l", key_field: value}
                response = await client.request(method, "/placements/1/b", json=body)
                assert response.status_code == 422, (method, key_field, response.text)
                assert response.json()["detail"][0]["type"] == "extra_forbidden"

        duplicate = await client.post("/placements", json={"shelf": 1, "slot": "b", "label": "dup"})
        assert duplicate.status_code == 409, duplicate.text

        assert (await client.delete("/placements/1/b")).status_code == 204
        assert (await client.get("/placements/1/b")).status_code == 404
        assert (await client.get("/placements/1/a")).json() == rows[3]
        assert (await client.get("/placements")).json()["total"] == 3


async def test_composite_key_errors(all_types: GeneratedPackage, app_client: Any) -> None:
    async with app_client(all_types) as client:
        await create(client, "/placements", {"shelf": 1, "slot": "a", "label": "l"})
        for url in ("/placements/1/b", "/placements/2/a"):
            for method, body in (
                ("GET", None),
                ("PATCH", {"note": "x"}),
                ("PUT", {"label": "x"}),
                ("DELETE", None),
            ):
                response = await client.request(method, url, json=body)
                assert response.status_code == 404, (method, url, response.text)
                assert response.json() == {"detail": "Placement not found"}
        for url in ("/placements/2147483648/a", "/placements/x/a"):
            response = await client.get(url)
            assert response.status_code == 422, response.text
            assert response.json()["detail"][0]["loc"] == ["path", "shelf"]
        assert (await client.get("/placements/1")).status_code in (404, 405)
        for body in (
            {"shelf": 1, "label": "no slot"},
            {"slot": "a", "label": "no shelf"},
            {"shelf": 2**31, "slot": "a", "label": "l"},
            {"shelf": 1, "slot": "x" * 11, "label": "l"},
        ):
            response = await client.post("/placements", json=body)
            assert response.status_code == 422, (body, response.text)


async def test_string_key_with_a_space_is_addressable(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(all_types) as client:
        row = await create(client, "/placements", {"shelf": 1, "slot": "a b", "label": "l"})
        response = await client.get("/placements/1/a%20b")
        assert response.status_code == 200 and response.json() == row
        assert (await client.delete("/placements/1/a%20b")).status_code == 204


@pytest.mark.parametrize(
    ("url", "body", "item"),
    [
        pytest.param(
            "/placements", {"shelf": 1, "slot": "a/b", "label": "l"}, "/placements/1/a%2Fb",
            id="composite-slash",
        ),
        pytest.param(
            "/placements", {"shelf": 1, "slot": "", "label": "l"}, "/placements/1/",
            id="composite-empty",
        ),
        pytest.param("/countries", {"code": "/", "name": "Slash"}, "/countries/%2F", id="slash"),
        pytest.param("/countries", {"code": "", "name": "Empty"}, "/countries/", id="empty"),
    ],
)  # fmt: skip
async def test_a_created_row_is_addressable_by_its_key(
    url: str, body: dict[str, Any], item: str, all_types: GeneratedPackage, app_client: Any
) -> None:
    """A client-chosen string key that no URL can name must be refused at create.

    Otherwise the row exists (it is listed, and its key is taken) but GET, PATCH, PUT and
    DELETE can never reach it.
    """
    async with app_client(all_types) as client:
        response = await client.post(url, json=body)
        assert response.status_code in (201, 422), response.text
        if response.status_code == 201:
            fetched = await client.get(item)
            assert fetched.status_code == 200, (item, fetched.status_code, fetched.text)
            assert fetched.json() == response.json()


# -- Country: a natural string primary key ------------------------------------------------


async def test_natural_string_key(all_types: GeneratedPackage, app_client: Any) -> None:
    async with app_client(all_types) as client:
        for code, name in (("US", "United States"), ("DE", "Germany"), ("FR", "France")):
            await create(client, "/countries", {"code": code, "name": name})
        page = (await client.get("/countries")).json()
        assert [r["code"] for r in page["items"]] == ["DE", "FR", "US"]

        de = (await client.get("/countries/DE")).json()
        assert de == {"code": "DE", "name": "Germany", "population": None}

        patched = await client.patch("/countries/DE", json={"population": 84_000_000_000})
        assert patched.status_code == 200
        assert patched.json() == de | {"population": 84_000_000_000}
        for method in ("PATCH", "PUT"):
            renamed = await client.request(
                method, "/countries/DE", json={"code": "XX", "name": "Germany"}
            )
            assert renamed.status_code == 422, "the primary key cannot change"
            assert renamed.json()["detail"][0]["loc"] == ["body", "code"]
        replaced = await client.put("/countries/DE", json={"name": "Deutschland"})
        assert replaced.json() == {"code": "DE", "name": "Deutschland", "population": None}

        assert (
            await client.post("/countries", json={"code": "DE", "name": "Other"})
        ).status_code == 409
        assert (
            await client.post("/countries", json={"code": "AT", "name": "France"})
        ).status_code == 409
        assert (await client.patch("/countries/US", json={"name": "France"})).status_code == 409
        assert (
            await client.post("/countries", json={"code": "DEU", "name": "x"})
        ).status_code == 422
        assert (await client.post("/countries", json={"name": "No code"})).status_code == 422

        for method, body in (
            ("GET", None),
            ("PATCH", {}),
            ("PUT", {"name": "x"}),
            ("DELETE", None),
        ):
            response = await client.request(method, "/countries/XX", json=body)
            assert response.status_code == 404, (method, response.text)
            assert response.json() == {"detail": "Country not found"}
        assert (await client.get("/countries/de")).status_code == 404, "keys are exact"

        assert (await client.delete("/countries/DE")).status_code == 204
        assert (await client.get("/countries/DE")).status_code == 404
        assert (await client.get("/countries")).json()["total"] == 2


# -- integer primary keys of other widths -------------------------------------------------


async def test_small_integer_natural_key(all_types: GeneratedPackage, app_client: Any) -> None:
    async with app_client(all_types) as client:
        for number in (2**15 - 1, -(2**15), 0):
            row = await create(client, "/levels", {"number": number, "title": "t"})
            assert row == {"number": number, "title": "t"}
            assert (await client.get(f"/levels/{number}")).json() == row
        assert (await client.post("/levels", json={"number": 0, "title": "dup"})).status_code == 409
        for bad in (2**15, -(2**15) - 1):
            assert (
                await client.post("/levels", json={"number": bad, "title": "t"})
            ).status_code == 422
            for method in ("GET", "DELETE"):
                response = await client.request(method, f"/levels/{bad}")
                assert response.status_code == 422, (method, bad, response.text)
        assert (await client.get("/levels/5")).status_code == 404
        assert (await client.patch("/levels/0", json={"number": 1})).status_code == 422


async def test_big_integer_key(all_types: GeneratedPackage, app_client: Any) -> None:
    async with app_client(all_types) as client:
        first = await create(client, "/counters", {"small_key": 1})
        second = await create(client, "/counters", {"small_key": 2, "count": 5})
        assert first["count"] == 0 and second["id"] > first["id"]
        assert (await client.post("/counters", json={"small_key": 1})).status_code == 409
        assert (await client.post("/counters", json={"small_key": 2**15})).status_code == 422
        assert (await client.post("/counters", json={"id": 5, "small_key": 3})).status_code == 422
        for edge in (2**63 - 1, -(2**63)):
            assert (await client.get(f"/counters/{edge}")).status_code == 404
        for bad in (2**63, -(2**63) - 1):
            for method in ("GET", "PATCH", "DELETE"):
                response = await client.request(method, f"/counters/{bad}", json={})
                assert response.status_code == 422, (method, bad, response.text)


async def test_a_column_named_count_leaves_the_list_envelope_alone(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    """`Counter.count` is a column; `count` is also the list's "count the total" flag."""
    async with app_client(all_types) as client:
        await create(client, "/counters", {"small_key": 1})
        await create(client, "/counters", {"small_key": 2, "count": 5})
        page = await client.get("/counters")
        assert page.status_code == 200, page.text
        assert page.json()["total"] == 2, page.json()
        uncounted = await client.get("/counters", params={"count": "false"})
        assert uncounted.status_code == 200, uncounted.text
        assert uncounted.json()["total"] is None


# -- OpenAPI ------------------------------------------------------------------------------


async def test_openapi_paths_and_key_parameters(
    all_types: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(all_types) as client:
        document = (await client.get("/openapi.json")).json()
    paths = document["paths"]
    items = {
        "/samples": "/samples/{id}",
        "/required-values": "/required-values/{id}",
        "/placements": "/placements/{shelf}/{slot}",
        "/countries": "/countries/{code}",
        "/levels": "/levels/{number}",
        "/counters": "/counters/{id}",
    }
    # Upserts need a key the client sends: a natural primary key or a unique column.
    upserting = {"/placements", "/countries", "/levels", "/counters"}
    expected = set(items) | set(items.values()) | {f"{c}/bulk" for c in items}
    expected |= {f"{c}/upsert" for c in upserting} | {f"{c}/bulk/upsert" for c in upserting}
    expected |= {"/health/live", "/health/ready"}
    assert set(paths) == expected
    for collection, item in items.items():
        assert set(paths[collection]) == {"get", "post", "patch", "delete"}
        assert set(paths[item]) == {"get", "patch", "put", "delete"}
        for operation in paths[item].values():
            assert "404" in operation["responses"]

    def key_schemas(path: str) -> dict[str, Any]:
        return {p["name"]: p["schema"] for p in paths[path]["get"]["parameters"]}

    placement = key_schemas("/placements/{shelf}/{slot}")
    assert list(placement) == ["shelf", "slot"]
    assert placement["shelf"]["type"] == "integer" and placement["slot"]["type"] == "string"
    assert key_schemas("/countries/{code}")["code"]["type"] == "string"
    level = key_schemas("/levels/{number}")["number"]
    assert (level["minimum"], level["maximum"]) == (-(2**15), 2**15 - 1)
    counter = key_schemas("/counters/{id}")["id"]
    assert (counter["minimum"], counter["maximum"]) == (-(2**63), 2**63 - 1)
    schemas = document["components"]["schemas"]
    assert set(schemas["PlacementCreate"]["required"]) == {"shelf", "slot", "label"}
    assert set(schemas["PlacementUpdate"]["properties"]) == {"label", "note"}
    assert set(schemas["CountryCreate"]["required"]) == {"code", "name"}
    assert "code" not in schemas["CountryUpdate"]["properties"]
    assert schemas["SampleCreate"]["properties"]["color"]["anyOf"][0] == {
        "$ref": "#/components/schemas/Color"
    }
    assert schemas["Color"]["enum"] == ["red", "green", "blue"]
