"""The templates, one at a time, rendered from a hand-built IR: how a field is declared, how
a column is named, and that every module imports each name it uses (the IR holds facts;
these are the templates' decisions). No SQLAlchemy models, no database."""

from __future__ import annotations

import builtins
import dataclasses
import symtable
from pathlib import Path
from typing import Any

import pytest

from crudgen.config import Config
from crudgen.imports import prune_unused
from crudgen.ir import (
    Default,
    DefaultKind,
    EnumSpec,
    Field,
    MetadataOwner,
    Model,
    Project,
    ScalarKind,
)
from crudgen.render import environment, render_project

SERVER = Default(DefaultKind.SERVER)
FACTORY = Default(DefaultKind.FACTORY)


def make(name: str = "x", kind: ScalarKind = ScalarKind.STRING, **kwargs: Any) -> Field:
    kwargs.setdefault("nullable", False)
    return Field(name=name, column=name, kind=kind, **kwargs)


def macro(call: str, **values: Any) -> str:
    """One macro of _macros.j2, rendered with `values`."""
    template = environment().from_string('{% import "_macros.j2" as m %}{{ ' + call + " }}")
    return template.render(**values)


def declaration(f: Field, schema: str) -> str:
    """How the schemas template declares `f` in the Read, Create, Update or Replace body."""
    annotation, default, arguments = {
        "read": (f.read_annotation, None, f.description_arguments),
        "create": (f.input_annotation, f.create_default, f.arguments),
        "update": (f.input_annotation, f.update_default, f.arguments),
        "replace": (f.input_annotation, f.replace_default, f.arguments),
    }[schema]
    return macro(
        "m.declare(name, annotation, default, arguments)",
        name=f.name,
        annotation=annotation,
        default=default,
        arguments=arguments,
    )


# -- declarations --------------------------------------------------------------------------

REQUIRED = make("title", ScalarKind.STRING, max_length=200)
NULLABLE = make("bio", ScalarKind.TEXT, nullable=True)
LITERAL = make("views", ScalarKind.INTEGER, default=Default(DefaultKind.LITERAL, "0"))
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
BOUNDED = make(
    "priority",
    ScalarKind.INTEGER,
    default=Default(DefaultKind.LITERAL, "3"),
    declared_constraints=("ge=1", "le=5"),
)
LOW_BOUND_ONLY = make("rank", ScalarKind.SMALL_INTEGER, declared_constraints=("gt=0",))


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
        (
            # Bounds the source declares: a plain int, or Int32's own limits would win.
            BOUNDED,
            "priority: int",
            "priority: int = Field(default=3, ge=1, le=5)",
            "priority: int = Field(default=UNSET, ge=1, le=5)",
            "priority: int = Field(default=3, ge=1, le=5)",
        ),
        (
            LOW_BOUND_ONLY,
            "rank: int",
            "rank: int = Field(gt=0, le=2**15 - 1)",
            "rank: int = Field(default=UNSET, gt=0, le=2**15 - 1)",
            "rank: int = Field(gt=0, le=2**15 - 1)",
        ),
    ],
    ids=lambda value: value.name if isinstance(value, Field) else "",
)
def test_declarations(f: Field, read: str, create: str, update: str, replace: str) -> None:
    assert declaration(f, "read") == read
    assert declaration(f, "create") == create
    assert declaration(f, "update") == update
    assert declaration(f, "replace") == replace


def test_declarations_validate_in_pydantic() -> None:
    """Each declaration, run: defaults apply, bounds and lengths refuse what they should."""
    from pydantic import BaseModel, ValidationError
    from pydantic import Field as PydanticField

    namespace: dict[str, Any] = {"BaseModel": BaseModel, "Field": PydanticField}
    namespace.update(Int32=int, Int16=int, UNSET=None)
    body = "\n    ".join(declaration(f, "create") for f in (REQUIRED, BOUNDED, LOW_BOUND_ONLY))
    exec(f"class Body(BaseModel):\n    {body}\n", namespace)
    model = namespace["Body"]
    assert model.model_validate({"title": "t", "rank": 1}).priority == 3
    for bad in (
        {"priority": 0},
        {"priority": 6},
        {"rank": 0},
        {"rank": 2**15},
        {"title": "x" * 201},
    ):
        with pytest.raises(ValidationError):
            model.model_validate({"title": "t", "rank": 1} | bad)


def test_string_key_declaration_validates_in_pydantic() -> None:
    from pydantic import BaseModel, ValidationError
    from pydantic import Field as PydanticField

    code = make("code", ScalarKind.STRING, primary_key=True, max_length=8)
    assert declaration(code, "create") == (
        'code: str = Field(max_length=8, min_length=1, pattern=r"^[^/]+$")'
    )
    namespace: dict[str, object] = {"BaseModel": BaseModel, "Field": PydanticField}
    exec(f"class Key(BaseModel):\n    {declaration(code, 'create')}\n", namespace)
    key: Any = namespace["Key"]
    assert key.model_validate({"code": "a-b.c"}).code == "a-b.c"
    for bad in ("", "a/b", "/", "123456789"):
        with pytest.raises(ValidationError):
            key.model_validate({"code": bad})


def test_required_create_fields_have_no_default() -> None:
    """A non-null column without any default must be sent on create: no `=` at all."""
    assert "=" not in declaration(PLAIN_REQUIRED, "create")
    assert "default=" not in declaration(REQUIRED, "create")


# -- columns and keys ----------------------------------------------------------------------


def post(*fields: Field) -> Model:
    return Model("Post", "app.models", "posts", fields)


def test_a_column_is_its_attribute_or_named_through_the_mapper() -> None:
    model = post(make("views"))
    assert macro("m.column(field, model)", field=make("views"), model=model) == "Post.views"
    # A classic `Column(...)` attribute is not typed for mypy: name the mapper's column, by
    # the attribute name (not the column name), as a JSON (and Python) string literal.
    classic = Field("kind", "type", ScalarKind.STRING, nullable=False, typed_attribute=False)
    assert macro("m.column(field, model)", field=classic, model=model) == (
        'inspect(Post).columns["kind"]'
    )
    quoted = Field("said", 'say "hi"', ScalarKind.STRING, nullable=False, typed_attribute=False)
    assert macro("m.column(field, model)", field=quoted, model=model) == (
        'inspect(Post).columns["said"]'
    )
    both = post(
        Field("id", "legacy_id", ScalarKind.INTEGER, nullable=False, typed_attribute=False),
        make("code"),
    )
    assert macro("m.columns(model.fields, model)", model=both) == (
        '[inspect(Post).columns["id"], Post.code]'
    )


def test_key_parameters() -> None:
    tagged = Model(
        "PostTag",
        "blog.models",
        "post_tags",
        (
            make("post_id", ScalarKind.INTEGER, primary_key=True),
            make("tag_id", ScalarKind.BIG_INTEGER, primary_key=True),
            make("note", ScalarKind.STRING, nullable=True),
        ),
    )
    assert macro('m.key_parameters(model, "python_type")', model=tagged) == (
        "post_id: int, tag_id: int"
    )
    assert macro('m.key_parameters(model, "path_annotation")', model=tagged) == (
        "post_id: Int32Path, tag_id: Int64Path"
    )


# -- every module imports what it uses -----------------------------------------------------


def undefined_names(source: str) -> set[str]:
    """Names the module reads that nothing binds: not imported, defined or a builtin."""
    table = symtable.symtable(source, "<generated>", "exec")
    bound = {s.get_name() for s in table.get_symbols() if s.is_assigned() or s.is_imported()}
    read: set[str] = set()
    scopes = [table]
    while scopes:
        scope = scopes.pop()
        for symbol in scope.get_symbols():
            at_module = scope is table and symbol.is_referenced()
            if at_module or symbol.is_global():
                read.add(symbol.get_name())
        scopes += scope.get_children()
    return read - bound - set(dir(builtins))


def kinds_model(nullable: bool, **options: Any) -> Model:
    fields = [make("id", ScalarKind.INTEGER, primary_key=True, generated=True)]
    for kind in ScalarKind:
        extra: dict[str, Any] = {"max_length": 10, "precision": 5, "scale": 2}
        if kind is ScalarKind.ENUM:
            extra["enum"] = EnumSpec(("a", "b"), "Choice", "app.models")
        fields.append(make(f"f_{kind.value}", kind, nullable=nullable, **extra))
    return dataclasses.replace(post(*fields), **options)


def rendered(model: Model, **config: Any) -> dict[str, str]:
    owner = MetadataOwner("app.models", model.name)  # the class whose mapper has the tables
    project = Project(models=(model,), sources=("app.models",), metadata_owners=(owner,))
    files = render_project(project, Config(sources=("app.models",), out_dir=Path("out"), **config))
    return {f.path: f.source if f.user_owned else prune_unused(f.source) for f in files}


@pytest.mark.parametrize("nullable", [False, True])
@pytest.mark.parametrize("style", ["functions", "inline"])
def test_every_module_imports_each_name_it_uses(nullable: bool, style: str) -> None:
    for path, source in rendered(kinds_model(nullable), style=style).items():
        compile(source, path, "exec")
        assert not undefined_names(source), (path, undefined_names(source))


@pytest.mark.parametrize(
    "key_kind", [k for k in ScalarKind if k not in (ScalarKind.JSON, ScalarKind.ENUM)]
)
def test_a_key_of_every_kind_is_imported_where_it_is_a_parameter(key_kind: ScalarKind) -> None:
    model = post(make("id", key_kind, primary_key=True), make("note", nullable=True))
    for path, source in rendered(model).items():
        assert not undefined_names(source), (path, undefined_names(source))


def test_unused_template_imports_are_dropped() -> None:
    """The router template imports every name any router may need; a list-only router
    keeps only what it uses."""
    listing = dataclasses.replace(
        post(make("id", ScalarKind.INTEGER, primary_key=True)), operations=("list",)
    )
    router = rendered(listing)["routers/post.py"]
    assert "from fastapi import Depends\n" in router
    assert "Int32Path" not in router and "Body" not in router and "Query()" not in router
    assert "from ..query import page_answer" in router


def test_the_undefined_name_check_catches_a_missing_import() -> None:
    assert undefined_names("x: Decimal = Decimal(1)\n") == {"Decimal"}
    assert undefined_names("def f() -> None:\n    return Int32Path\n") == {"Int32Path"}
    assert not undefined_names("from decimal import Decimal\nx: Decimal = Decimal(1)\n")


def test_a_models_files_name_its_module_and_the_shared_files_every_source() -> None:
    """Models read from several modules: each model's own files say which one it came from,
    so a header is one line however many modules the project has."""
    posts = post(make("id", ScalarKind.INTEGER, primary_key=True))
    tags = dataclasses.replace(posts, name="Tag", module="app.tagging", table="tags")
    owner = MetadataOwner("app.models", "Post")
    sources = ("app.models", "app.tagging")
    project = Project(models=(posts, tags), sources=sources, metadata_owners=(owner,))
    files = render_project(project, Config(sources=sources, out_dir=Path("out")))
    first_lines = {f.path: f.source.splitlines()[0] for f in files if not f.user_owned}
    for kind in ("crud", "schemas", "routers"):
        assert first_lines[f"{kind}/post.py"].endswith("from app.models. Do not edit by hand:")
        assert first_lines[f"{kind}/tag.py"].endswith("from app.tagging. Do not edit by hand:")
    assert first_lines["app.py"].startswith("# Generated by crudgen from app.models, app.tagging.")


# -- models.py: what a YAML spec's package declares --------------------------------------------


def test_declared_models_are_written_from_the_ir_facts() -> None:
    from crudgen.ir import (
        AssociationColumn,
        AssociationTable,
        ForeignKey,
        RelationKind,
        Relationship,
    )

    person = Model(
        name="Person",
        module="..models",
        table="people",
        fields=(
            make("id", ScalarKind.BIG_INTEGER, primary_key=True, generated=True),
            make("rate", ScalarKind.DECIMAL, precision=6, server_default=2.5, default=SERVER),
            make("on", ScalarKind.BOOLEAN, server_default=True, default=SERVER),
            make("mood", ScalarKind.ENUM, enum=EnumSpec(("calm", "busy"))),
            make("seen", ScalarKind.DATETIME, nullable=True, timezone=True, stamped_on_update=True),
            make(
                "mentor_id",
                ScalarKind.BIG_INTEGER,
                nullable=True,
                foreign_key=ForeignKey("people", "id", "Person", "SET NULL"),
            ),
        ),
        relationships=(
            Relationship(
                "mentor",
                RelationKind.MANY_TO_ONE,
                "Person",
                "Person",
                local_fields=("mentor_id",),
                names_join=True,
            ),
            Relationship("clubs", RelationKind.MANY_TO_MANY, "Person", "Club", secondary="members"),
        ),
        docstring="Someone.\n\nWith a second paragraph.",
    )
    members = AssociationTable("members", (AssociationColumn("person_id", "people", "id"),))
    project = Project(
        models=(person,), sources=("api.yaml",), declared_models=(person,),
        association_tables=(members,),
    )  # fmt: skip
    files = {f.path: f.source for f in render_project(project, Config((), Path("out")))}
    source = prune_unused(files["models.py"])
    expected = [
        'id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer(), "sqlite"), '
        "primary_key=True)",
        'rate: Mapped[Decimal] = mapped_column(Numeric(6), server_default=text("2.5"))',
        "on: Mapped[bool] = mapped_column(server_default=true())",
        'mood: Mapped[str] = mapped_column(Enum("calm", "busy", name="people_mood"))',
        "seen: Mapped[datetime.datetime | None] = mapped_column(DateTime(timezone=True), "
        "onupdate=func.now())",
        'mapped_column(BigInteger, ForeignKey("people.id", ondelete="SET NULL"))',
        'mentor: Mapped[Person | None] = relationship(foreign_keys="Person.mentor_id", '
        'remote_side="Person.id")',
        "clubs: Mapped[list[Club]] = relationship(secondary=members)",
        'Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True)',
        "With a second paragraph.",
    ]
    for line in expected:
        assert line.replace('"', "'") in source.replace('"', "'"), line
    assert "LargeBinary" not in source and "from sqlalchemy import" in source  # pruned
    compile(source, "models.py", "exec")
