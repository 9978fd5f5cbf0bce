"""The README and docs/ say what the code does: every setting, every flag, every link.

docs/configuration.md keeps one table row per `[tool.crudgen]` key and per-model key, and
docs/cli.md one row per option: a key or flag added without its row fails here.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import typer

from crudgen.cli import app
from crudgen.config import ModelOptions, Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = REPO / "docs"


def table_keys(text: str, heading: str) -> set[str]:
    """The first-column keys (`key`) of the table under a `## heading`."""
    section = text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^\| `([a-z_]+)` \|", section, flags=re.M))


def test_every_project_key_has_a_row() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    assert table_keys(text, "Project keys") == set(Settings.model_fields)


def test_every_per_model_key_has_a_row() -> None:
    text = (DOCS / "configuration.md").read_text(encoding="utf-8")
    keys = table_keys(text, "Per-model keys: `[tool.crudgen.models.<Class>]`")
    assert keys == set(ModelOptions.model_fields)


def test_every_command_and_flag_is_in_the_cli_reference() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    group = typer.main.get_command(app)  # typer's own click-like group
    commands: dict[str, Any] = getattr(group, "commands")  # noqa: B009 - not typed as a group
    missing = []
    for name, command in [("crudgen", group), *commands.items()]:
        if name != "crudgen" and f"`crudgen {name}" not in text:
            missing.append(name)
        for parameter in command.params:
            if parameter.param_type_name == "option":
                flags = [*parameter.opts, *parameter.secondary_opts]
                missing += [f"{name} {flag}" for flag in flags if f"`{flag}" not in text]
    assert not missing, f"docs/cli.md does not mention: {missing}"


@pytest.mark.parametrize(
    "page", sorted(p.name for p in DOCS.glob("*.md")) + ["../README.md"], ids=str
)
def test_relative_links_lead_to_files_and_headings(page: str) -> None:
    path = (DOCS / page).resolve()
    text = path.read_text(encoding="utf-8")
    for target in re.findall(r"\]\((?!https?:|#)([^)\s]+)\)", text):
        file, _, anchor = target.partition("#")
        linked = (path.parent / file).resolve()
        assert linked.exists(), f"{page}: {target}"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked.read_text(encoding="utf-8")), f"{page}: {target}"
    for anchor in re.findall(r"\]\(#([^)]+)\)", text):
        assert anchor in _anchors(text), f"{page}: #{anchor}"


def _anchors(text: str) -> set[str]:
    """GitHub's anchors of a page's headings: lower case, punctuation dropped, - for spaces."""
    headings = re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", text, flags=re.S), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


# The whole suite, one worker per core: README gives it, and CI runs exactly it.
TEST_COMMAND = "python -m pytest -n auto"


def test_the_readme_leads_with_the_users_install_and_keeps_the_developers_commands() -> None:
    assert README.index('pip install "crudgen[runtime]"') < README.index("## Quickstart")
    assert README.index("## Quickstart") < README.index("## Contents")
    developer = (
        'python3 -m venv .venv && . .venv/bin/activate && python -m pip install -e ".[dev]" '
        "&& python examples/blog/demo.py"
    )
    assert f"```sh\n{developer}\n```" in README
    assert f"```sh\n{TEST_COMMAND}\n```" in README
    assert README.index("## Develop crudgen") > README.index("## Quickstart")
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert ci.rstrip().splitlines()[-1] == TEST_COMMAND
    assert "Not yet here" not in README


def test_the_readme_documents_the_settings_it_names() -> None:
    for key in re.findall(r"^([a-z_]+) = ", README, flags=re.M):
        assert key in Settings.model_fields, key


def test_docs_pages_exist_for_every_reference_the_issue_names() -> None:
    names = {p.name for p in Path(DOCS).glob("*.md")}
    assert {"cli.md", "configuration.md", "yaml-spec.md", "templates.md"} <= names
    assert "`database_url`" in (DOCS / "configuration.md").read_text(encoding="utf-8")


def test_the_gallery_quotes_the_committed_blog_package() -> None:
    """Each excerpt of docs/gallery.md under a heading naming a file is in that file."""
    text = (DOCS / "gallery.md").read_text(encoding="utf-8")
    blog = REPO / "examples" / "blog"
    quoted = 0
    for heading, body in re.findall(
        r"^## .*?\(`([\w/.]+\.py)`\)\n(.*?)(?=^## |\Z)", text, re.M | re.S
    ):
        quoted_file = blog / ("blog/" + heading if heading.startswith("generated/") else heading)
        lines = set(quoted_file.read_text(encoding="utf-8").splitlines())
        for block in re.findall(r"```python\n(.*?)```", body, flags=re.S):
            shown = [line for line in block.splitlines() if line.strip() not in ("", "...")]
            missing = [line for line in shown if line not in lines]
            assert not missing, f"docs/gallery.md quotes {heading}: {missing}"
            quoted += 1
    assert quoted >= 3
