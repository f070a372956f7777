"""Pages of two-factor login: the code page after the password, enrolment with a QR code,
the recovery codes shown once, the account page, and the security administrator's reset."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saohei.core.dates import cn_date
from saohei.core.decorators import require_perm
from saohei.core.security import lockout_response

from . import twofactor
from .models import User

NEW_CODES_SESSION_KEY = "saohei_new_recovery_codes"


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "class": "form-control form-control-lg",
                "autocomplete": "one-time-code",
                "autofocus": True,
                "spellcheck": "false",
            }
        ),
        error_messages={"required": gettext_lazy("Enter the code.")},
    )


def _next_url(request, default: str = "home") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    from django.urls import reverse

    return reverse(default)


def _locked_out(request):
    logout(request)
    return lockout_response(request)


@login_required
def verify(request):
    """Second step of login: the six-digit code from the app, or a recovery code."""
    user = request.user
    if not twofactor.must_verify(request):
        return redirect(_next_url(request))
    if not twofactor.has_device(user):
        return redirect("otp_enrol")
    if twofactor.locked_by_wrong_codes(user):
        return _locked_out(request)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        outcome = twofactor.check_code(user, form.cleaned_data["code"])
        if outcome.ok:
            twofactor.mark_verified(request, outcome.device)
            if outcome.recovery:
                messages.warning(
                    request,
                    _(
                        "You logged in with a recovery code; it cannot be used again. "
                        "%(left)s codes are left: renew them on your two-factor login page."
                    )
                    % {"left": twofactor.recovery_codes_left(user)},
                )
            return redirect(_next_url(request))
        if twofactor.locked_by_wrong_codes(user):
            return _locked_out(request)
        if outcome.throttled_until is not None:
            form.add_error(
                "code",
                _("Too many wrong codes in a row: wait until %(time)s, then try again.")
                % {
                    "time": date_format(
                        timezone.localtime(outcome.throttled_until), "H:i:s", use_l10n=False
                    )
                },
            )
        else:
            form.add_error(
                "code",
                _(
                    "The code is wrong or was already used. Enter the six-digit code your "
                    "authenticator app shows now, or one of your recovery codes."
                ),
            )
    return render(
        request,
        "orgs/two_factor_verify.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@login_required
def enrol(request):
    """Set up the authenticator app: scan the QR code (or type the secret), confirm a code."""
    user = request.user
    if twofactor.has_device(user):
        if twofactor.must_verify(request):
            return redirect("otp_verify")
        messages.info(request, _("Two-factor login is already set up for your account."))
        return redirect("two_factor")
    device = twofactor.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = twofactor.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            request.session[NEW_CODES_SESSION_KEY] = codes
            url = _next_url(request)
            from django.urls import reverse
            from django.utils.http import urlencode

            return redirect(reverse("otp_recovery_codes") + "?" + urlencode({"next": url}))
        form.add_error(
            "code",
            _(
                "The code does not match. Check that the phone's time is right, scan the QR "
                "code again if needed, and enter the six digits the app shows now."
            ),
        )
    return render(
        request,
        "orgs/two_factor_enrol.html",
        {
            "form": form,
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.base32_secret(device),
            "required": twofactor.requires_two_factor(user),
            "next": request.POST.get("next") or request.GET.get("next", ""),
        },
    )


@login_required
def recovery_codes(request):
    """The new recovery codes, shown once: after "I have saved them" they are gone."""
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if request.method == "POST":
        request.session.pop(NEW_CODES_SESSION_KEY, None)
        return redirect(_next_url(request, "two_factor"))
    if not codes:
        messages.info(
            request,
            _(
                "Recovery codes are shown only once. If you have lost them, make new ones "
                "here: the old ones then stop working."
            ),
        )
        return redirect("two_factor")
    return render(
        request,
        "orgs/two_factor_codes.html",
        {"codes": codes, "next": request.GET.get("next", "")},
    )


@login_required
def recovery_codes_download(request):
    codes = request.session.get(NEW_CODES_SESSION_KEY)
    if not codes:
        return redirect("two_factor")
    lines = [
        _("Recovery codes for %(user)s") % {"user": request.user.get_username()},
        _("Made on %(date)s. Each code works once.") % {"date": cn_date(timezone.localdate())},
        "",
        *codes,
        "",
    ]
    response = HttpResponse("\r\n".join(lines), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="recovery-codes.txt"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def two_factor(request):
    """The user's two-factor login: set it up (optional roles), or renew recovery codes."""
    user = request.user
    device = twofactor.confirmed_device(user)
    return render(
        request,
        "orgs/two_factor.html",
        {
            "device": device,
            "required": twofactor.requires_two_factor(user),
            "codes_left": twofactor.recovery_codes_left(user) if device else 0,
        },
    )


@require_POST
@login_required
def renew_recovery_codes(request):
    if not twofactor.has_device(request.user):
        return redirect("two_factor")
    request.session[NEW_CODES_SESSION_KEY] = twofactor.renew_recovery_codes(request.user)
    messages.success(request, _("New recovery codes were made; the old ones no longer work."))
    return redirect("otp_recovery_codes")


@require_POST
@require_perm("core.manage_policy")
def reset(request):
    """The security administrator removes a user's authenticator (lost or changed phone)."""
    username = request.POST.get("username", "").strip()
    user = User.objects.filter(username=username).first()
    if user is None:
        messages.error(
            request,
            _("No account is named %(name)s: check the user name and try again.")
            % {"name": username},
        )
    elif user == request.user:
        messages.error(
            request,
            _("You cannot reset your own two-factor login: ask another security administrator."),
        )
    else:
        twofactor.reset_devices(user, by=request.user)
        messages.success(
            request,
            _(
                "Two-factor login of %(name)s was reset: they set up their authenticator app "
                "again at their next login."
            )
            % {"name": username},
        )
    return redirect("security_policy")
