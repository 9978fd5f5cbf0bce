"""Read a YAML spec: its data, the position of every key in the file, and its shape.

`yaml.safe_load` gives the data; `yaml.compose` gives the line and column of every value and
mapping key, so a problem anywhere names file:line:col and its key path
(`models.Order.fields.total`). The shape (keys and value types) is checked by the pydantic
models of crudgen.sources.spec_model, every problem at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from crudgen.errors import Location, Problem, SourceError, SpecError
from crudgen.sources.spec_model import FieldSpec, ModelSpec, RelationshipSpec, Spec

HINT = "fix the spec (README, YAML spec); `crudgen schema` gives editors its JSON Schema"

KeyPath = tuple[Any, ...]


# -- reading: the data and where each key is -------------------------------------------------


@dataclass(frozen=True)
class Document:
    """A parsed spec: its data, and the location of every value and mapping key in it."""

    file: str
    data: Any
    values: Mapping[KeyPath, Location]
    keys: Mapping[KeyPath, Location]

    def locate(self, path: KeyPath, *, at_key: bool = False) -> tuple[KeyPath, Location]:
        """The deepest part of `path` the file has, and where it is."""
        if at_key and path in self.keys:
            return path, self.keys[path]
        for end in range(len(path), -1, -1):
            if path[:end] in self.values:
                return path[:end], self.values[path[:end]]
        return (), Location(self.file)

    def problem(self, path: KeyPath, message: str, *, at_key: bool = False) -> Problem:
        found, location = self.locate(path, at_key=at_key)
        return Problem(location, dotted(found), message)


def dotted(path: KeyPath) -> str:
    """('models', 'Post', 'routes', 0) -> `models.Post.routes[0]`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def read_document(source: str) -> Document:
    file = _display_path(source)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SourceError(f"no such file: {file}", hint="check the path to your spec") from None
    except (OSError, UnicodeDecodeError) as error:
        raise SourceError(
            f"cannot read {file}: {error}", location=Location(file), hint="save it as UTF-8 text"
        ) from error
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
        location = _location(file, mark) if mark else Location(file)
        problem = getattr(error, "problem", None) or str(error)
        raise SpecError([Problem(location, "", f"invalid YAML: {problem}")], hint=HINT) from error
    values: dict[KeyPath, Location] = {}
    keys: dict[KeyPath, Location] = {}
    duplicates: list[Problem] = []
    if root is not None:
        _record(root, (), file, values, keys, duplicates, set())
    if duplicates:
        raise SpecError(duplicates, hint=HINT)
    return Document(file, data, values, keys)


def _record(
    node: yaml.Node,
    path: KeyPath,
    file: str,
    values: dict[KeyPath, Location],
    keys: dict[KeyPath, Location],
    duplicates: list[Problem],
    open_nodes: set[int],
) -> None:
    """Note where `node` and everything below it are; report keys given twice."""
    values.setdefault(path, _location(file, node.start_mark))
    if id(node) in open_nodes:  # an alias of one of its own parents
        return
    open_nodes.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[Any, Location] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge" or not isinstance(
                key_node, yaml.ScalarNode
            ):
                continue
            key = yaml.constructor.SafeConstructor().construct_object(key_node)
            where = _location(file, key_node.start_mark)
            if key in first_seen:
                duplicates.append(
                    Problem(
                        where,
                        dotted((*path, key)),
                        f"key given twice (first at line {first_seen[key].line}); "
                        "YAML would keep only the last",
                    )
                )
            first_seen.setdefault(key, where)
            keys.setdefault((*path, key), where)
            _record(value_node, (*path, key), file, values, keys, duplicates, open_nodes)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _record(item, (*path, index), file, values, keys, duplicates, open_nodes)
    open_nodes.discard(id(node))


def _location(file: str, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _display_path(source: str) -> str:
    try:
        return str(Path(source).resolve().relative_to(Path.cwd()))
    except ValueError:
        return source


# -- shape: pydantic -------------------------------------------------------------------------


def validate(document: Document) -> Spec:
    if not isinstance(document.data, dict):
        found = "empty" if document.data is None else f"a {type(document.data).__name__}"
        raise SpecError(
            [document.problem((), f"the spec is {found}; it must be a mapping with `models:`")],
            hint=HINT,
        )
    try:
        return Spec.model_validate(document.data)
    except ValidationError as error:
        problems = [_shape_problem(document, e) for e in error.errors(include_url=False)]
        raise SpecError(in_file_order(problems), hint=HINT) from error


def _shape_problem(document: Document, error: Any) -> Problem:
    """One pydantic error as a problem at its key path; a wrong key is named at its parent."""
    loc: KeyPath = tuple(error["loc"])
    kind, given = error["type"], _short(error.get("input"))
    if kind == "missing":
        found, location = document.locate(loc[:-1], at_key=True)
        return Problem(location, dotted(found), f"missing key {loc[-1]!r}")
    if kind == "extra_forbidden":
        allowed = ", ".join(_allowed_keys(loc[:-1]))
        message = f"unknown key {loc[-1]!r}; allowed keys: {allowed}"
        return Problem(document.locate(loc, at_key=True)[1], dotted(loc[:-1]), message)
    if loc and loc[-1] == "[key]":  # a mapping key of the wrong kind
        key_path = loc[:-1]
        if isinstance(error["input"], bool):
            message = "a key YAML reads as true/false (on, off, yes, no); quote it: 'on'"
        elif kind == "literal_error":
            message = f"unknown key {given}; expected {error['ctx']['expected']}"
        else:
            message = f"key {given}: {error['msg']}"
        location = document.locate(key_path, at_key=True)[1]
        return Problem(location, dotted(key_path[:-1]), message)
    if kind == "literal_error":
        name = loc[-1] if loc and isinstance(loc[-1], str) else "value"
        return document.problem(loc, f"unknown {name} {given}; expected {error['ctx']['expected']}")
    if kind in ("unknown_type", "single_value"):
        return document.problem(loc, error["msg"])
    return document.problem(loc, f"{error['msg']} (got {given})")


def _allowed_keys(path: KeyPath) -> list[str]:
    model: type[BaseModel] = Spec
    if len(path) >= 2:
        model = ModelSpec
    if len(path) >= 4:
        model = FieldSpec if path[2] == "fields" else RelationshipSpec
    return sorted(model.model_fields)


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def in_file_order(problems: list[Problem]) -> list[Problem]:
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: (p.location.line or 0, p.location.column or 0))
