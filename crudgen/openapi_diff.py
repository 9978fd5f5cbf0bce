"""Compare two OpenAPI documents of a generated API: what breaks its clients, what does not.

Pure data in, a list of `ApiChange` out. The rules, from a client's side:

- a route (method and path) removed is breaking; one added is not;
- a request may carry less than before, never more: a request field or parameter removed
  (the API forbids unknown fields) or newly required, a narrower type (a lower maxLength or
  maximum, a higher minLength or minimum, an enum member or a null no longer admitted, a
  new pattern, another type) are breaking; an optional field added, a wider type are not;
- a response may carry more than before, never less: a field removed, one that may now be
  null or missing, another type, a new enum member are breaking; a field added is not;
- the success status code of a route changed is breaking; a response added is not.
"""

from __future__ import annotations

import enum
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Bounds where a larger value admits more (an upper bound) or less (a lower bound).
_UPPER_BOUNDS = ("maxLength", "maximum", "exclusiveMaximum", "maxItems")
_LOWER_BOUNDS = ("minLength", "minimum", "exclusiveMinimum", "minItems")
# Schema keywords that only document: changing them changes nothing a client sends or reads.
_DOCUMENTATION = frozenset({"title", "description", "examples", "example", "default"})


class Severity(str, enum.Enum):
    BREAKING = "breaking"
    COMPATIBLE = "compatible"


@dataclass(frozen=True)
class ApiChange:
    severity: Severity
    where: str  # `POST /posts request body: title`, `GET /posts/{id}`
    what: str  # `maxLength 200 -> 100`

    @property
    def breaking(self) -> bool:
        return self.severity is Severity.BREAKING


def breaking(changes: list[ApiChange]) -> list[ApiChange]:
    return [c for c in changes if c.breaking]


def compare(old: dict[str, Any], new: dict[str, Any]) -> list[ApiChange]:
    """Every change between two OpenAPI documents, breaking ones first, each in path order."""
    found = dict.fromkeys(_Comparison(old, new).routes())  # each once, in order
    return sorted(found, key=lambda c: (not c.breaking, c.where))


class _Comparison:
    def __init__(self, old: dict[str, Any], new: dict[str, Any]) -> None:
        self.old = old
        self.new = new

    def routes(self) -> Iterator[ApiChange]:
        old_routes = _operations(self.old)
        new_routes = _operations(self.new)
        for route in sorted(old_routes.keys() - new_routes.keys()):
            yield ApiChange(Severity.BREAKING, route, "route removed")
        for route in sorted(new_routes.keys() - old_routes.keys()):
            yield ApiChange(Severity.COMPATIBLE, route, "route added")
        for route in sorted(old_routes.keys() & new_routes.keys()):
            yield from self.operation(route, old_routes[route], new_routes[route])

    def operation(self, route: str, old: Schema, new: Schema) -> Iterator[ApiChange]:
        yield from self.parameters(route, old.get("parameters", []), new.get("parameters", []))
        old_body, new_body = _json_body(old.get("requestBody")), _json_body(new.get("requestBody"))
        if old_body is not None or new_body is not None:
            where = f"{route} request body"
            if old_body is None:
                severity = _required_severity(new.get("requestBody", {}).get("required", False))
                yield ApiChange(severity, where, "body added")
            elif new_body is None:
                yield ApiChange(Severity.BREAKING, where, "body removed")
            else:
                yield from self.schemas(where, old_body, new_body, request=True)
        yield from self.responses(route, old.get("responses", {}), new.get("responses", {}))

    def parameters(self, route: str, old: list[Schema], new: list[Schema]) -> Iterator[ApiChange]:
        old_by_name = {(p["in"], p["name"]): p for p in old}
        new_by_name = {(p["in"], p["name"]): p for p in new}
        for key in sorted(old_by_name.keys() - new_by_name.keys()):
            yield ApiChange(Severity.BREAKING, f"{route} {key[0]} parameter {key[1]}", "removed")
        for key in sorted(new_by_name.keys() - old_by_name.keys()):
            severity = _required_severity(new_by_name[key].get("required", False))
            what = "required parameter added" if severity is Severity.BREAKING else "added"
            yield ApiChange(severity, f"{route} {key[0]} parameter {key[1]}", what)
        for key in sorted(old_by_name.keys() & new_by_name.keys()):
            where = f"{route} {key[0]} parameter {key[1]}"
            was, now = old_by_name[key], new_by_name[key]
            if now.get("required", False) and not was.get("required", False):
                yield ApiChange(Severity.BREAKING, where, "now required")
            elif was.get("required", False) and not now.get("required", False):
                yield ApiChange(Severity.COMPATIBLE, where, "now optional")
            yield from self.schemas(
                where, was.get("schema", {}), now.get("schema", {}), request=True
            )

    def responses(self, route: str, old: Schema, new: Schema) -> Iterator[ApiChange]:
        old_success, new_success = _success_codes(old), _success_codes(new)
        if old_success != new_success:
            what = f"success status {'/'.join(old_success)} -> {'/'.join(new_success)}"
            yield ApiChange(Severity.BREAKING, route, what)
        for code in sorted(new.keys() - old.keys() - set(new_success)):
            yield ApiChange(Severity.COMPATIBLE, f"{route} response {code}", "response added")
        for code in sorted(old.keys() & new.keys()):
            old_body, new_body = _json_body(old[code]), _json_body(new[code])
            if old_body is not None and new_body is not None:
                where = f"{route} response {code}"
                yield from self.schemas(where, old_body, new_body, request=False)

    # -- schemas ------------------------------------------------------------------------

    def schemas(
        self,
        where: str,
        old: Schema,
        new: Schema,
        *,
        request: bool,
        seen: frozenset[str] = frozenset(),
    ) -> Iterator[ApiChange]:
        """How one schema changed, for a value a client sends (request) or reads."""
        old, old_ref = self._resolved(old, self.old)
        new, new_ref = self._resolved(new, self.new)
        pair = f"{old_ref}>{new_ref}"
        if pair in seen:  # a recursive schema: its fields are compared once
            return
        seen = seen | {pair}
        old_null, old = _nullable(old)
        new_null, new = _nullable(new)
        if old_null != new_null:
            widened = new_null and not old_null
            yield ApiChange(
                _severity(widened, request),
                where,
                "null now admitted" if widened else "null no longer admitted",
            )
        old_type, new_type = _types(old), _types(new)
        if old_type and new_type and old_type != new_type:
            narrower = not (old_type <= new_type) if request else not (new_type <= old_type)
            what = f"type {_spelled(old_type)} -> {_spelled(new_type)}"
            yield ApiChange(Severity.BREAKING if narrower else Severity.COMPATIBLE, where, what)
            return
        yield from self._bounds(where, old, new, request=request)
        yield from self._members(where, old, new, request=request)
        if "properties" in old or "properties" in new:
            yield from self._properties(where, old, new, request=request, seen=seen)
        if "items" in old and "items" in new:
            yield from self.schemas(
                f"{where}[]", old["items"], new["items"], request=request, seen=seen
            )
        if "anyOf" in old or "anyOf" in new:
            yield from self._variants(where, old, new, request=request, seen=seen)

    def _properties(
        self, where: str, old: Schema, new: Schema, *, request: bool, seen: frozenset[str]
    ) -> Iterator[ApiChange]:
        old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        for name in sorted(old_fields.keys() - new_fields.keys()):
            yield ApiChange(Severity.BREAKING, f"{where}: {name}", "field removed")
        for name in sorted(new_fields.keys() - old_fields.keys()):
            if request and name in new_required:
                yield ApiChange(Severity.BREAKING, f"{where}: {name}", "required field added")
            else:
                yield ApiChange(Severity.COMPATIBLE, f"{where}: {name}", "field added")
        for name in sorted(old_fields.keys() & new_fields.keys()):
            field_where = f"{where}: {name}"
            now_required = name in new_required and name not in old_required
            now_optional = name in old_required and name not in new_required
            if now_required:
                yield ApiChange(_severity(False, request), field_where, "now required")
            elif now_optional:
                yield ApiChange(_severity(True, request), field_where, "now optional")
            yield from self.schemas(
                field_where, old_fields[name], new_fields[name], request=request, seen=seen
            )

    def _bounds(
        self, where: str, old: Schema, new: Schema, *, request: bool
    ) -> Iterator[ApiChange]:
        for keyword in (*_UPPER_BOUNDS, *_LOWER_BOUNDS):
            was, now = old.get(keyword), new.get(keyword)
            if was == now:
                continue
            upper = keyword in _UPPER_BOUNDS
            if was is None or now is None:
                widened = now is None
            else:
                widened = now > was if upper else now < was
            # A bound is the API's promise on responses too, but only requests are refused.
            severity = _severity(widened, request) if request else Severity.COMPATIBLE
            yield ApiChange(severity, where, f"{keyword} {_bound(was)} -> {_bound(now)}")
        if old.get("pattern") != new.get("pattern"):
            severity = Severity.BREAKING if request and new.get("pattern") else Severity.COMPATIBLE
            yield ApiChange(
                severity, where, f"pattern {old.get('pattern')} -> {new.get('pattern')}"
            )
        for keyword in ("format", "multipleOf"):
            if old.get(keyword) != new.get(keyword):
                what = f"{keyword} {old.get(keyword)} -> {new.get(keyword)}"
                yield ApiChange(Severity.BREAKING, where, what)

    def _members(
        self, where: str, old: Schema, new: Schema, *, request: bool
    ) -> Iterator[ApiChange]:
        if "enum" not in old and "enum" not in new:
            return
        was, now = old.get("enum"), new.get("enum")
        if was is None or now is None:
            widened = now is None
            yield ApiChange(
                _severity(widened, request), where, "enum " + ("removed" if widened else "added")
            )
            return
        removed = [v for v in was if v not in now]
        added = [v for v in now if v not in was]
        if removed:
            yield ApiChange(_severity(False, request), where, f"enum members removed: {removed}")
        if added:
            yield ApiChange(_severity(True, request), where, f"enum members added: {added}")

    def _variants(
        self, where: str, old: Schema, new: Schema, *, request: bool, seen: frozenset[str]
    ) -> Iterator[ApiChange]:
        """anyOf: variants paired by the schema they name (or their text), each compared."""
        old_variants = self._named_variants(old, self.old)
        new_variants = self._named_variants(new, self.new)
        if old_variants.keys() - new_variants.keys():
            yield ApiChange(_severity(False, request), where, "a variant of anyOf removed")
        if new_variants.keys() - old_variants.keys():
            yield ApiChange(_severity(True, request), where, "a variant of anyOf added")
        for name in sorted(old_variants.keys() & new_variants.keys()):
            named = where if name.startswith("{") else f"{where} ({name})"
            yield from self.schemas(
                named, old_variants[name], new_variants[name], request=request, seen=seen
            )

    def _named_variants(self, schema: Schema, document: dict[str, Any]) -> dict[str, Schema]:
        return {self._resolved(v, document)[1]: v for v in schema.get("anyOf", [schema])}

    def _resolved(self, schema: Schema, document: dict[str, Any]) -> tuple[Schema, str]:
        """A schema with its `$ref` (or a lone allOf of one) followed, and the name it had."""
        name = ""
        while True:
            if "$ref" in schema:
                name = schema["$ref"].rsplit("/", 1)[-1]
                schema = document.get("components", {}).get("schemas", {}).get(name, {})
            elif len(schema.get("allOf", [])) == 1:
                schema = schema["allOf"][0]
            else:
                return schema, name or _canonical(schema)


def _operations(document: dict[str, Any]) -> dict[str, Schema]:
    return {
        f"{method.upper()} {path}": operation
        for path, item in document.get("paths", {}).items()
        for method, operation in item.items()
        if method in METHODS
    }


def _json_body(holder: Schema | None) -> Schema | None:
    """The JSON schema of a request body or a response, if it has one."""
    if not holder:
        return None
    content = holder.get("content", {})
    media = content.get("application/json")
    return media.get("schema", {}) if media is not None else None


def _success_codes(responses: Schema) -> tuple[str, ...]:
    return tuple(sorted(code for code in responses if code.startswith("2")))


def _required_severity(required: bool) -> Severity:
    return Severity.BREAKING if required else Severity.COMPATIBLE


def _severity(widened: bool, request: bool) -> Severity:
    """A request may admit more, a response may promise less: the other way breaks."""
    return Severity.COMPATIBLE if widened == request else Severity.BREAKING


def _nullable(schema: Schema) -> tuple[bool, Schema]:
    """Whether null is admitted, and the schema without its null variant."""
    variants = schema.get("anyOf")
    if variants is None:
        kinds = schema.get("type")
        if isinstance(kinds, list) and "null" in kinds:
            rest = [k for k in kinds if k != "null"]
            return True, {**schema, "type": rest[0] if len(rest) == 1 else rest}
        return False, schema
    others = [v for v in variants if v.get("type") != "null"]
    if len(others) == len(variants):
        return False, schema
    meta = {k: v for k, v in schema.items() if k != "anyOf"}
    if len(others) == 1:
        return True, {**meta, **others[0]}
    return True, {**meta, "anyOf": others}


def _types(schema: Schema) -> frozenset[str]:
    kinds = schema.get("type")
    if kinds is None:
        return frozenset()
    found = set(kinds) if isinstance(kinds, list) else {kinds}
    if "number" in found:
        found.add("integer")  # a number admits every integer
    return frozenset(found)


def _spelled(kinds: frozenset[str]) -> str:
    shown = sorted(kinds - {"integer"}) if "number" in kinds else sorted(kinds)
    return "|".join(shown)


def _bound(value: Any) -> str:
    return "none" if value is None else str(value)


def _canonical(schema: Schema) -> str:
    """A schema as comparable text, without the keywords that only document it."""
    return json.dumps(_without_documentation(schema), sort_keys=True)


def _without_documentation(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_documentation(v) for k, v in value.items() if k not in _DOCUMENTATION}
    if isinstance(value, list):
        return [_without_documentation(v) for v in value]
    return value
