"""The one matcher: is this the same person? With a score, a tier and the reasons in words.

`compare(a, b)` weighs the evidence two identities give:

- the name: the same after folding (traditional/simplified, width, dots, variants); the same
  as the other's nickname or former name; read the same (homophones, polyphonic characters);
  the given name's characters swapped; one character apart;
- the ID number: the same (a 15-digit one converted first); one character apart or two
  adjacent ones swapped (a typing slip); different;
- birth date and gender, when the IDs do not already settle them.

Scores add up (0-100). The tier: 确认 (confirmed) when the ID numbers are the same and the
names agree in one of the ways above; 疑似 (possible) from POSSIBLE_FROM points; 无 (none)
below. Reasons are sentences a reviewer reads beside the records.

`Index` holds many identities (a registry of records, the persons of clues and cases) and
finds, for one identity, the few worth comparing (blocking) by ID number and its slips, and
by name readings with the birth date, so that a candidate list is screened against a large
registry without comparing every pair.
"""

from __future__ import annotations

import datetime
import gc
from collections import defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .ids import IdInfo, difference, neighbours, parse_id
from .names import fold_name, readings_of, split_name, swapped_key

POSSIBLE_FROM = 50


class Tier(models.TextChoices):
    CONFIRMED = "confirmed", gettext_lazy("confirmed")
    POSSIBLE = "possible", gettext_lazy("possible")
    NONE = "none", gettext_lazy("none")


TIER_RANK = {Tier.CONFIRMED: 2, Tier.POSSIBLE: 1, Tier.NONE: 0}


@dataclass(frozen=True)
class Identity:
    """What one side knows of a person."""

    name: str
    id_number: str = ""
    aliases: tuple[str, ...] = ()  # former names and nicknames
    birth_date: datetime.date | None = None
    gender: str = ""  # "M", "F" or ""


@dataclass
class Prepared:
    """An Identity with its match keys worked out once."""

    identity: Identity
    name: str  # folded
    readings: frozenset[str]
    swapped: str
    aliases: dict[str, str] = field(default_factory=dict)  # folded alias -> as written
    alias_readings: dict[str, str] = field(default_factory=dict)  # reading -> alias as written
    id: IdInfo | None = None
    birth_date: datetime.date | None = None
    gender: str = ""


def prepare(identity: Identity, *, name_key: str | None = None, readings: str | None = None):
    """The Prepared form; `name_key` and `readings` as stored (keys_of) save recomputing."""
    if isinstance(identity, Prepared):
        return identity
    name = name_key if name_key is not None else fold_name(identity.name)
    name_readings = frozenset(readings.split()) if readings is not None else readings_of(name)
    info = parse_id(identity.id_number) if identity.id_number else None
    birth, gender = identity.birth_date, identity.gender
    if info is not None and info.birth_date is not None:
        birth, gender = info.birth_date, info.gender
    prepared = Prepared(identity, name, name_readings, swapped_key(name), id=info)
    prepared.birth_date, prepared.gender = birth, gender
    for alias in identity.aliases:
        folded = fold_name(alias)
        if folded and folded != name:
            prepared.aliases.setdefault(folded, alias)
            for reading in readings_of(folded):
                prepared.alias_readings.setdefault(reading, alias)
    return prepared


@dataclass(frozen=True)
class Match:
    score: int
    tier: str
    reasons: tuple[str, ...]

    @property
    def tier_label(self) -> str:
        return str(Tier(self.tier).label)

    def __str__(self):
        return f"{self.tier_label}（{self.score}）：{'；'.join(self.reasons)}"


NO_MATCH = Match(0, Tier.NONE, ())


def _name_evidence(a: Prepared, b: Prepared) -> tuple[int, str]:
    """(points, reason) of the best way the two names agree; (0, "") when they do not."""
    an, bn = a.identity.name, b.identity.name
    if a.name and a.name == b.name:
        if an.strip() == bn.strip():
            return 50, _("Same name “%(name)s”.") % {"name": an}
        return 50, _(
            "Same name once traditional or variant characters, width and dots are set aside "
            "(“%(a)s” and “%(b)s”)."
        ) % {"a": an, "b": bn}
    for folded in b.aliases:
        if folded == a.name:
            return 45, _("“%(a)s” is a nickname or former name of “%(b)s”.") % {"a": an, "b": bn}
    for folded, alias in a.aliases.items():
        if folded == b.name or folded in b.aliases:
            return 45, _("The nickname or former name “%(alias)s” matches “%(b)s”.") % {
                "alias": alias,
                "b": bn if folded == b.name else b.aliases[folded],
            }
    common = a.readings & b.readings
    if common:
        return 40, _("“%(a)s” and “%(b)s” are read alike (%(reading)s).") % {
            "a": an,
            "b": bn,
            "reading": min(common),
        }
    for reading in sorted(a.readings):
        if reading in b.alias_readings:
            return 35, _("“%(a)s” is read like the nickname or former name “%(alias)s”.") % {
                "a": an,
                "alias": b.alias_readings[reading],
            }
    for reading in sorted(b.readings):
        if reading in a.alias_readings:
            return 35, _("“%(b)s” is read like the nickname or former name “%(alias)s”.") % {
                "b": bn,
                "alias": a.alias_readings[reading],
            }
    if a.swapped and a.swapped == b.swapped:
        return 40, _("“%(a)s” and “%(b)s” have the given name's characters swapped.") % {
            "a": an,
            "b": bn,
        }
    if _one_character_apart(a.name, b.name):
        return 20, _("“%(a)s” and “%(b)s” differ in one character.") % {"a": an, "b": bn}
    return 0, ""


def _one_character_apart(a: str, b: str) -> bool:
    if len(a) != len(b) or len(a) < 2:
        return False
    if split_name(a)[0] != split_name(b)[0]:
        return False
    return sum(x != y for x, y in zip(a, b, strict=True)) == 1


def compare(a: Identity | Prepared, b: Identity | Prepared) -> Match:
    """How likely `a` and `b` are the same person, and why."""
    a, b = prepare(a), prepare(b)
    score, reasons = 0, []
    name_points, name_reason = _name_evidence(a, b)
    if name_reason:
        score += name_points
        reasons.append(name_reason)
    else:
        reasons.append(
            _("The names “%(a)s” and “%(b)s” do not agree.")
            % {"a": a.identity.name, "b": b.identity.name}
        )
    same_id = False
    id_settles = False
    if a.id is not None and b.id is not None:
        diff = difference(a.id.id18, b.id.id18)
        id_settles = diff.kind != "different"
        if diff.kind == "same":
            same_id = True
            score += 50
            if a.id.converted != b.id.converted:
                reasons.append(_("Same ID number once the 15-digit one is converted to 18."))
            else:
                reasons.append(_("Same ID number."))
        elif diff.kind == "one_digit":
            score += 35
            reasons.append(
                _("The ID numbers differ only in character %(n)s: probably a typing slip.")
                % {"n": diff.positions[0]}
            )
        elif diff.kind == "recomputed":
            # Weaker than a plain slip: two real people born the same day in the same county
            # can have numbers this close.
            score += 25
            reasons.append(
                _(
                    "The ID numbers differ in character %(n)s and in the check character: one "
                    "may have been mistyped and its check character worked out again."
                )
                % {"n": diff.positions[0]}
            )
        elif diff.kind == "transposed":
            score += 35
            reasons.append(
                _("The ID numbers differ by characters %(a)s and %(b)s swapped.")
                % {"a": diff.positions[0], "b": diff.positions[1]}
            )
        else:
            score -= 40
            reasons.append(_("The ID numbers are different."))
    if not id_settles:
        if a.birth_date and b.birth_date:
            if a.birth_date == b.birth_date:
                score += 15
                reasons.append(
                    _("Same birth date (%(date)s).") % {"date": f"{a.birth_date:%Y-%m-%d}"}
                )
            else:
                score -= 30
                reasons.append(
                    _("Different birth dates (%(a)s and %(b)s).")
                    % {"a": f"{a.birth_date:%Y-%m-%d}", "b": f"{b.birth_date:%Y-%m-%d}"}
                )
        if a.gender and b.gender:
            if a.gender == b.gender:
                score += 5
            else:
                score -= 30
                reasons.append(_("Different genders."))
        if a.id is None or b.id is None:
            reasons.append(_("No ID number on one side to compare."))
    score = max(0, min(100, score))
    if same_id and name_points >= 35:
        tier = Tier.CONFIRMED
    elif score >= POSSIBLE_FROM:
        tier = Tier.POSSIBLE
    else:
        tier = Tier.NONE
    return Match(score, tier, tuple(reasons))


def _birth_key(id18: str, birth: datetime.date | None) -> str | None:
    """The birth date blocking compares: the ID's eight date digits (as typed, so a number
    with a slip in its date still meets the same number typed the same way), else the date
    known otherwise."""
    if id18:
        return id18[6:14]
    return f"{birth:%Y%m%d}" if birth else None


def _id18(number: str) -> str:
    """The 18-digit form of a number for blocking, cheaply for numbers already stored in that
    form (the registry's), through parse_id otherwise."""
    text = number.strip().upper() if number else ""
    if len(text) == 18 and text[:17].isdigit():
        return text
    info = parse_id(text) if text else None
    return info.id18 if info is not None else ""


class Index:
    """Many identities, each under a key of the caller's (a record's id, say), for finding
    the ones that could be a given person.

    Adding an entry only files its blocking keys (ID number, name readings with the birth
    date, the swapped given name); its full Prepared form is worked out the first time it is
    compared, which for a registry of a million is a few thousand entries, not a million
    (bench/bench_vetting.py)."""

    def __init__(self, entries: Iterable[tuple] = ()):
        # (key, identity, folded name, readings as stored or None)
        self.entries: list[tuple] = []
        self._prepared: dict[int, Prepared] = {}
        self.by_id: dict[str, list[int]] = defaultdict(list)
        self.by_reading_birth: dict[tuple, list[int]] = defaultdict(list)
        self._by_reading: dict[str, list[int]] | None = None  # built on first use
        self.by_swapped: dict[str, list[int]] = defaultdict(list)
        self.add_many(entries)

    def __len__(self):
        return len(self.entries)

    def add_many(self, entries: Iterable[tuple]) -> None:
        """Add many entries at once: (key, identity) or (key, identity, name_key, readings)
        with the keys as stored (keys_of). Python's cyclic garbage collector would otherwise
        walk the growing index again and again while millions of objects are made (more than
        half the build time for a million); none of them form cycles."""
        enabled = gc.isenabled()
        gc.disable()
        try:
            for entry in entries:
                self.add(*entry)
        finally:
            if enabled:
                gc.enable()

    def add(
        self,
        key: Hashable,
        identity: Identity | Prepared,
        name_key: str | None = None,
        readings: str | None = None,
    ) -> None:
        position = len(self.entries)
        if isinstance(identity, Prepared):
            prepared = identity
            self._prepared[position] = prepared
            identity, name_key = prepared.identity, prepared.name
            name_readings = prepared.readings
            id18 = prepared.id.id18 if prepared.id is not None else ""
            alias_readings = list(prepared.alias_readings)
        else:
            if name_key is None:
                name_key = fold_name(identity.name)
            name_readings = readings.split() if readings is not None else readings_of(name_key)
            id18 = _id18(identity.id_number)
            alias_readings = [
                r for alias in identity.aliases for r in readings_of(fold_name(alias))
            ]
        self.entries.append((key, identity, name_key, readings))
        if id18:
            self.by_id[id18].append(position)
        birth = _birth_key(id18, identity.birth_date)
        for reading in {*name_readings, *alias_readings}:
            self.by_reading_birth[(reading, birth)].append(position)
        self._by_reading = None
        swapped = swapped_key(name_key)
        if swapped:
            self.by_swapped[swapped].append(position)

    @property
    def by_reading(self) -> dict[str, list[int]]:
        """Entries by name reading alone, whatever their birth date: needed only for a person
        of unknown birth (a name typed into a clue), so made when first asked for; a
        candidate list, where every candidate has an ID number, never needs it."""
        if self._by_reading is None:
            by_reading: dict[str, list[int]] = defaultdict(list)
            for (reading, _birth), positions in self.by_reading_birth.items():
                by_reading[reading].extend(positions)
            self._by_reading = by_reading
        return self._by_reading

    def prepared(self, position: int) -> Prepared:
        found = self._prepared.get(position)
        if found is None:
            _key, identity, name_key, readings = self.entries[position]
            found = prepare(identity, name_key=name_key, readings=readings)
            self._prepared[position] = found
        return found

    def _positions(self, p: Prepared) -> set[int]:
        found: set[int] = set()
        id18 = p.id.id18 if p.id is not None else ""
        if id18:
            found.update(self.by_id.get(id18, ()))
            for near in neighbours(id18):
                found.update(self.by_id.get(near, ()))
        birth = _birth_key(id18, p.birth_date)
        for reading in p.readings | p.alias_readings.keys():
            if birth is not None:
                # With a birth date, namesakes born on other days are not worth comparing;
                # entries of unknown birth date are.
                found.update(self.by_reading_birth.get((reading, birth), ()))
                found.update(self.by_reading_birth.get((reading, None), ()))
            else:
                found.update(self.by_reading.get(reading, ()))
        if p.swapped:
            for position in self.by_swapped.get(p.swapped, ()):
                other = self.prepared(position)
                if p.birth_date is None or other.birth_date in (None, p.birth_date):
                    found.add(position)
        return found

    def search(
        self, identity: Identity | Prepared, *, limit: int = 20, include_none: bool = False
    ) -> list[tuple[Hashable, Match]]:
        """The entries that could be `identity`, best first: (key, Match) for each of tier
        possible or confirmed (all compared ones with `include_none`)."""
        p = prepare(identity)
        results = []
        for position in self._positions(p):
            match = compare(p, self.prepared(position))
            if include_none or match.tier != Tier.NONE:
                results.append((self.entries[position][0], match))
        results.sort(key=lambda r: (-TIER_RANK[r[1].tier], -r[1].score, str(r[0])))
        return results[:limit]
