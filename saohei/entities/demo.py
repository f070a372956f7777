"""Demo records (前科劣迹) and a candidate list to screen against them (issue 6).

Four persons with records are listed in the demo candidate list in four disguises — a name
in traditional characters, a homophone, a nickname, an ID number with one wrong digit — beside
clean candidates, so that a new user sees what vetting finds and why. The list is written to
var/demo/候选人名单（演示）.xlsx; its ID numbers are fixed here so it always matches.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook

from saohei.core.synthetic import chinese_name, id_number
from saohei.orgs.models import Unit, User

from .choices import RecordKind
from .matching.ids import check_character
from .models import Mention, Person, Record, Vehicle


def _id(first17: str) -> str:
    return first17 + check_character(first17)


# (name, ID, nicknames, record kind, date, deciding body, description)
FLAGGED = [
    ("陈建国", _id("23060619780415301"), "", RecordKind.GANG_CRIME, datetime.date(2018, 9, 20),
     "北湖区人民法院", "参加恶势力犯罪集团，犯寻衅滋事罪，判处有期徒刑一年六个月"),
    ("张海涛", _id("23060619820703421"), "", RecordKind.CRIMINAL, datetime.date(2011, 4, 12),
     "北湖区人民法院", "盗窃罪，判处有期徒刑一年"),
    ("王建军", _id("23060619750120561"), "王老三、三哥", RecordKind.ADMINISTRATIVE,
     datetime.date(2018, 11, 3), "油城市公安局北湖分局", "殴打他人，行政拘留十日"),
    ("赵红梅", _id("23060619800926602"), "", RecordKind.DISCIPLINE, datetime.date(2017, 6, 8),
     "北湖区纪委监委", "违反廉洁纪律，给予党内严重警告处分"),
]  # fmt: skip


def _slip(number: str) -> str:
    """The same number with its tenth digit mistyped (the birth year's last digit)."""
    digit = "3" if number[9] != "3" else "4"
    return number[:9] + digit + number[10:]


# The demo list: the four in disguise, then clean candidates.
CANDIDATES = [
    ("陳建國", FLAGGED[0][1], "红旗村", "村委会主任", "名字为繁体"),
    ("章海涛", FLAGGED[1][1], "胜利村", "村委委员", "同音字"),
    ("王老三", FLAGGED[2][1], "建设村", "村党支部书记", "以绰号报名"),
    ("赵红梅", _slip(FLAGGED[3][1]), "东风村", "村委委员", "身份证号错一位"),
    ("李清华", _id("23060619880512331"), "红旗村", "村委委员", ""),
    ("孙丽娟", _id("23060619900218204"), "胜利村", "妇联主席", ""),
    ("周志强", _id("23060619791130215"), "建设村", "村务监督委员会主任", ""),
]


def candidate_list_path() -> Path:
    return Path(settings.VAR_DIR) / "demo" / "候选人名单（演示）.xlsx"


def write_candidate_list(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    ws = wb.active
    ws.title = "候选人"
    ws.append(["北湖区2021年村“两委”换届候选人资格审查名单（演示）"])
    ws.append(["姓名", "身份证号", "村/单位", "拟任职务", "备注"])
    for row in CANDIDATES:
        ws.append(list(row))
    ws.column_dimensions["B"].width = 22
    wb.save(path)
    return path


def seed(rng: random.Random, scale: int = 1) -> dict:
    path = write_candidate_list(candidate_list_path())
    if Record.objects.exists():
        return {"records": 0, "candidate_list": str(path)}
    mentions = _case_entities()
    office = Unit.objects.filter(kind="office").order_by("pk").first()
    importer = User.objects.filter(username="office_staff").first()
    if office is None or importer is None:
        return {"records": 0}
    made = 0

    def add(name, number, nicknames, kind, on, body, description):
        nonlocal made
        person = Person.objects.create(
            name=name,
            id_number=number,
            nicknames=nicknames,
            jurisdiction=office.jurisdiction,
            entered_by_unit=office,
        )
        Record.objects.create(
            person=person,
            jurisdiction=office.jurisdiction,
            name=name,
            id_number=number,
            kind=kind,
            decided_on=on,
            deciding_body=body,
            description=description,
            imported_by_unit=office,
            imported_by=importer,
        )
        made += 1

    for row in FLAGGED:
        add(*row)
    court, police = "北湖区人民法院", "油城市公安局北湖分局"
    kinds = [
        (RecordKind.CRIMINAL, court,
         ["故意伤害罪，判处有期徒刑一年", "非法采矿罪，判处拘役六个月",
          "危险驾驶罪，判处拘役二个月"]),
        (RecordKind.ADMINISTRATIVE, police, ["赌博，行政拘留五日", "寻衅滋事，行政拘留七日"]),
        (RecordKind.GANG_CRIME, court, ["参加恶势力团伙，犯敲诈勒索罪，判处有期徒刑二年"]),
        (RecordKind.DISCIPLINE, "北湖区纪委监委", ["违反工作纪律，给予政务警告处分"]),
    ]  # fmt: skip
    for _ in range(36 * scale):
        kind, body, texts = rng.choice(kinds)
        on = datetime.date(2010, 1, 1) + datetime.timedelta(days=rng.randrange(3400))
        add(chinese_name(rng), id_number(rng), "", kind, on, body, rng.choice(texts))
    return {"records": made, "mentions": mentions, "candidate_list": str(path)}


def _case_entities() -> int:
    """Persons for the demo cases' suspects (one person per ID number, so the man caught in
    both oil thefts is one person) and officials, and the oil thieves' tanker, each mentioned
    by its case: what case linking and the networks work from (issue 7)."""
    from saohei.cases.demo import OIL_TANKER
    from saohei.cases.models import Case, Official, Suspect

    by_id: dict[str, Person] = {}
    made = 0

    def person_for(case, name, number="", **fields):
        if number and number in by_id:
            return by_id[number]
        person = Person.objects.create(
            name=name,
            id_number=number,
            jurisdiction=case.jurisdiction,
            entered_by_unit=case.opening_unit,
            **fields,
        )
        if number:
            by_id[number] = person
        return person

    for suspect in Suspect.objects.select_related("case").order_by("case__opened_on", "pk"):
        case = suspect.case
        person = person_for(case, suspect.name, suspect.id_number or "")
        Mention.objects.create(case=case, person=person, role="suspect")
        made += 1
    for official in Official.objects.select_related("case").order_by("pk"):
        case = official.case
        person = person_for(
            case,
            official.name,
            is_public_official=official.is_public_official,
            employer=official.employer,
            position=official.position,
        )
        Mention.objects.create(case=case, person=person, role="official")
        made += 1
    oil = list(Case.objects.filter(is_oil=True, summary__contains=OIL_TANKER).order_by("opened_on"))
    if oil:
        tanker = Vehicle.objects.create(
            plate=OIL_TANKER,
            description="改装罐车",
            jurisdiction=oil[0].jurisdiction,
            entered_by_unit=oil[0].opening_unit,
        )
        for case in oil:
            Mention.objects.create(case=case, vehicle=tanker, role="subject", note="作案车辆")
            made += 1
    return made
