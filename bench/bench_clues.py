"""How the clue ledger holds up at a million clues: each clue's status as of a past day (the
figure every statistic starts from), the first page of a filtered list, and a substring
search, each beside a floor measured in the same run (a bare COUNT(*) over the moves table)
and the target, on a throw-away SQLite database (or DATABASE_URL if set: its data is NOT
removed, so never point it at a database you care about).

    .venv/bin/python bench/bench_clues.py                # 1,000,000 clues, 5,000,000 moves (~5 min)
    .venv/bin/python bench/bench_clues.py --clues 20000  # a quick check (seconds)

Clues and moves are written with raw executemany (not the ORM: no audit log, no encryption;
informant fields are empty), from small vocabularies of Chinese names, places and conduct so
that search_text looks like the real thing. Each clue's moves follow the workflow (register →
assign → accept → interim ↔ resume … → request conclusion → approve, with parking, merging
and rejected conclusions here and there), dated 2018-2020. Clues are numbered in the order
received, give or take a late letter, and moves are written in the order they happened, as
the application appends them, so one clue's moves lie far apart in the table as they would in
production (which is what makes reading them back slow). The status counts are checked
against the answer worked out while generating, so a faster query cannot be a wrong one.

The indexes it first proposed (moves by clue and time with the status; clues by status,
category and date; the FTS5 trigram search index) are in the migrations now, so the run
measures the schema as migrated.
"""

from __future__ import annotations

import argparse
import calendar
import datetime
import os
import random
import shutil
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TMP = tempfile.mkdtemp(prefix="saohei-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("SAOHEI_VAR_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saohei.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.management.color import no_style  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from saohei.clues.asof import end_of_day, with_status_as_of  # noqa: E402
from saohei.clues.choices import Category, Channel, Source, Status  # noqa: E402
from saohei.clues.models import Clue, Move  # noqa: E402
from saohei.clues.search import FTS_DROP_SQL, ensure_trigram_index, search  # noqa: E402
from saohei.core.normalize import fold_text  # noqa: E402
from saohei.core.paging import page_of  # noqa: E402
from saohei.orgs.choices import Role, UnitKind  # noqa: E402
from saohei.orgs.models import Jurisdiction, Unit, User  # noqa: E402

# The briefing day, and a day by which every clue had been received.
DAYS = [datetime.date(2019, 6, 30), datetime.date(2020, 12, 31)]
LIST_STATUS, LIST_CATEGORY = Status.VERIFYING, Category.INDUSTRY_DISORDER
SEARCH_TERMS = ["张伟", "柳河镇", "砖厂", "采砂 柳河镇"]
TARGETS = {"asof": 3.0, "list": 0.2, "search": 0.5}
BATCH = 20_000

# Vocabularies ------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    return text.split()


SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏"
    "龙飞峰东海林波云成国民德福贵生才兴旺荣发"
)
FIRMS = words("宏达 鑫源 金盛 华通 恒泰 顺发 永利 兴隆 天成 汇丰 富民 长青 利民 鸿运 盛世 华鑫")
TRADES = words("砂石 建材 物流 运输 小额贷款 典当 娱乐 房地产 采砂 养殖 客运 矿业 劳务 拆迁")
FIRM_KINDS = ["有限公司", "有限责任公司", "合作社", "商行"]
DISTRICTS = ["北湖区", "南郊区"]
TOWNS = words(
    "城关镇 东风街道 解放路街道 红旗乡 新华街道 柳河镇 石桥镇 长青镇 新兴镇 "
    "龙湖街道 油田街道 白沙乡 青山镇 河东街道 马家堡乡 太平镇 富民街道 "
    "三里屯镇 杨柳乡 金沙镇"
)
VILLAGES = words(
    "王家村 李庄村 红旗村 富民村 张湾村 前进村 东升村 小河村 后营村 新风村 "
    "大柳树村 高家岭村 五一村 团结村 河西村 南坡村"
)
SPOTS = ["农贸市场", "建材市场", "客运站", "采砂场", "工地", "码头", "物流园", "KTV", "砖厂"]
CONDUCT = [
    (Category.INDUSTRY_DISORDER, "非法采砂，威胁阻拦群众举报"),
    (Category.INDUSTRY_DISORDER, "强揽工程、阻工索要好处费"),
    (Category.INDUSTRY_DISORDER, "欺行霸市，强迫商户高价购货"),
    (Category.INDUSTRY_DISORDER, "垄断客运线路，强迫乘客换乘"),
    (Category.EVIL_FORCE, "寻衅滋事、殴打他人"),
    (Category.EVIL_FORCE, "敲诈勒索个体商户"),
    (Category.EVIL_FORCE, "聚众斗殴，持刀伤人"),
    (Category.GANG, "长期把持承包经营，涉嫌组织领导黑社会性质组织"),
    (Category.GANG, "开设赌场、组织卖淫，形成非法控制"),
    (Category.OIL, "盗窃原油，私设炼油点"),
    (Category.ROUTINE_LOAN, "以“套路贷”手段非法放贷、暴力催收"),
    (Category.ROUTINE_LOAN, "放高利贷，非法拘禁借款人"),
    (Category.RURAL, "村霸欺压群众、操纵选举"),
    (Category.RURAL, "霸占集体土地，强收保护费"),
    (Category.UMBRELLA, "充当“保护伞”，收受贿赂、通风报信"),
    (Category.OTHER, "强迫交易，扰乱市场秩序"),
]
DETAILS = [
    "群众反映强烈",
    "当地村民敢怒不敢言",
    "涉案金额约{n}万元",
    "多次殴打上门讨要说法的群众",
    "已持续{n}年",
    "受害商户{n}余家",
    "有视频和转账记录为证",
    "举报人称曾遭威胁",
]
SOURCES = [s.value for s in Source]
CHANNELS = [c.value for c in Channel]

# Times --------------------------------------------------------------------------------------

START = calendar.timegm((2018, 1, 1, 0, 0, 0))  # epoch seconds of local wall-clock times
LAST_RECEIVED = calendar.timegm((2020, 9, 30, 0, 0, 0))
END = calendar.timegm((2020, 12, 31, 0, 0, 0))
LOCAL_OFFSET = 8 * 3600  # Asia/Shanghai: UTC+8, no daylight saving
DAY_S = 86400


def local_date(local_epoch: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(local_epoch))


# Workflow paths -----------------------------------------------------------------------------

# action -> (to_status, who, days since the step before (low, high))
STEP = {
    "register": (Status.RECEIVED, "office", (0, 2)),
    "assign": (Status.ASSIGNED, "office", (1, 10)),
    "accept": (Status.VERIFYING, "handler", (0, 5)),
    "interim": (Status.INTERIM, "handler", (15, 90)),
    "resume": (Status.VERIFYING, "handler", (10, 120)),
    "request_conclusion": (Status.AWAITING_APPROVAL, "handler", (5, 60)),
    "approve": (Status.CONCLUDED, "leader", (1, 10)),
    "reject": (Status.VERIFYING, "leader", (1, 10)),
    "park": (Status.PARKED, "office", (1, 20)),
    "unpark": (Status.RECEIVED, "office", (30, 180)),
    "merge": (Status.MERGED, "office", (1, 15)),
}


def workflow(rng: random.Random, length: int, closed: bool) -> list[str]:
    """A plausible sequence of exactly `length` steps, starting with registration."""
    if length == 1:
        return ["register"]
    if length == 2:
        return ["register", rng.choices(["assign", "park", "merge"], [8, 1, 1])[0]]
    if length == 3:
        if rng.random() < 0.05:
            return ["register", "park", "unpark"]
        return ["register", "assign", "accept"]
    steps = ["register", "assign", "accept"]
    rest = length - 3
    tail = ["request_conclusion", "approve"] if closed and rest >= 2 else []
    if not tail and rest >= 1 and rng.random() < 0.3:
        tail = ["request_conclusion"]
    middle = rest - len(tail)
    while middle >= 2:  # verifying -> … -> verifying
        steps += ["request_conclusion", "reject"] if rng.random() < 0.15 else ["interim", "resume"]
        middle -= 2
    if middle:
        steps.append("interim")
    return steps + tail


def lengths(rng: random.Random, n: int, per_clue: int):
    """Moves per clue: around `per_clue`, exactly n * per_clue in all (pairs balance out)."""
    spread = min(per_clue - 1, 3)
    for _ in range(n // 2):
        d = rng.randint(-spread, spread)
        yield per_clue + d
        yield per_clue - d
    if n % 2:
        yield per_clue


# Text ---------------------------------------------------------------------------------------


class Folder:
    """fold_text of each vocabulary piece, once: texts are joined from folded pieces (and
    checked against fold_text of the whole for a sample)."""

    def __init__(self):
        self.cache: dict[str, str] = {}

    def __call__(self, piece: str) -> str:
        folded = self.cache.get(piece)
        if folded is None:
            folded = self.cache[piece] = fold_text(piece)
        return folded


def person(rng: random.Random) -> str:
    given = rng.choice(GIVEN) + (rng.choice(GIVEN) if rng.random() < 0.6 else "")
    return rng.choice(SURNAMES) + given


def clue_text(rng: random.Random, fold: Folder):
    """(category, subjects, place, summary, search_text as search_text_for makes it)."""
    category, conduct = rng.choice(CONDUCT)
    names = [person(rng) for _ in range(rng.choice((1, 1, 1, 2, 2, 3)))]
    firm = ""
    if rng.random() < 0.3:
        firm = rng.choice(FIRMS) + rng.choice(TRADES) + rng.choice(FIRM_KINDS)
    subject_parts = names + ([firm] if firm else [])
    district, town = rng.choice(DISTRICTS), rng.choice(TOWNS)
    where = rng.choice(VILLAGES) if rng.random() < 0.5 else rng.choice(SPOTS)
    place = district + town + where if rng.random() < 0.8 else ""
    detail = rng.choice(DETAILS).format(n=rng.randint(2, 90))
    who = firm + names[0] + ("等人" if len(names) > 1 else "")
    summary = f"{who}在{town}{where}{conduct}，{detail}"
    folded = [
        "、".join(fold(p) for p in subject_parts),
        fold(who) + "在" + fold(town) + fold(where) + fold(conduct) + "," + fold(detail),
    ]
    if place:
        folded.append(fold(district) + fold(town) + fold(where))
    return category, "、".join(subject_parts), place, summary, " ".join(folded)


# Generation ---------------------------------------------------------------------------------


class Generator:
    """Clue rows in registration order, and their moves; remembers each clue's status at the
    end of each of DAYS, as worked out here, to check the query against."""

    def __init__(self, n: int, people, units, jurisdictions):
        self.n = n
        self.rng = random.Random(20190630)
        self.fold = Folder()
        self.people, self.units, self.jurisdictions = people, units, jurisdictions
        self.cutoffs = [calendar.timegm(end_of_day(d).utctimetuple()) for d in DAYS]
        self.expected = [Counter() for _ in DAYS]
        self.numbers: Counter = Counter()
        self.utc_suffix = "" if connection.vendor == "sqlite" else "+00"
        self.sample: list[tuple[str, str]] = []

    def stamp(self, utc_epoch: int) -> str:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(utc_epoch)) + self.utc_suffix

    def received(self, clue_id: int) -> int:
        """Registration follows receipt, a letter now and then entered days late."""
        rng, span = self.rng, (LAST_RECEIVED - START) // DAY_S
        day = (clue_id - 1) * span // self.n
        if rng.random() < 0.15:
            day = max(0, day - rng.randint(1, 10))
        return START + day * DAY_S

    def clue(self, clue_id: int, length: int):
        rng = self.rng
        category, subjects, place, summary, folded = clue_text(rng, self.fold)
        if clue_id <= 500:
            self.sample.append((" ".join([subjects, summary, "", place]), folded))
        received = self.received(clue_id)
        lateness = (received - START) / (LAST_RECEIVED - START)
        steps = workflow(rng, length, closed=rng.random() > 0.1 + 0.6 * lateness**3)
        unit = self.units["discipline" if category == Category.UMBRELLA else "police"]
        gaps = []
        for step in steps:
            low, high = STEP[step][2]
            if step != "register" and rng.random() < 0.02:
                gaps.append(0)  # two steps in the same second: the later move id counts
            else:
                gaps.append(rng.randint(low * DAY_S, high * DAY_S) + rng.randint(8, 18) * 3600)
        room, total = END - received, sum(gaps)
        if total > room:  # keep within 2018-2020
            gaps = [g * room // total for g in gaps]
        moves, at, status, assigned = [], received, "", None
        then = [Status.RECEIVED for _ in DAYS]
        assigned_on = deadline = concluded_on = None
        for step, gap in zip(steps, gaps, strict=True):
            at += gap
            to_status, who, _days = STEP[step]
            utc = at - LOCAL_OFFSET
            for i, cutoff in enumerate(self.cutoffs):
                if utc < cutoff:
                    then[i] = to_status
            if step == "assign":
                assigned = unit
                assigned_on, deadline = local_date(at), local_date(at + 28 * DAY_S)
            if step in ("approve", "interim"):
                concluded_on = local_date(at)
            if step == "resume":
                concluded_on = None
            actor = self.people[who]
            # As clues.actions.assign records it: the deadline of the routing, which the
            # overdue figure reads back for a past day.
            data = f'{{"unit": {unit.pk}, "deadline": "{deadline}"}}' if step == "assign" else "{}"
            moves.append(
                (self.stamp(utc), step, status, to_status)
                + (actor.pk, actor.unit_id, clue_id, assigned.pk if assigned else None, data)
            )
            status = to_status
        received_on = local_date(received)
        for i, day in enumerate(DAYS):
            if received_on <= day.isoformat():
                self.expected[i][then[i]] += 1
        year = received_on[:4]
        self.numbers[year] += 1
        number = f"XS{year}-{self.numbers[year]:07d}"
        # In CLUE_SQL's order: created when registered, updated by the last move.
        row = (clue_id, moves[0][0], moves[-1][0], number, received_on)
        row += (rng.choice(SOURCES), rng.choice(CHANNELS), category, subjects, place, summary)
        row += (folded, status, assigned_on, deadline, concluded_on, len(moves) - 1)
        row += (assigned.pk if assigned else None, rng.choice(self.jurisdictions))
        row += (clue_id - 1 if status == Status.MERGED and clue_id > 1 else None,)
        row += (self.people["office"].pk, self.units["office"].pk)
        # The row holds the state its latest move left, as saohei.clues.asof.settle records.
        row += (moves[-1][0],)
        return row, moves


CLUE_SQL = """INSERT INTO clues_clue (id, created_at, updated_at, number, received_on, source,
 channel, category, subjects, place, summary, search_text, status, assigned_on, deadline,
 concluded_on, version, assigned_unit_id, jurisdiction_id, merged_into_id, registered_by_id,
 registering_unit_id, last_moved_at, full_text, anonymous, finding, result, led_to_case,
 case_number, informant_name, informant_phone, informant_id_number, informant_phone_index,
 informant_id_index)
 VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,
 %s, %s, '', TRUE, '', '', FALSE, '', '', '', '', '', '')"""
MOVE_SQL = """INSERT INTO clues_move (at, action, from_status, to_status, actor_id,
 actor_unit_id, clue_id, unit_id, reason, data)
 VALUES (%s, %s, %s, %s, %s, %s, %s, %s, '', %s)"""


def sqlite_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, CREATE INDEX …) of the indexes on these tables, but the implicit ones."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
            f" AND tbl_name IN ({', '.join(['%s'] * len(tables))})",
            tables,
        )
        return cursor.fetchall()


def progress(what: str, done: int, start: float) -> None:
    print(f"  {what:<24} {done:>11,}   {time.perf_counter() - start:6.1f} s", flush=True)


def insert(cursor, sql: str, rows: list) -> None:
    cursor.execute("BEGIN")
    cursor.executemany(sql, rows)
    cursor.execute("COMMIT")


def generate(n: int, per_clue: int, people, units, jurisdictions) -> Generator:
    """Clues in registration order; moves in the order they happened (as the app appends
    them), so a clue's moves lie scattered over the table as they would in production."""
    gen = Generator(n, people, units, jurisdictions)
    sqlite = connection.vendor == "sqlite"
    dropped, moves = [], []
    start = time.perf_counter()
    with connection.cursor() as cursor, connection.constraint_checks_disabled():
        if sqlite:
            # Bulk load: indexes are built once at the end, not row by row.
            cursor.execute("PRAGMA cache_size = -1000000")
            cursor.execute("PRAGMA synchronous = OFF")
            dropped = sqlite_indexes(["clues_clue", "clues_move"])
            for name, _sql in dropped:
                cursor.execute(f'DROP INDEX "{name}"')
            for sql in FTS_DROP_SQL:  # the search index too: made once from all rows below
                cursor.execute(sql)
        sizes = lengths(gen.rng, n, per_clue)
        for first in range(1, n + 1, BATCH):
            clues = []
            for clue_id in range(first, min(first + BATCH, n + 1)):
                row, clue_moves = gen.clue(clue_id, next(sizes))
                clues.append(row)
                moves.extend(clue_moves)
            insert(cursor, CLUE_SQL, clues)
            done = first + len(clues) - 1
            if done % (BATCH * 10) == 0 or done == n:
                progress("clues", done, start)
        moves.sort(key=lambda m: m[0])  # stable: same-second moves of a clue keep their order
        progress("moves sorted by time", len(moves), start)
        for first in range(0, len(moves), BATCH * 5):
            insert(cursor, MOVE_SQL, moves[first : first + BATCH * 5])
            done = min(first + BATCH * 5, len(moves))
            if done % (BATCH * 50) == 0 or done == len(moves):
                progress("moves", done, start)
        del moves
        for _name, sql in dropped:
            cursor.execute(sql)
        if dropped:
            progress(f"{len(dropped)} indexes rebuilt", len(dropped), start)
        if not sqlite:
            for sql in connection.ops.sequence_reset_sql(no_style(), [Clue, Move]):
                cursor.execute(sql)
    if sqlite:
        ensure_trigram_index(using=connection.alias)
        progress("search index built", n, start)
        with connection.cursor() as cursor:  # as a ledger import does after a large load
            cursor.execute("ANALYZE clues_clue")
        progress("statistics refreshed", n, start)
    for raw, folded in gen.sample:
        assert fold_text(raw) == folded, (raw, folded)
    connection.close()  # timings run on an ordinary connection (default cache size etc.)
    return gen


def setup_org():
    """A city office over two districts, a police unit and a discipline commission."""
    city = Jurisdiction.objects.create(name="测试市", code="239900")
    districts = [
        Jurisdiction.objects.create(name=name, code=f"23990{i + 1}", parent=city)
        for i, name in enumerate(DISTRICTS)
    ]
    units = {
        "office": Unit.objects.create(name="扫黑办", kind=UnitKind.OFFICE, jurisdiction=city),
        "police": Unit.objects.create(name="公安局", kind=UnitKind.POLICE, jurisdiction=city),
        "discipline": Unit.objects.create(
            name="纪委监委", kind=UnitKind.DISCIPLINE, jurisdiction=city
        ),
    }

    def user(name, role, unit):
        made = User.objects.create_user(username=name, password="Bench#Passw0rd", unit=unit)
        made.groups.set(Group.objects.filter(name=role))
        return User.objects.get(pk=made.pk)

    people = {
        "office": user("office", Role.OFFICE_STAFF, units["office"]),
        "handler": user("handler", Role.HANDLER, units["police"]),
        "leader": user("leader", Role.UNIT_LEADER, units["police"]),
    }
    return people, units, [d.pk for d in districts]


# Timing -------------------------------------------------------------------------------------


def best_of(fn, repeat: int):
    result = fn()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.0f} ms" if seconds >= 0.01 else f"{seconds * 1000:.1f} ms"


def pad(text: str, width: int) -> str:
    """Left-justify counting wide (CJK) characters as two columns."""
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, width - len(text) - wide)


def line(label: str, seconds: float, floor: float, target: float, note: str = "") -> None:
    verdict = "ok" if seconds < target else "MISSED"
    print(
        f"{pad(label, 50)} {fmt(seconds):>9}   floor COUNT(*) {fmt(floor):>8}"
        f"   target < {fmt(target):<7} {verdict}{note}",
        flush=True,
    )


def floor_count():
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM clues_move")
        return cursor.fetchone()[0]


def status_counts(day):
    rows = with_status_as_of(Clue.objects.all(), day).values("status_then").annotate(n=Count("id"))
    return {row["status_then"]: row["n"] for row in rows}


def first_page(rows):
    """What the list view does: page_of() — the pager's count and 50 ids in order, then
    those rows with their related units."""
    rows = rows.select_related("assigned_unit", "industry").order_by("-received_on", "-number")
    page = page_of(rows, 1)
    return [clue.pk for clue in page], page.paginator.count


def list_page(user):
    return first_page(
        Clue.objects.visible_to(user).filter(status=LIST_STATUS, category=LIST_CATEGORY)
    )


def search_page(user, term):
    return first_page(search(Clue.objects.visible_to(user), term))


def measure(gen: Generator, repeat: int, title: str, before: dict | None = None) -> dict:
    """Time each figure; return what each found, so that a second run (on the proposed
    schema) can show it finds the same."""
    office = User.objects.get(username="office")
    floor, moves = best_of(floor_count, repeat)
    found = {}
    print(f"\n{title} ({connection.vendor}, best of {repeat} after a warm-up)")
    for day, expected in zip(DAYS, gen.expected, strict=True):
        seconds, counts = best_of(lambda d=day: status_counts(d), repeat)
        exact = "exact" if counts == dict(expected) else f"WRONG {counts} != {dict(expected)}"
        label = f"status as of {day}, {sum(counts.values()):,} clues"
        line(label, seconds, floor, TARGETS["asof"], f"  ({exact})")
    seconds, found["all"] = best_of(lambda: first_page(Clue.objects.visible_to(office)), repeat)
    page, total = found["all"]
    line(f"list page, no filter: {len(page)} of {total:,}", seconds, floor, TARGETS["list"])
    seconds, found["list"] = best_of(lambda: list_page(office), repeat)
    page, total = found["list"]
    label = f"list page, {LIST_STATUS} {LIST_CATEGORY}: {len(page)} of {total:,}"
    line(label, seconds, floor, TARGETS["list"], same(before, found, "list"))
    for term in SEARCH_TERMS:
        seconds, found[term] = best_of(lambda t=term: search_page(office, t), repeat)
        page, total = found[term]
        label = f"search “{term}”: {len(page)} of {total:,}"
        line(label, seconds, floor, TARGETS["search"], same(before, found, term))
    print(f"floor: SELECT COUNT(*) FROM clues_move, {moves:,} moves: {fmt(floor)}")
    return found


def same(before: dict | None, found: dict, key: str) -> str:
    if before is None:
        return ""
    return "  (same rows)" if before[key] == found[key] else "  (DIFFERENT rows)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clues", type=int, default=1_000_000)
    parser.add_argument("--moves-per-clue", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the best is shown)")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    args = parser.parse_args()
    if args.clues < 1 or args.moves_per_clue < 1:
        parser.error("--clues and --moves-per-clue must be at least 1")

    call_command("migrate", verbosity=0)
    people, units, jurisdictions = setup_org()
    total = args.clues * args.moves_per_clue
    print(f"generating {args.clues:,} clues and {total:,} moves ({connection.vendor})", flush=True)
    start = time.perf_counter()
    gen = generate(args.clues, args.moves_per_clue, people, units, jurisdictions)
    print(f"generated in {fmt(time.perf_counter() - start)}")
    measure(gen, args.repeat, "as migrated")
    connection.close()
    if args.keep:
        print(f"kept in {TMP}")
    else:
        shutil.rmtree(TMP, ignore_errors=True)  # the throw-away database, keys, …


if __name__ == "__main__":
    main()
