"""The link suggestion engine: which clues and cases may belong with a given one, how strongly
(a score of 0 to 100) and why (one sentence per reason).

Grounds, each worth a part of the score (summed, at most 100):
- a shared entity through Mention: a person (merged persons count as their survivor; a case
  suspect counts as the person with the same ID number), an organization, a vehicle, a phone;
- the same place (oil well, village, plant, street) within SAOHEI_LINK_WINDOW_DAYS days;
- a similar description of the method (rapidfuzz on character bigrams, names and places
  removed), within the same window.

Candidates are only ever found by indexed look-ups (mentions of the item's entities, suspects
with its ID numbers, place tokens and the jurisdiction's items within the window), never by
scanning all items. Decided pairs (accepted or rejected) are never suggested again, nor pairs
already in one series, nor a case and the clues it was opened from.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rapidfuzz import fuzz, process

from .models import LinkStatus, LinkSuggestion, SeriesMember, Trace, TracePlace, ordered, pair_keys
from .traces import index, place_kind

log = logging.getLogger(__name__)

THRESHOLD = 30  # open suggestions are stored from this score up
LIMIT = 30  # at most this many per item
METHOD_CUTOFF = 80  # rapidfuzz ratio from which two methods count as alike
METHOD_MIN_BIGRAMS = 6  # shorter descriptions say too little to compare
ENTITY_WEIGHT = {"person": 50, "vehicle": 40, "phone": 40, "organization": 30}
PLACE_WEIGHT = {"well": 40, "village": 35, "plant": 25, "street": 25}


def window_days() -> int:
    return int(getattr(settings, "SAOHEI_LINK_WINDOW_DAYS", 90))


class Reason(str):
    """A sentence that also says what it rests on (`code`: person, vehicle, place, …)."""

    code: str

    def __new__(cls, code: str, text: str):
        obj = super().__new__(cls, text)
        obj.code = code
        return obj


@dataclass
class Candidate:
    kind: str
    pk: int
    parts: list[tuple[int, Reason]] = field(default_factory=list)
    item: object = None

    @property
    def score(self) -> int:
        return min(100, sum(points for points, _reason in self.parts))

    @property
    def reasons(self) -> list[Reason]:
        return [r for _points, r in sorted(self.parts, key=lambda p: -p[0])]


@dataclass(frozen=True)
class Suggestion:
    other: object
    score: int
    reasons: list

    def __iter__(self):  # other, score, reasons = suggestion
        return iter((self.other, self.score, self.reasons))

    @property
    def kinds(self) -> list[str]:
        return sorted({r.code for r in self.reasons})


def _entities(item, kind):
    """The item's entities as canonical keys with their names: ("person", survivor id),
    ("organization", id), ("vehicle", id), ("phone", id), or ("id", blind index) for a suspect
    whose ID number no person holds; and what to look the others up by: entity ids per kind
    (persons merged into a survivor included, `resolve` mapping each to its survivor) and ID
    indexes (`by_index` mapping those a person holds to that person)."""
    from saohei.cases.models import Suspect
    from saohei.entities.models import Mention, Person

    names: dict[tuple[str, object], str] = {}
    rows = (
        Mention.objects.filter(**{kind: item})
        .order_by()
        .values_list(
            "person_id",
            "person__merged_into_id",
            "person__merged_into__name",
            "person__name",
            "organization_id",
            "organization__name",
            "vehicle_id",
            "vehicle__plate",
            "phone_id",
            "phone__number",
        )
    )
    for pid, merged, mname, pname, oid, oname, vid, plate, phid, number in rows:
        if pid:
            names[("person", merged or pid)] = mname or pname
        elif oid:
            names[("organization", oid)] = oname
        elif vid:
            names[("vehicle", vid)] = plate
        elif phid:
            names[("phone", phid)] = number
    suspect_idx: dict[str, str] = {}
    if kind == "case":
        suspect_idx = dict(
            Suspect.objects.filter(case=item)
            .exclude(id_index="")
            .order_by()
            .values_list("id_index", "name")
        )
    by_index: dict[str, int] = {}
    if suspect_idx:
        for pid, merged, name, id_index in (
            Person.objects.filter(id_index__in=list(suspect_idx))
            .order_by()
            .values_list("pk", "merged_into_id", "name", "id_index")
        ):
            by_index[id_index] = merged or pid
            names.setdefault(("person", merged or pid), name)
    survivors = [eid for ek, eid in names if ek == "person"]
    resolve: dict[int, int] = {}
    if survivors:
        # Persons merged into the survivors: read from the index alone (asking for more
        # columns makes SQLite's planner, which counts NULLs as one value, scan the table).
        resolve = {pid: pid for pid in survivors}
        resolve.update(
            Person.objects.filter(merged_into__in=survivors)
            .order_by()
            .values_list("pk", "merged_into_id")
        )
        for pid, id_index in (
            Person.objects.filter(pk__in=list(resolve)).order_by().values_list("pk", "id_index")
        ):
            if id_index:
                by_index.setdefault(id_index, resolve[pid])
    for id_index, name in suspect_idx.items():
        if id_index not in by_index:
            names[("id", id_index)] = name
    ids = {ek: {eid for k, eid in names if k == ek} for ek in ENTITY_WEIGHT}
    ids["person"] = set(resolve)
    indexes = set(suspect_idx) | set(by_index)
    return names, ids, resolve, by_index, indexes


def suggest_for(item, *, user=None, limit: int = LIMIT) -> list[Suggestion]:
    """Other clues and cases that may belong with `item`, best first. With `user`, only those
    the user may see."""
    from saohei.cases.models import Case, Suspect
    from saohei.clues.models import Clue
    from saohei.entities.models import Mention

    kind = item._meta.model_name
    me = (kind, item.pk)
    found: dict[tuple[str, int], Candidate] = {}

    def cand(k, pk) -> Candidate | None:
        if (k, pk) == me or pk is None:
            return None
        return found.setdefault((k, pk), Candidate(k, pk))

    # Shared entities ---------------------------------------------------------------------
    names, ids, resolve, by_index, indexes = _entities(item, kind)
    shared: dict[tuple[str, int], set] = defaultdict(set)
    for ek, wanted in ids.items():
        if not wanted:
            continue
        for clue_id, case_id, eid in (
            Mention.objects.filter(**{f"{ek}_id__in": list(wanted)})
            .exclude(**{kind: item})
            .order_by()
            .values_list("clue_id", "case_id", f"{ek}_id")
        ):
            other = ("clue", clue_id) if clue_id else ("case", case_id)
            shared[other].add((ek, resolve.get(eid, eid) if ek == "person" else eid))
    if indexes:
        suspects = Suspect.objects.filter(id_index__in=list(indexes)).order_by()
        if kind == "case":
            suspects = suspects.exclude(case=item)
        for case_id, id_index in suspects.values_list("case_id", "id_index"):
            pid = by_index.get(id_index)
            shared[("case", case_id)].add(("person", pid) if pid else ("id", id_index))
    for other, entities in shared.items():
        c = cand(*other)
        if c is None:
            continue
        parts = sorted(
            (
                ENTITY_WEIGHT["person" if ek == "id" else ek],
                _entity_reason("person" if ek == "id" else ek, names.get((ek, eid), "")),
            )
            for ek, eid in entities
        )[::-1]
        # The first shared entity counts in full, each further one less.
        c.parts += parts[:1] + [(15, r) for _p, r in parts[1:]]

    # Place and method within the window ----------------------------------------------------
    trace = Trace.objects.filter(**{kind: item}).first()
    info = None
    if trace is None:
        info = index(item)
        trace = info["trace"]
    window = window_days()
    lo, hi = (
        trace.on - datetime.timedelta(days=window),
        trace.on + datetime.timedelta(days=window),
    )
    tokens = info["places"] if info else list(trace.places.values_list("token", flat=True))
    if tokens:
        best: dict[tuple[str, int], tuple[int, Reason]] = {}
        rows = TracePlace.objects.filter(
            token__in=tokens, on__range=(lo, hi), trace__jurisdiction_id=trace.jurisdiction_id
        ).values_list("token", "on", "trace__clue_id", "trace__case_id")
        for token, on, clue_id, case_id in rows:
            other = ("clue", clue_id) if clue_id else ("case", case_id)
            if other == me:
                continue
            days = abs((on - trace.on).days)
            points = PLACE_WEIGHT[place_kind(token)] - round(10 * days / max(window, 1))
            points += min(len(token), 12) // 4  # a longer token is a more precise place
            if other not in best or points > best[other][0]:
                best[other] = (points, (_place_reason, token, days))
        for other, part in best.items():
            c = cand(*other)
            if c is not None:
                c.parts.append(part)
    if len(trace.method.split()) >= METHOD_MIN_BIGRAMS:
        rows = (
            Trace.objects.filter(jurisdiction_id=trace.jurisdiction_id, on__range=(lo, hi))
            .exclude(pk=trace.pk)
            .values_list("clue_id", "case_id", "method")
        )
        choices = {}
        for clue_id, case_id, method in rows:
            if method.count(" ") + 1 >= METHOD_MIN_BIGRAMS:
                choices[("clue", clue_id) if clue_id else ("case", case_id)] = method
        for text, ratio, other in process.extract(
            trace.method,
            choices,
            scorer=fuzz.token_set_ratio,
            score_cutoff=METHOD_CUTOFF,
            limit=limit * 4,
        ):
            c = cand(*other)
            if c is not None:
                c.parts.append(
                    (round(ratio) - 45, (_method_reason, round(ratio), trace.method, text))
                )

    if not found:
        return []
    # What is never suggested: decided pairs, pairs in one series, a case and its own clues.
    excluded = set()
    for a, b in (
        LinkSuggestion.objects.involving(item)
        .exclude(status=LinkStatus.OPEN)
        .values_list("a_key", "b_key")
    ):
        excluded.update((a, b))
    series_id = (
        SeriesMember.objects.filter(**{kind: item}).values_list("series_id", flat=True).first()
    )
    if series_id:
        for clue_id, case_id in SeriesMember.objects.filter(series_id=series_id).values_list(
            "clue_id", "case_id"
        ):
            excluded.add(f"clue:{clue_id}" if clue_id else f"case:{case_id}")
    if kind == "case":
        excluded.update(f"clue:{pk}" for pk in item.clues.values_list("pk", flat=True))
    else:
        excluded.update(
            f"case:{pk}"
            for pk in Case.clues.through.objects.filter(clue_id=item.pk).values_list(
                "case_id", flat=True
            )
        )
    ranked = sorted(
        (c for c in found.values() if f"{c.kind}:{c.pk}" not in excluded),
        key=lambda c: (-c.score, c.kind, c.pk),
    )[:limit]
    models = {"clue": Clue.objects, "case": Case.objects}
    if user is not None:
        models = {k: m.visible_to(user) for k, m in models.items()}
    loaded = {}
    for k, manager in models.items():
        pks = [c.pk for c in ranked if c.kind == k]
        if pks:
            loaded.update({(k, o.pk): o for o in manager.filter(pk__in=pks)})
    shown = [c for c in ranked if (c.kind, c.pk) in loaded]
    for c in shown:  # place and method sentences are written only for those shown
        c.parts[:] = [
            (points, reason if isinstance(reason, Reason) else reason[0](*reason[1:]))
            for points, reason in c.parts
        ]
    return [Suggestion(loaded[(c.kind, c.pk)], c.score, c.reasons) for c in shown]


def _entity_reason(kind: str, name: str) -> Reason:
    if kind == "person":
        text = _("Both name the person %(name)s.") % {"name": name}
    elif kind == "vehicle":
        text = _("Both name the vehicle %(plate)s.") % {"plate": name}
    elif kind == "phone":
        text = _("Both name the phone %(number)s.") % {"number": name}
    else:
        text = _("Both name the organization %(name)s.") % {"name": name}
    return Reason(kind, text)


def _place_reason(token: str, days: int) -> Reason:
    if days == 0:
        text = _("Both happened at %(place)s on the same day.") % {"place": token}
    else:
        text = ngettext(
            "Both happened at %(place)s within %(days)d day.",
            "Both happened at %(place)s within %(days)d days.",
            days,
        ) % {"place": token, "days": days}
    return Reason("place", text)


def shared_phrases(mine: str, theirs: str, most: int = 3) -> list[str]:
    """The longest runs of bigrams two method texts share, as text: 欺行 行霸 霸市 → 欺行霸市."""
    theirs_set = set(theirs.split())
    phrases, run = [], ""
    for bigram in mine.split():
        if bigram in theirs_set:
            run = run + bigram[1] if run and run[-1] == bigram[0] else _flush(phrases, run, bigram)
        else:
            run = _flush(phrases, run, "")
    _flush(phrases, run, "")
    return sorted(phrases, key=len, reverse=True)[:most]


def _flush(phrases: list, run: str, start: str) -> str:
    if len(run) >= 4:
        phrases.append(run)
    return start


def _method_reason(ratio: int, mine: str, theirs: str) -> Reason:
    text = _("The methods are alike (%(ratio)d%%): %(phrases)s.") % {
        "ratio": ratio,
        "phrases": "、".join(shared_phrases(mine, theirs)),
    }
    return Reason("method", text)


def refresh(item) -> list[LinkSuggestion]:
    """Index the item and store its open suggestions from THRESHOLD up: new pairs are added,
    open ones updated, open ones no longer found removed; decided pairs are left as they are."""
    index(item)
    with translation.override(settings.LANGUAGE_CODE):
        found = [s for s in suggest_for(item) if s.score >= THRESHOLD]
    stored = []
    with transaction.atomic():
        held = {(s.a_key, s.b_key): s for s in LinkSuggestion.objects.involving(item)}
        wanted = set()
        for s in found:
            a, b = ordered(item, s.other)
            pair = pair_keys(a, b)
            wanted.add(pair)
            row = held.get(pair)
            reasons = [str(r) for r in s.reasons]
            if row is None:
                row = LinkSuggestion.objects.create(
                    a_key=pair[0],
                    b_key=pair[1],
                    **{f"a_{a._meta.model_name}": a, f"b_{b._meta.model_name}": b},
                    score=s.score,
                    reasons=reasons,
                    kinds=s.kinds,
                )
            elif row.status == LinkStatus.OPEN and (
                row.score != s.score or row.reasons != reasons or row.kinds != s.kinds
            ):
                row.score, row.reasons, row.kinds = s.score, reasons, s.kinds
                row.save(update_fields=["score", "reasons", "kinds", "updated_at"])
            stored.append(row)
        stale = [
            row.pk
            for pair, row in held.items()
            if row.status == LinkStatus.OPEN and pair not in wanted
        ]
        if stale:
            LinkSuggestion.objects.filter(pk__in=stale).delete()
    return stored


def refresh_later(model, pk: int) -> None:
    """Refresh an item once the transaction that changed it has committed; a failure is
    logged and never undoes the save."""

    def run():
        item = model.objects.filter(pk=pk).first()
        if item is not None:
            refresh(item)

    transaction.on_commit(run, robust=True)
