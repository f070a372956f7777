"""Property tests of the matcher's normalisers (issue 10): any Unicode goes in without a crash,
each normaliser is idempotent, traditional script folds to the simplified name, and a valid
ID number with one slip is still found near the true one. Derandomized, bounded examples."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from saohei.core.normalize import fold_text, normalize_id_number, normalize_phone, split_names
from saohei.core.synthetic import id_number
from saohei.entities.matching.ids import difference, neighbours, parse_id
from saohei.entities.matching.matcher import Identity, Tier, compare
from saohei.entities.matching.names import fold_name, keys_of, readings_of

bounded = settings(max_examples=150, deadline=None, derandomize=True, database=None)
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]))
# Simplified name characters whose traditional forms fold back (OpenCC s2t, then t2s).
NAME_CHARS = "张王李赵刘陈杨黄吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦傅方邹熊孟秦白江阎薛尹段雷黎史龙陶贺顾毛郝龚邵万钱严覃武戴莫孔汤伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华国红建文玉兰凤云飞"  # noqa: E501
NAMES = st.text(alphabet=NAME_CHARS, min_size=2, max_size=4)
IDS = st.integers(0, 2**32).map(lambda seed: id_number(random.Random(seed)))


@bounded
@given(ANY_TEXT)
def test_normalisers_take_any_text_and_are_idempotent(text):
    for normalise in (normalize_phone, normalize_id_number, fold_text, fold_name):
        once = normalise(text)
        assert normalise(once) == once, normalise.__name__
    assert all(split_names(text))
    keys_of(text)
    parse_id(text)


@bounded
@given(ANY_TEXT)
def test_a_phone_number_is_ascii_digits(text):
    """The blind index of a phone compares digits: one form for every way of writing them."""
    assert normalize_phone(text).isascii()
    assert normalize_phone(text).isdigit() or normalize_phone(text) == ""


@bounded
@given(st.text(alphabet="0123456789", min_size=11, max_size=11))
def test_a_phone_number_written_any_way_folds_to_the_same_digits(digits):
    wide = "".join(chr(ord(d) + 0xFEE0) for d in digits)
    arabic_indic = "".join(chr(ord(d) - ord("0") + 0x0660) for d in digits)
    for written in (f"+86 {digits}", f"0086-{digits}", f"{digits[:3]}-{digits[3:]}", wide):
        assert normalize_phone(written) == digits
    assert normalize_phone(arabic_indic) == digits


@bounded
@given(NAMES)
def test_a_name_in_traditional_script_folds_to_the_simplified_name(name):
    import opencc

    traditional = opencc.OpenCC("s2t").convert(name)
    assert fold_name(traditional) == fold_name(name)
    assert fold_name(" ·".join(name)) == fold_name(name)
    assert readings_of(fold_name(traditional)) == readings_of(fold_name(name))


@bounded
@given(IDS, st.integers(0, 16), st.integers(1, 9))
def test_a_valid_id_with_one_digit_changed_is_still_near(number, position, shift):
    assert ric.is_valid(number)
    digit = (int(number[position]) + shift) % 10
    slipped = f"{number[:position]}{digit}{number[position + 1 :]}"
    assert difference(number, slipped).kind == "one_digit"
    assert slipped in set(neighbours(number))
    info = parse_id(slipped)
    assert info is not None and info.id18 == slipped
    match = compare(Identity("张伟", number), Identity("张伟", slipped))
    assert match.tier != Tier.NONE, match


@bounded
@given(IDS)
def test_an_id_as_typed_is_read_as_the_number(number):
    typed = " ".join(number[i : i + 6] for i in range(0, 18, 6)).lower()
    wide = "".join(chr(ord(c) + 0xFEE0) for c in number)
    for written in (typed, wide):
        assert normalize_id_number(written) == number
        assert parse_id(written).valid


@bounded
@given(ANY_TEXT)
def test_only_ascii_digits_make_an_id(text):
    info = parse_id(text)
    if info is not None:
        assert info.id18.isascii(), info.id18


def test_what_the_properties_found():
    """Arabic-Indic digits were kept in a phone's and an ID's form (two forms of one number);
    accents brought together by taking out a space, or split by upper-casing, left a form
    that folded again into another."""
    assert normalize_phone("١٣٩٠٠٠٠١١١١") == "13900001111"
    assert normalize_id_number("٢٣٠١٠٣١٩٨٠٠١٠١١٢٣x") == "23010319800101123X"
    assert parse_id("٢٣٠١٠٣١٩٨٠٠١٠١١٢٣x").id18 == "23010319800101123X"
    for text in ("a\u0334 \u0339", "\u01f0", "x\u0339 \u0334"):
        for normalise in (normalize_id_number, fold_text, fold_name):
            assert normalise(normalise(text)) == normalise(text)
