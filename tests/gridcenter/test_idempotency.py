"""Create-once by a phone's key (``gridcenter.idempotency``), for every kind of record that
has one: a resend returns the first record, two sends at once create one, and someone
else's key is refused without touching their record."""

from __future__ import annotations

import uuid

import pytest

from gridcenter.errors import DomainValidationError
from incidents import services as cases
from patrols import services as field
from patrols.choices import DiaryType, DirectiveTarget
from patrols.models import DiaryEntry, Directive, Patrol
from tests.city import IN_A
from tests.incidents.test_concurrency import at_once

pytestmark = pytest.mark.django_db(transaction=True)


def report(city, actor, key):
    return cases.report_case(actor, subcategory="0101", description="同一条", lat=IN_A[0], lng=IN_A[1], client_uuid=key)


def diary(city, actor, key):
    return field.create_diary_entry(actor, type=DiaryType.PATROL, content="巡查", place="测试路", client_uuid=key)


def patrol(city, actor, key):
    return field.start_patrol(actor, client_uuid=key)


def directive(city, actor, key):
    return field.send_directive(actor, text="注意", target=DirectiveTarget.ALL, client_uuid=key)


# (create, the model, who sends, someone else who may send the same kind of record)
KINDS = {
    "report": (report, None, "worker_a", "worker_b"),
    "diary entry": (diary, DiaryEntry, "worker_a", "worker_b"),
    "patrol": (patrol, Patrol, "worker_a", "worker_b"),
    "directive": (directive, Directive, "dispatcher", "admin"),
}


def record_of(result):
    for name in ("case", "entry", "patrol"):
        if hasattr(result, name):
            return getattr(result, name)
    return result


def count(model, key) -> int:
    from incidents.models import Case

    if model is None:  # the report's record, a case
        return Case.objects.filter(client_uuid=key).count()
    return model.objects.filter(client_uuid=key).count()


@pytest.mark.parametrize("kind", KINDS)
def test_a_resend_returns_the_first_record(city, kind):
    create, model, sender, _other = KINDS[kind]
    key = uuid.uuid4()
    first = record_of(create(city, getattr(city, sender), key))
    again = record_of(create(city, getattr(city, sender), str(key)))
    assert again.pk == first.pk and count(model, key) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_two_sends_at_once_create_one_record(city, kind):
    create, model, sender, _other = KINDS[kind]
    key = uuid.uuid4()
    results = at_once(*[lambda: create(city, getattr(city, sender), key)] * 2)
    assert not any(isinstance(result, Exception) for result in results), results
    assert record_of(results[0]).pk == record_of(results[1]).pk and count(model, key) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_someone_else_s_key_is_refused(city, kind):
    create, model, sender, other = KINDS[kind]
    key = uuid.uuid4()
    create(city, getattr(city, sender), key)
    with pytest.raises(DomainValidationError) as refused:
        create(city, getattr(city, other), key)
    assert "client_uuid" in refused.value.errors and count(model, key) == 1


@pytest.mark.parametrize("kind", KINDS)
def test_a_malformed_key_is_a_field_error(city, kind):
    create, _model, sender, _other = KINDS[kind]
    with pytest.raises(DomainValidationError) as refused:
        create(city, getattr(city, sender), "not-a-uuid")
    assert "client_uuid" in refused.value.errors
