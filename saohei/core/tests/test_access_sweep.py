"""Access sweep (issue 10 item 1): every named route, read and changed, by every role of two
units of one district and of a second district, on real records of the first district.

Each route's answer per persona is written down in access_expectations.py; a route without
an entry there fails, and so does any answer other than the one written down. Besides the
status codes, no page answered to an account of the second district may carry a number or a
unit name of the first, and no page answered to the other unit of the same district may carry
the number of a clue or case that unit cannot see.

Set SWEEP_RECORD=path to write the answers observed instead (to review a new route's).
"""

import json
import os
import time

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse

from saohei.core.tests import access_expectations as expected
from saohei.core.tests.sweep_world import PERSONA_ORDER, build, district_markers
from saohei.core.tests.test_access import named_routes

# Routes not asked by the sweep, each with the reason.
NOT_SWEPT = {
    "logout": "ends the session the sweep is asking with (tested in test_security)",
}
# Writes a persona may be allowed to make, and what the sweep sends: an empty form, so that an
# allowed write is refused as incomplete (200 with the form, 400, or back with a message)
# rather than done, except where the step needs nothing.
METHODS = ("get", "post")
API_OBJECT_METHODS = ("get", "post", "patch", "delete")


def _url(name: str, arguments: dict[str, dict]) -> str:
    kwargs = arguments.get(name, {})
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch as missing:
        raise AssertionError(
            f"{name}: no record in sweep_world.route_arguments fills its path parameters"
        ) from missing


def _methods(name: str, url: str, arguments: dict) -> tuple[str, ...]:
    return API_OBJECT_METHODS if url.startswith("/api/") and arguments.get(name) else METHODS


def _ask(client: Client, method: str, url: str):
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, {})
    return getattr(client, method)(url, data="{}", content_type="application/json")


# Three groups of personas, each asked in a world of its own (so that xdist spreads them and a
# write one group is allowed cannot change what another is asked): the second district; those
# of the first district who hold none of the records; those who hold them, asked last.
GROUPS = {
    "far": [label for label in PERSONA_ORDER if label.startswith("far_")],
    "near_others": ["sysadmin", "secadmin", "auditor", "other_unit", "discipline", "leader"],
    "near_holders": ["handler", "unit_leader", "office_staff", "custodian", "office_head"],
}


def test_the_groups_ask_every_persona_once():
    asked = [label for labels in GROUPS.values() for label in labels]
    assert sorted(asked) == sorted(PERSONA_ORDER)


@pytest.mark.django_db
@pytest.mark.parametrize("group", GROUPS)
def test_every_route_answers_every_persona_as_written(group):
    personas, arguments = build()
    routes = sorted(set(named_routes()) - set(NOT_SWEPT))
    markers = district_markers()
    hidden_from_other_unit = _hidden_numbers(personas["other_unit"])
    observed: dict[str, dict[str, int]] = {}
    leaks: list[str] = []
    spent: dict[str, float] = {}
    for label in GROUPS[group]:
        client = Client()
        client.force_login(personas[label])
        for name in routes:
            url = _url(name, arguments)
            for method in _methods(name, url, arguments):
                started = time.perf_counter()
                response = _ask(client, method, url)
                spent[name] = spent.get(name, 0) + time.perf_counter() - started
                observed.setdefault(f"{name} {method}", {})[label] = response.status_code
                if method == "get" and response.status_code == 200:
                    leaks += _leaks(label, name, response, markers, hidden_from_other_unit)
                    if response.has_header("Content-Disposition"):
                        break  # a download: nothing to write to it
    if os.environ.get("SWEEP_RECORD"):
        with open(f"{os.environ['SWEEP_RECORD']}.{group}.json", "w") as out:
            json.dump(observed, out, ensure_ascii=False, indent=1, sort_keys=True)
        for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1])[:10]:
            print(f"{seconds:7.2f} s  {name}")
    assert leaks == [], "records of another district or unit shown:\n" + "\n".join(leaks)
    missing = sorted(key for key in observed if key not in expected.ANSWERS)
    assert missing == [], (
        f"write the expected answers of {len(missing)} routes in access_expectations.py "
        f"(SWEEP_RECORD=path records them): {missing[:20]}"
    )
    wrong = {
        key: {
            label: (got, expected.answer(key, label))
            for label, got in answers.items()
            if got != expected.answer(key, label)
        }
        for key, answers in observed.items()
    }
    wrong = {key: w for key, w in wrong.items() if w}
    assert wrong == {}, "(got, expected) per route and persona:\n" + json.dumps(
        wrong, indent=1, ensure_ascii=False
    )


def test_every_expectation_names_a_route_and_known_personas():
    routes = set(named_routes()) - set(NOT_SWEPT)
    stale = sorted(key for key in expected.ANSWERS if key.rsplit(" ", 1)[0] not in routes)
    assert stale == [], f"answers written for routes that are gone: {stale}"
    unknown = {
        key: sorted(expected.expand(who) - set(PERSONA_ORDER))
        for key, entry in expected.ANSWERS.items()
        for code, who in entry.items()
        if code != "else" and expected.expand(who) - set(PERSONA_ORDER)
    }
    assert unknown == {}


# Pages that show the second district something of the first on purpose.
SHOWN_ON_PURPOSE = {
    # The public reporting portal names the district's towns for the reporter to choose from.
    **{(label, name): "public portal" for label in GROUPS["far"] for name in ("intake_new",)},
    # The three officers (三员, DESIGN §4) serve the whole system, not one district: the
    # system administrator manages every unit's accounts, the auditor reads the whole log.
    **{
        ("far_sysadmin", name): "account management"
        for name in ("units", "unit-list", "unit-detail")
    },
    **{
        ("far_auditor", name): "the audit log"
        for name in ("audit_log", "auditentry-list", "auditentry-detail")
    },
}


def _hidden_numbers(user) -> list[str]:
    """Numbers of the clues and cases `user` may not open. A case number that a clue the user
    may open records as its own (the case it led to) is the clue's data, not the case's."""
    from saohei.cases.models import Case
    from saohei.clues.models import Clue

    visible_clues = Clue.objects.visible_to(user)
    own = set(visible_clues.values_list("case_number", flat=True))
    return [
        *Clue.objects.exclude(pk__in=visible_clues).values_list("number", flat=True),
        *(
            n
            for n in Case.objects.exclude(pk__in=Case.objects.visible_to(user)).values_list(
                "number", flat=True
            )
            if n not in own
        ),
    ]


def _leaks(label, name, response, markers, hidden) -> list[str]:
    kind = response.get("Content-Type", "").split(";")[0]
    if kind not in ("text/html", "application/json", "text/csv") or (
        (label, name) in SHOWN_ON_PURPOSE
    ):
        return []
    body = response.content.decode(errors="replace")
    if label.startswith("far_"):
        found = [m for m in markers if m in body]
    elif label == "other_unit":
        found = [n for n in hidden if n in body]
    else:
        return []
    return [f"{label} {name}: {found[:5]}"] if found else []
