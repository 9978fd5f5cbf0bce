"""The generated OpenAPI document is one clients can be generated from (issue 14, item 6).

Operation ids name the operation (`list_users`, `get_user`), not FastAPI's path-derived
`list_users_user_get`; tags and schemas carry the model's docstring, fields their column
comments, each schema a valid example; collections are plural (`/users` for a `user`
table); no description names the path the routers happen to be mounted at.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI

from tests.conftest import EXAMPLES, GeneratedPackage

MODELS = '''
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class User(Base):
    """Someone who signs in; "quoted" and back\\\\slashed text stays as written, however long the line it would take in the generated code."""

    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(120), unique=True, comment="Where we write")
    active: Mapped[bool] = mapped_column(default=True)


class Person(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
'''  # noqa: E501 - a docstring longer than any line: the point of the test

USER_OPERATIONS = {
    ("post", "/users"): "create_user",
    ("get", "/users"): "list_users",
    ("patch", "/users"): "bulk_update_users",
    ("delete", "/users"): "bulk_delete_users",
    ("post", "/users/bulk"): "bulk_create_users",
    ("post", "/users/upsert"): "upsert_user",
    ("post", "/users/bulk/upsert"): "bulk_upsert_users",
    ("get", "/users/{id}"): "get_user",
    ("patch", "/users/{id}"): "update_user",
    ("put", "/users/{id}"): "replace_user",
    ("delete", "/users/{id}"): "delete_user",
}


@pytest.fixture
def models(tmp_path: Path) -> Path:
    path = tmp_path / "client_models.py"
    path.write_text(MODELS)
    return path


def operation_ids(document: dict[str, Any]) -> dict[tuple[str, str], str]:
    return {
        (method, path): operation["operationId"]
        for path, operations in document["paths"].items()
        for method, operation in operations.items()
    }


def descriptions(value: Any) -> list[str]:
    """Every `description` in a part of the document."""
    if isinstance(value, dict):
        found = [value["description"]] if isinstance(value.get("description"), str) else []
        return found + [d for item in value.values() for d in descriptions(item)]
    if isinstance(value, list):
        return [d for item in value for d in descriptions(item)]
    return []


def test_operation_ids_name_the_operation_and_are_unique(
    generate: Callable[..., GeneratedPackage], models: Path
) -> None:
    document = generate(models).module("app").app.openapi()
    ids = operation_ids(document)
    assert {key: ids[key] for key in USER_OPERATIONS} == USER_OPERATIONS
    assert ids[("get", "/people/{id}")] == "get_person"
    assert ids[("get", "/health/live")] == "health_live"
    assert len(set(ids.values())) == len(ids)


def test_operation_ids_follow_a_configured_pattern(
    generate: Callable[..., GeneratedPackage], models: Path
) -> None:
    document = generate(models, operation_ids="{Model}.{verb}").module("app").app.openapi()
    ids = operation_ids(document)
    assert ids[("get", "/users")] == "User.list"
    assert len(set(ids.values())) == len(ids)


def test_collections_are_plural_unless_configured(
    generate: Callable[..., GeneratedPackage], models: Path
) -> None:
    plural = generate(models).module("app").app.openapi()["paths"]
    assert {"/users", "/users/{id}", "/people", "/people/{id}"} <= set(plural)
    singular = generate(models, plural_prefixes=False).module("app").app.openapi()["paths"]
    assert {"/user", "/user/{id}", "/person", "/person/{id}"} <= set(singular)


def test_docstrings_and_comments_describe_tags_schemas_and_fields(
    generate: Callable[..., GeneratedPackage], models: Path
) -> None:
    document = generate(models).module("app").app.openapi()
    docstring = (
        'Someone who signs in; "quoted" and back\\slashed text stays as written, however '
        "long the line it would take in the generated code."
    )
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    assert tags["user"] == docstring
    assert tags["person"] == "Every operation on Person rows."
    schemas = document["components"]["schemas"]
    for name in ("UserCreate", "UserUpdate", "UserReplace", "UserRead"):
        first, described = schemas[name]["description"].split("\n\n")  # a wrapped docstring's
        assert " ".join(described.split()) == docstring, name
    assert schemas["UserRead"]["properties"]["email"]["description"] == "Where we write"
    assert schemas["UserCreate"]["properties"]["email"]["description"] == "Where we write"


def test_every_schema_example_is_valid(
    generate: Callable[..., GeneratedPackage], models: Path
) -> None:
    package = generate(models)
    document = package.module("app").app.openapi()
    schemas = package.module("schemas.user")
    for name in ("UserCreate", "UserUpdate", "UserReplace", "UserRead"):
        (example,) = document["components"]["schemas"][name]["examples"]
        assert set(example) >= {"email", "active"}, name
        getattr(schemas, name).model_validate(example)  # raises when invalid


def test_descriptions_name_no_mount_path(
    generate: Callable[..., GeneratedPackage], models: Path
) -> None:
    package = generate(models)
    app = FastAPI()
    app.include_router(package.module("routers.user").router, prefix="/api/v1")
    document = app.openapi()
    assert ("get", "/api/v1/users/{id}") in operation_ids(document)
    texts = descriptions(document)
    assert texts and not [text for text in texts if "/users" in text or "/user " in text]


def test_the_app_carries_the_configured_title(
    generate: Callable[..., GeneratedPackage], models: Path
) -> None:
    # Where the title comes from by default is tests/unit/test_openapi_settings.py's.
    assert generate(models, title="Accounts").module("app").app.title == "Accounts"


def test_a_yaml_description_describes_the_tag_and_the_schemas(
    generate: Callable[..., GeneratedPackage],
) -> None:
    document = generate(EXAMPLES / "shop" / "api.yaml").module("app").app.openapi()
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    assert tags["customers"] == "Someone who places orders."
    read = document["components"]["schemas"]["CustomerRead"]
    assert (
        read["description"] == "One Customer as the API returns it.\n\nSomeone who places orders."
    )
    assert read["properties"]["name"]["description"] == "Name printed on invoices"
