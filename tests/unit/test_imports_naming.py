"""Pure string helpers: import blocks laid out like isort/ruff, and derived names."""

from __future__ import annotations

import ast

import pytest

from crudgen.imports import format_block, parse
from crudgen.ir import Import
from crudgen.naming import pascal_case, pluralize, snake_case, url_segment

# -- crudgen.imports ----------------------------------------------------------------------------


def test_parse() -> None:
    assert parse("import datetime") == [Import("datetime")]
    assert parse("from decimal import Decimal") == [Import("decimal", "Decimal")]
    assert parse("from ..types import Int32, UNSET") == [
        Import("..types", "Int32"),
        Import("..types", "UNSET"),
    ]
    assert parse("from ..crud import post as crud") == [Import("..crud", "post as crud")]


def test_groups_in_order_stdlib_third_party_user_relative() -> None:
    block = format_block(
        "from .x import y",
        "from blog.models import Post",
        "from fastapi import APIRouter",
        Import("datetime"),
        "from ..types import Int32",
        "from decimal import Decimal",
        "from sqlalchemy.ext.asyncio import AsyncSession",
        "from pydantic import BaseModel",
    )
    assert block == (
        "import datetime\n"
        "from decimal import Decimal\n"
        "\n"
        "from fastapi import APIRouter\n"
        "from pydantic import BaseModel\n"
        "from sqlalchemy.ext.asyncio import AsyncSession\n"
        "\n"
        "from blog.models import Post\n"
        "\n"
        "from ..types import Int32\n"
        "from .x import y"
    )


def test_names_from_one_module_are_merged_and_deduplicated() -> None:
    assert (
        format_block(
            "from ..types import Int32",
            "from ..types import UNSET, Int32",
            [Import("..types", "Int64"), Import("..types", "Int32")],
        )
        == "from ..types import UNSET, Int32, Int64"
    )


def test_names_sorted_constants_classes_then_functions() -> None:
    assert format_block("from typing import cast, Any, TYPE_CHECKING, Annotated") == (
        "from typing import TYPE_CHECKING, Annotated, Any, cast"
    )


def test_names_sorted_regardless_of_case_within_each_kind() -> None:
    # As `ruff check --select I --fix` orders them (I001 otherwise).
    block = format_block("from x import DBAPIError, DataError, AbD, Abc, abc, a_b, ZZ_TOP, ABC")
    assert block == "from x import ABC, ZZ_TOP, Abc, AbD, DataError, DBAPIError, a_b, abc"


def test_plain_imports_come_before_from_imports() -> None:
    assert format_block("from os import path", "import sys", "import os") == (
        "import os\nimport sys\nfrom os import path"
    )


def test_relative_imports_furthest_first() -> None:
    assert format_block("from .a import x", "from ..b import y", "from ...c import z") == (
        "from ...c import z\nfrom ..b import y\nfrom .a import x"
    )


def test_an_aliased_import_is_kept() -> None:
    assert format_block("from ..crud import post as crud") == "from ..crud import post as crud"


def test_accepts_strings_imports_and_iterables_of_both() -> None:
    expected = "import datetime\nfrom uuid import UUID"
    assert format_block("import datetime", "from uuid import UUID") == expected
    assert format_block([Import("datetime"), Import("uuid", "UUID")]) == expected
    assert format_block(("import datetime",), Import("uuid", "UUID")) == expected


def test_empty_block() -> None:
    assert format_block() == ""
    assert format_block([]) == ""


def test_block_is_valid_python_and_deterministic() -> None:
    items = [
        "from fastapi import APIRouter, status",
        "from typing import Annotated",
        "from ..db import SessionDep",
        "from blog.models import Post",
        "import datetime",
    ]
    block = format_block(items)
    ast.parse(block)
    assert format_block(list(reversed(items))) == block
    assert format_block(block.replace("\n\n", "\n").splitlines()) == block


# -- crudgen.naming ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "snake"),
    [
        ("Post", "post"),
        ("BlogPost", "blog_post"),
        ("HTTPLog", "http_log"),
        ("UserID", "user_id"),
        ("IDCard", "id_card"),
        ("Address2", "address2"),
        ("Item2Tag", "item2_tag"),
        ("ABC", "abc"),
        ("already_snake", "already_snake"),
    ],
)
def test_snake_case(name: str, snake: str) -> None:
    assert snake_case(name) == snake


@pytest.mark.parametrize(
    ("word", "plural"),
    [
        ("post", "posts"),
        ("category", "categories"),
        ("day", "days"),
        ("key", "keys"),
        ("box", "boxes"),
        ("class", "classes"),
        ("status", "statuses"),
        ("match", "matches"),
        ("dish", "dishes"),
        ("buzz", "buzzes"),
        ("blog_post", "blog_posts"),
        ("y", "ys"),
    ],
)
def test_pluralize(word: str, plural: str) -> None:
    assert pluralize(word) == plural


@pytest.mark.parametrize(
    ("table", "segment"),
    [("posts", "posts"), ("post_tags", "post-tags"), ("Blog_Posts", "blog-posts")],
)
def test_url_segment(table: str, segment: str) -> None:
    assert url_segment(table) == segment


def test_aliased_imports_of_one_module_get_a_line_each_after_the_plain_names() -> None:
    block = format_block(
        "from ..hooks import post as hooks",
        "from ..hooks import comment as comment_hooks",
        "from ..hooks import helpers",
    )
    assert block.splitlines() == [
        "from ..hooks import helpers",
        "from ..hooks import comment as comment_hooks",
        "from ..hooks import post as hooks",
    ]


@pytest.mark.parametrize(
    ("name", "pascal"), [("comments", "Comments"), ("line_items", "LineItems"), ("x", "X")]
)
def test_pascal_case(name: str, pascal: str) -> None:
    assert pascal_case(name) == pascal
