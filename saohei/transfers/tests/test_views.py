"""Transfer pages as users meet them: send, inbox, sign for, answer, matrix."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saohei.clues.choices import Category, Status
from saohei.clues.tests.factories import clue_in
from saohei.orgs.choices import Role, UnitKind
from saohei.transfers import actions
from saohei.transfers.choices import TransferStatus
from saohei.transfers.models import Transfer

pytestmark = pytest.mark.django_db


@pytest.fixture
def regulator(units):
    from conftest import make_user

    return make_user("reg", Role.HANDLER, unit=units[UnitKind.REGULATOR])


def test_office_sends_and_the_regulator_signs_for_it(client, personas, units, regulator):
    clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
    client.force_login(personas[Role.OFFICE_STAFF])
    form = client.get(reverse("transfer_send") + f"?clue={clue.number}")
    assert form.status_code == 200
    response = client.post(
        reverse("transfer_send"),
        {
            "clue": clue.number,
            "to_unit": regulator.unit.pk,
            "kind": "jurisdiction",
            "reason": "砂石市场欺行霸市，请依职责整治并反馈",
            "file": SimpleUploadedFile("移送函.pdf", b"%PDF-1.4 test"),
        },
    )
    transfer = Transfer.objects.get()
    assert response.url == reverse("transfer_detail", args=[transfer.number])
    assert transfer.attachments.count() == 1
    # The office sees it waiting for a signature; the regulator has it on its to-do list.
    page = client.get(response.url).content.decode()
    assert 'data-testid="acknowledge"' not in page
    client.force_login(regulator)
    home = client.get(reverse("home")).content.decode()
    assert transfer.number in home
    inbox = client.get(reverse("transfer_list")).content.decode()
    assert transfer.number in inbox
    client.post(reverse("transfer_step", args=[transfer.number, "acknowledge"]))
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ACKNOWLEDGED
    client.post(
        reverse("transfer_step", args=[transfer.number, "answer"]), {"text": "已约谈，责令整改"}
    )
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.ANSWERED
    download = client.get(
        reverse("transfer_attachment", args=[transfer.number, transfer.attachments.get().pk])
    )
    assert download.status_code == 200


def test_others_cannot_sign_for_a_transfer(client, personas, units, regulator, other_personas):
    clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
    transfer = actions.send(
        personas[Role.OFFICE_STAFF],
        clue=clue,
        to_unit=regulator.unit,
        kind="jurisdiction",
        reason="请整治",
    )
    for user, expected in (
        (personas[Role.HANDLER], 404),  # police: not theirs, not visible
        (personas[Role.OFFICE_STAFF], 403),  # sees it, but only the receiving unit signs
        (other_personas[Role.OFFICE_STAFF], 404),
        (personas[Role.LEADER_VIEWER], 403),
        (personas[Role.AUDITOR], 403),
    ):
        client.force_login(user)
        response = client.post(reverse("transfer_step", args=[transfer.number, "acknowledge"]))
        assert response.status_code == expected, user.username
    transfer.refresh_from_db()
    assert transfer.status == TransferStatus.SENT


def test_transfer_detail_by_role(client, personas, units, regulator, other_personas):
    clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
    transfer = actions.send(
        personas[Role.OFFICE_STAFF], clue=clue, to_unit=regulator.unit, kind="jurisdiction",
        reason="请整治",
    )  # fmt: skip
    url = reverse("transfer_detail", args=[transfer.number])
    expected = {
        regulator: 200,
        personas[Role.OFFICE_ADMIN]: 200,
        personas[Role.OFFICE_STAFF]: 200,
        personas[Role.LEADER_VIEWER]: 200,
        personas[Role.HANDLER]: 404,
        personas[Role.DISCIPLINE]: 404,
        other_personas[Role.OFFICE_ADMIN]: 404,
        personas[Role.SYSADMIN]: 403,
        personas[Role.AUDITOR]: 403,
    }
    for user, status in expected.items():
        client.force_login(user)
        assert client.get(url).status_code == status, user.username
        assert (
            client.get(reverse("transfer-detail", args=[transfer.number])).status_code
            in ({200: (200,), 404: (404,), 403: (403,)}[status])
        ), user.username


def test_the_matrix_page_shows_counts(client, personas, units, regulator):
    clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
    transfer = actions.send(
        personas[Role.OFFICE_STAFF], clue=clue, to_unit=regulator.unit, kind="jurisdiction",
        reason="请整治",
    )  # fmt: skip
    actions.answer(transfer, regulator, text="已整治")
    client.force_login(personas[Role.OFFICE_STAFF])
    page = client.get(reverse("transfer_matrix"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "<strong>1</strong> / 1" in page
    # The count opens the list of the transfers it counts.
    link = page.split('href="/transfers/?', 1)[1].split('"', 1)[0].replace("&amp;", "&")
    listed = client.get("/transfers/?" + link).content.decode()
    assert transfer.number in listed and "from_kind=office" in link and "to_kind=regulator" in link


def test_a_forged_step_name_is_not_found(client, personas, units, regulator):
    clue = clue_in(Status.RECEIVED, personas, category=Category.INDUSTRY_DISORDER)
    transfer = actions.send(
        personas[Role.OFFICE_STAFF], clue=clue, to_unit=regulator.unit, kind="jurisdiction",
        reason="请整治",
    )  # fmt: skip
    client.force_login(regulator)
    response = client.post(reverse("transfer_step", args=[transfer.number, "delete"]))
    assert response.status_code == 404


def test_the_transfer_letter_downloads_for_those_who_read_the_contents(client, personas, units):
    import io

    from docx import Document

    clue = clue_in(Status.VERIFYING, personas, category=Category.GANG)
    transfer = actions.send(
        personas[Role.HANDLER], clue=clue, to_unit=units[UnitKind.DISCIPLINE], kind="umbrella",
        reason="法官甲为团伙说情",
    )  # fmt: skip
    url = reverse("transfer_letter", args=[transfer.number])
    client.force_login(personas[Role.DISCIPLINE])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].endswith("wordprocessingml.document")
    text = "\n".join(p.text for p in Document(io.BytesIO(b"".join(response))).paragraphs)
    assert "法官甲为团伙说情" in text and units[UnitKind.DISCIPLINE].name in text
    client.force_login(personas[Role.OFFICE_STAFF])  # sees the transfer, not its contents
    assert client.get(url).status_code == 403
    client.force_login(personas[Role.OFFICE_ADMIN])
    assert client.get(url).status_code == 200
