"""Demo portal reports, so that `make demo` shows both sides of the portal.

Their receipt codes are fixed (docs/intake.md lists them) so that a newcomer can try the
reporter's page; a real report always gets a random code shown once.
- 2019 0630 0000 0001: an anonymous report awaiting routing, with a photo (its GPS removed),
  a question from the office and the reporter's answer;
- 2019 0630 0000 0002: a named report on oil theft, verified and concluded, with the feedback
  on the reporter's page and a reward approved for collection.
"""

from __future__ import annotations

import io
import random
from decimal import Decimal

from PIL import Image

from saohei.clues import actions, supervision
from saohei.clues.choices import Finding
from saohei.orgs.models import Unit, User

from . import files, services
from .models import MessageKind, Report

DEMO_CODES = ("2019063000000001", "2019063000000002")


def _photo() -> bytes:
    image = Image.new("RGB", (480, 320), (120, 110, 90))
    exif = Image.Exif()
    exif[0x010F] = "HUAWEI"
    exif[0x8825] = {1: "N", 2: (46.0, 35.0, 12.0), 3: "E", 4: (125.0, 1.0, 30.0)}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif)
    return out.getvalue()


class _Upload(io.BytesIO):
    def __init__(self, name: str, data: bytes):
        super().__init__(data)
        self.name, self.size = name, len(data)


def seed(rng: random.Random, scale: int = 1) -> dict:
    if Report.objects.exists() or not User.objects.filter(username="office_staff").exists():
        return {"portal_reports": 0}
    office = User.objects.get(username="office_staff")
    sand, _code = services.submit(
        {
            "anonymous": True,
            "subjects": "孙大强、兴达砂石有限公司",
            "subject_details": "孙大强绰号“强哥”，开黑色越野车",
            "category": "evil_force",
            "behaviours": ["violence", "land"],
            "place_area": "长青镇",
            "place_detail": "红旗村东河道砂场",
            "when": "ongoing",
            "when_detail": "今年三月以来",
            "description": "孙大强纠集十余人在红旗村东河道非法采砂，拉沙司机不交“过路费”就被殴打。",
            "umbrella": "yes",
            "umbrella_who": "长青镇某干部",
            "umbrella_what": "群众多次反映，镇里一直不管，有人说他收了砂场的钱。",
        },
        [files.clean(_Upload("IMG_0412.jpg", _photo()))],
        code=DEMO_CODES[0],
    )
    question = services.office_post(
        sand, office, MessageKind.QUESTION, "拉沙司机被打是哪一天？有没有人受伤住院？"
    )
    services.reporter_post(
        sand, MessageKind.ANSWER, "6月1日下午，一名司机头部受伤，在区医院住院。", answers=question
    )

    oil, _code = services.submit(
        {
            "anonymous": False,
            "name": "赵建国",
            "phone": "13904590000",
            "subjects": "刘二虎",
            "category": "oil",
            "behaviours": ["oil"],
            "place_area": "油田街道",
            "place_detail": "采油三厂北侧",
            "when": "month",
            "description": "刘二虎等人夜里开罐车到采油三厂北侧的井场偷油，已经好几次了。",
            "umbrella": "no",
        },
        [],
        code=DEMO_CODES[1],
    )
    police = Unit.objects.get(short_name="油田分局")
    handler = User.objects.get(username="police_yt")
    leader = User.objects.get(username="police_yt_chief")
    clue = oil.clue
    actions.assign(clue, office, police)
    actions.accept(clue, handler)
    actions.request_conclusion(
        clue,
        handler,
        finding=Finding.SUBSTANTIATED,
        result="已抓获盗油嫌疑人刘二虎等3人，追回原油1.2吨，案件已移送审查起诉。",
    )
    actions.approve(clue, leader)
    reward = supervision.propose_reward(
        clue, office, amount=Decimal("3000"), basis="举报查证属实，协助破获盗油案件"
    )
    supervision.decide_reward(reward, User.objects.get(username="office_head"), approve=True)
    return {"portal_reports": 2}
