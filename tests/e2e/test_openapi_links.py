"""The generated OpenAPI document links each create to the routes of the row it made.

Clients and API tools (schemathesis' stateful mode among them) follow these links from a
201 to the created row's read, update and delete; the links name real operations and take
every key from the created row, also under a prefix of the user's own app.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from tests.conftest import MODELS, GeneratedPackage

REAL_SHAPES = MODELS / "real_shapes"


def operations_by_id(document: dict[str, Any]) -> dict[str, tuple[str, str]]:
    return {
        operation["operationId"]: (method, path)
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
        if "operationId" in operation
    }


def created_links(document: dict[str, Any], collection: str) -> dict[str, Any]:
    return document["paths"][collection]["post"]["responses"]["201"]["links"]


def test_each_create_links_to_the_operations_on_its_row(
    generate: Callable[..., GeneratedPackage],
) -> None:
    package = generate(REAL_SHAPES / "natural_keys.py", REAL_SHAPES / "composite_version.py")
    document = package.module("app").app.openapi()
    operations = operations_by_id(document)

    links = created_links(document, "/countries")
    targets = {operations[link["operationId"]] for link in links.values()}
    row = "/countries/{iso_code}"
    assert targets == {("get", row), ("patch", row), ("put", row), ("delete", row)}
    assert all(
        link["parameters"] == {"iso_code": "$response.body#/iso_code"} for link in links.values()
    )

    composite = created_links(document, "/document-revisions")
    row = "/document-revisions/{document_id}/{version}"
    assert {operations[link["operationId"]][1] for link in composite.values()} == {row}
    assert all(
        link["parameters"]
        == {"document_id": "$response.body#/document_id", "version": "$response.body#/version"}
        for link in composite.values()
    )
    # Bulk and upsert routes make rows too, but answer no single row to follow.
    assert "links" not in document["paths"]["/countries/bulk"]["post"]["responses"]["201"]


async def test_a_followed_link_reads_the_created_row(
    generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    package = generate(REAL_SHAPES / "composite_version.py")
    document = package.module("app").app.openapi()
    operations = operations_by_id(document)
    async with app_client(package) as client:
        body = {"document_id": 7, "version": 2, "title": "Draft", "body": "..."}
        created = (await client.post("/document-revisions", json=body)).json()
        for link in created_links(document, "/document-revisions").values():
            method, path = operations[link["operationId"]]
            if method != "get":
                continue
            for name, expression in link["parameters"].items():
                field = expression.removeprefix("$response.body#/")
                path = path.replace("{" + name + "}", str(created[field]))
            read = await client.get(path)
            assert read.status_code == 200 and read.json() == created


def test_links_follow_the_routers_under_a_prefix_of_the_users_app(
    generate: Callable[..., GeneratedPackage],
) -> None:
    package = generate(REAL_SHAPES / "natural_keys.py")
    errors = package.module("errors")
    app = FastAPI()
    app.include_router(package.module("routers.currency").router, prefix="/api/v2")
    errors.link_created_rows(app)
    document = app.openapi()
    operations = operations_by_id(document)
    links = created_links(document, "/api/v2/currencies")
    assert {operations[link["operationId"]][1] for link in links.values()} == {
        "/api/v2/currencies/{code}"
    }
