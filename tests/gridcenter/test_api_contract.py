"""The API keeps its contract: schemathesis runs every operation of the OpenAPI schema.

The schema is the app's own (drf-spectacular, ``/api/schema/``); requests go in process to
the WSGI application, against the test database with the test city (tests/city.py) in it.
Each operation gets a bounded number of generated requests, valid and invalid, from a fixed
seed (the same requests on every run), as a dispatcher or, where only a grid worker may
act, as grid worker ``a``. Every answer must be no server error, have a documented status,
content type and body, accept what the schema calls valid and reject what it calls invalid.

Run it alone: ``pytest tests/gridcenter/test_api_contract.py``.
"""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.settings import api_settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from accounts.services import tokens

# Generated requests per operation and mode: enough to find a mismatch, few enough for
# `make test`. The coverage phase adds each parameter's boundaries and wrong types, and
# TRACE (an undocumented method: 405 with `Allow`).
MAX_EXAMPLES = 5
SEED = 20261127
CONFIG = {
    "seed": SEED,
    "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True, "mode": "all", "database": "none"},
    "phases": {"stateful": {"enabled": False}, "coverage": {"unexpected-methods": ["trace"]}},
}


# Loaded at collection: one test per operation. Requests go to the app in process.
schema = schemathesis.openapi.from_wsgi(
    "/api/schema/", get_wsgi_application(), config=SchemathesisConfig.from_dict(CONFIG)
)


@pytest.fixture(autouse=True)
def _same_connection(monkeypatch, isolated_cache):
    """Requests keep the test's database connection (and its transaction), as Django's test
    client does; the rate limits, tested on their own (test_throttling.py), would only turn
    later requests into 429s here."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    for scope in api_settings.DEFAULT_THROTTLE_RATES:
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, "1000000/min")
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


# Operations only a grid worker may call: they run as grid worker ``a``, the others as a dispatcher.
WORKER_OPERATIONS = re.compile(
    r"(GET /api/v1/field/|POST /api/v1/incidents/(\{id\}/(self-resolve|verify)/)?$|POST /api/v1/patrols/"
    r"|POST /api/v1/directives/\{id\}/(read|reply)/)"
)
# What a schema cannot say, so a server checks it and answers 400 (RFC 9110 leaves it to
# the server; OpenAPI 3.0 has no words for it): that a named object exists (a sub-item
# code, an officer's id), that a month is over or a deadline ahead, that a file is a photo,
# that a grid is the worker's, that the password is right, that a note comes with a "no".
# A request valid by the schema may get a 400 that names only such fields.
FACTS = {"photos", "photo", "subcategory", "officer", "department", "assisting", "into", "case", "worker", "target_ids"}
FACTS |= {"period"}
FACTS_OF = {
    "POST /api/v1/auth/token/": {"non_field_errors"},  # the password
    "POST /api/v1/incidents/{id}/extension/": {"until"},  # after the current deadline
    "POST /api/v1/incidents/{id}/extension/decision/": {"note"},  # required with "approve": false
    "POST /api/v1/incidents/{id}/hold/decision/": {"note"},
    "POST /api/v1/incidents/{id}/note/": {"note"},  # a note or photos
    "POST /api/v1/patrols/": {"grid", "started_at"},  # one of the worker's grids, not long ago
    "POST /api/v1/incidents/": {"location"},  # a point in one of the city's grids
    "POST /api/v1/directives/": {"reply_deadline", "lat"},  # ahead; lat and lng together
    "POST /api/v1/patrols/{id}/points/": {"recorded_at"},  # not in the future (``points[3].recorded_at``)
    # west < east and south < north
    "GET /api/v1/grids/geojson/": {"bbox"},
    "GET /api/v1/townships/geojson/": {"bbox"},
    "GET /api/v1/cameras/geojson/": {"bbox"},
    # an existing grid, township or category; a period from <= to, at most STATS_MAX_DAYS long
    "GET /api/v1/stats/breakdown/": {"grid", "township", "major", "from", "to"},
}


@schemathesis.check
def positive_data_acceptance_but_facts(ctx, response, case):
    """``positive_data_acceptance``, but a 400 naming only FACTS (and FACTS_OF) is right."""
    if response.status_code == 400:
        body = json.loads(response.content)
        facts = FACTS | FACTS_OF.get(case.operation.label, set())
        if isinstance(body, dict) and body and {name.rsplit(".", 1)[-1] for name in body} <= facts:
            return None
    return positive_data_acceptance(ctx, response, case)


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    positive_data_acceptance_but_facts,
    negative_data_rejection,
    unsupported_method,
]


@pytest.fixture
def tokens_of(city):
    return {"dispatcher": tokens.issue(city.dispatcher)[1], "worker": tokens.issue(city.worker_a)[1]}


@schema.parametrize()
# The city and the tokens are made once per operation, for all of its requests.
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_every_operation_keeps_the_contract(case, city, tokens_of):
    worker = WORKER_OPERATIONS.match(case.operation.label)
    token = tokens_of["worker" if worker else "dispatcher"]
    if case.method == "DELETE":  # revoking a token: one of its own, so the next request still signs in
        token = tokens.issue(city.dispatcher)[1]
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
