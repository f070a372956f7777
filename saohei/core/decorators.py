from django.contrib.auth.decorators import login_required, permission_required


def require_perm(perm: str):
    """Anonymous users go to the login page; logged-in users without `perm` get 403."""

    def decorator(view):
        return login_required(permission_required(perm, raise_exception=True)(view))

    return decorator
