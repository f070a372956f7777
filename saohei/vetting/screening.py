"""Screening candidates: what they are screened against (facts), the matcher, the rules, the
judgements reviewers made before; and the steps a reviewer takes (decide, judge).

One function, `screen_list`, serves the `vet` command and the upload page: it reads the list,
screens every candidate and writes the batch with its candidates and hits in one
transaction, so a refused or failed list leaves nothing behind.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saohei.audit.models import Action
from saohei.audit.services import record
from saohei.core import crypto
from saohei.core.dates import cn_date
from saohei.core.normalize import split_names
from saohei.entities.matching import TIER_RANK, Identity, Index, Tier, fold_name, parse_id

from .candidates import CandidateList, CandidateRow, read_candidates
from .models import Batch, Candidate, Decision, Effect, Hit, Judgement, Rule, Source

Progress = Callable[[int, int], None]
MAX_HITS = 10  # per candidate: beyond that the reviewer learns nothing more


@dataclass
class Fact:
    """One thing a candidate may turn out to be: a record, a suspect, an official dealt with,
    a clue's subject; with what the rules look at."""

    source: str
    target: str  # "record:12"
    label: str
    kind: str
    text: str
    on: datetime.date | None
    open: bool
    identity: Identity


def facts_for(user) -> Iterator[Fact]:
    """Everything `user` may screen against: only what they can see."""
    from saohei.cases.choices import OfficialOutcome, Stage
    from saohei.cases.models import Official, Suspect
    from saohei.clues.choices import Status
    from saohei.clues.models import Clue
    from saohei.entities.models import Mention, Record

    records = Record.objects.visible_to(user).select_related("person")
    for r in records.iterator(chunk_size=2000):
        person = r.person
        aliases = tuple(a for a in (person.name, *person.aliases()) if a != r.name)
        yield Fact(
            Source.RECORD,
            f"record:{r.pk}",
            f"{r.get_kind_display()} · {cn_date(r.decided_on)} · {r.deciding_body}"
            + (f" · {r.description[:60]}" if r.description else ""),
            r.kind,
            f"{r.description} {r.deciding_body}",
            r.decided_on,
            False,
            Identity(r.name, r.id_number or "", aliases, person.birth_date, person.gender),
        )
    suspects = Suspect.objects.visible_to(user).select_related("case")
    for s in suspects.iterator(chunk_size=2000):
        case = s.case
        yield Fact(
            Source.SUSPECT,
            f"suspect:{s.pk}",
            f"{case.number} {case.name} · {s.get_role_display()} · {case.get_stage_display()}",
            case.kind,
            f"{case.name} {s.sentence}",
            case.opened_on,
            case.stage != Stage.CLOSED,
            Identity(s.name, s.id_number or ""),
        )
    officials = Official.objects.visible_to(user).select_related("case")
    for o in officials.exclude(outcome=OfficialOutcome.CLEARED).iterator(chunk_size=2000):
        yield Fact(
            Source.OFFICIAL,
            f"official:{o.pk}",
            f"{o.case.number} · {o.employer}{o.position} · {o.get_outcome_display()}",
            o.outcome,
            f"{o.case.name} {o.note}",
            o.outcome_on or o.case.opened_on,
            o.outcome == OfficialOutcome.PENDING,
            Identity(o.name),
        )
    open_statuses = set(Status.values) - {Status.CONCLUDED, Status.MERGED}
    # Subjects entered as persons (with their ID when known), then the names typed into the
    # clue's subject field; a name already entered as a person is not listed twice.
    entered: set[tuple[int, str]] = set()
    mentions = (
        Mention.objects.visible_to(user)
        .filter(clue__isnull=False, person__isnull=False, role="subject")
        .select_related("clue", "person")
    )
    for m in mentions.iterator(chunk_size=2000):
        p, clue = m.person, m.clue
        entered.add((clue.pk, fold_name(p.name)))
        yield Fact(
            Source.CLUE_SUBJECT,
            f"mention:{m.pk}",
            f"{clue.number} · {clue.get_category_display()} · {clue.get_status_display()}",
            clue.category,
            clue.summary,
            clue.received_on,
            clue.status in open_statuses,
            Identity(p.name, p.id_number or "", tuple(p.aliases()), p.birth_date, p.gender),
        )
    clues = Clue.objects.visible_to(user).only(
        "pk", "number", "subjects", "category", "status", "received_on", "summary"
    )
    for clue in clues.iterator(chunk_size=2000):
        for name in split_names(clue.subjects):
            if len(name) < 2 or len(name) > 5 or (clue.pk, fold_name(name)) in entered:
                continue  # organizations and "某某" are not persons to compare
            yield Fact(
                Source.CLUE_SUBJECT,
                f"clue:{clue.pk}:{name}"[:40],
                f"{clue.number} · {clue.get_category_display()} · {clue.get_status_display()}",
                clue.category,
                clue.summary,
                clue.received_on,
                clue.status in open_statuses,
                Identity(name),
            )


def identity_key(name: str, id18: str) -> str:
    """The keyed hash a judgement is remembered under: the ID number when there is one."""
    value = f"id:{id18}" if id18 else f"name:{fold_name(name)}"
    return crypto.blind_index(value, "vetting_identity")


@dataclass
class Screened:
    row: CandidateRow
    tier: str
    score: int
    reasons: list[str]
    rules: list[str]
    disqualifying: bool
    hits: list[Hit]


def screen(rows: list[CandidateRow], user, screened_on, progress: Progress | None = None):
    """Screen each row: the hits, the rules they meet, the candidate's tier and reasons."""
    facts = list(facts_for(user))
    index = Index((i, fact.identity) for i, fact in enumerate(facts))
    rules = list(Rule.objects.active())
    jurisdiction_ids = user.jurisdiction_ids
    keys = {identity_key(r.name, r.id_number): r for r in rows}
    judged = {
        (j.identity, j.target): j
        for j in Judgement.objects.filter(
            jurisdiction_id__in=jurisdiction_ids, identity__in=list(keys)
        )
    }
    key_of = {id(r): k for k, r in keys.items()}
    total = len(rows)
    results = []
    for done, row in enumerate(rows, start=1):
        identity = Identity(row.name, row.id_number)
        hits, rules_met, disqualifying = [], [], False
        for position, match in index.search(identity, limit=MAX_HITS):
            fact = facts[position]
            judgement = judged.get((key_of[id(row)], fact.target))
            tier, score, reasons = match.tier, match.score, list(match.reasons)
            if judgement is not None and not judgement.same:
                continue  # a reviewer found this is someone else
            if judgement is not None:
                tier, score = Tier.CONFIRMED, 100
                reasons.append(
                    _("A reviewer judged on %(date)s that this is the same person.")
                    % {"date": cn_date(timezone.localtime(judgement.created_at).date())}
                )
            met = [r for r in rules if r.met_by(fact, screened_on)]
            disqualifying |= any(r.effect == Effect.DISQUALIFY for r in met)
            rules_met.extend(r.name for r in met if r.name not in rules_met)
            hits.append(
                Hit(
                    source=fact.source,
                    target=fact.target,
                    label=fact.label[:300],
                    on=fact.on,
                    tier=tier,
                    score=score,
                    reasons=reasons,
                    rules=[r.name for r in met],
                    judged=judgement is not None,
                )
            )
        hits.sort(key=lambda h: (-TIER_RANK[h.tier], -h.score))
        info = parse_id(row.id_number)
        reasons = []
        if info is not None and not info.check_ok:
            reasons.append(_("The ID number's check character does not agree: check it."))
        if hits:
            best = hits[0]
            reasons.append(
                _("Matches %(record)s: %(why)s")
                % {"record": best.label, "why": " ".join(best.reasons)}
            )
            if len(hits) > 1:
                reasons.append(_("%(n)s more records found.") % {"n": len(hits) - 1})
            tier, score = best.tier, best.score
        else:
            tier, score = Tier.NONE, 0
            reasons.append(_("No record, case or clue found for this person."))
        if rules_met:
            reasons.append(_("Rules met: %(rules)s.") % {"rules": "、".join(rules_met)})
        results.append(Screened(row, tier, score, reasons, rules_met, disqualifying, hits))
        if progress and (done % 100 == 0 or done == total):
            progress(done, total)
    return results


def screen_list(
    fileobj,
    user,
    *,
    title: str = "",
    screened_on: datetime.date | None = None,
    progress: Progress | None = None,
    job=None,
    file_name: str = "",
) -> tuple[Batch | None, CandidateList]:
    """Read, screen and keep a candidate list as a Batch: (batch, the list read). When the
    list has errors, nothing is written and the batch is None."""
    if not user.has_perm("vetting.add_batch") or user.unit is None:
        raise PermissionDenied(_("You may not screen candidate lists."))
    candidates = read_candidates(fileobj)
    if candidates.errors:
        return None, candidates
    screened_on = screened_on or timezone.localdate()
    results = screen(candidates.rows, user, screened_on, progress)
    name = file_name or getattr(fileobj, "name", None) or str(fileobj)
    name = str(name).replace("\\", "/").rsplit("/", 1)[-1][:200]
    with transaction.atomic():
        batch = Batch.objects.create(
            title=title or name.rsplit(".", 1)[0],
            file_name=name,
            jurisdiction=user.unit.jurisdiction,
            unit=user.unit,
            created_by=user,
            screened_on=screened_on,
            headers=candidates.headers,
            job=job,
        )
        made = Candidate.objects.bulk_create(
            Candidate(
                batch=batch,
                row=s.row.line,
                name=s.row.name,
                id_number=s.row.id_number,
                place=s.row.place,
                position=s.row.position,
                cells=s.row.cells,
                tier=s.tier,
                score=s.score,
                reasons="\n".join(s.reasons),
                rules_met="、".join(s.rules),
                disqualifying=s.disqualifying,
            )
            for s in results
        )
        hits = []
        for candidate, s in zip(made, results, strict=True):
            for hit in s.hits:
                hit.candidate = candidate
                hits.append(hit)
        Hit.objects.bulk_create(hits, batch_size=1000)
        record(
            Action.CREATE,
            batch,
            changes={"file": name, "candidates": len(results), **_tier_counts(results)},
            user=user,
        )
    return batch, candidates


def _tier_counts(results: list[Screened]) -> dict:
    counts = dict.fromkeys(Tier.values, 0)
    for s in results:
        counts[s.tier] += 1
    return counts


# Reviewers' steps ----------------------------------------------------------------------------


def decide(candidate: Candidate, decision: str, note: str, *, by) -> Candidate:
    """A reviewer's decision on a candidate: clear, disqualify or needs review, with a note."""
    if decision not in Decision.values:
        raise ValueError(decision)
    if not Candidate.objects.editable_by(by).filter(pk=candidate.pk).exists() or not by.has_perm(
        "vetting.decide_candidate"
    ):
        raise PermissionDenied(_("You may not decide on this candidate."))
    if decision == Decision.DISQUALIFY and not note.strip():
        raise ValueError(_("Say why the candidate is disqualified."))
    with transaction.atomic():
        locked = Candidate.objects.select_for_update().get(pk=candidate.pk)
        before = locked.decision
        locked.decision, locked.decision_note = decision, note.strip()
        locked.decided_by, locked.decided_at = by, timezone.now()
        locked.save(update_fields=["decision", "decision_note", "decided_by", "decided_at"])
        record(
            Action.UPDATE,
            locked,
            changes={"decision": [before, decision], "note": locked.decision_note},
            user=by,
        )
    return locked


def judge(hit: Hit, same: bool, note: str, *, by) -> Judgement:
    """A reviewer's word that the hit's record is (or is not) this candidate's: kept for later
    batches of the jurisdiction, and applied to this hit now."""
    candidate = hit.candidate
    if not Candidate.objects.editable_by(by).filter(pk=candidate.pk).exists() or not by.has_perm(
        "vetting.decide_candidate"
    ):
        raise PermissionDenied(_("You may not decide on this candidate."))
    key = identity_key(candidate.name, candidate.id_number or "")
    with transaction.atomic():
        judgement, _created = Judgement.objects.update_or_create(
            jurisdiction=candidate.batch.jurisdiction,
            identity=key,
            target=hit.target,
            defaults={"same": same, "note": note.strip(), "by": by},
        )
        if same:
            Hit.objects.filter(pk=hit.pk).update(tier=Tier.CONFIRMED, judged=True)
        else:
            Hit.objects.filter(pk=hit.pk).update(tier=Tier.NONE, judged=True)
        _retier(candidate)
        record(
            Action.UPDATE,
            judgement,
            changes={"target": hit.target, "same": same, "note": judgement.note},
            user=by,
        )
    return judgement


def _retier(candidate: Candidate) -> None:
    """The candidate's tier is its best hit's once a reviewer has judged one."""
    hits = list(candidate.hits.all())
    best = max(hits, key=lambda h: (TIER_RANK[h.tier], h.score), default=None)
    tier = best.tier if best is not None else Tier.NONE
    Candidate.objects.filter(pk=candidate.pk).update(tier=tier)
