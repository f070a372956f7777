"""A synthetic registry of persons and a candidate list with known truth (issue 6, item 5).

The registry is a district's records (前科劣迹): persons with a name, a valid 18-digit ID
number of a Heilongjiang region (Daqing's districts and counties most of all), born 1950-2000,
some with a nickname (绰号) and some with a former name. Names follow the real distribution of
surnames (王 李 张 刘 陈 … with a long tail and a few compound ones) and common given-name
characters, so that namesakes are many, as they are in life.

The candidate list is a share of registry persons written with noise, and the rest people
who are not in the registry (many of them namesakes of registry persons, some born the same
day in the same county). Each candidate knows its truth: the registry person it is, or None,
and the kinds of noise it carries:

    exact          the person as registered
    traditional    the name in traditional characters (OpenCC s2t): 張偉
    homophone      one given-name character replaced by another read the same (toneless
                   pinyin, pypinyin): 张伟 -> 张维
    nickname       listed under the registry's nickname: 刀疤, 老三, 王二
    former_name    listed under the registry's former name
    swapped        the given name's two characters swapped: 张明伟 -> 张伟明
    id_typo        one wrong digit (the check character left as it was, so the checksum
                   fails), or two adjacent digits swapped, or a wrong check character
    id_typo_valid  one wrong digit with a check character that agrees (a number keyed into a
                   system that recomputed the check character): a valid number, not the
                   person's
    id15           the old 15-digit form of the number (people born before 2000)
    two noises     one of the name noises with one of the ID noises, or two name noises

Everything comes from one random.Random(seed): the same seed gives the same data.

    from vetting_data import generate
    data = generate(registry=20_000, candidates=1_000, seed=6)
"""

from __future__ import annotations

import bisect
import datetime
import itertools
import random
from collections import Counter
from dataclasses import dataclass
from functools import cache

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK = "10X98765432"  # as saohei.entities.matching.ids, kept here so the data stands alone

# Surnames with their share of the population in per mille (roughly the 2020 census
# figures; Heilongjiang has a little more 于 孙 刘 than the country).
SURNAMES = """
王71 李70 张66 刘56 陈45 杨31 黄22 赵21 吴19 周19 徐13 孙14 马12 朱11 胡10 郭10 何9 高9
林9 罗8 郑8 梁7 谢6 宋6 唐6 许5 韩5 冯5 邓5 曹5 彭5 曾4 肖4 田4 董4 袁4 潘4 于6 蒋4 蔡4
余3 杜3 叶3 程3 苏3 魏3 吕3 丁3 任3 沈3 姚3 卢3 姜3 崔3 钟3 谭3 陆3 汪2 范2 金2 石2 廖2
贾2 夏2 韦2 付2 方2 白2 邹2 孟2 熊2 秦2 邱2 江2 尹2 薛2 闫2 段2 雷2 侯2 龙2 史2 陶1 黎1
贺1 顾1 毛1 郝1 龚1 邵1 万1 钱1 严1 武1 戴1 莫1 孔1 向1 汤1 常1 温1 康1 施1 文1 牛1 樊1
葛1 邢1 安1 齐1 易1 乔1 伍1 庞1 颜1 倪1 庄1 聂1 章1 鲁1 岳1 翟1 殷1 詹1 申1 欧1 耿1 关1
兰1 焦1 俞1 左1 柳1 甘1 祝1 包1 宁1 尚1 符1 舒1 阮1 柯1 纪1 梅1 童1 凌1 毕1 单1 季1 裴1
霍1 涂1 成1 苗1 谷1 盛1 曲1 翁1 冉1 骆1 蓝1 路1 游1 辛1 靳1 管1 柴1 蒙1 鲍1 华1 喻1 祁1
蒲1 房1 滕1 屈1 饶1 解1 牟1 艾1 尤1 阳1 时1 穆1 农1 司1 卓1 古1 吉1 缪1 简1 车1 项1 连1
芦1 麦1 褚1 娄1 窦1 戚1 岑1 景1 党1 宫1 费1 卜1 冷1 晏1 席1 卫1 米1 柏1 宗1 瞿1 桂1 全1
佟1 应1 臧1 闵1 苟1 邬1 边1 卞1 姬1 师1 和1 仇1 栾1 隋1 商1 刁1 沙1 荣1 巫1 寇1 桑1 郎1
甄1 丛1 仲1 虞1 敖1 巩1 明1 佘1 池1 查1 麻1 苑1 迟1 邝1 官1 封1 谈1 匡1 鞠1 惠1 荆1 乐1
冀1 郁1 胥1 南1 班1 储1 原1 栗1 燕1 楚1 鄢1 劳1 谌1 奚1 皮1 粟1 冼1 蔺1 楼1 盘1 满1 闻1
位1 厉1 伊1 仝1 区1 郜1 海1 阚1 花1 权1 强1 帅1 屠1 豆1 朴1 盖1 练1 廉1 禹1 井1 祖1 漆1
巴1 丰1 支1 卿1 国1 狄1 平1 计1 索1 宣1 晋1 相1 初1 门1 云1 容1 敬1 来1 扈1 晁1 芮1 都1
普1 阙1 浦1 戈1 伏1 鹿1 薄1 邸1 雍1 辜1 羊1 阿1 乌1 母1 裘1 亓1 修1 邰1 赫1 杭1 况1 那1
宿1 鲜1 印1 逯1 隆1 茹1 诸1 战1 慕1 危1 玉1 银1 亢1 嵇1 公1 哈1 湛1 宾1 戎1 勾1 茅1 利1
於1 呼1 居1 揭1 干1 但1 尉1 冶1 斯1 元1 束1 檀1 衣1 信1 展1 阴1 昝1 智1 幸1 奉1 植1 衡1
富1 尧1 闭1 由1
"""
COMPOUND = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "夏侯", "端木"]


# Given-name characters by how often they are used, for men, for women and for either (the
# names of people born 1950-2000 in the north-east: 建国, 淑芬, 秀英, 志强, 丽娜 …).
def _words(text: str) -> list[str]:
    return text.split()


MALE = _words(
    "伟 强 军 磊 勇 杰 涛 斌 超 明 刚 平 辉 鹏 华 飞 鑫 波 宇 浩 凯 健 俊 帆 帅 旭 龙 林 阳 "
    "建 国 峰 亮 成 东 文 志 海 庆 春 德 福 宝 立 新 喜 生 忠 学 祥 树 贵 荣 振 铁 宏 彬 民 光 "
    "利 家 兴 士 长 山 江 武 胜 军 力 金 永 贵 玉 俊 洪 云 清 富 友 财 发 全 连 顺 柱 田 良 "
    "义 仁 海 波 晨 博 思 睿 哲 然 洋 宁 锋 刚 毅 晖 松 柏 权 斌 彪 虎 豹 龙 岩 石"
)
FEMALE = _words(
    "芳 娜 敏 静 丽 艳 秀 霞 燕 红 梅 玲 娟 洁 琳 婷 雪 慧 颖 倩 晶 丹 萍 桂 凤 珍 云 莉 "
    "英 兰 玉 淑 华 琴 蓉 菊 荣 杰 君 娥 萍 芬 翠 彩 春 香 月 莹 爽 媛 欣 佳 琪 璐 露 "
    "晓 美 霞 宁 娇 妍 悦 薇 红 岩 艳 秋 冬 晶 双 微 新 迎 平 春 素 金 银 凤 丽"
)
EITHER = _words("小 晓 金 玉 春 秋 建 立 永 海 宏 明 文 红 新 国 长 志 德 雪 亚 少 俊 子 一 天")

NAME_CHARS = frozenset(MALE + FEMALE + EITHER)

NICKNAMES = _words(
    "刀疤 老三 二虎 大虎 小五 黑子 三哥 老六 大个 二愣子 胖子 瘸子 老鬼 大彪 二驴子 猴子 "
    "眼镜 光头 大刚 小六子 老四 二毛 大毛 黑三 刀哥 虎哥 龙哥 彪子 老八 麻子 四喜 大龙 "
    "疤瘌 二黑 三驴 老蔫 大傻 小豹子 铁蛋 狗剩 二楞 大脑袋 小胡子 黑龙 东北虎 老歪"
)

# Region codes (the first six digits): Daqing's districts and counties most of all, then the
# rest of the province.
REGIONS = [
    *[("230602", 9), ("230603", 6), ("230604", 7), ("230605", 4), ("230606", 5)],  # 大庆
    *[("230621", 6), ("230622", 5), ("230623", 4), ("230624", 4)],  # 大庆 counties
    *[("230102", 2), ("230103", 2), ("230104", 2), ("230108", 1), ("230109", 1)],  # 哈尔滨
    *[("230110", 1), ("230111", 1), ("230112", 1), ("230183", 1), ("230184", 1)],
    *[("230202", 1), ("230203", 1), ("230204", 1), ("230221", 1), ("230281", 1)],  # 齐齐哈尔
    *[("230302", 1), ("230402", 1), ("230502", 1), ("230702", 1), ("230803", 1)],
    *[("230902", 1), ("231002", 1), ("231003", 1), ("231102", 1), ("231202", 2)],  # … 绥化
    *[("231221", 1), ("231222", 1), ("231223", 1), ("231281", 1), ("232721", 1)],
]
EARLIEST, LATEST = datetime.date(1950, 1, 1), datetime.date(2000, 12, 31)

# How the true candidates are written, and how often (per cent of the true ones).
TRUE_KINDS = {
    "exact": 5,
    "traditional": 12,
    "homophone": 14,
    "nickname": 9,
    "former_name": 5,
    "swapped": 10,
    "id_typo": 13,
    "id_typo_valid": 2,
    "id15": 10,
    "two noises": 20,
}
NAME_NOISES = ("traditional", "homophone", "nickname", "former_name", "swapped")
ID_NOISES = ("id_typo", "id15")
PAIRS = [
    *itertools.product(("traditional", "homophone", "nickname", "swapped"), ID_NOISES),
    ("homophone", "traditional"),  # in this order: homophones are looked up in simplified
    ("swapped", "traditional"),
    ("homophone", "swapped"),
]
NEGATIVE_KINDS = {  # the candidates who are not in the registry (per cent of them)
    "stranger": 55,  # a person drawn from the same distribution: namesakes come by themselves
    "namesake": 40,  # the name of a registry person, another birth date and ID
    "namesake, same birthday": 5,  # … born the same day in the same county, another ID
}


@dataclass(frozen=True, slots=True)
class Person:
    pid: int
    name: str
    id_number: str
    nickname: str = ""
    former_name: str = ""

    @property
    def aliases(self) -> tuple[str, ...]:
        return tuple(a for a in (self.nickname, self.former_name) if a)


@dataclass(frozen=True, slots=True)
class Candidate:
    cid: int
    name: str
    id_number: str
    truth: int | None  # the registry person's pid, or None
    kinds: tuple[str, ...]  # the noises applied (a negative kind when truth is None)

    @property
    def kind(self) -> str:
        """The row this candidate counts in, in the per-kind tables."""
        return "two noises" if len(self.kinds) > 1 else self.kinds[0]


@dataclass
class Dataset:
    seed: int
    registry: list[Person]
    candidates: list[Candidate]

    def kinds(self) -> Counter:
        return Counter(c.kind for c in self.candidates)


def check_character(first17: str) -> str:
    return CHECK[sum(int(c) * w for c, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_of(id18: str) -> datetime.date:
    return datetime.date(int(id18[6:10]), int(id18[10:12]), int(id18[12:14]))


@cache
def _s2t():
    import opencc

    return opencc.OpenCC("s2t")


def traditional(name: str) -> str:
    return _s2t().convert(name)


@cache
def homophones() -> dict[str, tuple[str, ...]]:
    """For each of the 3,755 common characters (GB 2312 level 1), the other common
    characters with the same main toneless reading: 伟 -> 为 位 卫 味 …"""
    from pypinyin import Style, lazy_pinyin

    common = []
    for code in range(0x4E00, 0xA000):
        encoded = chr(code).encode("gb2312", "ignore")
        if len(encoded) == 2 and 0xB0 <= encoded[0] <= 0xD7:
            common.append(chr(code))
    by_reading: dict[str, list[str]] = {}
    for char in common:
        by_reading.setdefault(lazy_pinyin(char, style=Style.NORMAL)[0], []).append(char)
    return {
        char: tuple(c for c in group if c != char)
        for group in by_reading.values()
        for char in group
        if len(group) > 1
    }


class Generator:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        surnames = [(s[0], int(s[1:])) for s in SURNAMES.split()]
        surnames += [(c, 1) for c in COMPOUND]
        self.surnames = [s for s, _ in surnames]
        self.surname_cum = list(itertools.accumulate(w for _, w in surnames))
        self.male = self._zipf(MALE + EITHER)
        self.female = self._zipf(FEMALE + EITHER)
        self.regions = [r for r, _ in REGIONS]
        self.region_cum = list(itertools.accumulate(w for _, w in REGIONS))
        self.days = (LATEST - EARLIEST).days + 1
        self.used: set[str] = set()  # the first 17 digits of every ID given out

    @staticmethod
    def _zipf(chars: list[str]) -> tuple[list[str], list[float]]:
        """Characters in the order listed, the first used most (weight 1/rank^0.8)."""
        unique = list(dict.fromkeys(chars))
        return unique, list(itertools.accumulate(1 / (r + 1) ** 0.8 for r in range(len(unique))))

    def _pick(self, values: list, cum: list):
        return values[bisect.bisect_right(cum, self.rng.random() * cum[-1])]

    def surname(self) -> str:
        return self._pick(self.surnames, self.surname_cum)

    def given(self, gender: str) -> str:
        chars, cum = self.male if gender == "M" else self.female
        first = self._pick(chars, cum)
        if self.rng.random() < 0.25:  # one-character given names
            return first
        return first + self._pick(chars, cum)

    def new_id(self, gender: str, region: str | None = None, birth: datetime.date | None = None):
        """An unused valid 18-digit number: region, birth date, sequence (odd for men)."""
        while True:
            region = region or self._pick(self.regions, self.region_cum)
            birth = birth or EARLIEST + datetime.timedelta(self.rng.randrange(self.days))
            sequence = self.rng.randrange(500) * 2 + (1 if gender == "M" else 0)
            first17 = f"{region}{birth:%Y%m%d}{sequence:03d}"
            if first17 not in self.used:
                self.used.add(first17)
                return first17 + check_character(first17)

    def person(self, pid: int) -> Person:
        gender = "M" if self.rng.random() < 0.7 else "F"  # records: mostly men
        surname = self.surname()
        name = surname + self.given(gender)
        nickname = former = ""
        if self.rng.random() < 0.10:
            nickname = self.nickname(surname)
        if self.rng.random() < 0.05:
            while (former := surname + self.given(gender)) == name:
                pass
        return Person(pid, name, self.new_id(gender), nickname, former)

    def nickname(self, surname: str) -> str:
        if self.rng.random() < 0.6:
            return self.rng.choice(NICKNAMES)
        order = self.rng.choice("二三四五六")
        return self.rng.choice([f"老{surname}", f"{surname}{order}", f"{surname}老{order}"])

    # Noise ------------------------------------------------------------------------------------

    def noisy(self, person: Person, kind: str, name: str, id_number: str):
        """(name, id_number) with one more noise of `kind`, or None when it cannot apply."""
        rng = self.rng
        surname_len = 2 if name[:2] in COMPOUND else 1
        surname, given = name[:surname_len], name[surname_len:]
        if kind == "traditional":
            written = traditional(name)
            return (written, id_number) if written != name else None
        if kind == "homophone":
            places = [i for i, c in enumerate(given) if c in homophones()]
            if not places:
                return None
            i = rng.choice(places)
            others = homophones()[given[i]]
            usual = [c for c in others if c in NAME_CHARS]  # typists reach for name characters
            other = rng.choice(usual if usual and rng.random() < 0.7 else others)
            return surname + given[:i] + other + given[i + 1 :], id_number
        if kind == "nickname":
            return (person.nickname, id_number) if person.nickname else None
        if kind == "former_name":
            return (person.former_name, id_number) if person.former_name else None
        if kind == "swapped":
            if len(given) != 2 or given[0] == given[1]:
                return None
            return surname + given[::-1], id_number
        if kind in ("id_typo", "id_typo_valid"):
            if len(id_number) != 18:
                return None
            digits = list(id_number)
            roll = rng.random()
            if kind == "id_typo_valid" or roll < 0.8:  # one wrong digit among the first 17
                i = rng.randrange(17)
                digits[i] = rng.choice([d for d in "0123456789" if d != digits[i]])
                if kind == "id_typo_valid":
                    digits[17] = check_character("".join(digits[:17]))
            elif roll < 0.9:  # two adjacent digits swapped
                places = [i for i in range(16) if digits[i] != digits[i + 1]]
                i = rng.choice(places)
                digits[i], digits[i + 1] = digits[i + 1], digits[i]
            else:  # a wrong check character
                digits[17] = rng.choice([c for c in "0123456789X" if c != digits[17]])
            return name, "".join(digits)
        if kind == "id15":
            if len(id_number) != 18 or id_number[6:8] != "19":
                return None
            return name, id_number[:6] + id_number[8:17]
        raise ValueError(kind)

    def true_candidate(self, cid: int, registry: list[Person], kind: str) -> Candidate:
        kinds = self.rng.choice(PAIRS) if kind == "two noises" else (kind,)
        while True:
            person = self.rng.choice(registry)
            if kinds[0] == "nickname" and not person.nickname:
                continue  # only some have one: look among those
            name, id_number = person.name, person.id_number
            for noise in kinds if kind != "exact" else ():
                written = self.noisy(person, noise, name, id_number)
                if written is None:
                    break
                name, id_number = written
            else:
                return Candidate(cid, name, id_number, person.pid, kinds)

    def negative_candidate(self, cid: int, registry: list[Person], kind: str) -> Candidate:
        if kind == "stranger":
            p = self.person(-1)
            return Candidate(cid, p.name, p.id_number, None, (kind,))
        other = self.rng.choice(registry)
        gender = "M" if int(other.id_number[16]) % 2 else "F"
        if kind == "namesake":
            return Candidate(cid, other.name, self.new_id(gender), None, (kind,))
        region, birth = other.id_number[:6], birth_of(other.id_number)
        return Candidate(cid, other.name, self.new_id(gender, region, birth), None, (kind,))


def _counts(total: int, weights: dict[str, int], rng: random.Random) -> list[str]:
    """`total` kinds in proportion to `weights`, shuffled."""
    kinds = list(weights)
    share = sum(weights.values())
    counts = {k: total * w // share for k, w in weights.items()}
    for k in kinds[: total - sum(counts.values())]:
        counts[k] += 1
    out = [k for k in kinds for _ in range(counts[k])]
    rng.shuffle(out)
    return out


def generate(
    registry: int = 1_000_000, candidates: int = 10_000, seed: int = 6, true_share: float = 0.3
) -> Dataset:
    gen = Generator(seed)
    persons = [gen.person(pid) for pid in range(registry)]
    nicknamed = [p for p in persons if p.nickname]
    n_true = round(candidates * true_share)
    plan = [(k, True) for k in _counts(n_true, TRUE_KINDS, gen.rng)]
    plan += [(k, False) for k in _counts(candidates - n_true, NEGATIVE_KINDS, gen.rng)]
    gen.rng.shuffle(plan)
    out = []
    for cid, (kind, is_true) in enumerate(plan):
        if is_true:
            pool = nicknamed if kind == "nickname" else persons
            out.append(gen.true_candidate(cid, pool, kind))
        else:
            out.append(gen.negative_candidate(cid, persons, kind))
    return Dataset(seed, persons, out)


if __name__ == "__main__":  # a look at the data: python bench/vetting_data.py [registry] [n]
    import sys

    size = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000
    data = generate(size, n)
    for p in data.registry[:10]:
        print(p)
    for c in data.candidates[:30]:
        truth = data.registry[c.truth] if c.truth is not None else None
        print(c.kind, "|", c.name, c.id_number, "<-", truth and (truth.name, truth.id_number))
    print(data.kinds())
    print(Counter(p.name for p in data.registry).most_common(10))
