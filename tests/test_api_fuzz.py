"""Schemathesis against the API's own OpenAPI schema (issue 10): every operation, reading and
writing, as an office staff member and as a member unit's handler, over the demo district.

No answer may be a server error, and every answer must be one the schema declares: its status
code, its content type and its body. Cases are generated valid and invalid (Schemathesis'
positive and negative modes). Path parameters and the ids in a request's body are drawn half
the time from rows that exist (the demo's clues, cases, transfers, units, …), so the steps and
detail pages are reached, not only their 404.

Each request runs in a savepoint that is rolled back, so one example's transfer or step does
not change the world of the next; the demo is seeded once per module (per test worker).

The operations are read from drf-spectacular's generator at collection, one test per operation
and user; Schemathesis' own pytest plugin is not used (its `parametrize` does not run under
pytest 9). Examples are derandomized: a run is the same run every time.
"""

import io
import json

import pytest
import schemathesis
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from saohei.orgs.models import User
from saohei.wsgi import application

pytestmark = pytest.mark.django_db

# The accounts of seed_demo the API is driven as: the office sees the whole district, the
# handler of the first police sub-bureau only what reached its unit. Neither needs the second
# factor that privileged roles will need.
USERS = ["office_staff", "police_bh"]
EXAMPLES = 12
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def load_schema():
    raw = SchemaGenerator().get_schema(request=None, public=True)
    schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(raw)))
    schema.app = application
    return schema


SCHEMA = load_schema()
OPERATIONS = {op.label: op for op in (r.ok() for r in SCHEMA.get_all_operations())}


def api_headers(username: str) -> dict:
    """How the fuzzer authenticates: the user's API token (kept in one place, to adapt when
    privileged roles need a verified second factor)."""
    token, _ = Token.objects.get_or_create(user=User.objects.get(username=username))
    return {"Authorization": f"Token {token.key}"}


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", stdout=io.StringIO())
        yield existing_keys()
        transaction.set_rollback(True)


def existing_keys() -> dict:
    """Keys of rows that exist: by the API path that names them, and by request body field."""
    from saohei.api import router
    from saohei.cases.models import Case
    from saohei.clues.models import Clue
    from saohei.orgs.models import Unit
    from saohei.transfers.models import Transfer

    paths = {
        "/api/clues/": list(Clue.objects.values_list("number", flat=True)[:60]),
        "/api/cases/": list(Case.objects.values_list("number", flat=True)[:40]),
        "/api/transfers/": list(Transfer.objects.values_list("number", flat=True)[:40]),
    }
    for prefix, viewset, _basename in router.registry:
        path = f"/api/{prefix}/"
        if path not in paths:
            model = viewset.serializer_class.Meta.model
            paths[path] = list(model._default_manager.values_list("pk", flat=True)[:40])
    units = list(Unit.objects.values_list("pk", flat=True))
    body = {
        "unit": units,
        "to_unit": units,
        "clue": paths["/api/clues/"],
        "into": paths["/api/clues/"],
        "case": paths["/api/cases/"],
    }
    return {"paths": paths, "body": body}


@pytest.fixture
def in_process():
    """The WSGI application is called in the test's own connection and transaction, as
    Django's test client does: no closing of connections at the end of a request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def cases(operation, keys):
    """Valid and invalid cases of the operation, with real keys swapped in half the time."""
    generated = st.one_of(
        operation.as_strategy(GenerationMode.POSITIVE),
        operation.as_strategy(GenerationMode.NEGATIVE),
    )
    existing = next(
        (v for prefix, v in keys["paths"].items() if operation.path.startswith(prefix)), []
    )

    @st.composite
    def with_real_keys(draw):
        case = draw(generated)
        if case.path_parameters and existing and draw(st.booleans()):
            (name,) = case.path_parameters
            case.path_parameters = {name: draw(st.sampled_from(existing))}
        if isinstance(case.body, dict) and draw(st.booleans()):
            for field, values in keys["body"].items():
                if field in case.body and values:
                    case.body = {**case.body, field: draw(st.sampled_from(values))}
        return case

    return with_real_keys()


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("label", sorted(OPERATIONS))
def test_api_answers_as_its_schema_says(label, username, demo_world, in_process):
    headers = api_headers(username)

    @given(case=cases(OPERATIONS[label], demo_world))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_declared(case):
        with transaction.atomic():
            response = case.call(headers=headers)
            transaction.set_rollback(True)
        case.validate_response(response, checks=CHECKS)

    answers_as_declared()
