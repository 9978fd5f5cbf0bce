"""Derive Python and URL names from model names. Pure string functions."""

from __future__ import annotations

import re

_CAMEL_BOUNDARY = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ES_ENDINGS = ("s", "x", "z", "ch", "sh")


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


def url_segment(table_name: str) -> str:
    """`post_tags` -> `post-tags`: hyphens read better in URLs."""
    return table_name.replace("_", "-").lower()


def pascal_case(name: str) -> str:
    """`line_items` -> `LineItems`, for class names made from attribute names."""
    return "".join(part[:1].upper() + part[1:] for part in name.split("_"))
