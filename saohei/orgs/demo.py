"""Demo district: a campaign office and its member units, and an account for every role.

Modelled on the district of the campaign briefing (DESIGN §0): two police sub-bureaus (one of
them for the oil field), the procuratorate, the court, the discipline commission, ten industry
regulators and five towns and streets.
"""

from __future__ import annotations

import random

from django.contrib.auth.models import Group

from saohei.core.synthetic import chinese_name, mobile

from .choices import Role, UnitKind
from .models import Jurisdiction, Unit, User

DEMO_PASSWORD = "Saohei#2019"
# The demo accounts whose role requires two-factor login share this published TOTP key, so a
# newcomer adds it once to an authenticator app (or runs `manage.py demo_code`). Demo only:
# real accounts enrol with a random key of their own.
DEMO_TOTP_SECRET = "SAOHEIDEMOSAOHEIDEMOSAOHEIDEMOSA"

CITY = ("油城市", "239900")
DISTRICT = ("北湖区", "239901")

UNITS = [
    # key, name, short name, kind
    ("office", "北湖区扫黑除恶专项斗争领导小组办公室", "区扫黑办", UnitKind.OFFICE),
    ("police_bh", "油城市公安局北湖分局", "北湖分局", UnitKind.POLICE),
    ("police_yt", "油城市公安局油田分局", "油田分局", UnitKind.POLICE),
    ("procuratorate", "北湖区人民检察院", "区检察院", UnitKind.PROCURATORATE),
    ("court", "北湖区人民法院", "区法院", UnitKind.COURT),
    ("discipline", "北湖区纪委监委", "区纪委监委", UnitKind.DISCIPLINE),
    ("reg_land", "北湖区自然资源局", "区自然资源局", UnitKind.REGULATOR),
    ("reg_transport", "北湖区交通运输局", "区交通运输局", UnitKind.REGULATOR),
    ("reg_housing", "北湖区住房和城乡建设局", "区住建局", UnitKind.REGULATOR),
    ("reg_market", "北湖区市场监督管理局", "区市场监管局", UnitKind.REGULATOR),
    ("reg_culture", "北湖区文化广电和旅游局", "区文广旅局", UnitKind.REGULATOR),
    ("reg_education", "北湖区教育局", "区教育局", UnitKind.REGULATOR),
    ("reg_health", "北湖区卫生健康局", "区卫健局", UnitKind.REGULATOR),
    ("reg_agriculture", "北湖区农业农村局", "区农业农村局", UnitKind.REGULATOR),
    ("reg_finance", "北湖区金融工作办公室", "区金融办", UnitKind.REGULATOR),
    ("reg_emergency", "北湖区应急管理局", "区应急局", UnitKind.REGULATOR),
    ("town_beihu", "北湖街道办事处", "北湖街道", UnitKind.TOWNSHIP),
    ("town_longhu", "龙湖街道办事处", "龙湖街道", UnitKind.TOWNSHIP),
    ("town_youtian", "油田街道办事处", "油田街道", UnitKind.TOWNSHIP),
    ("town_changqing", "长青镇人民政府", "长青镇", UnitKind.TOWNSHIP),
    ("town_xinxing", "新兴镇人民政府", "新兴镇", UnitKind.TOWNSHIP),
]

# username, unit key, roles, position
ACCOUNTS = [
    ("office_head", "office", [Role.OFFICE_ADMIN], "区扫黑办主任"),
    ("office_staff", "office", [Role.OFFICE_STAFF], "区扫黑办工作人员"),
    ("custodian", "office", [Role.CLUE_CUSTODIAN, Role.OFFICE_STAFF], "线索管理员"),
    ("leader", "office", [Role.LEADER_VIEWER], "区委政法委书记"),
    ("police_bh", "police_bh", [Role.HANDLER], "刑侦大队民警"),
    ("police_bh_chief", "police_bh", [Role.UNIT_LEADER], "分局副局长"),
    ("police_yt", "police_yt", [Role.HANDLER], "刑侦大队民警"),
    ("procuratorate", "procuratorate", [Role.HANDLER], "检察官"),
    ("court", "court", [Role.HANDLER], "审判员"),
    ("discipline", "discipline", [Role.DISCIPLINE], "纪检监察干部"),
    ("discipline_chief", "discipline", [Role.DISCIPLINE, Role.UNIT_LEADER], "区纪委副书记"),
    ("police_yt_chief", "police_yt", [Role.UNIT_LEADER], "分局副局长"),
    ("procuratorate_chief", "procuratorate", [Role.UNIT_LEADER], "副检察长"),
    ("court_chief", "court", [Role.UNIT_LEADER], "副院长"),
    *[(k, k, [Role.HANDLER], "专项斗争联络员") for k, *_ in UNITS if k.startswith("reg_")],
    *[(k, k, [Role.HANDLER], "综治办主任") for k, *_ in UNITS if k.startswith("town_")],
    # Every unit that verifies clues has a leader who approves conclusions.
    *[
        (f"{k}_chief", k, [Role.UNIT_LEADER], "分管负责人")
        for k, *_ in UNITS
        if k.startswith(("reg_", "town_"))
    ],
    ("sysadmin", "office", [Role.SYSADMIN], "系统管理员"),
    ("secadmin", "office", [Role.SECURITY_ADMIN], "安全保密管理员"),
    ("auditor", "office", [Role.AUDITOR], "安全审计员"),
]


def seed(rng: random.Random, scale: int = 1) -> dict:
    """Create the district, its units and the demo accounts; idempotent."""
    city, _ = Jurisdiction.objects.get_or_create(code=CITY[1], defaults={"name": CITY[0]})
    district, _ = Jurisdiction.objects.get_or_create(
        code=DISTRICT[1], defaults={"name": DISTRICT[0], "parent": city}
    )
    units = {}
    for order, (key, name, short, kind) in enumerate(UNITS):
        units[key], _ = Unit.objects.get_or_create(
            jurisdiction=district,
            name=name,
            defaults={"short_name": short, "kind": kind, "sort_order": order},
        )
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    created = []
    for username, unit_key, roles, title in ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(
                username=username,
                full_name=chinese_name(rng),
                unit=units[unit_key],
                title=title,
                phone=f"0459-{rng.randrange(4600000, 6999999)}",
                mobile=mobile(rng),
                is_staff=Role.SYSADMIN in roles,
            )
            user.set_password(DEMO_PASSWORD)
            user.save()
            user.groups.set([groups[r] for r in roles])
            created.append(user)
        give_demo_authenticator(user)
    return {"district": district, "units": units, "accounts_created": len(created)}


def demo_totp_key() -> str:
    from base64 import b32decode

    return b32decode(DEMO_TOTP_SECRET).hex()


def give_demo_authenticator(user: User) -> None:
    """A confirmed authenticator with the published demo key, for the required roles."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from .twofactor import requires_two_factor

    user.__dict__.pop("roles", None)
    if requires_two_factor(user) and not TOTPDevice.objects.filter(user=user).exists():
        TOTPDevice.objects.create(user=user, name="demo", key=demo_totp_key(), confirmed=True)


def account_table() -> list[tuple[str, str, str, str]]:
    from .twofactor import requires_two_factor

    rows = []
    for username, _unit_key, _roles, _title in ACCOUNTS:
        user = User.objects.select_related("unit").filter(username=username).first()
        if user:
            roles = "、".join(user.role_labels)
            if requires_two_factor(user):
                roles += " ⚿"
            rows.append((username, user.full_name, str(user.unit), roles))
    return rows
