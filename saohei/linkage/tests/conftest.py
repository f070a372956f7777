import pytest


@pytest.fixture(autouse=True)
def refresh_at_once(request, monkeypatch):
    """Tests run inside one transaction that never commits, so the check made when a clue,
    case or mention is saved would never run: run it at once instead (test_on_save.py
    checks the real path, after commit)."""
    if getattr(request.module, "AFTER_COMMIT", False):
        return
    from saohei.linkage import signals
    from saohei.linkage.suggestions import refresh

    def now(model, pk):
        item = model.objects.filter(pk=pk).first()
        if item is not None:
            refresh(item)

    monkeypatch.setattr(signals, "refresh_later", now)
