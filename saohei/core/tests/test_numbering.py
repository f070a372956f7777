import threading

import pytest
from django.db import connection, transaction

from saohei.core.numbering import next_number


@pytest.mark.django_db
def test_numbers_are_per_kind_and_year():
    with transaction.atomic():
        assert next_number("XS", 2019) == "XS2019-0001"
        assert next_number("XS", 2019) == "XS2019-0002"
        assert next_number("XS", 2020) == "XS2020-0001"
        assert next_number("AJ", 2019) == "AJ2019-0001"


@pytest.mark.django_db
def test_rolled_back_number_is_given_again():
    with transaction.atomic():
        assert next_number("XS", 2019) == "XS2019-0001"
    with pytest.raises(RuntimeError), transaction.atomic():
        assert next_number("XS", 2019) == "XS2019-0002"
        raise RuntimeError("registration failed")
    with transaction.atomic():
        assert next_number("XS", 2019) == "XS2019-0002"


@pytest.mark.django_db(transaction=True)
def test_refuses_to_run_outside_a_transaction():
    with pytest.raises(RuntimeError, match="inside the transaction"):
        next_number("XS", 2019)


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_requests_get_fifty_consecutive_numbers():
    got, errors = [], []
    barrier = threading.Barrier(50)

    def worker():
        try:
            barrier.wait()
            with transaction.atomic():
                got.append(next_number("XS", 2019))
        except Exception as exc:  # the assertion below shows what went wrong
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(got) == [f"XS2019-{i:04d}" for i in range(1, 51)]
