"""The matcher's parts, each on its own: ID numbers, name folding, readings, and the verdicts
with their reasons."""

import datetime

import pytest

from saohei.entities.matching import (
    Identity,
    Index,
    compare,
    difference,
    fold_name,
    keys_of,
    neighbours,
    parse_id,
    readings_of,
    split_name,
    swapped_key,
    to18,
)
from saohei.entities.matching.ids import check_character

VALID = "11010519491231002X"  # the standard's own example (GB 11643-1999)


def id18(first17: str) -> str:
    return first17 + check_character(first17)


# ID numbers --------------------------------------------------------------------------------


def test_the_standards_example_is_valid_and_read():
    info = parse_id(VALID)
    assert info.valid and info.check_ok
    assert info.birth_date == datetime.date(1949, 12, 31)
    assert info.gender == "F"  # 17th digit 2: even


@pytest.mark.parametrize(
    "typed",
    [" 110105 19491231 002x ", "１１０１０５１９４９１２３１００２Ｘ", "11010519491231002x"],
)
def test_ids_as_typed_are_folded(typed):
    assert parse_id(typed).id18 == VALID


def test_a_wrong_check_character_is_read_but_not_valid():
    info = parse_id(VALID[:17] + "1")
    assert info is not None and not info.check_ok and not info.valid


def test_an_impossible_birth_date_is_not_valid():
    assert not parse_id(id18("11010519491331002")).valid  # month 13
    assert not parse_id(id18("11010530000101002")).valid  # born in the future


@pytest.mark.parametrize("junk", ["", "12345", "1101051949123100", "11010519491231002Y", "abc"])
def test_what_is_not_an_id_at_all(junk):
    assert parse_id(junk) is None


def test_fifteen_digits_become_eighteen():
    old = "110105491231002"
    assert to18(old) == VALID
    info = parse_id(old)
    assert info.converted and info.id18 == VALID and info.valid


def test_differences_between_numbers():
    assert difference(VALID, VALID).kind == "same"
    one = VALID[:9] + "8" + VALID[10:]
    assert (difference(VALID, one).kind, difference(VALID, one).positions) == ("one_digit", (10,))
    swapped = VALID[:6] + VALID[7] + VALID[6] + VALID[8:]
    assert difference(VALID, swapped).kind == "transposed"
    assert difference(VALID, id18("23060219800101123")).kind == "different"


def test_neighbours_hold_every_single_slip():
    near = set(neighbours(VALID))
    assert VALID[:9] + "8" + VALID[10:] in near
    assert VALID[:17] + "5" in near  # the check character itself mistyped
    assert VALID[:6] + VALID[7] + VALID[6] + VALID[8:] in near
    assert VALID not in near
    recomputed = id18(VALID[:9] + "8" + VALID[10:17])
    assert recomputed in near  # one wrong digit, the check character worked out again
    plain = 17 * 9 + 10 + sum(VALID[i] != VALID[i + 1] for i in range(17))
    assert plain + 17 * 9 - 2 <= len(near) <= plain + 17 * 9


def test_a_slip_with_its_check_character_recomputed_is_still_a_slip():
    other = id18(VALID[:9] + "8" + VALID[10:17])
    assert parse_id(other).valid
    assert difference(VALID, other).kind == "recomputed"
    assert compare(Identity("张伟", VALID), Identity("张伟", other)).tier == "possible"
    assert compare(Identity("李四", VALID), Identity("张伟", other)).tier == "none"
    index = Index([("x", Identity("张伟", other))])
    assert [k for k, _ in index.search(Identity("张伟", VALID))] == ["x"]


# Names -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, folded",
    [
        ("陳小明", "陈小明"),  # traditional
        ("陈 小 明", "陈小明"),  # spaces
        ("陈\u3000小明", "陈小明"),  # full-width space
        ("买买提·艾力", "买买提艾力"),  # middle dot
        ("买买提•艾力", "买买提艾力"),
        ("买买提・艾力", "买买提艾力"),
        ("李峯", "李峰"),  # variant character
        ("王喆", "王哲"),
        ("ＷＡＮＧ　Ｌｉ", "wangli"),  # full-width Latin
    ],
)
def test_folding(written, folded):
    assert fold_name(written) == folded


def test_compound_surnames_split_whole():
    assert split_name("欧阳娜娜") == ("欧阳", "娜娜")
    assert split_name("司马光") == ("司马", "光")
    assert split_name("王五") == ("王", "五")


def test_polyphonic_characters_give_every_reading():
    assert {"zhangqiang", "zhangjiang"} <= readings_of("张强")
    assert "chongqing" in readings_of("重庆") or "zhongqing" in readings_of("重庆")


@pytest.mark.parametrize(
    "surname, reading",
    [("单", "shan"), ("曾", "zeng"), ("解", "xie"), ("仇", "qiu"), ("朴", "piao"), ("查", "zha")],
)
def test_surnames_are_read_as_surnames(surname, reading):
    readings = readings_of(surname + "伟")
    assert readings == {reading + "wei"}


def test_homophones_share_a_reading():
    assert readings_of(fold_name("张伟")) & readings_of(fold_name("章玮"))
    assert readings_of(fold_name("曾国强")) & readings_of(fold_name("增国墙"))
    assert not readings_of(fold_name("张伟")) & readings_of(fold_name("王伟"))


def test_swapped_given_names_meet():
    assert swapped_key("张伟明") == swapped_key("张明伟")
    assert swapped_key("张伟") == ""  # one character: nothing to swap


def test_keys_are_what_persons_store():
    folded, readings = keys_of("曾強")
    assert folded == "曾强"
    assert readings.split() == sorted(readings_of("曾强"))


# Verdicts ----------------------------------------------------------------------------------

A = id18("23060219800101123")


def slip(number, position, digit="7"):
    return number[:position] + digit + number[position + 1 :]


@pytest.mark.parametrize(
    "a, b, tier, words",
    [
        (Identity("张伟", A), Identity("张伟", A), "confirmed", "Same name"),
        (Identity("張偉", A), Identity("张伟", A), "confirmed", "traditional"),
        (Identity("章玮", A), Identity("张伟", A), "confirmed", "read alike"),
        (
            Identity("王老三", A),
            Identity("王建军", A, aliases=("王老三",)),
            "confirmed",
            "nickname",
        ),
        (Identity("张伟明", A), Identity("张明伟", A), "confirmed", "swapped"),
        (Identity("张伟", slip(A, 12)), Identity("张伟", A), "possible", "character 13"),
        (Identity("张伟", A[:6] + A[8:17]), Identity("张伟", A), "confirmed", "15-digit"),
        (Identity("李四", A), Identity("张伟", A), "possible", "do not agree"),
        (Identity("张伟", id18("23060219900505123")), Identity("张伟", A), "none", "different"),
        (Identity("张伟"), Identity("张伟", A), "possible", "No ID number"),
        (Identity("章玮"), Identity("张伟", A), "none", "read alike"),
        (
            Identity("章玮", birth_date=datetime.date(1980, 1, 1), gender="M"),
            Identity("张伟", A),
            "possible",
            "birth date",
        ),
        (
            Identity("张伟", birth_date=datetime.date(1981, 1, 1)),
            Identity("张伟", A),
            "none",
            "Different birth dates",
        ),
    ],
)
def test_verdicts_and_their_reasons(a, b, tier, words, settings):
    from django.utils import translation

    with translation.override("en"):
        match = compare(a, b)
        assert match.tier == tier, match
        assert words in " ".join(match.reasons)
    assert compare(b, a).tier == tier  # the verdict does not depend on the order


def test_the_index_finds_slips_homophones_and_nicknames_among_namesakes():
    people = [(i, Identity("张伟", id18(f"230602198{i % 10}0101{i:03d}"[:17]))) for i in range(50)]
    target = Identity("王建军", A, aliases=("王老三",))
    index = Index([*people, ("target", target)])
    for probe in [
        Identity("王建軍", A),
        Identity("汪建君", A),
        Identity("王老三", slip(A, 10)),
        Identity("王建军", A[:6] + A[8:17]),
    ]:
        found = index.search(probe)
        assert found and found[0][0] == "target", probe
    assert index.search(Identity("李清白", id18("23060219900909333"))) == []
