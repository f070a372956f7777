"""Normalisers for exact look-up through blind indexes: one form per kind of value."""

import re
import unicodedata


def nfkc(value: str) -> str:
    return unicodedata.normalize("NFKC", value)


def ascii_digits(value: str) -> str:
    """Every decimal digit as its ASCII digit: full-width １, Arabic-Indic ١ … -> 1."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in value)


def normalize_phone(value: str) -> str:
    """ASCII digits only (full-width and other scripts' digits folded), +86/0086 country code
    dropped: 139-0000-0000 -> 13900000000."""
    digits = re.sub(r"[^0-9]", "", ascii_digits(nfkc(value)))
    for prefix in ("0086", "86"):
        if digits.startswith(prefix) and len(digits) - len(prefix) == 11:
            digits = digits[len(prefix) :]
    return digits


def normalize_id_number(value: str) -> str:
    """Upper-case X, no spaces, full-width and other scripts' digits folded: the form IDs are
    compared in. Normalised again at the end, since upper-casing can leave a letter and its
    accent apart, so that the form of a form is itself."""
    return nfkc(re.sub(r"\s", "", ascii_digits(nfkc(value))).upper())


_T2S = None


def fold_text(value: str) -> str:
    """The one form Chinese text is compared and searched in: full-width folded (NFKC),
    traditional characters made simplified, lower case, runs of spaces collapsed; normalised
    again at the end so that folding a folded text changes nothing."""
    global _T2S
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    value = nfkc(value or "")
    return nfkc(re.sub(r"\s+", " ", _T2S.convert(value)).strip().lower())


def split_names(value: str) -> list[str]:
    """Subject names as users list them: 张三、李四，某某公司; 王五 -> folded names."""
    return [n for n in (fold_text(p) for p in re.split(r"[、,，;；/\s]+", value or "")) if n]
