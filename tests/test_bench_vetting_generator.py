"""The vetting benchmark's data (bench/vetting_data.py): the same seed gives the same data,
and every kind of noise is there and is what it says. Splink is not needed (nor imported):
the benchmark itself runs only under `make bench`."""

import sys
from collections import Counter
from pathlib import Path

import pytest
from pypinyin import Style, lazy_pinyin

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))

import vetting_data  # noqa: E402
from vetting_data import NEGATIVE_KINDS, PAIRS, TRUE_KINDS, check_character, generate  # noqa: E402

from saohei.entities.matching import fold_name, parse_id, to18  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return generate(registry=3000, candidates=600, seed=11)


def valid(id18: str) -> bool:
    return len(id18) == 18 and check_character(id18[:17]) == id18[17]


def test_the_same_seed_gives_the_same_data(data):
    again = generate(registry=3000, candidates=600, seed=11)
    assert again.registry == data.registry
    assert again.candidates == data.candidates
    other = generate(registry=3000, candidates=600, seed=12)
    assert other.registry != data.registry


def test_every_kind_of_noise_and_of_stranger_appears(data):
    kinds = data.kinds()
    assert set(kinds) == set(TRUE_KINDS) | set(NEGATIVE_KINDS)
    assert sum(c.truth is not None for c in data.candidates) == 180
    pairs = Counter(c.kinds for c in data.candidates if c.kind == "two noises")
    assert len(pairs) >= len(PAIRS) // 2


def test_the_registry_is_valid_and_full_of_namesakes(data):
    ids = [p.id_number for p in data.registry]
    assert all(valid(i) for i in ids)
    assert all(parse_id(i).valid for i in ids[:200])
    assert len(set(ids)) == len(ids)
    assert Counter(p.name for p in data.registry).most_common(1)[0][1] >= 5  # 王伟, 李伟 …
    assert any(p.nickname for p in data.registry) and any(p.former_name for p in data.registry)


def reading(text: str) -> list[str]:
    return lazy_pinyin(text, style=Style.NORMAL)


def test_each_noise_is_what_it_says(data):
    registry = data.registry
    for c in data.candidates:
        if c.truth is None:
            continue
        p = registry[c.truth]
        kind = c.kinds[0] if len(c.kinds) == 1 else None
        if kind == "exact":
            assert (c.name, c.id_number) == (p.name, p.id_number)
        elif kind == "traditional":
            assert c.name != p.name and fold_name(c.name) == p.name
            assert c.id_number == p.id_number
        elif kind == "homophone":
            apart = [i for i, (x, y) in enumerate(zip(c.name, p.name, strict=True)) if x != y]
            assert len(apart) == 1 and apart[0] >= 1  # in the given name
            assert reading(c.name) == reading(p.name)
        elif kind == "nickname":
            assert c.name == p.nickname
        elif kind == "former_name":
            assert c.name == p.former_name
        elif kind == "swapped":
            assert c.name != p.name and sorted(c.name) == sorted(p.name)
            assert c.name[0] == p.name[0]
        elif kind == "id_typo":
            assert c.name == p.name and len(c.id_number) == 18
            assert not valid(c.id_number)  # the checksum fails
            apart = [i for i in range(18) if c.id_number[i] != p.id_number[i]]
            assert len(apart) == 1 or (len(apart) == 2 and apart[1] == apart[0] + 1)
        elif kind == "id_typo_valid":
            assert valid(c.id_number)
            apart = [i for i in range(18) if c.id_number[i] != p.id_number[i]]
            assert len(apart) == 2 and apart[1] == 17
        elif kind == "id15":
            assert len(c.id_number) == 15 and to18(c.id_number) == p.id_number
        else:
            assert len(c.kinds) == 2 and c.kinds in PAIRS
            assert (c.name, c.id_number) != (p.name, p.id_number)


def test_strangers_are_not_in_the_registry(data):
    ids = {p.id_number for p in data.registry}
    names = {p.name for p in data.registry}
    strangers = [c for c in data.candidates if c.truth is None]
    assert all(valid(c.id_number) and c.id_number not in ids for c in strangers)
    namesakes = [c for c in strangers if c.kind.startswith("namesake")]
    assert namesakes and all(c.name in names for c in namesakes)
    by_id = {p.id_number[:14]: p for p in data.registry}
    same_day = [c for c in strangers if c.kind == "namesake, same birthday"]
    assert any(c.id_number[:14] in by_id for c in same_day)


def test_homophones_are_common_characters_read_alike():
    table = vetting_data.homophones()
    assert "维" in table["伟"] and "伟" not in table["伟"]
    assert all(reading(h) == reading("伟") for h in table["伟"])


def test_splink_is_not_needed():
    assert "splink" not in sys.modules
