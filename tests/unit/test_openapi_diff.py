"""crudgen/openapi_diff.py on hand-written OpenAPI fragments: each rule, both directions."""

from __future__ import annotations

from typing import Any

import pytest

from crudgen.openapi_diff import ApiChange, Severity, breaking, compare

BREAKING, COMPATIBLE = Severity.BREAKING, Severity.COMPATIBLE


def document(
    request: dict[str, Any] | None = None,
    response: dict[str, Any] | None = None,
    *,
    status: str = "201",
    parameters: list[dict[str, Any]] | None = None,
    extra_paths: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A document with `POST /things` taking `request` and answering `response`."""
    operation: dict[str, Any] = {
        "parameters": parameters or [],
        "responses": {
            status: {
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Read"}}}
            }
        },
    }
    if request is not None:
        operation["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Create"}}},
        }
    return {
        "paths": {"/things": {"post": operation}, **(extra_paths or {})},
        "components": {"schemas": {"Create": request or {}, "Read": response or {}}},
    }


def obj(required: tuple[str, ...] = (), **properties: Any) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required)}


TITLE = {"type": "string", "maxLength": 200}
NULLABLE_TITLE = {"anyOf": [TITLE, {"type": "null"}]}


def only(changes: list[ApiChange]) -> tuple[Severity, str, str]:
    assert len(changes) == 1, changes
    return changes[0].severity, changes[0].where, changes[0].what


def test_identical_documents_have_no_changes() -> None:
    same = document(obj(("title",), title=TITLE), obj(("id",), id={"type": "integer"}))
    assert compare(same, same) == []


def test_routes_removed_break_routes_added_do_not() -> None:
    item = {"get": {"responses": {"200": {"description": "ok"}}}}
    old = document(extra_paths={"/things/{id}": item})
    new = document(extra_paths={"/others": item})
    assert compare(old, new) == [
        ApiChange(BREAKING, "GET /things/{id}", "route removed"),
        ApiChange(COMPATIBLE, "GET /others", "route added"),
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        # request fields
        (obj(("title",), title=TITLE), obj(), (BREAKING, "title", "field removed")),
        (obj(), obj(("title",), title=TITLE), (BREAKING, "title", "required field added")),
        (obj(), obj(title=TITLE), (COMPATIBLE, "title", "field added")),
        (obj(title=TITLE), obj(("title",), title=TITLE), (BREAKING, "title", "now required")),
        (obj(("title",), title=TITLE), obj(title=TITLE), (COMPATIBLE, "title", "now optional")),
        # narrower or wider values
        (
            obj(t=TITLE),
            obj(t={"type": "string", "maxLength": 100}),
            (BREAKING, "t", "maxLength 200 -> 100"),
        ),
        (
            obj(t=TITLE),
            obj(t={"type": "string", "maxLength": 300}),
            (COMPATIBLE, "t", "maxLength 200 -> 300"),
        ),
        (obj(t={"type": "string"}), obj(t=TITLE), (BREAKING, "t", "maxLength none -> 200")),
        (
            obj(t={"type": "integer", "minimum": 0}),
            obj(t={"type": "integer", "minimum": 1}),
            (BREAKING, "t", "minimum 0 -> 1"),
        ),
        (
            obj(t={"type": "integer"}),
            obj(t={"type": "number"}),
            (COMPATIBLE, "t", "type integer -> number"),
        ),
        (
            obj(t={"type": "string"}),
            obj(t={"type": "integer"}),
            (BREAKING, "t", "type string -> integer"),
        ),
        (
            obj(t={"enum": ["a", "b"]}),
            obj(t={"enum": ["a"]}),
            (BREAKING, "t", "enum members removed: ['b']"),
        ),
        (
            obj(t={"enum": ["a"]}),
            obj(t={"enum": ["a", "b"]}),
            (COMPATIBLE, "t", "enum members added: ['b']"),
        ),
        (obj(t=NULLABLE_TITLE), obj(t=TITLE), (BREAKING, "t", "null no longer admitted")),
        (obj(t=TITLE), obj(t=NULLABLE_TITLE), (COMPATIBLE, "t", "null now admitted")),
        (
            obj(t={"type": "string"}),
            obj(t={"type": "string", "pattern": "^a"}),
            (BREAKING, "t", "pattern None -> ^a"),
        ),
    ],
)
def test_request_rules(
    old: dict[str, Any], new: dict[str, Any], expected: tuple[Severity, str, str]
) -> None:
    severity, field, what = expected
    assert only(compare(document(old), document(new))) == (
        severity,
        f"POST /things request body: {field}",
        what,
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (obj(("id",), id={"type": "integer"}), obj(), (BREAKING, "id", "field removed")),
        (obj(), obj(("id",), id={"type": "integer"}), (COMPATIBLE, "id", "field added")),
        (obj(t=TITLE), obj(t=NULLABLE_TITLE), (BREAKING, "t", "null now admitted")),
        (obj(t=NULLABLE_TITLE), obj(t=TITLE), (COMPATIBLE, "t", "null no longer admitted")),
        (obj(("t",), t=TITLE), obj(t=TITLE), (BREAKING, "t", "now optional")),
        (
            obj(t={"enum": ["a"]}),
            obj(t={"enum": ["a", "b"]}),
            (BREAKING, "t", "enum members added: ['b']"),
        ),
        (
            obj(t=TITLE),
            obj(t={"type": "string", "maxLength": 100}),
            (COMPATIBLE, "t", "maxLength 200 -> 100"),
        ),
    ],
)
def test_response_rules(
    old: dict[str, Any], new: dict[str, Any], expected: tuple[Severity, str, str]
) -> None:
    severity, field, what = expected
    assert only(compare(document(response=old), document(response=new))) == (
        severity,
        f"POST /things response 201: {field}",
        what,
    )


def test_a_changed_success_status_breaks() -> None:
    changes = compare(document(status="201"), document(status="200"))
    assert ApiChange(BREAKING, "POST /things", "success status 201 -> 200") in changes


def test_parameters() -> None:
    def query(name: str, required: bool = False, **schema: Any) -> dict[str, Any]:
        return {
            "in": "query",
            "name": name,
            "required": required,
            "schema": schema or {"type": "string"},
        }

    old = document(parameters=[query("q"), query("limit", type="integer", maximum=100)])
    new = document(parameters=[query("limit", type="integer", maximum=50), query("page", True)])
    assert compare(old, new) == [
        ApiChange(BREAKING, "POST /things query parameter limit", "maximum 100 -> 50"),
        ApiChange(BREAKING, "POST /things query parameter page", "required parameter added"),
        ApiChange(BREAKING, "POST /things query parameter q", "removed"),
    ]
    assert only(compare(document(), document(parameters=[query("q")]))) == (
        COMPATIBLE,
        "POST /things query parameter q",
        "added",
    )


def test_nested_lists_recursion_and_variants() -> None:
    tree = {"$ref": "#/components/schemas/Read"}
    old = document(response=obj(children={"type": "array", "items": tree}, name=TITLE))
    new = document(response=obj(children={"type": "array", "items": tree}))
    assert only(compare(old, new))[1:] == ("POST /things response 201: name", "field removed")
    page = {
        "anyOf": [{"$ref": "#/components/schemas/Create"}, {"$ref": "#/components/schemas/Read"}]
    }
    old = document(obj(a=TITLE), obj(page=page))
    new = document(obj(), obj(page=page))
    assert breaking(compare(old, new)) == [
        ApiChange(BREAKING, "POST /things request body: a", "field removed"),
        ApiChange(BREAKING, "POST /things response 201: page (Create): a", "field removed"),
    ]


def test_documentation_only_changes_are_not_changes() -> None:
    old = document(obj(t={**TITLE, "description": "old", "title": "T"}))
    new = document(obj(t={**TITLE, "description": "new", "title": "Title"}))
    assert compare(old, new) == []
