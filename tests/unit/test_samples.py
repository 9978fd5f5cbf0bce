"""crudgen/samples.py: the values the emitted tests send are valid for their columns,
distinct per row, and increase with the row number (the sort tests rely on it)."""

from __future__ import annotations

import base64
import datetime
import re
from decimal import Decimal

import pytest

from crudgen.ir import (
    Default,
    DefaultKind,
    EnumSpec,
    Field,
    ForeignKey,
    Model,
    Project,
    ScalarKind,
)
from crudgen.samples import NoSample, model_samples, plan_tests, sample_value, surrounding

ROWS = range(6)


def field(name: str, kind: ScalarKind, **facts: object) -> Field:
    return Field(name=name, column=name, kind=kind, nullable=False, **facts)  # type: ignore[arg-type]


def values(f: Field) -> list[object]:
    return [sample_value(f, n) for n in ROWS]


def test_text_fits_its_length_stays_unique_and_ordered() -> None:
    for length in (1, 2, 3, 7, 200):
        sent = values(field("title", ScalarKind.STRING, max_length=length))
        assert all(isinstance(v, str) and 1 <= len(v) <= length for v in sent), sent
        assert len(set(sent)) == len(sent) and sent == sorted(sent), sent


def test_declared_length_bounds_and_patterns_are_met() -> None:
    hero = field(
        "secret_name",
        ScalarKind.STRING,
        max_length=60,
        declared_constraints=("min_length=8", 'pattern="^[A-Z]\\\\w*$"'),
    )
    for value in values(hero):
        assert re.fullmatch(r"^[A-Z]\w*$", value) and 8 <= len(value) <= 60
    impossible = field("code", ScalarKind.STRING, declared_constraints=('pattern="^\\\\d{3}-x$"',))
    with pytest.raises(NoSample):
        sample_value(impossible, 0)


@pytest.mark.parametrize(
    ("constraints", "low", "high"),
    [((), 1, 2**31 - 1), (("ge=0", "le=5"), 0, 5), (("gt=0", "lt=100"), 1, 99)],
)
def test_integers_stay_within_declared_bounds(
    constraints: tuple[str, ...], low: int, high: int
) -> None:
    sent = values(field("age", ScalarKind.INTEGER, declared_constraints=constraints))
    assert all(isinstance(v, int) and low <= v <= high for v in sent), sent
    assert len(set(sent)) == len(sent)


@pytest.mark.parametrize(("precision", "scale"), [(3, 1), (5, 2), (2, 2), (10, 0), (None, None)])
def test_decimals_fit_their_digits(precision: int | None, scale: int | None) -> None:
    sent = [
        Decimal(v)
        for v in values(field("rate", ScalarKind.DECIMAL, precision=precision, scale=scale))
    ]
    for value in sent:
        digits = value.as_tuple()
        if precision is not None:
            assert len(digits.digits) - max(-int(digits.exponent), 0) <= precision - (scale or 0)
        if scale is not None:
            assert -int(digits.exponent) <= scale
    assert sent == sorted(sent) and len(set(sent)) == len(sent)


def test_every_kind_gives_valid_increasing_json() -> None:
    aware = values(field("at", ScalarKind.DATETIME, timezone=True))
    assert all(datetime.datetime.fromisoformat(v).tzinfo for v in aware)
    assert aware == sorted(aware)
    naive = values(field("at", ScalarKind.DATETIME))
    assert all(datetime.datetime.fromisoformat(v).tzinfo is None for v in naive)
    assert values(field("day", ScalarKind.DATE)) == sorted(values(field("day", ScalarKind.DATE)))
    assert values(field("flag", ScalarKind.BOOLEAN))[:2] == [False, True]
    uuids = values(field("ref", ScalarKind.UUID))
    assert uuids == sorted(uuids) and len(set(uuids)) == len(uuids)
    blob = values(field("blob", ScalarKind.BINARY, max_length=2))
    assert all(len(base64.b64decode(v)) <= 2 for v in blob)
    status = field("status", ScalarKind.ENUM, enum=EnumSpec(("draft", "done")))
    assert values(status)[:3] == ["draft", "done", "draft"]


def test_a_required_reference_takes_its_value_from_a_parent_row() -> None:
    author = Model(
        "Author",
        "m",
        "authors",
        (
            field("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            field("name", ScalarKind.STRING),
        ),
    )
    post = Model(
        "Post",
        "m",
        "posts",
        (
            field("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            field(
                "author_id", ScalarKind.INTEGER, foreign_key=ForeignKey("authors", "id", "Author")
            ),
            Field(
                "editor_id",
                "editor_id",
                ScalarKind.INTEGER,
                nullable=True,
                foreign_key=ForeignKey("authors", "id", "Author"),
            ),
            field("title", ScalarKind.STRING, max_length=20, unique=True),
        ),
    )
    samples = model_samples(post, {"Author": author, "Post": post}, count=3)
    assert samples is not None
    assert [(p.field, p.parent, p.parent_field) for p in samples.parents] == [
        ("author_id", "Author", "id")
    ]
    assert samples.rows[0] == {"title": "title-0"}  # the optional reference is left out
    suite = plan_tests(Project((author, post), ("m",)))
    tests = {t.name: t for t in suite.tests}
    assert tests["Post"].creatable and tests["Post"].unique_field == "title"
    assert tests["Post"].update_values == ("title-1", "title-2")


def test_a_reference_no_route_creates_leaves_the_model_without_row_tests() -> None:
    orphan = Model(
        "Line",
        "m",
        "lines",
        (
            field("id", ScalarKind.INTEGER, primary_key=True, generated=True),
            field("order_id", ScalarKind.INTEGER, foreign_key=ForeignKey("orders", "id", None)),
        ),
    )
    (tests,) = plan_tests(Project((orphan,), ("m",))).tests
    assert not tests.creatable and tests.missing_key == (999_999,)


def test_a_server_default_field_may_be_left_out() -> None:
    stamp = field(
        "code",
        ScalarKind.STRING,
        default=Default(DefaultKind.SERVER),
        declared_constraints=('pattern="^\\\\d{3}-x$"',),
    )
    model = Model(
        "Thing",
        "m",
        "things",
        (field("id", ScalarKind.INTEGER, primary_key=True, generated=True), stamp),
    )
    samples = model_samples(model, {"Thing": model}, count=2)
    assert samples is not None and samples.rows == ({}, {})


def test_a_mysql_year_admits_only_the_years_it_stores_as_sent() -> None:
    """YEAR stores 1 as 2001: requests are bounded to 1901..2155, and samples lie within."""
    from pathlib import Path

    from crudgen.sources.sqlalchemy import load_project

    source = Path(__file__).parent.parent / "models" / "real_shapes" / "mysql_types.py"
    project = load_project([str(source)]).project
    album = next(m for m in project.models if m.name == "Album")
    released = album.field("released")
    assert dict(released.constraints)["ge"] == "1901" and dict(released.constraints)["le"] == "2155"
    assert [sample_value(released, n) for n in range(3)] == [1901, 1902, 1903]


def _library() -> Project:
    """Items are books or periodicals (a base without an identity of its own); a copy
    refers to an item."""
    key = field("id", ScalarKind.INTEGER, primary_key=True, generated=True)
    kind = field("kind", ScalarKind.STRING, max_length=20, generated=True)
    title = field("title", ScalarKind.STRING, max_length=50, unique=True)
    hierarchy = {"discriminator": "kind", "own_table": True}
    item = Model(
        "Item", "m", "items", (key, kind, title), subtypes=("Book", "Periodical"), **hierarchy
    )
    book = Model(
        "Book",
        "m",
        "books",
        (key, kind, title, field("pages", ScalarKind.INTEGER)),
        identity="book",
        parent="Item",
        **hierarchy,
    )
    periodical = Model(
        "Periodical",
        "m",
        "periodicals",
        (key, kind, title),
        identity="p",
        parent="Item",
        **hierarchy,
    )
    item_id = field("item_id", ScalarKind.INTEGER, foreign_key=ForeignKey("items", "id", "Item"))
    copy = Model(
        "Copy",
        "m",
        "copies",
        (item_id, field("number", ScalarKind.INTEGER, primary_key=True)),
    )
    return Project((item, book, periodical, copy), ("m",))


def test_the_classes_of_a_hierarchy_send_rows_of_their_own() -> None:
    """A test may create a book and a periodical: their base's unique title differs."""
    suite = plan_tests(_library())
    samples = {s.name: s for s in suite.samples}
    assert "Item" not in samples, "no row is an item alone: /items has no create route"
    book_titles = [row["title"] for row in samples["Book"].rows]
    periodical_titles = [row["title"] for row in samples["Periodical"].rows]
    assert not set(book_titles) & set(periodical_titles)
    assert all("kind" not in row for row in samples["Book"].rows), "the server writes it"


def test_a_reference_to_a_base_without_identity_takes_a_row_of_a_subtype() -> None:
    suite = plan_tests(_library())
    (link,) = next(s for s in suite.samples if s.name == "Copy").parents
    assert (link.field, link.parent, link.parent_field) == ("item_id", "Book", "id")
    assert next(t for t in suite.tests if t.name == "Copy").creatable


def test_hierarchy_tests_name_the_classes_below_and_the_others() -> None:
    tests = {t.name: t for t in plan_tests(_library()).tests}
    assert not tests["Item"].creatable
    assert tests["Item"].below == ("Book", "Periodical") and tests["Item"].others == ()
    assert tests["Book"].below == ("Book",) and tests["Book"].others == ("Periodical",)
    assert tests["Item"].discriminator_filter  # a string column: ?kind=book
    assert tests["Copy"].below == () and tests["Copy"].others == ()


def test_a_read_example_spreads_the_write_example_only_where_it_holds_it_whole() -> None:
    write = {"title": "t", "views": 2}
    read = {"id": 1, "title": "t", "views": 2, "created_at": "2024"}
    assert surrounding(read, write) == ({"id": 1}, {"created_at": "2024"})
    assert surrounding({"title": "t", "views": 2, "id": 1}, write) == ({}, {"id": 1})
    # Apart, reordered, with another value, or the same: written out in full.
    assert surrounding({"title": "t", "id": 1, "views": 2}, write) == ()
    assert surrounding({"id": 1, "views": 2, "title": "t"}, write) == ()
    assert surrounding({"id": 1, "title": "x", "views": 2}, write) == ()
    assert surrounding(write, write) == ()
    assert surrounding(read, {}) == ()
