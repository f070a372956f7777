"""How link suggestions hold up among 100,000 cases (issue 7, item 4): `suggest_for` one new
case, beside a floor measured in the same run (one indexed look-up of one person's mentions)
and the target (200 ms), on a throw-away SQLite database under /tmp (or DATABASE_URL if set:
its data is NOT removed, so never point it at a database you care about).

    .venv/bin/python bench/bench_linkage.py                 # 100,000 cases (~5 min)
    .venv/bin/python bench/bench_linkage.py --cases 10000   # a quick check (seconds)

Data, written with bulk inserts (no signals, no audit log): two districts of one city, cases
opened 2016-2020 (so about 27 a day in each district, and some 5,000 within the ±90-day window
of any case), each with a summary made from a small vocabulary of conduct, places and names
(so that many methods are alike, which is the hard case for the method comparison), 2-4
persons mentioned from a pool of 60,000 (each holding an ID number; the first is also
recorded as the case's suspect), a vehicle, phone or organization now and then; oil cases name
a well of one of 20 plants, others a village or a street. Each case's trace (date, place
tokens, method text) is written by the same functions the application uses on save
(saohei.linkage.traces), in bulk. `ANALYZE` after loading.

Timed: for several new cases (each sharing a person, a vehicle and a well with earlier ones,
and described like many others), `suggest_for(case)`, best of --repeat after a warm-up; and
`refresh(case)` (index it, suggest, store the open suggestions) once per case.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
TMP = tempfile.mkdtemp(prefix="saohei-bench-linkage-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{TMP}/bench.sqlite3")
os.environ.setdefault("SAOHEI_VAR_DIR", TMP)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saohei.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from saohei.cases.choices import CaseKind, SuspectRole  # noqa: E402
from saohei.cases.models import Case, Suspect  # noqa: E402
from saohei.entities.matching.ids import check_character  # noqa: E402
from saohei.entities.models import Mention, Organization, Person, Phone, Vehicle  # noqa: E402
from saohei.linkage.models import Trace, TracePlace  # noqa: E402
from saohei.linkage.suggestions import refresh, suggest_for  # noqa: E402
from saohei.linkage.traces import method_text, place_tokens  # noqa: E402
from saohei.orgs.choices import UnitKind  # noqa: E402
from saohei.orgs.models import Jurisdiction, Unit, User  # noqa: E402

TARGET = 0.2  # seconds: suggestions for one new case among 100,000 (issue 7)
BATCH = 5000
START = datetime.date(2016, 1, 1)
DAYS = 5 * 365

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红建文辉力斌宇浩凯鹏龙飞峰东海林波"
PLANTS = [f"采油{n}厂" for n in "一二三四五六七八九十"] + [f"第{n}采油厂" for n in range(1, 11)]
VILLAGES = ["王家村", "李庄村", "红旗村", "富民村", "张湾村", "前进村", "东升村", "小河村"]
VILLAGES += ["后营村", "新风村", "大柳树村", "高家岭村", "五一村", "团结村", "河西村", "南坡村"]
STREETS = ["中原路", "人民路", "解放路", "建设街", "友谊街", "油田路", "石化街", "东风路"]
CONDUCT = [
    "深夜驾驶改装罐车在输油管线打孔私接阀门盗取原油后转卖给地下炼油点",
    "纠集社会闲散人员强揽工程阻工索要好处费",
    "欺行霸市强迫商户高价购进建材",
    "以套路贷手段非法放贷并暴力催收",
    "敲诈勒索个体商户收取保护费",
    "寻衅滋事殴打他人致人轻伤",
    "非法采砂威胁阻拦群众举报",
    "私拉电线盗用电力抽取油井原油",
]
DETAILS = ["群众反映强烈", "涉案金额约{n}万元", "已持续{n}年", "受害商户{n}余家", "有视频为证"]


def pad(text: str, width: int) -> str:
    wide = sum(unicodedata.east_asian_width(c) in "WF" for c in text)
    return text + " " * max(0, width - len(text) - wide)


def fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    return f"{seconds * 1000:.1f} ms"


def best_of(fn, repeat: int):
    result = fn()  # warm-up
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def id_number(rng: random.Random, i: int) -> str:
    birth = START.replace(year=1960) + datetime.timedelta(days=i % 15000)
    first17 = f"230602{birth:%Y%m%d}{i % 1000:03d}"
    return first17 + check_character(first17)


def setup_org():
    city = Jurisdiction.objects.create(name="测试市", code="239900")
    districts = [
        Jurisdiction.objects.create(name=name, code=f"23990{i + 1}", parent=city)
        for i, name in enumerate(["北湖区", "南郊区"])
    ]
    police = [
        Unit.objects.create(name=f"{d.name}公安分局", kind=UnitKind.POLICE, jurisdiction=d)
        for d in districts
    ]
    user = User.objects.create_user(username="bench", password="x", unit=police[0])
    return districts, police, user


class Generator:
    def __init__(self, rng: random.Random, districts, police, user):
        self.rng, self.districts, self.police, self.user = rng, districts, police, user
        self.persons: list[tuple[int, str, str]] = []  # (pk, name, id number)
        self.vehicles: list[int] = []
        self.phones: list[int] = []
        self.orgs: list[tuple[int, str]] = []

    def entities(self, persons: int, vehicles: int, phones: int, orgs: int) -> None:
        rng, j = self.rng, self.districts[0]
        rows = []
        for i in range(persons):
            name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2))))
            rows.append(Person(name=name, id_number=id_number(rng, i), jurisdiction=j))
        for start in range(0, len(rows), BATCH):
            Person.objects.bulk_create(rows[start : start + BATCH])
        self.persons = list(Person.objects.values_list("pk", "name", "id_number"))
        Vehicle.objects.bulk_create(
            (Vehicle(plate=f"黑E·{i:05d}", jurisdiction=j) for i in range(vehicles)), BATCH
        )
        Phone.objects.bulk_create(
            (Phone(number=f"139{i:08d}", jurisdiction=j) for i in range(phones)), BATCH
        )
        Organization.objects.bulk_create(
            (Organization(name=f"鑫源{i}号贸易有限公司", jurisdiction=j) for i in range(orgs)),
            BATCH,
        )
        self.vehicles = list(Vehicle.objects.values_list("pk", flat=True))
        self.phones = list(Phone.objects.values_list("pk", flat=True))
        self.orgs = list(Organization.objects.values_list("pk", "name"))

    def case_fields(self, n: int, on: datetime.date, district: int, persons) -> dict:
        rng = self.rng
        oil = rng.random() < 0.3
        conduct = CONDUCT[0 if oil and rng.random() < 0.6 else rng.randrange(len(CONDUCT))]
        site = f"{rng.choice(PLANTS)}{rng.randrange(1, 60)}号井" if oil else ""
        place = rng.choice(VILLAGES + STREETS)
        names = "、".join(p[1] for p in persons)
        detail = rng.choice(DETAILS).format(n=rng.randrange(2, 90))
        summary = f"{names}等人在{place}{conduct}，{detail}"
        return {
            "number": f"AJ{on.year}-{n:07d}",
            "name": f"{persons[0][1]}等{len(persons)}人案",
            "jurisdiction": self.districts[district],
            "kind": CaseKind.ORDINARY,
            "summary": summary,
            "opened_on": on,
            "opened_by": self.user,
            "opening_unit": self.police[district],
            "handling_unit": self.police[district],
            "stage_since": on,
            "is_oil": oil,
            "oil_sites": site,
        }

    def cases(self, count: int) -> None:
        rng = self.rng
        made = 0
        while made < count:
            size = min(BATCH, count - made)
            cases, plans = [], []
            for i in range(size):
                n = made + i
                on = START + datetime.timedelta(days=rng.randrange(DAYS))
                persons = rng.sample(self.persons, rng.randint(2, 4))
                fields = self.case_fields(n, on, n % 2, persons)
                cases.append(Case(**fields))
                plans.append((persons, fields))
            Case.objects.bulk_create(cases)
            self.write_links(cases, plans)
            made += size
            print(f"  {made:,} cases", end="\r", flush=True)
        print()

    def write_links(self, cases, plans) -> None:
        rng = self.rng
        mentions, suspects, traces, places = [], [], [], []
        for case, (persons, fields) in zip(cases, plans, strict=True):
            for pk, _name, _id in persons:
                mentions.append(Mention(case=case, person_id=pk, role="subject"))
            org_name = ""
            if rng.random() < 0.3:
                mentions.append(
                    Mention(case=case, vehicle_id=rng.choice(self.vehicles), role="other")
                )
            if rng.random() < 0.3:
                mentions.append(Mention(case=case, phone_id=rng.choice(self.phones), role="other"))
            if rng.random() < 0.1:
                org_pk, org_name = rng.choice(self.orgs)
                mentions.append(Mention(case=case, organization_id=org_pk, role="other"))
            leader = persons[0]
            suspects.append(
                Suspect(case=case, name=leader[1], id_number=leader[2], role=SuspectRole.LEADER)
            )
            names = [p[1] for p in persons] + ([org_name] if org_name else [])
            tokens = place_tokens([fields["oil_sites"]], [fields["summary"]], names)
            traces.append(
                Trace(
                    case=case,
                    jurisdiction=fields["jurisdiction"],
                    on=fields["opened_on"],
                    method=method_text(fields["summary"], [*names, *tokens]),
                )
            )
            places.append(tokens)
        Mention.objects.bulk_create(mentions)
        Suspect.objects.bulk_create(suspects)
        Trace.objects.bulk_create(traces)
        TracePlace.objects.bulk_create(
            TracePlace(trace=trace, token=token, on=trace.on)
            for trace, tokens in zip(traces, places, strict=True)
            for token in tokens
        )


def new_case(gen: Generator, n: int) -> Case:
    """A case opened in the middle of the period, like many before it: two persons already
    mentioned elsewhere, a vehicle already named, an oil well already named, a common method."""
    rng = gen.rng
    earlier = Case.objects.filter(is_oil=True, jurisdiction=gen.districts[0]).order_by("?")[:1]
    other = earlier.get()
    persons = list(
        Mention.objects.filter(case=other, person__isnull=False).values_list(
            "person_id", "person__name", "person__id_number"
        )[:2]
    )
    on = other.opened_on + datetime.timedelta(days=rng.randrange(-60, 60))
    fields = gen.case_fields(10_000_000 + n, on, 0, persons)
    fields["oil_sites"] = other.oil_sites
    case = Case.objects.create(**fields)  # signals: refresh on commit (autocommit: now)
    for pk, _name, _id in persons:
        Mention.objects.create(case=case, person_id=pk, role="subject")
    Mention.objects.create(case=case, vehicle_id=rng.choice(gen.vehicles), role="other")
    return case


def floor(person_id: int):
    return list(Mention.objects.filter(person_id=person_id).values_list("clue_id", "case_id"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--new", type=int, default=5, help="new cases timed")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs (the best is shown)")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    if args.cases < 100:
        parser.error("--cases must be at least 100")

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    gen = Generator(rng, *setup_org())
    print(f"generating {args.cases:,} cases and their entities ({connection.vendor})", flush=True)
    start = time.perf_counter()
    gen.entities(
        persons=max(100, args.cases * 6 // 10),
        vehicles=max(20, args.cases // 5),
        phones=max(20, args.cases * 3 // 10),
        orgs=max(10, args.cases // 20),
    )
    gen.cases(args.cases)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"generated in {fmt(time.perf_counter() - start)}: {Case.objects.count():,} cases, "
        f"{Mention.objects.count():,} mentions, {Person.objects.count():,} persons, "
        f"{TracePlace.objects.count():,} place tokens"
    )
    print(
        f"{pad('new case', 34)} {'suggest_for':>11} {'floor':>9} {'refresh':>9}   found  "
        f"target < {fmt(TARGET)}"
    )
    worst = 0.0
    for n in range(args.new):
        case = new_case(gen, n)
        person_id = Mention.objects.filter(case=case, person__isnull=False).values_list(
            "person_id", flat=True
        )[0]
        floor_s, _rows = best_of(lambda p=person_id: floor(p), args.repeat)
        seconds, found = best_of(lambda c=case: suggest_for(c), args.repeat)
        start = time.perf_counter()
        refresh(case)
        refresh_s = time.perf_counter() - start
        worst = max(worst, seconds)
        kinds = sorted({r.code for s in found for r in s.reasons})
        print(
            f"{pad(case.number, 34)} {fmt(seconds):>11} {fmt(floor_s):>9} {fmt(refresh_s):>9}"
            f"   {len(found):>5}  {'ok' if seconds < TARGET else 'MISSED'} ({', '.join(kinds)})",
            flush=True,
        )
    print(
        f"worst suggest_for {fmt(worst)} among {args.cases:,} cases: "
        f"{'ok' if worst < TARGET else 'MISSED'} (target < {fmt(TARGET)}); floor = one indexed "
        f"look-up of one person's mentions"
    )
    connection.close()
    if args.keep:
        print(f"kept in {TMP}")
    else:
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
