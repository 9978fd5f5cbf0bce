"""Read SQLAlchemy declarative models into the IR, through SQLAlchemy's own inspection API.

The user's models are imported for real (by file path, package directory or dotted module
name) and every mapped class is read from its mapper: `sqlalchemy.inspect(cls)`. Nothing here
parses source text.
"""

from __future__ import annotations

import datetime
import decimal
import enum
import importlib
import inspect as pyinspect
import pkgutil
import re
import sys
import traceback
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, NoReturn

import sqlalchemy as sa
from sqlalchemy.orm import ColumnProperty, Mapper, RelationshipProperty
from sqlalchemy.orm.interfaces import MANYTOMANY, MANYTOONE

from crudgen.errors import ConfigError, Location, SourceError, UnsupportedTypeError
from crudgen.ir import (
    NO_DEFAULT,
    RESERVED_KEY_NAMES,
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
from crudgen.naming import snake_case
from crudgen.sources.classlines import class_line


@dataclass(frozen=True)
class LoadedProject:
    project: Project
    warnings: tuple[str, ...]


def load_project(
    sources: Sequence[str],
    *,
    title: str = "crudgen API",
    type_map: Mapping[str, str] | None = None,
) -> LoadedProject:
    """Import the sources and read every mapped class they define or export.

    type_map: `[tool.crudgen.type_map]`, column types crudgen does not know (by class name
    or dotted path) -> the kind they are validated and serialised as.
    """
    types = TypeMap.from_config(type_map or {})
    imported = [module for source in sources for module in import_source(source)]
    modules = list({module.__name__: module for module in imported}.values())
    mappers = _mappers_of(modules)
    if not mappers:
        raise _no_models_error(sources, modules)
    _configure(mappers)
    included, warnings = _split_supported(mappers)
    _refuse_clashing_names(included)
    table_models = {_table_of(m).name: m.class_.__name__ for m in included}
    models = tuple(_read_model(m, table_models, types) for m in included)
    project = Project(
        models=models,
        sources=tuple(m.__name__ for m in modules if _defines_mapped(m, included)),
        metadata_owners=_metadata_owners(included),
        title=title,
    )
    return LoadedProject(project, tuple(warnings))


# -- importing ----------------------------------------------------------------------------


def import_source(source: str) -> list[ModuleType]:
    """A `.py` file, a package directory, or a dotted module name -> the imported modules."""
    path = Path(source)
    if path.suffix == ".py" or path.exists():
        if not path.exists():
            raise SourceError(f"no such file: {source}", hint="check the path to your models")
        root, dotted = _module_name_for(path)
        if str(root) not in sys.path:
            sys.path.insert(0, str(root))
    else:
        dotted = source
        # As `python -m` does: a dotted name may live in the directory crudgen runs from.
        if str(Path.cwd()) not in sys.path and "" not in sys.path:
            sys.path.insert(0, str(Path.cwd()))
    module = _import(dotted, display=source)
    if path.is_dir() or hasattr(module, "__path__"):
        return [module, *_submodules(module)]
    return [module]


def _module_name_for(path: Path) -> tuple[Path, str]:
    """The sys.path root and dotted name of a file or package, following `__init__.py` up."""
    path = path.resolve()
    if path.is_dir():
        if not (path / "__init__.py").exists():
            raise SourceError(
                f"{path} is a directory but not a Python package",
                location=Location(str(path)),
                hint="add an __init__.py, or name the models files one by one",
            )
        parts = [path.name]
    else:
        parts = [] if path.stem == "__init__" else [path.stem]
    parent = path.parent
    while (parent / "__init__.py").exists():
        parts.insert(0, parent.name)
        parent = parent.parent
    return parent, ".".join(parts)


def _import(dotted: str, *, display: str) -> ModuleType:
    try:
        return importlib.import_module(dotted)
    except SyntaxError as error:
        raise SourceError(
            f"syntax error in the models: {error.msg}",
            location=Location(_display_path(error.filename or display), error.lineno),
            hint="fix the syntax error, then run crudgen again",
        ) from error
    except ModuleNotFoundError as error:
        if error.name == dotted or dotted.startswith(f"{error.name}."):
            raise SourceError(
                f"cannot import {dotted!r}: no such module",
                location=Location(display),
                hint="pass a path to a .py file, or run crudgen where the module is importable",
            ) from error
        raise _import_failure(dotted, display, error) from error
    except Exception as error:  # the user's module raised while importing
        raise _import_failure(dotted, display, error) from error


def _import_failure(dotted: str, display: str, error: BaseException) -> SourceError:
    frames = traceback.extract_tb(error.__traceback__)
    user_frames = [f for f in frames if "importlib" not in f.filename]
    last = user_frames[-1] if user_frames else None
    location = Location(_display_path(last.filename), last.lineno) if last else Location(display)
    return SourceError(
        f"importing {dotted} raised {type(error).__name__}: {error}",
        location=location,
        hint="the models module must import cleanly; fix the error above",
    )


def _submodules(package: ModuleType) -> list[ModuleType]:
    found = pkgutil.walk_packages(package.__path__, prefix=package.__name__ + ".")
    names = sorted(info.name for info in found)
    return [_import(name, display=name) for name in names]


# -- finding mapped classes ---------------------------------------------------------------


def _mapper_of(candidate: Any) -> Mapper[Any] | None:
    if not isinstance(candidate, type):
        return None
    found: object = sa.inspect(candidate, raiseerr=False)
    return found if isinstance(found, Mapper) else None


def _table_of(mapper: Mapper[Any]) -> sa.Table:
    table = mapper.local_table
    assert isinstance(table, sa.Table), "declarative classes map a Table"
    return table


def _mappers_of(modules: Iterable[ModuleType]) -> list[Mapper[Any]]:
    """Mapped classes defined in, or exported by, the given modules; sorted by name."""
    module_names = {m.__name__ for m in modules}
    exported: set[type] = set()
    registries = {}
    for module in modules:
        for value in vars(module).values():
            mapper = _mapper_of(value)
            if mapper is not None:
                exported.add(mapper.class_)
                registries[id(mapper.registry)] = mapper.registry
    mappers = {
        mapper
        for registry in registries.values()
        for mapper in registry.mappers
        if mapper.class_ in exported or mapper.class_.__module__ in module_names
    }
    return sorted(mappers, key=lambda m: (m.class_.__name__, m.class_.__module__))


def _no_models_error(sources: Sequence[str], modules: Iterable[ModuleType]) -> SourceError:
    names = ", ".join(sources)
    bases = [
        value
        for module in modules
        for value in vars(module).values()
        if _is_declarative_base(value) and value.__module__ == module.__name__
    ]
    if bases:
        base = bases[0]
        return SourceError(
            f"no models to generate: {base.__name__} is a declarative base, "
            "but no class maps a table with it",
            location=_location(base),
            hint=f"add models (class Item({base.__name__}) with a __tablename__), "
            "or point crudgen at the module that defines them",
        )
    return SourceError(
        f"no SQLAlchemy mapped classes found in {names}",
        location=Location(sources[0]),
        hint="point crudgen at the module that defines your declarative models",
    )


def _is_declarative_base(value: Any) -> bool:
    """A class that maps others (DeclarativeBase, declarative_base()) without a table of its own."""
    return (
        isinstance(value, type)
        and isinstance(getattr(value, "registry", None), sa.orm.registry)
        and _mapper_of(value) is None
    )


def _configure(mappers: list[Mapper[Any]]) -> None:
    try:
        sa.orm.configure_mappers()
    except sa.exc.SQLAlchemyError as error:
        raise SourceError(
            f"SQLAlchemy could not configure the mappers: {error}",
            location=_location(mappers[0].class_),
            hint="the models must work with SQLAlchemy on their own; fix the mapping",
        ) from error


def _split_supported(mappers: list[Mapper[Any]]) -> tuple[list[Mapper[Any]], list[str]]:
    included, warnings = [], []
    for mapper in mappers:
        if mapper.inherits is not None or mapper.polymorphic_on is not None:
            warnings.append(
                f"{_location(mapper.class_)}: skipped {mapper.class_.__name__}: "
                "models in an inheritance hierarchy are not supported yet"
            )
        else:
            included.append(mapper)
    return included, warnings


def _refuse_clashing_names(mappers: list[Mapper[Any]]) -> None:
    """Two classes of one name would render to the same files: one would silently win."""
    seen: dict[str, type] = {}
    for mapper in mappers:
        cls = mapper.class_
        key = snake_case(cls.__name__)
        if key in seen:
            raise SourceError(
                f"two models would generate the same modules ({key}.py): "
                f"{seen[key].__module__}.{seen[key].__name__} and {cls.__module__}.{cls.__name__}",
                location=_location(cls),
                hint="rename one of the classes, or exclude one in [tool.crudgen]",
            )
        seen[key] = cls


def _defines_mapped(module: ModuleType, mappers: list[Mapper[Any]]) -> bool:
    return any(vars(module).get(m.class_.__name__) is m.class_ for m in mappers)


def _metadata_owners(mappers: list[Mapper[Any]]) -> tuple[MetadataOwner, ...]:
    owners: dict[int, MetadataOwner] = {}
    for mapper in mappers:
        metadata = _table_of(mapper).metadata
        owners.setdefault(
            id(metadata),
            MetadataOwner(mapper.class_.__module__, mapper.class_.__name__),
        )
    return tuple(owners.values())


def _location(cls: type) -> Location:
    try:
        file = pyinspect.getsourcefile(cls) or "<unknown>"
        line = class_line(cls)
    except (OSError, TypeError):
        return Location(
            getattr(sys.modules.get(cls.__module__), "__file__", None) or cls.__module__
        )
    return Location(_display_path(file), line)


def _attribute_location(cls: type, attribute: str) -> Location:
    """The line declaring `attribute`, in the class (or base, or mixin) that declares it."""
    pattern = re.compile(rf"^\s*{re.escape(attribute)}\s*[:=]")
    for klass in cls.__mro__:
        if attribute not in klass.__dict__ and attribute not in klass.__dict__.get(
            "__annotations__", {}
        ):
            continue
        try:
            lines, start = pyinspect.getsourcelines(klass)
            file = pyinspect.getsourcefile(klass)
        except (OSError, TypeError):
            break
        for offset, line in enumerate(lines):
            if file and pattern.match(line):
                return Location(_display_path(file), start + offset)
        break
    return _location(cls)


def _display_path(file: str) -> str:
    try:
        return str(Path(file).resolve().relative_to(Path.cwd()))
    except ValueError:
        return file


# -- reading one model --------------------------------------------------------------------


def _read_model(mapper: Mapper[Any], table_models: dict[str, str], types: TypeMap) -> Model:
    cls = mapper.class_
    table = _table_of(mapper)
    fields = tuple(
        _read_field(cls, prop, table, table_models, types)
        for prop in mapper.column_attrs
        if _is_plain_column(prop, table)
    )
    _refuse_reserved_key_names(cls, fields)
    return Model(
        name=cls.__name__,
        module=cls.__module__,
        table=table.name,
        fields=fields,
        relationships=tuple(_read_relationship(cls, r) for r in mapper.relationships),
        description=table.comment or _own_docstring(cls),
        location=_location(cls),
        version_field=_version_field(mapper),
    )


def _refuse_reserved_key_names(cls: type, fields: tuple[Field, ...]) -> None:
    for field in fields:
        if field.primary_key and field.name in RESERVED_KEY_NAMES:
            raise SourceError(
                f"{cls.__name__}.{field.name}: a primary key attribute named {field.name!r} "
                "would shadow a name of the generated code (its functions take the key as "
                "parameters)",
                location=_attribute_location(cls, field.name),
                hint=f"rename the attribute and keep the column: "
                f'{field.name}_id: Mapped[...] = mapped_column("{field.column}", primary_key=True)',
            )


def _version_field(mapper: Mapper[Any]) -> str | None:
    """SQLAlchemy's own optimistic locking column (`__mapper_args__["version_id_col"]`)."""
    column = mapper.version_id_col
    return mapper.get_property_by_column(column).key if column is not None else None


def _is_plain_column(prop: ColumnProperty[Any], table: sa.Table) -> bool:
    """Skip column_property() expressions: they are computed in SELECT, not stored."""
    return len(prop.columns) == 1 and getattr(prop.columns[0], "table", None) is table


def _own_docstring(cls: type) -> str | None:
    doc = cls.__dict__.get("__doc__")
    return pyinspect.cleandoc(doc).split("\n\n")[0] if doc else None


def _read_field(
    cls: type,
    prop: ColumnProperty[Any],
    table: sa.Table,
    table_models: dict[str, str],
    types: TypeMap,
) -> Field:
    column = prop.columns[0]
    assert isinstance(column, sa.Column)
    kind = _scalar_kind(column.type, types) or _unsupported(column.type, cls, prop.key)
    column_type = _unwrap(column.type)
    default = _default(column)
    return Field(
        name=prop.key,
        column=column.name,
        kind=kind,
        nullable=bool(column.nullable),
        primary_key=column.primary_key,
        generated=_is_generated(column, table, kind, default),
        default=default,
        unique=_is_unique(column, table),
        indexed=_is_indexed(column, table),
        max_length=getattr(column_type, "length", None),
        precision=getattr(column_type, "precision", None) if kind is ScalarKind.DECIMAL else None,
        scale=getattr(column_type, "scale", None) if kind is ScalarKind.DECIMAL else None,
        timezone=bool(getattr(column_type, "timezone", False)),
        enum=_enum_spec(column_type) if kind is ScalarKind.ENUM else None,
        foreign_key=_foreign_key(column, table_models),
        description=column.comment or None,
        typed_attribute=_declared_as_mapped(cls, prop.key),
    )


def _declared_as_mapped(cls: type, attribute: str) -> bool:
    """Whether the class (or a base, or a mixin) annotates the attribute as `Mapped[...]`."""
    for klass in cls.__mro__:
        annotation = klass.__dict__.get("__annotations__", {}).get(attribute)
        if annotation is not None:
            return "Mapped" in str(annotation)
    return False


def _unwrap(column_type: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """A TypeDecorator validates like the type it stores as."""
    while isinstance(column_type, sa.types.TypeDecorator):
        column_type = column_type.impl_instance
    return column_type


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
    (sa.JSON, ScalarKind.JSON),
    (sa.Uuid, ScalarKind.UUID),
    (sa.LargeBinary, ScalarKind.BINARY),
)


def _scalar_kind(column_type: sa.types.TypeEngine[Any], types: TypeMap) -> ScalarKind | None:
    # Built-in decorators (Interval, PickleType) are matched as themselves, not as their impl.
    candidates = (column_type,) if _is_builtin(column_type) else (column_type, _unwrap(column_type))
    for candidate in candidates:
        if isinstance(candidate, sa.PickleType):
            break  # arbitrary pickled objects have no JSON form
        for sa_type, kind in _KIND_BY_TYPE:
            if isinstance(candidate, sa_type):
                if kind is ScalarKind.DECIMAL and not getattr(candidate, "asdecimal", True):
                    return ScalarKind.FLOAT
                return kind
    # Only types crudgen does not know are looked up, so no entry changes a known type.
    mapped = (types.kind_of(candidate) for candidate in candidates)
    return next((kind for kind in mapped if kind is not None), None)


# Kinds a type_map entry may name; an enum needs its values, which only sa.Enum carries.
MAPPABLE_KINDS = tuple(kind.value for kind in ScalarKind if kind is not ScalarKind.ENUM)


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


_SUGGESTED_KIND: dict[object, ScalarKind] = {
    bool: ScalarKind.BOOLEAN,
    int: ScalarKind.INTEGER,
    float: ScalarKind.FLOAT,
    decimal.Decimal: ScalarKind.DECIMAL,
    str: ScalarKind.STRING,
    bytes: ScalarKind.BINARY,
    dict: ScalarKind.JSON,
    list: ScalarKind.JSON,
    datetime.datetime: ScalarKind.DATETIME,
    datetime.date: ScalarKind.DATE,
    datetime.time: ScalarKind.TIME,
    datetime.timedelta: ScalarKind.INTERVAL,
    uuid.UUID: ScalarKind.UUID,
}


def _unsupported(column_type: sa.types.TypeEngine[Any], cls: type, attribute: str) -> NoReturn:
    """Name the column and its type, and show the type_map line that would map it."""
    try:
        python_type: object = column_type.python_type
    except NotImplementedError:
        python_type = None
    kind = _SUGGESTED_KIND.get(python_type, ScalarKind.STRING)
    entry = f'{type(column_type).__name__} = "{kind.value}"'
    raise UnsupportedTypeError(
        f"column {cls.__name__}.{attribute} has type {column_type!r}, "
        "which crudgen cannot map to a Pydantic type",
        location=_attribute_location(cls, attribute),
        hint=f"say what it holds in pyproject.toml, for example\n\n"
        f"    [tool.crudgen.type_map]\n    {entry}\n\n"
        f"  kinds: {', '.join(MAPPABLE_KINDS)}\n"
        "  (or use a TypeDecorator whose impl is a type crudgen supports)",
    )


def _is_builtin(column_type: sa.types.TypeEngine[Any]) -> bool:
    return type(column_type).__module__.startswith("sqlalchemy.")


def _enum_spec(column_type: sa.types.TypeEngine[Any]) -> EnumSpec:
    assert isinstance(column_type, sa.Enum)
    enum_class = column_type.enum_class
    if enum_class is not None:
        return EnumSpec(
            values=tuple(str(member.value) for member in enum_class),
            class_name=enum_class.__name__,
            module=enum_class.__module__,
        )
    return EnumSpec(values=tuple(column_type.enums))


def _default(column: sa.Column[Any]) -> Default:
    column_default = column.default
    if column_default is not None:
        if column_default.is_scalar:
            literal = _python_literal(getattr(column_default, "arg", None))
            if literal is not None:
                return Default(DefaultKind.LITERAL, literal)
            return Default(DefaultKind.FACTORY)
        if column_default.is_callable:
            return Default(DefaultKind.FACTORY)
        return Default(DefaultKind.SERVER)  # a SQL expression or a sequence
    if column.server_default is not None:
        return Default(DefaultKind.SERVER)
    return NO_DEFAULT


def _python_literal(value: object) -> str | None:
    """Python source for a constant default, or None when it is no simple constant."""
    if isinstance(value, enum.Enum):
        return f"{type(value).__name__}.{value.name}"
    if isinstance(value, decimal.Decimal):
        return f'Decimal("{value}")'
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    return None


def _is_generated(
    column: sa.Column[Any], table: sa.Table, kind: ScalarKind, default: Default
) -> bool:
    """True when the database or the ORM owns the value, so no request may set it."""
    if column.computed is not None or column.identity is not None:
        return True
    if column.onupdate is not None or column.server_onupdate is not None:
        return True
    if column.primary_key:
        return table.autoincrement_column is column or default.kind in (
            DefaultKind.FACTORY,
            DefaultKind.SERVER,
        )
    # created_at / updated_at style: a timestamp the database or the ORM stamps.
    return kind is ScalarKind.DATETIME and default.kind in (
        DefaultKind.FACTORY,
        DefaultKind.SERVER,
    )


def _is_unique(column: sa.Column[Any], table: sa.Table) -> bool:
    if column.unique:
        return True
    single_column_sets = [
        list(c.columns) for c in table.constraints if isinstance(c, sa.UniqueConstraint)
    ] + [list(i.columns) for i in table.indexes if i.unique]
    return any(cols == [column] for cols in single_column_sets)


def _is_indexed(column: sa.Column[Any], table: sa.Table) -> bool:
    if column.index or column.primary_key:
        return True
    return any(list(index.columns)[:1] == [column] for index in table.indexes)


def _foreign_key(column: sa.Column[Any], table_models: dict[str, str]) -> ForeignKey | None:
    keys = sorted(column.foreign_keys, key=lambda fk: fk.target_fullname)
    if not keys:
        return None
    target = keys[0].column
    return ForeignKey(
        table=target.table.name,
        column=target.name,
        model=table_models.get(target.table.name),
        ondelete=keys[0].ondelete,
    )


def _read_relationship(cls: type, rel: RelationshipProperty[Any]) -> Relationship:
    owner_mapper: Mapper[Any] = sa.inspect(cls)
    if rel.direction is MANYTOMANY:
        kind = RelationKind.MANY_TO_MANY
    elif rel.direction is MANYTOONE:
        kind = RelationKind.MANY_TO_ONE
    else:
        kind = RelationKind.ONE_TO_MANY if rel.uselist else RelationKind.ONE_TO_ONE
    local_fields: tuple[str, ...] = ()
    if kind is RelationKind.MANY_TO_ONE:
        local_fields = tuple(
            owner_mapper.get_property_by_column(column).key
            for column in sorted(rel.local_columns, key=lambda c: c.name)
        )
    remote_fields: tuple[str, ...] = ()
    referenced_fields: tuple[str, ...] = ()
    if kind in (RelationKind.ONE_TO_MANY, RelationKind.ONE_TO_ONE):
        pairs = sorted(rel.local_remote_pairs or (), key=lambda pair: pair[1].name)
        remote_fields = tuple(rel.mapper.get_property_by_column(remote).key for _, remote in pairs)
        referenced_fields = tuple(
            owner_mapper.get_property_by_column(local).key for local, _ in pairs
        )
    secondary = rel.secondary
    return Relationship(
        name=rel.key,
        kind=kind,
        owner=cls.__name__,
        target=rel.mapper.class_.__name__,
        local_fields=local_fields,
        remote_fields=remote_fields,
        referenced_fields=referenced_fields,
        secondary=secondary.name if isinstance(secondary, sa.Table) else None,
        back_populates=rel.back_populates or None,
    )
