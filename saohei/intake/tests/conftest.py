"""Portal fixtures: a district with an office (the personas'), a way to pass the offline
challenge as a person would, and files carrying the metadata the portal must remove."""

import io
import secrets
import time
import zipfile

import pytest
from django.core import signing
from django.urls import reverse
from PIL import Image

from saohei.intake import challenge

GPS_IFD = 0x8825


def solved_challenge(answer: int = 7, age: float = 60) -> dict:
    """A token issued `age` seconds ago for a sum whose answer is `answer`."""
    nonce = secrets.token_hex(8)
    token = signing.dumps(
        {"t": int(time.time() - age), "n": nonce, "h": challenge._answer_mac(nonce, answer)},
        salt=challenge._SALT,
    )
    return {"token": token, "answer": str(answer)}


def report_data(**overrides) -> dict:
    data = {
        "anonymous": "1",
        "subjects": "孙大强、兴达砂石有限公司",
        "subject_details": "绰号“强哥”，开黑色越野车",
        "category": "evil_force",
        "behaviours": ["violence", "land"],
        "place_area": "",
        "place_detail": "长青镇河道边砂场",
        "when": "ongoing",
        "when_detail": "今年三月以来",
        "description": "孙大强纠集多人在长青镇河道非法采砂，威胁举报的村民。",
        "umbrella": "no",
        "umbrella_who": "",
        "umbrella_what": "",
        "website": "",
        **solved_challenge(),
    }
    data.update(overrides)
    return data


def post_report(client, files=(), meta=None, **overrides):
    data = report_data(**overrides)
    if files:
        data["files"] = list(files)
    return client.post(reverse("intake_new"), data, **(meta or {}))


def receipt_code(response) -> str:
    """The code as shown on the receipt page (digits only)."""
    html = response.content.decode()
    marker = 'data-testid="receipt-code">'
    start = html.index(marker) + len(marker)
    return "".join(ch for ch in html[start : html.index("<", start)] if ch.isdigit())


def jpeg_with_gps(size=(64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "Canon"  # Make
    exif[0x0110] = "EOS 80D"  # Model
    exif[0x0132] = "2019:06:03 10:15:00"  # DateTime
    exif[GPS_IFD] = {
        1: "N",
        2: (46.0, 35.0, 12.5),
        3: "E",
        4: (125.0, 1.0, 30.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return out.getvalue()


def docx_with_author() -> bytes:
    from docx import Document

    document = Document()
    document.add_paragraph("孙大强强占砂场的情况说明")
    props = document.core_properties
    props.author = "王举报"
    props.last_modified_by = "王举报"
    props.comments = "写于家中"
    out = io.BytesIO()
    document.save(out)
    # app.xml with a company name, as Word writes it.
    return _replace_part(
        out.getvalue(),
        "docProps/app.xml",
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties xmlns='
        b'"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        b"<Company>\xe9\xbe\x99\xe6\xb9\x96\xe8\xa1\x97\xe9\x81\x93</Company>"
        b"<Manager>Li</Manager></Properties>",
    )


def _replace_part(data: bytes, name: str, content: bytes) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = set()
        for info in source.infolist():
            names.add(info.filename)
            body = content if info.filename == name else source.read(info)
            target.writestr(info.filename, body)
        if name not in names:
            target.writestr(name, content)
    return out.getvalue()


@pytest.fixture
def portal(personas):
    """The personas' district with its office receiving portal reports."""
    from saohei.intake.services import portal_account

    return portal_account()


@pytest.fixture(autouse=True)
def own_media(settings, tmp_path):
    """Each test its own media folder, so what a test leaves on disk is its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
