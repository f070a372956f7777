"""Substring search: either script, either width, inside words, terms ANDed (search.py)."""

import sqlite3

import pytest
from django.db import connection

from saohei.clues import search as search_module
from saohei.clues.models import Clue
from saohei.clues.search import has_trigram_index, search, terms, too_short
from saohei.orgs.choices import Role

from .factories import new_clue

pytestmark = pytest.mark.django_db

TRIGRAM_OK = connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 34)


def drop_trigram_index():
    """Search by LIKE alone (the index is made after every migrate on SQLite; dropping it
    inside the test's transaction is undone at the end of the test)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for statement in search_module.FTS_DROP_SQL:
                cursor.execute(statement)


def add_trigram_index():
    """The index as made after migrate (search.FTS_SQL), rebuilt from the rows now held."""
    drop_trigram_index()
    with connection.cursor() as cursor:
        for statement in search_module.FTS_SQL:
            cursor.execute(statement)


def found(text, clues=None):
    clues = Clue.objects.all() if clues is None else clues
    return set(search(clues, text).values_list("subjects", flat=True))


@pytest.fixture(params=["like", "trigram"] if TRIGRAM_OK else ["like"])
def ledger(request, personas):
    """Four clues; searched by LIKE alone, or through the trigram index built after them."""
    new_clue(personas, subjects="张伟", summary="张伟在北湖街道强迫交易")
    new_clue(personas, subjects="陳國強", summary="陳國強在龍湖街道敲詐勒索個體商戶")
    new_clue(personas, subjects="李娜", summary="李娜在ＫＴＶ寻衅滋事，涉案金额１２万元")
    new_clue(
        personas,
        subjects="鑫源小额贷款公司",
        summary="以“套路贷”手段非法放贷",
        full_text="借款人王芳称被暴力催收，100%属实",
        place="长青镇红旗村",
    )
    if request.param == "trigram":
        add_trigram_index()
    else:
        drop_trigram_index()
    assert has_trigram_index() == (request.param == "trigram")


def test_traditional_query_finds_simplified_text(ledger):
    assert found("張偉") == {"张伟"}
    assert found("強迫交易") == {"张伟"}


def test_simplified_query_finds_traditional_text(ledger):
    assert found("陈国强") == {"陳國強"}
    assert found("敲诈勒索个体") == {"陳國強"}


def test_full_width_and_half_width_fold_together(ledger):
    assert found("ktv") == {"李娜"}  # stored full-width ＫＴＶ
    assert found("ＫＴＶ") == {"李娜"}
    assert found("12万") == {"李娜"}  # stored full-width digits １２
    assert found("ＫＴＶ寻衅") == {"李娜"}


def test_two_characters_inside_a_word(ledger):
    assert found("湖街") == {"张伟", "陳國強"}
    assert found("北湖") == {"张伟"}
    assert found("源小") == {"鑫源小额贷款公司"}


def test_subjects_full_text_and_place_are_searched(ledger):
    assert found("王芳") == {"鑫源小额贷款公司"}  # only in the full text
    assert found("红旗村") == {"鑫源小额贷款公司"}  # only in the place
    assert found("小额贷款") == {"鑫源小额贷款公司"}  # only in the subjects


def test_terms_are_anded(ledger):
    assert found("北湖 强迫") == {"张伟"}
    assert found("湖街 敲诈") == {"陳國強"}
    assert found("北湖 敲诈") == set()
    assert found("  北湖　　交易  ") == {"张伟"}  # full-width space separates terms too


def test_one_character_query_finds_nothing_and_says_so(ledger):
    assert search(Clue.objects.all(), "张").count() == 0
    assert too_short("张")
    assert search(Clue.objects.all(), "北湖 张").count() == 0  # one short term is enough
    assert too_short("北湖 张")
    assert not too_short("北湖")
    assert not too_short("")


def test_empty_query_leaves_the_queryset_as_it_was(ledger):
    assert search(Clue.objects.all(), "").count() == 4
    assert search(Clue.objects.all(), "   ").count() == 4
    assert search(Clue.objects.all(), None).count() == 4


def test_wildcards_are_literal(ledger):
    assert found("0%") == {"鑫源小额贷款公司"}
    assert found("%%") == set()
    assert found("__") == set()


def test_search_keeps_the_callers_scope(ledger, personas, other_personas):
    theirs = Clue.objects.visible_to(other_personas[Role.OFFICE_STAFF])
    assert found("北湖", theirs) == set()
    ours = Clue.objects.visible_to(personas[Role.OFFICE_STAFF])
    assert found("北湖", ours) == {"张伟"}


def test_terms_are_folded_and_deduplicated():
    assert terms("張偉 ＡＢＣ 张伟") == ["张伟", "abc"]
    assert terms("") == []


def test_two_characters_at_the_very_end_of_the_text(ledger):
    assert found("旗村") == {"鑫源小额贷款公司"}  # the place comes last in search_text
    assert found("商户") == {"陳國強"}  # 商戶 ends the summary, there is no place


def test_quotes_and_fts_syntax_are_plain_text(personas, ledger):
    new_clue(personas, subjects="赵六", summary='赵六自称"老大" AND OR NOT 收保护费')
    assert found('"老大"') == {"赵六"}
    assert found('"老') == {"赵六"}
    assert found("and or") == {"赵六"}
    assert found("not") == {"赵六"}
    assert found("*") == set()


def sqlite_only() -> bool:
    """The trigram index is SQLite's; elsewhere search is LIKE alone and no index is made."""
    if not TRIGRAM_OK:
        search_module.ensure_trigram_index(using=connection.alias)
        assert not has_trigram_index()
    return TRIGRAM_OK


def test_the_trigram_index_follows_inserts_edits_and_deletes(personas):
    if not sqlite_only():
        return
    add_trigram_index()
    first = new_clue(personas, subjects="张伟", summary="张伟在北湖街道强迫交易")
    second = new_clue(personas, subjects="李娜", summary="李娜在龙湖街道放高利贷")
    assert found("湖街道") == {"张伟", "李娜"}
    assert found("北湖") == {"张伟"}

    first.search_text = "王芳在南郊区非法采砂"
    first.save()
    assert found("北湖") == set()
    assert found("采砂") == {"张伟"}
    assert found("非法采砂") == {"张伟"}

    Clue.objects.filter(pk=second.pk).update(search_text="李娜在油田街道敲诈勒索")
    assert found("龙湖") == set()
    assert found("油田") == {"李娜"}

    Clue.objects.filter(pk=second.pk).delete()
    assert found("油田") == set()
    assert found("街道") == set()
    with connection.cursor() as cursor:  # the index holds the one clue left
        cursor.execute(
            f"SELECT COUNT(*) FROM {search_module.FTS_TABLE}"
            f" WHERE {search_module.FTS_TABLE} MATCH %s",
            ['"非法采"'],
        )
        assert cursor.fetchone()[0] == 1
        cursor.execute(f"SELECT SUM(doc) FROM {search_module.FTS_VOCAB} WHERE term = '油田街'")
        assert cursor.fetchone()[0] is None


def test_the_trigram_index_agrees_with_like_on_every_substring(personas):
    if not sqlite_only():
        return
    texts = ["张伟在北湖街道强迫交易", "陳國強在龍湖街道敲詐", "ＫＴＶ老板李娜", "湖街"]
    for i, text in enumerate(texts):
        new_clue(personas, subjects=f"对象{i}", summary=text)
    folded = [c.search_text for c in Clue.objects.all()]
    substrings = {t[i : i + n] for t in folded for n in (2, 3, 4) for i in range(len(t) - n + 1)}
    substrings = {s for s in substrings if " " not in s}
    by_like = {
        s: set(search(Clue.objects.all(), s).values_list("pk", flat=True)) for s in substrings
    }
    add_trigram_index()
    for s in substrings:
        assert set(search(Clue.objects.all(), s).values_list("pk", flat=True)) == by_like[s], s


def test_an_index_without_its_triggers_is_not_used(personas):
    if not sqlite_only():
        return
    """A migration that rebuilds clues_clue on SQLite drops the triggers: the index then goes
    stale, and search must not trust it."""
    add_trigram_index()
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER clues_clue_fts_insert")
    new_clue(personas, subjects="张伟", summary="张伟在北湖街道强迫交易")  # not indexed
    assert not has_trigram_index()
    assert found("北湖") == {"张伟"}


def test_migrate_makes_the_index_on_sqlite():
    assert has_trigram_index() == TRIGRAM_OK
