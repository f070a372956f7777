"""What the API fuzzer (tests/test_api_fuzz.py) found, each pinned by the behaviour a client
sees: the schema promises what the API answers, and malformed addresses and filters get a
JSON answer in Chinese."""

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from saohei.cases.tests.factories import gang_case
from saohei.orgs.choices import Role


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield path, method, operation


def test_errors_the_api_answers_are_declared(schema):
    """Schemathesis met undeclared 400, 403 and 404 answers on nearly every operation, and
    the steps' 409."""
    for path, method, operation in _operations(schema):
        codes = set(operation["responses"])
        if path != "/api/token/":
            assert "403" in codes, (method, path)
        if "{" in path:
            assert "404" in codes, (method, path)
        if method == "post" or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in codes, (method, path)
        if path.endswith("/step/"):
            assert "409" in codes, (method, path)


def test_empty_relations_and_blank_choices_are_declared(schema):
    """A case that protects no other case sent `"protects": null`, a clue not yet concluded
    `"finding": ""`, where the schema promised a string and one of the findings."""
    components = schema["components"]["schemas"]
    assert components["Case"]["properties"]["protects"]["nullable"] is True
    assert components["Clue"]["properties"]["assigned_unit"]["nullable"] is True
    finding = components["Clue"]["properties"]["finding"]
    assert {"$ref": "#/components/schemas/BlankEnum"} in finding["oneOf"]


def test_undeclared_query_parameters_are_declared(schema):
    def names(path):
        return {p["name"] for p in schema["paths"][path]["get"].get("parameters", [])}

    assert "as_of" in names("/api/targets/")
    assert "as_of" in names("/api/targets/{id}/")
    assert "clue" in names("/api/reporter-messages/")
    assert "status" in names("/api/link-suggestions/")


@pytest.mark.django_db
def test_a_case_without_protected_case_matches_the_schema(personas):
    case = gang_case(personas)
    api = APIClient()
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    body = api.get(f"/api/cases/{case.number}/").json()
    assert body["protects"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/api/link-suggestions/3.0e-27/", "/api/drives/1.5/", "/api/no-such-thing/"]
)
def test_a_malformed_address_under_the_api_answers_json_404(personas, url):
    """An id with a dot does not match the router's pattern: Django's HTML 404 page came back
    where the schema promises JSON."""
    api = APIClient()
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    response = api.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}


@pytest.mark.django_db
def test_an_unknown_link_status_is_refused_in_chinese(personas):
    api = APIClient()
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    response = api.get("/api/link-suggestions/", {"status": "bogus"})
    assert response.status_code == 400
    (message,) = response.json()["status"]
    assert "未知的状态" in message and "bogus" in message
    assert api.get("/api/link-suggestions/", {"status": "open"}).status_code == 200


def test_a_clues_and_a_cases_lists_are_not_declared_paginated(schema):
    """/api/cases/{number}/moves/ answered the whole list where the schema promised a page
    ({count, results}); so did officials, and the clue's moves, notices and verifications."""
    for path in (
        "/api/cases/{number}/moves/",
        "/api/cases/{number}/officials/",
        "/api/clues/{number}/moves/",
        "/api/clues/{number}/notices/",
        "/api/clues/{number}/verifications/",
    ):
        body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        assert body["schema"]["type"] == "array", path


@pytest.mark.django_db
def test_a_cases_moves_are_the_list_the_schema_promises(personas):
    case = gang_case(personas)
    api = APIClient()
    api.force_authenticate(personas[Role.OFFICE_STAFF])
    moves = api.get(f"/api/cases/{case.number}/moves/").json()
    assert isinstance(moves, list) and moves[0]["to_stage"] == "investigation"
