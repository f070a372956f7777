"""Synthetic but realistic identities for demo data and tests: Chinese names, resident ID
numbers that pass GB 11643 checks, mobile numbers, Heilongjiang plates. Deterministic for a
given random.Random, so demo data is the same on every machine."""

from __future__ import annotations

import random
from datetime import date, timedelta

from stdnum.cn import ric

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN_CHARS = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建国志红丹宇浩凯健俊帆帅"
    "旭宁欣彤晨阳雪婷博文斌海波春梅东亮成林峰龙飞鑫淑珍慧颖晶鹤松立新永庆福德金山岩"
)
# Heilongjiang: 230102 Harbin Daoli, 230602 Daqing Saertu, 230604 Daqing Ranghulu,
# 231002 Mudanjiang Dongan.
AREA_CODES = ("230102", "230602", "230604", "231002")
PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def chinese_name(rng: random.Random) -> str:
    given = "".join(rng.choice(GIVEN_CHARS) for _ in range(rng.choice((1, 2, 2))))
    return rng.choice(SURNAMES) + given


def id_number(
    rng: random.Random,
    *,
    born_between: tuple[date, date] = (date(1955, 1, 1), date(2001, 12, 31)),
    female: bool | None = None,
    area: str | None = None,
) -> str:
    """An 18-digit resident ID number that python-stdnum accepts (GB 11643-1999: check digit,
    birth date, and an area code that existed in the birth year)."""
    start, end = born_between
    while True:
        birth = start + timedelta(days=rng.randrange((end - start).days + 1))
        serial = rng.randrange(0, 999)
        # The 17th digit is odd for men, even for women.
        if female is not None and (serial % 2 == 0) != female:
            serial += 1
        body = f"{area or rng.choice(AREA_CODES)}{birth:%Y%m%d}{serial:03d}"
        number = body + ric.calc_check_digit(body)
        if ric.is_valid(number):
            return number


def mobile(rng: random.Random) -> str:
    return rng.choice(("139", "138", "135", "158", "186", "187", "155", "133", "181")) + "".join(
        str(rng.randrange(10)) for _ in range(8)
    )


def plate(rng: random.Random, city: str = "E") -> str:
    """A Heilongjiang plate such as 黑E·12345 (E is the oil-field city)."""
    tail = "".join(rng.choice("0123456789" + PLATE_LETTERS[:6]) for _ in range(4))
    return f"黑{city}·{rng.choice('0123456789')}{tail}"
