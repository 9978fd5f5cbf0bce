"""Malformed input stays a 4xx and never poisons an endpoint: text that is not Unicode,
JSON nested past the bound, cursors that decode to deep structures, If-Match headers that
are no version this API gave. Each used to be a 500 (a JSON column nested 300 deep was even
committed, and every later list of its table answered 500)."""

from __future__ import annotations

import base64
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import GeneratedPackage
from tests.e2e.test_versioning_soft_delete import MODELS as VERSIONED_MODELS

JSON = {"content-type": "application/json"}


async def new_author(client: Any) -> int:
    created = await client.post("/authors", json={"email": "a@example.com", "name": "A"})
    assert created.status_code == 201, created.text
    return int(created.json()["id"])


async def test_text_that_is_not_unicode_is_refused(blog: GeneratedPackage, app_client: Any) -> None:
    async with app_client(blog) as client:
        body = '{"email": "s@example.com", "name": "\\ud800"}'  # an unpaired surrogate
        refused = await client.post("/authors", content=body, headers=JSON)
        assert refused.status_code == 422, refused.text
        assert "surrogate" in refused.text
        pair = '{"email": "e@example.com", "name": "\\ud83d\\ude00"}'  # a real pair: 😀
        kept = await client.post("/authors", content=pair, headers=JSON)
        assert kept.status_code == 201 and kept.json()["name"] == "\U0001f600", kept.text
        # A batch holds more brackets than the depth bound: its texts are checked all the same.
        batch = ",".join(f'{{"name": "t{n}"}}' for n in range(99))
        hidden = f'[{batch}, {{"name": "\\udfff"}}]'
        refused = await client.post("/tags/bulk", content=hidden, headers=JSON)
        assert refused.status_code == 422 and "surrogate" in refused.text, refused.text
        named = '{"email": "k@example.com", "name": "k", "\\ud800": 1}'  # in a key
        refused = await client.post("/authors", content=named, headers=JSON)
        assert refused.status_code == 422 and "surrogate" in refused.text, refused.text


async def test_json_nested_past_the_bound_is_refused_and_nothing_is_stored(
    blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(blog) as client:
        author = await new_author(client)
        for depth in (40, 300, 5000):
            nested = "[" * depth + "]" * depth
            post = f'{{"author_id": {author}, "title": "t", "slug": "s{depth}", "extra": {nested}}}'
            refused = await client.post("/posts", content=post, headers=JSON)
            assert refused.status_code == 422, (depth, refused.text[:200])
            whole = await client.post("/tags", content=nested, headers=JSON)
            assert whole.status_code == 422, (depth, whole.text[:200])
        listed = await client.get("/posts")
        assert listed.status_code == 200 and listed.json()["total"] == 0
        # The body and `extra` are two levels, so 30 arrays in it nest 32 deep: the most
        # allowed. The padding makes the brackets too many to skip the walk.
        for arrays, status in ((30, 201), (31, 422)):
            padding = ",".join(["[]"] * 40)
            extra = f'{{"pad": [{padding}], "deep": {"[" * arrays + "]" * arrays}}}'
            post = f'{{"author_id": {author}, "title": "t", "slug": "a{arrays}", "extra": {extra}}}'
            answered = await client.post("/posts", content=post, headers=JSON)
            assert answered.status_code == status, (arrays, answered.text[:200])
        assert (await client.get("/posts")).status_code == 200


async def test_cursors_decoding_to_deep_structures_are_refused(
    blog: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(blog) as client:
        for depth in (300, 5000):
            text = "[" * depth + "]" * depth
            cursor = base64.urlsafe_b64encode(text.encode()).decode()
            refused = await client.get("/posts", params={"cursor": cursor})
            assert refused.status_code == 422, (depth, refused.text[:200])


async def test_if_match_that_is_no_version_is_a_4xx(
    tmp_path: Path, generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    models = tmp_path / "malformed_versioned_models.py"
    models.write_text(VERSIONED_MODELS)
    package = generate(models)
    async with app_client(package) as client:
        created = await client.post("/documents", json={"title": "a"})
        assert created.status_code == 201, created.text
        url = f"/documents/{created.json()['id']}"
        for tag in ('"²"', '"٣"', '"' + "9" * 5000 + '"', '"99999999999999999999"'):
            header = {"If-Match": tag.encode()}  # raw bytes: non-ASCII digits too
            answer = await client.patch(url, json={"title": "b"}, headers=header)
            assert 400 <= answer.status_code < 500, (tag[:20], answer.status_code)
        # A version past what its column holds: in the body, the query or If-Match.
        huge = 10**22
        for answer in (
            await client.patch(url, json={"title": "b", "version": huge}),
            await client.delete(url, params={"version": huge}),
            await client.delete(url, params={"version": 2**31}),
            await client.delete(url, headers={"If-Match": f'"{2**40}"'}),
        ):
            assert 400 <= answer.status_code < 500, (answer.request.url, answer.text)
        assert (await client.get(url)).json()["title"] == "a", "nothing changed"
        good = await client.patch(url, json={"title": "b"}, headers={"If-Match": '"1"'})
        assert good.status_code == 200, good.text


async def test_a_body_past_max_body_size_is_a_413_before_parsing(
    tmp_path: Path, generate: Callable[..., GeneratedPackage], app_client: Any
) -> None:
    models = tmp_path / "limited_versioned_models.py"
    models.write_text(VERSIONED_MODELS)
    package = generate(models, max_body_size=2048)
    async with app_client(package) as client:
        small = await client.post("/documents", json={"title": "a"})
        assert small.status_code == 201, small.text
        big = {"title": "x" * 3000}  # its 422 (too long a title) would need parsing
        declared = await client.post("/documents", json=big)
        assert declared.status_code == 413, declared.text

        async def chunks() -> Any:  # no Content-Length: counted as it streams in
            for _ in range(3):
                yield b" " * 1000
            yield b'{"title": "b"}'

        streamed = await client.post("/documents", content=chunks(), headers=JSON)
        assert streamed.status_code == 413, streamed.text
        assert (await client.get("/documents")).json()["total"] == 1
