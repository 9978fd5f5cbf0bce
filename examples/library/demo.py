"""Generate the library example's API with crudgen, then exercise it over HTTP on SQLite.

python examples/library/demo.py           # generate, then call the endpoints once
python examples/library/demo.py --serve   # generate, then serve on http://127.0.0.1:8000/docs
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def generate() -> None:
    # The sources and the output directory come from [tool.crudgen] in pyproject.toml.
    subprocess.run([sys.executable, "-m", "crudgen", "generate"], cwd=HERE, check=True)


async def exercise() -> None:
    import httpx
    from library.api.app import app
    from library.api.db import create_tables

    await create_tables()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
        book = {"title": "Dune", "year": 1965, "isbn": "9780441013593", "category_id": 2}
        calls = [
            ("POST", "/categories", {"name": "Fiction"}),
            ("POST", "/categories", {"name": "Science fiction", "parent_id": 1}),  # below 1
            ("GET", "/categories?parent_id=1", None),
            ("POST", "/authors", {"name": "Frank Herbert", "born": 1920}),
            ("POST", "/books", book),  # the server writes "kind": "book"
            ("POST", "/books", book | {"kind": "periodical"}),  # the discriminator: 422
            ("POST", "/books", book | {"title": "Dune (again)"}),  # isbn is unique: 409
            ("POST", "/periodicals", {"title": "Locus", "issn": "0047-4959", "issue": 742}),
            ("POST", "/items", {"title": "A thing"}),  # no item is only an item: 405
            ("GET", "/items?sort=title", None),  # every item, each with its kind's fields
            ("GET", "/items?kind=periodical", None),
            ("GET", "/periodicals/1", None),  # item 1 is a book: not a periodical, 404
            ("POST", "/book-authors", {"book_id": 1, "author_id": 1}),  # the many-to-many
            ("GET", "/books/1", None),  # with its authors
            ("POST", "/copies", {"item_id": 1, "copy_number": 1, "shelf": "A3"}),
            ("POST", "/copies", {"item_id": 1, "copy_number": 2, "shelf": "A3"}),
            ("POST", "/copies", {"item_id": 1, "copy_number": 1, "shelf": "B1"}),  # 409
            ("PATCH", "/copies/1/2", {"condition": "worn"}),  # the composite key in the URL
            ("PATCH", "/items/2", {"title": "Locus Magazine"}),  # through the base's routes
            ("DELETE", "/categories/1", None),  # a section below it refers to it: 409
            ("DELETE", "/items/1", None),  # the book, from both tables, and its copies
            ("GET", "/copies", None),
        ]
        for method, url, body in calls:
            response = await client.request(method, url, json=body)
            print(f"{method:6} {url:24} -> {response.status_code} {response.text[:100]}")


def main() -> None:
    generate()
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{scratch}/demo.db")
        if "--serve" in sys.argv:
            import uvicorn

            uvicorn.run("library.api.app:app", host="127.0.0.1", port=8000, app_dir=str(HERE))
        else:
            asyncio.run(exercise())


if __name__ == "__main__":
    main()
