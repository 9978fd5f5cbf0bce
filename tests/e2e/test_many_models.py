"""A project with more list routes than FastAPI keeps query models in its cache.

FastAPI reads a query model's fields through an LRU cache of 128 models, once to gather the
OpenAPI document's schemas and again to write each operation. Past 128 list routes the
second read made new fields the first never saw: /openapi.json answered 500 (a KeyError)
for any project of more than 128 models.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx
from fastapi import FastAPI

from tests.conftest import MODELS, GeneratedPackage

MODEL_COUNT = 130  # past FastAPI's 128
REAL_SHAPES = MODELS / "real_shapes"

HEADER = '''"""Many small models, as a large project has."""

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass
'''

MODEL = """

class Gauge{number:03}(Base):
    __tablename__ = "gauge_{number:03}"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
"""


def write_models(directory: Path) -> Path:
    path = directory / "many_models.py"
    models = "".join(MODEL.format(number=number) for number in range(MODEL_COUNT))
    path.write_text(HEADER + models)
    return path


async def test_the_document_of_a_project_past_fastapis_cache_lists_every_query(
    generate: Callable[..., GeneratedPackage], tmp_path: Path
) -> None:
    package = generate(write_models(tmp_path))
    app = package.module("app").app
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        response = await client.get("/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for number in range(MODEL_COUNT):
        listing = paths[f"/gauge-{number:03}s"]["get"]
        names = {parameter["name"] for parameter in listing["parameters"]}
        assert {"limit", "sort", "label__contains"} <= names


def test_overlapping_document_builds_give_fastapi_its_reader_back(
    generate: Callable[..., GeneratedPackage], tmp_path: Path
) -> None:
    """Builds in two threads may start and end in any order: the reader is wrapped while
    any runs, and the original is back once the last has ended."""
    from fastapi.dependencies import utils as fastapi_dependencies

    held = generate(REAL_SHAPES / "natural_keys.py").module("errors")._query_fields_held
    original = vars(fastapi_dependencies)["get_cached_model_fields"]
    held.__enter__()  # the first build starts
    held.__enter__()  # a second starts before it ends
    wrapped = vars(fastapi_dependencies)["get_cached_model_fields"]
    assert wrapped is not original
    held.__exit__(None, None, None)  # the first ends: the second still needs the hold
    assert vars(fastapi_dependencies)["get_cached_model_fields"] is wrapped
    held.__exit__(None, None, None)
    assert vars(fastapi_dependencies)["get_cached_model_fields"] is original


def test_an_answer_that_is_not_a_model_class_is_titled_by_its_own_route(
    generate: Callable[..., GeneratedPackage],
) -> None:
    """Answer fields are shared between routes only for model classes, which the document
    names; any other type's schema takes its title from the route that declares it."""
    errors = generate(REAL_SHAPES / "natural_keys.py").module("errors")
    teapot = {418: {"model": list[errors.ErrorDetail], "description": "No coffee"}}
    app = FastAPI()
    app.router.route_class = errors.CrudRoute  # routes on the app itself, built at once

    @app.get("/first", responses=teapot)
    async def first() -> None: ...

    @app.get("/second", responses=teapot)
    async def second() -> None: ...

    paths = app.openapi()["paths"]
    content = {path: paths[path]["get"]["responses"]["418"]["content"] for path in paths}
    titles = {
        path: answer["application/json"]["schema"]["title"] for path, answer in content.items()
    }
    assert titles == {"/first": "Response 418 First", "/second": "Response 418 Second"}
