"""Substring search over clues, whichever script or width the user types.

Clue.search_text holds subjects, summary, full text and place folded at save time
(saohei.core.normalize.fold_text: NFKC, traditional → simplified, lower case, spaces
collapsed). A query is folded the same way, so 張偉 finds 张伟, ＫＴＶ finds ktv, and the other
way round.

Contract of `search(clues, text)`:

- empty or blank `text` (or None): `clues` unchanged, no filter;
- otherwise the folded text is split on white space into terms, and a clue matches when its
  search_text contains every term (AND), anywhere, inside words too (substring, not word,
  match: 湖街 finds 北湖街道);
- a term shorter than MIN_TERM (2) characters after folding is too unselective to look for:
  if any term is that short the result is `clues.none()`. The caller tells the user why
  when `too_short(text)` is true ("type at least two characters per term");
- % and _ are ordinary characters.

The result is `clues` filtered, so the caller keeps scoping, ordering and paging. (Asking
whether the trigram index below is there costs one small query when `search` is called.)

How it is matched. Always with search_text LIKE '%term%' for every term, which is exact.
On SQLite, when the trigram index of FTS_SQL is in the database, the rows are first narrowed
to the candidates the index gives (a term of 3 or more characters: all its trigrams; a term of
2 characters: any indexed trigram starting with it, looked up in the vocabulary table; the
text is indexed with a trailing space so that a 2-character term at its end starts a trigram
too), and LIKE checks only those. Without the index, LIKE scans every visible clue, which is
fine for tens of thousands of clues and slow for a million (bench/bench_clues.py).
"""

from __future__ import annotations

from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from saohei.core.normalize import fold_text

MIN_TERM = 2

FTS_TABLE = "clues_clue_fts"
FTS_VOCAB = "clues_clue_fts_vocab"
FTS_TRIGGERS = ("clues_clue_fts_insert", "clues_clue_fts_delete", "clues_clue_fts_update")

# The trigram index (SQLite ≥ 3.34 with FTS5), for a migration to run as
# RunSQL(FTS_SQL, FTS_DROP_SQL) on SQLite only. Contentless (content=''): it keeps no copy of
# the text and holds trigrams without positions (detail='none'), about 65 MB per million
# clues; LIKE re-checks every candidate, so the index only has to find a superset. Case
# sensitive: the text is folded already, and the vocabulary must hold it exactly as folded. A
# contentless table forgets a row through the 'delete' command given the indexed value, which
# the triggers have.
FTS_SQL = [
    """CREATE VIRTUAL TABLE clues_clue_fts USING fts5(
        search_text, content='', tokenize='trigram case_sensitive 1', detail='none')""",
    "CREATE VIRTUAL TABLE clues_clue_fts_vocab USING fts5vocab(clues_clue_fts, 'row')",
    "INSERT INTO clues_clue_fts(rowid, search_text) SELECT id, search_text || ' ' FROM clues_clue",
    """CREATE TRIGGER clues_clue_fts_insert AFTER INSERT ON clues_clue BEGIN
        INSERT INTO clues_clue_fts(rowid, search_text) VALUES (new.id, new.search_text || ' ');
    END""",
    """CREATE TRIGGER clues_clue_fts_delete AFTER DELETE ON clues_clue BEGIN
        INSERT INTO clues_clue_fts(clues_clue_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text || ' ');
    END""",
    """CREATE TRIGGER clues_clue_fts_update AFTER UPDATE OF id, search_text ON clues_clue
    WHEN old.id IS NOT new.id OR old.search_text IS NOT new.search_text BEGIN
        INSERT INTO clues_clue_fts(clues_clue_fts, rowid, search_text)
        VALUES ('delete', old.id, old.search_text || ' ');
        INSERT INTO clues_clue_fts(rowid, search_text) VALUES (new.id, new.search_text || ' ');
    END""",
]
FTS_DROP_SQL = [
    "DROP TRIGGER IF EXISTS clues_clue_fts_update",
    "DROP TRIGGER IF EXISTS clues_clue_fts_delete",
    "DROP TRIGGER IF EXISTS clues_clue_fts_insert",
    "DROP TABLE IF EXISTS clues_clue_fts_vocab",
    "DROP TABLE IF EXISTS clues_clue_fts",
]


def terms(text: str | None) -> list[str]:
    """The folded, de-duplicated search terms of `text`, in the order typed."""
    return list(dict.fromkeys(fold_text(text or "").split()))


def too_short(text: str | None) -> bool:
    """True when `text` has a term too short to search for (the caller shows a message)."""
    return any(len(term) < MIN_TERM for term in terms(text))


def search(clues: QuerySet, text: str | None) -> QuerySet:
    """The clues whose subjects, summary, full text or place contain every term of `text`."""
    found = terms(text)
    if not found:
        return clues
    if any(len(term) < MIN_TERM for term in found):
        return clues.none()
    condition = Q()
    for term in found:
        condition &= Q(search_text__contains=term)
    if has_trigram_index(clues.db):
        condition &= Q(pk__in=_candidates(found))
    return clues.filter(condition)


def has_trigram_index(alias: str = "default") -> bool:
    """Whether the database holds the trigram index with the triggers that keep it current.
    (On SQLite, a migration that rebuilds clues_clue drops its triggers with the old table:
    the index is then ignored, and must be made again.)"""
    connection = connections[alias]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM sqlite_master WHERE name IN (%s, %s, %s, %s, %s)",
            [FTS_TABLE, FTS_VOCAB, *FTS_TRIGGERS],
        )
        return cursor.fetchone()[0] == 2 + len(FTS_TRIGGERS)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _next_prefix(term: str) -> str:
    """The least string above every string that starts with `term` (UTF-8 and code point
    order agree)."""
    code = ord(term[-1]) + 1
    if 0xD800 <= code < 0xE000:
        code = 0xE000
    if code > 0x10FFFF:  # no character follows: above everything up to trigrams
        return _next_prefix(term[:-1]) if len(term) > 1 else "\U0010ffff" * 4
    return term[:-1] + chr(code)


def _candidates(found: list[str]) -> RawSQL:
    """Ids of the clues the trigram index says may contain every term: one MATCH whose
    expression is built in SQL, so the vocabulary is read in the same query."""
    parts, params = [], []
    for term in found:
        if len(term) >= 3:
            trigrams = dict.fromkeys(term[i : i + 3] for i in range(len(term) - 2))
            parts.append("%s")
            params.append("(" + " AND ".join(_quoted(t) for t in trigrams) + ")")
        else:
            # Every trigram that starts with the two characters, OR-ed; none: a phrase of
            # two characters, which the trigram tokenizer matches with nothing.
            parts.append(
                "(SELECT '(' || COALESCE(group_concat("
                "'\"' || replace(term, '\"', '\"\"') || '\"', ' OR '), %s) || ')'"
                " FROM clues_clue_fts_vocab WHERE term >= %s AND term < %s)"
            )
            params += [_quoted(term), term, _next_prefix(term)]
    # Only the fixed parts above are joined into the SQL; the terms are parameters.
    expression = " || ' AND ' || ".join(parts)
    sql = "SELECT rowid FROM clues_clue_fts WHERE clues_clue_fts MATCH " + expression  # noqa: S608
    return RawSQL(sql, params)  # noqa: S611


def ensure_trigram_index(sender=None, using: str = "default", **kwargs) -> None:
    """Create the trigram index when the database can hold it and it is missing or partial
    (run after every migrate; idempotent)."""
    connection = connections[using]
    if connection.vendor != "sqlite" or has_trigram_index(using):
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA compile_options")
        if "ENABLE_FTS5" not in {row[0] for row in cursor.fetchall()}:
            return
        import sqlite3

        if sqlite3.sqlite_version_info < (3, 34):  # the trigram tokenizer came in 3.34
            return
        for sql in (*FTS_DROP_SQL, *FTS_SQL):
            cursor.execute(sql)
