"""Timeline rows are immutable: in Django, and in the database itself (the trigger)."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from incidents.choices import CaseStatus
from incidents.models import CaseEvent, ImmutableRowError


@pytest.fixture
def event(city):
    return city.case_in(CaseStatus.DISPATCHED).events.first()


def test_the_model_refuses_to_change_or_delete_a_row(event):
    event.note = "改写历史"
    with pytest.raises(ImmutableRowError):
        event.save()
    with pytest.raises(ImmutableRowError):
        event.delete()
    with pytest.raises(ImmutableRowError):
        CaseEvent.objects.filter(pk=event.pk).update(note="改写历史")
    with pytest.raises(ImmutableRowError):
        CaseEvent.objects.filter(pk=event.pk).delete()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE incidents_caseevent SET note = 'rewritten' WHERE id = %s",
        "UPDATE incidents_caseevent SET to_status = 'closed' WHERE id = %s",
        "DELETE FROM incidents_caseevent WHERE id = %s",
    ],
)
def test_the_database_refuses_updates_and_deletes_from_any_client(event, sql):
    with pytest.raises(IntegrityError, match="immutable"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(sql, [event.pk])
    event.refresh_from_db()
    assert event.note == "" and event.to_status == CaseStatus.REPORTED


def test_inserting_rows_stays_possible_and_cases_cannot_be_deleted(city, event):
    case = event.case
    before = case.events.count()
    from incidents import services

    services.urge_case(city.leader, case, note="督办")
    assert case.events.count() == before + 1
    with pytest.raises(ProtectedError):
        case.delete()
