"""Read SQLAlchemy declarative models into the IR, through SQLAlchemy's own inspection API.

The user's models are imported for real (by file path, package directory or dotted module
name) and every mapped class is read from its mapper: `sqlalchemy.inspect(cls)`. Nothing here
parses source text.
"""

from __future__ import annotations

import decimal
import enum
import importlib
import inspect as pyinspect
import pkgutil
import re
import sys
import traceback
import typing
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import ModuleType
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import ColumnProperty, Mapper, RelationshipProperty
from sqlalchemy.orm.interfaces import MANYTOMANY, MANYTOONE

from crudgen.errors import Location, SourceError, UnsupportedTypeError, install_hint
from crudgen.ir import (
    NO_DEFAULT,
    RESERVED_KEY_NAMES,
    Default,
    DefaultKind,
    Field,
    ForeignKey,
    MetadataOwner,
    Model,
    Project,
    RelationKind,
    Relationship,
    ScalarKind,
    python_literal,
)
from crudgen.naming import snake_case
from crudgen.plan import MANIFEST
from crudgen.sources.classlines import class_line
from crudgen.sources.column_types import (
    MAPPABLE_KINDS,
    ColumnType,
    TypeMap,
    column_type,
    enum_spec_of,
    suggested_kind,
    unwrap_optional,
)


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
    if not included:
        raise SourceError(
            "no models to generate: every mapped class is in an inheritance hierarchy "
            "crudgen does not support (" + "; ".join(warnings) + ")",
            location=_location(mappers[0].class_),
            hint="use joined or single-table inheritance with a discriminator column",
        )
    _refuse_clashing_names(included)
    _refuse_shared_tables(included)
    # A table's model: the class of a hierarchy whose own table it is.
    table_models = {_table_of(m).name: m.class_.__name__ for m in included if _owns_table(m)}
    unsupported: list[UnsupportedColumn] = []
    models = tuple(_read_model(m, table_models, types, unsupported) for m in included)
    if unsupported:
        raise _unsupported_error(unsupported)
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
        # What the models import is not installed here: say which package brings it.
        hint = install_hint(error.name) if error.name else ""
        raise _import_failure(dotted, display, error, hint=hint) from error
    except Exception as error:  # the user's module raised while importing
        raise _import_failure(dotted, display, error) from error


def _import_failure(
    dotted: str, display: str, error: BaseException, *, hint: str = ""
) -> SourceError:
    frames = traceback.extract_tb(error.__traceback__)
    user_frames = [f for f in frames if "importlib" not in f.filename]
    last = user_frames[-1] if user_frames else None
    location = Location(_display_path(last.filename), last.lineno) if last else Location(display)
    return SourceError(
        f"importing {dotted} raised {type(error).__name__}: {error}",
        location=location,
        hint=hint or "the models module must import cleanly; fix the error above",
    )


def _submodules(package: ModuleType) -> list[ModuleType]:
    names = sorted(_submodule_names(list(package.__path__), package.__name__))
    return [_import(name, display=name) for name in names]


def _submodule_names(paths: list[str], prefix: str) -> Iterable[str]:
    """Every module below the package directories, skipping packages crudgen generated.

    An output directory inside the models package (`--out app/generated`) holds modules
    that import the models: read as models, they would change the sources crudgen names in
    every header, so a run right after `generate` would find everything out of date.
    """
    for info in pkgutil.iter_modules(paths, prefix=prefix + "."):
        if not info.ispkg:
            yield info.name
            continue
        directory = Path(getattr(info.module_finder, "path", "")) / info.name.rpartition(".")[2]
        if (directory / MANIFEST).exists():
            continue
        yield info.name
        yield from _submodule_names([str(directory)], info.name)


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
        problem = _unsupported_inheritance(mapper)
        if problem:
            name = mapper.class_.__name__
            warnings.append(f"{_location(mapper.class_)}: skipped {name}: {problem}")
        else:
            included.append(mapper)
    return included, warnings


def _unsupported_inheritance(mapper: Mapper[Any]) -> str | None:
    """Why crudgen cannot serve this class of an inheritance hierarchy, or None.

    Joined and single-table hierarchies are served: a route set per class, the routes of a
    class returning the rows of its subclasses too, told apart by the discriminator."""
    hierarchy = list(mapper.base_mapper.self_and_descendants)
    if len(hierarchy) == 1:
        return None
    if any(m.concrete for m in hierarchy):
        return (
            "concrete-table inheritance (each class a complete table of its own) is not "
            "supported; map the hierarchy with joined or single-table inheritance, or "
            "exclude its classes"
        )
    discriminator = mapper.polymorphic_on
    if discriminator is None and not all(_owns_table(m) for m in hierarchy):
        return (
            "single-table inheritance needs a discriminator column (polymorphic_on) to "
            "tell its classes apart"
        )
    if discriminator is None:  # joined tables: each class's routes serve its own fields
        return None
    if not isinstance(discriminator, sa.Column) or discriminator.table not in mapper.tables:
        return (
            "its discriminator (polymorphic_on) must name a mapped column, not a SQL "
            "expression, to tell the classes of the hierarchy apart"
        )
    if not isinstance(mapper.polymorphic_identity, (str, int, type(None))):
        return "its polymorphic_identity must be a string or an integer"
    return None


def _owns_table(mapper: Mapper[Any]) -> bool:
    """False for a class sharing its parent's table (single-table inheritance)."""
    parent = mapper.inherits
    return parent is None or _table_of(mapper) is not _table_of(parent)


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


def _refuse_shared_tables(mappers: list[Mapper[Any]]) -> None:
    """Two bases mapping a table of the same name: the generated app creates and serves both
    in one database, where they would be one table and one URL, each model writing rows
    the other reads."""
    seen: dict[str, Mapper[Any]] = {}
    for mapper in mappers:
        table = _table_of(mapper)
        other = seen.setdefault(table.fullname, mapper)
        if other is mapper or other.base_mapper is mapper.base_mapper:  # single table
            continue
        first, second = other.class_, mapper.class_
        raise SourceError(
            f"{first.__name__} and {second.__name__} both map a table named "
            f"{table.fullname!r}, from two declarative bases; one generated app would "
            f"serve them as one table (see {_location(first)})",
            location=_location(second),
            hint="generate each base's models into a package of its own (one run per "
            "base, each with only its modules as sources), or rename one of the tables",
        )


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


def _read_model(
    mapper: Mapper[Any],
    table_models: dict[str, str],
    types: TypeMap,
    unsupported: list[UnsupportedColumn],
) -> Model:
    """unsupported: columns of types crudgen cannot map are added here, to be reported
    all at once (every model, every column) rather than one per run."""
    cls = mapper.class_
    table = _table_of(mapper)
    discriminator = _discriminator(mapper)
    fields = []
    for prop in mapper.column_attrs:
        if not _is_plain_column(prop, mapper):
            continue
        try:
            field = _read_field(cls, prop, table_models, types)
        except UnsupportedColumn as column:
            unsupported.append(column)
            continue
        # The server writes the discriminator: a class's own identity, never the client's.
        fields.append(replace(field, generated=True) if field.name == discriminator else field)
    _refuse_reserved_key_names(cls, tuple(fields))
    return Model(
        name=cls.__name__,
        module=cls.__module__,
        table=table.name,
        fields=tuple(fields),
        relationships=tuple(_read_relationship(cls, r) for r in mapper.relationships),
        description=table.comment or _own_docstring(cls),
        location=_location(cls),
        version_field=_version_field(mapper),
        discriminator=discriminator,
        identity=mapper.polymorphic_identity if discriminator else None,
        subtypes=_subtypes(mapper),
        parent=mapper.inherits.class_.__name__ if mapper.inherits else None,
        own_table=_owns_table(mapper),
    )


def _discriminator(mapper: Mapper[Any]) -> str | None:
    """The attribute of the column telling the classes of a hierarchy apart."""
    column = mapper.polymorphic_on
    if column is None:
        return None
    return mapper.get_property_by_column(column).key


def _subtypes(mapper: Mapper[Any]) -> tuple[str, ...]:
    """The classes below this one that rows can be of (those with an identity)."""
    below = (m for m in mapper.self_and_descendants if m is not mapper)
    return tuple(sorted(m.class_.__name__ for m in below if m.polymorphic_identity is not None))


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


def _is_plain_column(prop: ColumnProperty[Any], mapper: Mapper[Any]) -> bool:
    """Skip column_property() expressions: they are computed in SELECT, not stored. A key
    of a joined hierarchy maps a column of each table: one attribute, one field."""
    tables = mapper.tables
    stored = all(getattr(column, "table", None) in tables for column in prop.columns)
    return stored and (len(prop.columns) == 1 or mapper.inherits is not None)


def _stored_column(prop: ColumnProperty[Any]) -> sa.Column[Any]:
    """The column behind an attribute: in a joined hierarchy, the base table's, which
    generates a key (a subclass table's key only refers to it)."""
    columns = [column for column in prop.columns if isinstance(column, sa.Column)]
    base_table = prop.parent.base_mapper.local_table
    return next((c for c in columns if c.table is base_table), columns[0])


def _own_docstring(cls: type) -> str | None:
    doc = cls.__dict__.get("__doc__")
    return pyinspect.cleandoc(doc).split("\n\n")[0] if doc else None


def _read_field(
    cls: type,
    prop: ColumnProperty[Any],
    table_models: dict[str, str],
    types: TypeMap,
) -> Field:
    column = _stored_column(prop)
    table = column.table
    assert isinstance(table, sa.Table)
    typed = column_type(
        column.type,
        annotation=_mapped_annotation(cls, prop.key),
        mutable=_mutable_class(cls, prop.key),
        types=types,
    )
    if typed is None:
        raise UnsupportedColumn(cls, prop.key, column.type)
    kind = typed.kind
    stored_type = typed.type_ if typed.type_ is not None else column.type
    default = _default(column)
    return Field(
        name=prop.key,
        column=column.name,
        kind=kind,
        nullable=bool(column.nullable),
        primary_key=column.primary_key,
        generated=typed.read_only or _is_generated(column, table, kind, default),
        default=default,
        unique=_is_unique(column, table),
        indexed=_is_indexed(column, table),
        max_length=_max_length(stored_type, typed),
        precision=getattr(stored_type, "precision", None) if kind is ScalarKind.DECIMAL else None,
        scale=getattr(stored_type, "scale", None) if kind is ScalarKind.DECIMAL else None,
        timezone=bool(getattr(stored_type, "timezone", False)),
        enum=enum_spec_of(stored_type) if kind is ScalarKind.ENUM else None,
        foreign_key=_foreign_key(column, table_models),
        description=column.comment or None,
        typed_attribute=_declared_as_mapped(cls, prop.key),
        value_type=typed.value_type,
        declared_constraints=typed.constraints + _pydantic_constraints(cls, prop.key),
    )


# Constraints a pydantic field declares (SQLModel's `Field(ge=0, min_length=2, ...)`), as
# annotated-types and pydantic keep them in `model_fields[...].metadata`.
_PYDANTIC_CONSTRAINTS = (
    "gt", "ge", "lt", "le", "multiple_of", "min_length", "max_length", "pattern",
    "max_digits", "decimal_places", "allow_inf_nan",
)  # fmt: skip


def _pydantic_constraints(cls: type, attribute: str) -> tuple[str, ...]:
    """`ge=0`, `pattern="^[A-Z]"`, ... of a SQLModel (pydantic) field; () for other models."""
    model_fields = getattr(cls, "model_fields", None)
    if not isinstance(model_fields, dict) or attribute not in model_fields:
        return ()
    found: dict[str, str] = {}
    for item in getattr(model_fields[attribute], "metadata", ()):
        for key in _PYDANTIC_CONSTRAINTS:
            value = getattr(item, key, None)
            literal = _constraint_literal(value)
            if literal is not None:
                found.setdefault(key, f"{key}={literal}")
    return tuple(found[key] for key in _PYDANTIC_CONSTRAINTS if key in found)


def _constraint_literal(value: object) -> str | None:
    if isinstance(value, str):
        return python_literal(value)
    if isinstance(value, (bool, int, float)):
        return repr(value)
    return None  # a Decimal or date bound: the generated module would need its import


def _max_length(stored_type: sa.types.TypeEngine[Any], typed: ColumnType) -> int | None:
    """A string's length; a value kept in some other form (a list or a UUID as text) has
    none."""
    stored_as_text = typed.kind in (
        ScalarKind.STRING,
        ScalarKind.TEXT,
        ScalarKind.ENUM,
        ScalarKind.BINARY,
    )
    if typed.value_type is not None or not stored_as_text:
        return None
    length = getattr(stored_type, "length", None)
    return length if isinstance(length, int) else None


def _mapped_annotation(cls: type, attribute: str) -> object:
    """The X of the attribute's `Mapped[X]` (`X | None` as X), or None without one."""
    for klass in cls.__mro__:
        annotation = klass.__dict__.get("__annotations__", {}).get(attribute)
        if annotation is None:
            continue
        if isinstance(annotation, str):
            namespace = {**vars(sys.modules.get(klass.__module__, sa)), **vars(klass)}
            try:
                annotation = eval(annotation, namespace)  # noqa: S307 - the user's own annotation
            except Exception:  # a name only a type checker sees: nothing to learn from it
                return None
        arguments = typing.get_args(annotation)
        if typing.get_origin(annotation) is None or not arguments:
            return None
        return unwrap_optional(arguments[0])
    return None


def _mutable_class(cls: type, attribute: str) -> type | None:
    """The sqlalchemy.ext.mutable class (MutableDict, MutableList, ...) tracking the attribute.

    SQLAlchemy keeps no record of it but the "set" listener `Mutable.as_mutable()` installs,
    a closure over that class: it is read from there.
    """
    descriptor = getattr(cls, attribute, None)
    listeners = getattr(getattr(descriptor, "dispatch", None), "set", ())
    for listener in listeners:
        for function in (listener, _closure_value(listener, "fn")):
            owner = _closure_value(function, "cls")
            if isinstance(owner, type) and any(
                base.__module__ == "sqlalchemy.ext.mutable" for base in owner.__mro__
            ):
                return owner
    return None


def _closure_value(function: object, name: str) -> object:
    code = getattr(function, "__code__", None)
    closure = getattr(function, "__closure__", None)
    if code is None or not closure or name not in code.co_freevars:
        return None
    try:
        return closure[code.co_freevars.index(name)].cell_contents
    except ValueError:  # an empty cell
        return None


def _declared_as_mapped(cls: type, attribute: str) -> bool:
    """Whether the class (or a base, or a mixin) annotates the attribute as `Mapped[...]`."""
    for klass in cls.__mro__:
        annotation = klass.__dict__.get("__annotations__", {}).get(attribute)
        if annotation is not None:
            return "Mapped" in str(annotation)
    return False


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
    # A dynamic or write-only relationship is a query to run, not rows to load.
    loads_rows = rel.lazy not in ("dynamic", "write_only")
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
        loads_rows=loads_rows,
        # Only needed to refuse it: reading the source of each relationship costs time.
        location=None if loads_rows else _attribute_location(cls, rel.key),
    )


class UnsupportedColumn(Exception):
    """A column of a type crudgen cannot map (raised per column, reported together)."""

    def __init__(self, cls: type, attribute: str, stored_type: sa.types.TypeEngine[Any]) -> None:
        super().__init__(f"{cls.__name__}.{attribute}")
        self.cls = cls
        self.attribute = attribute
        self.stored_type = stored_type

    @property
    def location(self) -> Location:
        return _attribute_location(self.cls, self.attribute)

    @property
    def message(self) -> str:
        return (
            f"column {self.cls.__name__}.{self.attribute} has type {self.stored_type!r}, "
            "which crudgen cannot map to a Pydantic type"
        )

    @property
    def type_map_entry(self) -> str:
        name = type(self.stored_type).__name__
        kind = suggested_kind(self.stored_type)
        if kind is not None:
            return f'{name} = "{kind.value}"'
        # Nothing says what its values are: a guess ("json" for an array, say) would let
        # through values the column cannot store. The user names the kind.
        return f'{name} = "<kind>"  # the kind of value its driver reads and writes'


def _unsupported_error(columns: list[UnsupportedColumn]) -> UnsupportedTypeError:
    """One error naming every column crudgen cannot map, each at its file and line, and
    the type_map lines that would map them."""
    entries = list(dict.fromkeys(column.type_map_entry for column in columns))
    hint = (
        "say what they hold in pyproject.toml:\n\n    [tool.crudgen.type_map]\n"
        + "".join(f"    {entry}\n" for entry in entries)
        + f"\n  kinds: {', '.join(MAPPABLE_KINDS)}\n"
        "  (or use a TypeDecorator whose impl is a type crudgen supports, with a\n"
        "  python_type or a Mapped[...] annotation saying what it holds)"
    )
    first = columns[0]
    if len(columns) == 1:
        return UnsupportedTypeError(first.message, location=first.location, hint=hint)
    lines = "".join(f"\n  {column.location}: {column.message}" for column in columns)
    return UnsupportedTypeError(
        f"{len(columns)} columns have types crudgen cannot map:{lines}",
        location=Location(first.location.file),
        hint=hint,
    )
