"""Safe generated code: no SQL built from strings, whitelisted names, capped sizes, quiet errors.

The generated modules are read as Python syntax trees, so a template that ever builds SQL
text, runs a raw statement or looks an attribute up by a name from the request fails here,
whichever model produced it. Then the caps and the error bodies are checked over HTTP.
"""

from __future__ import annotations

import ast
import re
import sys
import textwrap
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from crudgen.config import ModelOptions
from tests.conftest import GeneratedPackage
from tests.e2e.conftest import ALL_TYPES_MODELS, BLOG_MODELS, BLOG_ROOT
from tests.e2e.test_auth import AUTH, ROLES
from tests.e2e.test_auth import MODELS as AUTH_MODELS
from tests.e2e.test_error_mapping import MODELS as CONSTRAINT_MODELS
from tests.e2e.test_versioning_soft_delete import MODELS as VERSIONED_MODELS

RENAMED_MODELS = textwrap.dedent(
    """
    from sqlalchemy import Column, ForeignKey, Integer, String
    from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


    class Base(DeclarativeBase):
        pass


    class Person(Base):
        __tablename__ = "people"
        id: Mapped[int] = mapped_column("person_pk", primary_key=True)
        name: Mapped[str] = mapped_column("full_name_txt", String(50), unique=True)


    class Badge(Base):
        __tablename__ = "badges"
        id = Column(Integer, primary_key=True)
        owner = Column("owner_ref", ForeignKey("people.person_pk"), nullable=False)
    """
)


AUTH_OPTIONS = ModelOptions(read_only=("owner",), roles=ROLES)
# Shapes whose queries differ by style (soft delete, versions) are scanned in both styles.
STYLES = {
    "blog": ("functions", "inline"),
    "all_types": ("functions",),
    "versioned": ("functions", "inline"),
    "constraints": ("functions",),
    "renamed": ("functions",),
    "auth": ("functions", "inline"),
}


@pytest.fixture(scope="module")
def packages(
    tmp_path_factory: pytest.TempPathFactory, generate_once: Callable[..., GeneratedPackage]
) -> Iterator[dict[str, GeneratedPackage]]:
    """One package per shape worth scanning."""
    models = tmp_path_factory.mktemp("safe_code_models")
    for name, text in (
        ("safe_versioned", VERSIONED_MODELS),
        ("safe_constraints", CONSTRAINT_MODELS),
        ("safe_renamed", RENAMED_MODELS),
    ):
        (models / f"{name}.py").write_text(text)
    sys.path.insert(0, str(BLOG_ROOT))
    try:
        yield {
            f"{name}-{style}": generate_once(*sources, style=style, **options)
            for name, sources, options in (
                ("blog", (BLOG_MODELS,), {"models": {"Tag": ModelOptions(max_page_size=5)}}),
                ("all_types", (ALL_TYPES_MODELS,), {"max_in_items": 3}),
                ("versioned", (models / "safe_versioned.py",), {}),
                ("constraints", (models / "safe_constraints.py",), {}),
                ("renamed", (models / "safe_renamed.py",), {}),
                ("auth", (AUTH_MODELS,), {"auth": AUTH, "models": {"Note": AUTH_OPTIONS}}),
            )
            for style in STYLES[name]
        }
    finally:
        sys.path.remove(str(BLOG_ROOT))


def syntax_trees(package: GeneratedPackage) -> dict[str, ast.Module]:
    return {path: ast.parse(source, path) for path, source in package.files().items()}


def where(path: str, node: ast.AST) -> str:
    return f"{path}:{getattr(node, 'lineno', '?')}: {ast.unparse(node)[:120]}"


# -- the generated source ----------------------------------------------------------------

# SQLAlchemy's ways into SQL text (called or imported), and Python's ways into code.
RAW_SQL_NAMES = {"text", "literal_column", "exec_driver_sql", "TextClause", "from_statement"}
CODE_FROM_STRINGS = {"eval", "exec", "compile", "__import__", "import_module"}
# Methods whose arguments become SQL: they must get SQLAlchemy expressions, never strings.
SQL_METHODS = {
    "execute", "scalars", "scalar", "stream", "stream_scalars", "where", "filter",
    "filter_by", "order_by", "group_by", "having", "values", "returning", "join", "select_from",
}  # fmt: skip


# What db.py's connection set-up may put into its statements: the generated bounds.
SETUP_NAMES = {"STATEMENT_TIMEOUT", "LOCK_TIMEOUT", "int", "round", "max"}


def is_connection_setup(path: str, node: ast.AST) -> bool:
    """db.py's per-connection statements (SQLite pragmas, timeouts) are written out in full;
    an f-string there may interpolate the generated constants and nothing else."""
    if path != "db.py":
        return False
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if not isinstance(node, ast.JoinedStr):
        return False
    interpolated = {
        name.id
        for value in node.values
        if isinstance(value, ast.FormattedValue)
        for name in ast.walk(value.value)
        if isinstance(name, ast.Name)
    }
    return interpolated <= SETUP_NAMES


def is_string_built(node: ast.AST) -> bool:
    """A str literal, an f-string, or `%`/`+`/`.format` over strings."""
    if isinstance(node, ast.Starred):
        node = node.value
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.BinOp):
        return is_string_built(node.left) or is_string_built(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in {"format", "join"} and is_string_built(node.func.value)
    return False


def scan(path: str, tree: ast.Module) -> list[str]:
    """What in one module could put request input into SQL or code."""
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.alias) and node.name.rsplit(".", 1)[-1] in RAW_SQL_NAMES:
            problems.append(f"imports raw SQL: {path}: {node.name}")
        if isinstance(node, ast.Call):
            method = node.func.attr if isinstance(node.func, ast.Attribute) else None
            function = node.func.id if isinstance(node.func, ast.Name) else None
            if (method or function) in RAW_SQL_NAMES or function in CODE_FROM_STRINGS:
                problems.append(f"raw SQL or code from text: {where(path, node)}")
            arguments = [*node.args, *(k.value for k in node.keywords)]
            if method in SQL_METHODS and any(
                is_string_built(a) and not is_connection_setup(path, a) for a in arguments
            ):
                problems.append(f"SQL from a string: {where(path, node)}")
            if function in {"getattr", "setattr", "hasattr", "delattr"} and not (
                len(node.args) >= 2 and isinstance(node.args[1], ast.Constant)
            ):
                problems.append(f"attribute named at run time: {where(path, node)}")
        # `Model.__table__.c[...]` must name its column in the source, not from input.
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "c"
            and not isinstance(node.slice, ast.Constant)
        ):
            problems.append(f"column named at run time: {where(path, node)}")
    return problems


@pytest.mark.parametrize(
    "key", [f"{name}-{style}" for name, styles in STYLES.items() for style in styles]
)
def test_generated_code_builds_no_sql_from_strings(
    key: str, packages: dict[str, GeneratedPackage]
) -> None:
    trees = syntax_trees(packages[key])
    assert {"errors.py", "query.py", "schemas/__init__.py"} <= set(trees)
    problems = [problem for path, tree in trees.items() for problem in scan(path, tree)]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "line",
    [
        'rows = await session.execute(text("SELECT * FROM posts"))',
        'await session.execute(f"DELETE FROM posts WHERE id = {key}")',
        'await connection.exec_driver_sql("DROP TABLE posts")',
        'statement = statement.order_by("title " + direction)',
        'statement = statement.where("id = {}".format(key))',
        "statement = statement.order_by(literal_column(query.sort))",
        "statement = statement.order_by(getattr(Post, query.sort))",
        "statement = statement.where(Post.__table__.c[query.field] == value)",
        "value = eval(query.expression)",
    ],
)
def test_the_scan_catches_what_it_looks_for(line: str) -> None:
    assert scan("careless.py", ast.parse(line)), line


def test_connection_setup_may_interpolate_the_bounds_and_nothing_else() -> None:
    bounded = 'cursor.execute(f"SET lock_timeout = {int(LOCK_TIMEOUT * 1000)}")'
    assert not scan("db.py", ast.parse(bounded))
    assert scan("db.py", ast.parse('cursor.execute(f"SET search_path = {schema}")'))
    assert scan("query.py", ast.parse(bounded))


def test_sort_columns_are_a_whitelist_of_the_schemas_fields(
    packages: dict[str, GeneratedPackage],
) -> None:
    """`sort` can only name the fields the list query schema lists: written out, or the
    fields the API returns less those that cannot sort (`_readable`), never anything a
    request brings; and those are the only columns the shared list operation orders by."""
    package = packages["blog-functions"]
    for name, unsortable in (("post", {"extra"}), ("tag", set())):
        schemas = package.module(f"schemas.{name}")
        listing = getattr(schemas, f"{name.title()}ListQuery")
        readable = getattr(schemas, f"{name.title()}PartialRead").model_fields
        assert listing._sortable == tuple(f for f in readable if f not in unsortable)
        tree = syntax_trees(package)[f"schemas/{name}.py"]
        (written,) = [
            node.value
            for node in ast.walk(tree)
            if isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and node.target.id == "_sortable"
        ]
        assert written is not None
        named = {node.id for node in ast.walk(written) if isinstance(node, ast.Name)}
        assert named <= {"_readable", "tuple", "name"}, named
        resource = package.module(f"crud.{name}").resource
        assert tuple(resource.sortable) == listing._sortable


# -- caps over HTTP -----------------------------------------------------------------------


async def test_page_sizes_are_capped(
    packages: dict[str, GeneratedPackage], app_client: Any
) -> None:
    async with app_client(packages["blog-functions"]) as client:
        assert (await client.get("/posts?limit=100")).status_code == 200
        for query in ("limit=101", "limit=0", f"offset={2**63}"):
            response = await client.get(f"/posts?{query}")
            assert response.status_code == 422, (query, response.text)
        assert (await client.get("/tags?limit=5")).status_code == 200
        capped = await client.get("/tags?limit=6")
        assert capped.status_code == 422, "max_page_size = 5 for Tag"
        assert capped.json()["detail"][0]["ctx"] == {"le": 5}


async def test_in_lists_are_capped(packages: dict[str, GeneratedPackage], app_client: Any) -> None:
    async with app_client(packages["blog-functions"]) as client:
        ids = [("id__in", n) for n in range(101)]
        assert (await client.get("/posts", params=ids[:100])).status_code == 200
        refused = await client.get("/posts", params=ids)
        assert refused.status_code == 422
        assert refused.json()["detail"][0]["loc"] == ["query", "id__in"]
    async with app_client(packages["all_types-functions"]) as client:
        labels = [("title__in", str(n)) for n in range(4)]
        assert (await client.get("/levels", params=labels[:3])).status_code == 200
        assert (await client.get("/levels", params=labels)).status_code == 422, "max_in_items=3"


async def test_sort_and_filter_names_outside_the_whitelist_are_refused(
    packages: dict[str, GeneratedPackage], app_client: Any
) -> None:
    async with app_client(packages["blog-functions"]) as client:
        for query in (
            "sort=id;DROP TABLE posts",
            "sort=__class__",
            "sort=author.name",
            "sort=-",
            "sort=extra",  # a column, but JSON: not sortable
            "title;--=x",
            "__class__=x",
            "author__name=x",
        ):
            response = await client.get("/posts", params=dict([query.split("=", 1)]))
            assert response.status_code == 422, (query, response.text)
        assert (await client.get("/tags")).json()["total"] == 0, "the tables are still there"


# -- error bodies ------------------------------------------------------------------------

LEAKS = re.compile(
    r"SELECT|INSERT|UPDATE|DELETE|WHERE|VALUES|\[SQL|Traceback|File \"|sqlalchemy|asyncpg"
    r"|sqlite|psycopg|aiomysql|IntegrityError|DBAPIError|DETAIL|constraint \"|_key\b|_fkey"
    r"|person_pk|full_name_txt|owner_ref|people|warehouses|stocks|quantity_not_negative",
)


def assert_quiet(response: httpx.Response, status: int, field: str | None = None) -> None:
    """The status, a short body of known keys, and nothing of the SQL or the schema behind it.

    `field` is the only field the body may name (SQLite names none for a foreign key).
    """
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) <= {"detail", "field", "current_version"}, body
    assert isinstance(body["detail"], str) and len(body["detail"]) < 120, body
    assert body.get("field") in (None, field), body
    assert not LEAKS.search(response.text), response.text


async def test_database_errors_name_a_field_and_nothing_else(
    packages: dict[str, GeneratedPackage], app_client: Any
) -> None:
    async with app_client(packages["constraints-functions"]) as client:
        warehouse = (await client.post("/warehouses", json={"code": "AMS"})).json()
        duplicate = await client.post("/warehouses", json={"code": "AMS"})
        assert_quiet(duplicate, 409, "code")
        assert duplicate.json()["field"] == "code"
        stock = {"warehouse_id": 999, "sku": "x"}
        assert_quiet(await client.post("/stocks", json=stock), 422, "warehouse_id")
        stock["warehouse_id"] = warehouse["id"]
        assert (await client.post("/stocks", json=stock)).status_code == 201
        negative = await client.post("/stocks", json=stock | {"sku": "y", "quantity": -1})
        assert_quiet(negative, 422)
        assert_quiet(await client.delete(f"/warehouses/{warehouse['id']}"), 409)


async def test_errors_on_renamed_columns_name_the_api_field(
    packages: dict[str, GeneratedPackage], app_client: Any
) -> None:
    """A column called `full_name_txt` behind the field `name` stays out of error bodies."""
    async with app_client(packages["renamed-functions"]) as client:
        person = (await client.post("/people", json={"name": "Ann"})).json()
        duplicate = await client.post("/people", json={"name": "Ann"})
        assert_quiet(duplicate, 409, "name")
        assert duplicate.json() == {"detail": "Another row already has this name", "field": "name"}
        assert_quiet(await client.post("/badges", json={"owner": 999}), 422, "owner")
        assert (await client.post("/badges", json={"owner": person["id"]})).status_code == 201
        assert_quiet(await client.delete(f"/people/{person['id']}"), 409)


async def test_unexpected_database_error_is_a_bare_500_logged_once_with_its_request_id(
    packages: dict[str, GeneratedPackage], app_client: Any, caplog: pytest.LogCaptureFixture
) -> None:
    package = packages["blog-functions"]
    async with app_client(package) as client:  # sets up the database and the session
        app = package.module("app").app
        sessions = app.dependency_overrides[package.module("db").get_db]
        async for session in sessions():
            from sqlalchemy import text

            await session.execute(text("DROP TABLE comments"))  # the test breaks the database
            await session.commit()
        ok = await client.get("/posts", headers={"X-Request-ID": "trace-42"})
        assert ok.headers["x-request-id"] == "trace-42", "a client's id is honoured"
        for given, kept in (("t" * 64, True), ("t" * 65, False)):
            answered = await client.get("/posts", headers={"X-Request-ID": given})
            assert (answered.headers["x-request-id"] == given) is kept, given
        from starlette.requests import Request

        line_break = Request({"type": "http", "headers": [(b"x-request-id", b"trace\n")]})
        assert len(package.module("errors")._request_id(line_break)) == 32, "never echoed"
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as quiet:
            secret = "hunter2-" * 3
            response = await quiet.post(
                "/comments",
                json={"post_id": 1, "author_name": secret, "body": secret},
                headers={"X-Request-ID": "bad id with spaces"},
            )
    assert response.status_code == 500
    request_id = response.headers["x-request-id"]
    assert request_id != "bad id with spaces" and len(request_id) == 32, "a new id"
    assert response.json() == {"detail": "Internal Server Error", "request_id": request_id}
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert len(logged) == 1, "logged once, by its request id"
    assert "POST /comments" in logged[0].getMessage()
    assert "hunter2" not in caplog.text, "never the request's data"


def test_the_queries_are_where_the_scan_reads(
    packages: dict[str, GeneratedPackage],
) -> None:
    """The scan is only as good as what it reads: the shared operations hold the queries,
    and inline routers call them as crud modules do."""
    inline = packages["blog-inline"].files()
    assert "crud/post.py" not in inline and "resource.create(" in inline["routers/post.py"]
    assert "resource.create(" in packages["blog-functions"].files()["crud/post.py"]
    for package in ("blog-inline", "blog-functions"):
        assert "select(" in packages[package].files()["resource.py"]
    assert "auth.py" in packages["auth-functions"].files(), "the auth module is scanned too"
