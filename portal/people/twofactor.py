"""Two-step sign-in (django-otp): an authenticator app (TOTP) with one-time backup codes.

Required for programme admins and superusers (``TWO_FACTOR_REQUIRED``), optional for
everyone else. Whether a person has a second factor, and whether they must, is noted in
their session when they sign in (``STATE_KEY``) so that the check on every page costs no
query; turning it on or off updates the session at once, and a role given later applies
from the next sign-in. ``TwoFactorMiddleware`` sends a person who signed in with a
password only to the code page (or, if they must have a second factor and have none, to
setting one up) before anything else.
"""

from django import forms
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext, gettext_lazy
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user, user_has_device
from django_otp import login as otp_login
from django_otp.forms import OTPTokenForm
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import audit
from portal.errors import Conflict

from .models import User
from .services import Role

STATE_KEY = "two_factor"
BACKUP_CODES = 10
APP_NAME = "Authenticator app"
BACKUP_NAME = "Backup codes"


def two_factor_required(user: User | AnonymousUser) -> bool:
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_superuser or user.groups.filter(name=Role.PROGRAMME_ADMIN).exists()


def state_note(request, user: User) -> dict:
    """Note in the session whether ``user`` has a second factor and must have one. A
    sign-in through the company's identity provider stands for both where
    ``SSO_COUNTS_AS_TWO_FACTOR`` (the provider enforces its own second step)."""
    if (
        settings.SSO_COUNTS_AS_TWO_FACTOR
        and request.session.get(BACKEND_SESSION_KEY) in settings.SSO_BACKENDS
    ):
        state = {"device": False, "required": False, "provider": True}
    else:
        state = {"device": user_has_device(user), "required": two_factor_required(user)}
    request.session[STATE_KEY] = state
    return state


def state_of(request) -> dict:
    state = request.session.get(STATE_KEY)
    if state is None:  # a session from before two-step sign-in existed
        state = state_note(request, request.user)
    return state


def sign_in_complete(session) -> bool:
    """Whether this session finished signing in: the code too, where the person has a
    second factor or must have one (read from what was noted at sign-in). Sockets ask
    this, since ``TwoFactorMiddleware`` only guards pages."""
    if session is None:  # a scope built without a session (tests)
        return True
    state = session.get(STATE_KEY) or {}
    if state.get("device"):
        return bool(session.get(DEVICE_ID_SESSION_KEY))
    return not state.get("required")


@receiver(user_logged_in, dispatch_uid="two_factor_state")
def _note_at_sign_in(sender, request, user: User, **kwargs):
    if request is not None and hasattr(request, "session"):
        state_note(request, user)


# --- setting up and turning off -------------------------------------------------------


def totp_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator for ``user`` (an earlier unconfirmed one goes)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def backup_codes_new(*, user: User) -> list[str]:
    """Ten fresh one-time backup codes (the old ones stop working); shown once."""
    device, _ = StaticDevice.objects.get_or_create(user=user, name=BACKUP_NAME)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def totp_confirm(*, request, device: TOTPDevice) -> list[str]:
    """The first code from the app worked: the authenticator counts from now on, this
    session is verified, and the person gets their backup codes."""
    TOTPDevice.objects.filter(user=device.user, confirmed=True).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = backup_codes_new(user=device.user)
    otp_login(request, device)
    state_note(request, device.user)
    audit(device.user, "people.two_factor_on", by=device.user)
    return codes


@transaction.atomic
def two_factor_off(*, request, user: User) -> None:
    if two_factor_required(user):
        raise Conflict(gettext("Programme admins must keep two-step sign-in on."))
    for device in devices_for_user(user, confirmed=None):
        device.delete()
    state_note(request, user)
    audit(user, "people.two_factor_off", by=user)


# --- the code page --------------------------------------------------------------------


class CodeForm(forms.Form):
    """One box for either kind of code: six digits from the app, or a backup code."""

    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        help_text=gettext_lazy(
            "The six digits your authenticator app shows, or one of your backup codes."
        ),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.device = None

    def clean(self):
        code = "".join((self.cleaned_data.get("code") or "").split()).lower()
        if not code:
            return self.cleaned_data
        kind = TOTPDevice if code.isdigit() and len(code) <= 8 else StaticDevice
        device = kind.objects.filter(user=self.user, confirmed=True).first()
        if device is None:
            raise forms.ValidationError(gettext("That code is not right. Try again."))
        # django-otp checks the code, with its throttling (each failure doubles the wait).
        check = OTPTokenForm(
            self.user, data={"otp_device": device.persistent_id, "otp_token": code}
        )
        if not check.is_valid():
            raise forms.ValidationError(check.non_field_errors())
        self.device = self.user.otp_device
        return self.cleaned_data
