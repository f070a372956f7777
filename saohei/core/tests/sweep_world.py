"""The world the access sweep walks: the demo district (北湖区) with every kind of record, a
second district (南郊区) with an account for every role and no records, and the arguments that
fill every route's path parameters with real records of the demo district.

Records are picked where the first district's police sub-bureau (北湖分局, the accounts
police_bh and police_bh_chief) is the unit that works them, so the same route is asked of the
unit that holds the record, of another unit of the same district (油田分局, police_yt) and of
every role of the other district.
"""

from __future__ import annotations

from django.core.management import call_command
from django.db.models import Q

from saohei.orgs.choices import Role
from saohei.orgs.models import Jurisdiction, Unit, User

# Persona label -> demo account in the first district. The order is the order of asking:
# those who should be refused first, the holders of the record last, so that a step one of
# them is allowed to take (removing a mention, undoing a merge) cannot hide a leak to a
# persona asked after it.
NEAR = {
    "sysadmin": "sysadmin",
    "secadmin": "secadmin",
    "auditor": "auditor",
    "other_unit": "police_yt",  # handler of another unit of the same district
    "discipline": "discipline",
    "leader": "leader",
    "handler": "police_bh",  # handler of the unit that holds the record
    "unit_leader": "police_bh_chief",
    "office_staff": "office_staff",
    "custodian": "custodian",  # clue custodian and office staff
    "office_head": "office_head",
}
# Every role again in the second district, which holds nothing of the first.
FAR = {f"far_{role}": role for role in Role}
PERSONA_ORDER = [*FAR, *NEAR]


def _far_district() -> dict[str, User]:
    from conftest import make_district, make_user
    from saohei.orgs.choices import UnitKind

    city = Jurisdiction.objects.get(code="239900")
    units = make_district("南郊区", "239902", parent=city)
    office_roles = {
        Role.OFFICE_ADMIN,
        Role.OFFICE_STAFF,
        Role.CLUE_CUSTODIAN,
        Role.LEADER_VIEWER,
        Role.SYSADMIN,
        Role.SECURITY_ADMIN,
        Role.AUDITOR,
    }
    kind = {r: UnitKind.OFFICE if r in office_roles else UnitKind.POLICE for r in Role}
    kind[Role.DISCIPLINE] = UnitKind.DISCIPLINE
    return {
        label: make_user(
            f"sweep_{label}", role, unit=units[kind[role]], is_staff=role == Role.SYSADMIN
        )
        for label, role in FAR.items()
    }


def build() -> tuple[dict[str, User], dict[str, dict]]:
    """Seed the demo, add the second district; return the personas and, per route name, the
    keyword arguments of a real record of the first district."""
    call_command("seed_demo", verbosity=0)
    call_command("refresh_links", verbosity=0)  # the nightly suggestions of related cases
    personas = {label: User.objects.get(username=u) for label, u in NEAR.items()}
    personas.update(_far_district())
    return personas, route_arguments(personas)


def route_arguments(personas) -> dict[str, dict]:
    from saohei.campaigns.models import Drive, Meeting, Regulation, Target
    from saohei.cases.models import Case, Disposal, Official, Suspect
    from saohei.clues import actions as clue_actions
    from saohei.clues.models import Attachment, Clue
    from saohei.core.models import ImportJob
    from saohei.entities import merging
    from saohei.entities.models import Mention, Merge, Person
    from saohei.entities.ties import Tie
    from saohei.linkage import actions as linkage_actions
    from saohei.linkage.models import LinkSuggestion, Series
    from saohei.oversight import actions as oversight_actions
    from saohei.oversight.models import (
        AssessmentAnswer,
        AssessmentItem,
        AssessmentPeriod,
        PublicityActivity,
    )
    from saohei.rectification.models import Evidence, Task
    from saohei.transfers import actions as transfer_actions
    from saohei.transfers.models import Transfer, TransferAttachment
    from saohei.vetting.models import Batch, Candidate, Rule

    unit = personas["handler"].unit
    other = personas["other_unit"].unit  # records picked are ones it has no part in
    staff = personas["office_staff"]

    def first(qs, what):
        found = qs.order_by("pk").first()
        assert found is not None, f"the demo has no {what} for the sweep"
        return found

    clue = first(Clue.objects.filter(assigned_unit=unit, status="verifying"), "clue being verified")
    attachment = Attachment.objects.filter(clue__assigned_unit=unit).order_by("pk").first()
    if attachment is None:
        attachment = clue_actions.attach(clue, personas["handler"], _pdf("核查笔录.pdf"))
    transfer = first(
        Transfer.objects.filter(Q(to_unit=unit) | Q(from_unit=unit)).exclude(
            Q(to_unit=other) | Q(from_unit=other)
        ),
        "transfer",
    )
    t_attachment = TransferAttachment.objects.filter(
        transfer=transfer
    ).first() or transfer_actions.attach(transfer, transfer.sent_by, _pdf("移送函回执.pdf"))
    case = first(Case.objects.filter(handling_unit=unit), "case of the unit")
    suspect = first(Suspect.objects.filter(case=case), "suspect")
    official = first(Official.objects.all(), "official")
    mention = first(Mention.objects.filter(case=case, person__isnull=False), "mention")
    person = mention.person
    # The demo records no tie between persons nor any merge: the unit's handler records one of
    # each, as the network and person pages let them.
    others = Person.objects.filter(mentions__case=case).exclude(pk=person.pk).distinct()
    tie = Tie.objects.order_by("pk").first() or Tie.objects.create(
        person=person,
        other_person=first(others, "second person"),
        kind="partner",
        entered_by=personas["handler"],
    )
    merge = Merge.objects.order_by("pk").first() or merging.merge(
        first(others, "second person"),
        _duplicate(others.last(), personas["handler"]),
        by=personas["office_staff"],
        reason="同一人重复登记",
    )
    job = ImportJob.objects.create(kind="clues", file_name="线索台账.xlsx", user=staff)
    batch = Batch.objects.order_by("pk").first() or _screened_list(staff)
    # Every problem of the demo's inspection concerns both police sub-bureaus, and units
    # concerned with one problem see each other's tasks on it: the other unit sees this one.
    task = first(Task.objects.filter(responsible_unit=unit), "rectification task of the unit")
    evidence = Evidence.objects.filter(task__responsible_unit=unit)
    period = first(AssessmentPeriod.objects.all(), "assessment period")
    answer_file = AssessmentAnswer.objects.exclude(file="").order_by(
        "pk"
    ).first() or oversight_actions.answer_item(
        personas["handler"],
        period,
        unit,
        first(AssessmentItem.objects.filter(method="evidence"), "item answered by units"),
        done=True,
        upload=_pdf("制度文件.pdf"),
    )
    publicity = first(PublicityActivity.objects.filter(unit=unit), "publicity of the unit")
    regulation = first(Regulation.objects.all(), "rule")
    if not regulation.file:
        regulation.file.save("扫黑除恶线索核查工作制度.pdf", _pdf("x.pdf"))
    suggestions = list(LinkSuggestion.objects.order_by("pk")[:2])
    assert len(suggestions) == 2, "the demo suggests fewer than two links for the sweep"
    series = Series.objects.order_by("pk").first() or linkage_actions.accept(
        suggestions[0], staff, note="同一团伙"
    )
    web_clue = first(Clue.objects.filter(portal_report__isnull=False), "clue from the portal")
    args = {
        "clue_detail": {"number": clue.number},
        "clue_reveal": {"number": clue.number},
        "clue_add_verification": {"number": clue.number},
        "clue_informant_contacted": {"number": clue.number},
        "clue_supervision": {"number": clue.number, "what": "extension"},
        "clue_attach": {"number": clue.number},
        "clue_attachment": {"number": attachment.clue.number, "pk": attachment.pk},
        "clue_step": {"number": clue.number, "step": "interim"},
        "transfer_detail": {"number": transfer.number},
        "transfer_letter": {"number": transfer.number},
        "transfer_step": {"number": transfer.number, "step": "answer"},
        "disposal_step": {"pk": first(Disposal.objects.all(), "disposal").pk, "step": "sign-off"},
        "case_detail": {"number": case.number},
        "case_details": {"number": case.number},
        "case_step": {"number": case.number, "step": "prosecute"},
        "case_add": {"number": case.number, "what": "suspects"},
        "case_outcome": {"number": case.number, "what": "suspects", "pk": suspect.pk},
        "case_check": {"number": official.case.number, "part": "umbrella"},
        "person_detail": {"pk": person.pk},
        "person_edit": {"pk": person.pk},
        "person_merge": {"pk": person.pk},
        "merge_undo": {"pk": merge.pk},
        "mention_remove": {"pk": mention.pk},
        "vetting_progress": {"pk": job.pk},
        "vetting_batch": {"pk": batch.pk},
        "vetting_download": {"pk": batch.pk, "what": "result"},
        "vetting_candidate": {"pk": first(Candidate.objects.filter(batch=batch), "candidate").pk},
        "vetting_rule_edit": {"pk": first(Rule.objects.all(), "vetting rule").pk},
        "link_decide": {"pk": suggestions[1].pk},
        "series_detail": {"pk": series.pk},
        "network": {"kind": "person", "pk": person.pk},
        "network_edges": {"kind": "person", "pk": person.pk},
        "tie_add": {"pk": person.pk},
        "tie_remove": {"pk": tie.pk},
        "intake_mine_post": {"what": "answer"},
        "intake_office_message": {"number": web_clue.number},
        "intake_office_verify": {"number": web_clue.number},
        "inspection_detail": {"pk": task.problem.inspection_id},
        "problem_add": {"pk": task.problem.inspection_id},
        "task_create": {"pk": task.problem_id},
        "task_detail": {"pk": task.pk},
        "task_edit": {"pk": task.pk},
        "task_progress": {"pk": task.pk},
        "task_step": {"pk": task.pk, "step": "sign_off"},
        "task_sign_off_form": {"pk": task.pk},
        "assessment_ranking": {"pk": period.pk},
        "assessment_export": {"pk": period.pk},
        "assessment_unit": {"pk": period.pk, "unit": unit.pk},
        "assessment_answer": {"pk": period.pk, "unit": unit.pk},
        "publicity_detail": {"pk": publicity.pk},
        "publicity_file": {"pk": publicity.pk},
        "campaigns_target": {"pk": first(Target.objects.all(), "target").pk},
        "campaigns_target_edit": {"pk": first(Target.objects.all(), "target").pk},
        "campaigns_drive": {"pk": first(Drive.objects.all(), "drive").pk},
        "campaigns_drive_edit": {"pk": first(Drive.objects.all(), "drive").pk},
        "campaigns_drive_report": {"pk": first(Drive.objects.all(), "drive").pk},
        "campaigns_regulation_edit": {"pk": regulation.pk},
        "campaigns_meeting_edit": {"pk": first(Meeting.objects.all(), "meeting").pk},
        "campaigns_register_file": {"what": "rules", "pk": regulation.pk},
        "import_job": {"pk": job.pk},
        # The API: records by number or key.
        "unit-detail": {"pk": unit.pk},
        "auditentry-detail": {"pk": _audit_entry_pk()},
        "clue-detail": {"number": clue.number},
        "clue-moves": {"number": clue.number},
        "clue-notices": {"number": clue.number},
        "clue-step": {"number": clue.number},
        "clue-verifications": {"number": clue.number},
        "transfer-detail": {"number": transfer.number},
        "transfer-step": {"number": transfer.number},
        "case-detail": {"number": case.number},
        "case-moves": {"number": case.number},
        "case-officials": {"number": official.case.number},
        "case-step": {"number": case.number},
        "person-detail": {"pk": person.pk},
        "mention-detail": {"pk": mention.pk},
        "linksuggestion-detail": {"pk": suggestions[1].pk},
        "assessmentperiod-detail": {"pk": period.pk},
        "assessmentperiod-scores": {"pk": period.pk},
        "publicityactivity-detail": {"pk": publicity.pk},
        "fundallocation-detail": {"pk": _first_pk("oversight", "FundAllocation")},
        "fundspending-detail": {"pk": _first_pk("oversight", "FundSpending")},
        "trainingsession-detail": {"pk": _first_pk("oversight", "TrainingSession")},
        "inspection-detail": {"pk": task.problem.inspection_id},
        "problem-detail": {"pk": task.problem_id},
        "task-detail": {"pk": task.pk},
        "task-step": {"pk": task.pk},
        "reportermessage-detail": {"pk": _first_pk("intake", "Message")},
        "target-detail": {"pk": first(Target.objects.all(), "target").pk},
        "drive-detail": {"pk": first(Drive.objects.all(), "drive").pk},
        "regulation-detail": {"pk": regulation.pk},
        "meeting-detail": {"pk": first(Meeting.objects.all(), "meeting").pk},
    }
    args["transfer_attachment"] = {"number": transfer.number, "pk": t_attachment.pk}
    args["evidence_file"] = {"pk": first(evidence, "evidence of the unit").pk}
    args["assessment_file"] = {"pk": answer_file.pk}
    return args


def _first_pk(app: str, model: str) -> int:
    from django.apps import apps

    found = apps.get_model(app, model).objects.order_by("pk").first()
    assert found is not None, f"the demo has no {app}.{model} for the sweep"
    return found.pk


def _audit_entry_pk() -> int:
    return _first_pk("audit", "AuditEntry")


def _screened_list(user):
    """The demo's candidate list screened by the office, as on the vetting page."""
    from saohei.entities.demo import candidate_list_path
    from saohei.vetting.screening import screen_list

    with open(candidate_list_path(), "rb") as fh:
        batch, read = screen_list(fh, user, title="换届候选人", file_name="候选人名单.xlsx")
    assert batch is not None, read.errors
    return batch


def _pdf(name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")


def _duplicate(person, user):
    """The same person registered a second time, as happens when two units enter one name."""
    from saohei.entities.models import Person

    return Person.objects.create(
        name=person.name, jurisdiction=person.jurisdiction, entered_by_unit=user.unit
    )


def district_markers() -> list[str]:
    """Strings that only the first district's records carry: none of them may appear on a page
    answered to an account of the second district."""
    from saohei.cases.models import Case
    from saohei.clues.models import Clue
    from saohei.transfers.models import Transfer

    first = Unit.objects.filter(jurisdiction__code="239901")
    return [
        *Clue.objects.values_list("number", flat=True),
        *Case.objects.values_list("number", flat=True),
        *Transfer.objects.values_list("number", flat=True),
        *first.values_list("name", flat=True),
        # Short names like 区检察院 are what every district calls its own: only the others
        # (北湖分局, 长青镇) name a unit of the first district.
        *first.exclude(short_name="")
        .exclude(short_name__startswith="区")
        .values_list("short_name", flat=True),
    ]
