import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english(settings):
    """The tests read the English message ids; the Chinese texts are checked where they are
    the point (test_ledger, test_views)."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield
