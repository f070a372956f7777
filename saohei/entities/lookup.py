"""Finding persons and other entities for the pages and the API: search by name or ID number,
the existing persons a new one could be, masked ID numbers, the mentions a user may read."""

from __future__ import annotations

from django.db.models import Q

from saohei.core.normalize import normalize_id_number, normalize_phone

from .matching import Identity, Index, fold_name, neighbours, parse_id, readings_of
from .models import Mention, Organization, Person, Phone, Vehicle, normalize_plate

CANDIDATE_ROWS = 300  # persons compared at most when looking for a new person's matches


def mask_id(value: str) -> str:
    """2306**********1233: enough to tell two persons apart, not enough to use."""
    value = value or ""
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]}{'*' * (len(value) - 8)}{value[-4:]}"


def id_indexes(value: str) -> list[str]:
    """The blind-index values an ID number as typed is stored under (the 18-digit form of a
    valid one; as typed otherwise)."""
    field = Person._meta.get_field("id_index")
    forms = {normalize_id_number(value)}
    info = parse_id(value)
    if info is not None:
        forms.add(info.id18)
    return [field.index_for(f) for f in forms if f]


def looks_like_id(text: str) -> bool:
    return parse_id(text) is not None


def search_persons(queryset, q: str):
    """Persons whose ID number is `q`, or whose name, folded, contains `q` folded (陳 finds
    陈), or whose former names or nicknames contain it."""
    q = (q or "").strip()
    if not q:
        return queryset
    if looks_like_id(q):
        return queryset.filter(id_index__in=id_indexes(q))
    folded = fold_name(q)
    return queryset.filter(
        Q(name_key__contains=folded) | Q(former_names__contains=q) | Q(nicknames__contains=q)
    )


def candidates(user, identity: Identity, *, exclude=()) -> list[tuple[Person, object]]:
    """The visible, current persons that could be `identity`, best first: (person, Match)
    of tier possible or confirmed. The database narrows by ID number (and its one-slip
    neighbours), reading and alias; the matcher decides."""
    keys = Q(pk__in=[])
    info = parse_id(identity.id_number) if identity.id_number else None
    if info is not None:
        field = Person._meta.get_field("id_index")
        near = [info.id18, *neighbours(info.id18)]
        keys |= Q(id_index__in=[field.index_for(v) for v in near])
    names = [identity.name, *identity.aliases]
    for name in names:
        folded = fold_name(name)
        if not folded:
            continue
        keys |= Q(name_key=folded) | Q(former_names__contains=name) | Q(nicknames__contains=name)
        for reading in readings_of(folded):
            keys |= Q(readings__contains=reading)
    rows = (
        Person.objects.visible_to(user)
        .current()
        .filter(keys)
        .exclude(pk__in=[p for p in exclude if p])[:CANDIDATE_ROWS]
    )
    persons = {p.pk: p for p in rows}
    index = Index((pk, p.identity()) for pk, p in persons.items())
    return [(persons[pk], match) for pk, match in index.search(identity)]


def visible_mentions(user):
    """Mentions the user may read: with their clue or case, and those naming an informant
    only for the clue custodian (DESIGN §4)."""
    mentions = Mention.objects.visible_to(user)
    if not user.has_perm("clues.reveal_informant"):
        mentions = mentions.exclude(role="informant")
    return mentions


def find_entities(kind: str, user, q: str):
    """Visible entities of `kind` for the mention form's search."""
    q = (q or "").strip()
    if kind == "person":
        qs = Person.objects.visible_to(user).current()
        return search_persons(qs, q) if q else qs.none()
    if not q:
        return []
    if kind == "organization":
        return Organization.objects.visible_to(user).filter(
            Q(name__contains=q) | Q(credit_code=q.upper())
        )
    if kind == "vehicle":
        return Vehicle.objects.visible_to(user).filter(plate__contains=normalize_plate(q))
    if kind == "phone":
        digits = normalize_phone(q)
        return Phone.objects.visible_to(user).filter(number__contains=digits) if digits else []
    return []


ENTITY_MODELS = {
    "person": Person,
    "organization": Organization,
    "vehicle": Vehicle,
    "phone": Phone,
}
