"""The demo's portal reports: their fixed codes open the reporter's page as docs/intake.md
says, once seeded on top of the demo district."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from saohei.intake import demo
from saohei.intake.models import MessageKind, Report


@pytest.mark.django_db
def test_demo_reports_open_with_their_codes(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--units-only", stdout=io.StringIO())
    import random

    assert demo.seed(random.Random(1)) == {"portal_reports": 2}
    assert demo.seed(random.Random(1)) == {"portal_reports": 0}  # idempotent
    sand, oil = Report.objects.order_by("pk")
    assert sand.clue.status == "received" and sand.clue.attachments.count() == 1
    assert oil.clue.status == "concluded"
    client.post(reverse("intake_check"), {"code": "2019 0630 0000 0002"})
    html = client.get(reverse("intake_mine")).content.decode()
    assert "已查结" in html and "追回原油1.2吨" in html and "3,000元" in html
    assert oil.messages.filter(kind=MessageKind.FEEDBACK).exists()
    client.post(reverse("intake_check"), {"code": "2019063000000001"})
    html = client.get(reverse("intake_mine")).content.decode()
    assert "拉沙司机被打是哪一天" in html and "头部受伤" in html
