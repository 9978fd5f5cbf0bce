"""Derive Python and URL names from model names. Pure string functions."""

from __future__ import annotations

import re

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ES_ENDINGS = ("s", "x", "z", "ch", "sh")
# Plurals without an s, and words the same in both numbers: already plural in a URL.
_PLURAL_WORDS = frozenset(
    {"people", "children", "men", "women", "data", "media", "criteria", "series", "species"}
    | {"news", "sheep", "fish", "deer", "feet", "teeth", "mice", "geese", "staff", "info"}
)
_IRREGULAR = {"person": "people", "child": "children", "man": "men", "woman": "women"}
# Singular words ending in s: `status`, `address`, `analysis`, `bus`.
_SINGULAR_S_ENDINGS = ("ss", "us", "is")


def snake_case(name: str) -> str:
    """`BlogPost` -> `blog_post`, `HTTPLog` -> `http_log`."""
    return _CAMEL_BOUNDARY.sub("_", name).lower()


def pluralize(word: str) -> str:
    """A plural good enough for function names: `post` -> `posts`, `category` -> `categories`."""
    if word.endswith("y") and len(word) > 1 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(_ES_ENDINGS):
        return word + "es"
    return word + "s"


def plural_table_name(table_name: str) -> str:
    """The table name with its last word plural, unless it already looks plural:
    `user` -> `users`, `blog_post` -> `blog_posts`, `posts` and `people` stay."""
    head, _, last = table_name.rpartition("_")
    lower = last.lower()
    if lower in _PLURAL_WORDS or (lower.endswith("s") and not lower.endswith(_SINGULAR_S_ENDINGS)):
        return table_name
    plural = _IRREGULAR.get(lower) or pluralize(last)
    return f"{head}_{plural}" if head else plural


def url_segment(table_name: str) -> str:
    """`post_tags` -> `post-tags`: hyphens read better in URLs."""
    return table_name.replace("_", "-").lower()


def pascal_case(name: str) -> str:
    """`line_items` -> `LineItems`, for class names made from attribute names."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))
