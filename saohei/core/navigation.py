"""The navigation: each app registers its pages in its own `nav.py`; a user sees only the
pages they may open, so the menu never offers a page that would answer 403."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    url_name: str
    label: str
    allowed: Callable[[object], bool]
    order: int = 100
    # Items waiting for the user behind this page (shown as a badge): None for no badge.
    count: Callable[[object], int] | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


_ITEMS: list[NavItem] = []


def register(item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in _ITEMS):
        _ITEMS.append(item)
        _ITEMS.sort(key=lambda i: i.order)


def items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in _ITEMS if item.allowed(user)]
