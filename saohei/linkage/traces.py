"""What an item is compared by: the places it names and the method it describes, read from
its text and kept in Trace / TracePlace rows so that the engine finds candidates by index.

Places: the clue's place, the case's oil sites and the place words of the summary. Each is
normalised (full-width folded, 4#井 → 4号井, administrative prefixes such as 北湖区 or 红旗镇
dropped) and cut into place tokens ending in 村 (village), 井 (oil well), 厂 (plant), 街 or 路
(street). A plant or village followed by a well is also kept whole: 采油三厂4号井 names one well,
采油三厂 the plant it belongs to.

Method: the summary with the names of the persons involved, the places and everything that is
not a Chinese character removed, as the set of its character bigrams, which rapidfuzz compares
(no word segmentation needed).
"""

from __future__ import annotations

import re
import unicodedata

from .models import Trace, TracePlace, item_kind

KINDS = {"井": "well", "村": "village", "厂": "plant", "街": "street", "路": "street"}
_ATOM = "(?:[\u4e00-\u9fffA-Z0-9\\-]{%d,%d}?[村井厂街路])"
ATOM_FIELD = re.compile(_ATOM % (1, 10))
ATOM_TEXT = re.compile(_ATOM % (1, 5))
# 省, 市, 区, 县, 旗, 镇, 乡, 街道, 办事处: what comes before the last of them is dropped.
ADMIN = re.compile(r"^.*(?:省|自治区|地区|市|区|县|旗|镇|乡|街道|办事处|社区)")
ADMIN_NEXT = re.compile(r"区|县|市|镇|乡|道|办事处|社区")  # 道: 北湖街 in 北湖街道
NOT_PLACES = ("线路", "管路", "电路", "水路", "道路", "公路", "马路", "铁路", "门路", "出路")
FIELD_SPLIT = re.compile(r"[\s,，、;；/|。.:：()（）\[\]【】]+|和|及|与")
TEXT_SPLIT = re.compile(
    r"[\s,，、;；/|。.:：()（）\[\]【】“”\"'!！?？]+|在|于|到|至|从|往|对|将|把|等|的|和|及|与|"
    r"盗窃|盗取|盗|偷|抢|私接|私拉|破坏|进入|前往|位于|附近|周边|一带|多次|先后|伙同"
)
GENERIC = {
    "油井", "水井", "机井", "工厂", "农村", "乡村", "马路", "公路", "道路", "大街", "街",
    "采油井", "注水井", "抽油井", "油水井", "该村", "本村", "全村", "各村", "邻村", "高速路",
    "水泥路", "柏油路", "油田井", "该厂", "本厂", "各厂", "该井", "此井",
}  # fmt: skip
WELL_NUMBER = re.compile(r"[0-9A-Z]")
CJK = re.compile(r"[\u4e00-\u9fff]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").upper()
    return text.replace("#", "号")


def _chunk_tokens(chunk: str, atom: re.Pattern) -> list[str]:
    tokens: list[str] = []
    chain, end = "", None
    for match in atom.finditer(chunk):
        # 北湖区红旗镇张家村 → 张家村, 长青作业区15号井 → 15号井: the part after the last
        # administrative word; 让胡路 in 让胡路区 names a district, not a road.
        word = ADMIN.sub("", match.group(0))
        if ADMIN_NEXT.match(chunk, match.end()):
            word = ""
        # A named well has a number (4号井, 杏12-3井); 抽取油井 is no place.
        unnumbered_well = word[-1:] == "井" and not WELL_NUMBER.search(word)
        if word in GENERIC or len(word) < 2 or unnumbered_well or word.endswith(NOT_PLACES):
            chain, end = "", None
            continue
        if chain and match.start() == end:
            chain += word  # 采油三厂 + 4号井: the well of that plant
        else:
            chain = word
        end = match.end()
        if len(chain) >= 3:
            tokens.append(chain)
    return tokens


def place_tokens(fields: list[str], texts: list[str], names=()) -> list[str]:
    """Normalised place tokens of an item: from its place fields and (more strictly) from its
    summaries; tokens that contain a person's name are not places."""
    found: list[str] = []
    for value in fields:
        for chunk in FIELD_SPLIT.split(fold(value)):
            found += _chunk_tokens(chunk, ATOM_FIELD)
    for value in texts:
        for chunk in TEXT_SPLIT.split(fold(value)):
            found += _chunk_tokens(chunk, ATOM_TEXT)
    names = [n for n in names if len(n) >= 2]
    out = []
    for token in found:
        if token not in out and not any(n in token for n in names):
            out.append(token[:60])
    return out


def place_kind(token: str) -> str:
    return KINDS[token[-1]]


def method_text(summary: str, remove=()) -> str:
    """The summary as the bigrams of its Chinese characters, names and places taken out."""
    text = fold(summary)
    for word in sorted({w for w in remove if w}, key=len, reverse=True):
        text = text.replace(fold(word), " ")
    seen: dict[str, None] = {}
    for run in CJK.findall(text):
        for i in range(len(run) - 1):
            seen.setdefault(run[i : i + 2], None)
    return " ".join(seen)


def split_names(value: str) -> list[str]:
    return [n for n in re.split(r"[\s,，、;；/]+|等\d*人?", value or "") if len(n) >= 2]


def describe(item) -> dict:
    """The date, jurisdiction, places and method text of a clue or a case."""
    from saohei.entities.models import Mention

    kind = item_kind(item)
    names = set()
    for name, merged, aliases in Mention.objects.filter(
        **{kind: item}, person__isnull=False
    ).values_list("person__name", "person__merged_into__name", "person__nicknames"):
        names.update(n for n in (name, merged) if n)
        names.update(split_names(aliases))
    names.update(
        Mention.objects.filter(**{kind: item}, organization__isnull=False).values_list(
            "organization__name", flat=True
        )
    )
    if kind == "clue":
        names.update(split_names(item.subjects))
        fields, texts, on = [item.place], [item.summary], item.received_on
    else:
        names.update(item.suspects.values_list("name", flat=True))
        fields, texts, on = [item.oil_sites], [item.summary], item.opened_on
    places = place_tokens(fields, texts, names)
    return {
        "on": on,
        "jurisdiction_id": item.jurisdiction_id,
        "places": places,
        "method": method_text(" ".join(texts), [*names, *places]),
    }


def index(item) -> dict:
    """Write the item's trace (date, places, method) and return what was written."""
    kind = item_kind(item)
    info = describe(item)
    trace, _ = Trace.objects.update_or_create(
        **{kind: item},
        defaults={
            "jurisdiction_id": info["jurisdiction_id"],
            "on": info["on"],
            "method": info["method"],
        },
    )
    held = set(trace.places.values_list("token", "on"))
    wanted = {(token, info["on"]) for token in info["places"]}
    if held != wanted:
        trace.places.all().delete()
        TracePlace.objects.bulk_create(
            TracePlace(trace=trace, token=t, on=info["on"]) for t in info["places"]
        )
    info["trace"] = trace
    return info
