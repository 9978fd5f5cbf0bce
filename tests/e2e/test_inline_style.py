"""The inline code style (`style = "inline"`): endpoints hold their own queries.

The behaviour must not change with the style, so the blog, listing and versioning tests are
collected again here, run against packages generated in the inline style.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import GeneratedPackage, url_of
from tests.e2e.conftest import BLOG_MODELS, BLOG_ROOT
from tests.e2e.test_blog_example import *  # noqa: F403 - the tests, re-collected
from tests.e2e.test_bulk_and_upsert import *  # noqa: F403 - the tests, re-collected
from tests.e2e.test_bulk_and_upsert import MAX_BATCH
from tests.e2e.test_bulk_and_upsert import MODELS_PATH as BULK_MODELS
from tests.e2e.test_listing import (  # noqa: F401 - re-collected
    test_bad_filters_are_422_not_500,
    test_fields_selection_returns_only_the_named_columns,
    test_filters_by_type,
    test_paging_envelope_and_bounds,
    test_sorting,
)
from tests.e2e.test_relationships import (  # noqa: F401 - re-collected
    POST_OPTIONS,
    test_a_failing_child_rolls_back_the_parent,
    test_nested_reads_cost_one_query_per_relationship,
    test_post_with_comments_is_created_in_one_go,
)
from tests.e2e.test_versioning_soft_delete import (  # noqa: F401 - re-collected
    MODELS,
    test_soft_delete_hides_restores_and_hard_deletes,
    test_stale_version_gets_409_and_changes_nothing,
    test_version_and_flags_are_not_writable,
    test_version_id_col_and_flag_are_recognised,
)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """SQLite and PostgreSQL: the star import brought the bulk module's MariaDB too."""
    return url_of(request.param, tmp_path)

@pytest.fixture(scope="module")
def blog(generate_once: Callable[..., GeneratedPackage]) -> Iterator[GeneratedPackage]:
    sys.path.insert(0, str(BLOG_ROOT))
    try:
        yield generate_once(BLOG_MODELS, style="inline")
    finally:
        sys.path.remove(str(BLOG_ROOT))


@pytest.fixture(scope="module")
def nested_blog(generate_once: Callable[..., GeneratedPackage]) -> Iterator[GeneratedPackage]:
    sys.path.insert(0, str(BLOG_ROOT))
    try:
        yield generate_once(BLOG_MODELS, models={"Post": POST_OPTIONS}, style="inline")
    finally:
        sys.path.remove(str(BLOG_ROOT))


@pytest.fixture(scope="module")
def bulk_package(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    return generate_once(BULK_MODELS, max_batch_size=MAX_BATCH, style="inline")


@pytest.fixture
def package(tmp_path: Path, generate: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    models = tmp_path / "inline_versioned_models.py"
    models.write_text(MODELS)
    return generate(models, style="inline")


def test_inline_routers_call_the_shared_operations_themselves(blog: GeneratedPackage) -> None:
    files = blog.files()
    assert "crud/post.py" not in files, "no crud module in the inline style"
    router = files["routers/post.py"]
    assert "resource = Resource(" in router
    assert "await resource.create(" in router and "await resource.update(" in router
    assert "from ..crud" not in router
