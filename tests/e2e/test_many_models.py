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

from tests.conftest import GeneratedPackage

MODEL_COUNT = 130  # past FastAPI's 128

HEADER = '''"""Many small models, as a large project has."""

from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass
'''

MODEL = '''

class Gauge{number:03}(Base):
    __tablename__ = "gauge_{number:03}"

    id: Mapped[int] = mapped_column(primary_key=True)
    label: Mapped[str] = mapped_column(String(40))
'''


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
