"""The SQLAlchemy code of the models.py crudgen writes for a YAML spec.

A YAML-only project has no models, so the generated package declares them itself, in the
2.0 declarative style (`Mapped[...]` annotations, `mapped_column`, `relationship`). Type
expressions and call arguments are decided here; templates/models.py.j2 lays them out.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from crudgen.ir import DefaultKind, Field, Import, ScalarKind
from crudgen.naming import snake_case

if TYPE_CHECKING:
    from crudgen.ir import Project
    from crudgen.sources.spec_model import FieldSpec, RelationshipSpec, Spec

BASE_CLASS = "Base"

_SQLALCHEMY_NAMES = (
    "BigInteger Column DateTime Enum ForeignKey Integer JSON LargeBinary Numeric SmallInteger "
    "String Table Text Time false func text true"
).split()
_ORM_NAMES = ("DeclarativeBase", "Mapped", "mapped_column", "relationship")
# Names models.py may bind at module level: no model or association table may take one.
RESERVED_NAMES = frozenset(
    [*_SQLALCHEMY_NAMES, *_ORM_NAMES, "datetime", "uuid", "Decimal", "Any", "annotations"]
)

_ANNOTATION = {
    ScalarKind.INTEGER: "int",
    ScalarKind.BIG_INTEGER: "int",
    ScalarKind.SMALL_INTEGER: "int",
    ScalarKind.STRING: "str",
    ScalarKind.TEXT: "str",
    ScalarKind.ENUM: "str",
    ScalarKind.BOOLEAN: "bool",
    ScalarKind.DECIMAL: "Decimal",
    ScalarKind.FLOAT: "float",
    ScalarKind.DATE: "datetime.date",
    ScalarKind.DATETIME: "datetime.datetime",
    ScalarKind.TIME: "datetime.time",
    ScalarKind.INTERVAL: "datetime.timedelta",
    ScalarKind.JSON: "Any",
    ScalarKind.UUID: "uuid.UUID",
    ScalarKind.BINARY: "bytes",
}
_ANNOTATION_IMPORTS = {
    "Decimal": Import("decimal", "Decimal"),
    "Any": Import("typing", "Any"),
    "datetime": Import("datetime"),
    "uuid": Import("uuid"),
}
# Python-side defaults named in the spec (`default: today`), by kind; datetime's `now` below.
_FACTORY_CODE = {
    ScalarKind.DATE: "datetime.date.today",
    ScalarKind.UUID: "uuid.uuid4",
}
_SERVER_NOW = {
    ScalarKind.DATETIME: "func.now()",
    ScalarKind.DATE: "func.current_date()",
    ScalarKind.TIME: "func.current_time()",
}
_INTEGER_TYPES = {ScalarKind.BIG_INTEGER: "BigInteger", ScalarKind.SMALL_INTEGER: "SmallInteger"}


@dataclass(frozen=True)
class Attribute:
    """`name: Mapped[annotation] = call(arguments)`, one line of a class body."""

    name: str
    annotation: str
    call: str  # mapped_column or relationship
    arguments: tuple[str, ...]

    @property
    def statement(self) -> str:
        declaration = f"{self.name}: Mapped[{self.annotation}]"
        if self.call == "mapped_column" and not self.arguments:
            return declaration  # the annotation says it all
        return f"{declaration} = {self.call}({', '.join(self.arguments)})"


@dataclass(frozen=True)
class ClassCode:
    name: str
    table: str
    docstring: str | None  # the literal, quotes included
    columns: tuple[Attribute, ...]
    relationships: tuple[Attribute, ...]


@dataclass(frozen=True)
class AssociationTable:
    """The table behind a many_to_many: a composite key of two foreign keys."""

    name: str
    columns: tuple[str, ...]  # `Column(...)` expressions


@dataclass(frozen=True)
class ModelsModule:
    """What templates/models.py.j2 renders."""

    base: str
    classes: tuple[ClassCode, ...]
    association_tables: tuple[AssociationTable, ...]
    imports: tuple[Import, ...]


class _Imports:
    def __init__(self) -> None:
        self.found: set[Import] = {
            Import("sqlalchemy.orm", name) for name in ("DeclarativeBase", "Mapped")
        }

    def sqlalchemy(self, *names: str) -> None:
        self.found.update(Import("sqlalchemy", name) for name in names)

    def orm(self, name: str) -> None:
        self.found.add(Import("sqlalchemy.orm", name))

    def for_annotation(self, annotation: str) -> None:
        head = annotation.split(".")[0].split(" ")[0]
        if head in _ANNOTATION_IMPORTS:
            self.found.add(_ANNOTATION_IMPORTS[head])


def declare_models(
    spec: Spec, project: Project, fk_fields: Mapping[tuple[str, str], tuple[str, ...]]
) -> ModelsModule:
    """The models.py of a checked spec; fk_fields: each relationship's join fields."""
    imports = _Imports()
    ir_models = {m.name: m for m in project.models}
    tables = {m.name: m.table for m in project.models}
    classes = tuple(
        ClassCode(
            name=name,
            table=tables[name],
            docstring=docstring(model.description),
            columns=tuple(
                _column(field, model.fields[field.name], tables[name], imports)
                for field in ir_models[name].fields
            ),
            relationships=tuple(
                _relationship(name, rel_name, rel, spec, tables, fk_fields, imports)
                for rel_name, rel in model.relationships.items()
            ),
        )
        for name, model in spec.models.items()
    )
    associations = tuple(_association_tables(spec, tables, imports))
    return ModelsModule(
        base=BASE_CLASS,
        classes=classes,
        association_tables=associations,
        imports=tuple(sorted(imports.found, key=lambda i: (i.module, i.name))),
    )


def docstring(description: str | None) -> str | None:
    """A docstring literal whose value is `description` (stripped)."""
    if not description or not description.strip():
        return None
    text = description.strip().replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if "\n" in text:
        text += "\n"  # a multi-line docstring closes on a line of its own
    elif text.endswith('"'):
        text = text[:-1] + '\\"'
    return f'"""{text}"""'


# -- columns ---------------------------------------------------------------------------------


def _column(field: Field, spec_field: FieldSpec, table: str, imports: _Imports) -> Attribute:
    kind = field.kind
    annotation = _ANNOTATION[kind]
    imports.for_annotation(annotation)
    if field.nullable and kind is not ScalarKind.JSON:
        annotation += " | None"
    arguments: list[str] = [repr(field.column)] if field.column != field.name else []
    type_code = _type_code(field, spec_field.length, f"{table}_{field.column}")
    if type_code:
        arguments.append(type_code)
        imports.sqlalchemy(*_names_in(type_code))
    if field.foreign_key:
        key = field.foreign_key
        ondelete = f", ondelete={key.ondelete!r}" if key.ondelete else ""
        arguments.append(f"ForeignKey({key.table + '.' + key.column!r}{ondelete})")
        imports.sqlalchemy("ForeignKey")
    arguments += _flags(field, spec_field)
    arguments += _defaults(field, spec_field, imports)
    if field.description:
        arguments.append(f"comment={field.description!r}")
    imports.orm("mapped_column")
    return Attribute(field.name, annotation, "mapped_column", tuple(arguments))


def _type_code(field: Field, length: int | None, enum_name: str) -> str:
    """The column type, where the annotation alone would not give it."""
    kind = field.kind
    if kind in _INTEGER_TYPES:
        serial = field.primary_key and field.generated and field.default.kind is DefaultKind.NONE
        # SQLite numbers only an INTEGER key by itself: the same column is INTEGER there.
        variant = '().with_variant(Integer(), "sqlite")' if serial else ""
        return _INTEGER_TYPES[kind] + variant
    if kind is ScalarKind.STRING:
        return f"String({length})" if length else ""
    if kind is ScalarKind.TEXT:
        # PostgreSQL's TEXT takes no length (the API checks it there, as max_length).
        return f'Text({length}).with_variant(Text(), "postgresql")' if length else "Text"
    if kind is ScalarKind.BINARY:
        return f"LargeBinary({length})" if length else ""
    if kind is ScalarKind.DECIMAL:
        digits = [d for d in (field.precision, field.scale) if d is not None]
        return f"Numeric({', '.join(map(str, digits))})" if digits else ""
    if kind in (ScalarKind.DATETIME, ScalarKind.TIME) and field.timezone:
        return f"{'DateTime' if kind is ScalarKind.DATETIME else 'Time'}(timezone=True)"
    if kind is ScalarKind.ENUM and field.enum is not None:
        values = ", ".join(repr(v) for v in field.enum.values)
        return f"Enum({values}, name={enum_name!r})"
    if kind is ScalarKind.JSON:
        return "JSON"
    return ""


_STRING_LITERAL = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"")


def _names_in(code: str) -> Iterator[str]:
    """The sqlalchemy names an expression uses (outside its string literals)."""
    bare = _STRING_LITERAL.sub("", code)
    return (name for name in _SQLALCHEMY_NAMES if re.search(rf"\b{name}\b", bare))


def _flags(field: Field, spec_field: FieldSpec) -> list[str]:
    flags = ["primary_key=True"] if field.primary_key else []
    if field.kind is ScalarKind.JSON and field.nullable:
        flags.append("nullable=True")  # `Mapped[Any]` says nothing about null
    if field.unique:
        flags.append("unique=True")
    if spec_field.index:
        flags.append("index=True")
    return flags


def _defaults(field: Field, spec_field: FieldSpec, imports: _Imports) -> list[str]:
    arguments = []
    if field.default.kind is DefaultKind.LITERAL:
        literal = field.default.literal or "None"
        arguments.append(f"default={literal}")
        if literal.startswith("Decimal("):
            imports.found.add(_ANNOTATION_IMPORTS["Decimal"])
    elif field.default.kind is DefaultKind.FACTORY:
        arguments.append(f"default={_factory_code(field)}")
    if spec_field.server_default is not None:
        code = _server_default_code(field.kind, spec_field.server_default)
        arguments.append(f"server_default={code}")
        imports.sqlalchemy(*_names_in(code))
    if spec_field.on_update is not None:
        arguments.append("onupdate=func.now()")
        imports.sqlalchemy("func")
    return arguments


def _factory_code(field: Field) -> str:
    if field.kind is not ScalarKind.DATETIME:
        return _FACTORY_CODE[field.kind]
    now = "datetime.datetime.now(datetime.timezone.utc)"
    return f"lambda: {now}" if field.timezone else f"lambda: {now}.replace(tzinfo=None)"


def _server_default_code(kind: ScalarKind, value: Any) -> str:
    if value == "now" and kind in _SERVER_NOW:
        return _SERVER_NOW[kind]
    if isinstance(value, bool):
        return "true()" if value else "false()"
    if isinstance(value, str) and kind is not ScalarKind.DECIMAL:
        return repr(value)
    # A number: SQL text of its own digits, so the database stores the number itself.
    return f'text("{decimal.Decimal(str(value))}")'


# -- relationships ---------------------------------------------------------------------------


def _relationship(
    owner: str,
    name: str,
    rel: RelationshipSpec,
    spec: Spec,
    tables: Mapping[str, str],
    fk_fields: Mapping[tuple[str, str], tuple[str, ...]],
    imports: _Imports,
) -> Attribute:
    imports.orm("relationship")
    target = rel.target
    arguments: list[str] = []
    if rel.kind == "many_to_many":
        annotation = f"list[{target}]"
        arguments.append(f"secondary={rel.secondary}")
    else:
        holder = owner if rel.kind == "many_to_one" else target
        keys = fk_fields[(owner, name)]
        if set(keys) != set(_links(spec, tables, owner, target)):
            arguments.append(f"foreign_keys={_attribute_list(holder, keys)!r}")
        if rel.kind == "many_to_one" and owner == target:
            arguments.append(
                f"remote_side={_attribute_list(target, _referenced(spec, tables, owner, keys))!r}"
            )
        nullable = any(spec.models[holder].fields[k].nullable for k in keys)
        annotation = {
            "many_to_one": f"{target} | None" if nullable else target,
            "one_to_many": f"list[{target}]",
            "one_to_one": f"{target} | None",
        }[rel.kind]
    if rel.back_populates:
        arguments.append(f"back_populates={rel.back_populates!r}")
    return Attribute(name, annotation, "relationship", tuple(arguments))


def _links(spec: Spec, tables: Mapping[str, str], one: str, other: str) -> list[str]:
    """Every foreign-key field between two models' tables, either way."""
    found = []
    for holder, referenced in {(one, other), (other, one)}:
        for name, spec_field in spec.models[holder].fields.items():
            if (
                spec_field.foreign_key
                and spec_field.foreign_key.split(".")[0] == tables[referenced]
            ):
                found.append(name)
    return found


def _referenced(
    spec: Spec, tables: Mapping[str, str], model: str, keys: tuple[str, ...]
) -> tuple[str, ...]:
    """The fields of `model` that the foreign keys `keys` (of the same model) refer to."""
    fields = spec.models[model].fields
    columns = [(fields[k].foreign_key or ".").split(".")[1] for k in keys]
    return tuple(next(n for n, f in fields.items() if (f.column or n) == c) for c in columns)


def _attribute_list(model: str, names: tuple[str, ...]) -> str:
    refs = [f"{model}.{name}" for name in names]
    return refs[0] if len(refs) == 1 else f"[{', '.join(refs)}]"


def _association_tables(
    spec: Spec, tables: Mapping[str, str], imports: _Imports
) -> Iterator[AssociationTable]:
    pairs: dict[str, tuple[str, str]] = {}
    for owner, model in spec.models.items():
        for rel in model.relationships.values():
            if rel.kind == "many_to_many" and rel.secondary:
                first, second = sorted((owner, rel.target))
                pairs.setdefault(rel.secondary, (first, second))
    for name in sorted(pairs):
        imports.sqlalchemy("Column", "ForeignKey", "Table")
        yield AssociationTable(
            name, tuple(_association_column(spec, tables, model) for model in pairs[name])
        )


def _association_column(spec: Spec, tables: Mapping[str, str], model: str) -> str:
    key_name, key = next((n, f) for n, f in spec.models[model].fields.items() if f.primary_key)
    column = key.column or key_name
    target = f"{tables[model]}.{column}"
    return (
        f'Column("{snake_case(model)}_{column}", '
        f'ForeignKey("{target}", ondelete="CASCADE"), primary_key=True)'
    )
