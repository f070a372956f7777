"""Wording check (用语规范检查) of publicity texts and reports: docs/wording-check.md.

Two kinds of problems are found:

1. Wrong or garbled forms of the campaign's fixed terms, in simplified or traditional script: the
   forms listed in ``data/fixed_terms.toml`` (打黑除恶 for 扫黑除恶, 村两委 for 村“两委” …) and,
   computed for every term of 4 or more characters, a window of the text that differs from the
   term in one character that is a homophone, a listed near form or a garbled character
   (扫黑除饿, 扫嘿除恶, 扫黑除□), or, for 4-character terms, that holds the term's characters in
   another order (除恶扫黑).
2. Publicity texts (宣传材料, 通告, 倡议书 …) that give no reporting phone number or channel.

Texts are compared in simplified script (OpenCC ``t2s``), with white space left out; findings
quote the text as it stands in the file, with the line numbers of the original, and suggest the
correct form in the script of the text.

``check_text(text)`` is what the briefing generator calls before a download;
``check_docx(path_or_file)`` and ``check_file(path)`` read .docx and .txt files.
"""

from __future__ import annotations

import codecs
import functools
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import IO

from django.utils.translation import gettext as _

DATA_FILE = Path(__file__).resolve().parent / "data" / "fixed_terms.toml"

# Finding kinds (stable codes, in the JSON output).
WRONG_VERB = "wrong_verb"
WRONG_FORM = "wrong_form"
WRONG_PUNCTUATION = "wrong_punctuation"
WRONG_CHARACTER = "wrong_character"
GARBLED_CHARACTER = "garbled_character"
SCRAMBLED_ORDER = "scrambled_order"
MISSING_CONTACT = "missing_contact"

KINDS = (
    WRONG_VERB,
    WRONG_FORM,
    WRONG_PUNCTUATION,
    WRONG_CHARACTER,
    GARBLED_CHARACTER,
    SCRAMBLED_ORDER,
    MISSING_CONTACT,
)

# When findings overlap, the one found by the surer rule is kept (and among equals the shorter
# one): listed wrong forms first, then one wrong character, then a wrong order.
_LISTED, _ONE_CHARACTER, _ORDER = 0, 1, 2

_ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class WordingInputError(ValueError):
    """A file the wording check cannot read (type not supported, not decodable)."""


@dataclass(frozen=True)
class Finding:
    """One problem: ``line`` (1-based, of the original text; for a missing reporting channel the
    last non-empty line), ``column`` (1-based; 0 for the whole text), ``wrong`` (the text as it
    stands, empty for a missing channel), ``suggestion``, ``kind`` (one of ``KINDS``),
    ``reason`` (in the active language) and ``term`` (the fixed term concerned, if any)."""

    line: int
    column: int
    wrong: str
    suggestion: str
    kind: str
    reason: str
    term: str = ""

    def as_line(self) -> str:
        """The documented one-line form: ``第3行：“打黑除恶” → “扫黑除恶”``."""
        if self.wrong:
            return f"第{self.line}行：“{self.wrong}” → “{self.suggestion}”"
        return f"第{self.line}行：{self.reason} → {self.suggestion}"

    def as_dict(self) -> dict:
        return asdict(self)


# --- the data file ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str  # the correct form (simplified, normalised)
    forms: dict[str, str]  # listed wrong form -> kind
    scramble: bool
    confusable: bool
    readings: tuple[str, ...]  # toneless pinyin of each character, as read in the term
    chars: frozenset[str]
    sorted_chars: tuple[str, ...]


@dataclass(frozen=True)
class Publicity:
    markers: tuple[str, ...]
    report_titles: tuple[str, ...]
    hotlines: tuple[str, ...]
    number_cues: tuple[str, ...]
    channels: tuple[str, ...]
    hint: str


@dataclass(frozen=True)
class Vocabulary:
    terms: tuple[Term, ...]
    confusables: dict[str, frozenset[str]]
    garbled: frozenset[str]
    garbled_inner: frozenset[str]
    normalise: dict[str, str]
    protected: tuple[str, ...]  # correct terms and allowed phrases
    publicity: Publicity


def _listed_kind(form: str, term: str, kind: str) -> str:
    """A listed wrong form that differs from the term in one character, or only in order, is
    reported as such."""
    if kind != WRONG_FORM or len(form) != len(term):
        return kind
    if sum(a != b for a, b in zip(form, term, strict=True)) == 1:
        return WRONG_CHARACTER
    if sorted(form) == sorted(term):
        return SCRAMBLED_ORDER
    return kind


@functools.cache
def load_vocabulary(path: Path | str = DATA_FILE) -> Vocabulary:
    """Read and check the data file of fixed terms (format: the comments in the file)."""
    with open(path, "rb") as fh:
        data = tomllib.load(fh)
    mapping = {str(k): str(v) for k, v in data.get("normalise", {}).items()}

    def norm(value: str) -> str:
        return _normalise(value, mapping)[0]

    protected = [norm(p) for p in data.get("phrases", {}).get("allowed", [])]
    terms = []
    for entry in data.get("term", []):
        text = norm(entry["term"])
        if text != entry["term"]:
            raise ValueError(f"{path}: write the term {entry['term']!r} in simplified script")
        forms: dict[str, str] = {}
        for key, kind in (
            ("wrong_verbs", WRONG_VERB),
            ("wrong_forms", WRONG_FORM),
            ("wrong_punctuation", WRONG_PUNCTUATION),
        ):
            for form in entry.get(key, []):
                normalised = norm(form)
                if normalised == text:
                    raise ValueError(f"{path}: the wrong form {form!r} is the term itself")
                forms[normalised] = _listed_kind(normalised, text, kind)
        for phrase in entry.get("allowed", []):
            normalised = norm(phrase)
            if normalised in forms:
                raise ValueError(f"{path}: {phrase!r} is both allowed and wrong")
            protected.append(normalised)
        length = len(text)
        terms.append(
            Term(
                text=text,
                forms=forms,
                scramble=bool(entry.get("scramble", length == 4)),
                confusable=bool(entry.get("confusable", length >= 4)),
                readings=_term_readings(text),
                chars=frozenset(text),
                sorted_chars=tuple(sorted(text)),
            )
        )
    protected.extend(term.text for term in terms)
    pub = data.get("publicity", {})
    return Vocabulary(
        terms=tuple(terms),
        confusables={norm(k): frozenset(norm(v)) for k, v in data.get("confusables", {}).items()},
        garbled=frozenset(data.get("garbled", {}).get("chars", "")),
        garbled_inner=frozenset(data.get("garbled", {}).get("inner", "")),
        normalise=mapping,
        protected=tuple(dict.fromkeys(protected)),
        publicity=Publicity(
            markers=tuple(pub.get("markers", ())),
            report_titles=tuple(pub.get("report_titles", ())),
            hotlines=tuple(pub.get("hotlines", ())),
            number_cues=tuple(pub.get("number_cues", ())),
            channels=tuple(pub.get("channels", ())),
            hint=pub.get("hint", "12337"),
        ),
    )


# --- script conversion and pinyin ------------------------------------------------------------


@functools.cache
def _converter(config: str):
    from opencc import OpenCC

    return OpenCC(config)


def to_simplified(text: str) -> str:
    return _converter("t2s").convert(text)


def to_traditional(text: str) -> str:
    return _converter("s2t").convert(text)


@functools.lru_cache(maxsize=4096)
def _char_to_simplified(char: str) -> str:
    converted = to_simplified(char)
    return converted if len(converted) == 1 else char


def _normalise(line: str, mapping: dict[str, str]) -> tuple[str, list[int]]:
    """The line in simplified script without white space, and for each of its characters the
    index of the character of ``line`` it comes from."""
    simplified = to_simplified(line)
    if len(simplified) != len(line):  # keep positions: convert character by character
        simplified = "".join(_char_to_simplified(c) for c in line)
    chars: list[str] = []
    index: list[int] = []
    for i, char in enumerate(simplified):
        if char.isspace() or char in _ZERO_WIDTH:
            continue
        chars.append(mapping.get(char, char))
        index.append(i)
    return "".join(chars), index


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\U00020000" <= char <= "\U0003134f"


def _term_readings(text: str) -> tuple[str, ...]:
    """Toneless pinyin of each character of a term, read in context (行 in 行业乱象 is hang);
    empty for anything but a Chinese character."""
    from pypinyin import Style, lazy_pinyin

    syllables = lazy_pinyin(text, style=Style.NORMAL, errors=lambda s: [""] * len(s))
    if len(syllables) != len(text):
        syllables = [lazy_pinyin(c, style=Style.NORMAL, errors=lambda s: [""])[0] for c in text]
    return tuple(s if _is_cjk(c) else "" for c, s in zip(text, syllables, strict=True))


@functools.lru_cache(maxsize=8192)
def _readings(char: str) -> frozenset[str]:
    """The common toneless pinyin readings of a character: its first two (pypinyin lists the
    usual reading first: 长 zhang, chang; 都 du, dou), not the rare ones (邪 she, 奇 yi) that
    would make ordinary words near misses (涉黑邪恶 for 涉黑涉恶). Empty for anything but a
    Chinese character."""
    if not _is_cjk(char):
        return frozenset()
    from pypinyin import Style, pinyin

    found = pinyin(char, style=Style.NORMAL, heteronym=True, errors="ignore")
    return frozenset(found[0][:2]) if found else frozenset()


# --- the fixed terms -------------------------------------------------------------------------


def _occurrences(text: str, word: str) -> Iterable[int]:
    start = text.find(word)
    while start != -1:
        yield start
        start = text.find(word, start + 1)


def _generic_kind(window: str, term: Term, vocab: Vocabulary) -> str | None:
    """The kind of problem a window of the term's length has, if it is a near miss."""
    text = term.text
    diffs = [j for j in range(len(text)) if window[j] != text[j]]
    if len(diffs) == 1:
        if not term.confusable:
            return None
        j = diffs[0]
        char, right = window[j], text[j]
        if char in vocab.garbled or (char in vocab.garbled_inner and 0 < j < len(text) - 1):
            return GARBLED_CHARACTER
        if not _is_cjk(char):
            return None
        if char in vocab.confusables.get(right, ()):
            return WRONG_CHARACTER
        if term.readings[j] and term.readings[j] in _readings(char):
            return WRONG_CHARACTER
        return None
    if term.scramble and tuple(sorted(window)) == term.sorted_chars:
        return SCRAMBLED_ORDER
    return None


def _reason(kind: str, term: str, wrong: str = "", right: str = "") -> str:
    if kind == WRONG_VERB:
        return _("wrong first verb; the term is “%(term)s”") % {"term": term}
    if kind == WRONG_FORM:
        return _("known wrong form of “%(term)s”") % {"term": term}
    if kind == WRONG_PUNCTUATION:
        return _("“%(term)s” is written with Chinese quotation marks") % {"term": term}
    if kind == WRONG_CHARACTER:
        return _("“%(wrong)s” written for “%(right)s” in “%(term)s”") % {
            "wrong": wrong,
            "right": right,
            "term": term,
        }
    if kind == GARBLED_CHARACTER:
        return _("garbled character in “%(term)s”") % {"term": term}
    if kind == SCRAMBLED_ORDER:
        return _("the characters of “%(term)s” are in the wrong order") % {"term": term}
    raise ValueError(kind)


def _script(text: str) -> bool | None:
    """True when ``text`` is written in traditional script, False when in simplified, None when
    it reads the same in both (一案三查): by which conversion changes more characters."""
    simplified, traditional = to_simplified(text), to_traditional(text)
    changed_by_t2s = sum(a != b for a, b in zip(text, simplified, strict=False))
    changed_by_s2t = sum(a != b for a, b in zip(text, traditional, strict=False))
    if changed_by_t2s == changed_by_s2t:
        return None
    return changed_by_t2s > changed_by_s2t


def _in_script(suggestion: str, *contexts: str | bool | None) -> str:
    """The suggestion in the script of the first context that has one (the wrong text, its
    line, the whole text); simplified by default."""
    for context in contexts:
        traditional = context if not isinstance(context, str) else _script(context)
        if traditional is not None:
            return to_traditional(suggestion) if traditional else suggestion
    return suggestion


def _check_line(
    number: int, line: str, vocab: Vocabulary, traditional: bool | None = None
) -> list[Finding]:
    """The findings of fixed terms in one line; ``traditional``: the script of the whole text."""
    norm, index = _normalise(line, vocab.normalise)
    if not norm:
        return []
    protected = [
        (start, start + len(phrase))
        for phrase in vocab.protected
        for start in _occurrences(norm, phrase)
    ]

    def inside_protected(a: int, b: int) -> bool:
        return any(p <= a and b <= q for p, q in protected)

    def touches_protected(a: int, b: int, strictly_inside_counts: bool) -> bool:
        # Overlaps an allowed phrase or a correct term; one lying strictly inside the window
        # (扫黑除恶 in 扫黑除恶专项斗挣) only counts for a wrong order (恶势力 in 恶势力黑名单).
        return any(
            p < b
            and a < q
            and (strictly_inside_counts or not (a <= p and q <= b and q - p < b - a))
            for p, q in protected
        )

    candidates: list[tuple[int, int, int, str, Term]] = []  # (priority, start, end, kind, term)
    for term in vocab.terms:
        for form, kind in term.forms.items():
            for a in _occurrences(norm, form):
                b = a + len(form)
                if not inside_protected(a, b):
                    candidates.append((_LISTED, a, b, kind, term))
        if not (term.scramble or term.confusable):
            continue
        n = len(term.text)
        if n < 2:
            continue
        for a in range(len(norm) - n + 1):
            # A near miss has a term character in one of its first two places.
            if norm[a] not in term.chars and norm[a + 1] not in term.chars:
                continue
            window = norm[a : a + n]
            if window == term.text or window in term.forms:
                continue
            kind = _generic_kind(window, term, vocab)
            if kind is None or touches_protected(a, a + n, kind == SCRAMBLED_ORDER):
                continue
            priority = _ORDER if kind == SCRAMBLED_ORDER else _ONE_CHARACTER
            candidates.append((priority, a, a + n, kind, term))

    candidates.sort(key=lambda c: (c[0], c[2] - c[1], c[1]))
    taken: list[tuple[int, int]] = []
    findings = []
    for _priority, a, b, kind, term in candidates:
        if any(p < b and a < q for p, q in taken):
            continue
        taken.append((a, b))
        start, end = index[a], index[b - 1] + 1
        wrong = line[start:end]
        window = norm[a:b]
        right = wrong_char = ""
        if kind in (WRONG_CHARACTER, GARBLED_CHARACTER) and len(window) == len(term.text):
            j = next(j for j in range(len(window)) if window[j] != term.text[j])
            wrong_char, right = line[index[a + j]], term.text[j]
        contexts = (wrong, line, traditional)
        suggestion = _in_script(term.text, *contexts)
        findings.append(
            Finding(
                line=number,
                column=start + 1,
                wrong=wrong,
                suggestion=suggestion,
                kind=kind,
                reason=_reason(kind, suggestion, wrong_char, _in_script(right, *contexts)),
                term=term.text,
            )
        )
    return findings


# --- publicity texts -------------------------------------------------------------------------

_LANDLINE = re.compile(r"(?<!\d)(?:\(0\d{2,3}\)|0\d{2,3}\s*[-‐–—]?\s*)[2-9]\d{6,7}(?!\d)")
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d(?:[-\s]?\d{4}){2}(?!\d)")
_LOCAL = re.compile(r"(?<!\d)[2-9]\d{6,7}(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_URL = re.compile(
    r"(?:https?://|www\.)\S+|(?<![@\w.-])[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*"
    r"\.(?:cn|com|net|org|gov)(?![A-Za-z0-9-])",
    re.IGNORECASE,
)
_SENTENCE_END = tuple("。；;，,！!？?：:")


def reads_as_publicity(text: str, vocab: Vocabulary | None = None) -> bool:
    """Whether the text reads as publicity: it contains a publicity marker (举报, 宣传, 通告 …)
    and its title (the first short lines) does not name it a report (汇报, 通报, 总结 …)."""
    vocab = vocab or load_vocabulary()
    config = vocab.publicity
    titles = []
    for line in _LINE_BREAK.split(text):
        norm = _normalise(line, vocab.normalise)[0]
        if not norm:
            continue
        if len(norm) > 40 or norm.endswith(_SENTENCE_END) or len(titles) == 3:
            break
        titles.append(norm.replace("举报", ""))
    if any(word in title for title in titles for word in config.report_titles):
        return False
    whole = _normalise(text, vocab.normalise)[0]
    return any(marker in whole for marker in config.markers)


def has_reporting_contact(text: str, vocab: Vocabulary | None = None) -> bool:
    """Whether the text gives a reporting phone number (landline, mobile, hotline) or another
    channel (e-mail or web address, 举报平台, 信箱, 来信地址 …)."""
    vocab = vocab or load_vocabulary()
    config = vocab.publicity
    plain = unicodedata.normalize("NFKC", to_simplified(text))
    if any(p.search(plain) for p in (_LANDLINE, _MOBILE, _EMAIL, _URL)):
        return True

    def cued(match: re.Match) -> bool:
        before = plain[max(0, match.start() - 12) : match.start()]
        return any(cue in before for cue in config.number_cues)

    for hotline in config.hotlines:
        for match in re.finditer(rf"(?<!\d){re.escape(hotline)}(?!\d)", plain):
            if len(hotline) >= 5 or cued(match):
                return True
    if any(cued(match) for match in _LOCAL.finditer(plain)):
        return True
    whole = _normalise(text, vocab.normalise)[0]
    return any(channel in whole for channel in config.channels)


# --- entry points ----------------------------------------------------------------------------


def split_lines(text: str) -> list[str]:
    """Lines as an editor numbers them (\\r\\n, \\r or \\n end a line)."""
    return _LINE_BREAK.split(text)


def check_text(
    text: str, *, publicity: bool | None = None, vocabulary: Vocabulary | None = None
) -> list[Finding]:
    """Every wording problem of ``text``, in order of line and column.

    ``publicity``: ``None`` decides from the text (``reads_as_publicity``); ``True`` requires a
    reporting phone number or channel; ``False`` (a report, a briefing) does not.
    """
    vocab = vocabulary or load_vocabulary()
    lines = split_lines(text)
    findings: list[Finding] = []
    traditional = _script(text)
    for number, line in enumerate(lines, start=1):
        findings.extend(_check_line(number, line, vocab, traditional))
    if publicity is None:
        publicity = reads_as_publicity(text, vocab)
    if publicity and not has_reporting_contact(text, vocab):
        last = max((i for i, line in enumerate(lines, 1) if line.strip()), default=0)
        findings.append(
            Finding(
                line=last,
                column=0,
                wrong="",
                suggestion=_("state the reporting phone number or channel (e.g. %(hotline)s)")
                % {"hotline": vocab.publicity.hint},
                kind=MISSING_CONTACT,
                reason=_("the publicity text gives no reporting phone number or channel"),
            )
        )
    findings.sort(key=lambda f: (f.line, f.kind == MISSING_CONTACT, f.column))
    return findings


def decode_text(data: bytes, name: str = "") -> str:
    """Text of a .txt file in UTF-8 (with or without BOM), UTF-16 with BOM, or GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise WordingInputError(
        _("%(file)s is not text in UTF-8 or GB18030; save it in one of these encodings.")
        % {"file": name}
    )


def docx_text(path_or_file: str | Path | IO[bytes]) -> str:
    """The text of a .docx document: its paragraphs and table cells in reading order, one
    paragraph a line (a line break inside a paragraph starts a new line)."""
    from docx import Document
    from docx.table import Table

    name = str(getattr(path_or_file, "name", path_or_file))
    try:
        document = Document(path_or_file)
    except Exception as exc:  # python-docx raises several kinds for a file that is not .docx
        raise WordingInputError(
            _("%(file)s cannot be read as a .docx document.") % {"file": name}
        ) from exc
    lines: list[str] = []

    def walk(container) -> None:
        for block in container.iter_inner_content():
            if isinstance(block, Table):
                walk_table(block)
            else:
                lines.append(block.text)

    def walk_table(table: Table) -> None:
        seen: list = []
        for row in table.rows:
            for cell in row.cells:
                if any(cell._tc is tc for tc in seen):  # a merged cell is listed once per column
                    continue
                seen.append(cell._tc)
                walk(cell)

    walk(document)
    return "\n".join(lines)


def check_docx(
    path_or_file: str | Path | IO[bytes], *, publicity: bool | None = None
) -> list[Finding]:
    """``check_text`` of a .docx document (path or binary file object); line numbers count its
    paragraphs, table-cell paragraphs included, in reading order."""
    return check_text(docx_text(path_or_file), publicity=publicity)


SUPPORTED_SUFFIXES: Sequence[str] = (".txt", ".docx")


def read_file(path: str | Path) -> str:
    """The text of a .txt or .docx file; ``FileNotFoundError`` or ``WordingInputError``."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(str(path))
    suffix = path.suffix.lower()
    if suffix == ".txt":
        return decode_text(path.read_bytes(), str(path))
    if suffix == ".docx":
        return docx_text(path)
    raise WordingInputError(
        _("%(file)s: files of type “%(suffix)s” cannot be checked; supported: %(supported)s.")
        % {"file": path, "suffix": suffix or path.name, "supported": "、".join(SUPPORTED_SUFFIXES)}
    )


def check_file(path: str | Path, *, publicity: bool | None = None) -> list[Finding]:
    return check_text(read_file(path), publicity=publicity)
