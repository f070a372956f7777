from __future__ import annotations

import time

from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from .context import Actor, reset_actor, set_actor
from .models import SecurityPolicy


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


class RequestContextMiddleware:
    """Puts the acting user, address and a request id where the audit log can find them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user if request.user.is_authenticated else None
        token = set_actor(
            Actor(user=user, name=user.get_username() if user else "", ip=client_ip(request))
        )
        try:
            response = self.get_response(request)
        finally:
            reset_actor(token)
        return response


class SessionPolicyMiddleware:
    """Ends a session idle for longer than the security policy allows."""

    SESSION_KEY = "saohei_last_seen"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = time.time()
            idle_limit = SecurityPolicy.current().session_idle_minutes * 60
            last_seen = request.session.get(self.SESSION_KEY, now)
            if now - last_seen > idle_limit:
                logout(request)
                messages.info(
                    request,
                    _("Your session expired after a period of inactivity. Please log in again."),
                )
                return redirect("login")
            # Written at most once a minute: a session save is a database write.
            if now - last_seen > 60 or self.SESSION_KEY not in request.session:
                request.session[self.SESSION_KEY] = now
        return self.get_response(request)


class LanguageMiddleware:
    """Chinese unless the user chose English (the language cookie set by the footer switch).

    The browser's Accept-Language is ignored on purpose: office PCs often carry an English
    browser, and the users work in Chinese (DESIGN: the UI is zh-hans; English works too).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.conf import settings
        from django.utils import translation

        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        codes = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in codes else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
