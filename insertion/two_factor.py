"""Two-factor authentication: after the password, a code from an authenticator app on the phone (TOTP, django-otp).

Optional for every member, required for administrators: platform staff (`is_superuser`) and anyone with an
active administrator membership. Right after the password,
- an administrator without a device reaches nothing but the set-up page and sign-out until they have one;
- anyone with a device reaches nothing but the code page and sign-out until they typed a valid code;
- the others land on their home page as before.
TwoFactorMiddleware enforces it on the server for every URL; the admin site checks it again on its own
(insertion.admin.InsertionAdminSite). A member has at most one confirmed device: setting up a new phone replaces
the old one, and only from a session that already typed a code of the old one.
"""

import base64
import re
from urllib.parse import urlencode

import qrcode
from django import forms
from django.conf import settings
from django.contrib import messages
from django.db import transaction
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice
from qrcode.image.svg import SvgPathFillImage

# Set at sign-in when the member has a device, so that the code is asked without looking devices up on every
# request of the members who have none.
DEVICE_AT_SIGN_IN = "two_factor_device"

SETUP, VERIFY = "setup", "verify"
ALWAYS_OPEN = {"accounts:logout", "core:set_language"}
OPEN_DURING = {
    SETUP: ALWAYS_OPEN | {"accounts:otp_setup"},
    VERIFY: ALWAYS_OPEN | {"accounts:otp_verify"},
}


def is_required(request):
    """Administrators must use two-factor authentication (request.memberships: the active ones)."""
    user = request.user
    return user.is_superuser or any(membership.is_administrator for membership in request.memberships)


def confirmed_device(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def pending_step(request):
    """What the signed-in member must do before anything else: SETUP, VERIFY, or None."""
    user = request.user
    if not user.is_authenticated or user.is_verified():
        return None
    if request.session.get(DEVICE_AT_SIGN_IN):
        return VERIFY
    if is_required(request):
        return VERIFY if confirmed_device(user) is not None else SETUP
    return None


def signed_in(sender, request, user, **kwargs):
    """At sign-in, remember whether the member has a device (connected to `user_logged_in` in InsertionConfig)."""
    if confirmed_device(user) is not None:
        request.session[DEVICE_AT_SIGN_IN] = True
    else:
        request.session.pop(DEVICE_AT_SIGN_IN, None)


class TwoFactorMiddleware:
    """Sends a signed-in member who still has to set up or type a code to that page, whatever URL they ask for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        step = pending_step(request)
        if step is None or request.resolver_match.view_name in OPEN_DURING[step]:
            return None
        url = reverse(f"accounts:otp_{step}")
        if request.htmx:
            return HttpResponseClientRedirect(url)
        if request.method == "GET" and request.get_full_path() != resolve_url(settings.LOGIN_REDIRECT_URL):
            url += "?" + urlencode({"next": request.get_full_path()})
        return redirect(url)


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("6-digit code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )

    def clean_token(self):
        token = re.sub(r"\s", "", self.cleaned_data["token"])
        if not re.fullmatch(r"[0-9]{6}", token):
            raise forms.ValidationError(_("Type the 6 digits that the app shows."))
        return token


def _next_url(request):
    url = request.POST.get("next") or request.GET.get("next")
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _with_next(url_name, next_url):
    return f"{reverse(url_name)}?{urlencode({'next': next_url})}"


def _token_accepted(form, device):
    """The device if it accepts the form's code, else None with the error on the field.

    The device is locked while checking, so that one code cannot be used twice by concurrent requests.
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, _details = device.verify_is_allowed()
        accepted = allowed and device.verify_token(form.cleaned_data["token"])
    if not allowed:
        # django-otp doubles the wait after each wrong code: this slows down anybody trying them all.
        form.add_error("token", _("Too many wrong codes in a row: wait a minute, then type the code the app shows."))
        return None
    if not accepted:
        form.add_error(
            "token",
            _(
                "This code is not the right one. Type the code the app shows now; if it still fails, check that "
                "the phone is on the right time."
            ),
        )
        return None
    return device


def _verified(request, device):
    """The session has passed the second factor: it gets a new key, as at sign-in."""
    otp_login(request, device)
    request.session.pop(DEVICE_AT_SIGN_IN, None)
    request.session.cycle_key()
    rotate_token(request)


def qr_code_svg(data):
    """`data` as a QR code in inline SVG (presentation attributes only, no style: the CSP forbids inline styles)."""
    # Safe: ElementTree escapes what it writes, and the data is only encoded in the squares, never written as text.
    return mark_safe(qrcode.make(data, image_factory=SvgPathFillImage).to_string(encoding="unicode"))


@require_http_methods(["GET", "POST"])
def otp_verify(request):
    next_url = _next_url(request)
    user = request.user
    if user.is_verified():
        return redirect(next_url)
    device = confirmed_device(user)
    if device is None:
        # The device was removed since sign-in (a lost phone): set up a new one if it is required.
        request.session.pop(DEVICE_AT_SIGN_IN, None)
        return redirect(_with_next("accounts:otp_setup", next_url) if is_required(request) else next_url)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = _token_accepted(form, device)
        if device is not None:
            _verified(request, device)
            return redirect(next_url)
    return render(request, "registration/otp_verify.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def otp_setup(request):
    next_url = _next_url(request)
    user = request.user
    current = confirmed_device(user)
    if current is not None and not user.is_verified():
        # Replacing a device takes a code of the current one: the password alone must not be enough.
        return redirect(_with_next("accounts:otp_verify", next_url))
    # The same secret until it is confirmed, so that reloading the page does not undo a scan.
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # A wrong code gives None: the page is shown again with the same device's QR code (found by the fuzzing).
        accepted = _token_accepted(form, device)
        if accepted is not None:
            device = accepted
            TOTPDevice.objects.devices_for_user(user).exclude(pk=device.pk).delete()
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            _verified(request, device)
            messages.success(
                request,
                _("Two-factor authentication is on: from now on, type a code from the app after your password."),
            )
            return redirect(next_url)
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "next": next_url,
        "qr_code": qr_code_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "is_on": current is not None,
        "is_required": is_required(request),
    }
    return render(request, "registration/otp_setup.html", context)
