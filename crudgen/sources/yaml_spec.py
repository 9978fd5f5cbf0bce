"""Read a YAML spec into the IR: `crudgen generate api.yaml`.

The spec is read with the position of every key (spec_document), its shape and meaning are
checked with every problem reported at once (spec_model, spec_checks), and it becomes the
same IR dataclasses the SQLAlchemy source builds, the per-model options it sets (the keys of
`[tool.crudgen.models.X]`), and the declarations of the `models.py` crudgen writes for it.
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crudgen.config import ModelOptions
from crudgen.errors import Location, SourceError
from crudgen.ir import (
    NO_DEFAULT,
    AssociationColumn,
    AssociationTable,
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
from crudgen.sources import is_spec
from crudgen.sources.spec_checks import FACTORIES, INTEGER_KINDS, Resolved, check, decimal_value
from crudgen.sources.spec_document import Document, read_document, validate
from crudgen.sources.spec_model import FieldSpec, ModelSpec, RelationshipSpec, Spec

# The generated package's own models.py, as the schemas/crud/routers/hooks modules import it.
MODELS_MODULE = "..models"
ROOT_MODELS_MODULE = ".models"  # as db.py, at the package root, imports it


@dataclass(frozen=True)
class LoadedSpec:
    project: Project
    model_options: Mapping[str, ModelOptions]  # the spec's option layer, by model name
    document: Document  # the spec as read, to place a problem at one of its keys
    warnings: tuple[str, ...] = ()

    def locate(self, path: tuple[str, ...]) -> Location:
        """Where the spec writes the key at `path` (e.g. `("models", "Post", "read_only")`)."""
        return self.document.locate(path, at_key=True)[1]


def load_spec(sources: Sequence[str], *, title: str = "crudgen API") -> LoadedSpec:
    """Read, check and translate one YAML spec; SpecError lists every problem in it."""
    path = _only_spec(sources)
    document = read_document(path)
    spec = validate(document)
    resolved = check(spec, document)
    project = build_project(spec, resolved, document, title=title)
    return LoadedSpec(project, spec.models, document)


def _only_spec(sources: Sequence[str]) -> str:
    if len(sources) != 1:
        raise SourceError(
            f"a YAML spec is a project's only source; got {', '.join(sources)}",
            location=Location(next(s for s in sources if is_spec(s))),
            hint="describe every model in the one spec, or use SQLAlchemy models only",
        )
    return sources[0]


# -- building the IR ---------------------------------------------------------------------------


def build_project(spec: Spec, resolved: Resolved, document: Document, *, title: str) -> Project:
    declared = tuple(
        _model(name, model, spec, resolved, document) for name, model in spec.models.items()
    )
    models = tuple(sorted(declared, key=lambda m: m.name))
    return Project(
        models=models,
        sources=(Path(document.file).name,),
        # A mapped class, as for Python models: its mapper holds the metadata of every table.
        metadata_owners=(MetadataOwner(ROOT_MODELS_MODULE, models[0].name),),
        title=title,
        declared_models=declared,
        association_tables=_association_tables(spec, resolved),
    )


def _model(
    name: str, model: ModelSpec, spec: Spec, resolved: Resolved, document: Document
) -> Model:
    return Model(
        name=name,
        module=MODELS_MODULE,
        table=resolved.tables[name],
        fields=tuple(_field(field_name, model, resolved) for field_name in model.fields),
        relationships=tuple(
            _relationship(name, rel_name, rel, spec, resolved)
            for rel_name, rel in model.relationships.items()
        ),
        description=first_paragraph(model.description),
        docstring=model.description.strip() if model.description else None,
        location=document.locate(("models", name), at_key=True)[1],
    )


def first_paragraph(text: str | None) -> str | None:
    """What the SQLAlchemy source reads from a class docstring."""
    return inspect.cleandoc(text).split("\n\n")[0] if text and text.strip() else None


def _field(name: str, model: ModelSpec, resolved: Resolved) -> Field:
    spec_field = model.fields[name]
    kind = ScalarKind(spec_field.type)
    default = field_default(spec_field, kind)
    # Decided as SQLAlchemy decides: see _is_generated in crudgen/sources/sqlalchemy.py.
    generated_key = spec_field.primary_key and (
        _autoincrements(name, model) or default.kind in (DefaultKind.FACTORY, DefaultKind.SERVER)
    )
    stamped = kind is ScalarKind.DATETIME and default.kind in (
        DefaultKind.FACTORY,
        DefaultKind.SERVER,
    )
    return Field(
        name=name,
        column=spec_field.column or name,
        kind=kind,
        nullable=spec_field.nullable,
        primary_key=spec_field.primary_key,
        generated=generated_key or stamped or spec_field.on_update is not None,
        default=default,
        unique=spec_field.unique,
        indexed=spec_field.index or spec_field.primary_key,
        max_length=_max_length(spec_field, kind),
        precision=spec_field.precision if kind is ScalarKind.DECIMAL else None,
        scale=spec_field.scale if kind is ScalarKind.DECIMAL else None,
        timezone=spec_field.timezone,
        enum=EnumSpec(tuple(spec_field.values or ())) if kind is ScalarKind.ENUM else None,
        foreign_key=_foreign_key(spec_field, resolved),
        description=spec_field.description,
        server_default=spec_field.server_default,
        stamped_on_update=spec_field.on_update is not None,
    )


def _autoincrements(name: str, model: ModelSpec) -> bool:
    """A lone integer primary key without default or foreign key: the database numbers it."""
    spec_field = model.fields[name]
    keys = [n for n, f in model.fields.items() if f.primary_key]
    return (
        keys == [name]
        and ScalarKind(spec_field.type) in INTEGER_KINDS
        and spec_field.foreign_key is None
        and spec_field.default is None
        and spec_field.server_default is None
    )


def _max_length(spec_field: FieldSpec, kind: ScalarKind) -> int | None:
    if kind is ScalarKind.ENUM:  # SQLAlchemy sizes an Enum by its longest value
        return max(len(value) for value in spec_field.values or ("",))
    return spec_field.length


def field_default(spec_field: FieldSpec, kind: ScalarKind) -> Default:
    if spec_field.server_default is not None:
        return Default(DefaultKind.SERVER)
    value = spec_field.default
    if value is None:
        return NO_DEFAULT
    if value == FACTORIES.get(kind):
        return Default(DefaultKind.FACTORY)
    return Default(DefaultKind.LITERAL, python_literal(kind, value))


def python_literal(kind: ScalarKind, value: Any) -> str:
    """Python source of a constant, the way the SQLAlchemy source spells it."""
    if kind is ScalarKind.DECIMAL:
        return f'Decimal("{decimal_value(value)}")'
    return repr(value)


def _foreign_key(spec_field: FieldSpec, resolved: Resolved) -> ForeignKey | None:
    if spec_field.foreign_key is None:
        return None
    table, column = spec_field.foreign_key.split(".")
    model = next((m for m, t in resolved.tables.items() if t == table), None)
    ondelete = spec_field.on_delete.upper() if spec_field.on_delete else None
    return ForeignKey(table=table, column=column, model=model, ondelete=ondelete)


def _relationship(
    owner: str, name: str, rel: RelationshipSpec, spec: Spec, resolved: Resolved
) -> Relationship:
    kind = RelationKind(rel.kind)
    local_fields: tuple[str, ...] = ()
    remote_fields: tuple[str, ...] = ()
    referenced_fields: tuple[str, ...] = ()
    join = resolved.fk_fields.get((owner, name), ())
    names_join = bool(join) and set(join) != set(_links(spec, resolved, owner, rel.target))
    if kind is RelationKind.MANY_TO_ONE:
        fields = spec.models[owner].fields
        keys = resolved.fk_fields[(owner, name)]
        local_fields = tuple(sorted(keys, key=lambda n: fields[n].column or n))
    elif kind in (RelationKind.ONE_TO_MANY, RelationKind.ONE_TO_ONE):
        remote_fields, referenced_fields = _join(
            owner, rel.target, resolved.fk_fields[(owner, name)], spec
        )
    return Relationship(
        name=name,
        kind=kind,
        owner=owner,
        target=rel.target,
        local_fields=local_fields,
        remote_fields=remote_fields,
        referenced_fields=referenced_fields,
        secondary=rel.secondary,
        back_populates=rel.back_populates,
        names_join=names_join,
    )


def _links(spec: Spec, resolved: Resolved, one: str, other: str) -> set[str]:
    """Every foreign-key field between two models' tables, either way."""
    found = set()
    for holder, referenced in {(one, other), (other, one)}:
        for name, spec_field in spec.models[holder].fields.items():
            key = spec_field.foreign_key
            if key and key.split(".")[0] == resolved.tables[referenced]:
                found.add(name)
    return found


def _association_tables(spec: Spec, resolved: Resolved) -> tuple[AssociationTable, ...]:
    """The table of each many_to_many's `secondary`: a key column per side, by model name."""
    pairs: dict[str, tuple[str, str]] = {}
    for owner, model in spec.models.items():
        for rel in model.relationships.values():
            if rel.kind == "many_to_many" and rel.secondary:
                first, second = sorted((owner, rel.target))
                pairs.setdefault(rel.secondary, (first, second))
    return tuple(
        AssociationTable(name, tuple(_association_column(spec, resolved, m) for m in pairs[name]))
        for name in sorted(pairs)
    )


def _association_column(spec: Spec, resolved: Resolved, model: str) -> AssociationColumn:
    key_name, key = next((n, f) for n, f in spec.models[model].fields.items() if f.primary_key)
    column = key.column or key_name
    return AssociationColumn(f"{snake_case(model)}_{column}", resolved.tables[model], column)


def _join(
    owner: str, target: str, keys: tuple[str, ...], spec: Spec
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The target's foreign-key fields of a one-to-many (by column name, as the SQLAlchemy
    source orders them), and the owner's fields they refer to."""
    child_fields = spec.models[target].fields
    remote = tuple(sorted(keys, key=lambda n: child_fields[n].column or n))
    owner_fields = spec.models[owner].fields
    referenced = []
    for key in remote:
        foreign_key = child_fields[key].foreign_key
        column = foreign_key.split(".")[1] if foreign_key else key
        referenced.append(next(n for n, f in owner_fields.items() if (f.column or n) == column))
    return remote, tuple(referenced)
