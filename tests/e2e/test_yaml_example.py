"""examples/shop/api.yaml, generated (models.py included) and driven over HTTP.

Runs on SQLite and PostgreSQL (`app_client`): every model's create, get, list, update and
delete; foreign keys and their on_delete; the spec's soft delete, versioning, page size,
filters, sorting and validation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from tests.conftest import EXAMPLES, GeneratedPackage

SHOP = EXAMPLES / "shop" / "api.yaml"


@pytest.fixture(scope="module")
def shop(generate_once: Callable[..., GeneratedPackage]) -> GeneratedPackage:
    return generate_once(SHOP)


async def created(client: httpx.AsyncClient, url: str, body: dict[str, Any]) -> dict[str, Any]:
    response = await client.post(url, json=body)
    assert response.status_code == 201, response.text
    result: dict[str, Any] = response.json()
    return result


async def test_every_model_is_created_read_listed_updated_and_deleted(
    shop: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(shop) as client:
        customer = await created(client, "/customers", {"email": "a@example.com", "name": "A"})
        assert customer["id"] == 1 and customer["joined_on"]  # default: today
        assert customer["created_at"] is not None  # server_default: now
        category = await created(client, "/categories", {"name": "Tea"})
        product = await created(
            client,
            "/products",
            {"sku": "T-1", "name": "Green tea", "price": "4.50", "category_id": category["id"]},
        )
        assert (product["stock"], product["status"], product["is_deleted"]) == (0, "draft", False)
        tag = await created(client, "/tags", {"name": "organic"})
        order = await created(client, "/orders", {"customer_id": customer["id"]})
        assert order["status"] == "new" and order["revision"] == 1 and len(order["id"]) == 36
        line = await created(
            client,
            "/lines",
            {"order_id": order["id"], "line": 1, "product_id": product["id"], "unit_price": "4.50"},
        )
        assert line["quantity"] == 1

        items = {
            f"/customers/{customer['id']}": {"name": "Ann"},
            f"/categories/{category['id']}": {"name": "Green tea"},
            f"/products/{product['id']}": {"stock": 12},
            f"/tags/{tag['id']}": {"name": "fair"},
            f"/orders/{order['id']}": {"status": "paid", "revision": 1},
            f"/lines/{order['id']}/1": {"quantity": 3},
        }
        for url, change in items.items():
            assert (await client.get(url)).status_code == 200, url
            collection = url.rsplit("/", 2 if url.startswith("/lines") else 1)[0]
            page = (await client.get(collection)).json()
            assert page["total"] == 1 and len(page["items"]) == 1, url
            patched = await client.patch(url, json=change)
            assert patched.status_code == 200, (url, patched.text)
            key, value = next((k, v) for k, v in change.items() if k != "revision")
            assert patched.json()[key] == value
            assert (await client.get(url)).json()[key] == value

        deletions = [  # children first: the foreign keys would refuse otherwise
            (f"/lines/{order['id']}/1", None),
            (f"/orders/{order['id']}", {"revision": 2}),
            (f"/products/{product['id']}", {"hard": "true"}),
            (f"/tags/{tag['id']}", None),
            (f"/categories/{category['id']}", None),
            (f"/customers/{customer['id']}", None),
        ]
        for url, params in deletions:
            deleted = await client.delete(url, params=params)
            assert deleted.status_code == 204, (url, deleted.text)
            assert (await client.get(url)).status_code == 404, url


async def test_foreign_keys_are_enforced_with_their_on_delete(
    shop: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(shop) as client:
        orphan = await client.post("/orders", json={"customer_id": 999})
        assert orphan.status_code == 422, "a missing customer is refused by the foreign key"
        root = await created(client, "/categories", {"name": "Drinks"})
        child = await created(client, "/categories", {"name": "Tea", "parent_id": root["id"]})
        product = await created(
            client,
            "/products",
            {"sku": "T-2", "name": "Black tea", "price": "3", "category_id": child["id"]},
        )
        in_use = await client.delete(f"/categories/{root['id']}")
        assert in_use.status_code == 409, "a parent category other rows refer to stays"
        assert (await client.delete(f"/categories/{child['id']}")).status_code == 204
        product_now = (await client.get(f"/products/{product['id']}")).json()
        assert product_now["category_id"] is None  # on_delete: set null

        customer = await created(client, "/customers", {"email": "b@example.com", "name": "B"})
        order = await created(client, "/orders", {"customer_id": customer["id"]})
        assert (await client.delete(f"/customers/{customer['id']}")).status_code == 204
        assert (await client.get(f"/orders/{order['id']}")).status_code == 404  # cascade


async def test_soft_delete_versioning_and_listing_follow_the_spec(
    shop: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(shop) as client:
        product = await created(client, "/products", {"sku": "S", "name": "Cup", "price": "2"})
        url = f"/products/{product['id']}"
        assert (await client.delete(url)).status_code == 204  # is_deleted: soft delete
        assert (await client.get(url)).status_code == 404
        hidden = await client.get("/products", params={"include_deleted": "true"})
        assert hidden.json()["items"][0]["is_deleted"] is True
        assert (await client.post(f"{url}/restore")).status_code == 200
        assert (await client.get(url)).json()["is_deleted"] is False

        customer = await created(client, "/customers", {"email": "c@example.com", "name": "C"})
        order = await created(client, "/orders", {"customer_id": customer["id"]})
        order_url = f"/orders/{order['id']}"
        assert (await client.get(order_url)).headers["etag"] == '"1"'  # version_column: revision
        stale = await client.patch(order_url, json={"note": "x"}, headers={"If-Match": '"0"'})
        assert stale.status_code == 409 and stale.json()["current_version"] == 1
        assert (await client.patch(order_url, json={"note": "x"})).status_code == 428
        assert (await client.delete(order_url, params={"revision": 1})).status_code == 204
        listed = await client.get("/orders", params={"include_deleted": "true"})
        assert listed.json()["items"][0]["deleted_at"] is not None  # deleted_at: soft delete

        for n in range(25):
            await created(client, "/products", {"sku": f"P{n:02}", "name": f"p{n}", "price": n})
        page = (await client.get("/products")).json()
        assert page["limit"] == 20 and len(page["items"]) == 20  # page_size: 20
        cheap = await client.get("/products", params={"price__lte": "3", "sort": "-price"})
        # Ties (S and P02 cost 2) in key order.
        assert [p["sku"] for p in cheap.json()["items"]] == ["P03", "S", "P02", "P01", "P00"]
        unsortable = await client.get("/products", params={"sort": "sku"})
        assert unsortable.status_code == 422  # sort_fields: name, price, stock
        unfilterable = await client.get("/products", params={"name": "p1"})
        assert unfilterable.status_code == 422  # filter_fields: sku, status, price, category_id


async def test_requests_are_validated_from_the_spec(
    shop: GeneratedPackage, app_client: Any
) -> None:
    async with app_client(shop) as client:
        base = {"sku": "V", "name": "Vase", "price": "10.00"}
        for change in (
            {"status": "sold"},  # enum values
            {"sku": "x" * 33},  # length: 32
            {"price": "1.234"},  # scale: 2
            {"id": 5},  # a generated key is no input
            {"stock": 2**31},  # integer: 32 bits
            {"is_deleted": None},  # not nullable
        ):
            response = await client.post("/products", json=base | change)
            assert response.status_code == 422, change
        first = await created(client, "/products", base | {"attributes": {"colour": ["blue"]}})
        assert first["attributes"] == {"colour": ["blue"]} and first["price"] == "10.00"
        duplicate = await client.post("/products", json=base)
        assert duplicate.status_code == 409 and duplicate.json()["field"] == "sku"  # unique
