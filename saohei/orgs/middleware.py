from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from . import twofactor

# Pages a session owing its second factor may still open.
OPEN_ROUTES = ("otp_verify", "otp_enrol", "logout", "set_language", "login", "api-token")


class TwoFactorMiddleware:
    """Until a session that owes its second factor gives it, every page sends it to the code
    page (or, without a device yet, to enrolment) and the API refuses it. Must come after
    django_otp's OTPMiddleware (which sets `user.is_verified()`)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self._open_paths = None

    def open_paths(self) -> set[str]:
        if self._open_paths is None:
            self._open_paths = {reverse(name) for name in OPEN_ROUTES}
        return self._open_paths

    def __call__(self, request):
        if getattr(settings, "SAOHEI_PORTAL_ONLY", False):
            return self.get_response(request)  # the public portal has no logins
        if (
            request.user.is_authenticated
            and request.path not in self.open_paths()
            and twofactor.must_verify(request)
        ):
            request.otp_pending = True
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {
                        "detail": _(
                            "Two-factor login is not finished: enter the code from your "
                            "authenticator app in the browser first, or use an API token."
                        )
                    },
                    status=403,
                )
            target = "otp_verify" if twofactor.has_device(request.user) else "otp_enrol"
            url = reverse(target)
            if request.method == "GET" and request.path != reverse("home"):
                url += "?" + urlencode({"next": request.get_full_path()})
            return redirect(url)
        if request.user.is_authenticated and request.path in self.open_paths():
            request.otp_pending = twofactor.must_verify(request)
        return self.get_response(request)
