"""Sample requests for the generated tests: valid values decided from the IR's facts.

Each value is plain JSON data (what a client sends), chosen per column kind and constraint:
unique by row number, within a string's length, a decimal's digits, an integer's bounds and
an enum's members, and increasing with the row number so sort order is known. A foreign key
takes no sample: the tests create the parent row first (`ParentLink`). Nothing here is
Python source; templates/tests.py.j2 writes these values.
"""

from __future__ import annotations

import ast
import base64
import datetime
import re
import string
from dataclasses import dataclass
from typing import Any

from crudgen.ir import (
    INTEGER_TYPES,
    UNQUERYABLE_KINDS,
    DefaultKind,
    Field,
    Model,
    Project,
    ScalarKind,
)

Json = Any  # None, bool, int, float, str, or lists and dicts of them

# Rows of one model each test of another model may need (its parents): enough for the
# three rows the busiest test creates, each with its own parents.
_SPARE_ROWS = 3

_START = datetime.datetime(2024, 1, 1, 9, 0, 0)
_ORDERED_SAMPLES = frozenset(
    {
        *INTEGER_TYPES,
        ScalarKind.STRING,
        ScalarKind.TEXT,
        ScalarKind.DECIMAL,
        ScalarKind.FLOAT,
        ScalarKind.DATE,
        ScalarKind.DATETIME,
        ScalarKind.TIME,
        ScalarKind.UUID,
        ScalarKind.BOOLEAN,
    }
)
# How the tests compare a value sent with the value returned (see templates/tests_support).
_COMPARISON = {
    ScalarKind.DECIMAL: "decimal",
    ScalarKind.FLOAT: "float",
    ScalarKind.DATETIME: "datetime",
    ScalarKind.TIME: "time",
    ScalarKind.INTERVAL: "interval",
    ScalarKind.UUID: "uuid",
}
_BASE36 = string.digits + string.ascii_lowercase


class NoSample(Exception):
    """No value of this field is known to be valid (a declared pattern, an unknown type)."""


@dataclass(frozen=True)
class ParentLink:
    """A foreign key the tests fill from a parent row they create first."""

    field: str  # the child's field
    parent: str  # the parent model's name
    parent_field: str  # the parent's field the key refers to


@dataclass(frozen=True)
class FieldCheck:
    """A field whose returned value the tests compare with the one sent, and how."""

    name: str
    comparison: str  # "equal", "decimal", "float", "datetime", "time", "interval", "uuid"


@dataclass(frozen=True)
class ModelSamples:
    """What the tests of every model need to create rows of this one."""

    model: Model
    rows: tuple[dict[str, Json], ...]  # request bodies, foreign keys left out
    parents: tuple[ParentLink, ...]
    # Fields the user's before_create hook fills from the signed-in user (an owner): the
    # tests' user carries an attribute of the same name, from a parent row or a sample.
    stamped_parents: tuple[ParentLink, ...]
    stamped_values: tuple[tuple[str, Json], ...]
    checks: tuple[FieldCheck, ...]

    @property
    def name(self) -> str:
        return self.model.name


@dataclass(frozen=True)
class ModelTests:
    """The tests emitted for one model, each a decision about its facts."""

    model: Model
    creatable: bool  # a valid row can be sent: the tests that need rows are emitted
    unique_field: str | None  # a unique writable field: a batch repeating it must fail
    update_field: str | None  # a field PATCH changes, to the values of other rows
    update_values: tuple[Json, ...]
    filters: tuple[str, ...]  # one equality filter per kind present
    sorts: tuple[str, ...]  # one sort per kind present whose rows' values increase
    missing_key: tuple[Json, ...]  # a key no row has
    signs_in: bool  # its hooks stamp an owner from the user: the user gets one first
    # Inheritance (a hierarchy with a discriminator): the classes at or below this one
    # whose rows the tests create, which its list and get must answer, each as its class;
    # and the other classes of the hierarchy, whose rows its routes must not reach.
    below: tuple[str, ...] = ()
    others: tuple[str, ...] = ()
    discriminator_filter: bool = False  # the list filters on the discriminator

    @property
    def name(self) -> str:
        return self.model.name


@dataclass(frozen=True)
class GeneratedTests:
    """Everything templates/tests*.j2 render for a project."""

    samples: tuple[ModelSamples, ...]  # models some test creates rows of
    tests: tuple[ModelTests, ...]  # one module per model
    roles: tuple[str, ...]  # every role the project's routes check: the tests' user holds all

    def samples_of(self, model: Model) -> ModelSamples | None:
        return next((s for s in self.samples if s.name == model.name), None)


def plan_tests(project: Project) -> GeneratedTests:
    models = {m.name: m for m in project.models}
    samples = {}
    tests = []
    count = 3 + _SPARE_ROWS
    for model in project.models:
        # The classes of a hierarchy share the base's columns (and its unique ones): each
        # class's rows are numbered after those of the classes before it, so a test may
        # create rows of several classes.
        members = hierarchy(model, models)
        first = count * members.index(model.name) if model.name in members else 0
        found = model_samples(model, models, count=count, first=first)
        if found is not None:
            samples[model.name] = found
    for model in project.models:
        tests.append(model_tests(model, samples, models))
    roles = sorted({role for m in project.models for _, names in m.roles for role in names})
    return GeneratedTests(tuple(samples.values()), tuple(tests), tuple(roles))


def hierarchy(model: Model, models: dict[str, Model]) -> tuple[str, ...]:
    """The classes of the inheritance hierarchy `model` is in, its root first (the model
    alone when it is in none)."""
    root = model
    while root.parent in models:
        root = models[root.parent]
    return (root.name, *(name for name in root.subtypes if name in models))


def model_samples(
    model: Model, models: dict[str, Model], *, count: int, first: int = 0
) -> ModelSamples | None:
    """Samples of a model whose rows the tests can create through its route, else None:
    rows numbered first, first + 1, ..."""
    if not model.has("create"):
        return None
    parents: list[ParentLink] = []
    fields: list[Field] = []
    for field in model.create_fields:
        link = _parent_link(field, models)
        if link is not None and not field.nullable and link.parent != model.name:
            parents.append(link)
        elif link is not None or (field.foreign_key is not None and field.nullable):
            continue  # an optional reference: left out (null)
        elif field.foreign_key is not None and not _optional(field):
            return None  # a required reference to a table no route creates
        else:
            fields.append(field)
    stamped_parents, stamped_values = [], []
    for field in model.hook_filled_fields:
        link = _parent_link(field, models)
        if link is not None:
            stamped_parents.append(link)
        else:
            try:
                stamped_values.append((field.name, sample_value(field, 0)))
            except NoSample:
                return None
    try:
        rows = tuple(_row(fields, n) for n in range(first, first + count))
    except NoSample:
        return None
    checks = tuple(
        FieldCheck(f.name, _comparison(f)) for f in fields if not f.write_only and _comparable(f)
    )
    return ModelSamples(
        model, rows, tuple(parents), tuple(stamped_parents), tuple(stamped_values), checks
    )


def _optional(field: Field) -> bool:
    return field.nullable or field.default.kind is not DefaultKind.NONE


def _row(fields: list[Field], n: int) -> dict[str, Json]:
    row: dict[str, Json] = {}
    for field in fields:
        try:
            row[field.name] = sample_value(field, n)
        except NoSample:
            if not _optional(field):
                raise
    return row


def _parent_link(field: Field, models: dict[str, Model]) -> ParentLink | None:
    key = field.foreign_key
    if key is None or key.model not in models:
        return None
    parent = models[key.model]
    if not parent.has("create"):
        # A base without an identity of its own: a row of one of its classes is a row of it.
        creatable = [models[n] for n in parent.subtypes if n in models and models[n].has("create")]
        if not creatable:
            return None
        parent = creatable[0]
    referenced = [f for f in parent.read_fields if f.column == key.column]
    if not referenced:
        return None
    return ParentLink(field.name, parent.name, referenced[0].name)


def _comparable(field: Field) -> bool:
    """Values of dialect types come back in the database's own spelling (an address, a
    money amount): their round trip is not compared."""
    return field.value_type is None


def _comparison(field: Field) -> str:
    return _COMPARISON.get(field.kind, "equal")


# -- one value ----------------------------------------------------------------------------


def sample_value(field: Field, n: int) -> Json:
    """A valid value of `field` for row `n`: distinct per row, increasing with n."""
    declared = _declared(field)
    pattern = declared.get("pattern", declared.get("regex"))
    if pattern is not None:
        return _matching(field, str(pattern), declared, n)
    if field.value_type is not None:
        return _value_type_sample(field, n)
    kind = field.kind
    if kind in INTEGER_TYPES or kind is ScalarKind.FLOAT:
        return _number(field, declared, n)
    if kind in (ScalarKind.STRING, ScalarKind.TEXT):
        return _text(field, declared, n)
    if kind is ScalarKind.BOOLEAN:
        return n % 2 == 1
    if kind is ScalarKind.DECIMAL:
        return _decimal(field, n)
    if kind is ScalarKind.DATE:
        return (_START.date() + datetime.timedelta(days=n)).isoformat()
    if kind is ScalarKind.DATETIME:
        moment = (_START + datetime.timedelta(hours=n)).isoformat()
        return moment + "+00:00" if field.timezone else moment
    if kind is ScalarKind.TIME:
        moment = (_START + datetime.timedelta(minutes=n)).time().isoformat()
        return moment + "+00:00" if field.timezone else moment
    if kind is ScalarKind.INTERVAL:
        return f"PT{n + 1}H"
    if kind is ScalarKind.ENUM:
        assert field.enum is not None
        return field.enum.values[n % len(field.enum.values)]
    if kind is ScalarKind.JSON:
        return {"n": n}
    if kind is ScalarKind.UUID:
        return f"00000000-0000-4000-8000-{n + 1:012d}"
    if kind is ScalarKind.BINARY:
        data = f"b{n}".encode()[: field.max_length or None]
        return base64.b64encode(data).decode()
    raise NoSample(f"{field.name}: kind {kind.value}")


def _declared(field: Field) -> dict[str, Any]:
    """The constraints the source declares, as values (`ge=0` -> {"ge": 0})."""
    found: dict[str, Any] = {}
    for declared in field.declared_constraints:
        keyword, _, literal = declared.partition("=")
        try:
            found[keyword.strip()] = ast.literal_eval(literal.strip())
        except (ValueError, SyntaxError):
            found[keyword.strip()] = literal
    return found


def _number(field: Field, declared: dict[str, Any], n: int) -> int | float:
    low = declared.get("ge", declared.get("gt", 0) + 1 if "gt" in declared else 1)
    high = declared.get("le", declared.get("lt", 0) - 1 if "lt" in declared else None)
    value = low + n
    if high is not None and value > high:
        value = high - n if high - n >= low else high
    if field.kind is ScalarKind.FLOAT:
        return float(value) + (0.5 if high is None or value + 0.5 <= high else 0.0)
    return int(value)


def _text(field: Field, declared: dict[str, Any], n: int) -> str:
    limit = min(x for x in (field.max_length, declared.get("max_length"), 10_000) if x)
    shortest = max(int(declared.get("min_length", 1)), 1)
    value = f"{field.name}-{n}"
    if len(value) > limit:
        value = _base36(n).rjust(min(limit, 2), "0")  # still unique, still in order
    if len(value) < shortest:
        value = value + "x" * (shortest - len(value))
    if len(value) > limit:
        raise NoSample(f"{field.name}: no text fits {shortest}..{limit} characters")
    return value


def _matching(field: Field, pattern: str, declared: dict[str, Any], n: int) -> str:
    """A text the declared pattern admits: the first of a few spellings that fits."""
    plain = _text(field, declared, n)
    name = field.name.replace("_", "")
    for candidate in (plain, f"{name.capitalize()}{n}", f"{name}{n}", f"A{n}", f"a{n}", str(n)):
        fits = len(candidate) <= (field.max_length or len(candidate))
        if fits and re.fullmatch(pattern, candidate):
            return candidate
    raise NoSample(f"{field.name}: no sample matches {pattern}")


def _base36(n: int) -> str:
    digits = ""
    while True:
        n, digit = divmod(n, 36)
        digits = _BASE36[digit] + digits
        if n == 0:
            return digits


def _decimal(field: Field, n: int) -> str:
    scale = field.scale or 0
    whole_digits = (field.precision - scale) if field.precision else 10
    if whole_digits >= len(str(n + 1)):
        whole = str(n + 1)
    elif scale > len(str(n + 1)):
        return f"0.{n + 1:0{scale}d}"
    else:
        raise NoSample(f"{field.name}: no decimal fits {field.precision},{field.scale}")
    return f"{whole}.5" if scale else whole


def _value_type_sample(field: Field, n: int) -> Json:
    """Values of the dialect types crudgen knows, by what the API validates them as."""
    assert field.value_type is not None
    annotation = field.value_type.input_annotation or field.value_type.annotation
    if annotation.startswith("list["):
        return []
    if annotation.startswith("dict["):
        return {}
    if "IPvAnyNetwork" in annotation:
        return f"10.{n}.0.0/16"
    if "IPvAny" in annotation:
        return f"10.0.0.{n + 1}"
    if "Decimal" in annotation:
        return f"{n + 1}.50"
    pattern = re.search(r'pattern=r"([^"]*)"', annotation)
    if pattern:  # a MAC address: hex pairs, 6 or 8 of them
        for pairs in (6, 8):
            candidate = ":".join(f"{n + part:02x}" for part in range(pairs))
            if re.fullmatch(pattern.group(1), candidate):
                return candidate
    if annotation == "str":
        return f"{field.name}-{n}"
    raise NoSample(f"{field.name}: {annotation}")


# -- which tests a model gets -------------------------------------------------------------


def model_tests(
    model: Model, samples: dict[str, ModelSamples], models: dict[str, Model]
) -> ModelTests:
    own = samples.get(model.name)
    creatable = own is not None and _reachable(model, samples)
    sent = own.rows[0] if own else {}
    writable = [f for f in model.create_fields if f.name in sent]
    unique = next((f.name for f in writable if f.unique or _single_key(model, f)), None)
    update = next(
        (
            f.name
            for f in model.update_fields
            if f.name in sent and own and own.rows[1][f.name] != sent[f.name]
        ),
        None,
    )
    filters = _one_per_kind(model, writable, lambda f: _has_filter(model, f, "eq"))
    sorts = _one_per_kind(
        model,
        writable,
        lambda f: f in model.sortable_fields and f.kind in _ORDERED_SAMPLES and not f.enum,
    )
    return ModelTests(
        model=model,
        creatable=creatable,
        unique_field=unique,
        update_field=update,
        update_values=(own.rows[1][update], own.rows[2][update]) if own and update else (),
        filters=filters,
        sorts=sorts,
        missing_key=tuple(_missing(f) for f in model.primary_key),
        signs_in=creatable and bool(own and (own.stamped_parents or own.stamped_values)),
        **_hierarchy_tests(model, samples, models),
    )


def _hierarchy_tests(
    model: Model, samples: dict[str, ModelSamples], models: dict[str, Model]
) -> dict[str, Any]:
    """Which classes of its hierarchy the tests of `model` create rows of."""
    if model.discriminator is None:
        return {}
    below = {model.name, *model.subtypes}
    created = [
        name
        for name in hierarchy(model, models)
        if name in samples
        and models[name].identity is not None
        and _reachable(models[name], samples)
    ]
    discriminator = model.field(model.discriminator)
    return {
        "below": tuple(name for name in created if name in below),
        "others": tuple(name for name in created if name not in below),
        "discriminator_filter": _has_filter(model, discriminator, "eq"),
    }


def _single_key(model: Model, field: Field) -> bool:
    return field.primary_key and not model.composite_key


def _has_filter(model: Model, field: Field, operator: str) -> bool:
    return any(p.field.name == field.name and p.operator == operator for p in model.filter_params)


def _one_per_kind(model: Model, fields: list[Field], usable: Any) -> tuple[str, ...]:
    chosen: dict[ScalarKind, str] = {}
    for field in fields:
        if field.kind in UNQUERYABLE_KINDS or field.value_type is not None:
            continue
        if field.kind not in chosen and usable(field):
            chosen[field.kind] = field.name
    return tuple(chosen.values())


def _missing(field: Field) -> Json:
    """A key value no row the tests create has."""
    if field.kind in INTEGER_TYPES:
        return 32_000 if field.kind is ScalarKind.SMALL_INTEGER else 999_999
    if field.kind is ScalarKind.UUID:
        return "00000000-0000-4000-8000-999999999999"
    if field.kind in (ScalarKind.STRING, ScalarKind.TEXT):
        return "missing"[: field.max_length or None]
    return sample_value(field, 99)


def _reachable(model: Model, samples: dict[str, ModelSamples]) -> bool:
    """Every parent it needs can be created, without a cycle."""
    seen: set[str] = set()

    def visit(name: str) -> bool:
        if name in seen:
            return False  # a cycle of required references: no first row
        found = samples.get(name)
        if found is None:
            return False
        seen.add(name)
        links = (*found.parents, *found.stamped_parents)
        ok = all(visit(link.parent) for link in links)
        seen.discard(name)
        return ok

    return visit(model.name)


def surrounding(whole: dict[str, Json], part: dict[str, Json]) -> tuple[dict[str, Json], ...]:
    """The items of `whole` before and after `part` when `whole` holds `part`'s items
    together and in order (a read example holds the write example between its key and
    its server-set fields, so it can spread the write example); () when it does not."""
    keys, inner = list(whole), list(part)
    if not inner or len(inner) >= len(keys):
        return ()
    for start in range(len(keys) - len(inner) + 1):
        if keys[start : start + len(inner)] == inner:
            if any(whole[key] != part[key] for key in inner):
                return ()
            before = {key: whole[key] for key in keys[:start]}
            after = {key: whole[key] for key in keys[start + len(inner) :]}
            return (before, after)
    return ()
