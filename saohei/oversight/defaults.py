"""The default assessment checklist and training topics, installed by migration 0002
(additive: a weight or topic changed later is never undone) and by the demo. Names are data
the office reads and edits, in Chinese like the rest of the district's lists."""

# code, name, what is asked, weight, method, target count
ITEMS = [
    ("plan", "纳入年度工作计划", "专项斗争列入本单位年度工作计划（附计划文件）", 10, "evidence", 1),
    ("leadership", "成立领导小组、明确职责", "成立领导小组，印发职责分工文件", 10, "evidence", 1),
    (
        "meetings",
        "召开会议并有记录",
        "考核期内召开专题会议并有会议记录（按会议登记计算）",
        5,
        "meetings",
        1,
    ),
    (
        "rules",
        "建立制度机制",
        "本单位制定并有效的扫黑除恶制度机制（按制度机制登记计算）",
        5,
        "rules",
        1,
    ),
    ("study", "学习新规定", "学习新出台的法律法规和司法解释的记录", 10, "evidence", 1),
    ("fund_ledger", "建立专项经费台账", "专项经费收支台账", 10, "evidence", 1),
    ("clues", "移交线索", "考核期内向扫黑办移交线索（按移交条数计算）", 15, "clues", 1),
    ("publicity", "开展宣传", "考核期内开展宣传活动（按宣传活动台账计算）", 10, "publicity", 2),
    ("rectification", "整改按期完成", "考核期内到期的整改任务按期完成情况", 15, "rectification", 1),
    ("staff", "配备工作人员", "专职、兼职工作人员人数（有专职人员得满分）", 10, "staff", 1),
]

# name, description, in force since (ISO), train by (ISO)
TOPICS = [
    (
        "关于办理“套路贷”刑事案件若干问题的意见",
        "两高两部司法解释，2019年4月9日起施行",
        "2019-04-09",
        "2019-06-30",
    ),
    (
        "关于办理恶势力刑事案件若干问题的意见",
        "两高两部司法解释，2019年4月9日起施行",
        "2019-04-09",
        "2019-06-30",
    ),
    (
        "关于办理非法放贷刑事案件若干问题的意见",
        "两高两部司法解释，2019年10月21日起施行",
        "2019-10-21",
        "2019-12-31",
    ),
]


def ensure_defaults(apps=None) -> None:
    import datetime

    if apps is None:
        from .models import AssessmentItem, TrainingTopic
    else:
        AssessmentItem = apps.get_model("oversight", "AssessmentItem")
        TrainingTopic = apps.get_model("oversight", "TrainingTopic")
    for order, (code, name, description, weight, method, target) in enumerate(ITEMS):
        AssessmentItem.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "description": description,
                "weight": weight,
                "method": method,
                "target": target,
                "sort_order": order,
            },
        )
    for order, (name, description, since, due) in enumerate(TOPICS):
        TrainingTopic.objects.get_or_create(
            name=name,
            defaults={
                "description": description,
                "since": datetime.date.fromisoformat(since),
                "due_by": datetime.date.fromisoformat(due),
                "sort_order": order,
            },
        )
