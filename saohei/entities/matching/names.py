"""Chinese personal names in the one form they are compared in, and their readings.

Folding (fold_name): full-width letters and digits made half-width, traditional characters
made simplified (陳 -> 陈), common variant characters made standard (峯 -> 峰), spaces and the
middle dots of minority and foreign names (·, •, ・ …) dropped, Latin letters lower-cased.

Readings (readings_of): every way the folded name can be read in pinyin without tones, so
that a name typed with a homophone (章伟 for 张伟) or read with another reading of a
polyphonic character meets the original. A character with several readings contributes all
of them, except a surname with a reading of its own as a surname (曾 zeng, 单 shan, 解 xie …),
which contributes that one; the combinations are capped so that a name of many polyphonic
characters cannot blow up.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from functools import lru_cache

# Variant characters (异体字) that traditional-to-simplified conversion leaves as they are but
# that registers and typists use for the standard character.
VARIANTS = str.maketrans(
    {
        "峯": "峰",
        "羣": "群",
        "冨": "富",
        "髙": "高",
        "𠮷": "吉",
        "喆": "哲",
        "堃": "坤",
        "甯": "宁",
        "昇": "升",
        "囯": "国",
        "浄": "净",
        "淸": "清",
        "彥": "彦",
        "眞": "真",
        "緖": "绪",
        "兪": "俞",
        "敎": "教",
        "衞": "卫",
        "裏": "里",
        "啓": "启",
        "棊": "棋",
        "煕": "熙",
        "珎": "珍",
        "姉": "姊",
    }
)
DOTS_AND_SPACES = re.compile(r"[\s·•‧・･∙⋅.．。\u00b7\u2027\u30fb\u2022\-_]+")

COMPOUND_SURNAMES = frozenset(
    {
        "欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "令狐",
        "长孙", "宇文", "司徒", "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "万俟",
        "闻人", "澹台", "公冶", "宗政", "濮阳", "太史", "申屠", "呼延", "钟离",
    }
)  # fmt: skip
# Surnames read otherwise than their common reading.
SURNAME_READINGS = {
    "单": "shan",
    "曾": "zeng",
    "解": "xie",
    "仇": "qiu",
    "区": "ou",
    "查": "zha",
    "朴": "piao",
    "盖": "ge",
    "乐": "yue",
    "任": "ren",
    "华": "hua",
    "翟": "zhai",
    "缪": "miao",
    "种": "chong",
    "员": "yun",
    "覃": "qin",
    "召": "shao",
    "秘": "bi",
    "尉": "yu",
    "长": "zhang",
    "万": "wan",
    "沈": "shen",
    "重": "chong",
    "都": "du",
    "句": "gou",
    "宁": "ning",
    "折": "she",
    "那": "na",
    "繁": "po",
    "隗": "wei",
    "燕": "yan",
    "纪": "ji",
    "过": "guo",
    "柏": "bai",
    "薄": "bo",
    "臧": "zang",
    "莘": "shen",
    "邪": "ye",
    "强": "qiang",
    "车": "che",
}
MAX_READINGS = 32

_T2S = None


def _t2s(text: str) -> str:
    global _T2S
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    return _T2S.convert(text)


@lru_cache(maxsize=200_000)
def fold_name(name: str) -> str:
    """The form names are compared in: 陳 小·明 -> 陈小明, ＷＡＮＧ -> wang."""
    text = unicodedata.normalize("NFKC", name or "")
    text = DOTS_AND_SPACES.sub("", text)
    # Character by character: names are not phrases, and phrase conversion could change a
    # character by its neighbour's meaning.
    text = "".join(_t2s(c) if ord(c) > 0x2E80 else c for c in text)
    # Normalised again: taking out dots and spaces can bring accents together out of order,
    # and the folded form of a folded name must be itself.
    return unicodedata.normalize("NFKC", text.translate(VARIANTS).lower())


def split_name(folded: str) -> tuple[str, str]:
    """(surname, given name) of a folded Han name: 欧阳娜娜 -> (欧阳, 娜娜)."""
    if len(folded) > 2 and folded[:2] in COMPOUND_SURNAMES:
        return folded[:2], folded[2:]
    return folded[:1], folded[1:]


@lru_cache(maxsize=20_000)
def char_readings(char: str) -> tuple[str, ...]:
    """All toneless readings of one character (ü written v), or the character itself when it
    is not a Han character."""
    if not ("\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0002ffff"):
        return (char,)
    from pypinyin import Style, pinyin

    readings = pinyin(char, style=Style.NORMAL, heteronym=True, v_to_u=False)[0]
    seen: list[str] = []
    for reading in readings:
        reading = reading.replace("ü", "v")
        if reading not in seen:
            seen.append(reading)
    return tuple(seen) or (char,)


@lru_cache(maxsize=200_000)
def readings_of(folded: str) -> frozenset[str]:
    """Every reading of a folded name as one string of toneless syllables: 曾强 -> {zengqiang,
    zengjiang}."""
    if not folded:
        return frozenset()
    surname, given = split_name(folded)
    per_char: list[tuple[str, ...]] = []
    for i, char in enumerate(surname + given):
        if i == 0 and len(surname) == 1 and char in SURNAME_READINGS:
            per_char.append((SURNAME_READINGS[char],))
        else:
            per_char.append(char_readings(char))
    combos = itertools.islice(itertools.product(*per_char), MAX_READINGS)
    return frozenset("".join(parts) for parts in combos)


def swapped_key(folded: str) -> str:
    """The surname and the given name's characters in sorted order, so 张伟明 and 张明伟 meet;
    empty for a one-character given name, where no swap is possible."""
    surname, given = split_name(folded)
    if len(given) < 2:
        return ""
    return surname + "".join(sorted(given))


def keys_of(name: str) -> tuple[str, str]:
    """(folded name, its readings as one space-separated string): what Person and Record
    store beside the name so a registry can be indexed without recomputing them."""
    folded = fold_name(name)
    return folded, " ".join(sorted(readings_of(folded)))
