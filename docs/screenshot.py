"""Retake docs/images/blog-docs.png: the generated /docs page of the served blog example.

    python docs/screenshot.py                          # Swagger UI from FastAPI's CDN
    python docs/screenshot.py --swagger-ui DIR         # ... from a local swagger-ui-dist

The blog's committed package (examples/blog/blog/generated) is served by uvicorn on a free
loopback port, on a throwaway SQLite file, and headless Chromium (`chromium`, or the path in
$CHROMIUM) takes the screenshot. FastAPI's /docs page loads Swagger UI from
cdn.jsdelivr.net; on a machine that cannot reach it, give the files of the swagger-ui-dist
npm package (`npm pack swagger-ui-dist@5 && tar xzf swagger-ui-dist-*.tgz`: DIR is
`package/`): the same page is then served with those files.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
BLOG = REPO / "examples" / "blog"
OUT = REPO / "docs" / "images" / "blog-docs.png"
WINDOW = "1280,1600"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def blog_app(swagger_ui: Path | None) -> Any:
    """The blog example's app; with swagger_ui, its /docs page loads Swagger UI from there."""
    sys.path.insert(0, str(BLOG))
    from blog.generated.app import app

    if swagger_ui is None:
        return app
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import HTMLResponse
    from fastapi.staticfiles import StaticFiles

    app.router.routes = [r for r in app.router.routes if getattr(r, "path", None) != "/docs"]
    app.mount("/swagger-ui", StaticFiles(directory=swagger_ui), name="swagger-ui")

    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} - Swagger UI",
            swagger_js_url="/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/swagger-ui/favicon-32x32.png",
        )

    app.add_api_route("/docs", docs, include_in_schema=False)
    return app


def serve(app: Any, port: int) -> tuple[Any, threading.Thread]:
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise SystemExit("uvicorn did not start")
        time.sleep(0.1)
    return server, thread


def screenshot(url: str, out: Path) -> None:
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    command = [
        chromium,
        "--headless",
        "--hide-scrollbars",
        f"--screenshot={out}",
        f"--window-size={WINDOW}",
        # Time for Swagger UI's scripts to fetch /openapi.json and draw the operations.
        "--virtual-time-budget=15000",
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--no-sandbox")  # Chromium refuses to run as root with its sandbox
    subprocess.run([*command, url], check=True, capture_output=True, timeout=120)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--swagger-ui", type=Path, help="a swagger-ui-dist directory")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["DATABASE_URL"] = f"sqlite+aiosqlite:///{scratch}/blog.db"
        port = free_port()
        server, thread = serve(blog_app(args.swagger_ui), port)
        try:
            args.out.parent.mkdir(parents=True, exist_ok=True)
            screenshot(f"http://127.0.0.1:{port}/docs", args.out)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
