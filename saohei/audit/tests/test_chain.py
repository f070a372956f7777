import threading

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from conftest import make_user
from saohei.audit.models import GENESIS, Action, AppendOnlyError, AuditEntry
from saohei.audit.services import record, verify_chain
from saohei.orgs.choices import Role, UnitKind
from saohei.orgs.models import Unit


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


@pytest.mark.django_db
def test_create_update_delete_are_logged_with_changed_fields(units):
    unit = Unit.objects.create(
        name="区交通运输局", kind=UnitKind.REGULATOR, jurisdiction=units["office"].jurisdiction
    )
    created = entries(action=Action.CREATE, object_type="orgs.unit", object_id=str(unit.pk))
    assert created[0].changes["name"] == "区交通运输局"

    unit = Unit.objects.get(pk=unit.pk)
    unit.short_name = "区交通局"
    unit.save()
    unit.save()  # nothing changed: no second entry
    updates = entries(action=Action.UPDATE, object_type="orgs.unit", object_id=str(unit.pk))
    assert [u.changes for u in updates] == [{"short_name": ["", "区交通局"]}]

    pk = unit.pk
    unit.delete()
    assert entries(action=Action.DELETE, object_type="orgs.unit", object_id=str(pk))


@pytest.mark.django_db
def test_secrets_never_reach_the_log(units):
    user = make_user("zhang", Role.HANDLER, unit=units["police"], mobile="13900001111")
    user.set_password("Another#Pass123")
    user.save()
    logged = " ".join(str(e.changes) for e in entries(object_type="orgs.user"))
    assert "13900001111" not in logged
    assert user.password not in logged
    assert "'mobile': '***'" in logged
    assert "'password': 'changed'" in logged
    roles = entries(object_type="orgs.user", object_id=str(user.pk), action=Action.UPDATE)
    assert {"roles_added": ["handler"]} in [e.changes for e in roles]


@pytest.mark.django_db
def test_entries_cannot_be_changed_or_deleted_through_the_orm(units):
    entry = AuditEntry.objects.order_by("id").last()
    entry.object_repr = "forged"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="forged")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


@pytest.mark.django_db
def test_database_refuses_update_even_around_the_orm(units):
    entry = AuditEntry.objects.order_by("id").last()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("UPDATE audit_auditentry SET object_repr = 'x' WHERE id = %s", [entry.pk])


def tamper(sql, params):
    """What an intruder with database access does: drop the trigger, then edit."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("DROP TRIGGER audit_auditentry_no_update ON audit_auditentry")
        else:
            cursor.execute("DROP TRIGGER audit_auditentry_no_update")
        cursor.execute(sql, params)


@pytest.mark.django_db
def test_chain_links_each_entry_to_the_one_before(units):
    chain = entries()
    assert chain[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))
    assert [e.id for e in chain] == list(range(1, len(chain) + 1))
    assert verify_chain() is None


@pytest.mark.django_db
def test_tampered_entry_makes_audit_verify_fail_and_name_it(units):
    call_command("audit_verify")
    victim = entries()[3]
    tamper("UPDATE audit_auditentry SET actor_name = 'nobody' WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("audit_verify")


@pytest.mark.django_db
def test_removed_entry_is_detected(units):
    victim = entries()[2]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    broken = verify_chain()
    assert broken is not None and broken.entry_id == victim.pk + 1
    assert broken.kind == "missing"


@pytest.mark.django_db
def test_rehashed_entry_breaks_the_next_link(units):
    """Recomputing the hash of a forged entry does not help: the next entry still points at
    the original hash."""
    victim = entries()[1]
    victim.actor_name = "nobody"
    forged_hash = victim.compute_hash()
    tamper(
        "UPDATE audit_auditentry SET actor_name = 'nobody', hash = %s WHERE id = %s",
        [forged_hash, victim.pk],
    )
    broken = verify_chain()
    assert broken.entry_id == victim.pk + 1
    assert broken.kind == "link"


@pytest.mark.django_db
def test_sm3_chain_verifies(settings, units):
    settings.SAOHEI_AUDIT_HASH = "sm3"
    entry = record(Action.EXPORT, changes={"file": "线索台账.xlsx"})
    assert entry.algorithm == "sm3"
    assert entry.hash == entry.compute_hash()
    # SM3 of "abc" (GB/T 32905 test vector), to prove it is SM3 and not something else.
    from saohei.audit.models import digest

    assert digest("sm3", b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )
    assert verify_chain() is None


@pytest.mark.django_db
def test_rolled_back_change_leaves_no_entry(units):
    before = AuditEntry.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        Unit.objects.create(
            name="临时单位", kind=UnitKind.OTHER, jurisdiction=units["office"].jurisdiction
        )
        raise RuntimeError
    assert AuditEntry.objects.count() == before
    assert verify_chain() is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_the_chain_intact(units):
    errors = []
    barrier = threading.Barrier(20)

    def worker(i):
        try:
            barrier.wait()
            with transaction.atomic():
                record(Action.EXPORT, changes={"n": i})
        except Exception as exc:
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert AuditEntry.objects.filter(action=Action.EXPORT).count() == 20
    assert verify_chain() is None


@pytest.mark.django_db
def test_details_read_as_sentences_for_people(units):
    from saohei.orgs.choices import Role

    unit = Unit.objects.get(pk=units["police"].pk)
    unit.kind = UnitKind.COURT
    unit.save()
    update = entries(action=Action.UPDATE, object_type="orgs.unit")[-1]
    assert update.object_type_label == "成员单位"
    assert ("类型", "公安机关 → 法院") in update.change_lines()
    user = make_user("two_roles", Role.DISCIPLINE, Role.UNIT_LEADER, unit=units["discipline"])
    added = entries(action=Action.UPDATE, object_type="orgs.user", object_id=str(user.pk))[-1]
    assert added.change_lines() == [("新增角色", "纪检监察人员、单位领导")]


@pytest.mark.django_db
def test_a_detail_named_like_a_reverse_relation_reads_as_it_is(units, client, personas):
    """A unit's detail "clues" names a relation of the unit, not a field: the log page and
    its export (which once failed on it) show it under its own name."""
    record(Action.UPDATE, units["police"], changes={"clues": 3})
    entry = entries(action=Action.UPDATE, object_type="orgs.unit")[-1]
    assert ("clues", "3") in entry.change_lines()
    client.force_login(personas[Role.AUDITOR])
    assert client.get("/audit/export/").status_code == 200


@pytest.mark.django_db
def test_auditor_exports_the_filtered_log_and_the_export_is_logged(client, personas):
    import io

    from django.urls import reverse
    from openpyxl import load_workbook

    client.force_login(personas[Role.AUDITOR])
    response = client.get(reverse("audit_export"), {"object_type": "orgs.unit"})
    assert response.status_code == 200
    assert "filename*=UTF-8''%E5%AE%A1%E8%AE%A1" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "审计日志" and rows[1][0] == "序号"
    body = rows[2:]
    assert len(body) == AuditEntry.objects.filter(object_type="orgs.unit").count()
    assert all(r[5].startswith("成员单位") for r in body)
    export = AuditEntry.objects.filter(action=Action.EXPORT).get()
    assert export.actor == personas[Role.AUDITOR]
    assert export.changes == {"filters": {"object_type": "orgs.unit"}, "rows": len(body)}


@pytest.mark.django_db
def test_reading_a_protected_field_is_allowed_only_with_permission_and_logged(personas):
    from django.core.exceptions import PermissionDenied

    from saohei.audit.services import reveal

    person = make_user("li", Role.HANDLER, unit=personas[Role.HANDLER].unit, mobile="13900009999")
    with pytest.raises(PermissionDenied):
        reveal(person, "mobile", personas[Role.HANDLER], "orgs.view_user")
    assert not AuditEntry.objects.filter(action=Action.READ_PROTECTED).exists()
    assert reveal(person, "mobile", personas[Role.SYSADMIN], "orgs.view_user") == "13900009999"
    read = AuditEntry.objects.get(action=Action.READ_PROTECTED)
    assert read.actor == personas[Role.SYSADMIN] and read.changes == {"field": "mobile"}
    assert "13900009999" not in str(read.changes)
