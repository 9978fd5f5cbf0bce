"""Generate the blog example's API with crudgen, then exercise it over HTTP on SQLite.

python examples/blog/demo.py           # generate, then call every endpoint once
python examples/blog/demo.py --serve   # generate, then serve on http://127.0.0.1:8000/docs
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
    subprocess.run(
        [
            sys.executable,
            "-m",
            "crudgen",
            "generate",
            "blog/models.py",
            "--out",
            "blog/generated",
        ],
        cwd=HERE,
        check=True,
    )


async def exercise() -> None:
    import httpx
    from blog.generated.app import app
    from blog.generated.db import create_tables

    await create_tables()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
        ada = {"Authorization": "Bearer ada-token"}  # a writer (blog/auth.py)
        grace = {"Authorization": "Bearer grace-token"}  # a writer and editor
        calls = [
            ("GET", "/posts", None, {}),  # no token: 401
            ("POST", "/authors", {"email": "ada@example.com", "name": "Ada"}, ada),
            ("POST", "/authors", {"email": "grace@example.com", "name": "Grace"}, grace),
            ("POST", "/posts", {"title": "Hello", "slug": "hello"}, ada),  # Ada's draft
            ("POST", "/posts", {"title": "X", "slug": "x", "author_id": 2}, ada),  # 422
            ("GET", "/posts", None, grace),  # a draft is its author's alone: none here
            ("PATCH", "/posts/1", {"status": "published"}, ada),
            ("GET", "/posts?fields=id,title,author_id", None, grace),  # published: seen
            ("PUT", "/tags/1", {"name": "python"}, ada),  # no such tag: 404
            ("POST", "/tags", {"name": "python"}, ada),
            ("POST", "/tags", {"name": "python"}, ada),  # the name is unique: 409
            ("DELETE", "/posts/1", None, ada),  # only editors delete: 403
            ("DELETE", "/posts/1", None, grace),
            ("GET", "/posts/1", None, grace),  # gone: 404
        ]
        for method, url, body, headers in calls:
            response = await client.request(method, url, json=body, headers=headers)
            print(f"{method:6} {url:34} -> {response.status_code} {response.text[:80]}")


def main() -> None:
    generate()
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{scratch}/demo.db")
        if "--serve" in sys.argv:
            import uvicorn

            uvicorn.run("blog.generated.app:app", host="127.0.0.1", port=8000, app_dir=str(HERE))
        else:
            asyncio.run(exercise())


if __name__ == "__main__":
    main()
