"""Generate the tasks example's API with crudgen, then exercise it over HTTP on SQLite.

python examples/tasks/demo.py           # generate, then call the endpoints once
python examples/tasks/demo.py --serve   # generate, then serve on http://127.0.0.1:8000/docs
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
    from tasks.api.app import app
    from tasks.api.db import create_tables

    await create_tables()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://demo") as client:
        calls = [
            ("POST", "/projects", {"name": "Garden"}),
            ("POST", "/projects", {"name": ""}),  # min_length=1 on the SQLModel field: 422
            ("POST", "/tasks", {"project_id": 1, "title": "Sow peas", "priority": 2}),
            ("POST", "/tasks", {"project_id": 1, "title": "Prune", "priority": 9}),  # le=5
            ("GET", "/tasks?done=false&sort=priority", None),
            ("PATCH", "/tasks/1", {"done": True}),
            ("DELETE", "/projects/1", None),  # a task still refers to it: 409
            ("DELETE", "/tasks/1", None),
        ]
        for method, url, body in calls:
            response = await client.request(method, url, json=body)
            print(f"{method:6} {url:32} -> {response.status_code} {response.text[:90]}")


def main() -> None:
    generate()
    sys.path.insert(0, str(HERE))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ.setdefault("DATABASE_URL", f"sqlite+aiosqlite:///{scratch}/demo.db")
        if "--serve" in sys.argv:
            import uvicorn

            uvicorn.run("tasks.api.app:app", host="127.0.0.1", port=8000, app_dir=str(HERE))
        else:
            asyncio.run(exercise())


if __name__ == "__main__":
    main()
