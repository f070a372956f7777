"""Roles, their permissions, and the three-officer separation of duties (三员分立).

A role is a Django group named by its code (Role). ROLE_PERMISSIONS says which permissions each
role's group holds; `sync_role_groups` applies it after every migrate. Each app adds its own
permissions here when it is built (the clue app gives handlers `clues.view_clue`, …).

Separation rules, enforced in User.has_perm and ScopedQuerySet whatever the groups say:
- the system administrator manages accounts and units but reads no case data and no audit log;
- the security administrator sets the security policy and unlocks accounts, nothing else;
- the auditor reads the audit log and nothing else;
- none of the three may hold a business role, nor two of the three at once.
"""

from __future__ import annotations

import fnmatch
import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import Role

log = logging.getLogger(__name__)

THREE_OFFICERS = frozenset({Role.SYSADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})
BUSINESS_ROLES = frozenset(Role) - THREE_OFFICERS

# Apps whose models hold case data (DESIGN §2). No three-officer role may ever hold one of
# their permissions, even if someone adds it to the group by hand.
CASE_DATA_APPS = frozenset(
    {
        "clues",
        "transfers",
        "cases",
        "entities",
        "linkage",
        "vetting",
        "rectification",
        "oversight",
        "reports",
        "intake",
        "campaigns",
    }
)

# What each three-officer role may do at all; anything else is refused.
OFFICER_ALLOWED = {
    Role.SYSADMIN: ("orgs.*", "auth.view_group", "authtoken.*"),
    Role.SECURITY_ADMIN: ("core.*securitypolicy", "core.manage_policy", "axes.*"),
    Role.AUDITOR: ("audit.view_auditentry",),
}

_COMMON = ("orgs.view_unit", "orgs.view_jurisdiction")
_CLUE_READ = (
    "clues.view_clue",
    "clues.view_move",
    "clues.view_verificationrecord",
    "clues.view_attachment",
    "clues.view_industry",
    "clues.view_deadlinerule",
    "clues.view_extensionrequest",
    "clues.view_supervisionnotice",
    "clues.view_reward",
)
_CLUE_OFFICE = (
    *_CLUE_READ,
    "clues.register_clue",
    "clues.route_clue",
    "clues.export_clue",
    "clues.import_clue",
)
_CLUE_AGENCY = (*_CLUE_READ, "clues.register_clue", "clues.handle_clue", "clues.export_clue")

_TRANSFER_READ = ("transfers.view_transfer", "transfers.view_transferattachment")
_TRANSFER = (*_TRANSFER_READ, "transfers.send_transfer", "transfers.receive_transfer")
_CASE_READ = (
    "cases.view_case",
    "cases.view_stagemove",
    "cases.view_suspect",
    "cases.view_asset",
    "cases.view_threewaycheck",
    "cases.view_official",
    "cases.view_charge",
    "cases.view_disposal",
    "cases.view_disposalrule",
    "cases.export_case",
)
_CASE_AGENCY = (*_CASE_READ, "cases.open_case", "cases.handle_case", "cases.record_check")
_REPORT_READ = ("reports.view_monthlyvalue", "reports.view_indicator")
_ENTITY_READ = (
    "entities.view_person",
    "entities.view_organization",
    "entities.view_vehicle",
    "entities.view_phone",
    "entities.view_mention",
    "entities.view_record",
)
_ENTITY_EDIT = (
    *_ENTITY_READ,
    "entities.add_person",
    "entities.change_person",
    "entities.add_organization",
    "entities.change_organization",
    "entities.add_vehicle",
    "entities.change_vehicle",
    "entities.add_phone",
    "entities.change_phone",
    "entities.add_mention",
    "entities.delete_mention",
    "entities.import_record",
)
_LINKAGE_READ = (
    "linkage.view_series",
    "linkage.view_linksuggestion",
    "entities.view_tie",
)
_LINKAGE = (*_LINKAGE_READ, "linkage.decide_link", "entities.add_tie", "entities.delete_tie")
_VETTING_READ = ("vetting.view_batch", "vetting.view_candidate", "vetting.view_rule")
_VETTING = (*_VETTING_READ, "vetting.add_batch", "vetting.decide_candidate")
_CAMPAIGN_READ = (
    "campaigns.view_target",
    "campaigns.view_drive",
    "campaigns.view_regulation",
    "campaigns.view_meeting",
)
# A member unit keeps its own rules and meetings; the office sets targets and drives.
_REGISTER = (
    "campaigns.add_regulation",
    "campaigns.change_regulation",
    "campaigns.add_meeting",
    "campaigns.change_meeting",
)
_CAMPAIGN_OFFICE = (
    *_CAMPAIGN_READ,
    *_REGISTER,
    "campaigns.add_target",
    "campaigns.change_target",
    "campaigns.add_drive",
    "campaigns.change_drive",
    "campaigns.export_drive",
)
_OFFICE = (
    *_CLUE_OFFICE,
    *_TRANSFER,
    *_CASE_READ,
    "cases.import_case",
    *_REPORT_READ,
    "reports.import_indicators",
    *_ENTITY_EDIT,
    "entities.merge_person",
    *_VETTING,
    *_LINKAGE,
    *_CAMPAIGN_OFFICE,
)
_AGENCY = (
    *_CLUE_AGENCY,
    *_TRANSFER,
    *_CASE_AGENCY,
    *_REPORT_READ,
    *_ENTITY_EDIT,
    *_LINKAGE,
    *_CAMPAIGN_READ,
    *_REGISTER,
)

ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.OFFICE_ADMIN: (
        *_COMMON,
        *_OFFICE,
        "cases.manage_charges",
        "cases.*_charge",
        "cases.*_disposalrule",
        "clues.manage_rules",
        "clues.approve_reward",
        "clues.*_industry",
        "clues.*_deadlinerule",
        "vetting.*_rule",
    ),
    Role.OFFICE_STAFF: (*_COMMON, *_OFFICE),
    Role.HANDLER: (*_COMMON, *_AGENCY),
    Role.UNIT_LEADER: (*_COMMON, *_AGENCY, "clues.approve_clue", "cases.sign_off_disposal"),
    Role.DISCIPLINE: (*_COMMON, *_AGENCY),
    Role.LEADER_VIEWER: (
        *_COMMON,
        *_CLUE_READ,
        "clues.export_clue",
        *_TRANSFER_READ,
        *_CASE_READ,
        *_REPORT_READ,
        *_ENTITY_READ,
        *_VETTING_READ,
        *_LINKAGE_READ,
        *_CAMPAIGN_READ,
        "campaigns.export_drive",
    ),
    Role.CLUE_CUSTODIAN: (*_COMMON, *_OFFICE, "clues.reveal_informant"),
    Role.SYSADMIN: (
        "orgs.view_unit",
        "orgs.add_unit",
        "orgs.change_unit",
        "orgs.view_jurisdiction",
        "orgs.add_jurisdiction",
        "orgs.change_jurisdiction",
        "orgs.view_user",
        "orgs.add_user",
        "orgs.change_user",
        "auth.view_group",
    ),
    Role.SECURITY_ADMIN: (
        "core.view_securitypolicy",
        "core.change_securitypolicy",
        "core.manage_policy",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ),
    Role.AUDITOR: ("audit.view_auditentry",),
}


# Rectification (整改, issue 9): everyone with case data reads inspections, problems and tasks
# (scoped in saohei.rectification.querysets); the office records them, signs tasks off and
# reopens them; agencies report progress on their unit's tasks.
_RECT_READ = (
    "rectification.view_inspection",
    "rectification.view_problem",
    "rectification.view_problemcategory",
    "rectification.view_task",
    "rectification.view_taskevent",
    "rectification.view_progressreport",
    "rectification.view_evidence",
    "rectification.export_task",
)
_RECT_OFFICE = (
    *_RECT_READ,
    "rectification.add_inspection",
    "rectification.change_inspection",
    "rectification.add_problem",
    "rectification.change_problem",
    "rectification.add_task",
    "rectification.change_task",
    "rectification.sign_off_task",
    "rectification.import_task",
    "rectification.report_progress",
)
_RECT_AGENCY = (*_RECT_READ, "rectification.report_progress")
for _role, _perms in {
    Role.OFFICE_ADMIN: (*_RECT_OFFICE, "rectification.*_problemcategory"),
    Role.OFFICE_STAFF: _RECT_OFFICE,
    Role.CLUE_CUSTODIAN: _RECT_OFFICE,
    Role.HANDLER: _RECT_AGENCY,
    Role.UNIT_LEADER: _RECT_AGENCY,
    Role.DISCIPLINE: _RECT_AGENCY,
    Role.LEADER_VIEWER: _RECT_READ,
}.items():
    ROLE_PERMISSIONS[_role] = (*ROLE_PERMISSIONS[_role], *_perms)


# Member-unit oversight (考核、宣传、经费、培训, issue 9): everyone with case data reads them
# (scoped in saohei.oversight.querysets: a member unit its own unit's records); a member unit
# records its own publicity, spending, training and assessment answers; the office records
# for every unit, allocates the funds, imports the ledgers and sees the ranking; its head
# sets the periods, the weights and the topics.
_OVERSIGHT_READ = (
    "oversight.view_assessmentperiod",
    "oversight.view_assessmentitem",
    "oversight.view_assessmentanswer",
    "oversight.view_publicityactivity",
    "oversight.view_fundallocation",
    "oversight.view_fundspending",
    "oversight.view_trainingtopic",
    "oversight.view_trainingsession",
)
_OVERSIGHT_UNIT = (
    *_OVERSIGHT_READ,
    "oversight.add_publicityactivity",
    "oversight.add_fundspending",
    "oversight.add_trainingsession",
    "oversight.add_assessmentanswer",
    "oversight.change_assessmentanswer",
)
_OVERSIGHT_OFFICE = (
    *_OVERSIGHT_UNIT,
    "oversight.view_ranking",
    "oversight.add_fundallocation",
    "oversight.add_trainingtopic",
    "oversight.import_publicity",
    "oversight.import_funds",
)
for _role, _perms in {
    Role.OFFICE_ADMIN: (
        *_OVERSIGHT_OFFICE,
        "oversight.add_assessmentperiod",
        "oversight.change_assessmentperiod",
        "oversight.change_assessmentitem",
        "oversight.change_trainingtopic",
    ),
    Role.OFFICE_STAFF: _OVERSIGHT_OFFICE,
    Role.CLUE_CUSTODIAN: _OVERSIGHT_OFFICE,
    Role.HANDLER: _OVERSIGHT_UNIT,
    Role.UNIT_LEADER: _OVERSIGHT_UNIT,
    Role.DISCIPLINE: _OVERSIGHT_UNIT,
    Role.LEADER_VIEWER: (*_OVERSIGHT_READ, "oversight.view_ranking"),
}.items():
    ROLE_PERMISSIONS[_role] = (*ROLE_PERMISSIONS[_role], *_perms)


# Public reporting portal (举报, issue 8): the portal reports and their messages are read with
# their clue (scoped in saohei.intake.models); writing to the reporter goes through the clue
# page, checked there (the office and the handling unit).
_INTAKE_READ = ("intake.view_report", "intake.view_message")
for _role in (
    Role.OFFICE_ADMIN,
    Role.OFFICE_STAFF,
    Role.CLUE_CUSTODIAN,
    Role.HANDLER,
    Role.UNIT_LEADER,
    Role.DISCIPLINE,
    Role.LEADER_VIEWER,
):
    ROLE_PERMISSIONS[_role] = (*ROLE_PERMISSIONS[_role], *_INTAKE_READ)


def separation_allows(roles: frozenset[str], perm: str) -> bool:
    """False when the three-officer separation forbids `perm` to a holder of `roles`."""
    app_label = perm.split(".", 1)[0]
    officer_roles = roles & THREE_OFFICERS
    if not officer_roles:
        # Business users never administer accounts, the policy or the audit trail.
        return app_label not in {"audit", "axes", "auth", "authtoken"} and perm not in {
            "core.manage_policy",
            "core.change_securitypolicy",
            "orgs.add_user",
            "orgs.change_user",
            "orgs.delete_user",
        }
    if app_label in CASE_DATA_APPS:
        return False
    return any(
        fnmatch.fnmatchcase(perm, pattern)
        for role in officer_roles
        for pattern in OFFICER_ALLOWED[role]
    )


def check_role_combination(roles) -> None:
    roles = frozenset(roles)
    officers = roles & THREE_OFFICERS
    if len(officers) > 1:
        raise ValidationError(
            _(
                "The system administrator, security administrator and auditor must be three "
                "different people: one account cannot hold two of these roles."
            )
        )
    if officers and roles - THREE_OFFICERS:
        raise ValidationError(
            _("An account with the %(role)s role cannot also hold a business role.")
            % {"role": Role(next(iter(officers))).label}
        )


def sync_role_groups(sender=None, **kwargs) -> None:
    """Create a group per role and give it exactly the permissions of ROLE_PERMISSIONS."""
    from django.contrib.auth.models import Group, Permission

    using = kwargs.get("using", "default")
    all_perms = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(using).select_related("content_type")
    }
    for role, patterns in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.using(using).get_or_create(name=role)
        wanted = [
            perm
            for name, perm in all_perms.items()
            if any(fnmatch.fnmatchcase(name, pat) for pat in patterns)
            and separation_allows(frozenset({role}), name)
        ]
        group.permissions.set(wanted)


def guard_role_change(sender, instance, action, pk_set, reverse, **kwargs):
    """Backstop for the forms: refuse any group change that breaks the separation."""
    if reverse or action != "pre_add":
        return
    from django.contrib.auth.models import Group

    added = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    current = set(instance.groups.values_list("name", flat=True))
    roles = (added | current) & set(Role.values)
    if instance.is_superuser:
        roles.add(Role.SYSADMIN)
    check_role_combination(roles)
