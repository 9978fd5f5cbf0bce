"""Real-world model shapes (tests/models/real_shapes/) read into the IR: what each column
holds, as the API types it. Their HTTP behaviour is in tests/e2e/test_real_shapes.py."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crudgen.config import Config, ModelOptions
from crudgen.errors import ConfigError, SourceError, UnsupportedTypeError
from crudgen.ir import Field, Model, ScalarKind
from crudgen.pipeline import plan_run
from crudgen.sources.sqlalchemy import load_project

SHAPES = Path(__file__).resolve().parent.parent / "models" / "real_shapes"


def load(module: str, **options: object) -> dict[str, Model]:
    loaded = load_project([str(SHAPES / f"{module}.py")], **options)  # type: ignore[arg-type]
    return {m.name: m for m in loaded.project.models}


def field(model: Model, name: str) -> Field:
    return next(f for f in model.fields if f.name == name)


def line_of(path: Path, marker: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if marker in line)


def test_type_decorators_are_typed_by_what_they_hold() -> None:
    models = load("type_decorators")
    account, device = models["Account"], models["Device"]
    # GUID declares no python_type: its Mapped[uuid.UUID] annotation says what it holds.
    account_id = field(account, "id")
    assert account_id.kind is ScalarKind.UUID and account_id.python_type == "UUID"
    assert account_id.max_length is None, "CHAR(36) is how it is stored, not a string limit"
    assert field(account, "referrer_id").kind is ScalarKind.UUID
    tags = field(account, "tags")
    assert (tags.python_type, tags.input_type) == ("list[str]", "list[str]")
    assert tags.kind is ScalarKind.JSON, "stored whole: neither filtered nor sorted"
    # Classic Column style, no annotation: the decorator's own python_type decides.
    assert field(device, "serial").kind is ScalarKind.UUID
    labels = field(device, "labels")
    assert labels.python_type == "list[str]" and labels.read_annotation == "list[str] | None"


def test_postgres_types_need_no_configuration() -> None:
    server = load("postgres_types")["Server"]
    address = field(server, "address")
    assert address.input_type.startswith("Annotated[IPvAnyInterface")
    assert "IPvAnyNetwork" in field(server, "network").input_type
    assert "StringConstraints(pattern=" in field(server, "mac").input_type
    ports = field(server, "ports")
    assert (ports.python_type, ports.input_type) == ("list[int]", "list[Int32]")
    assert field(server, "aliases").read_annotation == "list[str] | None"
    assert field(server, "settings").kind is ScalarKind.JSON
    assert field(server, "labels").python_type == "dict[str, str | None]"
    assert field(server, "search").generated, "a TSVECTOR is the database's: read only"
    assert field(server, "tier").kind is ScalarKind.ENUM
    assert field(server, "uptime").kind is ScalarKind.INTERVAL
    assert "Decimal" in field(server, "monthly_cost").input_type
    filters = {p.name for p in server.filter_params}
    assert "address__contains" not in filters and "network__is_null" in filters


def test_mysql_types_need_no_configuration() -> None:
    album = load("mysql_types")["Album"]
    assert field(album, "rating").kind is ScalarKind.INTEGER
    assert field(album, "released").kind is ScalarKind.SMALL_INTEGER
    assert field(album, "formats").python_type == 'list[Literal["cd", "vinyl", "tape"]]'


def test_mutable_json_holds_only_its_container() -> None:
    profile = load("mutable_json")["Profile"]
    preferences, history = field(profile, "preferences"), field(profile, "history")
    assert (preferences.python_type, preferences.input_type) == (
        "dict[str, Any]",
        "dict[str, FiniteJson]",
    )
    assert (history.python_type, history.input_type) == ("list[Any]", "list[FiniteJson]")
    assert history.read_annotation == "list[Any] | None"


def test_type_map_entry_of_a_class_name_overrides_known_types() -> None:
    server = load("postgres_types", type_map={"INET": "string", "String": "text"})["Server"]
    address = field(server, "address")
    assert address.kind is ScalarKind.STRING and address.python_type == "str"
    assert field(server, "name").kind is ScalarKind.TEXT
    # An entry for a base class maps only types crudgen does not know.
    untouched = load("postgres_types", type_map={"TypeEngine": "binary"})["Server"]
    assert field(untouched, "name").kind is ScalarKind.STRING


def test_every_unknown_column_is_reported_in_one_run() -> None:
    path = SHAPES / "unknown_types.py"
    with pytest.raises(UnsupportedTypeError) as caught:
        load("unknown_types")
    error = caught.value
    assert error.message.startswith("4 columns have types crudgen cannot map:")
    for column, marker in [
        ("Booking.nights", "nights:"),
        ("Booking.period", "period:"),
        ("Site.location", "location ="),
        ("Site.flags", "flags ="),
    ]:
        assert f"unknown_types.py:{line_of(path, marker)}: column {column} " in error.message
    # One type_map line per type; a kind only where the type says what it holds.
    assert 'Point = "string"' in error.hint
    assert 'INT4RANGE = "<kind>"' in error.hint and 'TSRANGE = "<kind>"' in error.hint
    assert error.hint.count("INT4RANGE") == 1


def test_sqlmodel_constraints_are_carried_into_the_ir() -> None:
    models = load("sqlmodel_tables")
    hero = models["Hero"]
    assert field(hero, "name").constraints == (("max_length", "40"), ("min_length", "2"))
    assert field(hero, "secret_name").constraints == (
        ("max_length", "60"),
        ("pattern", '"^[A-Z]\\\\w*$"'),
    )
    assert field(hero, "age").constraints == (("ge", "0"), ("le", "150"))
    assert field(hero, "power").constraints == (("gt", "0"), ("lt", "100"))
    assert field(hero, "fee").constraints == (
        ("max_digits", "8"),
        ("decimal_places", "2"),
        ("ge", "0"),
    )
    assert field(hero, "id").generated and field(hero, "team_id").foreign_key is not None
    assert field(models["Team"], "id").kind is ScalarKind.UUID


def test_one_table_name_from_two_bases_is_refused_naming_both() -> None:
    path = SHAPES / "same_table_two_bases.py"
    with pytest.raises(SourceError) as caught:
        load("same_table_two_bases")
    error = caught.value
    assert "CatalogItem and StockItem both map a table named 'items'" in error.message
    assert f"same_table_two_bases.py:{line_of(path, 'class CatalogItem')}" in error.message
    assert error.location is not None
    assert error.location.line == line_of(path, "class StockItem")
    assert "package of its own" in error.hint


@pytest.mark.slow  # starts a Python process
def test_an_output_directory_inside_the_models_package_is_not_read_as_models(
    tmp_path: Path,
) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "__init__.py").write_text("")
    (tmp_path / "app" / "models.py").write_text((SHAPES / "natural_keys.py").read_text())

    def crudgen(*args: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "crudgen", *args, "--no-cache"]
        return subprocess.run(command, cwd=tmp_path, capture_output=True, text=True)

    generated = crudgen("generate", "app", "--out", "app/generated")
    assert generated.returncode == 0, generated.stderr
    checked = crudgen("check", "app", "--out", "app/generated")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    header = (tmp_path / "app" / "generated" / "schemas" / "country.py").read_text()
    assert header.startswith("# Generated by crudgen from app.models. Do not edit")


def test_locking_turned_on_by_a_version_column_is_said_once_per_model(tmp_path: Path) -> None:
    source = str(SHAPES / "versioned_rows.py")
    settings = {"Setting": ModelOptions(optimistic_locking=False)}
    run = plan_run(Config(sources=(source,), out_dir=tmp_path / "out", models=settings))
    locking = [w for w in run.warnings if "optimistic locking" in w]
    # Setting turned it off; Ledger asked for it with version_id_col: neither is surprised.
    assert len(locking) == 1, locking
    path = SHAPES / "versioned_rows.py"
    where = f"versioned_rows.py:{line_of(path, 'class Article')}: Article: "
    assert where in locking[0].split("optimistic")[0]
    assert "integer column `version`" in locking[0]
    assert "optimistic_locking = false in [tool.crudgen.models.Article]" in locking[0]


def test_a_key_column_cannot_be_the_version_column(tmp_path: Path) -> None:
    source = str(SHAPES / "composite_version.py")
    settings = {"DocumentRevision": ModelOptions(version_column="version")}
    with pytest.raises(ConfigError) as caught:
        plan_run(Config(sources=(source,), out_dir=tmp_path / "out", models=settings))
    assert "version is part of the primary key" in caught.value.message


def test_models_all_in_an_unsupported_hierarchy_are_refused_saying_why(tmp_path: Path) -> None:
    """It used to say "include/exclude leave no model to generate", with neither set."""
    source = tmp_path / "concrete_only.py"
    source.write_text(CONCRETE_ONLY)
    with pytest.raises(SourceError) as caught:
        load_project([str(source)])
    message = caught.value.message
    assert "every mapped class is in an inheritance hierarchy" in message
    assert "concrete-table inheritance" in message
    assert caught.value.location is not None
    assert caught.value.location.file.endswith("concrete_only.py")


def test_inheritance_shapes_are_generated() -> None:
    """Joined and single-table hierarchies: every class is a model (issue 13, item 6)."""
    assert sorted(load("inheritance_joined")) == ["Employee", "Engineer", "Manager", "Team"]
    assert sorted(load("inheritance_single")) == ["BankPayment", "CardPayment", "Payment"]


CONCRETE_ONLY = """
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Shop(Base):
    __tablename__ = "shops"
    id: Mapped[int] = mapped_column(primary_key=True)


class Outlet(Shop):
    __tablename__ = "outlets"
    __mapper_args__ = {"concrete": True}
    id: Mapped[int] = mapped_column(primary_key=True)
"""
