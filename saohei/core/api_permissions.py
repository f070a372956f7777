"""The API's one permission class (kept apart from api.py: DRF imports it while loading its
own views, so it must not import viewsets)."""

from rest_framework import permissions


class RolePermission(permissions.DjangoModelPermissions):
    """Model permissions from the user's roles, view permission included for reading.
    The three-officer separation applies because it lives in User.has_perm."""

    perms_map = {
        **permissions.DjangoModelPermissions.perms_map,
        "GET": ["%(app_label)s.view_%(model_name)s"],
        "HEAD": ["%(app_label)s.view_%(model_name)s"],
    }
