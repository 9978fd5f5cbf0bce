"""Check what a YAML spec's values mean together, reporting every problem at once.

The shape is checked already (crudgen.sources.spec_document); here: names make classes,
modules and tables that do not clash, options suit their types, foreign keys name real
unique columns, relationships find their keys and mirror each other.
"""

from __future__ import annotations

import decimal
import keyword
from dataclasses import dataclass, field
from typing import Any

from crudgen.errors import Problem, SpecError
from crudgen.ir import RESERVED_KEY_NAMES, RelationKind, ScalarKind
from crudgen.naming import pluralize, snake_case
from crudgen.sources.spec_document import HINT, Document, KeyPath, in_file_order
from crudgen.sources.spec_model import FieldSpec, ModelSpec, RelationshipSpec, Spec

INTEGER_KINDS = {ScalarKind.SMALL_INTEGER, ScalarKind.INTEGER, ScalarKind.BIG_INTEGER}
_LENGTH_KINDS = {ScalarKind.STRING, ScalarKind.TEXT, ScalarKind.BINARY}
_TIMEZONE_KINDS = {ScalarKind.DATETIME, ScalarKind.TIME}
_TEXT_KINDS = {ScalarKind.STRING, ScalarKind.TEXT, ScalarKind.ENUM}
# `default:` words computed in Python, and `server_default: now`, by type.
FACTORIES = {ScalarKind.DATETIME: "now", ScalarKind.DATE: "today", ScalarKind.UUID: "uuid4"}
_SERVER_NOW_KINDS = {ScalarKind.DATETIME, ScalarKind.DATE, ScalarKind.TIME}
# Types whose `default:` / `server_default:` may be a constant written in the spec.
_LITERAL_KINDS = {
    *INTEGER_KINDS,
    *_TEXT_KINDS,
    ScalarKind.BOOLEAN,
    ScalarKind.FLOAT,
    ScalarKind.DECIMAL,
}
# The names templates/models.py.j2 binds at module level (its base class and imports): no
# model or association table may take one.
BASE_CLASS = "Base"
RESERVED_NAMES = frozenset(
    (
        "BigInteger Column DateTime Enum ForeignKey Integer JSON LargeBinary Numeric SmallInteger "
        "String Table Text Time false func text true DeclarativeBase Mapped mapped_column "
        "relationship datetime uuid Decimal Any annotations"
    ).split()
)
# Attribute names SQLAlchemy's declarative base keeps for itself.
_DECLARATIVE_NAMES = {"metadata", "registry"}


@dataclass
class Resolved:
    """What checking worked out: each relationship's foreign-key fields and model tables."""

    tables: dict[str, str] = field(default_factory=dict)  # model -> table
    # (model, relationship) -> the foreign-key fields it joins on: the owner's for
    # many_to_one, the target's for one_to_many / one_to_one, none for many_to_many.
    fk_fields: dict[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)


class _Checker:
    def __init__(self, spec: Spec, document: Document) -> None:
        self.spec = spec
        self.document = document
        self.problems: list[Problem] = []
        self.resolved = Resolved()

    def report(self, path: KeyPath, message: str, *, at_key: bool = False) -> None:
        self.problems.append(self.document.problem(path, message, at_key=at_key))

    def run(self) -> Resolved:
        self._check_names()
        for name, model in self.spec.models.items():
            self._check_model(name, model)
        for name, model in self.spec.models.items():
            for field_name, spec_field in model.fields.items():
                self._check_foreign_key(name, field_name, spec_field)
            for rel_name, rel in model.relationships.items():
                self._check_relationship(name, rel_name, rel)
        self._check_association_tables()
        return self.resolved

    # models and tables

    def _check_names(self) -> None:
        modules: dict[str, str] = {}
        tables: dict[str, str] = {}
        for name, model in self.spec.models.items():
            path = ("models", name)
            if not name.isidentifier() or keyword.iskeyword(name) or not name[0].isupper():
                self.report(path, "a model name must be a class name (`OrderItem`)", at_key=True)
            elif name in RESERVED_NAMES or name == BASE_CLASS:
                self.report(
                    path, f"{name} is a name models.py imports; rename the model", at_key=True
                )
            module = snake_case(name)
            if module in modules:
                self.report(
                    path,
                    f"{name} and {modules[module]} would generate the same modules ({module}.py)",
                    at_key=True,
                )
            modules.setdefault(module, name)
            table = model.table or pluralize(snake_case(name))
            if table in tables:
                where = ("models", name, "table") if model.table else path
                self.report(where, f"table {table!r} is also {tables[table]}'s; name another")
            tables.setdefault(table, name)
            self.resolved.tables[name] = table

    def _check_model(self, name: str, model: ModelSpec) -> None:
        path = ("models", name)
        if not any(f.primary_key for f in model.fields.values()):
            message = "no primary key; mark a field `primary_key: true`"
            self.report((*path, "fields"), message, at_key=True)
        columns: dict[str, str] = {}
        for field_name, spec_field in model.fields.items():
            where = (*path, "fields", field_name)
            self._check_attribute_name(where, field_name)
            if spec_field.primary_key and field_name in RESERVED_KEY_NAMES:
                self.report(
                    where,
                    f"a primary key named {field_name!r} would shadow a name of the generated "
                    f"code; name the field {field_name}_id and keep the column: "
                    f"`column: {field_name}`",
                    at_key=True,
                )
            column = spec_field.column or field_name
            if column in columns:
                self.report(where, f"column {column!r} is also field {columns[column]}'s")
            columns.setdefault(column, field_name)
            self._check_field(where, spec_field)
        for rel_name in model.relationships:
            where = (*path, "relationships", rel_name)
            self._check_attribute_name(where, rel_name)
            if rel_name in model.fields:
                self.report(where, f"{rel_name} is a field of {name} already", at_key=True)

    def _check_attribute_name(self, path: KeyPath, name: str) -> None:
        if not name.isidentifier() or keyword.iskeyword(name) or name.startswith("_"):
            self.report(path, f"{name!r} is not a usable attribute name", at_key=True)
        elif name in _DECLARATIVE_NAMES:
            self.report(path, f"{name!r} is reserved by SQLAlchemy's declarative base", at_key=True)

    # fields

    def _check_field(self, path: KeyPath, spec_field: FieldSpec) -> None:
        kind = ScalarKind(spec_field.type)
        rules = (
            (spec_field.length is not None and kind not in _LENGTH_KINDS, "length",
             "length applies to string, text and binary fields"),
            (spec_field.precision is not None and kind is not ScalarKind.DECIMAL, "precision",
             "precision applies to decimal fields"),
            (spec_field.scale is not None and kind is not ScalarKind.DECIMAL, "scale",
             "scale applies to decimal fields"),
            (spec_field.timezone and kind not in _TIMEZONE_KINDS, "timezone",
             "timezone applies to datetime and time fields"),
            (spec_field.values is not None and kind is not ScalarKind.ENUM, "values",
             "values apply to enum fields"),
            (spec_field.values is None and kind is ScalarKind.ENUM, "type",
             "an enum field needs `values: [...]`"),
            (spec_field.primary_key and spec_field.nullable, "nullable",
             "a primary key cannot be nullable"),
            (spec_field.on_update is not None and kind is not ScalarKind.DATETIME, "on_update",
             "on_update applies to datetime fields"),
            (spec_field.on_delete is not None and spec_field.foreign_key is None, "on_delete",
             "on_delete needs a foreign_key"),
            (spec_field.on_delete == "set null" and not spec_field.nullable, "on_delete",
             "`set null` needs a nullable field"),
            (spec_field.default is not None and spec_field.server_default is not None, "default",
             "give default or server_default, not both"),
        )  # fmt: skip
        for broken, key, message in rules:
            if broken:
                self.report((*path, key), message)
        if kind is ScalarKind.DECIMAL and spec_field.scale is not None:
            if spec_field.precision is None or spec_field.scale > spec_field.precision:
                self.report((*path, "scale"), "scale needs a precision at least as large")
        if spec_field.values is not None and len(set(spec_field.values)) < len(spec_field.values):
            self.report((*path, "values"), "values must differ from each other")
        if spec_field.default is not None:
            self._check_default(path, "default", spec_field, kind)
        if spec_field.server_default is not None:
            self._check_default(path, "server_default", spec_field, kind)

    def _check_default(
        self, path: KeyPath, key: str, spec_field: FieldSpec, kind: ScalarKind
    ) -> None:
        value = getattr(spec_field, key)
        if key == "default" and value == FACTORIES.get(kind):
            return
        if key == "server_default" and value == "now" and kind in _SERVER_NOW_KINDS:
            return
        if kind not in _LITERAL_KINDS:
            words = {
                "default": f"`{FACTORIES[kind]}`" if kind in FACTORIES else None,
                "server_default": "`now`" if kind in _SERVER_NOW_KINDS else None,
            }
            allowed = words[key]
            self.report(
                (*path, key),
                f"a {kind.value} field takes {allowed} here"
                if allowed
                else f"a {kind.value} field cannot have a {key}",
            )
            return
        problem = literal_problem(kind, value, spec_field)
        if problem:
            self.report((*path, key), problem)

    def _check_foreign_key(self, model_name: str, field_name: str, spec_field: FieldSpec) -> None:
        if spec_field.foreign_key is None:
            return
        path = ("models", model_name, "fields", field_name, "foreign_key")
        table, column = spec_field.foreign_key.split(".")
        target = self._model_of_table(table)
        if target is None:
            known = ", ".join(sorted(self.resolved.tables.values()))
            self.report(path, f"no model has table {table!r}; the tables are: {known}")
            return
        target_field = self._field_of_column(target, column)
        if target_field is None:
            self.report(path, f"table {table!r} ({target}) has no column {column!r}")
            return
        referenced = self.spec.models[target].fields[target_field]
        single_key = [f.primary_key for f in self.spec.models[target].fields.values()].count(True)
        if not (referenced.unique or (referenced.primary_key and single_key == 1)):
            self.report(path, f"{target}.{target_field} must be unique or the primary key")
        mine, theirs = ScalarKind(spec_field.type), ScalarKind(referenced.type)
        if mine != theirs and not {mine, theirs} <= INTEGER_KINDS:
            self.report(
                path, f"{target}.{target_field} is {theirs.value}; this field is {mine.value}"
            )

    def _model_of_table(self, table: str) -> str | None:
        return next((m for m, t in self.resolved.tables.items() if t == table), None)

    def _field_of_column(self, model: str, column: str) -> str | None:
        fields = self.spec.models[model].fields
        return next((n for n, f in fields.items() if (f.column or n) == column), None)

    # relationships

    def _check_relationship(self, owner: str, name: str, rel: RelationshipSpec) -> None:
        path = ("models", owner, "relationships", name)
        if rel.target not in self.spec.models:
            known = ", ".join(self.spec.models)
            self.report((*path, "target"), f"no model {rel.target!r}; the models are: {known}")
            return
        kind = RelationKind(rel.kind)
        if kind is RelationKind.MANY_TO_MANY:
            self._check_many_to_many(owner, path, rel)
        else:
            if rel.secondary is not None:
                self.report((*path, "secondary"), "secondary applies to many_to_many")
            holder, referenced = (owner, rel.target)
            if kind is not RelationKind.MANY_TO_ONE:
                holder, referenced = rel.target, owner
            keys = self._join_fields(path, holder, referenced, rel.fields)
            if keys:
                self.resolved.fk_fields[(owner, name)] = keys
        if rel.back_populates is not None:
            self._check_back_populates(owner, name, path, rel)

    def _join_fields(
        self, path: KeyPath, holder: str, referenced: str, named: list[str] | None
    ) -> tuple[str, ...]:
        """The holder's foreign-key fields to the referenced model's table."""
        table = self.resolved.tables[referenced]
        fields = self.spec.models[holder].fields
        pointing = [n for n, f in fields.items() if _fk_table(f) == table]
        if named is not None:
            wrong = [n for n in named if n not in pointing]
            if wrong:
                self.report(
                    (*path, "fields"),
                    f"{', '.join(wrong)}: not a foreign key of {holder} to {table!r}; "
                    f"those are: {', '.join(pointing) or 'none'}",
                )
                return ()
            return tuple(named)
        if not pointing:
            self.report(
                path,
                f"{holder} has no foreign_key to {table!r}; add one (a field with "
                f"`foreign_key: {table}.<column>`)",
            )
            return ()
        columns = [fields[n].foreign_key for n in pointing]
        if len(set(columns)) < len(columns):
            self.report(
                path,
                f"{holder} refers to {table!r} more than once ({', '.join(pointing)}); "
                "say which with `fields: [...]`",
            )
            return ()
        return tuple(pointing)

    def _check_many_to_many(self, owner: str, path: KeyPath, rel: RelationshipSpec) -> None:
        if rel.secondary is None:
            self.report(path, "many_to_many needs `secondary: <association table name>`")
        if rel.fields is not None:
            self.report((*path, "fields"), "fields does not apply to many_to_many")
        if rel.target == owner:
            self.report(path, "a many_to_many of a model with itself is not supported yet")
        for model in {owner, rel.target}:
            keys = [f for f in self.spec.models[model].fields.values() if f.primary_key]
            if len(keys) > 1:
                self.report(
                    path, f"many_to_many needs a single-field primary key; {model} has more"
                )

    def _check_back_populates(
        self, owner: str, name: str, path: KeyPath, rel: RelationshipSpec
    ) -> None:
        where = (*path, "back_populates")
        other = self.spec.models[rel.target].relationships.get(rel.back_populates or "")
        if other is None:
            self.report(where, f"{rel.target} has no relationship {rel.back_populates!r}")
            return
        if other.target != owner or other.back_populates != name:
            self.report(
                where,
                f"{rel.target}.{rel.back_populates} must have target {owner} and "
                f"back_populates {name}",
            )
            return
        inverse = {
            "many_to_one": {"one_to_many", "one_to_one"},
            "one_to_many": {"many_to_one"},
            "one_to_one": {"many_to_one"},
            "many_to_many": {"many_to_many"},
        }
        if other.kind not in inverse[rel.kind]:
            self.report(where, f"{rel.target}.{rel.back_populates} is {other.kind}; a {rel.kind} "
                        f"mirrors {' or '.join(sorted(inverse[rel.kind]))}")  # fmt: skip
        elif rel.kind == "many_to_many" and other.secondary != rel.secondary:
            self.report(where, f"{rel.target}.{rel.back_populates} uses another secondary table")

    def _check_association_tables(self) -> None:
        pairs: dict[str, set[str]] = {}
        for owner, model in self.spec.models.items():
            for name, rel in model.relationships.items():
                if rel.kind != "many_to_many" or rel.secondary is None:
                    continue
                path = ("models", owner, "relationships", name, "secondary")
                if rel.secondary in self.resolved.tables.values():
                    self.report(path, f"{rel.secondary!r} is a model's table; name another")
                elif rel.secondary in RESERVED_NAMES or rel.secondary in self.spec.models:
                    self.report(path, f"{rel.secondary!r} is a name models.py uses; name another")
                pair = {owner, rel.target}
                if pairs.setdefault(rel.secondary, pair) != pair:
                    self.report(path, f"{rel.secondary!r} links other models already")


def check(spec: Spec, document: Document) -> Resolved:
    checker = _Checker(spec, document)
    resolved = checker.run()
    if checker.problems:
        raise SpecError(in_file_order(checker.problems), hint=HINT)
    return resolved


def _fk_table(spec_field: FieldSpec) -> str | None:
    return spec_field.foreign_key.split(".")[0] if spec_field.foreign_key else None


def literal_problem(kind: ScalarKind, value: Any, spec_field: FieldSpec) -> str | None:
    """Why `value` cannot be a constant of this field, or None when it can."""
    if kind is ScalarKind.BOOLEAN:
        return None if isinstance(value, bool) else "expected true or false"
    if kind in INTEGER_KINDS:
        ok = isinstance(value, int) and not isinstance(value, bool)
        return None if ok else "expected a whole number"
    if kind is ScalarKind.FLOAT:
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if ok else "expected a number"
    if kind is ScalarKind.DECIMAL:
        return None if decimal_value(value) is not None else "expected a decimal number"
    if not isinstance(value, str):
        return "expected a string"
    if kind is ScalarKind.ENUM and value not in (spec_field.values or ()):
        return f"{value!r} is not one of the values: {', '.join(spec_field.values or ())}"
    if spec_field.length is not None and len(value) > spec_field.length:
        return f"longer than the field's length ({spec_field.length})"
    return None


def decimal_value(value: Any) -> decimal.Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return None
    try:
        number = decimal.Decimal(str(value))
    except decimal.InvalidOperation:
        return None
    return number if number.is_finite() else None
