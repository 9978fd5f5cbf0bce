"""The IR's derived attributes: what the templates read. Built by hand, no SQLAlchemy."""

from __future__ import annotations

import ast
import dataclasses
import os
import sys
from pathlib import Path

import pytest

from crudgen.ir import (
    LIST_PARAMETERS,
    NO_DEFAULT,
    Default,
    DefaultKind,
    EnumSpec,
    Field,
    FilterParam,
    ForeignKey,
    Import,
    MetadataOwner,
    Model,
    Project,
    RelationKind,
    Relationship,
    ScalarKind,
    filter_operators,
)

LITERAL_ZERO = Default(DefaultKind.LITERAL, "0")
SERVER = Default(DefaultKind.SERVER)
FACTORY = Default(DefaultKind.FACTORY)


def make(name: str = "x", kind: ScalarKind = ScalarKind.STRING, **kwargs: object) -> Field:
    kwargs.setdefault("nullable", False)
    return Field(name=name, column=name, kind=kind, **kwargs)  # type: ignore[arg-type]


def test_ir_is_frozen() -> None:
    f = make()
    with pytest.raises(dataclasses.FrozenInstanceError):
        f.name = "y"  # type: ignore[misc]
    m = Model("Item", "app.models", "items", (f,))
    with pytest.raises(dataclasses.FrozenInstanceError):
        m.table = "things"  # type: ignore[misc]


# -- Python types ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "python_type", "input_type"),
    [
        (ScalarKind.INTEGER, "int", "Int32"),
        (ScalarKind.BIG_INTEGER, "int", "Int64"),
        (ScalarKind.SMALL_INTEGER, "int", "Int16"),
        (ScalarKind.STRING, "str", "str"),
        (ScalarKind.TEXT, "str", "str"),
        (ScalarKind.BOOLEAN, "bool", "bool"),
        (ScalarKind.DECIMAL, "Decimal", "Decimal"),
        (ScalarKind.FLOAT, "float", "FiniteFloat"),
        (ScalarKind.DATE, "datetime.date", "datetime.date"),
        (ScalarKind.DATETIME, "datetime.datetime", "NaiveDatetime"),
        (ScalarKind.TIME, "datetime.time", "NaiveTime"),
        (ScalarKind.INTERVAL, "datetime.timedelta", "Duration"),
        (ScalarKind.JSON, "Any", "FiniteJson"),
        (ScalarKind.UUID, "UUID", "UUID"),
        (ScalarKind.BINARY, "bytes", "Binary"),
    ],
)
def test_python_and_input_types(kind: ScalarKind, python_type: str, input_type: str) -> None:
    f = make(kind=kind)
    assert f.python_type == python_type
    assert f.input_type == input_type


def test_every_non_enum_kind_has_a_python_type() -> None:
    for kind in ScalarKind:
        if kind is not ScalarKind.ENUM:
            assert make(kind=kind).python_type


def test_datetime_input_type_follows_timezone() -> None:
    # A timezone column needs an offset and stores UTC; a naive one refuses offsets.
    assert make(kind=ScalarKind.DATETIME, timezone=True).input_type == "UtcDatetime"
    assert make(kind=ScalarKind.DATETIME, timezone=False).input_type == "NaiveDatetime"
    # A time without timezone refuses an offset; with one, the plain type takes either.
    assert make(kind=ScalarKind.TIME, timezone=False).input_type == "NaiveTime"
    assert make(kind=ScalarKind.TIME, timezone=True).input_type == "datetime.time"
    # The python type (what the ORM holds) does not change with the timezone.
    assert make(kind=ScalarKind.DATETIME, timezone=True).python_type == "datetime.datetime"
    assert make(kind=ScalarKind.TIME, timezone=True).python_type == "datetime.time"


@pytest.mark.parametrize(
    ("f", "read_type"),
    [
        (make(kind=ScalarKind.BINARY), "Binary"),  # base64 in JSON
        (make(kind=ScalarKind.DATETIME, timezone=True), "StoredUtcDatetime"),
        (make(kind=ScalarKind.DATETIME), "datetime.datetime"),
        (make(kind=ScalarKind.TIME), "datetime.time"),
        (make(kind=ScalarKind.TIME, timezone=True), "datetime.time"),
        (make(kind=ScalarKind.DATE, timezone=True), "datetime.date"),
        (make(kind=ScalarKind.INTEGER), "int"),  # reads are not bounded: the database is
        (make(kind=ScalarKind.FLOAT), "float"),
        (make(kind=ScalarKind.JSON), "Any"),
        (make(kind=ScalarKind.STRING), "str"),
        (make(kind=ScalarKind.ENUM, enum=EnumSpec(("a",), "Choice", "app.models")), "Choice"),
    ],
    ids=lambda value: f"{value.kind.value}-tz{value.timezone}" if isinstance(value, Field) else "",
)
def test_read_type(f: Field, read_type: str) -> None:
    assert f.read_type == read_type
    assert f.read_annotation == read_type
    assert f.read_declaration == f"x: {read_type}"


def test_read_annotation_uses_the_read_type() -> None:
    blob = make("blob", ScalarKind.BINARY, nullable=True)
    assert blob.read_annotation == "Binary | None"
    assert blob.read_declaration == "blob: Binary | None"
    stamp = make("at", ScalarKind.DATETIME, nullable=True, timezone=True)
    assert stamp.read_annotation == "StoredUtcDatetime | None"


def test_enum_types() -> None:
    with_class = make(
        kind=ScalarKind.ENUM, enum=EnumSpec(("draft", "done"), "Status", "app.models")
    )
    assert with_class.python_type == with_class.input_type == "Status"
    assert with_class.type_imports == (Import("app.models", "Status"),)

    choices = make(kind=ScalarKind.ENUM, enum=EnumSpec(("s", "it's")))
    assert choices.python_type == 'Literal["s", "it\'s"]'  # quoted as black quotes
    assert choices.type_imports == (Import("typing", "Literal"),)


@pytest.mark.parametrize(
    ("kind", "path_annotation"),
    [
        (ScalarKind.INTEGER, "Int32Path"),
        (ScalarKind.BIG_INTEGER, "Int64Path"),
        (ScalarKind.SMALL_INTEGER, "Int16Path"),
        (ScalarKind.STRING, "str"),
        (ScalarKind.UUID, "UUID"),
        (ScalarKind.DATE, "datetime.date"),
        (ScalarKind.DATETIME, "NaiveDatetime"),
        (ScalarKind.TIME, "NaiveTime"),
    ],
)
def test_path_annotation(kind: ScalarKind, path_annotation: str) -> None:
    assert make(kind=kind, primary_key=True).path_annotation == path_annotation


def test_json_admits_null_through_any() -> None:
    nullable_json = make("extra", ScalarKind.JSON, nullable=True)
    assert nullable_json.admits_null is False
    assert nullable_json.read_annotation == "Any"
    assert make(kind=ScalarKind.STRING, nullable=True).admits_null is True
    assert make(kind=ScalarKind.STRING, nullable=True).read_annotation == "str | None"
    assert make(kind=ScalarKind.STRING).read_annotation == "str"


# -- constraints ------------------------------------------------------------------------------


def test_constraint_args() -> None:
    assert make(kind=ScalarKind.STRING, max_length=200).constraint_args == ("max_length=200",)
    assert make(kind=ScalarKind.TEXT, max_length=5).constraint_args == ("max_length=5",)
    assert make(kind=ScalarKind.BINARY, max_length=16).constraint_args == ("max_length=16",)
    assert make(kind=ScalarKind.STRING).constraint_args == ()
    # An enum's length is the longest value: the choices validate it already.
    enum_field = make(kind=ScalarKind.ENUM, max_length=5, enum=EnumSpec(("small",)))
    assert enum_field.constraint_args == ()
    assert make(kind=ScalarKind.DECIMAL, precision=10, scale=2).constraint_args == (
        "max_digits=10",
        "decimal_places=2",
    )
    assert make(kind=ScalarKind.DECIMAL, precision=10).constraint_args == ("max_digits=10",)
    assert make(kind=ScalarKind.DECIMAL).constraint_args == ()
    # Precision of a non-decimal means nothing to pydantic.
    assert make(kind=ScalarKind.FLOAT, precision=53).constraint_args == ()


KEY_PATTERN = 'min_length=1, pattern=r"^[^/]+$"'


def test_string_keys_must_make_a_url_segment() -> None:
    code = make("code", ScalarKind.STRING, primary_key=True, max_length=8)
    assert code.constraint_args == ("max_length=8", KEY_PATTERN)
    assert make(kind=ScalarKind.TEXT, primary_key=True).constraint_args == (KEY_PATTERN,)
    assert code.create_declaration == (
        'code: str = Field(max_length=8, min_length=1, pattern=r"^[^/]+$")'
    )
    # Only string keys: other keys, and strings that are not keys, keep their constraints.
    assert make(kind=ScalarKind.STRING, max_length=8).constraint_args == ("max_length=8",)
    assert make(kind=ScalarKind.UUID, primary_key=True).constraint_args == ()
    assert make(kind=ScalarKind.INTEGER, primary_key=True).constraint_args == ()
    enum_key = make(kind=ScalarKind.ENUM, primary_key=True, enum=EnumSpec(("a",)))
    assert enum_key.constraint_args == ()


def test_string_key_declaration_validates_in_pydantic() -> None:
    from pydantic import BaseModel, ValidationError
    from pydantic import Field as PydanticField

    code = make("code", ScalarKind.STRING, primary_key=True, max_length=8)
    namespace: dict[str, object] = {"BaseModel": BaseModel, "Field": PydanticField}
    exec(f"class Key(BaseModel):\n    {code.create_declaration}\n", namespace)
    key = namespace["Key"]
    assert key.model_validate({"code": "a-b.c"}).code == "a-b.c"  # type: ignore[attr-defined]
    for bad in ("", "a/b", "/", "123456789"):
        with pytest.raises(ValidationError):
            key.model_validate({"code": bad})  # type: ignore[attr-defined]


def test_description_args() -> None:
    assert make(description="Shown on posts").description_args == ('description="Shown on posts"',)
    assert make(description="").description_args == ()
    assert make().description_args == ()


# -- declarations --------------------------------------------------------------------------


REQUIRED = make("title", ScalarKind.STRING, max_length=200)
NULLABLE = make("bio", ScalarKind.TEXT, nullable=True)
LITERAL = make("views", ScalarKind.INTEGER, default=LITERAL_ZERO)
NULLABLE_LITERAL = make(
    "step", ScalarKind.INTEGER, nullable=True, default=Default(DefaultKind.LITERAL, "1")
)
SERVER_DEFAULT = make("origin", ScalarKind.STRING, max_length=20, default=SERVER)
FACTORY_DEFAULT = make("ref", ScalarKind.UUID, default=FACTORY)
NULLABLE_SERVER = make("note", ScalarKind.STRING, nullable=True, default=SERVER)
PLAIN_REQUIRED = make("flag", ScalarKind.BOOLEAN)
DESCRIBED = make("name", ScalarKind.STRING, max_length=100, description="Shown on posts")
ENUM_LITERAL = make(
    "status",
    ScalarKind.ENUM,
    enum=EnumSpec(("draft", "published"), "PostStatus", "blog.models"),
    default=Default(DefaultKind.LITERAL, "PostStatus.DRAFT"),
)
AWARE = make("published_at", ScalarKind.DATETIME, nullable=True, timezone=True)
NULLABLE_JSON = make("extra", ScalarKind.JSON, nullable=True)
DECIMAL = make("rating", ScalarKind.DECIMAL, precision=3, scale=1)
FLOAT = make("score", ScalarKind.FLOAT)


@pytest.mark.parametrize(
    ("f", "read", "create", "update", "replace"),
    [
        (
            REQUIRED,
            "title: str",
            "title: str = Field(max_length=200)",
            "title: str = Field(default=UNSET, max_length=200)",
            "title: str = Field(max_length=200)",
        ),
        (
            NULLABLE,
            "bio: str | None",
            "bio: str | None = None",
            "bio: str | None = None",
            "bio: str | None = None",
        ),
        (LITERAL, "views: int", "views: Int32 = 0", "views: Int32 = UNSET", "views: Int32 = 0"),
        (
            NULLABLE_LITERAL,
            "step: int | None",
            "step: Int32 | None = 1",
            "step: Int32 | None = None",
            "step: Int32 | None = 1",
        ),
        (
            SERVER_DEFAULT,
            "origin: str",
            "origin: str = Field(default=UNSET, max_length=20)",
            "origin: str = Field(default=UNSET, max_length=20)",
            "origin: str = Field(max_length=20)",
        ),
        (FACTORY_DEFAULT, "ref: UUID", "ref: UUID = UNSET", "ref: UUID = UNSET", "ref: UUID"),
        (
            NULLABLE_SERVER,
            "note: str | None",
            "note: str | None = None",
            "note: str | None = None",
            "note: str | None = None",
        ),
        (PLAIN_REQUIRED, "flag: bool", "flag: bool", "flag: bool = UNSET", "flag: bool"),
        (
            DESCRIBED,
            'name: str = Field(description="Shown on posts")',
            'name: str = Field(max_length=100, description="Shown on posts")',
            'name: str = Field(default=UNSET, max_length=100, description="Shown on posts")',
            'name: str = Field(max_length=100, description="Shown on posts")',
        ),
        (
            ENUM_LITERAL,
            "status: PostStatus",
            "status: PostStatus = PostStatus.DRAFT",
            "status: PostStatus = UNSET",
            "status: PostStatus = PostStatus.DRAFT",
        ),
        (
            AWARE,
            "published_at: StoredUtcDatetime | None",
            "published_at: UtcDatetime | None = None",
            "published_at: UtcDatetime | None = None",
            "published_at: UtcDatetime | None = None",
        ),
        (
            NULLABLE_JSON,
            "extra: Any",
            "extra: FiniteJson = None",
            "extra: FiniteJson = None",
            "extra: FiniteJson = None",
        ),
        (
            DECIMAL,
            "rating: Decimal",
            "rating: Decimal = Field(max_digits=3, decimal_places=1)",
            "rating: Decimal = Field(default=UNSET, max_digits=3, decimal_places=1)",
            "rating: Decimal = Field(max_digits=3, decimal_places=1)",
        ),
        (
            FLOAT,
            "score: float",
            "score: FiniteFloat",
            "score: FiniteFloat = UNSET",
            "score: FiniteFloat",
        ),
    ],
    ids=lambda value: value.name if isinstance(value, Field) else "",
)
def test_declarations(f: Field, read: str, create: str, update: str, replace: str) -> None:
    assert f.read_declaration == read
    assert f.create_declaration == create
    assert f.update_declaration == update
    assert f.replace_declaration == replace


def test_declarations_are_valid_annotated_assignments() -> None:
    import ast

    for f in (REQUIRED, NULLABLE, LITERAL, SERVER_DEFAULT, DESCRIBED, ENUM_LITERAL, DECIMAL):
        for declaration in (
            f.read_declaration,
            f.create_declaration,
            f.update_declaration,
            f.replace_declaration,
        ):
            tree = ast.parse(declaration)
            assert isinstance(tree.body[0], ast.AnnAssign), declaration


def test_required_create_fields_have_no_default() -> None:
    """A non-null column without any default must be sent on create: no `=` at all."""
    assert "=" not in PLAIN_REQUIRED.create_declaration
    assert "default=" not in REQUIRED.create_declaration


# -- imports ------------------------------------------------------------------------------


DATETIME = Import("datetime")


@pytest.mark.parametrize(
    ("f", "type_imports", "input_imports", "read_imports"),
    [
        (make(kind=ScalarKind.STRING), (), (), ()),
        (make(kind=ScalarKind.INTEGER), (), (Import("..types", "Int32"),), ()),
        (make(kind=ScalarKind.BIG_INTEGER), (), (Import("..types", "Int64"),), ()),
        (make(kind=ScalarKind.FLOAT), (), (Import("..types", "FiniteFloat"),), ()),
        (
            make(kind=ScalarKind.DECIMAL),
            (Import("decimal", "Decimal"),),
            (Import("decimal", "Decimal"),),
            (Import("decimal", "Decimal"),),
        ),
        # Only the annotation's import: no unused `import datetime` beside UtcDatetime.
        (
            make(kind=ScalarKind.DATETIME, timezone=True),
            (DATETIME,),
            (Import("..types", "UtcDatetime"),),
            (Import("..types", "StoredUtcDatetime"),),
        ),
        (
            make(kind=ScalarKind.DATETIME),
            (DATETIME,),
            (Import("pydantic", "NaiveDatetime"),),
            (DATETIME,),
        ),
        (make(kind=ScalarKind.TIME), (DATETIME,), (Import("..types", "NaiveTime"),), (DATETIME,)),
        (make(kind=ScalarKind.TIME, timezone=True), (DATETIME,), (DATETIME,), (DATETIME,)),
        (make(kind=ScalarKind.DATE), (DATETIME,), (DATETIME,), (DATETIME,)),
        (
            make(kind=ScalarKind.JSON),
            (Import("typing", "Any"),),
            (Import("..types", "FiniteJson"),),
            (Import("typing", "Any"),),
        ),
        (
            make(kind=ScalarKind.UUID),
            (Import("uuid", "UUID"),),
            (Import("uuid", "UUID"),),
            (Import("uuid", "UUID"),),
        ),
        (
            make(kind=ScalarKind.BINARY),
            (),
            (Import("..types", "Binary"),),
            (Import("..types", "Binary"),),
        ),
        (
            make(kind=ScalarKind.ENUM, enum=EnumSpec(("a",), "Choice", "app.models")),
            (Import("app.models", "Choice"),),
            (Import("app.models", "Choice"),),
            (Import("app.models", "Choice"),),
        ),
    ],
    ids=lambda value: f"{value.kind.value}-tz{value.timezone}" if isinstance(value, Field) else "",
)
def test_field_imports(
    f: Field,
    type_imports: tuple[Import, ...],
    input_imports: tuple[Import, ...],
    read_imports: tuple[Import, ...],
) -> None:
    assert f.type_imports == type_imports
    assert f.input_imports == input_imports
    assert f.read_imports == read_imports


def test_import_statement() -> None:
    assert Import("decimal", "Decimal").statement == "from decimal import Decimal"
    assert Import("datetime").statement == "import datetime"
    assert Import("..types", "Int32").statement == "from ..types import Int32"


# -- models ---------------------------------------------------------------------------------


def blog_post() -> Model:
    return Model(
        name="BlogPost",
        module="blog.models",
        table="blog_posts",
        fields=(
            make("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            make("title", ScalarKind.STRING, max_length=200),
            make("views", ScalarKind.INTEGER, default=LITERAL_ZERO),
            make("rating", ScalarKind.DECIMAL, nullable=True, precision=3, scale=1),
            make("created_at", ScalarKind.DATETIME, timezone=True, generated=True, default=SERVER),
            make(
                "author_id",
                ScalarKind.INTEGER,
                foreign_key=ForeignKey("authors", "id", "Author", "CASCADE"),
            ),
        ),
    )


def post_tag() -> Model:
    return Model(
        name="PostTag",
        module="blog.models",
        table="post_tags",
        fields=(
            make("post_id", ScalarKind.INTEGER, primary_key=True),
            make("tag_id", ScalarKind.BIG_INTEGER, primary_key=True),
            make("note", ScalarKind.STRING, nullable=True),
        ),
    )


def test_model_names() -> None:
    m = blog_post()
    assert m.snake_name == "blog_post"
    assert m.plural_name == "blog_posts"
    assert m.module_name == "blog_post"
    assert m.url_prefix == "/blog-posts"
    assert m.route_tags == ("blog_posts",)
    assert (m.create_schema, m.update_schema, m.replace_schema, m.read_schema, m.page_schema) == (
        "BlogPostCreate",
        "BlogPostUpdate",
        "BlogPostReplace",
        "BlogPostRead",
        "BlogPostPage",
    )
    assert m.router_import == "from .routers.blog_post import router as blog_post_router"


@pytest.mark.parametrize(
    ("name", "snake", "plural"),
    [
        ("Category", "category", "categories"),
        ("Address", "address", "addresses"),
        ("HTTPLog", "http_log", "http_logs"),
        ("Box", "box", "boxes"),
        ("Day", "day", "days"),
    ],
)
def test_model_plural_names(name: str, snake: str, plural: str) -> None:
    m = Model(name, "app.models", snake + "s", (make("id", ScalarKind.INTEGER, primary_key=True),))
    assert (m.snake_name, m.plural_name) == (snake, plural)


def test_configured_prefix_and_tags_override_the_table_name() -> None:
    m = dataclasses.replace(blog_post(), prefix="/api/posts", tags=("posts", "content"))
    assert m.url_prefix == "/api/posts"
    assert m.route_tags == ("posts", "content")
    assert dataclasses.replace(blog_post(), prefix="").url_prefix == ""


def test_field_groups() -> None:
    m = blog_post()
    assert [f.name for f in m.primary_key] == ["id"]
    assert [f.name for f in m.create_fields] == ["title", "views", "rating", "author_id"]
    assert [f.name for f in m.update_fields] == ["title", "views", "rating", "author_id"]
    assert m.read_fields == m.fields


def test_read_only_fields_are_returned_but_never_accepted() -> None:
    m = blog_post()
    fields = tuple(
        dataclasses.replace(f, read_only=True) if f.name == "views" else f for f in m.fields
    )
    m = dataclasses.replace(m, fields=fields)
    assert "views" in [f.name for f in m.read_fields]
    assert "views" not in [f.name for f in m.create_fields]
    assert "views" not in [f.name for f in m.update_fields]
    assert Import("..types", "Int32") in m.schema_imports  # author_id is still an input
    only_views = Model(
        "Counter",
        "app.models",
        "counters",
        (
            make("id", ScalarKind.UUID, primary_key=True, generated=True, default=FACTORY),
            make("views", ScalarKind.INTEGER, read_only=True),
        ),
        filter_fields=(),  # filtering on it would accept an Int32 again
    )
    assert only_views.create_fields == ()
    assert Import("..types", "Int32") not in only_views.schema_imports


def test_operations() -> None:
    m = blog_post()
    for operation in ("create", "get", "list", "update", "replace", "delete"):
        assert m.has(operation)
    listing = dataclasses.replace(m, operations=("list",))
    assert listing.has("list") and not listing.has("delete")


def test_router_imports_for_every_operation() -> None:
    from crudgen.imports import format_block

    imports = blog_post().router_imports
    assert set(imports) >= {
        "from fastapi import APIRouter, Body, Query, status",
        "from ..crud import blog_post as crud",
        "from ..db import SessionDep",
        "from ..errors import CONFLICT_RESPONSE, CrudRoute, NOT_FOUND_RESPONSE",
        "from ..schemas.blog_post import BlogPostBulkDelete, BlogPostBulkUpdate, "
        "BlogPostCreate, BlogPostCreateBatch, BlogPostListQuery, BlogPostPage, "
        "BlogPostPartialPage, BlogPostPartialRead, BlogPostRead, BlogPostReplace, BlogPostUpdate",
        "from typing import Annotated",
        "from blog.models import BlogPost",
        "from ..types import Int32Path",
    }
    block = format_block(imports)
    assert "from ..types import Int32Path" in block


def test_router_imports_for_a_list_only_router() -> None:
    imports = dataclasses.replace(blog_post(), operations=("list",)).router_imports
    assert "from fastapi import APIRouter, Query" in imports
    assert "from ..errors import CrudRoute" in imports
    assert (
        "from ..schemas.blog_post import BlogPostListQuery, BlogPostPage, BlogPostPartialPage, "
        "BlogPostPartialRead" in imports
    )
    assert "from blog.models import BlogPost" not in imports
    assert not any("Int32Path" in i for i in imports)


def test_router_imports_for_get_and_delete() -> None:
    imports = dataclasses.replace(blog_post(), operations=("get", "delete")).router_imports
    assert "from fastapi import APIRouter, status" in imports
    assert "from ..errors import CONFLICT_RESPONSE, CrudRoute, NOT_FOUND_RESPONSE" in imports
    assert "from ..schemas.blog_post import BlogPostRead" in imports
    assert "from blog.models import BlogPost" in imports
    assert "from ..types import Int32Path" in imports
    assert "from typing import Annotated" not in imports


def test_single_key_paths_and_parameters() -> None:
    m = blog_post()
    assert m.item_path == "/{id}"
    assert m.pk_param_list == ("id: int",)
    assert m.pk_path_param_list == ("id: Int32Path",)
    assert m.pk_arguments == "id=id"
    assert m.order_by == "BlogPost.id"


def test_composite_key_paths_and_parameters() -> None:
    m = post_tag()
    assert m.item_path == "/{post_id}/{tag_id}"
    assert m.pk_param_list == ("post_id: int", "tag_id: int")
    assert m.pk_path_param_list == ("post_id: Int32Path", "tag_id: Int64Path")
    assert m.pk_arguments == "post_id=post_id, tag_id=tag_id"
    assert m.order_by == "PostTag.post_id, PostTag.tag_id"
    # Client-chosen keys are part of create, never of update.
    assert [f.name for f in m.create_fields] == ["post_id", "tag_id", "note"]
    assert [f.name for f in m.update_fields] == ["note"]


def test_field_ref_names_the_attribute_or_the_table_column() -> None:
    assert make("views").typed_attribute is True
    assert make("views").ref("Post") == "Post.views"
    # A classic `Column(...)` attribute is not typed for mypy: name the mapper's column.
    classic = make("views", typed_attribute=False)
    assert classic.ref("Post") == 'inspect(Post).columns["views"]'
    # The attribute name, not the column name, keys the mapper's columns.
    renamed = Field("kind", "type", ScalarKind.STRING, nullable=False, typed_attribute=False)
    assert renamed.ref("Post") == 'inspect(Post).columns["kind"]'
    assert dataclasses.replace(renamed, typed_attribute=True).ref("Post") == "Post.kind"
    spaced = Field("views", "view count", ScalarKind.INTEGER, nullable=False, typed_attribute=False)
    assert spaced.ref("Post") == 'inspect(Post).columns["views"]'
    # A column name black would quote otherwise never reaches the code.
    quoted = Field("said", 'say "hi"', ScalarKind.STRING, nullable=False, typed_attribute=False)
    assert quoted.ref("Post") == 'inspect(Post).columns["said"]'


def test_key_expressions_of_classic_column_attributes() -> None:
    m = Model(
        "Legacy",
        "app.models",
        "legacy",
        (
            Field(
                "id",
                "legacy_id",
                ScalarKind.INTEGER,
                nullable=False,
                primary_key=True,
                typed_attribute=False,
            ),
            make("code", ScalarKind.STRING, primary_key=True),  # typed, beside a classic one
            make("rev", ScalarKind.INTEGER, typed_attribute=False),
            make("deleted", ScalarKind.BOOLEAN, typed_attribute=False),
        ),
        version_field="rev",
        soft_delete_flag="deleted",
    )
    assert m.order_by == 'inspect(Legacy).columns["id"], Legacy.code'
    # Parameters and arguments keep the attribute names.
    assert m.pk_param_list == ("id: int", "code: str")
    assert m.pk_arguments == "id=id, code=code"
    assert m.version is not None and m.version.ref("Legacy") == 'inspect(Legacy).columns["rev"]'
    typed = dataclasses.replace(
        m, fields=tuple(dataclasses.replace(f, typed_attribute=True) for f in m.fields)
    )
    assert typed.order_by == "Legacy.id, Legacy.code"
    assert typed.field("deleted").ref("Legacy") == "Legacy.deleted"


def test_schema_imports() -> None:
    assert blog_post().schema_imports == (
        Import("..types", "Int32"),
        Import("..types", "StoredUtcDatetime"),  # created_at is read
        Import("..types", "UNSET"),
        Import("..types", "UtcDatetime"),  # created_at is accepted by the list filters
        Import("decimal", "Decimal"),
    )


def test_schema_imports_of_a_generated_datetime_nobody_filters_on() -> None:
    # created_at is generated: read as StoredUtcDatetime, never accepted as UtcDatetime.
    m = dataclasses.replace(blog_post(), filter_fields=("title",))
    assert m.schema_imports == (
        Import("..types", "Int32"),
        Import("..types", "StoredUtcDatetime"),
        Import("..types", "UNSET"),
        Import("decimal", "Decimal"),
    )


def test_schema_imports_minimal() -> None:
    m = Model(
        "Note",
        "app.models",
        "notes",
        (
            make("id", ScalarKind.UUID, primary_key=True, generated=True, default=FACTORY),
            make("body", ScalarKind.TEXT, nullable=True),
        ),
    )
    # No Field(...), no UNSET: nothing beyond the uuid import.
    assert m.schema_imports == (Import("uuid", "UUID"),)


def test_schema_imports_are_sorted_and_unique() -> None:
    m = Model(
        "Event",
        "app.models",
        "events",
        (
            make("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            make("starts_at", ScalarKind.DATETIME, timezone=True),
            make("ends_at", ScalarKind.DATETIME, timezone=True, nullable=True),
            make("kind", ScalarKind.ENUM, enum=EnumSpec(("a", "b"))),
            make("payload", ScalarKind.JSON, nullable=True),
            make("weight", ScalarKind.FLOAT),
        ),
    )
    imports = m.schema_imports
    assert len(imports) == len(set(imports))
    assert list(imports) == sorted(imports, key=lambda i: (i.module, i.name))
    # Both timezone columns share one import each; no `import datetime` is left unused.
    assert imports == (
        Import("..types", "FiniteFloat"),
        Import("..types", "FiniteJson"),
        Import("..types", "Int32"),
        Import("..types", "StoredUtcDatetime"),
        Import("..types", "UNSET"),
        Import("..types", "UtcDatetime"),
        Import("typing", "Any"),  # payload is read as Any
        Import("typing", "Literal"),
    )


def test_path_imports() -> None:
    assert post_tag().path_imports == (
        Import("..types", "Int32Path"),
        Import("..types", "Int64Path"),
    )
    uuid_model = Model(
        "Token", "app.models", "tokens", (make("id", ScalarKind.UUID, primary_key=True),)
    )
    assert uuid_model.path_imports == (Import("uuid", "UUID"),)
    assert uuid_model.pk_type_imports == (Import("uuid", "UUID"),)
    dated = Model(
        "Reading",
        "app.models",
        "readings",
        (make("taken_at", ScalarKind.DATETIME, primary_key=True, timezone=True),),
    )
    assert dated.path_imports == (Import("..types", "UtcDatetime"),)
    assert dated.pk_path_param_list == ("taken_at: UtcDatetime",)
    # The crud function takes the value the ORM holds.
    assert dated.pk_type_imports == (Import("datetime"),)
    assert dated.pk_param_list == ("taken_at: datetime.datetime",)


def test_model_equality_ignores_location() -> None:
    from crudgen.errors import Location

    a = dataclasses.replace(blog_post(), location=Location("a.py", 1))
    b = dataclasses.replace(blog_post(), location=Location("b.py", 9))
    assert a == b


# -- relationships and project --------------------------------------------------------------


def test_relationship_self_referential() -> None:
    parent = Relationship("parent", RelationKind.MANY_TO_ONE, "Comment", "Comment", ("parent_id",))
    post = Relationship("post", RelationKind.MANY_TO_ONE, "Comment", "Post", ("post_id",))
    assert parent.self_referential is True
    assert post.self_referential is False


def test_project_labels() -> None:
    project = Project(models=(blog_post(),), sources=("blog.models", "blog.extra"))
    assert project.source_label == "blog.models, blog.extra"
    assert project.title == "crudgen API"
    assert project.metadata_owners == ()
    assert MetadataOwner("blog.models", "Base").import_statement == "from blog.models import Base"


def test_project_field_names_and_renamed_columns_for_error_bodies() -> None:
    people = Model(
        "Person",
        "app.models",
        "people",
        (
            Field(name="id", column="person_pk", kind=ScalarKind.INTEGER, nullable=False),
            Field(name="name", column="name", kind=ScalarKind.STRING, nullable=False),
        ),
    )
    project = Project(models=(blog_post(), people), sources=("app.models",))
    assert project.field_names == tuple(sorted(project.field_names))
    assert {"id", "name", "title", "author_id"} <= set(project.field_names)
    assert "person_pk" not in project.field_names
    assert project.renamed_columns == (("people", "person_pk", "id"),)


def test_defaults() -> None:
    assert NO_DEFAULT == Default()
    assert NO_DEFAULT.kind is DefaultKind.NONE
    assert make().default is NO_DEFAULT


@pytest.mark.slow  # starts a Python process
def test_ir_module_is_loaded_without_sqlalchemy_side_effects() -> None:
    # Importing the IR (done above) must not pull SQLAlchemy in by itself.
    import subprocess

    code = "import sys, crudgen.ir; print('sqlalchemy' in sys.modules, 'jinja2' in sys.modules)"
    repo = Path(__file__).resolve().parents[2]
    env = {**os.environ, "PYTHONPATH": str(repo)}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=repo, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False"]


# -- list filters and sorting ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("f", "operators"),
    [
        (make(kind=ScalarKind.INTEGER), ("eq", "in", "gte", "lte")),
        (make(kind=ScalarKind.INTEGER, nullable=True), ("eq", "in", "gte", "lte", "is_null")),
        (make(kind=ScalarKind.STRING), ("eq", "in", "contains")),
        (make(kind=ScalarKind.TEXT, nullable=True), ("eq", "in", "contains", "is_null")),
        (make(kind=ScalarKind.BOOLEAN), ("eq",)),
        (make(kind=ScalarKind.DATETIME), ("eq", "in", "gte", "lte")),
        (make(kind=ScalarKind.DECIMAL), ("eq", "in", "gte", "lte")),
        (make(kind=ScalarKind.UUID), ("eq", "in")),
        (make(kind=ScalarKind.ENUM, enum=EnumSpec(("a",))), ("eq", "in")),
        (make(kind=ScalarKind.JSON, nullable=True), ()),
        (make(kind=ScalarKind.BINARY), ()),
    ],
    ids=lambda value: value.kind.value if isinstance(value, Field) else "",
)
def test_filter_operators(f: Field, operators: tuple[str, ...]) -> None:
    assert filter_operators(f) == operators


def test_filter_param_names_annotations_and_conditions() -> None:
    views = make("views", ScalarKind.INTEGER, nullable=True)
    eq, in_, _, _, is_null = (FilterParam(views, op) for op in filter_operators(views))
    assert (eq.name, eq.annotation, eq.declaration) == (
        "views",
        "Int32 | None",
        "views: Int32 | None = None",
    )
    assert in_.name == "views__in"
    assert in_.declaration == "views__in: InList[Int32] | None = None"
    assert is_null.annotation == "bool | None"
    title = FilterParam(make("title", ScalarKind.STRING, max_length=5), "contains")
    assert (title.name, title.annotation) == ("title__contains", "str | None")


def test_filter_table_groups_each_fields_operators() -> None:
    m = Model(
        "Doc",
        "app.models",
        "docs",
        (
            make("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            make("views", ScalarKind.INTEGER, nullable=True, typed_attribute=False),
            make("count", ScalarKind.BOOLEAN),  # `count` is a list parameter: no eq filter
        ),
    )
    table = {field.name: operators for field, operators in m.filter_table}
    assert table == {
        "id": ("eq", "in", "gte", "lte"),
        "views": ("eq", "in", "gte", "lte", "is_null"),
    }


def test_filter_params_and_sortable_fields_of_a_model() -> None:
    m = Model(
        "Doc",
        "app.models",
        "docs",
        (
            make("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            make("title", ScalarKind.STRING),
            make("body", ScalarKind.JSON),
            make("blob", ScalarKind.BINARY, nullable=True),
        ),
    )
    assert [p.name for p in m.filter_params] == [
        "id",
        "id__in",
        "id__gte",
        "id__lte",
        "title",
        "title__in",
        "title__contains",
    ]
    assert [f.name for f in m.sortable_fields] == ["id", "title"]
    assert m.list_query_schema == "DocListQuery"
    chosen = dataclasses.replace(m, filter_fields=("title",), sort_fields=("id", "body"))
    assert {p.field.name for p in chosen.filter_params} == {"title"}
    assert [f.name for f in chosen.sortable_fields] == ["id"]  # JSON is never sortable
    assert dataclasses.replace(m, filter_fields=()).filter_params == ()


def test_list_parameter_names_are_reserved() -> None:
    assert LIST_PARAMETERS == {
        "offset", "limit", "sort", "count", "include_deleted", "cursor", "fields"
    }  # fmt: skip
    m = Model(
        "Slot",
        "app.models",
        "slots",
        (
            make("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            make("offset", ScalarKind.INTEGER),
            make("limit", ScalarKind.SMALL_INTEGER),
            make("sort", ScalarKind.STRING),
            make("count", ScalarKind.INTEGER, nullable=True),
            make("include_deleted", ScalarKind.BOOLEAN),
            make("limits", ScalarKind.BOOLEAN),  # only exact names are reserved
        ),
    )
    # Only the equality filter takes the column's bare name; the others keep theirs.
    assert [p.name for p in m.filter_params] == [
        "id",
        "id__in",
        "id__gte",
        "id__lte",
        "offset__in",
        "offset__gte",
        "offset__lte",
        "limit__in",
        "limit__gte",
        "limit__lte",
        "sort__in",
        "sort__contains",
        "count__in",
        "count__gte",
        "count__lte",
        "count__is_null",
        "limits",
    ]
    # Sorting takes field names as values, not as parameter names: nothing clashes.
    assert [f.name for f in m.sortable_fields] == [f.name for f in m.fields]


# -- every name a declaration uses is imported ----------------------------------------------

_BUILTINS = {"int", "str", "bool", "bytes", "float", "list", "None"}
# What the schema template imports for every model, beyond `schema_imports`.
_SCHEMA_TEMPLATE_NAMES = {"Field", "InList"}  # the schemas template imports them


def _used_names(source: str) -> set[str]:
    """Names read by the annotations and defaults of `source` (not the names it binds)."""
    import ast

    roots: list[ast.AST] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.AnnAssign):
            roots += [node.annotation] + ([node.value] if node.value else [])
        elif isinstance(node, ast.arg) and node.annotation is not None:
            roots.append(node.annotation)
    return {n.id for root in roots for n in ast.walk(root) if isinstance(n, ast.Name)}


def _imported_names(imports: tuple[Import, ...]) -> set[str]:
    return {i.name or i.module.split(".")[0] for i in imports}


def _field_of_kind(kind: ScalarKind, **kwargs: object) -> Field:
    if kind is ScalarKind.ENUM:
        kwargs.setdefault("enum", EnumSpec(("a", "b"), "Choice", "app.models"))
    return make(f"f_{kind.value}", kind, **kwargs)


@pytest.mark.parametrize("kind", list(ScalarKind), ids=lambda k: k.value)
@pytest.mark.parametrize("nullable", [False, True])
def test_schema_imports_cover_every_declaration(kind: ScalarKind, nullable: bool) -> None:
    m = Model(
        "Thing",
        "app.models",
        "things",
        (
            make("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            _field_of_kind(kind, nullable=nullable, max_length=10, precision=5, scale=2),
        ),
    )
    declarations = m._schema_declarations + tuple(p.declaration for p in m.filter_params)
    used = set().union(*(_used_names(d) for d in declarations))
    missing = used - _imported_names(m.schema_imports) - _BUILTINS - _SCHEMA_TEMPLATE_NAMES
    assert not missing, f"{kind}: {missing} used but not imported"


@pytest.mark.parametrize(
    "kind", [k for k in ScalarKind if k is not ScalarKind.JSON], ids=lambda k: k.value
)
def test_path_imports_cover_the_path_parameters(kind: ScalarKind) -> None:
    m = Model("Thing", "app.models", "things", (_field_of_kind(kind, primary_key=True),))
    used = _used_names(f"def endpoint({', '.join(m.pk_path_param_list)}): pass")
    missing = used - _imported_names(m.path_imports) - _BUILTINS
    assert not missing, f"{kind} key: {missing} used but not imported"
    used = _used_names(f"def crud({', '.join(m.pk_param_list)}): pass")
    assert not used - _imported_names(m.pk_type_imports) - _BUILTINS
