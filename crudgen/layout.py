"""Lay out generated lines the way black does, so black need not run over them.

crudgen's templates render black's layout (see formatting.needs_no_black). Where a line's
length depends on the names and texts filled in, these helpers split it as black would at
the configured line length. They know only the simple shapes the templates use; given
anything else they leave the line whole, and a line left too long sends its file through
black, which is slower but right.
"""

from __future__ import annotations

import ast
import io
import itertools
import re
import tokenize
from collections.abc import Callable

_OPENING = "([{"
_CLOSING = ")]}"
_INDENT = 4


def string_literal(text: str) -> str:
    """A string literal as black writes it: in double quotes, unless single quotes need
    fewer backslashes."""
    double, single = _quoted(text, '"'), _quoted(text, "'")
    return single if single.count("\\") < double.count("\\") else double


def _quoted(text: str, quote: str) -> str:
    escaped = (
        f"\\{char}" if char in (quote, "\\") else char if char in "'\"" else repr(char)[1:-1]
        for char in text
    )
    return f"{quote}{''.join(escaped)}{quote}"


def requote(source: str) -> str:
    """Python source with each plain string literal quoted as black quotes it."""
    strings = [t for t in _tokens(source) if t.type == tokenize.STRING and t.start[0] == t.end[0]]
    lines = source.splitlines(keepends=True)
    for token in reversed(strings):  # from the end: earlier columns stay valid
        row, start = token.start
        end = token.end[1]
        line = lines[row - 1]
        lines[row - 1] = line[:start] + requote_string(token.string) + line[end:]
    return "".join(lines)


def requote_string(literal: str) -> str:
    """One string literal written anew by string_literal, from the text it holds. Byte and
    f-strings stay as they are (the sources give none the templates requote)."""
    try:
        value = ast.literal_eval(literal)
    except (ValueError, SyntaxError):
        return literal
    return string_literal(value) if isinstance(value, str) else literal


def fit(text: str, line_length: int) -> str:
    """Lines of whole statements (each at its own indentation), each split as black splits
    it when it is too long. A template wraps the lines whose length depends on data:
    `{% filter fit %}...{% endfilter %}`."""
    return _each_line(text, fit_statement, line_length)


def fit_item(text: str, line_length: int) -> str:
    """Lines that are each one item of a bracket black keeps exploded (`name=a + b,`),
    each split as black splits it when it is too long."""
    return _each_line(text, fit_item_line, line_length)


def _each_line(text: str, fit_line: Callable[[str, int, int], str], line_length: int) -> str:
    laid_out = []
    for line in text.splitlines(keepends=True):
        content = line.rstrip("\n")
        code = content.lstrip(" ")
        indent = len(content) - len(code)
        ending = line[len(content) :]
        laid_out.append(" " * indent + fit_line(code, indent, line_length) + ending)
    return "".join(laid_out)


def fit_statement(statement: str, indent: int, line_length: int) -> str:
    """A one-line statement at `indent` spaces, split as black splits it when too long.

    The first line comes without indentation; the lines after it carry theirs. Shapes
    known: `def`/`async def` signatures (split after the first bracket) and statements
    ending in a bracket pair, optionally followed by words like `from None` (split at that
    last pair). The part between the brackets goes on a line of its own, or one item a
    line with a trailing comma when it is too long for that.
    """
    if indent + len(statement) <= line_length:
        return statement
    brackets = _bracket_pairs(statement)
    if not brackets or any(t.type == tokenize.COMMENT for t in _tokens(statement)):
        return statement  # black moves comments about as it splits: leave that to black
    is_def = statement.startswith(("def ", "async def "))
    opening, closing = brackets[0] if is_def else brackets[-1]
    head, tail = statement[: opening + 1], statement[closing:]
    body = statement[opening + 1 : closing]
    if not is_def and any(c in _OPENING + _CLOSING for c in tail[1:]):
        return statement
    inner = indent + _INDENT
    if indent + len(head) > line_length or indent + len(tail) > line_length or not body:
        return statement
    items = _split_items(body)
    if is_def and len(items) == 1 and not body.rstrip().endswith(","):
        body += ","  # black adds a comma after a lone parameter it puts on a line of its own
    # A tuple, list, set or dict literal black splits one item a line, a call's arguments
    # only when they do not fit on one.
    literal = not is_def and not re.search(r"[\w)\]'\"]\s*$", head[:-1])
    exploded = body.rstrip().endswith(",") or (literal and len(items) > 1)
    if not exploded and inner + len(body) <= line_length:
        lines = [body]
    elif len(items) > 1 or body.rstrip().endswith(","):
        lines = [f"{item}," for item in items]
    else:
        return statement
    if any(inner + len(line) > line_length for line in lines):
        return statement
    pad = " " * indent
    inside = "".join(f"\n{pad}{' ' * _INDENT}{line}" for line in lines)
    return f"{head}{inside}\n{pad}{tail}"


def fit_item_line(item: str, indent: int, line_length: int) -> str:
    """One item of a bracket black keeps exploded (`name=a + b,`), at `indent` spaces, split
    as black splits it when too long: before each `+`, or between implicitly joined
    strings, every part at the same indentation. Anything else is left whole."""
    if indent + len(item) <= line_length:
        return item
    cuts: dict[str, list[int]] = {"+": [], "strings": []}
    depth = 0
    previous = -1
    for token in _tokens(item):
        if token.type == tokenize.OP and token.string in _OPENING:
            depth += 1
        elif token.type == tokenize.OP and token.string in _CLOSING:
            depth -= 1
        elif depth == 0 and token.type == tokenize.OP and token.string == "+":
            cuts["+"].append(token.start[1])
        elif depth == 0 and token.type == tokenize.STRING and previous == tokenize.STRING:
            cuts["strings"].append(token.start[1])
        previous = token.type
    kinds = [columns for columns in cuts.values() if columns]
    if len(kinds) != 1:
        return item
    starts = [0, *kinds[0], len(item)]
    parts = [item[start:end].strip() for start, end in itertools.pairwise(starts)]
    if any(indent + len(part) > line_length for part in parts):
        return item
    return f"\n{' ' * indent}".join(parts)


def _tokens(source: str) -> list[tokenize.TokenInfo]:
    try:
        return list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return []


def _bracket_pairs(statement: str) -> list[tuple[int, int]]:
    """(opening, closing) columns of the outermost bracket pairs, outside string literals."""
    pairs: list[tuple[int, int]] = []
    depth = 0
    opening = 0
    for token in _tokens(statement):
        if token.type != tokenize.OP:
            continue
        if token.string in _OPENING:
            if depth == 0:
                opening = token.start[1]
            depth += 1
        elif token.string in _CLOSING:
            depth -= 1
            if depth == 0:
                pairs.append((opening, token.start[1]))
    return pairs


def _split_items(body: str) -> list[str]:
    """The comma-separated items of a bracket's contents, at its top level."""
    cuts = []
    depth = 0
    for token in _tokens(body):
        if token.type != tokenize.OP:
            continue
        if token.string in _OPENING:
            depth += 1
        elif token.string in _CLOSING:
            depth -= 1
        elif token.string == "," and depth == 0:
            cuts.append(token.start[1])
    items, start = [], 0
    for cut in cuts:
        items.append(body[start:cut].strip())
        start = cut + 1
    last = body[start:].strip()
    if last:
        items.append(last)
    return items
