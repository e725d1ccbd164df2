"""GET /api/v1/categories/: the tree, the search, the cache."""

import pytest
from django.utils import translation

from departments.reference import load_departments
from incidents.catalog import category_tree, invalidate_category_tree
from incidents.models import SubCategory
from incidents.reference import load_taxonomy

URL = "/api/v1/categories/"


@pytest.fixture
def taxonomy(db):
    load_departments()
    load_taxonomy()
    invalidate_category_tree()
    yield
    invalidate_category_tree()


def test_signing_in_is_required(api_client, taxonomy):
    response = api_client.get(URL)
    assert response.status_code == 401


@pytest.mark.parametrize("persona", ["grid_worker", "officer", "dispatcher", "leader", "admin_user"])
def test_everyone_signed_in_reads_the_tree(request, api_as, taxonomy, persona):
    response = api_as(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    tree = response.json()
    assert len(tree) == 64
    assert sum(len(major["subcategories"]) for major in tree) == 200


def test_the_tree_shape(api_as, grid_worker, taxonomy):
    tree = api_as(grid_worker).get(URL).json()
    first = tree[0]
    assert {"code", "name", "name_en", "domain", "subcategories"} <= set(first)
    assert first["code"] == "01" and first["name"] == "市容环境" and first["domain"] == "城市管理"
    sub = first["subcategories"][0]
    assert sub["code"] == "0101"
    assert sub["name"] == "暴露垃圾"
    assert sub["lead_department"] == {"code": "CGJ", "name": "城市管理和综合执法局"}
    assert sub["time_limit"] == {"amount": 4, "unit": "working_hours", "text": "4 工作时"}
    assert sub["urgency"] == "normal"
    assert sub["urgency_display"] == "一般"
    assert sub["closing_criterion"]
    half_hour = next(s for m in tree for s in m["subcategories"] if s["time_limit"]["amount"] == 0.5)
    assert half_hour["time_limit"]["unit"] == "natural_hours"
    assert half_hour["urgency"] == "urgent"


def test_search_finds_a_sub_item_by_any_part_of_its_chinese_name(api_as, grid_worker, taxonomy):
    tree = api_as(grid_worker).get(URL, {"q": "垃圾"}).json()
    names = [sub["name"] for major in tree for sub in major["subcategories"]]
    assert "暴露垃圾" in names
    assert all("垃圾" in name for name in names)
    assert tree[0]["code"] == "01"
    assert api_as(grid_worker).get(URL, {"q": "露垃"}).json()[0]["subcategories"][0]["code"] == "0101"
    assert api_as(grid_worker).get(URL, {"q": "不存在的东西"}).json() == []


def test_retired_sub_items_leave_the_tree_at_once(api_as, grid_worker, taxonomy):
    client = api_as(grid_worker)
    assert len(client.get(URL).json()[0]["subcategories"]) > 0  # fills the cache
    sub = SubCategory.objects.get(code="0101")
    sub.is_active = False
    sub.save()
    codes = [s["code"] for s in client.get(URL).json()[0]["subcategories"]]
    assert "0101" not in codes


def test_the_tree_is_cached_and_cheap(
    api_as, grid_worker, taxonomy, django_assert_max_num_queries, django_assert_num_queries
):
    client = api_as(grid_worker)
    with django_assert_max_num_queries(3):
        first = client.get(URL)
    with django_assert_num_queries(0):
        cached = client.get(URL)
    for response in (first, cached):
        assert response.status_code == 200
        assert sum(len(major["subcategories"]) for major in response.json()) == 200
    with django_assert_max_num_queries(3):
        found = client.get(URL, {"q": "垃圾"})
    assert found.status_code == 200
    assert "0101" in [sub["code"] for major in found.json() for sub in major["subcategories"]]


def test_the_cache_is_per_language(taxonomy):
    with translation.override("en"):
        english = category_tree()
    with translation.override("zh-hans"):
        chinese = category_tree()
    assert english[0]["subcategories"][0]["time_limit"]["text"] == "4 working hours"
    assert chinese[0]["subcategories"][0]["time_limit"]["text"] == "4 工作时"
