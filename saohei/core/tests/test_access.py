"""Who reaches which page: every named route has an expected answer per role, and a new
route without one fails this test (DESIGN §4, STYLE habit 9)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from saohei.core.navigation import items_for
from saohei.orgs.choices import Role
from saohei.orgs.roles import BUSINESS_ROLES
from saohei.orgs.twofactor import REQUIRED_ROLES

ALL = set(Role)
CLUE_READERS = set(BUSINESS_ROLES)
CLUE_REGISTRARS = set(BUSINESS_ROLES) - {Role.LEADER_VIEWER}
ACCOUNT_MANAGERS = {Role.SYSADMIN}
UNIT_READERS = set(BUSINESS_ROLES) | {Role.SYSADMIN}
CASE_OPENERS = {Role.HANDLER, Role.UNIT_LEADER, Role.DISCIPLINE}
OFFICE_WORKERS = {Role.OFFICE_ADMIN, Role.OFFICE_STAFF, Role.CLUE_CUSTODIAN}

# url name -> (roles answered 200, answer for everyone else)
PAGES = {
    "home": (ALL, None),
    "units": (UNIT_READERS, 403),
    "security_policy": ({Role.SECURITY_ADMIN}, 403),
    "audit_log": ({Role.AUDITOR}, 403),
    "audit_export": ({Role.AUDITOR}, 403),
    "password_change": (ALL, None),
    "two_factor": (ALL, None),
    # A verified session is sent on from the code page; enrolment opens for those without a
    # device (the required roles' personas have one); codes show only right after making them.
    "otp_verify": (set(), 302),
    "otp_enrol": (ALL - REQUIRED_ROLES, 302),
    "otp_recovery_codes": (set(), 302),
    "otp_recovery_download": (set(), 302),
    "admin:orgs_user_changelist": (ACCOUNT_MANAGERS, 302),
    "admin:orgs_unit_changelist": (ACCOUNT_MANAGERS, 302),
    "api-me": (ALL, None),
    "api-schema": (ALL, None),
    "unit-list": (UNIT_READERS, 403),
    "auditentry-list": ({Role.AUDITOR}, 403),
    "api-root": (ALL, None),
    "person_list": (CLUE_READERS, 403),  # entities.view_person
    "person_create": (CLUE_REGISTRARS, 403),  # entities.add_person
    "organization_list": (CLUE_READERS, 403),
    "organization_create": (CLUE_REGISTRARS, 403),
    "vehicle_list": (CLUE_READERS, 403),
    "vehicle_create": (CLUE_REGISTRARS, 403),
    "phone_list": (CLUE_READERS, 403),
    "phone_create": (CLUE_REGISTRARS, 403),
    "person-list": (CLUE_READERS, 403),
    "mention-list": (CLUE_READERS, 403),
    "clue_list": (CLUE_READERS, 403),
    "clue_register": (CLUE_REGISTRARS, 403),
    "clue_deadlines": (CLUE_READERS, 403),
    "clue_export": (CLUE_READERS, 403),
    "clue-list": (CLUE_READERS, 403),
    "clue_settings": ({Role.OFFICE_ADMIN}, 403),
    "transfer_list": (CLUE_READERS, 403),
    "transfer_matrix": (CLUE_READERS, 403),
    "transfer-list": (CLUE_READERS, 403),
    "case_list": (CLUE_READERS, 403),
    "case_checks": (CLUE_READERS, 403),
    "case_export": (CLUE_READERS, 403),
    "case_open": (CASE_OPENERS, 403),
    "case_import": (OFFICE_WORKERS, 403),
    "disposal_list": (CLUE_READERS, 403),
    "case-list": (CLUE_READERS, 403),
    "api-stats": (CLUE_READERS, 403),
    "dashboard": (CLUE_READERS, 403),
    "figures_clues": (CLUE_READERS, 403),
    "figures_cases": (CLUE_READERS, 403),
    "indicator_import": (OFFICE_WORKERS, 403),
    "record_list": (CLUE_READERS, 403),  # entities.view_record
    "record_import": (OFFICE_WORKERS | CASE_OPENERS, 403),  # entities.import_record
    "vetting_batches": (OFFICE_WORKERS | {Role.LEADER_VIEWER}, 403),
    "vetting_upload": (OFFICE_WORKERS, 403),
    "vetting_rules": (OFFICE_WORKERS | {Role.LEADER_VIEWER}, 403),
    "vetting_rule_new": ({Role.OFFICE_ADMIN}, 403),
    "campaigns_targets": (CLUE_READERS, 403),
    "target-list": (CLUE_READERS, 403),
    "drive-list": (CLUE_READERS, 403),
    "regulation-list": (CLUE_READERS, 403),
    "meeting-list": (CLUE_READERS, 403),
    "campaigns_target_new": (OFFICE_WORKERS, 403),
    "campaigns_drives": (CLUE_READERS, 403),
    "campaigns_drive_new": (OFFICE_WORKERS, 403),
    "campaigns_register": (CLUE_READERS, 403),
    "campaigns_regulation_new": (OFFICE_WORKERS | CASE_OPENERS, 403),
    "campaigns_meeting_new": (OFFICE_WORKERS | CASE_OPENERS, 403),
    "link_suggestions": (CLUE_READERS, 403),  # linkage.view_linksuggestion
    "series_list": (CLUE_READERS, 403),  # linkage.view_series
    "oil_field": (CLUE_READERS, 403),
    "linksuggestion-list": (CLUE_READERS, 403),
    "assessment_periods": (CLUE_READERS, 403),  # oversight.view_assessmentperiod
    "assessment_period_new": ({Role.OFFICE_ADMIN}, 403),
    "assessment_items": (CLUE_READERS, 403),
    "publicity_list": (CLUE_READERS, 403),
    "publicity_new": (CLUE_REGISTRARS, 403),  # a member unit records its own publicity
    "publicity_export": (CLUE_READERS, 403),
    "publicity_import": (OFFICE_WORKERS, 403),
    "funds": (CLUE_READERS, 403),
    "fund_allocation_new": (OFFICE_WORKERS, 403),
    "fund_spending_new": (CLUE_REGISTRARS, 403),
    "fund_export": (CLUE_READERS, 403),
    "fund_import": (OFFICE_WORKERS, 403),
    "training_list": (CLUE_READERS, 403),
    "training_new": (CLUE_REGISTRARS, 403),
    "training_topics": (CLUE_READERS, 403),
    "assessmentperiod-list": (CLUE_READERS, 403),
    "publicityactivity-list": (CLUE_READERS, 403),
    "fundallocation-list": (CLUE_READERS, 403),
    "fundspending-list": (CLUE_READERS, 403),
    "trainingsession-list": (CLUE_READERS, 403),
    "inspection_list": (CLUE_READERS, 403),  # rectification.view_inspection
    "inspection_create": (OFFICE_WORKERS, 403),  # rectification.add_inspection
    "task_list": (CLUE_READERS, 403),
    "task_import": (OFFICE_WORKERS, 403),  # rectification.import_task
    "rectification_completion": (CLUE_READERS, 403),
    "rectification_categories": ({Role.OFFICE_ADMIN}, 403),
    "rectification_docx": (CLUE_READERS, 403),  # rectification.export_task
    "rectification_xlsx": (CLUE_READERS, 403),
    "inspection-list": (CLUE_READERS, 403),
    "problem-list": (CLUE_READERS, 403),
    "task-list": (CLUE_READERS, 403),
    # The public reporting portal: open to everyone, logged in or not.
    "intake_start": (ALL, None),
    "intake_new": (ALL, None),
    "intake_check": (ALL, None),
    "reportermessage-list": (CLUE_READERS, 403),
}
# Routes that are not pages to GET as a persona, each with the reason.
NOT_PAGES = {
    "login": "the login form itself (tested in test_security)",
    "logout": "POST only (tested in test_security)",
    "password_change_done": "confirmation after a change",
    "set_language": "POST only, language switch",
    "unlock_account": "POST only (tested in test_security)",
    "api-token": "POST only, token login (tested in test_api and test_two_factor)",
    "oidc_authentication_init": "single sign-on, only with SAOHEI_OIDC_ENABLED (test_oidc)",
    "oidc_authentication_callback": "single sign-on, only with SAOHEI_OIDC_ENABLED (test_oidc)",
    "otp_recovery_renew": "POST only (saohei/orgs/tests/test_two_factor.py)",
    "otp_reset": "POST only, security administrator (saohei/orgs/tests/test_two_factor.py)",
    "unit-detail": "detail route (tested in test_api)",
    "auditentry-detail": "detail route (tested in test_api)",
    "person_detail": "per person (saohei/entities/tests/test_persons.py)",
    "person_edit": "per person (saohei/entities/tests/test_persons.py)",
    "person_merge": "per person (saohei/entities/tests/test_persons.py)",
    "merge_undo": "POST, per merge (saohei/entities/tests/test_persons.py)",
    "mention_add": "needs ?clue= or ?case= (saohei/entities/tests/test_persons.py)",
    "mention_remove": "POST, per mention (saohei/entities/tests/test_persons.py)",
    "person-detail": "per person (saohei/entities/tests/test_persons.py)",
    "mention-detail": "per mention (saohei/entities/tests/test_persons.py)",
    "clue_detail": "per clue (saohei/clues/tests/test_views.py)",
    "clue_reveal": "POST, per clue (saohei/clues/tests/test_views.py)",
    "clue_step": "POST, per clue (saohei/clues/tests/test_views.py)",
    "clue_add_verification": "POST, per clue (saohei/clues/tests/test_views.py)",
    "clue_informant_contacted": "POST, per clue (saohei/clues/tests/test_views.py)",
    "clue_supervision": "POST, per clue (saohei/clues/tests/test_views.py)",
    "import_job": "per import, its owner only (saohei/clues/tests/test_import_view.py)",
    "clue_import": "upload (saohei/clues/tests/test_import_view.py)",
    "clue_attach": "POST, per clue (saohei/clues/tests/test_views.py)",
    "clue_attachment": "per file (saohei/clues/tests/test_views.py)",
    "clue-detail": "per clue (saohei/clues/tests/test_api.py)",
    "clue-moves": "per clue (saohei/clues/tests/test_api.py)",
    "clue-verifications": "per clue (saohei/clues/tests/test_api.py)",
    "clue-notices": "per clue (saohei/clues/tests/test_api.py)",
    "clue-step": "POST, per clue (saohei/clues/tests/test_api.py)",
    "transfer_send": "per clue or case (saohei/transfers/tests/test_views.py)",
    "transfer_detail": "per transfer (saohei/transfers/tests/test_views.py)",
    "transfer_letter": "per transfer (saohei/transfers/tests/test_views.py)",
    "transfer_step": "POST, per transfer (saohei/transfers/tests/test_views.py)",
    "transfer_attachment": "per file (saohei/transfers/tests/test_views.py)",
    "transfer-detail": "per transfer (saohei/transfers/tests/test_api.py)",
    "transfer-step": "POST, per transfer (saohei/transfers/tests/test_api.py)",
    "case_detail": "per case (saohei/cases/tests/test_views.py)",
    "case_details": "POST, per case (saohei/cases/tests/test_views.py)",
    "case_step": "POST, per case (saohei/cases/tests/test_views.py)",
    "case_add": "POST, per case (saohei/cases/tests/test_views.py)",
    "case_outcome": "POST, per suspect or official (saohei/cases/tests/test_views.py)",
    "case_check": "POST, per case (saohei/cases/tests/test_views.py)",
    "disposal_propose": "POST (saohei/cases/tests/test_discipline.py)",
    "disposal_step": "POST, per disposal (saohei/cases/tests/test_discipline.py)",
    "case-detail": "per case (saohei/cases/tests/test_api.py)",
    "case-moves": "per case (saohei/cases/tests/test_api.py)",
    "case-officials": "per case (saohei/cases/tests/test_api.py)",
    "case-step": "POST, per case (saohei/cases/tests/test_api.py)",
    "unit_table": "needs ?period= (saohei/reports/tests/test_tables.py, per role)",
    "briefing_download": "a .docx per as-of day (saohei/reports/tests/test_briefing.py, per role)",
    "bulletin_download": "a .docx per period (saohei/reports/tests/test_bulletin.py, per role)",
    "vetting_progress": "per screening job, its owner only (saohei/vetting/tests/test_views.py)",
    "vetting_batch": "per batch (saohei/vetting/tests/test_views.py, per role)",
    "vetting_download": "per batch (saohei/vetting/tests/test_views.py, per role)",
    "vetting_candidate": "per candidate (saohei/vetting/tests/test_views.py, per role)",
    "vetting_rule_edit": "per rule (saohei/vetting/tests/test_views.py)",
    "campaigns_target": "per target (saohei/campaigns/tests/test_views.py, per role)",
    "target-detail": "per target (saohei/campaigns/tests/test_api.py)",
    "drive-detail": "per drive (saohei/campaigns/tests/test_api.py)",
    "regulation-detail": "per entry (saohei/campaigns/tests/test_api.py)",
    "meeting-detail": "per entry (saohei/campaigns/tests/test_api.py)",
    "campaigns_target_edit": "per target (saohei/campaigns/tests/test_views.py)",
    "campaigns_drive": "per drive (saohei/campaigns/tests/test_views.py, per role)",
    "campaigns_drive_edit": "per drive (saohei/campaigns/tests/test_views.py)",
    "campaigns_drive_report": "per drive (saohei/campaigns/tests/test_views.py)",
    "campaigns_regulation_edit": "per entry (saohei/campaigns/tests/test_views.py)",
    "campaigns_meeting_edit": "per entry (saohei/campaigns/tests/test_views.py)",
    "campaigns_register_file": "per entry (saohei/campaigns/tests/test_views.py)",
    "network": "per person, organization, clue or case (saohei/linkage/tests/test_network.py)",
    "network_edges": "per person, organization, clue or case (linkage/tests/test_network.py)",
    "tie_add": "POST, per person (saohei/linkage/tests/test_network.py)",
    "tie_remove": "POST, per tie (saohei/linkage/tests/test_network.py)",
    "link_decide": "POST, per suggestion (saohei/linkage/tests/test_views.py)",
    "series_detail": "per series (saohei/linkage/tests/test_views.py)",
    "linksuggestion-detail": "per suggestion (saohei/linkage/tests/test_views.py)",
    "assessment_ranking": "per period (saohei/oversight/tests/test_views.py, per role)",
    "assessment_export": "per period (saohei/oversight/tests/test_views.py, per role)",
    "assessment_unit": "per period and unit (saohei/oversight/tests/test_views.py, per role)",
    "assessment_answer": "POST, per period and unit (saohei/oversight/tests/test_views.py)",
    "assessment_file": "per answer (saohei/oversight/tests/test_views.py)",
    "publicity_detail": "per activity (saohei/oversight/tests/test_views.py)",
    "publicity_file": "per activity (saohei/oversight/tests/test_views.py)",
    "assessmentperiod-detail": "per period (saohei/oversight/tests/test_api.py)",
    "assessmentperiod-scores": "per period (saohei/oversight/tests/test_api.py, per role)",
    "publicityactivity-detail": "per activity (saohei/oversight/tests/test_api.py)",
    "fundallocation-detail": "per allocation (saohei/oversight/tests/test_api.py)",
    "fundspending-detail": "per spending (saohei/oversight/tests/test_api.py)",
    "trainingsession-detail": "per session (saohei/oversight/tests/test_api.py)",
    "inspection_detail": "per inspection (saohei/rectification/tests/test_views.py)",
    "problem_add": "POST, per inspection (saohei/rectification/tests/test_views.py)",
    "task_create": "per problem (saohei/rectification/tests/test_views.py)",
    "task_detail": "per task (saohei/rectification/tests/test_views.py)",
    "task_edit": "per task (saohei/rectification/tests/test_views.py)",
    "task_progress": "POST, per task (saohei/rectification/tests/test_views.py)",
    "task_step": "POST, per task (saohei/rectification/tests/test_views.py)",
    "task_sign_off_form": "per task (saohei/rectification/tests/test_exports.py)",
    "evidence_file": "per file (saohei/rectification/tests/test_views.py)",
    "inspection-detail": "per inspection (saohei/rectification/tests/test_api.py)",
    "problem-detail": "per problem (saohei/rectification/tests/test_api.py)",
    "task-detail": "per task (saohei/rectification/tests/test_api.py)",
    "task-step": "POST, per task (saohei/rectification/tests/test_api.py)",
    "intake_mine": "needs a receipt code entered (saohei/intake/tests/test_followup.py)",
    "intake_mine_post": "POST, needs a receipt code (saohei/intake/tests/test_followup.py)",
    "intake_leave": "POST, leaves the reporter's page (saohei/intake/tests/test_followup.py)",
    "intake_office_message": "POST, per clue (saohei/intake/tests/test_followup.py, per role)",
    "intake_office_verify": "POST, per clue (saohei/intake/tests/test_followup.py)",
    "reportermessage-detail": "per message (saohei/intake/tests/test_followup.py)",
}


def named_routes(patterns=None, namespace=""):
    for p in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            if p.namespace == "admin":
                continue  # Django's own admin: its entry points are listed in PAGES
            yield from named_routes(p.url_patterns, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield f"{namespace}{p.name}"


def test_every_route_has_an_expectation():
    missing = set(named_routes()) - set(PAGES) - set(NOT_PAGES)
    assert missing == set(), f"add these routes to PAGES or NOT_PAGES: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(Role))
def test_each_role_reaches_exactly_its_pages(role, personas, client):
    client.force_login(personas[role])
    answers = {}
    for name, (allowed, otherwise) in PAGES.items():
        response = client.get(reverse(name))
        expected = 200 if role in allowed else otherwise
        answers[name] = (response.status_code, expected)
    wrong = {name: got for name, got in answers.items() if got[0] != got[1]}
    assert wrong == {}, f"{role}: (got, expected) {wrong}"


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client, units):
    for name in ("home", "units", "security_policy", "audit_log"):
        response = client.get(reverse(name))
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    assert client.get(reverse("unit-list")).status_code in (401, 403)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(Role))
def test_navigation_offers_only_pages_that_open(role, personas, client):
    user = personas[role]
    client.force_login(user)
    items = items_for(user)
    assert items, "everyone has at least the home page"
    for item in items:
        assert client.get(item.url).status_code == 200, (role, item.url_name)
    home = client.get(reverse("home")).content.decode()
    for item in items:
        assert f'href="{item.url}"' in home
