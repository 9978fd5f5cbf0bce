"""layout: the lines it splits are black's, and what it cannot split it leaves whole."""

from __future__ import annotations

import black
import pytest

from crudgen.formatting import black_mode
from crudgen.layout import fit, fit_item, requote, string_literal

STATEMENTS = [
    "class A:\n    created_at__in: list[UtcDatetime] | None"
    " = Field(default=None, max_length=MAX_IN_ITEMS)\n",
    "class A:\n    name: str = Field(default=UNSET, max_length=100,"
    ' description="Name shown on posts, and on every comment the author writes")\n',
    "class A:\n    work_id: Mapped[int | None]"
    ' = mapped_column(ForeignKey("addresses.id", ondelete="SET NULL"))\n',
    "AuthorCreateBatch = Annotated[list[AuthorCreate],"
    " Field(min_length=1, max_length=MAX_BATCH_SIZE)]\n",
    "async def after_create(session: AsyncSession,"
    " row: AVeryLongModelNameIndeed) -> None:\n    pass\n",
    "async def authenticate(principal:"
    " Annotated[Any, Depends(current_user_from_the_token)]) -> Any:\n    pass\n",
    "def f():\n    if x:\n        raise ValueError("
    'f"item {index} repeats the name, number of an earlier item") from None\n',
]


@pytest.mark.parametrize("line_length", [60, 79, 88, 100, 120])
@pytest.mark.parametrize("source", STATEMENTS)
def test_fit_splits_as_black_does_or_leaves_the_line_long(source: str, line_length: int) -> None:
    laid_out = fit(source, line_length)
    if all(len(line) <= line_length for line in laid_out.splitlines()):
        assert black.format_str(laid_out, mode=black_mode(line_length)) == laid_out
    else:
        assert laid_out == source  # left whole: black formats the file


@pytest.mark.parametrize("line_length", [60, 88, 120])
def test_fit_item_splits_before_operators_and_between_strings(line_length: int) -> None:
    items = (
        "        description=\"Comma-separated fields, '-' first for descending: \""
        ' + ", ".join(SORTABLE_FIELDS),\n'
        '        description="next_cursor of the previous page: pages by primary key, "'
        ' "stable under inserts and deletes",\n'
    )
    source = f"class A:\n    sort: str | None = Field(\n        default=None,\n{items}    )\n"
    laid_out = source.replace(items, fit_item(items, line_length))
    if all(len(line) <= line_length for line in laid_out.splitlines()):
        assert black.format_str(laid_out, mode=black_mode(line_length)) == laid_out
    else:
        assert laid_out == source  # left whole: black formats the file


@pytest.mark.parametrize(
    "text",
    ["", "plain", "it's", 'say "hi"', "both ' and \"", "back\\slash'", "two '' one \"",
     "tab\tnew\nline", "café \x00 \u2028"],
)  # fmt: skip
def test_string_literals_are_quoted_as_black_quotes_them(text: str) -> None:
    source = f"x = {string_literal(text)}\n"
    assert eval(string_literal(text)) == text
    assert black.format_str(source, mode=black_mode()) == source


def test_requote_changes_only_the_quotes() -> None:
    source = "    level = mapped_column(Enum('low', \"it's high\", name='levels'), default='low')\n"
    expected = (
        '    level = mapped_column(Enum("low", "it\'s high", name="levels"), default="low")\n'
    )
    assert requote(source) == expected
