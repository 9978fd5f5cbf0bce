"""The IR's derived attributes: what the templates read. Built by hand, no SQLAlchemy."""

from __future__ import annotations

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
    Model,
    NestedRead,
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
        (ScalarKind.DATETIME, "datetime.datetime", "LocalDatetime"),
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
    assert make(kind=ScalarKind.DATETIME, timezone=False).input_type == "LocalDatetime"
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
        (make(kind=ScalarKind.DATETIME), "StoredLocalDatetime"),
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


def test_read_annotation_uses_the_read_type() -> None:
    blob = make("blob", ScalarKind.BINARY, nullable=True)
    assert blob.read_annotation == "Binary | None"
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
        (ScalarKind.DATETIME, "LocalDatetime"),
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


def test_constraints() -> None:
    assert make(kind=ScalarKind.STRING, max_length=200).constraints == (("max_length", "200"),)
    assert make(kind=ScalarKind.TEXT, max_length=5).constraints == (("max_length", "5"),)
    assert make(kind=ScalarKind.BINARY, max_length=16).constraints == (("max_length", "16"),)
    assert make(kind=ScalarKind.STRING).constraints == ()
    # An enum's length is the longest value: the choices validate it already.
    enum_field = make(kind=ScalarKind.ENUM, max_length=5, enum=EnumSpec(("small",)))
    assert enum_field.constraints == ()
    assert make(kind=ScalarKind.DECIMAL, precision=10, scale=2).constraints == (
        ("max_digits", "10"),
        ("decimal_places", "2"),
    )
    assert make(kind=ScalarKind.DECIMAL, precision=10).constraints == (("max_digits", "10"),)
    assert make(kind=ScalarKind.DECIMAL).constraints == ()
    # Precision of a non-decimal means nothing to pydantic.
    assert make(kind=ScalarKind.FLOAT, precision=53).constraints == ()


KEY_PATTERN = (("min_length", "1"), ("pattern", 'r"^[^/]+$"'))


def test_string_keys_must_make_a_url_segment() -> None:
    code = make("code", ScalarKind.STRING, primary_key=True, max_length=8)
    assert code.constraints == (("max_length", "8"), *KEY_PATTERN)
    assert make(kind=ScalarKind.TEXT, primary_key=True).constraints == KEY_PATTERN
    # Only string keys: other keys, and strings that are not keys, keep their constraints.
    assert make(kind=ScalarKind.STRING, max_length=8).constraints == (("max_length", "8"),)
    assert make(kind=ScalarKind.UUID, primary_key=True).constraints == ()
    assert make(kind=ScalarKind.INTEGER, primary_key=True).constraints == ()
    enum_key = make(kind=ScalarKind.ENUM, primary_key=True, enum=EnumSpec(("a",)))
    assert enum_key.constraints == ()


def test_declared_integer_bounds_replace_the_type_bounds() -> None:
    bounded = make("priority", ScalarKind.INTEGER, declared_constraints=("ge=1", "le=5"))
    assert bounded.input_annotation == "int"  # Int32's own limits would override them
    assert bounded.constraints == (("ge", "1"), ("le", "5"))
    low = make("rank", ScalarKind.BIG_INTEGER, nullable=True, declared_constraints=("gt=0",))
    assert low.input_annotation == "int | None"
    assert low.constraints == (("gt", "0"), ("le", "2**63 - 1"))
    # Other declared constraints keep the bounded type.
    named = make("name", ScalarKind.INTEGER, declared_constraints=("multiple_of=2",))
    assert named.input_annotation == "Int32"
    assert named.input_type == bounded.input_type == "Int32"  # list filters stay bounded


def test_description_arguments() -> None:
    described = make(description="Shown on posts")
    assert described.description_arguments == (("description", '"Shown on posts"'),)
    assert make(description="").description_arguments == ()
    assert make().description_arguments == ()
    assert make(max_length=3, description="x").arguments == (
        ("max_length", "3"),
        ("description", '"x"'),
    )


# -- what a request may leave out -------------------------------------------------------------
# (tests/unit/test_templates.py renders the declarations the templates make of these.)


@pytest.mark.parametrize(
    ("f", "create", "update", "replace"),
    [
        (make("title", max_length=200), None, "UNSET", None),
        (make("bio", ScalarKind.TEXT, nullable=True), "None", "None", "None"),
        (make("views", ScalarKind.INTEGER, default=LITERAL_ZERO), "0", "UNSET", "0"),
        (make("origin", default=SERVER), "UNSET", "UNSET", None),
        (make("ref", ScalarKind.UUID, default=FACTORY), "UNSET", "UNSET", None),
        (make("note", nullable=True, default=SERVER), "None", "None", "None"),
        # A text key defaulting to "" names a row no path can reach: the client gives it.
        (make("code", primary_key=True, default=Default(DefaultKind.LITERAL, '""')), None,
         "UNSET", '""'),
    ],
    ids=lambda value: value.name if isinstance(value, Field) else "",
)  # fmt: skip
def test_defaults_of_each_body(
    f: Field, create: str | None, update: str, replace: str | None
) -> None:
    assert (f.create_default, f.update_default, f.replace_default) == (create, update, replace)


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
            (Import("..types", "LocalDatetime"),),
            (Import("..types", "StoredLocalDatetime"),),
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


def test_single_key_paths_and_parameters() -> None:
    m = blog_post()
    assert m.item_path == "/{id}"
    assert [f.name for f in m.primary_key] == ["id"]


def test_composite_key_paths_and_parameters() -> None:
    m = post_tag()
    assert m.item_path == "/{post_id}/{tag_id}"
    assert m.composite_key and m.id_annotation == m.key_schema == "PostTagKey"
    # Client-chosen keys are part of create, never of update.
    assert [f.name for f in m.create_fields] == ["post_id", "tag_id", "note"]
    assert [f.name for f in m.update_fields] == ["note"]


def test_schema_imports() -> None:
    assert blog_post().schema_imports == (
        Import("..types", "Int32"),
        Import("..types", "StoredUtcDatetime"),  # created_at is read
        Import("..types", "UtcDatetime"),  # created_at is accepted by the list filters
        Import("decimal", "Decimal"),
    )


def test_schema_imports_of_a_generated_datetime_nobody_filters_on() -> None:
    # created_at is generated: read as StoredUtcDatetime, never accepted as UtcDatetime.
    m = dataclasses.replace(blog_post(), filter_fields=("title",))
    assert m.schema_imports == (
        Import("..types", "Int32"),
        Import("..types", "StoredUtcDatetime"),
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
        Import("..types", "UtcDatetime"),
        Import("typing", "Any"),  # payload is read as Any
        Import("typing", "Literal"),
    )


def test_path_imports() -> None:
    keys = post_tag().primary_key
    assert [i for f in keys for i in f.path_imports] == [
        Import("..types", "Int32Path"),
        Import("..types", "Int64Path"),
    ]
    token = make("id", ScalarKind.UUID, primary_key=True)
    assert token.path_imports == token.type_imports == (Import("uuid", "UUID"),)
    taken_at = make("taken_at", ScalarKind.DATETIME, primary_key=True, timezone=True)
    assert taken_at.path_annotation == "UtcDatetime"
    assert taken_at.path_imports == (Import("..types", "UtcDatetime"),)
    # The crud function takes the value the ORM holds.
    assert taken_at.python_type == "datetime.datetime"
    assert taken_at.type_imports == (Import("datetime"),)


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


def test_filter_param_names() -> None:
    views = make("views", ScalarKind.INTEGER, nullable=True)
    names = [FilterParam(views, op).name for op in filter_operators(views)]
    assert names == ["views", "views__in", "views__gte", "views__lte", "views__is_null"]
    title = FilterParam(make("title", ScalarKind.STRING, max_length=5), "contains")
    assert title.name == "title__contains"


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


# -- inheritance ----------------------------------------------------------------------------


def hierarchy() -> tuple[Model, Model, Model]:
    """Animal (no identity of its own) with Dog in its table and Snake in one of its own."""
    fields = (make("id", ScalarKind.INTEGER, primary_key=True, generated=True),
              make("species", generated=True))  # fmt: skip
    animal = Model("Animal", "zoo", "animals", fields, discriminator="species",
                   subtypes=("Dog", "Snake"))  # fmt: skip
    dog = Model("Dog", "zoo", "animals", fields, discriminator="species", identity="dog",
                parent="Animal", own_table=False)  # fmt: skip
    snake = Model("Snake", "zoo", "snakes", fields, discriminator="species", identity=2,
                  parent="Animal")  # fmt: skip
    return animal, dog, snake


def test_a_class_sharing_its_parents_table_is_named_after_itself() -> None:
    animal, dog, snake = hierarchy()
    assert [m.url_prefix for m in (animal, dog, snake)] == ["/animals", "/dogs", "/snakes"]
    assert dataclasses.replace(dog, prefix="/hounds").url_prefix == "/hounds"


def test_a_class_without_an_identity_has_no_create_routes() -> None:
    animal, dog, _ = hierarchy()
    assert not animal.creatable and dog.creatable
    assert [op for op in ("create", "bulk_create", "get", "list") if animal.has(op)] == [
        "get", "list"
    ]  # fmt: skip
    assert dog.has("create") and dog.has("bulk_create")
    # Outside hierarchies nothing changes.
    assert Model("Item", "m", "items", ()).creatable


def test_rows_of_a_class_with_subclasses_are_read_as_any_class() -> None:
    animal, dog, snake = hierarchy()
    project = Project(models=(animal, dog, snake), sources=("zoo",))
    assert project.subtypes_of(animal) == (dog, snake) and project.subtypes_of(dog) == ()
    assert animal.any_read_schema == "AnyAnimalRead"
    owner = Relationship("pet", RelationKind.MANY_TO_ONE, "Keeper", "Animal")
    nested = NestedRead(owner, animal, nullable=True)
    assert nested.schema == "AnyAnimalRead"
    assert nested.schema_import == Import(".animal", "AnyAnimalRead")
    assert NestedRead(owner, dog, nullable=True).schema == "DogRead"
