"""SQLAlchemy models -> IR: `crudgen.sources.sqlalchemy.load_project` over many model shapes.

The model files live in `tests/models/` (see its README): every family is its own top-level
package with its own declarative base, loaded by file path, directory or dotted name.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import get_args

import pytest

from crudgen.config import TypeKind
from crudgen.errors import ConfigError, CrudgenError, Location, SourceError, UnsupportedTypeError
from crudgen.ir import (
    Default,
    DefaultKind,
    EnumSpec,
    Field,
    ForeignKey,
    MetadataOwner,
    Model,
    Project,
    RelationKind,
    Relationship,
    ScalarKind,
)
from crudgen.sources.sqlalchemy import MAPPABLE_KINDS, LoadedProject, load_project

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "tests" / "models"
BROKEN = MODELS / "broken"

MODERN = MODELS / "shapes_modern" / "all_types.py"
LEGACY = MODELS / "shapes_classic" / "legacy.py"
HYBRID = MODELS / "shapes_classic" / "hybrid.py"
KEYS = MODELS / "shapes_keys" / "models.py"
RELATIONS = MODELS / "shapes_relations" / "models.py"
MIXINS = MODELS / "shapes_mixins" / "models.py"
INHERITANCE = MODELS / "shapes_inheritance" / "models.py"
CUSTOMERS = MODELS / "shapes_multi" / "customers.py"
ORDERS = MODELS / "shapes_multi" / "orders.py"
ZOO = MODELS / "shapes_multi" / "zoo.py"
ZOO_ANNEX = MODELS / "shapes_multi" / "zoo_annex.py"
PACKAGE = MODELS / "shapes_package"


# -- helpers ------------------------------------------------------------------------------


def load(*paths: Path | str, **kwargs: str) -> LoadedProject:
    return load_project([str(p) for p in paths], **kwargs)


def model(project: Project, name: str) -> Model:
    found = [m for m in project.models if m.name == name]
    assert len(found) == 1, f"{name}: {[m.name for m in project.models]}"
    return found[0]


def field(m: Model, name: str) -> Field:
    found = [f for f in m.fields if f.name == name]
    assert len(found) == 1, f"{m.name}.{name}: {[f.name for f in m.fields]}"
    return found[0]


def names(items: object) -> list[str]:
    return [item.name for item in items]  # type: ignore[attr-defined]


def line_of(path: Path, marker: str) -> int:
    """The 1-based number of the first line of `path` containing `marker`."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


def same_file(location_file: str, path: Path) -> bool:
    """Locations may be relative to the working directory or absolute."""
    return Path(location_file).resolve() == path.resolve()


def assert_points_at(location: Location | None, path: Path, line: int | None) -> None:
    assert location is not None
    assert same_file(location.file, path), f"{location.file} is not {path}"
    assert location.line == line


@pytest.fixture(scope="module")
def modern() -> Project:
    return load(MODERN).project


@pytest.fixture(scope="module")
def legacy() -> Project:
    return load(LEGACY).project


@pytest.fixture(scope="module")
def keys() -> Project:
    return load(KEYS).project


@pytest.fixture(scope="module")
def relations() -> Project:
    return load(RELATIONS).project


@pytest.fixture(scope="module")
def mixins() -> Project:
    return load(MIXINS).project


@pytest.fixture(scope="module")
def inheritance() -> LoadedProject:
    return load(INHERITANCE)


# -- column types, 2.0 style ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "attrs"),
    [
        ("id", ScalarKind.INTEGER, {"primary_key": True}),
        ("an_integer", ScalarKind.INTEGER, {}),
        ("a_big_integer", ScalarKind.BIG_INTEGER, {}),
        ("a_small_integer", ScalarKind.SMALL_INTEGER, {}),
        ("a_string", ScalarKind.STRING, {"max_length": 120}),
        ("a_text", ScalarKind.TEXT, {"max_length": None}),
        ("a_boolean", ScalarKind.BOOLEAN, {}),
        ("a_numeric", ScalarKind.DECIMAL, {"precision": 10, "scale": 2}),
        ("a_numeric_as_float", ScalarKind.FLOAT, {"precision": None, "scale": None}),
        ("a_float", ScalarKind.FLOAT, {}),
        ("a_date", ScalarKind.DATE, {}),
        ("a_naive_datetime", ScalarKind.DATETIME, {"timezone": False}),
        ("an_aware_datetime", ScalarKind.DATETIME, {"timezone": True}),
        ("a_time", ScalarKind.TIME, {}),
        ("an_interval", ScalarKind.INTERVAL, {}),
        (
            "a_class_enum",
            ScalarKind.ENUM,
            {"enum": EnumSpec(("happy", "grumpy"), "Mood", "shapes_modern.all_types")},
        ),
        ("a_choice_enum", ScalarKind.ENUM, {"enum": EnumSpec(("small", "large"))}),
        ("a_json", ScalarKind.JSON, {}),
        ("a_uuid", ScalarKind.UUID, {}),
        ("a_binary", ScalarKind.BINARY, {"max_length": 256}),
        ("a_decorated", ScalarKind.STRING, {"max_length": 40}),
    ],
)
def test_modern_column_types(modern: Project, name: str, kind: ScalarKind, attrs: dict) -> None:
    f = field(model(modern, "Specimen"), name)
    assert f.kind is kind
    assert f.nullable is False
    assert f.column == name
    for attr, value in attrs.items():
        assert getattr(f, attr) == value, attr
    if kind is not ScalarKind.ENUM:
        assert f.enum is None


def test_interval_is_not_read_as_its_datetime_storage(modern: Project) -> None:
    """sa.Interval is a TypeDecorator over DateTime; the API value is a timedelta."""
    f = field(model(modern, "Specimen"), "an_interval")
    assert f.kind is ScalarKind.INTERVAL
    assert f.python_type == "datetime.timedelta"


@pytest.mark.parametrize(
    ("name", "kind", "nullable"),
    [
        ("count", ScalarKind.INTEGER, False),
        ("label", ScalarKind.STRING, False),
        ("note", ScalarKind.STRING, True),
        ("ratio", ScalarKind.FLOAT, False),
        ("price", ScalarKind.DECIMAL, True),
        ("flag", ScalarKind.BOOLEAN, False),
        ("born", ScalarKind.DATE, False),
        ("seen_at", ScalarKind.DATETIME, True),
        ("alarm", ScalarKind.TIME, False),
        ("ttl", ScalarKind.INTERVAL, False),
        ("token", ScalarKind.UUID, False),
        ("blob", ScalarKind.BINARY, True),
        ("mood", ScalarKind.ENUM, False),
        ("size", ScalarKind.ENUM, False),
    ],
)
def test_types_inferred_from_annotations(
    modern: Project, name: str, kind: ScalarKind, nullable: bool
) -> None:
    f = field(model(modern, "Inferred"), name)
    assert (f.kind, f.nullable) == (kind, nullable)


def test_inferred_unbounded_string_has_no_max_length(modern: Project) -> None:
    f = field(model(modern, "Inferred"), "label")
    assert f.max_length is None
    assert f.constraints == ()


def test_enum_from_python_class_and_from_literal(modern: Project) -> None:
    inferred = model(modern, "Inferred")
    mood = field(inferred, "mood")
    assert mood.enum == EnumSpec(("happy", "grumpy"), "Mood", "shapes_modern.all_types")
    assert mood.python_type == "Mood"
    size = field(inferred, "size")
    assert size.enum == EnumSpec(("s", "m", "l"))
    assert size.python_type == 'Literal["s", "m", "l"]'


def test_attribute_name_differs_from_column_name(modern: Project) -> None:
    f = field(model(modern, "Inferred"), "renamed")
    assert f.column == "renamed_column"
    assert f.max_length == 10


def test_field_order_follows_declaration(modern: Project) -> None:
    assert names(model(modern, "Specimen").fields)[:5] == [
        "id",
        "an_integer",
        "a_big_integer",
        "a_small_integer",
        "a_string",
    ]


def test_model_names_table_module_and_docstring(modern: Project) -> None:
    specimen = model(modern, "Specimen")
    assert specimen.table == "specimens"
    assert specimen.module == "shapes_modern.all_types"
    # Only the first paragraph of the class docstring.
    assert specimen.description == "A row with one column of every supported type."
    assert_points_at(specimen.location, MODERN, line_of(MODERN, "class Specimen("))


def test_only_mapped_classes_are_models(modern: Project) -> None:
    assert names(modern.models) == ["Inferred", "Specimen"]
    assert modern.sources == ("shapes_modern.all_types",)


# -- column types and defaults, classic Column style ---------------------------------------


@pytest.mark.parametrize(
    ("name", "kind", "nullable"),
    [
        ("id", ScalarKind.INTEGER, False),
        ("serial", ScalarKind.STRING, False),
        ("big", ScalarKind.BIG_INTEGER, False),
        ("small", ScalarKind.SMALL_INTEGER, True),
        ("notes", ScalarKind.TEXT, True),
        ("active", ScalarKind.BOOLEAN, False),
        ("price", ScalarKind.DECIMAL, False),
        ("weight", ScalarKind.FLOAT, True),
        ("made_on", ScalarKind.DATE, True),
        ("made_at", ScalarKind.DATETIME, True),
        ("synced_at", ScalarKind.DATETIME, True),
        ("opens", ScalarKind.TIME, True),
        ("warranty", ScalarKind.INTERVAL, True),
        ("shade", ScalarKind.ENUM, False),
        ("grade", ScalarKind.ENUM, True),
        ("specs", ScalarKind.JSON, True),
        ("ref", ScalarKind.UUID, False),
        ("firmware", ScalarKind.BINARY, True),
        ("label", ScalarKind.STRING, False),
        ("created_at", ScalarKind.DATETIME, False),
        ("updated_at", ScalarKind.DATETIME, True),
    ],
)
def test_classic_column_types(legacy: Project, name: str, kind: ScalarKind, nullable: bool) -> None:
    f = field(model(legacy, "Gizmo"), name)
    assert (f.kind, f.nullable) == (kind, nullable)


def test_classic_column_details(legacy: Project) -> None:
    gizmo = model(legacy, "Gizmo")
    assert field(gizmo, "serial").max_length == 32
    assert field(gizmo, "label").max_length == 30  # TypeDecorator over String(30)
    price = field(gizmo, "price")
    assert (price.precision, price.scale) == (12, 4)
    assert field(gizmo, "synced_at").timezone is True
    assert field(gizmo, "made_at").timezone is False
    assert field(gizmo, "shade").enum == EnumSpec(
        ("light", "dark"), "Shade", "shapes_classic.legacy"
    )
    assert field(gizmo, "grade").enum == EnumSpec(("a", "b", "c"))
    assert field(gizmo, "notes").description == "Free-form notes"
    assert gizmo.description is None  # no docstring, no table comment


@pytest.mark.parametrize(
    ("name", "default", "generated"),
    [
        ("active", Default(DefaultKind.LITERAL, "True"), False),
        ("price", Default(DefaultKind.LITERAL, "0"), False),
        ("shade", Default(DefaultKind.LITERAL, "Shade.LIGHT"), False),
        ("grade", Default(DefaultKind.LITERAL, "'b'"), False),
        ("specs", Default(DefaultKind.FACTORY), False),  # default=dict
        ("ref", Default(DefaultKind.FACTORY), False),  # uuid4, but not the primary key
        ("made_on", Default(DefaultKind.SERVER), False),  # a date, not a timestamp
        ("synced_at", Default(DefaultKind.FACTORY), True),  # datetime.now
        ("created_at", Default(DefaultKind.SERVER), True),  # server_default=func.now()
        ("updated_at", Default(DefaultKind.NONE), True),  # onupdate=func.now()
        ("made_at", Default(DefaultKind.NONE), False),
        ("serial", Default(DefaultKind.NONE), False),
    ],
)
def test_classic_defaults(legacy: Project, name: str, default: Default, generated: bool) -> None:
    f = field(model(legacy, "Gizmo"), name)
    assert f.default == default
    assert f.generated is generated


def test_classic_unique_constraint_and_index(legacy: Project) -> None:
    gizmo, part = model(legacy, "Gizmo"), model(legacy, "Part")
    assert field(gizmo, "serial").unique is True  # UniqueConstraint("serial")
    assert field(gizmo, "serial").indexed is False
    assert field(gizmo, "big").unique is False
    assert field(part, "gizmo_id").indexed is True  # index=True
    assert field(part, "name").indexed is False


def test_classic_foreign_key_and_relationships(legacy: Project) -> None:
    part = model(legacy, "Part")
    assert field(part, "gizmo_id").foreign_key == ForeignKey("gizmos", "id", "Gizmo", "SET NULL")
    assert part.relationships == (
        Relationship(
            name="gizmo",
            kind=RelationKind.MANY_TO_ONE,
            owner="Part",
            target="Gizmo",
            local_fields=("gizmo_id",),
            back_populates="parts",
        ),
    )
    assert model(legacy, "Gizmo").relationships == (
        Relationship(
            "parts",
            RelationKind.ONE_TO_MANY,
            "Gizmo",
            "Part",
            remote_fields=("gizmo_id",),
            referenced_fields=("id",),
            back_populates="gizmo",
        ),
    )


def test_declarative_base_with_column_attributes() -> None:
    project = load(HYBRID).project
    memo = model(project, "Memo")
    assert memo.description == "Short notes to self"  # the table comment
    assert [(f.name, f.kind, f.nullable) for f in memo.fields] == [
        ("id", ScalarKind.INTEGER, False),
        ("title", ScalarKind.STRING, False),
        ("body", ScalarKind.TEXT, True),
    ]
    assert field(memo, "title").unique is True
    assert field(memo, "id").generated is True


def test_create_fields_leave_out_generated_columns(legacy: Project) -> None:
    gizmo = model(legacy, "Gizmo")
    created = names(gizmo.create_fields)
    for generated in ("id", "synced_at", "created_at", "updated_at"):
        assert generated not in created
    for accepted in ("serial", "ref", "made_on", "specs", "label"):
        assert accepted in created
    assert names(gizmo.read_fields) == names(gizmo.fields)


# -- primary keys, defaults, constraints ----------------------------------------------------


def test_autoincrement_integer_primary_key_is_generated(keys: Project) -> None:
    counter = model(keys, "Counter")
    pk = field(counter, "id")
    assert (pk.primary_key, pk.generated, pk.indexed) == (True, True, True)
    assert counter.primary_key == (pk,)
    assert "id" not in names(counter.create_fields)
    assert counter.item_path == "/{id}"


def test_identity_primary_key_is_generated(keys: Project) -> None:
    ticket = model(keys, "Ticket")
    assert field(ticket, "number").generated is True
    assert names(ticket.create_fields) == ["title"]


def test_uuid_primary_key_with_default_is_generated(keys: Project) -> None:
    token = model(keys, "Token")
    pk = field(token, "id")
    assert (pk.kind, pk.primary_key, pk.generated) == (ScalarKind.UUID, True, True)
    assert pk.default == Default(DefaultKind.FACTORY)
    assert names(token.create_fields) == ["secret"]


def test_natural_string_primary_key_is_client_chosen(keys: Project) -> None:
    country = model(keys, "Country")
    code = field(country, "code")
    assert (code.primary_key, code.generated, code.max_length) == (True, False, 2)
    assert names(country.create_fields) == ["code", "name"]
    assert names(country.update_fields) == ["name"]  # a key is not patched
    assert country.item_path == "/{code}"


def test_composite_integer_primary_key(keys: Project) -> None:
    pair = model(keys, "Pair")
    assert names(pair.primary_key) == ["left", "right"]
    assert [f.generated for f in pair.primary_key] == [False, False]
    assert names(pair.create_fields) == ["left", "right", "weight"]
    assert names(pair.update_fields) == ["weight"]
    assert pair.item_path == "/{left}/{right}"
    assert pair.composite_key and pair.key_schema == "PairKey"


def test_composite_foreign_key_primary_key(keys: Project) -> None:
    enrollment = model(keys, "Enrollment")
    assert names(enrollment.primary_key) == ["token_id", "country_code"]
    assert field(enrollment, "token_id").foreign_key == ForeignKey(
        "tokens", "id", "Token", "CASCADE"
    )
    assert field(enrollment, "country_code").foreign_key == ForeignKey(
        "countries", "code", "Country", "RESTRICT"
    )
    assert field(enrollment, "counter_id").foreign_key == ForeignKey("counters", "id", "Counter")
    assert field(enrollment, "plain").foreign_key is None
    assert enrollment.item_path == "/{token_id}/{country_code}"


@pytest.mark.parametrize(
    ("name", "unique", "indexed"),
    [
        ("seat", False, True),  # in a two-column unique constraint; leads a two-column index
        ("badge", True, False),  # UniqueConstraint("badge")
        ("email", True, True),  # a unique Index
        ("counter_id", False, True),  # index=True
        ("plain", False, False),
    ],
)
def test_unique_and_indexes(keys: Project, name: str, unique: bool, indexed: bool) -> None:
    f = field(model(keys, "Enrollment"), name)
    assert (f.unique, f.indexed) == (unique, indexed)


def test_column_level_unique_and_comment(keys: Project) -> None:
    name = field(model(keys, "Country"), "name")
    assert name.unique is True
    assert name.description == "English name"
    assert name.description_arguments == (("description", '"English name"'),)


@pytest.mark.parametrize(
    ("name", "default", "generated", "nullable"),
    [
        ("value", Default(DefaultKind.LITERAL, "0"), False, False),
        ("step", Default(DefaultKind.LITERAL, "1"), False, True),
        ("ratio", Default(DefaultKind.LITERAL, 'Decimal("1.50")'), False, False),
        ("label", Default(DefaultKind.LITERAL, "'plain'"), False, False),
        ("quoted", Default(DefaultKind.LITERAL, repr("it's")), False, False),
        ("enabled", Default(DefaultKind.LITERAL, "False"), False, False),
        ("code", Default(DefaultKind.FACTORY), False, False),
        ("origin", Default(DefaultKind.SERVER), False, False),
        ("rank", Default(DefaultKind.SERVER), False, False),
        ("created_at", Default(DefaultKind.SERVER), True, False),
        ("updated_at", Default(DefaultKind.NONE), True, True),
        ("touched_at", Default(DefaultKind.FACTORY), True, False),
        ("seen_at", Default(DefaultKind.NONE), False, True),
        ("doubled", Default(DefaultKind.SERVER), True, True),  # Computed
    ],
)
def test_defaults_of_every_origin(
    keys: Project, name: str, default: Default, generated: bool, nullable: bool
) -> None:
    f = field(model(keys, "Counter"), name)
    assert f.default == default
    assert f.generated is generated
    assert f.nullable is nullable


def test_literal_defaults_are_valid_python(keys: Project) -> None:
    from decimal import Decimal

    for f in model(keys, "Counter").fields:
        if f.default.kind is DefaultKind.LITERAL:
            assert f.default.literal is not None
            eval(f.default.literal, {"Decimal": Decimal})  # noqa: S307


def test_declarations_from_loaded_defaults(keys: Project) -> None:
    counter = model(keys, "Counter")
    value, origin, seen_at = (field(counter, name) for name in ("value", "origin", "seen_at"))
    assert (value.input_annotation, value.create_default) == ("Int32", "0")
    assert (origin.input_annotation, origin.create_default) == ("str", "UNSET")
    assert origin.constraints == (("max_length", "20"),)
    assert (seen_at.input_annotation, seen_at.create_default) == ("LocalDatetime | None", "None")
    assert names(counter.create_fields) == [
        "value",
        "step",
        "ratio",
        "label",
        "quoted",
        "enabled",
        "code",
        "origin",
        "rank",
        "seen_at",
    ]


# -- relationships ------------------------------------------------------------------------


def relation(m: Model, name: str) -> Relationship:
    found = [r for r in m.relationships if r.name == name]
    assert len(found) == 1, f"{m.name}.{name}: {names(m.relationships)}"
    return found[0]


def test_many_to_one(relations: Project) -> None:
    assert relation(model(relations, "Student"), "school") == Relationship(
        name="school",
        kind=RelationKind.MANY_TO_ONE,
        owner="Student",
        target="School",
        local_fields=("school_id",),
        back_populates="students",
    )


def test_one_to_many(relations: Project) -> None:
    assert relation(model(relations, "School"), "students") == Relationship(
        "students",
        RelationKind.ONE_TO_MANY,
        "School",
        "Student",
        remote_fields=("school_id",),  # the children's foreign key, and what it refers to
        referenced_fields=("id",),
        back_populates="school",
    )


def test_one_to_one(relations: Project) -> None:
    school_side = relation(model(relations, "School"), "principal")
    assert (school_side.kind, school_side.target, school_side.local_fields) == (
        RelationKind.ONE_TO_ONE,
        "Principal",
        (),
    )
    principal_side = relation(model(relations, "Principal"), "school")
    assert principal_side.kind is RelationKind.MANY_TO_ONE
    assert principal_side.local_fields == ("school_id",)
    assert field(model(relations, "Principal"), "school_id").unique is True


def test_many_to_many_through_association_table(relations: Project) -> None:
    courses = relation(model(relations, "Student"), "courses")
    students = relation(model(relations, "Course"), "students")
    for rel, owner, target in ((courses, "Student", "Course"), (students, "Course", "Student")):
        assert rel.kind is RelationKind.MANY_TO_MANY
        assert (rel.owner, rel.target) == (owner, target)
        assert rel.secondary == "course_students"  # a Table object and a string name alike
        assert rel.local_fields == ()


def test_association_table_is_not_a_model(relations: Project) -> None:
    assert names(relations.models) == ["Course", "Locker", "Principal", "School", "Student"]
    assert "course_students" not in [m.table for m in relations.models]


def test_self_referential(relations: Project) -> None:
    student = model(relations, "Student")
    mentor = relation(student, "mentor")
    mentees = relation(student, "mentees")
    assert (mentor.kind, mentor.local_fields, mentor.back_populates) == (
        RelationKind.MANY_TO_ONE,
        ("mentor_id",),
        "mentees",
    )
    assert (mentees.kind, mentees.back_populates) == (RelationKind.ONE_TO_MANY, "mentor")
    assert mentor.self_referential and mentees.self_referential
    assert not relation(student, "school").self_referential
    assert field(student, "mentor_id").foreign_key == ForeignKey("students", "id", "Student")


def test_backref_creates_both_sides(relations: Project) -> None:
    locker = relation(model(relations, "Locker"), "school")
    assert (locker.kind, locker.local_fields, locker.back_populates) == (
        RelationKind.MANY_TO_ONE,
        ("school_id",),
        "lockers",
    )
    lockers = relation(model(relations, "School"), "lockers")
    assert (lockers.kind, lockers.target, lockers.back_populates) == (
        RelationKind.ONE_TO_MANY,
        "Locker",
        "school",
    )


def test_relationship_without_back_populates() -> None:
    project = load(CUSTOMERS, ORDERS).project
    assert model(project, "Order").relationships == (
        Relationship(
            "customer", RelationKind.MANY_TO_ONE, "Order", "Customer", local_fields=("customer_id",)
        ),
    )


# -- mixins, abstract bases, column_property ---------------------------------------------


def test_mixin_and_abstract_columns_are_inherited(mixins: Project) -> None:
    assert names(mixins.models) == ["Owner", "Pet"]  # not AuditedModel, not the mixins
    for name in ("Owner", "Pet"):
        m = model(mixins, name)
        assert {"id", "note", "created_at", "updated_at"} <= set(names(m.fields))
        assert field(m, "id").generated is True
        assert field(m, "created_at").generated is True
        assert field(m, "updated_at").generated is True
        assert names(m.primary_key) == ["id"]


def test_declared_attr_foreign_key_from_mixin(mixins: Project) -> None:
    owner_id = field(model(mixins, "Pet"), "owner_id")
    assert owner_id.foreign_key == ForeignKey("owners", "id", "Owner")
    assert owner_id.nullable is True


def test_column_property_expressions_are_skipped(mixins: Project) -> None:
    owner = model(mixins, "Owner")
    assert "full_name" not in names(owner.fields)
    assert "pet_count" not in names(owner.fields)
    assert set(names(owner.fields)) == {
        "id",
        "first_name",
        "last_name",
        "resume",
        "note",
        "created_at",
        "updated_at",
    }


def test_deferred_column_is_a_field(mixins: Project) -> None:
    resume = field(model(mixins, "Owner"), "resume")
    assert (resume.kind, resume.max_length, resume.nullable) == (ScalarKind.STRING, 2000, True)


# -- inheritance --------------------------------------------------------------------------


def test_inheritance_hierarchies_are_read(inheritance: LoadedProject) -> None:
    """Single-table (Employee, Manager), joined (Vehicle, Car) and joined without a
    discriminator (Document, Invoice): every class is a model."""
    assert inheritance.warnings == ()
    assert names(inheritance.project.models) == [
        "Car", "Document", "Employee", "Garage", "Invoice", "Manager", "Vehicle"
    ]  # fmt: skip


def test_inheritance_facts(inheritance: LoadedProject) -> None:
    project = inheritance.project
    employee, manager = model(project, "Employee"), model(project, "Manager")
    assert (employee.discriminator, employee.identity, employee.subtypes) == (
        "kind", "employee", ("Manager",)
    )  # fmt: skip
    assert (manager.parent, manager.own_table, manager.table) == ("Employee", False, "employees")
    # The subclass has the fields of both classes; the server writes the discriminator.
    assert names(manager.fields) == ["id", "kind", "name", "budget"]
    assert field(manager, "kind").generated and "kind" not in names(manager.create_fields)
    # Sharing its parent's table, a class is named after itself in URLs.
    assert (employee.url_prefix, manager.url_prefix) == ("/employees", "/managers")
    car = model(project, "Car")
    assert (car.parent, car.own_table, car.identity, car.subtypes) == ("Vehicle", True, "car", ())
    # A joined subclass's key is its base's: generated by the base table.
    assert names(car.fields) == ["id", "type", "doors"] and field(car, "id").generated
    assert model(project, "Vehicle").subtypes == ("Car",)
    invoice = model(project, "Invoice")
    assert (invoice.discriminator, invoice.parent, invoice.subtypes) == (None, "Document", ())


def test_foreign_key_to_a_hierarchy_names_its_table_model(inheritance: LoadedProject) -> None:
    garage = model(inheritance.project, "Garage")
    assert field(garage, "vehicle_id").foreign_key == ForeignKey("vehicles", "id", "Vehicle")


def test_unsupported_hierarchies_are_skipped_saying_why(tmp_path: Path) -> None:
    source = tmp_path / "odd_hierarchies.py"
    source.write_text(ODD_HIERARCHIES)
    loaded = load(source)
    assert names(loaded.project.models) == ["Plain"]
    warnings = "\n".join(loaded.warnings)
    assert "skipped Outlet: concrete-table inheritance" in warnings
    assert "skipped Shop: concrete-table inheritance" in warnings
    assert "skipped Circle: single-table inheritance needs a discriminator" in warnings
    assert "skipped Shape: single-table inheritance needs a discriminator" in warnings


ODD_HIERARCHIES = """
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class OddBase(DeclarativeBase):
    pass


class Shop(OddBase):
    __tablename__ = "shops"
    id: Mapped[int] = mapped_column(primary_key=True)


class Outlet(Shop):
    __tablename__ = "outlets"
    __mapper_args__ = {"concrete": True}
    id: Mapped[int] = mapped_column(primary_key=True)


class Shape(OddBase):
    __tablename__ = "shapes"
    id: Mapped[int] = mapped_column(primary_key=True)


class Circle(Shape):
    radius: Mapped[int | None]


class Plain(OddBase):
    __tablename__ = "plains"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(10))
"""


def test_plain_models_load_without_warnings() -> None:
    assert load(KEYS).warnings == ()


# -- several sources, packages, dotted names ------------------------------------------------


def test_several_files_together() -> None:
    loaded = load(CUSTOMERS, ORDERS)
    project = loaded.project
    assert names(project.models) == ["Customer", "Order"]
    assert project.sources == ("shapes_multi.customers", "shapes_multi.orders")
    assert project.source_label == "shapes_multi.customers, shapes_multi.orders"
    assert field(model(project, "Order"), "customer_id").foreign_key == ForeignKey(
        "customers", "id", "Customer", "CASCADE"
    )
    # One metadata behind both files: one owner to create the tables from.
    assert project.metadata_owners == (MetadataOwner("shapes_multi.customers", "Customer"),)
    assert loaded.warnings == ()


def test_source_order_does_not_change_the_models() -> None:
    forward = load(CUSTOMERS, ORDERS).project
    backward = load(ORDERS, CUSTOMERS).project
    assert forward.models == backward.models


def test_models_imported_into_a_module_are_included() -> None:
    # orders.py does `from .customers import Customer`.
    project = load(ORDERS).project
    assert names(project.models) == ["Customer", "Order"]
    assert project.sources == ("shapes_multi.orders",)


def test_models_of_unrequested_modules_sharing_the_registry_are_left_out() -> None:
    load(ORDERS)  # Order is now in MultiBase's registry
    project = load(CUSTOMERS).project
    assert names(project.models) == ["Customer"]


def test_models_are_sorted_by_name() -> None:
    project = load(ZOO).project
    # Declared as Zebra, Aardvark, Meerkat, Keeper.
    assert names(project.models) == ["Aardvark", "Keeper", "Meerkat", "Zebra"]


def test_loading_is_deterministic() -> None:
    first = load(KEYS, ZOO, RELATIONS)
    second = load(RELATIONS, KEYS, ZOO)
    assert first.project.models == second.project.models
    assert names(first.project.models) == sorted(names(first.project.models))
    assert [m.location for m in first.project.models] == [m.location for m in second.project.models]


def test_one_metadata_owner_per_declarative_base() -> None:
    project = load(ZOO, CUSTOMERS).project
    assert set(project.metadata_owners) == {
        MetadataOwner("shapes_multi.zoo", "Aardvark"),
        MetadataOwner("shapes_multi.customers", "Customer"),
    }


def test_two_models_with_the_same_class_name_are_refused() -> None:
    """Both would render to `schemas/keeper.py` etc.: one would silently overwrite the other."""
    with pytest.raises(SourceError) as caught:
        load(ZOO, ZOO_ANNEX)
    assert "Keeper" in str(caught.value)


def test_the_same_module_twice_is_read_once() -> None:
    project = load(ZOO, ZOO).project
    assert names(project.models) == ["Aardvark", "Keeper", "Meerkat", "Zebra"]
    assert project.sources == ("shapes_multi.zoo",)


def test_package_directory_source() -> None:
    project = load(PACKAGE).project
    assert names(project.models) == ["Volume", "Writer"]
    assert project.sources == ("shapes_package.authors", "shapes_package.sub.books")
    assert model(project, "Volume").module == "shapes_package.sub.books"
    assert field(model(project, "Volume"), "writer_id").foreign_key == ForeignKey(
        "writers", "id", "Writer"
    )


def test_package_directory_and_a_file_inside_it() -> None:
    project = load(PACKAGE, PACKAGE / "authors.py").project
    assert names(project.models) == ["Volume", "Writer"]
    assert project.sources == ("shapes_package.authors", "shapes_package.sub.books")


def test_dotted_module_name_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(MODELS))
    loaded = load_project(["shapes_dotted.catalog"], title="Catalog API")
    project = loaded.project
    assert project.title == "Catalog API"
    assert names(project.models) == ["Sku"]
    assert project.sources == ("shapes_dotted.catalog",)
    sku = model(project, "Sku")
    assert (sku.module, sku.table) == ("shapes_dotted.catalog", "skus")
    code = field(sku, "code")
    assert (code.primary_key, code.generated, code.max_length) == (True, False, 20)
    assert_points_at(
        sku.location,
        MODELS / "shapes_dotted" / "catalog.py",
        line_of(MODELS / "shapes_dotted" / "catalog.py", "class Sku("),
    )


def test_default_title(keys: Project) -> None:
    assert keys.title == "crudgen API"


# -- errors -------------------------------------------------------------------------------


def test_syntax_error_names_file_and_line() -> None:
    path = BROKEN / "broken_syntax.py"
    with pytest.raises(SourceError) as caught:
        load(path)
    error = caught.value
    assert type(error) is SourceError
    assert "syntax error" in error.message
    assert_points_at(error.location, path, line_of(path, "SYNTAX-ERROR-HERE"))
    assert f":{line_of(path, 'SYNTAX-ERROR-HERE')}:" in str(error)
    assert error.hint


def test_module_raising_on_import_names_file_and_line() -> None:
    path = BROKEN / "broken_raises.py"
    with pytest.raises(SourceError) as caught:
        load(path)
    error = caught.value
    assert "RuntimeError" in error.message
    assert "DATABASE_URL is not configured" in error.message
    assert_points_at(error.location, path, line_of(path, "RAISES-HERE"))
    assert isinstance(error.__cause__, RuntimeError)


def test_missing_dependency_names_the_importing_line() -> None:
    path = BROKEN / "broken_missing_dep.py"
    with pytest.raises(SourceError) as caught:
        load(path)
    error = caught.value
    assert "crudgen_test_no_such_dependency" in error.message
    assert_points_at(error.location, path, line_of(path, "MISSING-HERE"))


def test_missing_dependency_whose_name_prefixes_the_module_name() -> None:
    """`broken_settings_user` imports the missing `broken_settings`: that import is the error,
    not a missing `broken_settings_user` module."""
    path = BROKEN / "broken_settings_user.py"
    with pytest.raises(SourceError) as caught:
        load(path)
    error = caught.value
    assert "no such module" not in error.message
    assert "broken_settings" in error.message
    assert_points_at(error.location, path, line_of(path, "PREFIX-MISSING-HERE"))


def test_file_without_models_points_at_its_declarative_base() -> None:
    path = BROKEN / "broken_no_models.py"
    with pytest.raises(SourceError) as caught:
        load(path)
    error = caught.value
    assert "no models" in error.message and "EmptyBase is a declarative base" in error.message
    assert_points_at(error.location, path, line_of(path, "class EmptyBase("))
    assert "class Item(EmptyBase)" in error.hint


def test_file_without_models_or_a_base(tmp_path: Path) -> None:
    path = tmp_path / "crudgen_test_plain_module.py"
    path.write_text("VALUE = 1\n")
    with pytest.raises(SourceError) as caught:
        load(path)
    error = caught.value
    assert "no SQLAlchemy mapped classes" in error.message and str(path) in error.message
    assert error.location is not None and same_file(error.location.file, path)


def test_nonexistent_file() -> None:
    path = MODELS / "no_such_models_file.py"
    with pytest.raises(SourceError) as caught:
        load(path)
    assert str(path) in str(caught.value)
    assert "no such file" in caught.value.message


def test_nonexistent_dotted_module() -> None:
    with pytest.raises(SourceError) as caught:
        load_project(["crudgen_no_such_models_pkg.models"])
    error = caught.value
    assert "crudgen_no_such_models_pkg.models" in error.message
    assert "no such module" in error.message
    assert error.location == Location("crudgen_no_such_models_pkg.models")


def test_directory_that_is_not_a_package() -> None:
    with pytest.raises(SourceError) as caught:
        load(BROKEN)
    assert "not a Python package" in caught.value.message
    assert caught.value.location is not None and same_file(caught.value.location.file, BROKEN)


@pytest.mark.parametrize(
    ("filename", "where", "column_marker", "entry"),
    [
        ("broken_array.py", "Scoreboard.scores", "scores:", 'ARRAY = "<kind>"'),
        ("broken_range.py", "Booking.nights", "nights =", 'INT4RANGE = "<kind>"'),
    ],
)
def test_unsupported_column_type(filename: str, where: str, column_marker: str, entry: str) -> None:
    path = BROKEN / filename
    with pytest.raises(UnsupportedTypeError) as caught:
        load(path)
    error = caught.value
    assert isinstance(error, SourceError) and isinstance(error, CrudgenError)
    assert where in error.message
    assert_points_at(error.location, path, line_of(path, column_marker))
    assert f"[tool.crudgen.type_map]\n    {entry}" in error.hint
    assert "kinds: integer, big_integer, small_integer, string" in error.hint


def test_type_map_maps_unknown_types_by_name_dotted_path_or_base_class() -> None:
    ranges = load_project([str(BROKEN / "broken_range.py")], type_map={"INT4RANGE": "string"})
    nights = field(model(ranges.project, "Booking"), "nights")
    assert nights.kind is ScalarKind.STRING and not nights.nullable
    array = load_project([str(BROKEN / "broken_array.py")], type_map={"sqlalchemy.ARRAY": "json"})
    assert field(model(array.project, "Scoreboard"), "scores").kind is ScalarKind.JSON
    by_base = load_project([str(BROKEN / "broken_array.py")], type_map={"TypeEngine": "binary"})
    scoreboard = model(by_base.project, "Scoreboard")
    assert field(scoreboard, "scores").kind is ScalarKind.BINARY
    assert field(scoreboard, "id").kind is ScalarKind.INTEGER, "known types are never remapped"


def test_type_map_entry_that_cannot_be_imported() -> None:
    with pytest.raises(ConfigError) as caught:
        load_project([str(BROKEN / "broken_range.py")], type_map={"sqlalchemy.NoSuchType": "json"})
    assert "type_map" in caught.value.message and "sqlalchemy.NoSuchType" in caught.value.message


def test_type_map_kinds_are_the_ir_kinds_but_enum() -> None:
    assert set(get_args(TypeKind)) == {k.value for k in ScalarKind} - {"enum"}
    assert set(MAPPABLE_KINDS) == set(get_args(TypeKind))


@pytest.mark.slow  # starts a Python process
def test_mapping_sqlalchemy_cannot_configure_is_a_source_error() -> None:
    """Run in a subprocess: a failed configure_mappers() breaks every registry in a process."""
    path = BROKEN / "broken_mapping.py"
    script = textwrap.dedent(
        f"""
        from crudgen.errors import SourceError
        from crudgen.sources.sqlalchemy import load_project
        try:
            load_project([{str(path)!r}])
        except SourceError as error:
            print("TYPE", type(error).__name__)
            print("FILE", error.location.file)
            print("LINE", error.location.line)
            print("MESSAGE", error.message.replace("\\n", " "))
        else:
            print("NO ERROR")
        """
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines() if " " in line)
    assert lines.get("TYPE") == "SourceError", result.stdout
    assert same_file(lines["FILE"], path)
    assert int(lines["LINE"]) == line_of(path, "class Orphan(")
    assert "NoSuchModel" in lines["MESSAGE"]


def test_errors_format_for_people() -> None:
    error = SourceError("it broke", location=Location("models.py", 3), hint="fix it")
    assert str(error) == "models.py:3: it broke\n  hint: fix it"
    assert str(SourceError("it broke")) == "it broke"
    assert str(Location("models.py")) == "models.py"
