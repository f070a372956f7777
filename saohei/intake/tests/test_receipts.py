"""Receipt codes: 16 digits, stored only as a fast keyed look-up and a slow salted hash."""

import pytest
from django.contrib.auth.hashers import identify_hasher

from saohei.intake import receipts
from saohei.intake.models import Report

from .conftest import post_report, receipt_code


def test_codes_are_sixteen_random_digits():
    codes = {receipts.new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(c) == 16 and c.isdigit() for c in codes)
    assert receipts.display("1234567890123456") == "1234 5678 9012 3456"


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("1234 5678 9012 3456", "1234567890123456"),
        ("1234-5678-9012-3456", "1234567890123456"),
        ("１２３４５６７８９０１２３４５６", "1234567890123456"),
        ("123456789012345", None),
        ("12345678901234567", None),
        ("1234abcd90123456", None),
        ("", None),
    ],
)
def test_what_the_reporter_types_is_read_as_the_code(typed, expected):
    assert receipts.normalize(typed) == expected


@pytest.mark.django_db
@pytest.mark.real_hasher
def test_the_code_is_stored_nowhere_and_found_again(client, portal):
    response = post_report(client)
    code = receipt_code(response)
    report = Report.objects.get()
    stored = " ".join(str(v) for v in Report.objects.values().get().values())
    assert code not in stored
    assert identify_hasher(report.code_hash).algorithm == "argon2"  # slow, salted
    assert report.lookup == receipts.lookup_keys(code)[0] != code
    assert receipts.find(code) == report
    assert receipts.find(receipts.display(code)) == report
    wrong = f"{(int(code) + 1) % 10**16:016d}"
    assert receipts.find(wrong) is None
    assert receipts.matches(report, code) and not receipts.matches(report, wrong)


@pytest.mark.django_db
def test_each_report_has_its_own_lookup_and_salted_hash(client, portal):
    post_report(client)
    post_report(client)
    first, second = Report.objects.order_by("pk")
    assert first.lookup != second.lookup
    assert first.code_hash != second.code_hash


@pytest.mark.django_db
def test_a_report_made_before_a_key_rotation_is_still_found(client, portal, settings):
    import base64
    import os

    code = receipt_code(post_report(client))
    old = settings.SAOHEI_DATA_KEY
    settings.SAOHEI_DATA_KEY = f"{base64.b64encode(os.urandom(32)).decode()},{old}"
    assert receipts.find(code) == Report.objects.get()
