"""What a SQLAlchemy column holds, as the API types it: a ScalarKind and, where the kind is
not enough, a ValueType (crudgen.ir).

Types are recognised in this order:
1. `[tool.crudgen.type_map]` naming the column type's own class: it wins over anything.
2. Dialect types that need more than a kind (addresses, arrays, HSTORE, MONEY, ...).
3. TypeDecorators, by what they hold (their `python_type`, else the attribute's
   `Mapped[...]` annotation), not by how they store it.
4. The portable types SQLAlchemy defines (`_KIND_BY_TYPE`), then MutableDict / MutableList.
5. `[tool.crudgen.type_map]` entries naming a base class, for types crudgen does not know.
"""

from __future__ import annotations

import datetime
import decimal
import importlib
import types as pytypes
import typing
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Union

import sqlalchemy as sa
from sqlalchemy.dialects import mysql, postgresql

from crudgen.errors import ConfigError
from crudgen.ir import EnumSpec, Field, Import, ScalarKind, ValueType


@dataclass(frozen=True)
class ColumnType:
    kind: ScalarKind
    value_type: ValueType | None = None
    read_only: bool = False  # the database computes it (TSVECTOR): never accepted as input
    type_: sa.types.TypeEngine[Any] | None = None  # the type constraints are read from
    # Bounds the database sets beyond the kind's, as pydantic `Field(...)` keywords: a
    # YEAR stores 1 as 2001, so a request may only name 1901..2155.
    constraints: tuple[str, ...] = ()


# Order matters: subclasses before their bases (Enum is a String, Float a Numeric, ...).
_KIND_BY_TYPE: tuple[tuple[type, ScalarKind], ...] = (
    (sa.Boolean, ScalarKind.BOOLEAN),
    (sa.Enum, ScalarKind.ENUM),
    (sa.Text, ScalarKind.TEXT),
    (sa.String, ScalarKind.STRING),
    (sa.SmallInteger, ScalarKind.SMALL_INTEGER),
    (sa.BigInteger, ScalarKind.BIG_INTEGER),
    (sa.Integer, ScalarKind.INTEGER),
    (sa.Float, ScalarKind.FLOAT),
    (sa.Numeric, ScalarKind.DECIMAL),
    (sa.DateTime, ScalarKind.DATETIME),
    (sa.Date, ScalarKind.DATE),
    (sa.Time, ScalarKind.TIME),
    (sa.Interval, ScalarKind.INTERVAL),
    (postgresql.INTERVAL, ScalarKind.INTERVAL),
    (sa.JSON, ScalarKind.JSON),
    (sa.Uuid, ScalarKind.UUID),
    (sa.LargeBinary, ScalarKind.BINARY),
)

# Kinds a type_map entry may name; an enum needs its values, which only sa.Enum carries.
MAPPABLE_KINDS = tuple(kind.value for kind in ScalarKind if kind is not ScalarKind.ENUM)


def column_type(
    column_type: sa.types.TypeEngine[Any],
    *,
    annotation: object,
    mutable: type | None,
    types: TypeMap,
) -> ColumnType | None:
    """The column's kind and value type, or None when crudgen cannot tell what it holds.

    annotation: the Python type inside the attribute's `Mapped[...]` (None without one).
    mutable: the sqlalchemy.ext.mutable class tracking the attribute, if any.
    """
    configured = types.exact_kind_of(column_type)
    if configured is not None:
        return ColumnType(configured, type_=column_type)
    found = (
        _dialect_type(column_type)
        or _decorated_type(column_type, annotation, types)
        or _known_type(column_type)
    )
    if found is None:
        mapped = types.kind_of(column_type) or types.kind_of(_unwrap(column_type))
        return ColumnType(mapped, type_=column_type) if mapped is not None else None
    if found.kind is ScalarKind.JSON and found.value_type is None and mutable is not None:
        return ColumnType(ScalarKind.JSON, _mutable_json(mutable), type_=found.type_)
    return found


def _unwrap(column_type: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    while isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    return column_type


def _is_builtin(column_type: sa.types.TypeEngine[Any]) -> bool:
    return type(column_type).__module__.startswith("sqlalchemy.")


def _known_type(column_type: sa.types.TypeEngine[Any]) -> ColumnType | None:
    # Built-in decorators (Interval, PickleType) are matched as themselves, not as their impl.
    candidates = (column_type,) if _is_builtin(column_type) else (column_type, _unwrap(column_type))
    for candidate in candidates:
        if isinstance(candidate, sa.PickleType):
            return None  # arbitrary pickled objects have no JSON form
        for sa_type, kind in _KIND_BY_TYPE:
            if isinstance(candidate, sa_type):
                if kind is ScalarKind.DECIMAL and not getattr(candidate, "asdecimal", True):
                    kind = ScalarKind.FLOAT
                return ColumnType(kind, type_=candidate)
    return None


def enum_spec_of(column_type: sa.types.TypeEngine[Any] | None) -> EnumSpec:
    assert isinstance(column_type, sa.Enum)
    enum_class = column_type.enum_class
    if enum_class is not None:
        return EnumSpec(
            values=tuple(str(member.value) for member in enum_class),
            class_name=enum_class.__name__,
            module=enum_class.__module__,
        )
    return EnumSpec(values=tuple(column_type.enums))


# -- dialect types --------------------------------------------------------------------------

_ANNOTATED = Import("typing", "Annotated")
_SERIALIZER = Import("pydantic", "PlainSerializer")


def _as_text(checked_by: str) -> ValueType:
    """Returned as text (asyncpg reads `ipaddress` objects, other drivers text); a request
    value is checked by pydantic's `checked_by` type and handed to the database as text."""
    return ValueType(
        annotation="Annotated[str, BeforeValidator(str)]",
        imports=(_ANNOTATED, Import("pydantic", "BeforeValidator")),
        input_annotation=f"Annotated[{checked_by}, PlainSerializer(str, return_type=str)]",
        input_imports=(_ANNOTATED, _SERIALIZER, Import("pydantic", checked_by)),
    )


def _mac_address(pairs: int) -> ValueType:
    # Hex pairs, each optionally followed by one of the separators PostgreSQL accepts.
    pattern = rf"^(?:[0-9A-Fa-f]{{2}}[:.-]?){{{pairs - 1}}}[0-9A-Fa-f]{{2}}$"
    return ValueType(
        annotation="str",
        input_annotation=f'Annotated[str, StringConstraints(pattern=r"{pattern}")]',
        input_imports=(_ANNOTATED, Import("pydantic", "StringConstraints")),
    )


_MONEY = ValueType(
    annotation="str",  # asyncpg returns PostgreSQL's text: "$1,234.50"
    input_annotation="Annotated[Decimal, PlainSerializer(str, return_type=str)]",
    input_imports=(_ANNOTATED, _SERIALIZER, Import("decimal", "Decimal")),
)
_HSTORE = ValueType(annotation="dict[str, str | None]")


def _dialect_type(column_type: sa.types.TypeEngine[Any]) -> ColumnType | None:
    """PostgreSQL and MySQL types whose values are not those of a portable kind."""
    if isinstance(column_type, postgresql.INET):
        return ColumnType(ScalarKind.STRING, _as_text("IPvAnyInterface"), type_=column_type)
    if isinstance(column_type, postgresql.CIDR):
        return ColumnType(ScalarKind.STRING, _as_text("IPvAnyNetwork"), type_=column_type)
    if isinstance(column_type, postgresql.MACADDR8):
        return ColumnType(ScalarKind.STRING, _mac_address(8), type_=column_type)
    if isinstance(column_type, postgresql.MACADDR):
        return ColumnType(ScalarKind.STRING, _mac_address(6), type_=column_type)
    if isinstance(column_type, postgresql.MONEY):
        return ColumnType(ScalarKind.STRING, _MONEY, type_=column_type)
    if isinstance(column_type, postgresql.HSTORE):
        return ColumnType(ScalarKind.JSON, _HSTORE, type_=column_type)
    if isinstance(column_type, postgresql.TSVECTOR):
        return ColumnType(ScalarKind.TEXT, ValueType("str"), read_only=True, type_=column_type)
    if isinstance(column_type, sa.ARRAY):
        return _array(column_type)
    if isinstance(column_type, mysql.SET):
        return _mysql_set(column_type)
    if isinstance(column_type, mysql.YEAR):
        return ColumnType(
            ScalarKind.SMALL_INTEGER, type_=column_type, constraints=("ge=1901", "le=2155")
        )
    return None


def _array(column_type: sa.ARRAY[Any]) -> ColumnType | None:
    """`ARRAY(T)` is a list of T's values (one dimension); stored whole, so not filtered."""
    element = _dialect_type(column_type.item_type) or _known_type(column_type.item_type)
    multidimensional = column_type.dimensions not in (None, 1)
    if element is None or element.kind is ScalarKind.JSON or multidimensional:
        return None
    item = _element_field(element)
    value_type = ValueType(
        annotation=f"list[{item.python_type}]",
        imports=item.type_imports,
        input_annotation=f"list[{item.input_type}]",
        input_imports=item.input_imports,
    )
    return ColumnType(ScalarKind.JSON, value_type, type_=column_type)


def _element_field(element: ColumnType) -> Field:
    """An item of a list, typed like a column of its own (bounds and imports included)."""
    enum_spec = enum_spec_of(element.type_) if element.kind is ScalarKind.ENUM else None
    return Field(
        name="item",
        column="item",
        kind=element.kind,
        nullable=False,
        enum=enum_spec,
        value_type=element.value_type,
        timezone=bool(getattr(element.type_, "timezone", False)),
    )


def _mysql_set(column_type: mysql.SET) -> ColumnType:
    """A SET reads back as a Python set of its values; the API sends and gets a list."""
    choices = ", ".join(f'"{value}"' for value in column_type.values)
    value_type = ValueType(
        annotation=f"list[Literal[{choices}]]", imports=(Import("typing", "Literal"),)
    )
    return ColumnType(ScalarKind.JSON, value_type, type_=column_type)


# -- TypeDecorators ---------------------------------------------------------------------------


def _decorated_type(
    column_type: sa.types.TypeEngine[Any], annotation: object, types: TypeMap
) -> ColumnType | None:
    """A user's TypeDecorator, typed by what it holds when that differs from its impl."""
    if not isinstance(column_type, sa.types.TypeDecorator) or _is_builtin(column_type):
        return None
    held = _held_python_type(column_type)
    if held is None or typing.get_origin(annotation) is held:
        held = annotation  # also when it says more: `list[str]` where python_type is `list`
    if held is None:
        return None
    origin = typing.get_origin(held) or held
    stored = _unwrap(column_type)
    if origin is uuid.UUID:
        return ColumnType(ScalarKind.UUID, type_=stored)
    if origin in (list, set, frozenset, tuple):
        if origin is held and isinstance(stored, sa.String):
            held = list[str]  # a bare list kept in text: the recipes keep strings
        return ColumnType(ScalarKind.JSON, _list_of(held), type_=stored)
    if origin is dict:
        return ColumnType(ScalarKind.JSON, _dict_of(), type_=stored)
    return None  # it holds what its impl holds: typed by the impl


def _held_python_type(column_type: sa.types.TypeDecorator[Any]) -> object:
    """The decorator's own `python_type`; None when it does not say (SQLAlchemy 2.0 raises
    NotImplementedError, 2.1 answers `object`)."""
    try:
        held: object = column_type.python_type
    except NotImplementedError:
        return None
    return None if held is object else held


_ELEMENT_KINDS: dict[object, ScalarKind] = {
    str: ScalarKind.STRING,
    int: ScalarKind.BIG_INTEGER,  # any Python int; the database bounds a list's items
    float: ScalarKind.FLOAT,
    bool: ScalarKind.BOOLEAN,
    decimal.Decimal: ScalarKind.DECIMAL,
    uuid.UUID: ScalarKind.UUID,
    datetime.date: ScalarKind.DATE,
    datetime.datetime: ScalarKind.DATETIME,
}


def _list_of(held: object) -> ValueType:
    """`list[str]` and friends; a bare `list` holds any JSON value."""
    arguments = typing.get_args(held)
    kind = _ELEMENT_KINDS.get(arguments[0]) if len(arguments) >= 1 else None
    if kind is None:
        return _any_json("list[FiniteJson]", "list[Any]")
    item = Field(name="item", column="item", kind=kind, nullable=False)
    return ValueType(
        annotation=f"list[{item.python_type}]",
        imports=item.type_imports,
        input_annotation=f"list[{item.input_type}]",
        input_imports=item.input_imports,
    )


def _dict_of() -> ValueType:
    return _any_json("dict[str, FiniteJson]", "dict[str, Any]")


def _any_json(input_annotation: str, annotation: str) -> ValueType:
    return ValueType(
        annotation=annotation,
        imports=(Import("typing", "Any"),),
        input_annotation=input_annotation,
        input_imports=(Import("..types", "FiniteJson"),),
    )


def _mutable_json(mutable: type) -> ValueType | None:
    """MutableDict holds objects, MutableList lists: anything else cannot be tracked."""
    from sqlalchemy.ext.mutable import MutableDict, MutableList

    if issubclass(mutable, MutableDict):
        return _dict_of()
    if issubclass(mutable, MutableList):
        return _list_of(list)
    return None


def unwrap_optional(annotation: object) -> object:
    """`X | None` -> X; anything else unchanged."""
    if typing.get_origin(annotation) in (Union, pytypes.UnionType):
        rest = [a for a in typing.get_args(annotation) if a is not type(None)]
        return rest[0] if len(rest) == 1 else annotation
    return annotation


# -- [tool.crudgen.type_map] ------------------------------------------------------------------


@dataclass(frozen=True)
class TypeMap:
    """`[tool.crudgen.type_map]`: column types by class name or by dotted path -> kinds."""

    by_name: Mapping[str, ScalarKind]
    by_class: Mapping[type, ScalarKind]

    @classmethod
    def from_config(cls, entries: Mapping[str, str]) -> TypeMap:
        by_name, by_class = {}, {}
        for key, value in entries.items():
            kind = ScalarKind(value)
            if "." in key:
                by_class[_import_type(key)] = kind
            else:
                by_name[key] = kind
        return cls(by_name, by_class)

    def exact_kind_of(self, column_type: sa.types.TypeEngine[Any]) -> ScalarKind | None:
        """An entry naming the type's own class: it overrides what crudgen would choose."""
        klass = type(column_type)
        return self.by_class.get(klass) or self.by_name.get(klass.__name__)

    def kind_of(self, column_type: sa.types.TypeEngine[Any]) -> ScalarKind | None:
        """The kind configured for the type's class or its nearest configured base class."""
        for klass in type(column_type).__mro__:
            kind = self.by_class.get(klass) or self.by_name.get(klass.__name__)
            if kind is not None:
                return kind
        return None


def _import_type(dotted: str) -> type:
    module_name, _, name = dotted.rpartition(".")
    try:
        found = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as error:
        raise ConfigError(
            f"[tool.crudgen.type_map]: cannot import {dotted} ({error})",
            hint="name the type by its class name, or by a dotted path Python can import",
        ) from error
    if not isinstance(found, type):
        raise ConfigError(
            f"[tool.crudgen.type_map]: {dotted} is not a class",
            hint="name a SQLAlchemy type class (a TypeEngine subclass)",
        )
    return found


# -- hints for types crudgen does not know ----------------------------------------------------

# Python types a type_map kind is known to carry faithfully, both ways. A list or a dict is
# not among them: mapping a type that holds one to "json" lets through values the column
# cannot store (an object into an array), so no kind is suggested for those.
_SUGGESTED_KIND: dict[object, ScalarKind] = {
    bool: ScalarKind.BOOLEAN,
    int: ScalarKind.INTEGER,
    float: ScalarKind.FLOAT,
    decimal.Decimal: ScalarKind.DECIMAL,
    str: ScalarKind.STRING,
    bytes: ScalarKind.BINARY,
    datetime.datetime: ScalarKind.DATETIME,
    datetime.date: ScalarKind.DATE,
    datetime.time: ScalarKind.TIME,
    datetime.timedelta: ScalarKind.INTERVAL,
    uuid.UUID: ScalarKind.UUID,
}


def suggested_kind(column_type: sa.types.TypeEngine[Any]) -> ScalarKind | None:
    """The kind the type's values are, when its python_type says; None when it does not."""
    try:
        python_type: object = column_type.python_type
    except NotImplementedError:
        return None
    return _SUGGESTED_KIND.get(python_type)
