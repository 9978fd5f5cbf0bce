"""The project IR: plain, frozen data between the sources and the templates.

Sources (SQLAlchemy models, a YAML spec) build it; templates read it. Nothing here imports
SQLAlchemy, Jinja or touches the filesystem. Every decision a template would otherwise make
with an `if` over column types is made here once, as a derived attribute, so the templates
stay presentation only. This module is the template API: keep names stable.
"""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from crudgen.errors import Location
from crudgen.naming import plural_table_name, pluralize, snake_case, url_segment


def python_literal(value: Any) -> str:
    """A value written as a Python literal; a text in double quotes (a JSON string is a
    Python string literal too)."""
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else repr(value)


class ScalarKind(str, enum.Enum):
    """The column types crudgen knows how to validate and serialise."""

    INTEGER = "integer"
    BIG_INTEGER = "big_integer"
    SMALL_INTEGER = "small_integer"
    STRING = "string"
    TEXT = "text"
    BOOLEAN = "boolean"
    DECIMAL = "decimal"
    FLOAT = "float"
    DATE = "date"
    DATETIME = "datetime"
    TIME = "time"
    INTERVAL = "interval"
    ENUM = "enum"
    JSON = "json"
    UUID = "uuid"
    BINARY = "binary"


class DefaultKind(str, enum.Enum):
    """Where a column's value comes from when a request does not give one."""

    NONE = "none"
    LITERAL = "literal"  # a constant known at generation time
    FACTORY = "factory"  # a Python callable the ORM calls (uuid4, datetime.now, ...)
    SERVER = "server"  # the database fills it (server_default, SQL expression)


class RelationKind(str, enum.Enum):
    MANY_TO_ONE = "many_to_one"
    ONE_TO_MANY = "one_to_many"
    ONE_TO_ONE = "one_to_one"
    MANY_TO_MANY = "many_to_many"


@dataclass(frozen=True)
class Import:
    """`from module import name`, or `import module` when name is empty."""

    module: str
    name: str = ""

    @property
    def statement(self) -> str:
        return f"from {self.module} import {self.name}" if self.name else f"import {self.module}"


@dataclass(frozen=True)
class EnumSpec:
    values: tuple[str, ...]
    class_name: str | None = None  # a Python enum class defined by the user's models
    module: str | None = None


@dataclass(frozen=True)
class Default:
    kind: DefaultKind = DefaultKind.NONE
    literal: str | None = None  # Python source of the value, for DefaultKind.LITERAL


NO_DEFAULT = Default()


@dataclass(frozen=True)
class ValueType:
    """What a column holds when its kind alone would type it wrongly: `list[str]` kept as
    text, an HSTORE's `dict[str, str | None]`, an address PostgreSQL checks.

    The kind still decides how the column is stored and queried; these annotations decide
    what the API validates and returns.
    """

    annotation: str  # a value read from the database
    imports: tuple[Import, ...] = ()
    input_annotation: str | None = None  # a request value, when checked more strictly
    input_imports: tuple[Import, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    table: str
    column: str
    model: str | None = None  # the mapped class behind `table`, when crudgen knows it
    ondelete: str | None = None


# Integer columns by size: the bounded type the generated `types` module defines for each.
INTEGER_TYPES = {
    ScalarKind.SMALL_INTEGER: (16, "Int16"),
    ScalarKind.INTEGER: (32, "Int32"),
    ScalarKind.BIG_INTEGER: (64, "Int64"),
}
_INT_BOUNDS_TYPE = {kind: name for kind, (_, name) in INTEGER_TYPES.items()}

# Request types defined in the generated `types` module (see templates/types.py.j2).
_INPUT_TYPES = {
    **_INT_BOUNDS_TYPE,
    ScalarKind.FLOAT: "FiniteFloat",
    ScalarKind.JSON: "FiniteJson",
    ScalarKind.BINARY: "Binary",
    ScalarKind.INTERVAL: "Duration",
}
_TYPES_MODULE_NAMES = frozenset(
    [
        *_INPUT_TYPES.values(),
        "UtcDatetime",
        "StoredUtcDatetime",
        "LocalDatetime",
        "StoredLocalDatetime",
        "NaiveTime",
    ]
)

_PLAIN_ANNOTATION = {
    ScalarKind.STRING: "str",
    ScalarKind.TEXT: "str",
    ScalarKind.BOOLEAN: "bool",
    ScalarKind.DECIMAL: "Decimal",
    ScalarKind.FLOAT: "float",
    ScalarKind.DATE: "datetime.date",
    ScalarKind.DATETIME: "datetime.datetime",
    ScalarKind.TIME: "datetime.time",
    ScalarKind.INTERVAL: "datetime.timedelta",
    ScalarKind.JSON: "Any",
    ScalarKind.UUID: "UUID",
    ScalarKind.BINARY: "bytes",
    ScalarKind.SMALL_INTEGER: "int",
    ScalarKind.INTEGER: "int",
    ScalarKind.BIG_INTEGER: "int",
}

_KIND_IMPORTS = {
    ScalarKind.DECIMAL: (Import("decimal", "Decimal"),),
    ScalarKind.DATE: (Import("datetime"),),
    ScalarKind.DATETIME: (Import("datetime"),),
    ScalarKind.TIME: (Import("datetime"),),
    ScalarKind.INTERVAL: (Import("datetime"),),
    ScalarKind.JSON: (Import("typing", "Any"),),
    ScalarKind.UUID: (Import("uuid", "UUID"),),
}


@dataclass(frozen=True)
class Field:
    """One mapped column, as the API sees it."""

    name: str  # attribute name on the model class
    column: str  # column name in the table
    kind: ScalarKind
    nullable: bool
    primary_key: bool = False
    generated: bool = False  # the database or the ORM fills it: never accepted as input
    read_only: bool = False  # configured: returned, never accepted as input
    write_only: bool = False  # a secret: accepted as input, never returned nor queried
    default: Default = NO_DEFAULT
    unique: bool = False
    indexed: bool = False
    max_length: int | None = None
    precision: int | None = None
    scale: int | None = None
    timezone: bool = False
    enum: EnumSpec | None = None
    foreign_key: ForeignKey | None = None
    description: str | None = None
    # Declared as `Mapped[...]`: the class attribute is typed for mypy. A classic `Column(...)`
    # attribute is not, so SQL expressions then name the table column instead.
    typed_attribute: bool = True
    value_type: ValueType | None = None  # set by sources where the kind is not enough
    # Keyword arguments of pydantic's `Field(...)` the source itself declares (a SQLModel
    # field's `ge=0`, `min_length=2`, ...), as Python source: checked on every request.
    declared_constraints: tuple[str, ...] = ()
    # What a YAML spec declares beyond the API's view, for the models.py crudgen writes for
    # it; other sources leave them, as the user's own models declare them.
    server_default: str | int | float | bool | None = field(default=None, compare=False)
    stamped_on_update: bool = field(default=False, compare=False)  # `onupdate=func.now()`

    # -- Python types -------------------------------------------------------------------

    @property
    def python_type(self) -> str:
        """The annotation of a value read from the database."""
        if self.value_type is not None:
            return self.value_type.annotation
        if self.kind is ScalarKind.ENUM:
            return self._enum_annotation
        return _PLAIN_ANNOTATION[self.kind]

    @property
    def input_type(self) -> str:
        """The annotation of a value accepted from a request: bounded where the database is."""
        if self.value_type is not None:
            return self.value_type.input_annotation or self.value_type.annotation
        if self.kind in _INPUT_TYPES:
            return _INPUT_TYPES[self.kind]
        if self.kind is ScalarKind.DATETIME:
            return "UtcDatetime" if self.timezone else "LocalDatetime"
        if self.kind is ScalarKind.TIME and not self.timezone:
            return "NaiveTime"
        return self.python_type

    @property
    def read_type(self) -> str:
        """The annotation of a value the API returns."""
        if self.value_type is not None:
            return self.value_type.annotation
        if self.kind is ScalarKind.BINARY:
            return "Binary"
        if self.kind is ScalarKind.INTERVAL:
            return "Duration"  # ISO 8601 in days and seconds, never in years
        if self.kind is ScalarKind.DATETIME and self.timezone:
            return "StoredUtcDatetime"  # SQLite drops the offset: stored values are UTC
        if self.kind is ScalarKind.DATETIME:
            return "StoredLocalDatetime"
        return self.python_type

    @property
    def _enum_annotation(self) -> str:
        assert self.enum is not None
        if self.enum.class_name:
            return self.enum.class_name
        choices = ", ".join(python_literal(value) for value in self.enum.values)
        return f"Literal[{choices}]"

    @property
    def admits_null(self) -> bool:
        """Whether null is a valid value; JSON's `Any` admits it already."""
        untyped_json = self.kind is ScalarKind.JSON and self.value_type is None
        return self.nullable and not untyped_json

    @property
    def read_annotation(self) -> str:
        return _optional(self.read_type, self.admits_null)

    @property
    def path_imports(self) -> tuple[Import, ...]:
        """What its annotation as a path parameter needs (primary keys)."""
        if self.kind in _INT_BOUNDS_TYPE:
            return (Import("..types", self.path_annotation),)
        return self.input_imports

    @property
    def path_annotation(self) -> str:
        """The annotation of this field as a path parameter (primary keys)."""
        if self.kind in _INT_BOUNDS_TYPE:
            return f"{_INT_BOUNDS_TYPE[self.kind]}Path"
        return self.input_type

    @property
    def input_annotation(self) -> str:
        """The annotation of this field in a request body. An integer whose source declares
        its own bounds (a SQLModel field's `ge=1, le=5`) is a plain `int` bounded by
        `constraints`: pydantic would let the bounded type's limits override them."""
        plain = "int" if self._declared_bounds else self.input_type
        return _optional(plain, self.admits_null)

    @property
    def _declared_bounds(self) -> frozenset[str]:
        """The bound keywords the source declares on an integer column."""
        if self.kind not in _INT_BOUNDS_TYPE:
            return frozenset()
        keywords = {declared.partition("=")[0] for declared in self.declared_constraints}
        return frozenset(keywords & {"ge", "gt", "le", "lt"})

    @property
    def arguments(self) -> tuple[tuple[str, str], ...]:
        """Keyword arguments of pydantic's `Field(...)` that validate and document this
        field in a request body: (keyword, value as a Python literal)."""
        return self.constraints + self.description_arguments

    @property
    def constraints(self) -> tuple[tuple[str, str], ...]:
        """What the column admits, as keyword arguments of pydantic's `Field(...)`."""
        found: list[tuple[str, str]] = []
        if self.max_length is not None and self.kind in (
            ScalarKind.STRING,
            ScalarKind.TEXT,
            ScalarKind.BINARY,
        ):
            found.append(("max_length", str(self.max_length)))
        if self.primary_key and self.kind in _TEXT_KINDS:
            # A key must make a URL path segment: not empty, no slash.
            found += [("min_length", "1"), ("pattern", 'r"^[^/]+$"')]
        if self.kind is ScalarKind.DECIMAL:
            if self.precision is not None:
                found.append(("max_digits", str(self.precision)))
            if self.scale is not None:
                found.append(("decimal_places", str(self.scale)))
        # A keyword the column already sets (max_length from String(n)) is given once.
        given = {keyword for keyword, _ in found}
        for declared in self.declared_constraints:
            keyword, _, value = declared.partition("=")
            if keyword not in given:
                found.append((keyword, value))
        return tuple(found) + self._storable_bounds

    @property
    def _storable_bounds(self) -> tuple[tuple[str, str], ...]:
        """The column's own limits beside the bounds a source declares, on the sides it
        leaves open (see input_annotation)."""
        declared = self._declared_bounds
        if not declared:
            return ()
        bits = INTEGER_TYPES[self.kind][0]
        bounds = []
        if not declared & {"ge", "gt"}:
            bounds.append(("ge", f"-(2**{bits - 1})"))
        if not declared & {"le", "lt"}:
            bounds.append(("le", f"2**{bits - 1} - 1"))
        return tuple(bounds)

    @property
    def description_arguments(self) -> tuple[tuple[str, str], ...]:
        if not self.description:
            return ()
        return (("description", python_literal(self.description)),)

    # -- what a request may leave out ----------------------------------------------------
    # Each is the value a schema fills in when a request leaves the field out, as a
    # Python literal, or None when the field is required. "UNSET" (None typed as Any):
    # the field may be left out but admits no null; left out, the stored value or the
    # column's default applies, and an explicit null gets a 422.

    @property
    def create_default(self) -> str | None:
        if self.default.kind is DefaultKind.LITERAL and not self._unreachable_key_default:
            return self._default_literal
        if self.nullable:
            return "None"
        if self.default.kind in (DefaultKind.NONE, DefaultKind.LITERAL):
            return None
        return "UNSET"  # the database or the ORM fills it

    @property
    def update_default(self) -> str:
        """PATCH: every field may be left out; it keeps its stored value."""
        return "None" if self.nullable else "UNSET"

    @property
    def replace_default(self) -> str | None:
        """PUT: the whole resource; only null-able and constant-default fields may be
        left out."""
        if self.default.kind is DefaultKind.LITERAL:
            return self._default_literal
        return "None" if self.nullable else None

    @property
    def _unreachable_key_default(self) -> bool:
        """A text key defaulting to "" names a row no path can reach: the client must
        give the key instead."""
        empty = ('""', "''")
        return self.primary_key and self.kind in _TEXT_KINDS and self.default.literal in empty

    @property
    def _default_literal(self) -> str:
        """The constant default, its strings quoted as black quotes them."""
        return self.default.literal or "None"

    @property
    def type_imports(self) -> tuple[Import, ...]:
        if self.value_type is not None:
            return self.value_type.imports
        imports = list(_KIND_IMPORTS.get(self.kind, ()))
        if self.kind is ScalarKind.ENUM and self.enum is not None:
            if self.enum.class_name and self.enum.module:
                imports.append(Import(self.enum.module, self.enum.class_name))
            else:
                imports.append(Import("typing", "Literal"))
        return tuple(imports)

    @property
    def input_imports(self) -> tuple[Import, ...]:
        return self._imports_of(self.input_type)

    @property
    def read_imports(self) -> tuple[Import, ...]:
        return self._imports_of(self.read_type)

    def _imports_of(self, annotation: str) -> tuple[Import, ...]:
        if annotation == self.python_type:
            return self.type_imports
        if self.value_type is not None and annotation == self.value_type.input_annotation:
            return self.value_type.input_imports
        return _annotation_import(annotation)


def _annotation_import(annotation: str) -> tuple[Import, ...]:
    if annotation in _TYPES_MODULE_NAMES:
        return (Import("..types", annotation),)
    return ()


def _optional(annotation: str, nullable: bool) -> str:
    return f"{annotation} | None" if nullable else annotation


_ORDERED_KINDS = frozenset(
    {
        ScalarKind.SMALL_INTEGER,
        ScalarKind.INTEGER,
        ScalarKind.BIG_INTEGER,
        ScalarKind.DECIMAL,
        ScalarKind.FLOAT,
        ScalarKind.DATE,
        ScalarKind.DATETIME,
        ScalarKind.TIME,
        ScalarKind.INTERVAL,
    }
)
_TEXT_KINDS = frozenset({ScalarKind.STRING, ScalarKind.TEXT})
_CURSOR_KINDS = frozenset({*INTEGER_TYPES, ScalarKind.STRING, ScalarKind.TEXT, ScalarKind.UUID})
# Query parameters of every list endpoint; a column of the same name gets no equality filter.
LIST_PARAMETERS = frozenset(
    {"offset", "limit", "sort", "count", "include_deleted", "cursor", "fields"}
)
# Operations that need a conflict target (Model.upsert_key) to exist.
UPSERT_OPERATIONS = frozenset({"upsert", "bulk_upsert"})
# Operations on many rows at once: named after the plural (`list_posts`, `bulk_create_posts`).
COLLECTION_OPERATIONS = frozenset(
    {"list", "bulk_create", "bulk_update", "bulk_delete", "bulk_upsert"}
)
# The default operationId pattern: the generated function's own name, `create_post`.
DEFAULT_OPERATION_IDS = "{verb}_{noun}"
CREATE_OPERATIONS = frozenset({"create", "bulk_create"})
BULK_OPERATIONS = frozenset({"bulk_create", "bulk_update", "bulk_delete", "bulk_upsert"})
_KEYED_BULK = frozenset({"bulk_update", "bulk_delete"})  # name rows by key: may 404
# Kinds no list request can filter or sort on: no useful equality or order in SQL.
UNQUERYABLE_KINDS = frozenset({ScalarKind.JSON, ScalarKind.BINARY})
# Names the generated functions and endpoints that take a primary key as parameters also
# bind or call: a key attribute of one of these names would shadow them.
RESERVED_KEY_NAMES = frozenset(
    {
        "session", "data", "query", "response", "if_match", "hard", "include_deleted",
        "expected_version", "values", "fields", "conditions", "statement", "row", "rows",
        "restore", "restored", "current", "deleted_key", "hooks", "crud", "router", "status",
        "select", "insert", "update", "delete", "func", "etag", "version_to_match",
        "current_principal", "resource",
    }
)  # fmt: skip


@dataclass(frozen=True)
class FilterParam:
    """One query parameter of a list endpoint, and the condition it adds."""

    field: Field
    operator: str  # eq, in, gte, lte, contains, is_null

    @property
    def name(self) -> str:
        return self.field.name if self.operator == "eq" else f"{self.field.name}__{self.operator}"


def filter_operators(field: Field) -> tuple[str, ...]:
    """The filters a column type supports: equality, lists, ranges, substrings, nulls."""
    if field.kind in UNQUERYABLE_KINDS:
        return ()
    if field.value_type is not None:
        # Its values are not the kind's (an address, a list in text): no operator of the
        # kind's is known to work on them in every database; null tests always do.
        return ("is_null",) if field.nullable else ()
    operators = ["eq"]
    if field.kind is not ScalarKind.BOOLEAN:
        operators.append("in")
    if field.kind in _ORDERED_KINDS:
        operators += ["gte", "lte"]
    if field.kind in _TEXT_KINDS:
        operators.append("contains")
    if field.nullable:
        operators.append("is_null")
    return tuple(operators)


@dataclass(frozen=True)
class Relationship:
    name: str
    kind: RelationKind
    owner: str  # the model that declares it
    target: str  # the related model's class name
    local_fields: tuple[str, ...] = ()  # foreign-key fields on the owner (many-to-one)
    remote_fields: tuple[str, ...] = ()  # foreign-key fields on the target (one-to-many)
    referenced_fields: tuple[str, ...] = ()  # the owner's fields they refer to, in order
    secondary: str | None = None  # association table of a many-to-many
    back_populates: str | None = None
    # False for a `lazy="dynamic"` or write-only relationship: it gives a query, never rows,
    # so it cannot be returned inside a row.
    loads_rows: bool = True
    location: Location | None = field(default=None, compare=False)  # where it is declared
    # More than one foreign key links the two tables: a declaration must name its own (a
    # YAML spec's models.py; other sources have declared it).
    names_join: bool = field(default=False, compare=False)

    @property
    def self_referential(self) -> bool:
        return self.owner == self.target

    @property
    def many(self) -> bool:
        return self.kind in (RelationKind.ONE_TO_MANY, RelationKind.MANY_TO_MANY)


@dataclass(frozen=True)
class NestedRead:
    """A relationship a Read schema returns inside each row, loaded with selectinload."""

    relationship: Relationship
    target: Model  # the related model (its schemas, hooks and soft delete)
    nullable: bool  # a single related row that may be missing
    below: tuple[NestedRead, ...] = ()  # the target's own nested reads, loaded with it

    @property
    def schema(self) -> str:
        """The schema of one related row: of any class, when the target has subclasses."""
        target = self.target
        return target.any_read_schema if target.subtypes else target.read_schema

    @property
    def schema_import(self) -> Import:
        return Import(f".{self.target.module_name}", self.schema)


@dataclass(frozen=True)
class NestedCreate:
    """A one-to-many relationship whose children a Create schema takes, written with the
    parent in one transaction."""

    relationship: Relationship
    child: Model  # the target model (its own nested creates are not followed)
    item_schema: str  # the schema of one child inside the parent's Create schema

    @property
    def fields(self) -> tuple[Field, ...]:
        """The child's writable fields, but for the foreign key the parent fills in."""
        skip = set(self.relationship.remote_fields)
        return tuple(f for f in self.child.create_fields if f.name not in skip)


# The operations each route also performs, whose role limits it must pass as well.
ALSO_PERFORMS: dict[str, tuple[str, ...]] = {
    "bulk_create": ("create",),
    "replace": ("update",),
    "bulk_update": ("update",),
    "bulk_delete": ("delete",),
    "upsert": ("create", "update"),
    "bulk_upsert": ("upsert", "bulk_create", "bulk_update"),
}


def governing_operations(operation: str) -> set[str]:
    """The operation and every operation it also performs, transitively."""
    found = {operation}
    for other in ALSO_PERFORMS.get(operation, ()):
        found |= governing_operations(other)
    return found


@dataclass(frozen=True)
class Model:
    """One mapped class: everything its schemas, crud module and router need."""

    name: str  # class name
    module: str  # the module that defines the class, for imports
    table: str
    fields: tuple[Field, ...]
    relationships: tuple[Relationship, ...] = ()
    description: str | None = None
    location: Location | None = field(default=None, compare=False)
    # The whole description a YAML spec gives, for the docstring of the models.py crudgen
    # writes for it (`description` is its first paragraph, as a class docstring's).
    docstring: str | None = field(default=None, compare=False)
    page_size: int = 50
    max_page_size: int = 100
    prefix: str | None = None  # URL prefix; derived from the table name when None
    tags: tuple[str, ...] | None = None  # OpenAPI tags; the table name when None
    operations: tuple[str, ...] = (
        "create",
        "get",
        "list",
        "update",
        "replace",
        "delete",
        "bulk_create",
        "bulk_update",
        "bulk_delete",
        "upsert",
        "bulk_upsert",
    )
    filter_fields: tuple[str, ...] | None = None  # None: every column that can be filtered
    sort_fields: tuple[str, ...] | None = None  # None: every column that can be sorted on
    version_field: str | None = None  # optimistic locking on this integer column
    soft_delete_flag: str | None = None  # boolean column: true once deleted
    soft_delete_timestamp: str | None = None  # datetime column: when deleted, null while live
    hard_delete: bool = True  # with soft delete: DELETE ?hard=true removes the row
    style: str = "functions"  # or "inline": the endpoints hold the queries, no crud module
    max_batch_size: int = 1000  # the most rows one bulk request may carry
    upsert_key: tuple[str, ...] = ()  # the conflict target of upserts; () means no upsert
    nested_reads: tuple[NestedRead, ...] = ()
    nested_creates: tuple[NestedCreate, ...] = ()
    authenticated: bool = False  # every route depends on the project's auth dependency
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (operation, roles allowed) pairs
    # Inheritance (joined or single table): the field telling the classes of a hierarchy
    # apart, which the server sets; this class's own value of it (None: no row is of this
    # class alone, it is never created); the classes below it that have a value (their
    # rows are returned by this class's routes too); the mapped class it inherits from;
    # whether it has a table of its own (False: it shares its parent's, single table).
    discriminator: str | None = None
    identity: str | int | None = None
    subtypes: tuple[str, ...] = ()
    parent: str | None = None
    own_table: bool = True
    # The hooks the user's hooks module makes do something (sources/hooks.py reads it).
    hooks_at_work: frozenset[str] = frozenset()
    # The URL prefix names the collection, plural: `/users` for a `user` table. False: the
    # table name as it is. An explicit `prefix` wins over both.
    plural_prefix: bool = True
    # The OpenAPI operationId of each route (see `operation_id`): unique in the project,
    # stable across runs, so clients generated from the document keep their method names.
    operation_ids: str = DEFAULT_OPERATION_IDS

    @property
    def writes_commit_alone(self) -> bool:
        """Its create, update, replace and delete of one row are one statement each, with
        no hook to run in the same transaction: the statement may commit itself."""
        hierarchy = self.parent is not None or bool(self.subtypes)
        return not (self.hooks_at_work or self.nested_creates or hierarchy)

    # -- names --------------------------------------------------------------------------

    @cached_property
    def snake_name(self) -> str:
        return snake_case(self.name)

    @property
    def plural_name(self) -> str:
        return pluralize(self.snake_name)

    @property
    def module_name(self) -> str:
        """File name (without .py) of this model's schemas, crud and router modules."""
        return self.snake_name

    @property
    def url_prefix(self) -> str:
        if self.prefix is not None:
            return self.prefix
        # A class sharing its parent's table is named after itself, not the table.
        collection = self.table if self.own_table else self.plural_name
        if self.plural_prefix:
            collection = plural_table_name(collection)
        return "/" + url_segment(collection)

    def endpoint_name(self, operation: str) -> str:
        """The name of an operation's endpoint function (`create_post`, `list_posts`): its
        route's operationId too, unless the operation_ids pattern says otherwise."""
        many = operation in COLLECTION_OPERATIONS
        return f"{operation}_{self.plural_name if many else self.snake_name}"

    def operation_id(self, operation: str) -> str:
        """The operationId of an operation's route (`create_post`, `list_posts`): the
        pattern's {verb} is the operation, {noun} the row or the rows it works on."""
        many = operation in COLLECTION_OPERATIONS
        return self.operation_ids.format(
            verb=operation,
            noun=self.plural_name if many else self.snake_name,
            model=self.snake_name,
            models=self.plural_name,
            Model=self.name,
        )

    def example(self, fields: tuple[Field, ...]) -> dict[str, Any]:
        """An example of a schema with these fields, for the OpenAPI document: a valid
        value of each field's kind and constraints (a field with no sample is left out)."""
        from crudgen.samples import NoSample, sample_value  # samples reads the IR

        found: dict[str, Any] = {}
        for field_ in fields:
            try:
                found[field_.name] = sample_value(field_, 1)
            except NoSample:
                continue
        if self.discriminator in found and self.identity is not None:
            found[self.discriminator] = self.identity  # the class's own, as the server sets it
        return found

    @property
    def tag_description(self) -> str:
        """What the OpenAPI document says of the model's tag: its description, if any."""
        return self.description or f"Every operation on {self.name} rows."

    @property
    def route_tags(self) -> tuple[str, ...]:
        return self.tags if self.tags is not None else (self.table,)

    @property
    def base_schema(self) -> str:
        return f"{self.name}Base"

    @property
    def create_schema(self) -> str:
        return f"{self.name}Create"

    @property
    def update_schema(self) -> str:
        return f"{self.name}Update"

    @property
    def replace_schema(self) -> str:
        return f"{self.name}Replace"

    @property
    def read_schema(self) -> str:
        return f"{self.name}Read"

    @property
    def any_read_schema(self) -> str:
        """A row of this class or of any of its subtypes, told apart by the discriminator."""
        return f"Any{self.name}Read"

    @property
    def page_schema(self) -> str:
        return f"{self.name}Page"

    @property
    def create_nested_schema(self) -> str:
        return f"{self.name}CreateNested"

    @property
    def create_body_schema(self) -> str:
        """The body of `POST`: the Create schema, with children when it nests some."""
        return self.create_nested_schema if self.nested_creates else self.create_schema

    @property
    def partial_read_schema(self) -> str:
        return f"{self.name}PartialRead"

    @property
    def partial_page_schema(self) -> str:
        return f"{self.name}PartialPage"

    @property
    def upsert_batch_schema(self) -> str:
        return f"{self.name}UpsertBatch"

    @property
    def bulk_update_schema(self) -> str:
        return f"{self.name}BulkUpdate"

    @property
    def bulk_delete_schema(self) -> str:
        return f"{self.name}BulkDelete"

    # -- field groups -------------------------------------------------------------------

    @cached_property
    def primary_key(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.primary_key)

    @property
    def create_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not (f.generated or f.read_only))

    @property
    def update_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.create_fields if not f.primary_key)

    @property
    def hook_filled_fields(self) -> tuple[Field, ...]:
        """read_only fields with no default that admit no null: the before_create hook
        must fill them (an owner stamped from the principal)."""
        features = {self.version_field, self.soft_delete_flag, self.soft_delete_timestamp}
        return tuple(
            f
            for f in self.fields
            if f.read_only
            and f.name not in features
            and not (f.generated or f.nullable)
            and f.default.kind is DefaultKind.NONE
        )

    @property
    def read_fields(self) -> tuple[Field, ...]:
        """What the API returns (and may filter and sort on): every field but secrets."""
        return tuple(f for f in self.fields if not f.write_only)

    # -- features -----------------------------------------------------------------------

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def version(self) -> Field | None:
        return self.field(self.version_field) if self.version_field else None

    @property
    def soft_delete(self) -> bool:
        return bool(self.soft_delete_flag or self.soft_delete_timestamp)

    @property
    def filter_table(self) -> tuple[tuple[Field, tuple[str, ...]], ...]:
        """Each filterable field with the operators its list endpoint allows."""
        table: dict[str, tuple[Field, list[str]]] = {}
        for param in self.filter_params:
            table.setdefault(param.field.name, (param.field, []))[1].append(param.operator)
        return tuple((field, tuple(operators)) for field, operators in table.values())

    @property
    def filter_params(self) -> tuple[FilterParam, ...]:
        """Query parameters of the list endpoint: a whitelist by construction."""
        params = (
            FilterParam(f, operator)
            for f in self._queryable(self.filter_fields)
            for operator in filter_operators(f)
        )
        return tuple(p for p in params if p.name not in LIST_PARAMETERS)

    @property
    def sortable_fields(self) -> tuple[Field, ...]:
        return self._queryable(self.sort_fields)

    @property
    def unsortable_fields(self) -> tuple[Field, ...]:
        """The fields a list returns but cannot sort by (JSON, binary, or left out of
        `sort_fields`)."""
        sortable = self.sortable_fields
        return tuple(f for f in self.read_fields if f not in sortable)

    def _queryable(self, names: tuple[str, ...] | None) -> tuple[Field, ...]:
        usable = [f for f in self.read_fields if f.kind not in UNQUERYABLE_KINDS]
        return tuple(f for f in usable if names is None or f.name in names)

    @property
    def list_query_schema(self) -> str:
        return f"{self.name}ListQuery"

    @property
    def item_path(self) -> str:
        """The URL path of one row, below the prefix: `/{id}` or `/{post_id}/{tag_id}`."""
        return "".join(f"/{{{f.name}}}" for f in self.primary_key)

    # -- features -------------------------------------------------------------------------

    @property
    def cursor_key(self) -> Field | None:
        """The primary key keyset (cursor) paging follows: a single int, string or UUID."""
        if len(self.primary_key) != 1 or self.primary_key[0].kind not in _CURSOR_KINDS:
            return None
        return self.primary_key[0]

    @property
    def inline(self) -> bool:
        return self.style == "inline"

    @property
    def hard_delete_route(self) -> bool:
        """DELETE takes `?hard=true`: only soft-deleting models, and only if configured."""
        return self.soft_delete and self.hard_delete

    @property
    def sets_initial_version(self) -> bool:
        """A version column without a default: create writes 1."""
        return self.version is not None and self.version.default.kind is DefaultKind.NONE

    # -- relationships --------------------------------------------------------------------

    def roles_for(self, operation: str) -> tuple[str, ...]:
        """The roles configured for an operation itself; () lets every authenticated user."""
        return dict(self.roles).get(operation, ())

    def role_checks(self, operation: str) -> tuple[tuple[str, ...], ...]:
        """Every role limit a route must pass: its operation's, those of the operations it
        also performs (an upsert creates and updates; a bulk create creates), and the
        create limits of the children it writes. The user needs a role of each."""
        checks = [self.roles_for(op) for op in sorted(governing_operations(operation))]
        if operation == "create":
            for nested in self.nested_creates:
                checks += nested.child.role_checks("create")
        return tuple(dict.fromkeys(roles for roles in checks if roles))

    def has(self, operation: str) -> bool:
        if operation in UPSERT_OPERATIONS and not self.upsert_key:
            return False
        if operation in CREATE_OPERATIONS and not self.creatable:
            return False
        return operation in self.operations

    @property
    def creatable(self) -> bool:
        """Whether a row of this class can be created: a class of a hierarchy needs its own
        discriminator value."""
        return self.discriminator is None or self.identity is not None

    # -- bulk operations ------------------------------------------------------------------

    @property
    def composite_key(self) -> bool:
        return len(self.primary_key) > 1

    @property
    def key_schema(self) -> str:
        """The schema of one primary key in a bulk request (composite keys only)."""
        return f"{self.name}Key"

    @property
    def id_annotation(self) -> str:
        """The type of one item of a bulk request's `ids`."""
        return self.key_schema if self.composite_key else self.primary_key[0].input_type

    @property
    def upsert_fields(self) -> tuple[Field, ...]:
        return tuple(self.field(name) for name in self.upsert_key)

    @property
    def schema_imports(self) -> tuple[Import, ...]:
        """Imports the schema module needs for its field types, beyond pydantic's basics."""
        imports: set[Import] = set()
        for f in self.read_fields:
            imports.update(f.read_imports)
        for f in self.create_fields:
            imports.update(f.input_imports)
        for param in self.filter_params:
            imports.update(param.field.input_imports)
        for f in self.primary_key:  # the ids of bulk requests
            imports.update(f.input_imports)
        if self.version is not None:  # the version a write expects
            imports.update(self.version.input_imports)
        imports.update(nested.schema_import for nested in self.nested_reads)
        for nested in self.nested_creates:
            for f in nested.fields:
                imports.update(f.input_imports)
        return tuple(sorted(imports, key=_import_sort_key))


def _import_sort_key(item: Import) -> tuple[str, str]:
    return (item.module, item.name)


@dataclass(frozen=True)
class MetadataOwner:
    """A mapped class whose `.metadata` holds tables crudgen generated code for."""

    module: str
    name: str


@dataclass(frozen=True)
class AssociationColumn:
    name: str
    table: str  # the table and column its foreign key refers to
    column: str


@dataclass(frozen=True)
class AssociationTable:
    """The table behind a many-to-many: a composite key of two foreign keys."""

    name: str
    columns: tuple[AssociationColumn, ...]


@dataclass(frozen=True)
class Project:
    """Everything one `crudgen generate` run renders."""

    models: tuple[Model, ...]
    sources: tuple[str, ...]  # what the models came from, named for the file headers
    metadata_owners: tuple[MetadataOwner, ...] = ()
    title: str = "crudgen API"
    auth: Import | None = None  # the user's dependency returning the current user
    # A YAML spec's project declares its models itself (models.py): every model as the spec
    # describes it, before options choose and shape what the API shows.
    declared_models: tuple[Model, ...] = ()
    association_tables: tuple[AssociationTable, ...] = ()

    def subtypes_of(self, model: Model) -> tuple[Model, ...]:
        """The models of `model.subtypes` this run generates."""
        by_name = {m.name: m for m in self.models}
        return tuple(by_name[name] for name in model.subtypes if name in by_name)

    def nested_read_owners(self, model: Model) -> tuple[Model, ...]:
        """The model and those of its subtypes that nest relationships: a subtype's row read
        through the model's routes is returned as its own class, with what that class nests,
        so the model's queries load those too."""
        return tuple(m for m in (model, *self.subtypes_of(model)) if m.nested_reads)

    @property
    def tag_descriptions(self) -> tuple[tuple[str, str], ...]:
        """(tag, description) of every tag the models' routes carry, in order of first use:
        a tag several models share is described by the first of them."""
        found: dict[str, str] = {}
        for model in self.models:
            for tag in model.route_tags:
                found.setdefault(tag, model.tag_description)
        return tuple(found.items())

    @property
    def source_label(self) -> str:
        return ", ".join(self.sources)

    def source_of(self, model: Model) -> str:
        """What a model's own files name as their source: its module, when the models came
        from modules (a YAML spec's models.py is crudgen's, so the spec is named)."""
        return model.module if model.module in self.sources else self.source_label

    @property
    def field_names(self) -> tuple[str, ...]:
        """Every field name of the API, sorted: all an error body may name."""
        return tuple(sorted({f.name for m in self.models for f in m.read_fields}))

    @property
    def renamed_columns(self) -> tuple[tuple[str, str, str], ...]:
        """(table, column, field) of each column whose field in the API has another name."""
        return tuple(
            (m.table, f.column, f.name) for m in self.models for f in m.fields if f.column != f.name
        )
