"""Fixtures of the CLI tests; the helpers they import are in tests/cli/support.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.cli.support import make_shop_project


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The shop project with neither settings nor a generated package, so each test picks its
    own flags. A module whose tests need more (settings, a package already generated, other
    models) defines its own `project`, which pytest uses there instead."""
    return make_shop_project(tmp_path)
