"""Resident identity numbers (居民身份证号码, GB 11643-1999): validation, the old 15-digit
form, and how two numbers differ.

An 18-digit number is six digits of region, eight of birth date (YYYYMMDD), three of sequence
(odd for men, even for women) and a check character over the first seventeen (ISO 7064 MOD
11-2: 0-9 or X). A 15-digit number (issued before 1999) has a two-digit year and no check
character; it becomes 18 digits by inserting 19 before the year and adding the check.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from saohei.core.normalize import normalize_id_number

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"
EARLIEST_BIRTH = datetime.date(1900, 1, 1)


def check_character(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def to18(id15: str) -> str:
    first17 = f"{id15[:6]}19{id15[6:]}"
    return first17 + check_character(first17)


@dataclass(frozen=True)
class IdInfo:
    """What an ID number says. `id18` is the 18-digit form (converted from 15 digits when
    `converted`); `valid` when the birth date is a real past date and the check agrees."""

    id18: str
    valid: bool
    birth_date: datetime.date | None
    gender: str  # "M", "F"
    converted: bool = False
    check_ok: bool = True


@lru_cache(maxsize=65536)
def parse_id(value: str | None) -> IdInfo | None:
    """The IdInfo of a number as users type it (spaces, full-width digits, lower-case x
    allowed); None when it is not 15 or 18 characters of the right kind at all."""
    text = normalize_id_number(value or "")
    converted = False
    if re.fullmatch(r"[0-9]{15}", text):
        text, converted = to18(text), True
    elif not re.fullmatch(r"[0-9]{17}[0-9X]", text):
        return None
    try:
        birth = datetime.date(int(text[6:10]), int(text[10:12]), int(text[12:14]))
    except ValueError:
        birth = None
    if birth is not None and not (EARLIEST_BIRTH <= birth <= datetime.date.today()):
        birth = None
    check_ok = check_character(text[:17]) == text[17]
    gender = "M" if int(text[16]) % 2 else "F"
    return IdInfo(text, birth is not None and check_ok, birth, gender, converted, check_ok)


@dataclass(frozen=True)
class IdDifference:
    """How two 18-digit numbers differ: `kind` is "same", "one_digit" (at `positions[0]`),
    "recomputed" (one digit at `positions[0]` and a check character that agrees with it),
    "transposed" (adjacent `positions`) or "different"; positions count from 1 as people
    count them."""

    kind: str
    positions: tuple[int, ...] = ()


def difference(a: str, b: str) -> IdDifference:
    if a == b:
        return IdDifference("same")
    if len(a) != len(b):
        return IdDifference("different")
    apart = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(apart) == 1:
        return IdDifference("one_digit", (apart[0] + 1,))
    if len(apart) == 2 and apart[1] == 17 and check_ok(a) and check_ok(b):
        # One wrong digit in a number whose check character was then worked out again (a
        # system that "corrects" the check, or a card reissued with a registry error): both
        # numbers are valid, but they are one slip apart.
        return IdDifference("recomputed", (apart[0] + 1,))
    if (
        len(apart) == 2
        and apart[1] == apart[0] + 1
        and a[apart[0]] == b[apart[1]]
        and (a[apart[1]] == b[apart[0]])
    ):
        return IdDifference("transposed", (apart[0] + 1, apart[1] + 1))
    return IdDifference("different")


def neighbours(id18: str) -> Iterator[str]:
    """Every number one slip away from `id18`: one character changed (the check character
    included) or two adjacent ones swapped. A typed number with a slip in it has the true
    number among these, so a look-up of them finds it."""
    for i, char in enumerate(id18):
        for other in "0123456789X" if i == 17 else "0123456789":
            if other != char:
                yield f"{id18[:i]}{other}{id18[i + 1 :]}"
    for i in range(17):
        if id18[i] != id18[i + 1]:
            yield f"{id18[:i]}{id18[i + 1]}{id18[i]}{id18[i + 2 :]}"
    # One digit changed and the check character worked out again: the weighted sum moves by
    # the weight times the change, so each variant's check character costs one addition.
    total = sum(int(c) * w for c, w in zip(id18[:17], WEIGHTS, strict=True))
    for i, char in enumerate(id18[:17]):
        digit = int(char)
        for other in range(10):
            if other != digit:
                check = CHECK[(total + WEIGHTS[i] * (other - digit)) % 11]
                if check != id18[17]:  # the same check character is the plain slip above
                    yield f"{id18[:i]}{other}{id18[i + 1 : 17]}{check}"


def check_ok(id18: str) -> bool:
    return len(id18) == 18 and id18[:17].isdigit() and check_character(id18[:17]) == id18[17]
