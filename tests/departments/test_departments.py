"""The 21 departments, their demo accounts and their admin pages."""

import pytest
from django.contrib.auth import get_user_model

from accounts.roles import Role, roles_of
from departments import demo
from departments.models import Department, Officer
from departments.reference import load_departments, read_departments
from departments.services import appoint


@pytest.fixture
def departments(db):
    load_departments()  # present from the data migration unless a transactional test flushed it
    return Department.objects.all()


def test_the_21_departments_are_loaded(departments):
    assert departments.count() == 21
    assert set(departments.values_list("code", flat=True)) == {row["code"] for row in read_departments()}
    cgj = Department.objects.get(code="CGJ")
    assert cgj.name == "城市管理和综合执法局"  # today's name, on every page
    assert cgj.former_name == "城市管理和行政执法局"  # the pre-2019 one, on record
    assert cgj.name_en.startswith("Urban Management")


def test_loading_again_creates_nothing(departments):
    assert load_departments() == 0
    assert Department.objects.count() == 21


def test_seeding_is_idempotent_and_grants_roles(departments):
    lines: list[str] = []
    demo.seed(password="demo-pass-123", log=lines.append)
    counts = (get_user_model().objects.count(), Officer.objects.count())
    demo.seed(password="demo-pass-123", log=lines.append)
    assert (get_user_model().objects.count(), Officer.objects.count()) == counts
    assert Officer.objects.count() == 42
    assert Officer.objects.filter(is_head=True).count() == 21

    officer = get_user_model().objects.get(username="officer-cgj")
    head = get_user_model().objects.get(username="head-cgj")
    assert officer.check_password("demo-pass-123")
    assert officer.officer.department.code == "CGJ"
    assert not officer.officer.is_head
    assert Role.OFFICER in roles_of(officer)
    assert Role.DEPT_HEAD in roles_of(head)
    assert Department.objects.get(code="CGJ").head.user == head
    assert lines and "21" in lines[0]


def test_appointing_a_new_head_demotes_the_old_one(departments, make_user):
    department = Department.objects.get(code="GAJ")
    first = appoint(make_user("a"), department, head=True)
    second = appoint(make_user("b"), department, head=True)
    first.refresh_from_db()
    assert not first.is_head and second.is_head
    assert department.head == second
    assert Role.DEPT_HEAD in roles_of(second.user)


@pytest.mark.parametrize(
    "url",
    [
        "/admin/departments/department/",
        "/admin/departments/department/add/",
        "/admin/departments/officer/",
        "/admin/departments/officer/add/",
    ],
)
def test_admin_pages_load(client, admin_user, departments, url):
    demo.seed(password="demo-pass-123", log=lambda line: None)
    client.force_login(admin_user)
    assert client.get(url).status_code == 200


def test_admin_department_change_page_loads(client, admin_user, departments):
    demo.seed(password="demo-pass-123", log=lambda line: None)
    client.force_login(admin_user)
    department = Department.objects.get(code="CGJ")
    officer = Officer.objects.filter(department=department).first()
    assert client.get(f"/admin/departments/department/{department.pk}/change/").status_code == 200
    assert client.get(f"/admin/departments/officer/{officer.pk}/change/").status_code == 200


# --- one name everywhere: today's, the pre-2019 one on record ------------------------------------


def test_the_seeder_gives_a_department_under_its_former_name_the_current_one(departments):
    Department.objects.filter(code="GTJ").update(name="国土资源局", former_name="")
    Department.objects.filter(code="HBJ").update(name="环保局（管理员改的）")
    load_departments()
    gtj = Department.objects.get(code="GTJ")
    assert (gtj.name, gtj.former_name) == ("自然资源局", "国土资源局")
    assert Department.objects.get(code="HBJ").name == "环保局（管理员改的）"  # an administrator's edit stays


def test_the_data_migration_moves_the_former_names_aside(departments):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate([("departments", "0002_load_departments")])
    old = executor.loader.project_state([("departments", "0002_load_departments")]).apps
    assert old.get_model("departments", "Department").objects.get(code="GTJ").name == "国土资源局"
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([("departments", "0003_current_names")])
    gtj = Department.objects.get(code="GTJ")
    assert (gtj.name, gtj.former_name) == ("自然资源局", "国土资源局")
    assert Department.objects.get(code="GAJ").former_name == ""  # a name that did not change


def test_the_admin_shows_the_current_name_and_keeps_the_former(client, admin_user, departments):
    client.force_login(admin_user)
    html = client.get("/admin/departments/department/").content.decode()
    assert "自然资源局" in html and "国土资源局" in html  # the former, in its own column
    assert html.index("自然资源局") < html.index("国土资源局")
