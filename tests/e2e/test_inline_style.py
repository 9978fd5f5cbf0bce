"""The inline code style (`style = "inline"`): endpoints call the shared operations
themselves, without a crud module.

Its behaviour is the functions style's: the blog, bulk, listing, relationship and
versioning suites run against both styles (their `code_style` fixture); this module checks
what only the inline style's layout promises.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator

import pytest

from tests.conftest import GeneratedPackage
from tests.e2e.conftest import BLOG_MODELS, BLOG_ROOT


@pytest.fixture(scope="module")
def inline_blog(generate_once: Callable[..., GeneratedPackage]) -> Iterator[GeneratedPackage]:
    sys.path.insert(0, str(BLOG_ROOT))
    try:
        yield generate_once(BLOG_MODELS, style="inline")
    finally:
        sys.path.remove(str(BLOG_ROOT))


def test_inline_routers_call_the_shared_operations_themselves(
    inline_blog: GeneratedPackage,
) -> None:
    files = inline_blog.files()
    assert "crud/post.py" not in files, "no crud module in the inline style"
    router = files["routers/post.py"]
    assert "resource = Resource(" in router
    assert "await resource.create(" in router and "await resource.update(" in router
    assert "from ..crud" not in router
