"""Demo monthly indicators for 2018 and 2019, shaped like the briefing (DESIGN §0): police
call-outs flat year on year, cases accepted falling, over 200,000 publicity items by mid-2019
and media reports growing."""

from __future__ import annotations

import datetime
import random

from saohei.orgs.models import Unit, User

from .defaults import ensure_default_indicators
from .models import Indicator, MonthlyValue

# code: {unit short name: (monthly level in 2018, in 2019)}
LEVELS = {
    "police_calls": {"北湖分局": (320, 318), "油田分局": (180, 182)},
    "cases_accepted": {"北湖分局": (96, 78), "油田分局": (52, 41)},
    "publicity_items": {"区扫黑办": (10_000, 15_000)},
    "media_reports": {"区扫黑办": (8, 12)},
    "publicity_events": {"区扫黑办": (6, 9), "长青镇": (2, 3), "北湖街道": (2, 3)},
}


def seed(rng: random.Random, scale: int = 1) -> dict:
    if MonthlyValue.objects.exists():
        return {"monthly_values": 0}
    ensure_default_indicators()
    indicators = {i.code: i for i in Indicator.objects.all()}
    units = {u.short_name: u for u in Unit.objects.exclude(short_name="")}
    importer = User.objects.filter(username="office_staff").first()
    rows = []
    for code, levels in LEVELS.items():
        for unit_name, (level_2018, level_2019) in levels.items():
            for year, level in ((2018, level_2018), (2019, level_2019)):
                for month in range(1, 13):
                    value = max(0, round(level * rng.uniform(0.9, 1.1)))
                    rows.append(
                        MonthlyValue(
                            unit=units[unit_name],
                            month=datetime.date(year, month, 1),
                            indicator=indicators[code],
                            value=value,
                            note="演示数据",
                            imported_by=importer,
                        )
                    )
    MonthlyValue.objects.bulk_create(rows)
    return {"monthly_values": len(rows)}
