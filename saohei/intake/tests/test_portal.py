"""The portal as a reporter and an attacker meet it: a report becomes a clue in 待分流, the
challenge and the rate limits keep machines out, refused input leaves nothing behind."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from saohei.clues.choices import Channel, Source, Status
from saohei.clues.models import Attachment, Clue, Move
from saohei.intake.models import Report
from saohei.orgs.choices import Role

from .conftest import GPS_IFD, jpeg_with_gps, post_report, receipt_code, solved_challenge

pytestmark = pytest.mark.django_db


def test_start_page_says_what_to_report_the_reward_and_the_hotline(client, portal):
    html = client.get(reverse("intake_start")).content.decode()
    assert "保护伞" in html
    assert "20万元" in html
    assert "0459-12337" in html
    assert "<script" not in html  # works without JavaScript
    assert "http://" not in html and "https://" not in html  # nothing from another origin


def test_a_report_becomes_a_clue_awaiting_routing(client, portal, personas):
    photo = SimpleUploadedFile("IMG_0001.jpg", jpeg_with_gps(), content_type="image/jpeg")
    from saohei.intake.services import place_choices

    town = place_choices()[0][0]
    response = post_report(client, files=[photo], place_area=town)
    assert response.status_code == 200
    code = receipt_code(response)
    assert len(code) == 16
    assert "no-store" in response["Cache-Control"]
    clue = Clue.objects.get()
    assert clue.status == Status.RECEIVED
    assert (clue.source, clue.channel) == (Source.PUBLIC, Channel.WEB)
    assert clue.category == "evil_force"
    assert clue.subjects == "孙大强、兴达砂石有限公司"
    assert clue.place == f"{town}长青镇河道边砂场"
    assert "【主要问题】暴力、威胁、恐吓、非法占地、非法采砂采矿" in clue.full_text
    assert "【发生时间】正在发生 今年三月以来" in clue.full_text
    assert clue.anonymous and not clue.informant_name
    assert clue.registering_unit == personas[Role.OFFICE_STAFF].unit
    assert Move.objects.get(clue=clue).to_status == Status.RECEIVED
    attachment = Attachment.objects.get(clue=clue)
    assert attachment.name == "举报材料1.jpg"
    with attachment.file.open("rb") as fh, Image.open(fh) as stored:
        assert stored.getexif().get_ifd(GPS_IFD) == {} and len(stored.getexif()) == 0
    assert Report.objects.get().source_ip is None


def test_the_office_sees_the_portal_report(client, portal, personas):
    post_report(client)
    number = Clue.objects.get().number
    client.force_login(personas[Role.OFFICE_STAFF])
    html = client.get(reverse("clue_detail", args=[number])).content.decode()
    assert "孙大强" in html and 'data-testid="reporter-panel"' in html


def test_a_named_informant_is_stored_encrypted(client, portal):
    from django.db import connection

    post_report(client, anonymous="0", name="王举报", phone="13900001111", id_number="")
    clue = Clue.objects.get()
    assert not clue.anonymous
    assert clue.informant_name == "王举报" and clue.informant_phone == "13900001111"
    with connection.cursor() as cursor:
        cursor.execute("SELECT informant_name, informant_phone FROM clues_clue")
        raw = " ".join(cursor.fetchone())
    assert "王举报" not in raw and "13900001111" not in raw and raw.startswith("v1:")


def test_a_named_report_needs_a_name_and_phone(client, portal):
    response = post_report(client, anonymous="0", name="", phone="")
    assert response.status_code == 400
    html = response.content.decode()
    assert "匿名" in html and 'data-testid="error-name"' in html
    assert not Clue.objects.exists()


def test_the_address_is_kept_only_when_the_setting_asks(client, portal, settings):
    from saohei.audit.models import AuditEntry

    post_report(client, meta={"REMOTE_ADDR": "10.1.2.3"})
    assert Report.objects.get().source_ip is None
    assert AuditEntry.objects.exists() and not AuditEntry.objects.exclude(ip="").exists()
    settings.SAOHEI_PORTAL_KEEP_IP = True
    post_report(client)
    assert Report.objects.order_by("pk").last().source_ip == "127.0.0.1"


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"website": "http://spam.example"}, "could not be accepted"),
        ({"answer": "8"}, "check question is wrong"),
        ({"token": "forged"}, "could not be accepted"),
        ({"age": 1}, "too quickly"),
        ({"age": 5 * 3600}, "open too long"),
    ],
)
def test_the_offline_challenge_refuses_machines(client, portal, overrides, message, settings):
    settings.LANGUAGE_CODE = "en"
    client.cookies["django_language"] = "en"
    if "age" in overrides:
        overrides = solved_challenge(age=overrides["age"])
    response = post_report(client, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Clue.objects.exists()


def test_a_challenge_is_accepted_once(client, portal, settings):
    settings.LANGUAGE_CODE = "en"
    client.cookies["django_language"] = "en"
    solved = solved_challenge()
    assert post_report(client, **solved).status_code == 200
    response = post_report(client, **solved)
    assert response.status_code == 400 and "already sent" in response.content.decode()
    assert Clue.objects.count() == 1


def test_the_answer_may_be_written_in_chinese_numerals(client, portal):
    assert (
        post_report(client, **{**solved_challenge(answer=12), "answer": "十二"}).status_code == 200
    )


def test_submissions_are_rate_limited_per_source_and_overall(client, portal, settings):
    settings.SAOHEI_PORTAL_REPORTS_PER_SOURCE = (2, 3600)
    assert post_report(client).status_code == 200
    assert post_report(client).status_code == 200
    response = post_report(client)
    assert response.status_code == 429
    assert "一小时后" in response.content.decode()
    assert Clue.objects.count() == 2
    # Another address is still welcome, until the overall limit.
    settings.SAOHEI_PORTAL_REPORTS_GLOBAL = (3, 3600)
    assert post_report(client, meta={"REMOTE_ADDR": "10.9.9.9"}).status_code == 200
    assert post_report(client, meta={"REMOTE_ADDR": "10.9.9.8"}).status_code == 429
    assert Clue.objects.count() == 3


def test_a_refused_file_leaves_nothing_behind(client, portal, settings):
    good = SimpleUploadedFile("a.jpg", jpeg_with_gps())
    bad = SimpleUploadedFile("b.jpg", b"MZ\x90\x00 not a picture")
    response = post_report(client, files=[good, bad])
    assert response.status_code == 400
    html = response.content.decode()
    assert "b.jpg" in html and "不接受" in html  # which file and why, in Chinese
    assert not Clue.objects.exists() and not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "clues").exists() or not any(
        (settings.MEDIA_ROOT / "clues").rglob("*.jpg")
    )


def test_an_oversized_upload_is_refused_with_the_limit(client, portal, settings):
    settings.SAOHEI_PORTAL_MAX_FILE_MB = 1
    big = io.BytesIO(b"a" * (1024 * 1024 + 10))
    response = post_report(client, files=[SimpleUploadedFile("big.txt", big.getvalue())])
    assert response.status_code == 400
    assert "1 MB" in response.content.decode()
    assert not Clue.objects.exists()


def test_a_failure_while_saving_rolls_everything_back(client, portal, monkeypatch, settings):
    from saohei.intake import services

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services.Report.objects, "create", broken)
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps())
    with pytest.raises(RuntimeError):
        post_report(client, files=[photo])
    assert not Clue.objects.exists() and not Attachment.objects.exists()


INJECTION = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_script_in_every_field_is_shown_as_text_on_both_sides(client, portal, personas):
    fields = {
        "subjects": INJECTION,
        "subject_details": INJECTION,
        "place_detail": INJECTION[:150],
        "when_detail": INJECTION[:100],
        "description": INJECTION,
        "umbrella": "yes",
        "umbrella_who": INJECTION,
        "umbrella_what": INJECTION,
        "anonymous": "0",
        "name": INJECTION[:50],
        "phone": "13900001111",
    }
    response = post_report(client, **fields)
    assert response.status_code == 200
    code = receipt_code(response)
    client.post(reverse("intake_check"), {"code": code})
    client.post(reverse("intake_mine_post", args=["info"]), {"text": INJECTION})
    mine = client.get(reverse("intake_mine")).content.decode()
    assert "<script>alert" not in mine and "<img src=x" not in mine
    assert "&lt;script&gt;alert" in mine
    number = Clue.objects.get().number
    client.force_login(personas[Role.CLUE_CUSTODIAN])
    page = client.get(reverse("clue_detail", args=[number])).content.decode()
    assert "<script>alert" not in page and "<img src=x" not in page
    assert page.count("&lt;script&gt;alert") >= 2  # the clue's text and the message
    revealed = client.post(reverse("clue_reveal", args=[number])).content.decode()
    assert "<script>alert" not in revealed and "<img src=x" not in revealed
    assert "&lt;script&gt;alert" in revealed  # the informant's name, revealed, still escaped


def test_a_portal_only_process_serves_no_internal_page(client, portal, settings):
    settings.ROOT_URLCONF = "saohei.portal_urls"
    assert client.get("/report/").status_code == 200
    assert client.get("/report/new/").status_code == 200
    assert client.get("/").status_code == 302
    for path in (
        "/accounts/login/",
        "/admin/",
        "/api/",
        "/api/clues/",
        "/clues/",
        "/audit/",
        "/report/office/XS2026-0001/message/",
        "/report/office/XS2026-0001/verify-code/",
    ):
        assert client.get(path).status_code == 404, path
        assert client.post(path).status_code in (403, 404), path


def test_the_setting_switches_the_process_to_the_portal(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "SAOHEI_PORTAL_ONLY": "1", "SAOHEI_VAR_DIR": str(tmp_path)}
    out = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.ROOT_URLCONF)"],
        env={**env, "DJANGO_SETTINGS_MODULE": "saohei.settings"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "saohei.portal_urls"


def test_a_request_larger_than_all_files_allowed_is_refused_unread(client, portal, settings):
    settings.SAOHEI_PORTAL_MAX_FILE_MB = 1
    files = [SimpleUploadedFile(f"{i}.txt", b"a" * 900_000) for i in range(7)]
    response = post_report(client, files=files)
    assert response.status_code == 413
    assert "提交的内容过大" in response.content.decode()
    assert not Clue.objects.exists()


def test_more_than_five_files_are_refused(client, portal):
    files = [SimpleUploadedFile(f"{i}.txt", b"note") for i in range(6)]
    response = post_report(client, files=files)
    assert response.status_code == 400
    assert "最多上传5个文件" in response.content.decode()
    assert not Clue.objects.exists()


def test_an_umbrella_report_is_seen_only_as_umbrella_clues_are(client, portal, personas):
    photo = SimpleUploadedFile("a.jpg", jpeg_with_gps())
    response = post_report(
        client,
        files=[photo],
        category="umbrella",
        umbrella="yes",
        umbrella_who="区法院某法官",
        umbrella_what="为孙大强打招呼、压案",
    )
    assert response.status_code == 200
    clue = Clue.objects.get()
    assert clue.category == "umbrella" and clue.attachments.count() == 1
    assert "【涉嫌保护伞】区法院某法官" in clue.full_text
    url = reverse("clue_detail", args=[clue.number])
    client.force_login(personas[Role.OFFICE_STAFF])
    assert client.get(url).status_code == 404
    client.force_login(personas[Role.OFFICE_ADMIN])
    page = client.get(url).content.decode()
    assert 'data-testid="reporter-message-form"' in page and "区法院某法官" in page
