"""The to-do list (待办) on every user's home page (DESIGN §8).

Each app registers a provider in its `nav.py`: a function that returns, for a user, the
things waiting for them or their unit (clues to verify, transfers to sign for, tasks falling
due, …). The home page shows each provider's section, with its count in the navigation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field


@dataclass
class TodoItem:
    title: str
    url: str
    due: object = None  # a date, shown as 2019年6月30日
    overdue: bool = False
    detail: str = ""


class Later(Sequence):
    """A section's first items, looked up only when read: the navigation's badge on every
    page counts the sections by their totals, only the home page lists their items."""

    def __init__(self, make: Callable[[], Iterable[TodoItem]]):
        self._make = make
        self._items: list[TodoItem] | None = None

    def _list(self) -> list[TodoItem]:
        if self._items is None:
            self._items = list(self._make())
        return self._items

    def __getitem__(self, index):
        return self._list()[index]

    def __len__(self) -> int:
        return len(self._list())


@dataclass
class TodoSection:
    title: str
    items: list[TodoItem] = field(default_factory=list)
    more_url: str = ""
    total: int | None = None  # when items holds only the first few

    @property
    def count(self) -> int:
        return self.total if self.total is not None else len(self.items)


Provider = Callable[[object], "TodoSection | list[TodoSection] | None"]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def todo_for(user) -> list[TodoSection]:
    """The user's to-do sections, computed once per request: the home page lists them and
    the navigation badge counts them (the user object lives as long as the request)."""
    cached = user.__dict__.get("_saohei_todo")
    if cached is not None:
        return cached
    sections = []
    for provider in _PROVIDERS:
        found = provider(user)
        sections.extend(found if isinstance(found, list) else [found])
    found = [s for s in sections if s is not None and s.count]
    user.__dict__["_saohei_todo"] = found
    return found
