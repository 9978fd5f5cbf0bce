"""benchmarks/api.py runs end to end: one small round on SQLite, its statement counts checked.

FastCRUD is a benchmark-only dependency (the `bench` extra): when it is not installed, as in
CI (`.[dev]`), the round runs the generated and guide apps only.
"""

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

# These tests start processes (the CLI, ruff, mypy, pre-commit) or fuzz: not in the fast tier.
pytestmark = pytest.mark.slow

BENCHMARK = Path(__file__).resolve().parents[2] / "benchmarks" / "api.py"


def load_benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("crudgen_api_benchmark", BENCHMARK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up here
    spec.loader.exec_module(module)
    return module


async def test_one_round_on_sqlite(tmp_path: Path) -> None:
    api = load_benchmark()
    app_names = ["generated", "guide", "limit"]
    app_names += ["fastcrud"] if api.fastcrud_available() else []
    sizes = api.Sizes(single=4, list=3, bulk=1, row_by_row=0)
    results = await api.run_benchmark(
        api.sqlite_url(str(tmp_path)),
        rounds=1,
        sizes=sizes,
        app_names=app_names,
        warmup=api.Sizes(single=2, list=1, bulk=0, row_by_row=0),
    )

    def statements(app: str, operation: str) -> float:
        return api.statements_per_request(results[(app, operation)], operation)

    for operation in api.SINGLE_ROW_OPERATIONS:
        assert statements("generated", operation) == 1, operation
    assert statements("generated", "list") == 1  # the page, its total riding on it as a subquery
    # The guide's PATCH: get, UPDATE, refresh.
    assert statements("guide", "update") == 3
    for operation in api.OPERATIONS:  # the limit app: one statement each, by construction
        assert statements("limit", operation) == 1, operation
    for app in app_names:
        for operation in api.OPERATIONS:
            assert len(results[(app, operation)].seconds) == 1
    report = api.report(results, sizes, app_names, postgres=False)
    assert "| create (req/s) |" in report
    assert "- [x] generated update: 1 statement(s) per request = 1" in report
    assert "| generated / limit |" in report
    # The ratios to the limit are goals on PostgreSQL only; checked, not asserted (timing).
    on_postgres = api.report(results, sizes, app_names, postgres=True)
    assert "generated create" in on_postgres and "the limit on PostgreSQL, >= 0.8x" in on_postgres
