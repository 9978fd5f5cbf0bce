"""The resolve stage: the option layers applied to the models the source read.

The layers, each over the one before, key by key: a YAML spec's per-model options, then
`[tool.crudgen]` (project-wide settings, with command-line flags already on top, and
`[tool.crudgen.models.<Name>]`). Every choice is made here, once, into the IR. Problems are
returned as data (model, key, message); each front end places them at its own file and
line.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple, NoReturn

from crudgen.config import Config, ModelOptions, layered
from crudgen.errors import Location
from crudgen.ir import (
    DefaultKind,
    Field,
    Import,
    Model,
    NestedCreate,
    NestedRead,
    Project,
    RelationKind,
    Relationship,
    ScalarKind,
)
from crudgen.naming import pascal_case

_INTEGER_KINDS = {ScalarKind.SMALL_INTEGER, ScalarKind.INTEGER, ScalarKind.BIG_INTEGER}


@dataclass(frozen=True)
class OptionProblem:
    """An option that does not fit the models: what, and the key that says it."""

    message: str
    model: str | None = None  # None: a project-wide setting
    key: str | None = None  # the option (`read_only`, `include`); None: the model itself
    hint: str = ""
    # Set when the models, not an option's value, are the place to look (a relationship
    # that cannot be nested): the source's file and line.
    location: Location | None = None

    @property
    def path(self) -> tuple[str, ...]:
        """Where the key sits in a layer: `("models", "Post", "read_only")`, `("include",)`."""
        scope = ("models", self.model) if self.model else ()
        return (*scope, *((self.key,) if self.key else ()))


@dataclass(frozen=True)
class Resolved:
    project: Project  # the models chosen, each with every option decided
    problems: tuple[OptionProblem, ...]  # empty when the options fit
    warnings: tuple[str, ...] = ()


class _Refusal(Exception):
    """A model's options stop making sense: the rest of that model is not resolved."""

    def __init__(self, *problems: OptionProblem) -> None:
        super().__init__(problems[0].message)
        self.problems = problems


def resolve(
    project: Project, config: Config, spec_options: Mapping[str, ModelOptions] | None = None
) -> Resolved:
    """The project with the options applied; spec_options: a YAML spec's own layer."""
    layers = _merged(spec_options or {}, config)
    problems = [*_choice_problems(project, config, layers)]
    chosen = [m for m in project.models if _is_chosen(m, config)]
    problems += _partial_hierarchies(chosen)
    customized: list[Model] = []
    for model in chosen:
        try:
            customized.append(_customize(model, layers.get(model.name, ModelOptions()), config))
        except _Refusal as refusal:
            problems += refusal.problems
    if problems:
        return Resolved(project, tuple(problems))
    try:
        models = _with_relationships(tuple(customized), layers)
    except _Refusal as refusal:
        return Resolved(project, refusal.problems)
    configured = replace(project, models=models, auth=_auth_dependency(config))
    warnings = (
        *_implicit_locking_warnings(project, configured, layers),
        *_secret_warnings(configured, layers),
    )
    return Resolved(configured, (), warnings)


def _merged(spec_options: Mapping[str, ModelOptions], config: Config) -> dict[str, ModelOptions]:
    names = sorted(set(spec_options) | set(config.models))
    return {
        name: layered(spec_options.get(name, ModelOptions()), config.options_for(name))
        for name in names
    }


def _is_chosen(model: Model, config: Config) -> bool:
    included = not config.include or model.name in config.include
    return included and model.name not in config.exclude


def _choice_problems(
    project: Project, config: Config, layers: Mapping[str, ModelOptions]
) -> list[OptionProblem]:
    known = {m.name for m in project.models}
    models_hint = f"the models are: {', '.join(sorted(known))}"
    problems = [
        OptionProblem(f"no model named {', '.join(unknown)}", key=key, hint=models_hint)
        for key, names in (("include", config.include), ("exclude", config.exclude))
        if (unknown := sorted(set(names) - known))
    ]
    problems += [
        OptionProblem(f"no model named {name}", model=name, hint=models_hint)
        for name in sorted(set(layers) - known)
    ]
    if not any(_is_chosen(m, config) for m in project.models):
        key = "include" if config.include else "exclude"
        problems.append(
            OptionProblem("include/exclude leave no model to generate", key=key, hint=models_hint)
        )
    return problems


def _partial_hierarchies(models: list[Model]) -> list[OptionProblem]:
    """A class's routes answer the rows of its subclasses: each needs its schemas."""
    chosen = {m.name for m in models}
    problems = []
    for model in models:
        missing = ", ".join(name for name in model.subtypes if name not in chosen)
        if missing:
            problems.append(
                OptionProblem(
                    f"{model.name}'s routes answer rows of {missing} (its subclasses), "
                    "which include/exclude leave out",
                    key="exclude",
                    hint=f"generate {missing} too, or leave {model.name} out as well",
                )
            )
    return problems


def _implicit_locking_warnings(
    source: Project, configured: Project, layers: Mapping[str, ModelOptions]
) -> list[str]:
    """Models on which an integer column named `version` turned optimistic locking on by
    itself: clients then get a 428 without If-Match, which surprises. Said once per model."""
    declared = {m.name: m.version_field for m in source.models}
    warnings = []
    for model in configured.models:
        options = layers.get(model.name, ModelOptions())
        by_name = declared.get(model.name) is None and options.version_column is None
        if model.version_field == "version" and by_name and options.optimistic_locking is None:
            warnings.append(
                f"{model.location or model.name}: {model.name}: optimistic locking is on because "
                "of its integer column `version` (PATCH, PUT and DELETE need If-Match or the "
                "version); "
                f"turn it off with optimistic_locking = false in [tool.crudgen.models.{model.name}]"
            )
    return warnings


def _auth_dependency(config: Config) -> Import | None:
    """`app.auth:get_current_user` (or `app.auth.get_current_user`) as an import."""
    if config.auth is None:
        return None
    module, _, name = config.auth.replace(":", ".").rpartition(".")
    return Import(module, name)


def _customize(model: Model, options: ModelOptions, config: Config) -> Model:
    _check_field_names(model, options)
    features = _features(model, options)
    managed = {name for name in features if name}
    fields = tuple(
        replace(f, read_only=True) if f.name in managed else _restrict(f, options)
        for f in model.fields
        if f.name not in options.exclude_fields or _cannot_hide(f, model)
    )
    secrets = _write_only(model, fields, options)
    fields = tuple(replace(f, write_only=f.name in secrets) for f in fields)
    max_page_size = options.max_page_size or config.max_page_size
    page_size = min(options.page_size or config.default_page_size, max_page_size)
    return replace(
        model,
        fields=fields,
        page_size=page_size,
        max_page_size=max_page_size,
        prefix=options.prefix,
        plural_prefix=config.plural_prefixes,
        operation_ids=config.operation_ids,
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
        upsert_key=_upsert_key(model, fields, options),
        authenticated=config.auth is not None,
        roles=_roles(model, options, config),
    )


_FIELD_KEYS = (
    "read_only",
    "write_only",
    "exclude_fields",
    "filter_fields",
    "sort_fields",
    "version_column",
    "soft_delete_flag",
    "soft_delete_timestamp",
    "upsert_key",
)


def _check_field_names(model: Model, options: ModelOptions) -> None:
    """Each option naming fields names fields the model has: every one wrong, at once."""
    names = {f.name for f in model.fields}
    problems = []
    for key in _FIELD_KEYS:
        value = getattr(options, key)
        unknown = sorted({value} - names if isinstance(value, str) else set(value or ()) - names)
        if unknown:
            problems.append(
                OptionProblem(
                    f"{model.name} has no field {', '.join(unknown)}",
                    model=model.name,
                    key=key,
                    hint=f"its fields are: {', '.join(f.name for f in model.fields)}",
                )
            )
    if problems:
        raise _Refusal(*problems)


# Column names that say a column holds a secret: a whole word of the name (`password`,
# `hashed_password`, `api_key`, `reset_token`), never a part of one (`tokens_used`).
SECRET_WORDS = frozenset({"password", "passwd", "secret", "token", "salt", "otp"})
SECRET_NAMES = frozenset({"api_key", "apikey", "private_key", "secret_key", "pin", "pin_code"})


def looks_secret(name: str) -> bool:
    words = name.lower().split("_")
    return name.lower() in SECRET_NAMES or any(word in SECRET_WORDS for word in words)


def _write_only(model: Model, fields: tuple[Field, ...], options: ModelOptions) -> set[str]:
    """The fields a request may write but no response shows: those configured, or else
    those whose names say they hold a secret."""
    if options.write_only is None:
        return {f.name for f in fields if looks_secret(f.name) and _may_hide(f)}
    for field in fields:
        if field.name in options.write_only and not _may_hide(field):
            _refuse(
                model,
                "write_only",
                f"{field.name} is a key or is never written by a request "
                "(read_only, generated or managed by a feature)",
            )
    return set(options.write_only)


def _may_hide(field: Field) -> bool:
    return not (field.primary_key or field.read_only or field.generated)


def _secret_warnings(configured: Project, layers: Mapping[str, ModelOptions]) -> list[str]:
    """Fields made write-only by their names alone: said once each, with the setting."""
    warnings = []
    for model in configured.models:
        if layers.get(model.name, ModelOptions()).write_only is not None:
            continue
        for field in model.fields:
            if field.write_only:
                warnings.append(
                    f"{model.location or model.name}: {model.name}.{field.name} is write-only "
                    "(its name says it holds a secret): requests may set it, no response "
                    f"returns it; choose with write_only = [...] in "
                    f"[tool.crudgen.models.{model.name}]"
                )
    return warnings


def _roles(
    model: Model, options: ModelOptions, config: Config
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if options.roles and config.auth is None:
        _refuse(
            model,
            "roles",
            "roles need an auth dependency",
            hint="set auth in [tool.crudgen], or leave roles out",
        )
    return options.roles


def _upsert_key(model: Model, fields: tuple[Field, ...], options: ModelOptions) -> tuple[str, ...]:
    """The conflict target of upserts: configured, or a primary key the client sends, or
    the first unique column the client must send; () when there is none. A class of an
    inheritance hierarchy has none: one INSERT ... ON CONFLICT cannot write the tables a
    joined hierarchy spreads a row over, nor keep a row's class in a single table."""
    if model.discriminator is not None or model.parent is not None:
        if options.upsert_key:
            _refuse(model, "upsert_key", "a class of an inheritance hierarchy has no upserts")
        return ()
    by_name = {f.name: f for f in fields}
    primary_key = tuple(f.name for f in fields if f.primary_key)
    if options.upsert_key is not None:
        key = options.upsert_key
        is_unique = key == primary_key or (len(key) == 1 and by_name[key[0]].unique)
        if key and not is_unique:
            _refuse(model, "upsert_key", f"{list(key)} is neither primary key nor unique")
        if not all(_client_sends(by_name[name]) for name in key):
            _refuse(model, "upsert_key", f"{list(key)}: each must be a required input")
        return key
    if all(_client_sends(by_name[name]) for name in primary_key):
        return primary_key
    unique = (f for f in fields if f.unique and not f.primary_key)
    return next(((f.name,) for f in unique if _client_sends(f)), ())


def _client_sends(field: Field) -> bool:
    """Whether every create request must carry this field."""
    return _required_input(field) and not field.read_only


class _Features(NamedTuple):
    version_field: str | None
    soft_delete_flag: str | None
    soft_delete_timestamp: str | None


def _features(model: Model, options: ModelOptions) -> _Features:
    """Optimistic locking and soft delete: named in config, or recognised by column names."""
    kinds = {f.name: f.kind for f in model.fields}
    version = options.version_column or model.version_field
    # A key column named version (revisions kept side by side) names a row; it never moves.
    keys = {f.name for f in model.fields if f.primary_key}
    if version is None and kinds.get("version") in _INTEGER_KINDS and "version" not in keys:
        version = "version"
    flag = options.soft_delete_flag
    if flag is None and kinds.get("is_deleted") is ScalarKind.BOOLEAN:
        flag = "is_deleted"
    stamp = options.soft_delete_timestamp
    if stamp is None and kinds.get("deleted_at") is ScalarKind.DATETIME:
        stamp = "deleted_at"
    roles = (
        ("version_column", version, _INTEGER_KINDS, "a version column must be an integer"),
        ("soft_delete_flag", flag, {ScalarKind.BOOLEAN}, "a soft-delete flag must be a boolean"),
        (
            "soft_delete_timestamp",
            stamp,
            {ScalarKind.DATETIME},
            "a soft-delete timestamp must be a datetime",
        ),
    )
    for key, name, kinds_allowed, rule in roles:
        if name is not None and kinds[name] not in kinds_allowed:
            _refuse(model, key, f"{name} is {kinds[name].value}: {rule}")
        if name is not None and name in options.exclude_fields:
            _refuse(
                model, "exclude_fields", f"{name} drives a feature and cannot be in exclude_fields"
            )
    if version is not None and version in keys:
        problem = f"{version} is part of the primary key: a version moves on every write"
        _refuse(model, "version_column", problem)
    if options.optimistic_locking is False:
        version = None
    elif options.optimistic_locking and version is None:
        _refuse(
            model,
            "optimistic_locking",
            "optimistic_locking needs a version column (version_column)",
        )
    if options.soft_delete is False:
        flag = stamp = None
    elif options.soft_delete and not (flag or stamp):
        _refuse(model, "soft_delete", "soft_delete needs soft_delete_flag or soft_delete_timestamp")
    return _Features(version, flag, stamp)


def _refuse(model: Model, key: str | None, message: str, *, hint: str = "") -> NoReturn:
    raise _Refusal(OptionProblem(message, model=model.name, key=key, hint=hint))


def _restrict(field: Field, options: ModelOptions) -> Field:
    """A read_only field; one without a default must be filled by the before_create hook
    (an owner stamped from the principal), which the generated code checks."""
    if field.name not in options.read_only:
        return field
    return replace(field, read_only=True)


def _cannot_hide(field: Field, model: Model) -> bool:
    """Primary keys and required inputs cannot be excluded: refuse, naming them."""
    if field.primary_key or _required_input(field):
        _refuse(
            model,
            "exclude_fields",
            f"{field.name} cannot be excluded "
            "(a primary key, or a column without default that admits no null)",
            hint="remove it from exclude_fields, or mark it read_only if it has a default",
        )
    return False


def _required_input(field: Field) -> bool:
    return not field.generated and not field.nullable and field.default.kind is DefaultKind.NONE


# -- nested reads and creates: they need every customized model ------------------------------


def _with_relationships(
    models: tuple[Model, ...], layers: Mapping[str, ModelOptions]
) -> tuple[Model, ...]:
    by_name = {m.name: m for m in models}
    return tuple(
        replace(
            m,
            nested_reads=_nested_reads(m, by_name, layers, ()),
            nested_creates=_nested_creates(m, by_name, layers),
        )
        for m in models
    )


def _nested_reads(
    model: Model,
    by_name: dict[str, Model],
    layers: Mapping[str, ModelOptions],
    above: tuple[str, ...],
) -> tuple[NestedRead, ...]:
    """The relationships `nested_reads` names, each with everything it nests in turn;
    `above` holds the models on the way here, to refuse cycles."""
    nested = []
    for name in layers.get(model.name, ModelOptions()).nested_reads:
        relationship = _relationship(model, name, "nested_reads", by_name)
        if not relationship.loads_rows:
            _refuse_query_relationship(model, relationship)
        if relationship.target in (*above, model.name):
            path = " -> ".join((*above, model.name, relationship.target))
            _refuse(model, "nested_reads", f"they form a cycle ({path}): a row would hold itself")
        target = by_name[relationship.target]
        below = _nested_reads(target, by_name, layers, (*above, model.name))
        # A related row may be out of the request's scope, or deleted: then it is null.
        nullable = not relationship.many
        nested.append(NestedRead(relationship, target, nullable, below))
    return tuple(nested)


def _refuse_query_relationship(model: Model, relationship: Relationship) -> NoReturn:
    """Said at the relationship's declaration: the model, not the option, decides it."""
    raise _Refusal(
        OptionProblem(
            f"{model.name}.{relationship.name} is a dynamic or write-only relationship: it "
            "gives a query to run, never rows to return inside each row",
            model=model.name,
            key="nested_reads",
            hint=f"remove {relationship.name} from nested_reads of {model.name}, or declare "
            "another relationship to the same rows that loads them (e.g. viewonly=True, "
            'lazy="select")',
            location=relationship.location or model.location,
        )
    )


def _nested_creates(
    model: Model, by_name: dict[str, Model], layers: Mapping[str, ModelOptions]
) -> tuple[NestedCreate, ...]:
    nested = []
    for name in layers.get(model.name, ModelOptions()).nested_create:
        relationship = _relationship(model, name, "nested_create", by_name)
        if relationship.kind is not RelationKind.ONE_TO_MANY or not relationship.remote_fields:
            _refuse(model, "nested_create", f"{name} is not a one-to-many relationship")
        item_schema = f"{model.name}{pascal_case(name)}Item"
        nested.append(NestedCreate(relationship, by_name[relationship.target], item_schema))
    return tuple(nested)


def _relationship(model: Model, name: str, key: str, by_name: dict[str, Model]) -> Relationship:
    found = next((r for r in model.relationships if r.name == name), None)
    if found is None:
        names = ", ".join(r.name for r in model.relationships) or "none"
        _refuse(model, key, f"{model.name} has no relationship {name} (it has: {names})")
    if found.target not in by_name:
        _refuse(model, key, f"{name} leads to {found.target}, which is not generated")
    return found
