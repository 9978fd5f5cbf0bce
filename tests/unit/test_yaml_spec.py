"""YAML spec -> IR: `crudgen.sources.yaml_spec.load_spec`, its problems, and its models.py.

Problems must name file:line:column and the key path, all of them at once. A valid spec must
give the IR the SQLAlchemy source gives for the models.py crudgen writes from it.
"""

from __future__ import annotations

import dataclasses
import importlib
import json
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest
import yaml

from crudgen.config import Config, ModelOptions, layered
from crudgen.errors import OptionsError, Problem, SourceError, SpecError
from crudgen.ir import (
    NO_DEFAULT,
    Default,
    DefaultKind,
    EnumSpec,
    ForeignKey,
    MetadataOwner,
    Model,
    Project,
    RelationKind,
    Relationship,
    ScalarKind,
)
from crudgen.pipeline import plan_run
from crudgen.resolve import resolve
from crudgen.sources.spec_model import json_schema
from crudgen.sources.sqlalchemy import load_project
from crudgen.sources.yaml_spec import load_spec
from crudgen.write import apply_plan
from tests.conftest import EXAMPLES, REPO

SHOP = EXAMPLES / "shop" / "api.yaml"
SHAPES = REPO / "tests" / "specs" / "shapes.yaml"
VALID = """\
models:
  Item:
    fields:
      id: {type: integer, primary_key: true}
      name: {type: string, length: 20}
"""


def write(tmp_path: Path, text: str, name: str = "api.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def problems_of(path: Path) -> list[Problem]:
    """The spec's problems: of its shape and meaning, or else of its options."""
    with pytest.raises((SpecError, OptionsError)) as raised:
        load_spec([str(path)])
        plan_run(Config(sources=(str(path),), out_dir=path.parent / "out"))
    assert isinstance(raised.value, (SpecError, OptionsError))
    return list(raised.value.problems)


def where(problem: Problem) -> tuple[int | None, int | None, str]:
    return problem.location.line, problem.location.column, problem.path


def at(path: Path, line: int, token: str) -> tuple[int, int]:
    """(line, column) of the first `token` on a 1-based line of the file."""
    text = path.read_text().splitlines()[line - 1]
    assert token in text, (token, text)
    return line, text.index(token) + 1


def model(project: Project, name: str) -> Model:
    return next(m for m in project.models if m.name == name)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)  # problems name the spec relative to the working directory
    return tmp_path


# -- the example, read into the IR ------------------------------------------------------------


def test_example_spec_gives_models_sorted_with_their_module_tables_and_owner() -> None:
    project = load_spec([str(SHOP)]).project
    assert [m.name for m in project.models] == [
        "Category", "Customer", "Order", "OrderLine", "Product", "Tag",
    ]  # fmt: skip
    assert {m.module for m in project.models} == {"..models"}
    assert model(project, "Customer").table == "customers"  # derived: snake case, plural
    assert model(project, "OrderLine").table == "lines"  # given
    assert project.sources == ("api.yaml",)
    assert project.metadata_owners == (MetadataOwner(".models", project.models[0].name),)
    location = model(project, "Order").location
    assert location is not None and location.file.endswith("api.yaml")
    assert (location.line, location.column) == (_line_of(SHOP, "  Order:"), 3)


def _line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if line == text)


def test_example_fields_carry_types_constraints_defaults_and_keys() -> None:
    project = load_spec([str(SHOP)]).project
    order = model(project, "Order")
    fields = {f.name: f for f in order.fields}
    assert fields["id"].kind is ScalarKind.UUID and fields["id"].generated
    assert fields["id"].default == Default(DefaultKind.FACTORY)
    assert fields["customer_id"].foreign_key == ForeignKey(
        "customers", "id", model="Customer", ondelete="CASCADE"
    )
    assert fields["customer_id"].indexed and not fields["customer_id"].generated
    assert fields["status"].enum == EnumSpec(("new", "paid", "shipped"))
    assert fields["status"].default == Default(DefaultKind.LITERAL, "'new'")
    assert fields["note"].nullable and fields["note"].max_length == 500
    assert fields["placed_at"].generated and fields["placed_at"].default.kind is DefaultKind.SERVER
    assert fields["placed_at"].timezone
    assert fields["updated_at"].generated  # on_update: now
    assert fields["revision"].default == Default(DefaultKind.LITERAL, "1")
    assert not fields["deleted_at"].generated and fields["deleted_at"].default is NO_DEFAULT

    product = {f.name: f for f in model(project, "Product").fields}
    assert (product["price"].precision, product["price"].scale) == (10, 2)
    assert product["sku"].unique and not product["sku"].indexed
    assert product["name"].indexed
    assert product["id"].generated and product["id"].indexed and not product["id"].unique
    line = {f.name: f for f in model(project, "OrderLine").fields}
    assert line["order_id"].primary_key and line["line"].primary_key
    assert not line["line"].generated, "a composite key is given by the client"
    customer = model(project, "Customer")
    assert customer.description == "Someone who places orders."
    assert {f.name: f for f in customer.fields}["name"].description == "Name printed on invoices"
    assert model(project, "Product").description == "Something the shop sells."


def test_example_relationships_of_every_kind() -> None:
    project = load_spec([str(SHOP)]).project
    assert model(project, "Order").relationships == (
        Relationship("customer", RelationKind.MANY_TO_ONE, "Order", "Customer",
                     ("customer_id",), back_populates="orders"),
        Relationship("lines", RelationKind.ONE_TO_MANY, "Order", "OrderLine",
                     remote_fields=("order_id",), referenced_fields=("id",),
                     back_populates="order"),
    )  # fmt: skip
    tags = model(project, "Product").relationships[1]
    assert tags == Relationship(
        "tags", RelationKind.MANY_TO_MANY, "Product", "Tag",
        secondary="product_tags", back_populates="products",
    )  # fmt: skip
    parent = model(project, "Category").relationships[0]
    assert parent.self_referential and parent.local_fields == ("parent_id",)


def test_roles_reach_the_ir_and_need_an_auth_dependency(tmp_path: Path) -> None:
    readme = (REPO / "docs" / "yaml-spec.md").read_text()
    section = readme[readme.index("# YAML spec") :]
    block = section[section.index("```yaml\n") + 8 : section.index("```\n", 8)]
    loaded = load_spec([str(write(tmp_path, block))])
    assert loaded.model_options["Order"].roles == (
        ("delete", ("admin",)),
        ("list", ("clerk", "admin")),
    )
    with_auth = Config(sources=(), out_dir=Path(), auth="app.auth:get_current_user")
    project = resolve(loaded.project, with_auth, loaded.model_options).project
    assert model(project, "Order").roles == (("delete", ("admin",)), ("list", ("clerk", "admin")))
    assert model(project, "Customer").roles == ()
    open_routes = Config(sources=(), out_dir=Path())
    (problem,) = resolve(loaded.project, open_routes, loaded.model_options).problems
    assert (problem.model, problem.key) == ("Order", "roles")
    assert "roles need an auth dependency" in problem.message


def test_per_model_options_of_the_spec_become_model_attributes() -> None:
    loaded = load_spec([str(SHOP)])
    config = Config(sources=(str(SHOP),), out_dir=Path())
    project = resolve(loaded.project, config, loaded.model_options).project
    product, order = model(project, "Product"), model(project, "Order")
    assert product.page_size == 20 and product.max_page_size == 100
    assert product.filter_fields == ("sku", "status", "price", "category_id")
    assert product.sort_fields == ("name", "price", "stock")
    assert product.soft_delete_flag == "is_deleted"  # by its name, as for SQLAlchemy models
    assert order.version_field == "revision"  # version_column: revision
    assert order.soft_delete_timestamp == "deleted_at"
    assert model(project, "Customer").page_size == 50


def test_pyproject_options_win_over_the_spec_key_by_key() -> None:
    loaded = load_spec([str(SHOP)])
    pyproject = {"Product": ModelOptions(page_size=5)}
    config = Config(sources=(str(SHOP),), out_dir=Path(), models=pyproject)
    product = model(resolve(loaded.project, config, loaded.model_options).project, "Product")
    assert product.page_size == 5  # pyproject.toml
    assert product.sort_fields == ("name", "price", "stock")  # the spec, pyproject silent


def test_layered_options_take_only_the_keys_set_on_top() -> None:
    spec = ModelOptions(page_size=20, hard_delete=False)
    explicit_default = ModelOptions(hard_delete=True)
    assert layered(spec, explicit_default).hard_delete is True  # said on purpose: it wins
    assert layered(spec, explicit_default).page_size == 20
    unset = ModelOptions(prefix="/x")
    assert layered(spec, unset).prefix == "/x"
    assert layered(spec, unset).hard_delete is False  # left unset on top: the spec's
    assert layered(spec, unset).model_fields_set == {"page_size", "hard_delete", "prefix"}


# -- problems: where, which key, all at once --------------------------------------------------


def test_shape_problems_name_file_line_column_and_key_path_all_at_once(in_tmp: Path) -> None:
    path = write(
        in_tmp,
        """\
        models:
          Order:
            fields:
              id: {type: integer, primary_key: true}
              total: money
              note: {type: string, lenght: 20}
              paid: {type: boolean, default: [1]}
            colour: red
            routes: [create, fetch]
          Customer:
            table: customers
            roles:
              destroy: [admin]
        """,
    )
    problems = problems_of(path)
    assert [where(p) for p in problems] == [
        (*at(path, 5, "money"), "models.Order.fields.total"),
        (*at(path, 6, "lenght"), "models.Order.fields.note"),
        (*at(path, 7, "[1]"), "models.Order.fields.paid.default"),
        (*at(path, 8, "colour"), "models.Order"),
        (*at(path, 9, "fetch"), "models.Order.routes[1]"),
        (*at(path, 10, "Customer"), "models.Customer"),
        (*at(path, 13, "destroy"), "models.Customer.roles"),
    ]
    messages = [p.message for p in problems]
    assert messages[0].startswith("unknown type 'money'; expected one of big_integer, binary")
    assert "unknown key 'lenght'" in messages[1] and "length" in messages[1]
    assert "single value" in messages[2]
    assert "unknown key 'colour'" in messages[3] and "filter_fields" in messages[3]
    assert "'fetch'" in messages[4] and "'create'" in messages[4]
    assert messages[5] == "missing key 'fields'"
    assert "'destroy'" in messages[6] and "'delete'" in messages[6]
    assert all(p.location.file == "api.yaml" for p in problems)

    text = str(SpecError(problems, hint="h"))
    assert text.startswith("api.yaml: 7 problems in the spec:\n  api.yaml:5:14: models.Order.")
    assert at(path, 5, "money") == (5, 14)
    assert "\n  api.yaml:9:22: models.Order.routes[1]: unknown value 'fetch'" in text


def test_meaning_problems_are_reported_together_in_file_order(in_tmp: Path) -> None:
    path = write(
        in_tmp,
        """\
        models:
          Order:
            fields:
              id: {type: integer, primary_key: true, length: 5}
              state: {type: enum}
              customer_id: {type: integer, foreign_key: clients.id}
              price: {type: decimal, default: cheap}
            relationships:
              buyer: {kind: many_to_one, target: Client}
          Customer:
            fields:
              name: {type: string, length: 3, default: "too long"}
        """,
    )
    problems = problems_of(path)
    assert [where(p) for p in problems] == [
        (*at(path, 4, "5}"), "models.Order.fields.id.length"),
        (*at(path, 5, "enum"), "models.Order.fields.state.type"),
        (*at(path, 6, "clients.id"), "models.Order.fields.customer_id.foreign_key"),
        (*at(path, 7, "cheap"), "models.Order.fields.price.default"),
        (*at(path, 9, "Client"), "models.Order.relationships.buyer.target"),
        (*at(path, 11, "fields"), "models.Customer.fields"),
        (*at(path, 12, '"too long"'), "models.Customer.fields.name.default"),
    ]
    messages = [p.message for p in problems]
    assert messages[0] == "length applies to string, text and binary fields"
    assert messages[1] == "an enum field needs `values: [...]`"
    assert messages[2].startswith("no model has table 'clients'; the tables are: customers")
    assert messages[3] == "expected a decimal number"
    assert messages[4] == "no model 'Client'; the models are: Order, Customer"
    assert messages[5] == "no primary key; mark a field `primary_key: true`"
    assert messages[6] == "longer than the field's length (3)"


def test_option_problems_of_a_valid_spec_are_placed_at_their_keys(in_tmp: Path) -> None:
    """Options are checked by the resolve stage, once the spec itself is sound: every model's
    problem at once, each at its key in the spec."""
    path = write(
        in_tmp,
        VALID + "    filter_fields: [nope]\n"
        "  Other:\n    fields:\n      id: {type: integer, primary_key: true}\n"
        "      state: {type: string, length: 5}\n    version_column: state\n",
    )
    with pytest.raises(OptionsError) as raised:
        plan_run(Config(sources=(str(path),), out_dir=in_tmp / "out"))
    problems = raised.value.problems
    assert [(p.location.line, p.path) for p in problems] == [
        (6, "models.Item.filter_fields"),
        (11, "models.Other.version_column"),
    ]
    assert "Item has no field nope" in problems[0].message
    assert "a version column must be an integer" in problems[1].message


SPEC_HEAD = """\
models:
  Owner:
    fields:
      id: {type: integer, primary_key: true}
"""


@pytest.mark.parametrize(
    ("body", "path", "message"),
    [
        ("      n: {type: integer, precision: 3}\n", "fields.n.precision", "decimal"),
        ("      n: {type: decimal, scale: 3}\n", "fields.n.scale", "needs a precision"),
        ("      n: {type: decimal, precision: 2, scale: 3}\n", "fields.n.scale", "at least"),
        ("      n: {type: string, timezone: true}\n", "fields.n.timezone", "datetime and time"),
        ("      n: {type: string, values: [a]}\n", "fields.n.values", "enum fields"),
        ("      n: {type: enum, values: [a, a]}\n", "fields.n.values", "differ"),
        ("      n: {type: enum, values: [a], default: b}\n", "fields.n.default", "not one of"),
        (
            "      n: {type: integer, primary_key: true, nullable: true}\n",
            "fields.n.nullable",
            "cannot be nullable",
        ),
        ("      n: {type: date, on_update: now}\n", "fields.n.on_update", "datetime fields"),
        ("      n: {type: integer, on_delete: cascade}\n", "fields.n.on_delete", "foreign_key"),
        (
            "      n: {type: integer, foreign_key: owners.id, on_delete: set null}\n",
            "fields.n.on_delete",
            "nullable",
        ),
        (
            "      n: {type: integer, default: 1, server_default: 2}\n",
            "fields.n.default",
            "not both",
        ),
        ("      n: {type: integer, default: true}\n", "fields.n.default", "whole number"),
        (
            "      n: {type: boolean, server_default: 1}\n",
            "fields.n.server_default",
            "true or false",
        ),
        ("      n: {type: float, default: x}\n", "fields.n.default", "a number"),
        ("      n: {type: json, default: x}\n", "fields.n.default", "cannot have a default"),
        ("      n: {type: uuid, default: now}\n", "fields.n.default", "takes `uuid4`"),
        ("      n: {type: time, server_default: 3}\n", "fields.n.server_default", "`now`"),
        (
            "      n: {type: string, foreign_key: owners.id}\n",
            "fields.n.foreign_key",
            "Owner.id is integer; this field is string",
        ),
        (
            "      n: {type: integer, foreign_key: owners.n}\n",
            "fields.n.foreign_key",
            "must be unique or the primary key",
        ),
        (
            "      n: {type: integer, foreign_key: owners.x}\n",
            "fields.n.foreign_key",
            "no column 'x'",
        ),
        ("      metadata: text\n", "fields.metadata", "reserved by SQLAlchemy"),
        ("      class: text\n", "fields.class", "not a usable attribute name"),
        ("      n: {type: text, column: id}\n", "fields.n", "also field id's"),
        (
            "  Setting:\n    fields:\n      data: {type: string, length: 9, primary_key: true}\n",
            "",
            "a primary key named 'data' would shadow",
        ),
        (
            "      o: {type: integer, foreign_key: owners.id, nullable: true}\n"
            "    relationships:\n      id: {kind: one_to_many, target: Owner}\n",
            "relationships.id",
            "a field of Owner",
        ),
        (
            "    relationships:\n      r: {kind: many_to_one, target: Owner}\n",
            "relationships.r",
            "no foreign_key to 'owners'",
        ),
        (
            "    relationships:\n      r: {kind: many_to_many, target: Owner, secondary: links}\n",
            "relationships.r",
            "with itself",
        ),
        (
            "      o: {type: integer, foreign_key: owners.id, nullable: true}\n"
            "    relationships:\n      r: {kind: many_to_one, target: Owner, secondary: links}\n",
            "relationships.r.secondary",
            "many_to_many",
        ),
        (
            "    relationships:\n      r: {kind: many_to_many, target: Other}\n"
            "  Other: {fields: {id: {type: integer, primary_key: true}}}\n",
            "relationships.r",
            "needs `secondary",
        ),
        (
            "      o: {type: integer, foreign_key: owners.id, nullable: true}\n"
            "    relationships:\n      r: {kind: one_to_many, target: Owner, back_populates: q}\n",
            "relationships.r.back_populates",
            "no relationship 'q'",
        ),
        ("    read_only: [id, ghost]\n", "read_only", "no field ghost"),
        ("    soft_delete_flag: id\n", "soft_delete_flag", "must be a boolean"),
        ("    table: text\n", "", ""),  # a valid table name, even one models.py imports
    ],
)
def test_each_rule_names_its_key(in_tmp: Path, body: str, path: str, message: str) -> None:
    spec = write(in_tmp, SPEC_HEAD + body)
    if not message:
        load_spec([str(spec)])
        return
    problems = problems_of(spec)
    assert len(problems) == 1, problems
    expected = f"models.Owner.{path}" if path else "models.Setting.fields.data"
    assert problems[0].path == expected
    assert message in problems[0].message


def test_ambiguous_foreign_keys_ask_for_fields_and_accept_them(in_tmp: Path) -> None:
    spec = """\
    models:
      Place:
        fields:
          id: {type: integer, primary_key: true}
      Trip:
        fields:
          id: {type: integer, primary_key: true}
          start_id: {type: integer, foreign_key: places.id}
          end_id: {type: integer, foreign_key: places.id}
        relationships:
          start: {kind: many_to_one, target: Place%s}
    """
    problems = problems_of(write(in_tmp, spec % ""))
    assert where(problems[0])[2] == "models.Trip.relationships.start"
    assert "more than once (start_id, end_id); say which with `fields" in problems[0].message
    project = load_spec([str(write(in_tmp, spec % ", fields: [start_id]"))]).project
    assert model(project, "Trip").relationships[0].local_fields == ("start_id",)
    wrong = problems_of(write(in_tmp, spec % ", fields: [id]"))
    assert "id: not a foreign key of Trip to 'places'" in wrong[0].message


def test_model_names_must_make_distinct_classes_modules_and_tables(in_tmp: Path) -> None:
    path = write(
        in_tmp,
        """\
        models:
          order: {fields: {id: {type: integer, primary_key: true}}}
          Enum: {fields: {id: {type: integer, primary_key: true}}}
          HTTPLog: {fields: {id: {type: integer, primary_key: true}}}
          HttpLog: {table: http_logs, fields: {id: {type: integer, primary_key: true}}}
        """,
    )
    problems = problems_of(path)
    assert [(p.location.line, p.path) for p in problems] == [
        (2, "models.order"),
        (3, "models.Enum"),
        (5, "models.HttpLog"),
        (5, "models.HttpLog.table"),
    ]
    assert "class name" in problems[0].message
    assert "models.py imports" in problems[1].message
    assert "same modules (http_log.py)" in problems[2].message
    assert "table 'http_logs' is also HTTPLog's" in problems[3].message


def test_back_populates_must_mirror_each_other(in_tmp: Path) -> None:
    path = write(
        in_tmp,
        """\
        models:
          Author:
            fields: {id: {type: integer, primary_key: true}}
            relationships:
              books: {kind: one_to_many, target: Book, back_populates: writer}
          Book:
            fields:
              id: {type: integer, primary_key: true}
              author_id: {type: integer, foreign_key: authors.id}
            relationships:
              writer: {kind: many_to_one, target: Author, back_populates: essays}
        """,
    )
    problems = problems_of(path)
    assert [p.path for p in problems] == [
        "models.Author.relationships.books.back_populates",
        "models.Book.relationships.writer.back_populates",
    ]
    assert "must have target Author and back_populates books" in problems[0].message


def test_option_rules_of_tool_crudgen_are_reported_at_the_spec_key(in_tmp: Path) -> None:
    path = write(in_tmp, VALID + "    exclude_fields: [name]\n")
    with pytest.raises(OptionsError) as raised:
        plan_run(Config(sources=(str(path),), out_dir=in_tmp / "out"))
    (problem,) = raised.value.problems
    assert problem.path == "models.Item.exclude_fields"
    assert problem.location.file.endswith("api.yaml")
    assert problem.location.line == 6
    assert "name cannot be excluded" in problem.message


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("models:\n  A:\n    fields: {id: [1\n", 4, "invalid YAML: expected ',' or ']'"),
        ("models:\n  A: {fields: {id: text}}\n  A: {fields: {id: text}}\n", 3,
         "key given twice (first at line 2)"),
        ("", None, "the spec is empty"),
        ("- models\n", 1, "the spec is a list"),
        ("models: {}\n", 1, "should have at least 1 item"),
        ("models:\n  A:\n    fields:\n      on: boolean\n", 4, "a key YAML reads as true/false"),
    ],
)  # fmt: skip
def test_unreadable_specs(in_tmp: Path, text: str, line: int | None, message: str) -> None:
    (problem,) = problems_of(write(in_tmp, text))
    assert problem.location.line == line
    assert message in problem.message


def test_missing_spec_and_mixed_sources_are_source_errors(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        load_spec([str(tmp_path / "nope.yaml")])
    spec = write(tmp_path, VALID)
    with pytest.raises(SourceError, match="only source") as raised:
        plan_run(Config(sources=(str(spec), "app/models.py"), out_dir=tmp_path / "out"))
    assert not isinstance(raised.value, SpecError)
    assert not (tmp_path / "out").exists()


def test_yaml_aliases_and_merge_keys_work(in_tmp: Path) -> None:
    spec = """\
    models:
      A:
        fields:
          id: &key {type: integer, primary_key: true}
          n: {<<: *key, primary_key: false}
    """
    (a,) = load_spec([str(write(in_tmp, spec))]).project.models
    assert [(f.name, f.kind, f.primary_key) for f in a.fields] == [
        ("id", ScalarKind.INTEGER, True),
        ("n", ScalarKind.INTEGER, False),
    ]
    (problem,) = problems_of(write(in_tmp, "keys: {}\n" + textwrap.dedent(spec)))
    assert (problem.path, problem.location.line) == ("", 1)
    assert problem.message == "unknown key 'keys'; allowed keys: models"


# -- the generated models.py gives the same IR back ------------------------------------------


@pytest.fixture
def shapes_package(tmp_path: Path) -> Iterator[Path]:
    out = tmp_path / "shapes_api"
    apply_plan(plan_run(Config(sources=(str(SHAPES),), out_dir=out)).plan)
    sys.path.insert(0, str(tmp_path))
    try:
        yield out
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m.split(".")[0] == "shapes_api"]:
            del sys.modules[name]


def test_generated_models_read_back_into_the_same_ir(shapes_package: Path) -> None:
    """Item 3: the spec and its models.py are one schema, whatever the shape."""
    spec = load_spec([str(SHAPES)]).project
    read_back = load_project([str(shapes_package / "models.py")]).project
    assert [m.name for m in read_back.models] == [m.name for m in spec.models]
    for from_spec, from_models in zip(spec.models, read_back.models, strict=True):
        # The one difference: where the classes are imported from.
        assert from_models.module == "shapes_api.models"
        moved = dataclasses.replace(from_models, module="..models")
        assert moved == from_spec, from_spec.name


def test_generated_models_create_their_tables(shapes_package: Path) -> None:
    import sqlalchemy as sa

    models = importlib.import_module("shapes_api.models")
    engine = sa.create_engine("sqlite://")
    models.Base.metadata.create_all(engine)
    tables = set(sa.inspect(engine).get_table_names())
    assert tables == {
        "addresses", "clubs", "memberships", "passports", "people", "samples", "seats",
    }  # fmt: skip
    with engine.begin() as connection:
        connection.execute(sa.insert(models.Sample.__table__).values(
            code_text="a", loose="b", short_text="c", data={"k": 1}
        ))  # fmt: skip
        row = connection.execute(sa.select(models.Sample.__table__)).one()._mapping
    assert row["id"] == 1, "a BigInteger key counts up on SQLite too"
    assert (row["number"], row["flag"], row["label"], row["mood"]) == (7, True, "n/a", "calm")
    assert row["rate"] == 2.5 and row["first_day"] is not None
    assert row["level"] == "low" and row["token"] is not None


def test_model_docstrings_and_comments_survive_quotes_and_backslashes(
    shapes_package: Path,
) -> None:
    models = importlib.import_module("shapes_api.models")
    assert models.Sample.__table__.c.body.comment == 'Said "hello" \\ twice'
    assert models.Sample.__doc__.startswith("Every type, with its options.\n")


# -- the JSON Schema --------------------------------------------------------------------------


def test_committed_example_schema_is_what_crudgen_schema_prints() -> None:
    committed = json.loads((EXAMPLES / "shop" / "crudgen-spec.schema.json").read_text())
    assert committed == json_schema()
    first_line = SHOP.read_text().splitlines()[0]
    assert first_line == "# yaml-language-server: $schema=./crudgen-spec.schema.json"


def test_every_key_of_the_json_schema_is_documented_for_editors() -> None:
    definitions = json_schema()["definitions"]
    assert set(definitions) == {"FieldSpec", "ModelSpec", "RelationshipSpec"}
    for name, definition in definitions.items():
        assert definition["additionalProperties"] is False, name
        undocumented = [k for k, p in definition["properties"].items() if not p.get("description")]
        assert not undocumented, f"{name}: {undocumented}"


def test_json_schema_is_draft_07_and_validates_specs_as_editors_would() -> None:
    schema = json_schema()
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema)
    for spec in (SHOP, SHAPES):
        errors = list(validator.iter_errors(yaml.safe_load(spec.read_text())))
        assert not errors, [e.message for e in errors]
    broken = yaml.safe_load(SHOP.read_text())
    broken["models"]["Order"]["fields"]["note"]["type"] = "money"
    broken["models"]["Order"]["colour"] = "red"
    messages = sorted(e.message for e in validator.iter_errors(broken))
    assert any("colour" in m for m in messages), messages
    assert any("money" in m for m in messages), messages


def test_the_readme_spec_is_valid(tmp_path: Path) -> None:
    readme = (REPO / "docs" / "yaml-spec.md").read_text()
    section = readme[readme.index("# YAML spec") :]
    block = section[section.index("```yaml\n") + 8 : section.index("```\n", 8)]
    project = load_spec([str(write(tmp_path, block))]).project
    assert [m.name for m in project.models] == ["Customer", "Order"]
