"""The 64 / 200 taxonomy: counts, referential integrity, time limits, admin."""

from decimal import Decimal

import pytest

from departments.models import Department
from departments.reference import load_departments
from incidents.choices import TimeLimitUnit, Urgency
from incidents.models import MajorCategory, SubCategory
from incidents.reference import load_taxonomy, parse_limit, read_categories


@pytest.fixture
def taxonomy(db):
    load_departments()
    load_taxonomy()  # present from the data migration unless a transactional test flushed it


def test_there_are_exactly_64_major_categories_and_200_sub_items(taxonomy):
    assert MajorCategory.objects.count() == 64
    assert SubCategory.objects.count() == 200
    assert load_taxonomy() == (0, 0)


def test_every_sub_item_belongs_to_its_major_by_code(taxonomy):
    for sub in SubCategory.objects.select_related("major"):
        assert sub.code.startswith(sub.major.code)


def test_every_sub_items_department_exists_and_every_department_is_used(taxonomy):
    codes = set(Department.objects.values_list("code", flat=True))
    assert {row["dept_code"] for row in read_categories()} <= codes
    used = set(SubCategory.objects.values_list("lead_department__code", flat=True))
    assert used == codes
    assert len(codes) == 21


def test_the_time_limits_match_the_source(taxonomy):
    rows = {row["sub_code"]: row for row in read_categories()}
    for sub in SubCategory.objects.all():
        row = rows[sub.code]
        limit = parse_limit(row["limit_raw"])
        assert (sub.limit_amount, sub.limit_unit) == (limit.amount, limit.unit)
        assert sub.urgency == (Urgency.URGENT if row["level"] == "紧急" else Urgency.NORMAL)
        assert sub.closing_criterion == row["close_criteria"]


def test_exposed_garbage_is_4_working_hours_for_the_cgj(taxonomy):
    sub = SubCategory.objects.get(code="0101")
    assert sub.name == "暴露垃圾"
    assert sub.lead_department.code == "CGJ"
    assert (sub.limit_amount, sub.limit_unit) == (Decimal(4), TimeLimitUnit.WORKING_HOURS)
    assert sub.limit_display == "4 工作时"


@pytest.mark.parametrize(
    ("raw", "amount", "unit"),
    [
        ("2H", Decimal(2), TimeLimitUnit.NATURAL_HOURS),
        ("0.5H", Decimal("0.5"), TimeLimitUnit.NATURAL_HOURS),
        ("4WH", Decimal(4), TimeLimitUnit.WORKING_HOURS),
        ("10WD", Decimal(10), TimeLimitUnit.WORKING_DAYS),
    ],
)
def test_limits_are_parsed(raw, amount, unit):
    assert parse_limit(raw).amount == amount
    assert parse_limit(raw).unit == unit


@pytest.mark.parametrize("raw", ["", "H", "3", "3D", "-1H", "0H", "3 WD"])
def test_malformed_limits_are_rejected(raw):
    with pytest.raises(ValueError, match="time limit"):
        parse_limit(raw)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/incidents/majorcategory/",
        "/admin/incidents/majorcategory/add/",
        "/admin/incidents/subcategory/",
        "/admin/incidents/subcategory/add/",
        "/admin/incidents/subcategory/?q=垃圾",
    ],
)
def test_admin_pages_load(client, admin_user, taxonomy, url):
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_admin_change_pages_load_and_offer_no_delete(client, admin_user, taxonomy):
    client.force_login(admin_user)
    sub = SubCategory.objects.get(code="0101")
    assert client.get(f"/admin/incidents/subcategory/{sub.pk}/change/").status_code == 200
    assert client.get(f"/admin/incidents/majorcategory/{sub.major.pk}/change/").status_code == 200
    assert client.get(f"/admin/incidents/subcategory/{sub.pk}/delete/").status_code == 403


def test_admin_retires_sub_items(client, admin_user, taxonomy):
    client.force_login(admin_user)
    sub = SubCategory.objects.get(code="0101")
    response = client.post(
        "/admin/incidents/subcategory/", {"action": "retire", "_selected_action": [sub.pk]}, follow=True
    )
    assert response.status_code == 200
    sub.refresh_from_db()
    assert not sub.is_active
    assert SubCategory.objects.count() == 200
