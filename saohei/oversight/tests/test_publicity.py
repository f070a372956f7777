"""Publicity: every text and poster goes through the wording check and what it finds is kept
and shown; totals per unit and per kind; the briefing counts the records."""

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit
from saohei.oversight.models import PublicityActivity
from saohei.oversight.publicity import briefing_sentence, totals

from .factories import activity, unit_user

D = datetime.date
pytestmark = pytest.mark.django_db
GOOD = "积极投身扫黑除恶专项斗争。举报电话：0459-6123456。"


def docx_upload(*paragraphs, name="宣传稿.docx"):
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def kinds(a):
    return [f["kind"] for f in a.findings]


def test_wrong_slogan_and_missing_phone_are_found(personas, units):
    staff, town = personas[Role.OFFICE_STAFF], units[UnitKind.TOWNSHIP]
    banner = activity(staff, town, D(2019, 3, 1), text="坚决打赢打黑除恶专项斗争。举报电话：12345")
    assert kinds(banner) == ["wrong_verb"]
    assert banner.findings[0]["text"] == "第1行：“打黑除恶” → “扫黑除恶”"
    poster = activity(staff, town, D(2019, 3, 1), kind="poster", text="扫黑除恶 人人有责")
    assert kinds(poster) == ["missing_contact"]
    clean = activity(staff, town, D(2019, 3, 1), text=GOOD)
    assert clean.findings == []


def test_uploaded_docx_is_checked(personas, units):
    staff, town = personas[Role.OFFICE_STAFF], units[UnitKind.TOWNSHIP]
    upload = docx_upload("致广大群众的一封信", "深入开展扫黑除恶专项斗争，打散破网。")
    found = activity(staff, town, D(2019, 3, 1), kind="brochure", upload=upload)
    assert set(kinds(found)) == {"wrong_form", "missing_contact"} or "missing_contact" in kinds(
        found
    )
    assert all(f["where"] == "宣传稿.docx" for f in found.findings)
    assert found.file_name == "宣传稿.docx"


def test_a_poster_picture_needs_its_text(personas, units):
    staff, town = personas[Role.OFFICE_STAFF], units[UnitKind.TOWNSHIP]
    picture = SimpleUploadedFile("海报.jpg", b"\xff\xd8\xff\xe0 jpeg")
    with pytest.raises(ValidationError) as refused:
        activity(staff, town, D(2019, 3, 1), kind="poster", upload=picture)
    assert "text" in refused.value.message_dict
    picture.seek(0)
    typed = activity(
        staff, town, D(2019, 3, 1), kind="poster", upload=picture, text="扫黑除恶 人人有责"
    )
    assert kinds(typed) == ["missing_contact"]


def test_other_file_types_are_refused(personas, units):
    with pytest.raises(ValidationError) as refused:
        activity(
            personas[Role.OFFICE_STAFF],
            units[UnitKind.TOWNSHIP],
            D(2019, 3, 1),
            upload=SimpleUploadedFile("宣传.exe", b"MZ"),
        )
    assert "file" in refused.value.message_dict


def test_future_day_and_zero_quantity_are_refused(personas, units):
    staff, town = personas[Role.OFFICE_STAFF], units[UnitKind.TOWNSHIP]
    with pytest.raises(ValidationError):
        activity(staff, town, D(2099, 1, 1))
    with pytest.raises(ValidationError):
        activity(staff, town, D(2019, 1, 1), quantity=0)


def test_a_unit_records_only_its_own_publicity(personas, units):
    with pytest.raises(Exception, match="may not|无权|不能"):
        activity(personas[Role.HANDLER], units[UnitKind.TOWNSHIP], D(2019, 3, 1))


def test_totals_per_unit_and_kind(personas, units):
    staff = personas[Role.OFFICE_STAFF]
    town, police = units[UnitKind.TOWNSHIP], units[UnitKind.POLICE]
    activity(staff, town, D(2019, 3, 1), kind="banner", quantity=30, media_reports=1)
    activity(staff, town, D(2019, 4, 1), kind="banner", quantity=20)
    activity(staff, police, D(2019, 4, 1), kind="case_talk", quantity=2, media_reports=3)
    t = totals(PublicityActivity.objects.all())
    by_unit = {row["unit"]: row["totals"] for row in t["units"]}
    assert (by_unit[town.pk].activities, by_unit[town.pk].quantity) == (2, 50)
    assert by_unit[police.pk].media_reports == 3
    by_kind = {row["kind"]: row["totals"] for row in t["kinds"]}
    assert by_kind["banner"].quantity == 50 and by_kind["case_talk"].activities == 1
    assert (t["overall"].activities, t["overall"].media_reports) == (3, 4)


def test_briefing_sentence_counts_the_records_by_the_day(personas, units):
    staff = personas[Role.OFFICE_STAFF]
    town, police = units[UnitKind.TOWNSHIP], units[UnitKind.POLICE]
    activity(staff, town, D(2019, 3, 1), kind="banner", quantity=30, media_reports=1)
    activity(staff, police, D(2019, 4, 1), kind="brochure", quantity=500)
    activity(staff, police, D(2019, 7, 1), kind="poster", quantity=9, text=GOOD)  # after
    text = briefing_sentence(D(2019, 6, 30), Unit.objects.all(), "全区")
    assert text == (
        "据宣传活动台账，截至2019年6月30日，全区2个单位开展宣传活动2次，"
        "其中条幅30条、手册500册，获媒体报道1次。"
    )
    assert briefing_sentence(D(2019, 1, 1), Unit.objects.all(), "全区") == ""


def test_the_briefing_includes_the_publicity_records(personas, units):
    from saohei.reports.briefing import briefing_blocks
    from saohei.reports.documents import area_of
    from saohei.reports.figures import Scope

    activity(personas[Role.OFFICE_STAFF], units[UnitKind.TOWNSHIP], D(2019, 3, 1), quantity=30)
    scope = Scope.everything()
    blocks = briefing_blocks(D(2019, 6, 30), scope, area_of(scope))
    assert any("开展宣传活动1次，其中条幅30条" in b.text for b in blocks)


def test_detail_page_shows_the_findings(client, personas, units):
    staff = personas[Role.OFFICE_STAFF]
    wrong = "打黑除恶。举报电话：12345"
    banner = activity(staff, units[UnitKind.TOWNSHIP], D(2019, 3, 1), text=wrong)
    client.force_login(staff)
    page = client.get(reverse("publicity_detail", args=[banner.pk])).content.decode()
    assert "第1行：“打黑除恶” → “扫黑除恶”" in page
    listing = client.get(reverse("publicity_list")).content.decode()
    assert 'data-testid="total-activities">1<' in listing


def test_recording_through_the_page(client, personas, units):
    town = units[UnitKind.TOWNSHIP]
    user = unit_user(town)
    client.force_login(user)
    response = client.post(
        reverse("publicity_new"),
        {
            "unit": town.pk,
            "held_on": "2019-05-01",
            "kind": "poster",
            "title": "社区海报",
            "quantity": 20,
            "outlet": "社区",
            "media_reports": 0,
            "text": "扫黑除恶 人人有责",
        },
    )
    created = PublicityActivity.objects.get()
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert kinds(created) == ["missing_contact"]
    # Another unit cannot be chosen by a member unit.
    response = client.post(
        reverse("publicity_new"),
        {
            "unit": units[UnitKind.POLICE].pk,
            "held_on": "2019-05-01",
            "kind": "banner",
            "quantity": 1,
            "media_reports": 0,
        },  # fmt: skip
    )
    assert response.status_code == 200 and PublicityActivity.objects.count() == 1
