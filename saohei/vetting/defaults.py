"""The default vetting rules (资格审查负面情形), installed by migration 0002 (additive: editing
or switching off a rule later is never undone) and by the demo. Names are what reviewers
read in the results; the office edits the list on the rules page."""

# (name, source, record kinds, keywords, window in years or None, open only, effect)
RULES = [
    ("五年内涉黑涉恶违法犯罪", "record", ["gang_crime"], "", 5, False, "disqualify"),
    (
        "受过刑事处罚（所列罪名，不限年限）",
        "record",
        ["criminal", "gang_crime"],
        "故意杀人、故意伤害、强奸、抢劫、绑架、放火、爆炸、贩卖毒品、黑社会、恶势力、"
        "寻衅滋事、敲诈勒索、聚众斗殴、非法拘禁、强迫交易、开设赌场、贪污、受贿、诈骗、盗窃",
        None,
        False,
        "disqualify",
    ),
    ("三年内受过刑事处罚（其他罪名）", "record", ["criminal"], "", 3, False, "review"),
    ("五年内受过党纪政务处分", "record", ["discipline"], "", 5, False, "review"),
    ("三年内受过行政处罚", "record", ["administrative"], "", 3, False, "review"),
    ("在办黑恶案件犯罪嫌疑人", "suspect", [], "", None, True, "disqualify"),
    ("五年内黑恶案件犯罪嫌疑人", "suspect", [], "", 5, False, "review"),
    ("涉黑涉恶腐败和保护伞问题被查处", "official", [], "", 5, False, "disqualify"),
    ("被反映线索尚未查结", "clue_subject", [], "", None, True, "review"),
]


def ensure_default_rules(apps=None) -> None:
    if apps is None:
        from .models import Rule
    else:
        Rule = apps.get_model("vetting", "Rule")
    for order, (name, source, kinds, keywords, years, open_only, effect) in enumerate(RULES):
        Rule.objects.get_or_create(
            name=name,
            defaults={
                "source": source,
                "kinds": kinds,
                "keywords": keywords,
                "window_years": years,
                "open_only": open_only,
                "effect": effect,
                "sort_order": order * 10,
            },
        )
