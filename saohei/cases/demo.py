"""Demo cases, transfers and discipline disposals shaped like the campaign briefing (DESIGN §0).

Loaded after the clue demo, from its clues where that is natural:
- two 9-person gangs broken up and judged: one for picking quarrels (寻衅滋事), one for
  extortion (敲诈勒索) with 4 vehicles confiscated and 700,000 yuan of fines;
- the oil-field campaign: 3 theft cases, 5 suspects, 4.63 tonnes of crude oil recovered and
  330 crypto-mining machines seized, one case still unsolved;
- 10 court officials investigated by the discipline commission as protective umbrellas, one
  umbrella case linked to the extortion gang's umbrella check;
- transfers: none between the police and the discipline commission by the briefing day (the
  briefing's complaint), a few both ways afterwards; the office's transfers of industry
  disorder to regulators, answered on time, late, returned or never signed for;
- the discipline commission's disposals of umbrella clues in several of its four ways.

A few recent items give today's to-do lists work: a gang case that cannot close because its
umbrella check is not recorded (the new-user story), a case handed to the court days ago, a
check for a regulator to record, a disposal awaiting sign-off, overdue transfers.

Every workflow step goes through the action functions with a dated `at=`/`on=`, so histories
and figures as of any past day are consistent. Suspects, assets and officials have no
workflow and are created as rows.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from saohei.clues import actions as clue_actions
from saohei.clues.choices import Category, Channel, Finding, Source
from saohei.clues.demo import BRIEFING_DAY, _unit_names
from saohei.clues.models import Clue, Industry
from saohei.core.synthetic import chinese_name, id_number, plate
from saohei.core.workdays import add_workdays
from saohei.orgs.choices import UnitKind
from saohei.orgs.models import Unit, User
from saohei.transfers import actions as transfer_actions
from saohei.transfers.choices import TransferKind
from saohei.transfers.models import Transfer

from . import actions, discipline
from .choices import (
    AssetKind,
    AssetMeasure,
    CaseKind,
    CheckPart,
    CheckStatus,
    ClosingReason,
    DisposalWay,
    OfficialOutcome,
    OfficialRank,
    SuspectOutcome,
    SuspectRole,
)
from .defaults import ensure_default_lists
from .models import Asset, Case, Charge, Disposal, Official, Suspect

COURT = "北湖区人民法院"
OIL_TANKER = "黑E·5T782"  # the tanker of both solved oil thefts (saohei.entities.demo links it)
DAY = datetime.timedelta(days=1)


def _at(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _masked(name: str) -> str:
    """How published typical cases name defendants: 邱某某."""
    return name[0] + "某某"


class _Demo:
    def __init__(self, rng: random.Random):
        self.rng = rng
        self.today = timezone.localdate()
        names = _unit_names()
        self.units = {key: Unit.objects.get(name=name) for key, name in names.items()}
        self._users: dict[str, User] = {}
        self.used_clues: set[int] = set()
        self.counts = {"cases": 0, "transfers": 0, "disposals": 0}

    # People, units, lists ---------------------------------------------------------------

    def user(self, username: str) -> User:
        if username not in self._users:
            self._users[username] = User.objects.select_related("unit").get(username=username)
        return self._users[username]

    def handler(self, unit_key: str) -> User:
        return self.user({"office": "office_staff"}.get(unit_key, unit_key))

    def charges(self, *names: str) -> list[Charge]:
        return [Charge.objects.get(name=n) for n in names]

    def names(self, n: int, taken=()) -> list[str]:
        seen, out = set(taken), []
        while len(out) < n:
            name = chinese_name(self.rng)
            if name not in seen:
                seen.add(name)
                out.append(name)
        return out

    def jitter(self, low: int, high: int) -> datetime.timedelta:
        return datetime.timedelta(days=self.rng.randint(low, high))

    # Clues ------------------------------------------------------------------------------

    def pick_clues(
        self,
        category: str,
        *,
        n: int,
        unit_kind: str,
        prefer: str | None = None,
        contains: str = "",
        received_before: datetime.date = BRIEFING_DAY,
        received_after: datetime.date | None = None,
    ) -> list[Clue]:
        """Up to n clues not used yet, held by a unit of `unit_kind`: unfounded ones last,
        then the `prefer` unit's before others', oldest first."""
        qs = Clue.objects.filter(
            category=category,
            assigned_unit__kind=unit_kind,
            received_on__lt=received_before,
            summary__contains=contains,
        ).exclude(status__in=("received", "merged"))
        if received_after:
            qs = qs.filter(received_on__gt=received_after)
        preferred = self.units[prefer].pk if prefer else None
        clues = sorted(
            (c for c in qs.select_related("assigned_unit") if c.pk not in self.used_clues),
            key=lambda c: (
                c.finding == Finding.UNFOUNDED,
                c.assigned_unit_id != preferred,
                c.received_on,
                c.number,
            ),
        )[:n]
        self.used_clues.update(c.pk for c in clues)
        return sorted(clues, key=lambda c: (c.received_on, c.number))

    def new_clue(self, *, received: datetime.date, category: str, unit_key: str, **fields) -> Clue:
        """A clue registered by the office, routed to `unit_key` and accepted there."""
        office = self.user("office_staff")
        clue = clue_actions.register(
            office,
            received_on=received,
            at=_at(received),
            source=Source.PUBLIC,
            channel=Channel.LETTER,
            category=category,
            industry=Industry.objects.get(name="其他"),
            anonymous=True,
            **fields,
        )
        clue_actions.assign(clue, office, self.units[unit_key], at=_at(received + DAY, 10))
        clue_actions.accept(clue, self.handler(unit_key), at=_at(received + 2 * DAY, 11))
        self.used_clues.add(clue.pk)
        return clue

    def bring(self, clues: list[Clue], unit_key: str, day: datetime.date) -> None:
        """Clues verified by another unit are transferred to the one that opens the case."""
        for clue in clues:
            if clue.assigned_unit_id == self.units[unit_key].pk:
                continue
            sender = self.handler(_key_of(self.units, clue.assigned_unit_id))
            self.transfer(
                sender,
                unit_key,
                TransferKind.JURISDICTION,
                f"该线索反映的{clue.subjects}等人违法犯罪问题属贵局管辖，"
                "与贵局掌握的同类线索系同一团伙所为，移交贵局并案侦查。",
                day - 3 * DAY,
                clue=clue,
                acknowledged=day - 2 * DAY,
                answered=(day, "已签收，并案侦查，已立为刑事案件。"),
            )

    # Cases ------------------------------------------------------------------------------

    def open(self, username: str, day: datetime.date, **fields) -> Case:
        case = actions.open_case(self.user(username), opened_on=day, at=_at(day, 10), **fields)
        self.counts["cases"] += 1
        return case

    def move(self, case: Case, step: str, username: str, day: datetime.date, **kw) -> None:
        unit = kw.pop("unit", None)
        actions.move(
            case,
            step,
            self.user(username),
            unit=self.units[unit] if unit else None,
            at=_at(day, 15),
            **kw,
        )

    def check(
        self,
        case: Case,
        part: str,
        username: str,
        day: datetime.date,
        result: str,
        *,
        status: str = CheckStatus.DONE,
        discipline_case: Case | None = None,
    ) -> None:
        actions.record_check(
            case.checks.get(part=part),
            self.user(username),
            status=status,
            result=result,
            discipline_case=discipline_case,
            on=day,
        )

    def give_check(self, case: Case, part: str, unit_key: str) -> None:
        actions.reassign_check(
            case.checks.get(part=part), self.user("office_staff"), self.units[unit_key]
        )

    def suspects(self, case: Case, people: list[tuple[str, str, str, str]]) -> None:
        """people: (name, role, outcome, sentence)."""
        for name, role, outcome, sentence in people:
            Suspect.objects.create(
                case=case,
                name=name,
                id_number=id_number(self.rng),
                role=role,
                outcome=outcome,
                sentence=sentence,
            )

    def officials(self, case: Case, rows: list[tuple[str, str, str, str, datetime.date | None]]):
        """rows: (name, position, rank, outcome, decided on)."""
        for name, position, rank, outcome, on in rows:
            Official.objects.create(
                case=case,
                name=name,
                employer=COURT,
                position=position,
                rank=rank,
                outcome=outcome,
                outcome_on=on,
            )

    def typical(self, case: Case, summary: str) -> None:
        case.is_typical, case.typical_summary = True, summary
        case.save(update_fields=["is_typical", "typical_summary", "updated_at"])

    # Transfers and disposals ------------------------------------------------------------

    def transfer(
        self,
        sender: User,
        to_key: str,
        kind: str,
        reason: str,
        day: datetime.date,
        *,
        clue: Clue | None = None,
        case: Case | None = None,
        acknowledged: datetime.date | None = None,
        answered: tuple[datetime.date, str] | None = None,
        returned: tuple[datetime.date, str] | None = None,
    ) -> Transfer:
        t = transfer_actions.send(
            sender,
            to_unit=self.units[to_key],
            kind=kind,
            reason=reason,
            clue=clue,
            case=case,
            at=_at(day, 10),
        )
        receiver = self.handler(to_key)
        if acknowledged:
            transfer_actions.acknowledge(t, receiver, at=_at(acknowledged, 9))
        if answered:
            transfer_actions.answer(t, receiver, text=answered[1], at=_at(answered[0], 16))
        if returned:
            transfer_actions.return_transfer(
                t, receiver, reason=returned[1], at=_at(returned[0], 16)
            )
        self.counts["transfers"] += 1
        return t

    def dispose(
        self,
        clue: Clue,
        way: str,
        reason: str,
        proposed: datetime.date,
        *,
        signed: datetime.date | None = None,
    ) -> Disposal:
        """Proposed by an inspector and, when `signed`, approved by a leader; the story
        completes it (discipline.complete) when its result is known."""
        d = discipline.propose(clue, self.user("discipline"), way=way, reason=reason)
        # propose() has no `at=`: date the proposal as the history says it happened.
        Disposal.objects.filter(pk=d.pk).update(created_at=_at(proposed, 10))
        if signed:
            discipline.sign_off(
                d, self.user("discipline_chief"), approve=True, note="同意。", at=_at(signed, 11)
            )
        self.counts["disposals"] += 1
        return d


def _key_of(units: dict[str, Unit], unit_id: int) -> str:
    return next(k for k, u in units.items() if u.pk == unit_id)


def _town_for(units: dict[str, Unit], place: str) -> str:
    for key, unit in units.items():
        if key.startswith("town_") and place.startswith(unit.short_name):
            return key
    return "town_beihu"


# The stories --------------------------------------------------------------------------------


def _quarrel_gang(d: _Demo) -> Case:
    """9-person evil-force gang picking quarrels (寻衅滋事), opened by 北湖分局 from two clues,
    judged; the umbrella check found no protective umbrella."""
    clues = d.pick_clues(
        Category.EVIL_FORCE, n=2, unit_kind=UnitKind.POLICE, prefer="police_bh", contains="寻衅"
    )
    latest = max((c.received_on for c in clues), default=datetime.date(2018, 11, 20))
    opened = latest + d.jitter(9, 12)
    d.bring(clues, "police_bh", opened)
    place = clues[0].place if clues else "北湖街道"
    leader = clues[0].subjects if clues else d.names(1)[0]
    known = [c.subjects for c in clues[1:] if c.subjects != leader]
    others = known + d.names(8 - len(known), taken=[leader, *known])
    core, members = others[:2], others[2:]
    case = d.open(
        "police_bh",
        opened,
        name=f"{leader}等9人寻衅滋事案",
        kind=CaseKind.EVIL_GANG,
        charges=d.charges("寻衅滋事", "故意伤害"),
        clues=clues,
        summary=(
            f"2016年以来，{leader}纠集{'、'.join(core)}等人，在{place}一带多次随意殴打他人、"
            "追逐拦截、强拿硬要、任意损毁公私财物，形成以其为首的恶势力团伙，"
            "严重扰乱当地社会秩序。"
        ),
    )
    years = ["一年六个月", "二年", "一年三个月", "一年", "二年六个月", "一年八个月"]
    d.suspects(
        case,
        [(leader, SuspectRole.LEADER, SuspectOutcome.SENTENCED, "有期徒刑六年六个月")]
        + [
            (n, SuspectRole.CORE, SuspectOutcome.SENTENCED, s)
            for n, s in zip(core, ["有期徒刑四年", "有期徒刑三年六个月"], strict=True)
        ]
        + [
            (n, SuspectRole.MEMBER, SuspectOutcome.SENTENCED, f"有期徒刑{y}")
            for n, y in zip(members, years, strict=True)
        ],
    )
    d.check(
        case,
        CheckPart.CRIME,
        "police_bh",
        opened + 55 * DAY,
        "已查清该团伙9名成员的组织结构和寻衅滋事、故意伤害等犯罪事实12起，9人全部到案。",
    )
    town = _town_for(d.units, place)
    d.give_check(case, CheckPart.FAILURE, town)
    d.check(
        case,
        CheckPart.FAILURE,
        town,
        opened + 45 * DAY,
        "经查，所在社区对该团伙长期滋事排查上报不力，已对社区党组织书记进行约谈，"
        "并建立重点人员排查台账。",
    )
    d.check(
        case,
        CheckPart.UMBRELLA,
        "discipline",
        opened + 50 * DAY,
        "经区纪委监委核查该团伙案发以来的报警、处警、诉讼记录及与公职人员的往来，"
        "未发现公职人员为其充当保护伞。",
    )
    d.move(case, "prosecute", "police_bh", opened + 60 * DAY, unit="procuratorate")
    d.move(case, "indict", "procuratorate", opened + 95 * DAY, unit="court")
    d.move(case, "close", "court", opened + 145 * DAY, closing_reason=ClosingReason.JUDGMENT)
    d.typical(
        case,
        f"{_masked(leader)}等9人寻衅滋事案：2016年以来，被告人{_masked(leader)}纠集"
        f"{_masked(core[0])}等8人，在当地多次随意殴打他人、强拿硬要，形成恶势力团伙。"
        f"公安机关依法立案侦查，9人全部到案；法院以寻衅滋事罪判处{_masked(leader)}"
        "有期徒刑六年六个月，其余8人分别被判处一年至四年不等的有期徒刑。",
    )
    return case


def _extortion_gang(d: _Demo) -> tuple[Case, Case]:
    """9-person extortion gang (敲诈勒索) with 4 vehicles confiscated and 700,000 yuan of
    fines; its umbrella check found court officials, investigated in an umbrella case."""
    clues = d.pick_clues(
        Category.EVIL_FORCE, n=2, unit_kind=UnitKind.POLICE, prefer="police_bh", contains="敲诈"
    )
    latest = max((c.received_on for c in clues), default=datetime.date(2018, 11, 30))
    opened = latest + d.jitter(8, 12)
    d.bring(clues, "police_bh", opened)
    place = clues[-1].place if clues else "长青镇红旗村"
    leader = clues[-1].subjects if clues else d.names(1)[0]
    known = [c.subjects for c in clues[:-1] if c.subjects != leader]
    others = known + d.names(8 - len(known), taken=[leader, *known])
    core = others[:3]
    case = d.open(
        "police_bh",
        opened,
        name=f"{leader}等9人敲诈勒索案",
        kind=CaseKind.EVIL_GROUP,
        charges=d.charges("敲诈勒索", "强迫交易", "寻衅滋事"),
        clues=clues,
        summary=(
            f"{leader}为首，{'、'.join(core)}为骨干，纠集多人在{place}一带以收取“保护费”、"
            "强行入股、威胁恐吓等手段，长期向个体商户敲诈勒索财物，作案三十余起，"
            "涉案金额一百余万元，形成较为固定的恶势力犯罪集团。"
        ),
    )
    plates = [plate(d.rng) for _ in range(4)]
    fines = [200000] + [100000] * 3 + [40000] * 5
    sentences = ["有期徒刑八年"] + ["有期徒刑五年", "有期徒刑四年六个月", "有期徒刑四年"]
    sentences += [
        "有期徒刑二年",
        "有期徒刑一年六个月",
        "有期徒刑二年",
        "有期徒刑一年",
        "有期徒刑一年",
    ]
    roles = [SuspectRole.LEADER] + [SuspectRole.CORE] * 3 + [SuspectRole.MEMBER] * 5
    d.suspects(
        case,
        [
            (n, r, SuspectOutcome.SENTENCED, f"{s}，并处罚金人民币{f // 10000}万元")
            for n, r, s, f in zip([leader, *others], roles, sentences, fines, strict=True)
        ],
    )
    d.check(
        case,
        CheckPart.CRIME,
        "police_bh",
        opened + 65 * DAY,
        "已查清该犯罪集团敲诈勒索、强迫交易犯罪事实31起，9名成员全部到案，"
        "扣押作案车辆4辆，查扣涉案资金。",
    )
    d.give_check(case, CheckPart.FAILURE, "reg_market")
    d.check(
        case,
        CheckPart.FAILURE,
        "reg_market",
        opened + 60 * DAY,
        "区市场监管局对涉案市场日常巡查不到位、对商户投诉处置不力，"
        "已对市场管理所负责人诫勉谈话，并开展市场秩序专项整治。",
    )
    # The umbrella behind it: a court clue the commission verified, then a case.
    umbrella_clues = d.pick_clues(
        Category.UMBRELLA, n=1, unit_kind=UnitKind.DISCIPLINE, received_before=opened
    )
    uclue = umbrella_clues[0] if umbrella_clues else None
    u_opened = max(opened + 25 * DAY, (uclue.received_on + 40 * DAY) if uclue else opened)
    disposal = None
    if uclue:
        disposal = d.dispose(
            uclue,
            DisposalWay.PRELIMINARY,
            "反映问题具体，有可查性，拟予初步核实。",
            u_opened - 20 * DAY,
            signed=u_opened - 18 * DAY,
        )
    chief = uclue.subjects if uclue else d.names(1)[0]
    others = d.names(3, taken=[chief])
    umbrella = d.open(
        "discipline",
        u_opened,
        name=f"{COURT}执行局副局长{chief}等4人充当保护伞案",
        kind=CaseKind.UMBRELLA,
        charges=d.charges("受贿", "滥用职权"),
        clues=[uclue] if uclue else [],
        protects=case,
        summary=(
            f"{chief}等人利用执行、审判工作便利，收受{leader}等人财物，为其拖延执行、"
            "通风报信，充当恶势力犯罪集团的“保护伞”。"
        ),
    )
    if disposal:
        discipline.complete(
            disposal,
            d.user("discipline"),
            result="经初步核实，反映问题基本属实，已立案审查调查。",
            case=umbrella,
            on=u_opened,
        )
    u_closed = u_opened + 150 * DAY
    d.officials(
        umbrella,
        [
            (chief, "执行局副局长", OfficialRank.SECTION, OfficialOutcome.JUDICIAL, u_closed),
            (others[0], "执行员", OfficialRank.STAFF, OfficialOutcome.PARTY, u_closed),
            (others[1], "审判员", OfficialRank.STAFF, OfficialOutcome.GOVERNMENT, u_closed),
            (others[2], "书记员", OfficialRank.STAFF, OfficialOutcome.ORGANIZATIONAL, u_closed),
        ],
    )
    d.check(
        case,
        CheckPart.UMBRELLA,
        "discipline",
        u_opened + 30 * DAY,
        f"查实{COURT}执行局副局长{chief}等4人为该集团充当保护伞，已立案审查调查。",
        discipline_case=umbrella,
    )
    prosecuted = opened + 70 * DAY
    indicted = prosecuted + 35 * DAY
    closed = max(indicted + 55 * DAY, u_opened + 40 * DAY)
    d.move(case, "prosecute", "police_bh", prosecuted, unit="procuratorate")
    d.move(case, "indict", "procuratorate", indicted, unit="court")
    d.move(case, "close", "court", closed, closing_reason=ClosingReason.JUDGMENT)
    Asset.objects.create(
        case=case,
        kind=AssetKind.VEHICLE,
        measure=AssetMeasure.CONFISCATED,
        count=4,
        description="作案车辆：" + "、".join(plates),
        on=closed,
    )
    Asset.objects.create(
        case=case,
        kind=AssetKind.FINE,
        measure=AssetMeasure.FINED,
        amount=Decimal(sum(fines)),
        description="9名被告人并处罚金合计",
        on=closed,
    )
    d.typical(
        case,
        f"{_masked(leader)}等9人敲诈勒索案：被告人{_masked(leader)}纠集多人，以收取“保护费”、"
        "威胁恐吓等手段长期向个体商户敲诈勒索，形成恶势力犯罪集团。公安机关依法打掉该集团，"
        f"9人全部到案；法院以敲诈勒索罪判处{_masked(leader)}有期徒刑八年，其余8人被判处一年至"
        "五年不等的有期徒刑，共并处罚金70万元，没收作案车辆4辆。"
        "纪检监察机关同步查处为其充当保护伞的法院干部4人。",
    )
    d.move(umbrella, "close", "discipline", u_closed, closing_reason=ClosingReason.DISCIPLINE)
    return case, umbrella


def _oil_cases(d: _Demo) -> list[Case]:
    """The oil-field campaign: 3 theft cases, 5 suspects, 4.63 t of crude oil recovered, 330
    mining machines seized; the third case is still unsolved."""
    clues = d.pick_clues(
        Category.OIL,
        n=2,
        unit_kind=UnitKind.POLICE,
        prefer="police_yt",
        received_before=BRIEFING_DAY - 120 * DAY,
    )
    theft = d.charges("盗窃")
    cases = []
    # 1. Drilling into a well's flow line at night.
    first = clues[:1]
    opened = first[0].received_on + d.jitter(12, 18) if first else datetime.date(2018, 5, 10)
    d.bring(first, "police_yt", opened)
    leader = first[0].subjects if first else d.names(1)[0]
    (partner,) = d.names(1, taken=[leader])
    case = d.open(
        "police_yt",
        opened,
        name=f"{leader}等2人盗窃原油案",
        kind=CaseKind.ORDINARY,
        charges=theft,
        clues=first,
        summary=(
            f"{leader}伙同{partner}，夜间在采油三厂4号井私接管线盗取原油，"
            f"用改装罐车（{OIL_TANKER}）运至外地销售；追回原油1.85吨。"
        ),
        is_oil=True,
        crude_oil_tonnes=Decimal("1.850"),
        oil_sites="采油三厂4号井",
    )
    d.suspects(
        case,
        [
            (leader, SuspectRole.LEADER, SuspectOutcome.SENTENCED, "有期徒刑三年"),
            (partner, SuspectRole.MEMBER, SuspectOutcome.SENTENCED, "有期徒刑一年六个月"),
        ],
    )
    d.move(case, "prosecute", "police_yt", opened + 60 * DAY, unit="procuratorate")
    d.move(case, "indict", "procuratorate", opened + 90 * DAY, unit="court")
    d.move(case, "close", "court", opened + 140 * DAY, closing_reason=ClosingReason.JUDGMENT)
    cases.append(case)
    # 2. Mining bitcoin on the oil field's power and selling its oil. The first case's
    # partner is back, with the same tanker: the two are one series (串并, issue 7).
    first_partner = Suspect.objects.get(case=case, name=partner)
    second = clues[1:2]
    opened = second[0].received_on + d.jitter(8, 12) if second else datetime.date(2018, 12, 14)
    d.bring(second, "police_yt", opened)
    leader = second[0].subjects if second else d.names(1)[0]
    d.names(1, taken=[leader])  # drawn as before, so the rest of the demo stays the same
    case = d.open(
        "police_yt",
        opened,
        name=f"{leader}等2人盗窃原油、电力案",
        kind=CaseKind.ORDINARY,
        charges=theft,
        clues=second,
        summary=(
            f"{leader}伙同{partner}，在采油三厂7号井、12号井旁私搭简易房，"
            "私接油田抽油机供电线路，架设比特币矿机330台昼夜“挖矿”，"
            f"并从井口盗取原油，用改装罐车（{OIL_TANKER}）运出售卖；查扣矿机330台，追回原油2.16吨。"
        ),
        is_oil=True,
        crude_oil_tonnes=Decimal("2.160"),
        oil_sites="采油三厂7号井、采油三厂12号井及供电线路",
    )
    d.suspects(
        case,
        [
            (leader, SuspectRole.LEADER, SuspectOutcome.SENTENCED, "有期徒刑四年"),
            (partner, SuspectRole.MEMBER, SuspectOutcome.SENTENCED, "有期徒刑二年"),
        ],
    )
    again = Suspect.objects.get(case=case, name=partner)
    again.id_number = first_partner.id_number
    again.save()
    Asset.objects.create(
        case=case,
        kind=AssetKind.EQUIPMENT,
        measure=AssetMeasure.SEIZED,
        count=330,
        description="比特币矿机",
        on=opened + 2 * DAY,
    )
    d.move(case, "prosecute", "police_yt", opened + 75 * DAY, unit="procuratorate")
    d.move(case, "indict", "procuratorate", opened + 105 * DAY, unit="court")
    d.move(case, "close", "court", opened + 165 * DAY, closing_reason=ClosingReason.JUDGMENT)
    d.typical(
        case,
        f"{_masked(leader)}等2人盗窃原油、电力案：被告人在油田井场旁私接抽油机供电线路，"
        "架设比特币矿机330台盗用电力“挖矿”，并盗取原油出售。公安机关依法查扣矿机330台，"
        "追回原油2.16吨；法院以盗窃罪分别判处二人有期徒刑四年、二年。",
    )
    cases.append(case)
    # 3. Still unsolved: oil found at a tapped well, the thief at large.
    opened = datetime.date(2019, 4, 16)
    (thief,) = d.names(1)
    case = d.open(
        "police_yt",
        opened,
        name="采油二厂长青作业区15号井原油被盗案",
        kind=CaseKind.ORDINARY,
        charges=theft,
        summary=(
            "采油二厂长青作业区15号井输油管线被人打孔盗油，现场查获装有原油的储油罐，"
            f"追回原油0.62吨；犯罪嫌疑人{thief}在逃，案件仍在侦查。"
        ),
        is_oil=True,
        crude_oil_tonnes=Decimal("0.620"),
        oil_sites="采油二厂长青作业区15号井",
    )
    d.suspects(case, [(thief, SuspectRole.LEADER, SuspectOutcome.AT_LARGE, "")])
    cases.append(case)
    return cases


def _court_umbrella(d: _Demo) -> Case:
    """A court judge's interference in cases: talked to, verified, investigated, sanctioned."""
    clues = d.pick_clues(Category.UMBRELLA, n=1, unit_kind=UnitKind.DISCIPLINE)
    clue = clues[0] if clues else None
    received = clue.received_on if clue else datetime.date(2018, 10, 8)
    opened = received + 55 * DAY
    if clue:
        talk = d.dispose(
            clue,
            DisposalWay.TALK,
            "反映问题较为笼统，拟对被反映人进行函询。",
            received + 10 * DAY,
            signed=received + 12 * DAY,
        )
        discipline.complete(
            talk,
            d.user("discipline"),
            result="被函询人作出书面说明，对违规过问案件问题说明不清，需进一步核实。",
            on=received + 30 * DAY,
        )
        check = d.dispose(
            clue,
            DisposalWay.PRELIMINARY,
            "函询说明与掌握情况不符，拟予初步核实。",
            received + 34 * DAY,
            signed=received + 36 * DAY,
        )
    chief = clue.subjects if clue else d.names(1)[0]
    others = d.names(2, taken=[chief])
    case = d.open(
        "discipline",
        opened,
        name=f"{COURT}审判员{chief}等3人违规干预过问案件案",
        kind=CaseKind.UMBRELLA,
        charges=d.charges("滥用职权", "徇私枉法"),
        clues=[clue] if clue else [],
        summary=(
            f"{chief}等人违规过问、干预涉黑涉恶当事人的民事、执行案件，"
            "收受当事人礼品礼金，造成不良影响。"
        ),
    )
    if clue:
        discipline.complete(
            check,
            d.user("discipline"),
            result="经初步核实，反映问题属实，已立案审查调查。",
            case=case,
            on=opened,
        )
    closed = opened + 150 * DAY
    d.officials(
        case,
        [
            (chief, "审判员", OfficialRank.STAFF, OfficialOutcome.PARTY, closed),
            (
                others[0],
                "民事审判庭副庭长",
                OfficialRank.SECTION,
                OfficialOutcome.GOVERNMENT,
                closed,
            ),
            (others[1], "书记员", OfficialRank.STAFF, OfficialOutcome.ORGANIZATIONAL, closed),
        ],
    )
    d.move(case, "close", "discipline", closed, closing_reason=ClosingReason.DISCIPLINE)
    return case


def _leak_umbrella(d: _Demo) -> Case:
    """Court staff leaking case information, found by an inspection before the briefing day:
    one official dealt with, two still under investigation."""
    opened = datetime.date(2019, 5, 28)
    clerk, judge, deputy = d.names(3)
    case = d.open(
        "discipline",
        opened,
        name=f"{COURT}书记员{clerk}等3人泄露案情案",
        kind=CaseKind.UMBRELLA,
        charges=d.charges("受贿", "滥用职权"),
        summary=(
            f"根据区委巡察移交线索，{clerk}等人涉嫌在办理涉恶案件中向当事人泄露案情、"
            "收受当事人财物。"
        ),
    )
    d.officials(
        case,
        [
            (clerk, "书记员", OfficialRank.STAFF, OfficialOutcome.PENDING, None),
            (judge, "审判员", OfficialRank.STAFF, OfficialOutcome.PENDING, None),
            (
                deputy,
                "立案庭副庭长",
                OfficialRank.SECTION,
                OfficialOutcome.ORGANIZATIONAL,
                opened + 23 * DAY,
            ),
        ],
    )
    return case


def _recent_umbrella_clue(d: _Demo, received: datetime.date, company: str) -> Clue:
    """A recent umbrella clue the commission holds: from the clue demo if it made one around
    that day, otherwise registered now."""
    found = d.pick_clues(
        Category.UMBRELLA,
        n=1,
        unit_kind=UnitKind.DISCIPLINE,
        received_after=received - 30 * DAY,
        received_before=received + DAY,
    )
    found = [c for c in found if c.status == "verifying" and not c.disposals.exists()]
    if found:
        return found[0]
    (name,) = d.names(1)
    return d.new_clue(
        received=received,
        category=Category.UMBRELLA,
        unit_key="discipline",
        subjects=name,
        place="北湖街道",
        summary=f"区法院执行局干部{name}涉嫌收受{company}财物，违规中止执行",
        full_text=f"区法院执行局干部{name}涉嫌收受{company}财物，违规中止执行。请求依法查处。",
    )


def _disposals(d: _Demo) -> None:
    """The commission's other disposals: a clue closed without action long ago, a recent talk
    past its limit, and a recent proposal waiting for a leader's sign-off."""
    for clue in d.pick_clues(Category.UMBRELLA, n=1, unit_kind=UnitKind.DISCIPLINE):
        r = clue.received_on
        disposal = d.dispose(
            clue,
            DisposalWay.CLOSE,
            "反映问题缺乏具体内容，不具备核查条件。",
            r + 8 * DAY,
            signed=r + 9 * DAY,
        )
        discipline.complete(
            disposal,
            d.user("discipline"),
            result="经了解，反映问题查无实据，予以了结。",
            on=r + 12 * DAY,
        )
    today = d.today
    late = _recent_umbrella_clue(d, today - 70 * DAY, "顺通物流公司")
    d.dispose(
        late,
        DisposalWay.TALK,
        "反映问题线索较具体，拟与被反映人谈话了解情况。",
        today - 62 * DAY,
        signed=today - 60 * DAY,
    )
    waiting = _recent_umbrella_clue(d, today - 25 * DAY, "华鑫典当行")
    d.dispose(
        waiting,
        DisposalWay.SHELVE,
        "反映内容笼统，暂不具备核查条件，拟暂存待查，待有新的线索后再行核查。",
        today - 2 * DAY,
    )


def _open_gang_case(d: _Demo) -> Case:
    """A gang-type case at investigation whose umbrella check is still under way: it cannot
    close yet (the new-user story). The police sent the umbrella matter to the commission."""
    start = d.today - 150 * DAY
    (leader,) = d.names(1)
    place = "龙湖街道建材市场"
    clue = d.new_clue(
        received=start,
        category=Category.GANG,
        unit_key="police_bh",
        subjects=leader,
        place=place,
        summary=f"{leader}为首的团伙长期把持{place}装卸运输，涉嫌组织领导黑社会性质组织",
        full_text=(
            f"{leader}为首的团伙长期把持{place}装卸运输业务，强收“装卸费”，"
            "殴打不服从的商户和司机。请求依法查处。"
        ),
    )
    opened = start + 18 * DAY
    others = d.names(6, taken=[leader])
    case = d.open(
        "police_bh",
        opened,
        name=f"{leader}等7人组织、领导、参加黑社会性质组织案",
        kind=CaseKind.GANG_ORG,
        charges=d.charges("组织、领导、参加黑社会性质组织", "强迫交易", "寻衅滋事", "非法拘禁"),
        clues=[clue],
        summary=(
            f"{leader}为首，{'、'.join(others[:2])}为骨干，以暴力、威胁手段长期垄断{place}"
            "装卸运输业务，强收“装卸费”，非法拘禁、殴打不服从的商户和司机，"
            "涉嫌组织、领导、参加黑社会性质组织。"
        ),
    )
    clue_actions.request_conclusion(
        clue,
        d.user("police_bh"),
        finding=Finding.SUBSTANTIATED,
        result="经核查，反映问题属实，已立案侦查。",
        led_to_case=True,
        case_number=case.number,
        at=_at(opened + 3 * DAY, 15),
    )
    clue_actions.approve(clue, d.user("police_bh_chief"), at=_at(opened + 4 * DAY, 9))
    outcomes = [SuspectOutcome.ARRESTED] * 5 + [SuspectOutcome.BAILED, SuspectOutcome.AT_LARGE]
    roles = [SuspectRole.LEADER] + [SuspectRole.CORE] * 2 + [SuspectRole.MEMBER] * 4
    d.suspects(
        case,
        [(n, r, o, "") for n, r, o in zip([leader, *others], roles, outcomes, strict=True)],
    )
    # The police send the umbrella matter they found to the commission, which opens a case.
    (clerk,) = d.names(1)
    d.transfer(
        d.user("police_bh"),
        "discipline",
        TransferKind.UMBRELLA,
        f"侦办{case.name}中发现，{COURT}书记员{clerk}涉嫌向该团伙泄露案情、收受财物，"
        "为其充当保护伞，移送区纪委监委依纪依法处理。",
        opened + 30 * DAY,
        case=case,
        acknowledged=opened + 31 * DAY,
        answered=(opened + 45 * DAY, "已签收，正在开展初步核实，核实结果另行反馈。"),
    )
    d.check(
        case,
        CheckPart.UMBRELLA,
        "discipline",
        opened + 46 * DAY,
        f"根据北湖分局移送线索，正在对{COURT}书记员{clerk}等人开展初步核实，尚未查结。",
        status=CheckStatus.ONGOING,
    )
    d.check(
        case,
        CheckPart.CRIME,
        "police_bh",
        opened + 70 * DAY,
        "已查清该组织的组织结构和强迫交易、寻衅滋事、非法拘禁等违法犯罪事实，6人到案，1人在逃。",
    )
    d.give_check(case, CheckPart.FAILURE, "reg_market")
    d.check(
        case,
        CheckPart.FAILURE,
        "reg_market",
        opened + 72 * DAY,
        "区市场监管局对建材市场装卸经营长期失管，已责成市场开办方整改，对分管负责人进行约谈。",
    )
    d.move(case, "prosecute", "police_bh", opened + 75 * DAY, unit="procuratorate")
    d.move(
        case,
        "return_for_investigation",
        "procuratorate",
        opened + 105 * DAY,
        reason="部分犯罪事实不清、证据不足，在逃人员尚未到案，退回补充侦查。",
    )
    return case


def _at_court(d: _Demo) -> Case:
    """A gang-type case handed to the court days ago; the regulator's check is still to do."""
    opened = d.today - 200 * DAY
    (leader,) = d.names(1)
    others = d.names(4, taken=[leader])
    case = d.open(
        "police_bh",
        opened,
        name=f"{leader}等5人强迫交易案",
        kind=CaseKind.EVIL_GANG,
        charges=d.charges("强迫交易", "寻衅滋事"),
        summary=(
            f"{leader}纠集{'、'.join(others)}，在龙湖街道至油田街道客运线路上"
            "以拦车、威胁等手段强迫乘客换乘其车辆，殴打竞争司机，形成恶势力团伙。"
        ),
    )
    roles = [SuspectRole.LEADER, SuspectRole.CORE] + [SuspectRole.MEMBER] * 3
    d.suspects(
        case,
        [
            (n, r, SuspectOutcome.PROSECUTED, "")
            for n, r in zip([leader, *others], roles, strict=True)
        ],
    )
    d.check(
        case,
        CheckPart.CRIME,
        "police_bh",
        d.today - 120 * DAY,
        "已查清该团伙强迫交易、寻衅滋事犯罪事实14起，5人全部到案。",
    )
    d.check(
        case,
        CheckPart.UMBRELLA,
        "discipline",
        d.today - 95 * DAY,
        "经核查，未发现公职人员为该团伙充当保护伞。",
    )
    d.give_check(case, CheckPart.FAILURE, "reg_transport")
    d.move(case, "prosecute", "police_bh", d.today - 110 * DAY, unit="procuratorate")
    d.move(case, "indict", "procuratorate", d.today - 3 * DAY, unit="court")
    return case


# Transfers -------------------------------------------------------------------------------

REGULATOR_INDUSTRY = {
    "reg_land": "自然资源",
    "reg_transport": "交通运输",
    "reg_housing": "工程建设",
    "reg_market": "市场流通",
}


def _industry_clue(d: _Demo, regulator: str, before: datetime.date) -> Clue | None:
    qs = (
        Clue.objects.filter(
            category=Category.INDUSTRY_DISORDER,
            assigned_unit__isnull=False,
            received_on__lt=before,
        )
        .exclude(assigned_unit=d.units[regulator])
        .exclude(pk__in=d.used_clues)
        .order_by("received_on", "number")
    )
    clue = (
        qs.filter(industry__name=REGULATOR_INDUSTRY[regulator]).first()
        or qs.exclude(assigned_unit__kind=UnitKind.REGULATOR).first()
    )
    if clue:
        d.used_clues.add(clue.pk)
    return clue


def _regulator_transfers(d: _Demo) -> list[tuple]:
    """The office hands industry disorder to the regulators: answered on time, late, returned
    by a unit that did not see the problem as its own, never signed for, and one fresh."""
    office = d.user("office_staff")
    today = d.today
    plan = [
        ("reg_land", datetime.date(2019, 3, 12), "on_time"),
        ("reg_transport", datetime.date(2019, 5, 6), "late"),
        ("reg_housing", datetime.date(2019, 6, 10), "returned"),
        ("reg_transport", today - 40 * DAY, "unanswered"),
        ("reg_market", today - 30 * DAY, "unacknowledged"),
        ("reg_land", today - DAY, "fresh"),
    ]
    planned = []
    for regulator, day, outcome in plan:
        clue = _industry_clue(d, regulator, day - 5 * DAY)
        if clue is None:
            continue
        kw = {}
        if outcome == "on_time":
            kw = {
                "acknowledged": day + DAY,
                "answered": (
                    day + 10 * DAY,
                    "已会同属地镇街开展联合执法，依法查处并责令整改，已建立长效监管台账。",
                ),
            }
        elif outcome == "late":
            t_due = add_workdays(day, transfer_actions.ANSWER_WORKDAYS)
            kw = {
                "acknowledged": day + 4 * DAY,
                "answered": (t_due + 12 * DAY, "已开展专项检查，对相关经营者依法作出行政处罚。"),
            }
        elif outcome == "returned":
            kw = {
                "returned": (
                    day + 6 * DAY,
                    "经研究，该线索反映的强揽工程、阻工索要好处费问题涉嫌违法犯罪，"
                    "不属于本局行业监管职责，建议移送公安机关处理。",
                )
            }
        elif outcome == "unanswered":
            kw = {"acknowledged": day + 2 * DAY}
        reason = (
            f"该线索反映“{clue.summary}”，属行业乱象问题，请贵单位依法履行监管职责，"
            "开展核查整治并按期反馈结果。"
        )
        planned.append(
            (office, regulator, TransferKind.JURISDICTION, reason, day, {"clue": clue, **kw})
        )
    return planned


def _police_discipline_transfers(d: _Demo, u1: Case, u2: Case, unsolved_oil: Case) -> list[tuple]:
    """None by the briefing day; afterwards a few both ways (the police → commission one about
    the open gang case is sent with that case)."""
    commission, planned = d.user("discipline"), []
    day = max(datetime.date(2019, 8, 12), u1.opened_on + 10 * DAY)
    reason = (
        f"审查调查{u1.name}中发现，向涉案法院干部行贿的人员另涉嫌强迫交易犯罪，"
        "移送公安机关依法查处。"
    )
    answered = (day + 18 * DAY, "已受理，经初查已对有关人员强迫交易问题立案侦查。")
    kw = {"case": u1, "acknowledged": day + DAY, "answered": answered}
    planned.append((commission, "police_bh", TransferKind.CRIMINAL, reason, day, kw))
    day = max(datetime.date(2019, 9, 10), unsolved_oil.opened_on + 10 * DAY)
    due = add_workdays(day, transfer_actions.ANSWER_WORKDAYS)
    reason = (
        f"侦办{unsolved_oil.name}中发现，采油厂个别管理人员涉嫌与盗油人员内外勾结、"
        "通风报信，移送区纪委监委核查。"
    )
    answered = (due + 20 * DAY, "经初步核实，暂未发现采油厂管理人员参与盗油的证据，继续关注。")
    kw = {"case": unsolved_oil, "acknowledged": day + 10 * DAY, "answered": answered}
    planned.append((d.user("police_yt"), "discipline", TransferKind.UMBRELLA, reason, day, kw))
    day = d.today - 25 * DAY
    reason = (
        f"审查调查{u2.name}中发现，向涉案法院干部请托的当事人涉嫌以暴力手段强揽油田运输业务，"
        "涉嫌强迫交易犯罪，移送公安机关依法核查。"
    )
    planned.append((commission, "police_yt", TransferKind.CRIMINAL, reason, day, {"case": u2}))
    return planned


# Only with --scale above 1: more ordinary cases, so lists and figures have volume. ---------


def _more_cases(d: _Demo, rep: int) -> None:
    for i in range(6):
        unit = d.rng.choice(["police_bh", "police_yt"])
        opened = datetime.date(2018, 3, 1) + d.jitter(0, 600)
        (leader,) = d.names(1)
        charge = d.rng.choice(["寻衅滋事", "敲诈勒索", "强迫交易", "开设赌场", "故意伤害"])
        case = d.open(
            unit,
            opened,
            name=f"{leader}等人{charge}案",
            kind=CaseKind.ORDINARY,
            charges=d.charges(charge),
            summary=f"{leader}等人涉嫌{charge}（批量演示数据 {rep}-{i}）。",
        )
        people = d.names(d.rng.randint(1, 4), taken=[leader])
        stop = d.rng.choice(["investigation", "prosecution", "trial", "closed"])
        done = stop == "closed"
        d.suspects(
            case,
            [
                (
                    n,
                    SuspectRole.LEADER if j == 0 else SuspectRole.MEMBER,
                    SuspectOutcome.SENTENCED if done else SuspectOutcome.ARRESTED,
                    "有期徒刑一年" if done else "",
                )
                for j, n in enumerate([leader, *people])
            ],
        )
        if stop == "investigation":
            continue
        d.move(case, "prosecute", unit, opened + 60 * DAY, unit="procuratorate")
        if stop == "prosecution":
            continue
        d.move(case, "indict", "procuratorate", opened + 90 * DAY, unit="court")
        if stop == "trial":
            continue
        d.move(case, "close", "court", opened + 140 * DAY, closing_reason=ClosingReason.JUDGMENT)


def seed(rng: random.Random, scale: int = 1) -> dict:
    """Cases, transfers and disposals; idempotent (nothing happens once cases exist)."""
    if Case.objects.exists():
        return {"cases": 0}
    ensure_default_lists()
    d = _Demo(rng)
    _quarrel_gang(d)
    _extortion, u1 = _extortion_gang(d)
    oil = _oil_cases(d)
    u2 = _court_umbrella(d)
    _leak_umbrella(d)
    _disposals(d)
    _open_gang_case(d)
    _at_court(d)
    # Sent in date order, so transfer numbers follow the days they were sent.
    planned = _regulator_transfers(d) + _police_discipline_transfers(d, u1, u2, oil[-1])
    for sender, to_key, kind, reason, day, kw in sorted(planned, key=lambda p: p[4]):
        d.transfer(sender, to_key, kind, reason, day, **kw)
    for rep in range(1, scale):
        _more_cases(d, rep)
    _date_entries()
    return d.counts


def _date_entries() -> None:
    """Suspects, officials and undated assets are entered now, but in the story they were
    recorded a few days after their case was opened. Figures as of a past day count what had
    been entered by then (saohei.reports.figures), so date them as they would have been."""
    for case in Case.objects.all():
        entered = _at(case.opened_on + datetime.timedelta(days=3), hour=16)
        case.suspects.update(created_at=entered)
        case.officials.update(created_at=entered)
        case.assets.filter(on__isnull=True).update(created_at=entered)
