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
        calls = [
            ("POST", "/authors", {"email": "ada@example.com", "name": "Ada"}),
            ("POST", "/posts", {"author_id": 1, "title": "Hello", "slug": "hello"}),
            ("GET", "/posts", None),
            ("PATCH", "/posts/1", {"status": "published"}),
            ("PUT", "/tags/1", {"name": "python"}),
            ("POST", "/tags", {"name": "python"}),
            ("POST", "/tags", {"name": "python"}),
            ("DELETE", "/posts/1", None),
            ("GET", "/posts/1", None),
        ]
        for method, url, body in calls:
            response = await client.request(method, url, json=body)
            print(f"{method:6} {url:12} -> {response.status_code} {response.text[:100]}")


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
