"""Apply the configuration to the IR: which models, which fields, which routes.

Runs between the source and the templates, so every choice is made once, in the IR.
"""

from __future__ import annotations

from dataclasses import replace
from typing import NamedTuple, NoReturn

from crudgen.config import Config, ModelOptions
from crudgen.errors import ConfigError, Location
from crudgen.ir import DefaultKind, Field, Model, Project, ScalarKind

_INTEGER_KINDS = {ScalarKind.SMALL_INTEGER, ScalarKind.INTEGER, ScalarKind.BIG_INTEGER}


def apply_options(project: Project, config: Config) -> Project:
    known = {m.name for m in project.models}
    _check_names(config, "include", config.include, known)
    _check_names(config, "exclude", config.exclude, known)
    _check_names(config, "models", tuple(config.models), known)
    chosen = [
        m
        for m in project.models
        if (not config.include or m.name in config.include) and m.name not in config.exclude
    ]
    if not chosen:
        raise ConfigError(
            "include/exclude leave no model to generate",
            location=_where(config),
            hint=f"the models are: {', '.join(sorted(known))}",
        )
    models = tuple(_customize(m, config.options_for(m.name), config) for m in chosen)
    return replace(project, models=models)


def _customize(model: Model, options: ModelOptions, config: Config) -> Model:
    names = {f.name for f in model.fields}
    for key in (
        "read_only",
        "exclude_fields",
        "filter_fields",
        "sort_fields",
        "version_column",
        "soft_delete_flag",
        "soft_delete_timestamp",
        "upsert_key",
    ):
        value = getattr(options, key)
        unknown = sorted({value} - names if isinstance(value, str) else set(value or ()) - names)
        if unknown:
            raise ConfigError(
                f"models.{model.name}.{key}: {model.name} has no field {', '.join(unknown)}",
                location=_where(config),
                hint=f"its fields are: {', '.join(f.name for f in model.fields)}",
            )
    features = _features(model, options, config)
    managed = {name for name in features if name}
    fields = tuple(
        replace(f, read_only=True) if f.name in managed else _restrict(f, model, options, config)
        for f in model.fields
        if f.name not in options.exclude_fields or _cannot_hide(f, model, config)
    )
    max_page_size = options.max_page_size or config.max_page_size
    page_size = min(options.page_size or config.default_page_size, max_page_size)
    return replace(
        model,
        fields=fields,
        page_size=page_size,
        max_page_size=max_page_size,
        prefix=options.prefix,
        tags=options.tags,
        operations=options.routes,
        filter_fields=options.filter_fields,
        sort_fields=options.sort_fields,
        hard_delete=options.hard_delete,
        style=options.style or config.style,
        version_field=features.version_field,
        soft_delete_flag=features.soft_delete_flag,
        soft_delete_timestamp=features.soft_delete_timestamp,
        max_batch_size=options.max_batch_size or config.max_batch_size,
        upsert_key=_upsert_key(model, fields, options, config),
    )


def _upsert_key(
    model: Model, fields: tuple[Field, ...], options: ModelOptions, config: Config
) -> tuple[str, ...]:
    """The conflict target of upserts: configured, or a primary key the client sends, or
    the first unique column the client must send; () when there is none."""
    by_name = {f.name: f for f in fields}
    primary_key = tuple(f.name for f in fields if f.primary_key)
    if options.upsert_key is not None:
        key = options.upsert_key
        unique = key == primary_key or (len(key) == 1 and by_name[key[0]].unique)
        if key and not unique:
            _refuse(model, config, f"upsert_key {list(key)} is neither the primary key nor a unique column")
        if any(not _required_input(by_name[name]) or by_name[name].read_only for name in key):
            _refuse(model, config, f"upsert_key {list(key)}: every key field must be a required input")
        return key
    if all(_required_input(by_name[name]) and not by_name[name].read_only for name in primary_key):
        return primary_key
    unique = (f for f in fields if f.unique and not f.primary_key and not f.read_only)
    return next(((f.name,) for f in unique if _required_input(f)), ())


class _Features(NamedTuple):
    version_field: str | None
    soft_delete_flag: str | None
    soft_delete_timestamp: str | None


def _features(model: Model, options: ModelOptions, config: Config) -> _Features:
    """Optimistic locking and soft delete: named in config, or recognised by column names."""
    kinds = {f.name: f.kind for f in model.fields}
    version = options.version_column or model.version_field
    if version is None and kinds.get("version") in _INTEGER_KINDS:
        version = "version"
    flag = options.soft_delete_flag
    if flag is None and kinds.get("is_deleted") is ScalarKind.BOOLEAN:
        flag = "is_deleted"
    stamp = options.soft_delete_timestamp
    if stamp is None and kinds.get("deleted_at") is ScalarKind.DATETIME:
        stamp = "deleted_at"
    roles = (
        (version, _INTEGER_KINDS, "a version column must be an integer"),
        (flag, {ScalarKind.BOOLEAN}, "a soft-delete flag must be a boolean"),
        (stamp, {ScalarKind.DATETIME}, "a soft-delete timestamp must be a datetime"),
    )
    for name, kinds_allowed, rule in roles:
        if name is not None and kinds[name] not in kinds_allowed:
            _refuse(model, config, f"{name} is {kinds[name].value}: {rule}")
        if name is not None and name in options.exclude_fields:
            _refuse(model, config, f"{name} drives a feature and cannot be in exclude_fields")
    if options.optimistic_locking is False:
        version = None
    elif options.optimistic_locking and version is None:
        _refuse(model, config, "optimistic_locking needs a version column (version_column)")
    if options.soft_delete is False:
        flag = stamp = None
    elif options.soft_delete and not (flag or stamp):
        _refuse(model, config, "soft_delete needs soft_delete_flag or soft_delete_timestamp")
    return _Features(version, flag, stamp)


def _refuse(model: Model, config: Config, problem: str) -> NoReturn:
    raise ConfigError(
        f"models.{model.name}: {problem}",
        location=_where(config),
        hint="fix [tool.crudgen.models." + model.name + "] in pyproject.toml",
    )


def _restrict(field: Field, model: Model, options: ModelOptions, config: Config) -> Field:
    if field.name not in options.read_only:
        return field
    if _required_input(field):
        raise ConfigError(
            f"models.{model.name}.read_only: {field.name} has no default and admits no null, "
            "so rows could not be created without it",
            location=_where(config),
            hint="give the column a default, or leave it writable",
        )
    return replace(field, read_only=True)


def _cannot_hide(field: Field, model: Model, config: Config) -> bool:
    """Primary keys and required inputs cannot be excluded: raise, naming them."""
    if field.primary_key or _required_input(field):
        raise ConfigError(
            f"models.{model.name}.exclude_fields: {field.name} cannot be excluded "
            "(a primary key, or a column without default that admits no null)",
            location=_where(config),
            hint="remove it from exclude_fields, or mark it read_only if it has a default",
        )
    return False


def _required_input(field: Field) -> bool:
    return not field.generated and not field.nullable and field.default.kind is DefaultKind.NONE


def _check_names(config: Config, key: str, names: tuple[str, ...], known: set[str]) -> None:
    unknown = sorted(set(names) - known)
    if unknown:
        raise ConfigError(
            f"{key}: no model named {', '.join(unknown)}",
            location=_where(config),
            hint=f"the models are: {', '.join(sorted(known))}",
        )


def _where(config: Config) -> Location | None:
    return Location(str(config.pyproject)) if config.pyproject else None
