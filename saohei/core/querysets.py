"""Scoping in the manager, once (DESIGN §4).

Every model that holds case data uses ScopedQuerySet as its manager and says, in
`scope_visible` / `scope_editable`, which rows a given user may read or change. Views and API
viewsets only ever start from `Model.objects.visible_to(user)` or `.editable_by(user)`.

Users who may not read case data at all (the system administrator, the security
administrator, the auditor; inactive or anonymous users) get an empty queryset before the
model's own rule is consulted, so a new model cannot forget the three-officer separation.
"""

from __future__ import annotations

from django.db import models


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user) -> ScopedQuerySet:
        if not reads_case_data(user):
            return self.none()
        return self.scope_visible(user)

    def editable_by(self, user) -> ScopedQuerySet:
        if not reads_case_data(user):
            return self.none()
        return self.scope_editable(user)

    # Models override these two. The defaults are the strictest useful rule.
    def scope_visible(self, user) -> ScopedQuerySet:
        return self.none()

    def scope_editable(self, user) -> ScopedQuerySet:
        return self.scope_visible(user)


def reads_case_data(user) -> bool:
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.reads_case_data
