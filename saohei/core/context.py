"""Who is acting, for the audit log: set per request by the middleware, per command by
`acting_as()`. A context variable, so threads and async tasks each see their own."""

from __future__ import annotations

import contextlib
import uuid
from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Actor:
    user: object | None = None
    name: str = ""
    ip: str = ""
    request_id: str = field(default_factory=lambda: uuid.uuid4().hex[:16])


_current: ContextVar[Actor | None] = ContextVar("saohei_actor", default=None)


def current_actor() -> Actor:
    return _current.get() or Actor(name="system")


@contextlib.contextmanager
def acting_as(user=None, name: str = "", ip: str = ""):
    token = _current.set(
        Actor(user=user, name=name or (user.get_username() if user else ""), ip=ip)
    )
    try:
        yield
    finally:
        _current.reset(token)


def set_actor(actor: Actor | None):
    return _current.set(actor)


def reset_actor(token) -> None:
    _current.reset(token)
