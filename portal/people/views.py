"""Pages about the signed-in person: onboarding, profile, two-step sign-in, invitations."""

import re
from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_ratelimit.decorators import ratelimit

from portal.clients import network_pseudonym
from portal.errors import Conflict

from . import selectors, twofactor
from .forms import SUGGESTED_INTERESTS, ConfirmCodeForm, PasswordCheckForm, ProfileForm
from .services import (
    AliasTakenError,
    invitation_tokens,
    onboarding_complete,
    profile_update,
)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _profile_form(request, profile) -> ProfileForm:
    return ProfileForm(
        request.POST or None, user=request.user, initial=ProfileForm.initial_for(profile)
    )


def _saved(request, form: ProfileForm, service) -> bool:
    """Save a valid posted profile form through ``service``; False shows the form again."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        service(user=request.user, **form.cleaned_data)
    except AliasTakenError:  # taken between the form's check and the save
        form.add_error("alias", ProfileForm.ALIAS_TAKEN)
        return False
    return True


@login_required
def onboarding(request):
    profile = selectors.profile_of(user=request.user)
    if profile.onboarded_at is not None:
        return redirect(_safe_next(request, reverse("dashboard")))
    form = _profile_form(request, profile)
    if _saved(request, form, onboarding_complete):
        messages.success(request, gettext("Welcome aboard! Your profile is set up."))
        return redirect(_safe_next(request, reverse("dashboard")))
    return render(
        request,
        "people/onboarding.html",
        {
            "form": form,
            "next": _safe_next(request, ""),
            "suggested_interests": SUGGESTED_INTERESTS,
        },
    )


@login_required
def profile_edit(request):
    profile = selectors.profile_of(user=request.user)
    form = _profile_form(request, profile)
    if _saved(request, form, profile_update):
        messages.success(request, gettext("Your profile is saved."))
        return redirect("people:profile")
    return render(
        request,
        "people/profile_edit.html",
        {"form": form, "profile": profile, "suggested_interests": SUGGESTED_INTERESTS},
        status=400 if request.method == "POST" else 200,
    )


class InvitationView(auth_views.PasswordResetConfirmView):
    """An imported person's first visit: choose a password, then sign in."""

    token_generator = invitation_tokens
    template_name = "people/invitation.html"
    success_url = reverse_lazy("people:invitation_done")
    post_reset_login = True
    post_reset_login_backend = "django.contrib.auth.backends.ModelBackend"


def invitation_done(request):
    return redirect("people:onboarding")


def _network(group, request) -> str:
    return network_pseudonym(request)


def _email(group, request) -> str:
    return (request.POST.get("email") or "").strip().lower()


def _post_limit(group: str, key, rate_setting: str):
    """Count a view's posts per ``key`` against ``settings.<rate_setting>`` (read at each
    request); ``request.limited`` says whether this one is over."""
    return method_decorator(
        ratelimit(
            group=group,
            key=key,
            rate=lambda group, request: getattr(settings, rate_setting),
            method="POST",
            block=False,
        ),
        name="post",
    )


@_post_limit("password-reset-email", _email, "PASSWORD_RESET_RATE_PER_EMAIL")
@_post_limit("password-reset-network", _network, "PASSWORD_RESET_RATE_PER_NETWORK")
class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, throttled: a flood of requests for one address (mail
    bombing a colleague) or from one network (probing for accounts) is refused with 429
    before any mail is sent. ``block=True`` would answer 403; a person deserves to be told
    to wait."""

    def post(self, request, *args, **kwargs):
        if getattr(request, "limited", False):
            return TemplateResponse(request, "registration/password_reset_limited.html", status=429)
        return super().post(request, *args, **kwargs)


# --- two-step sign-in ------------------------------------------------------------------


@login_required
def two_factor(request):
    """The second step of signing in: a code from the app, or a backup code."""
    target = _safe_next(request, reverse("dashboard"))
    if not twofactor.state_of(request)["device"]:
        return redirect("people:security")
    if request.user.is_verified():
        return redirect(target)
    form = twofactor.CodeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        if form.device.name == twofactor.BACKUP_NAME:
            left = form.device.token_set.count()
            messages.warning(
                request,
                ngettext(
                    "You used a backup code; %(left)s left. Make new ones under Sign-in security.",
                    "You used a backup code; %(left)s left. Make new ones under Sign-in security.",
                    left,
                )
                % {"left": left},
            )
        return redirect(target)
    status = 400 if form.errors else 200
    return render(request, "people/two_factor.html", {"form": form, "next": target}, status=status)


def _qr(device) -> str:
    return mark_safe(  # noqa: S308 - segno's SVG of our own URL, no user text
        segno.make(device.config_url, error="m").svg_inline(
            scale=4, title="QR code for your authenticator app"
        )
    )


@login_required
def security(request):
    """Sign-in security: turn two-step sign-in on (scan, confirm with a code, keep the
    backup codes), make new backup codes, or turn it off (not for programme admins)."""
    user = request.user
    state = twofactor.state_of(request)
    pending = None
    if not state["device"]:
        pending = TOTPDevice.objects.filter(
            user=user, confirmed=False, pk=request.session.get("two_factor_setup") or 0
        ).first()
    form = None
    context = {"state": state, "next": _safe_next(request, "")}
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "start" and not state["device"]:
        pending = twofactor.totp_start(user=user)
        request.session["two_factor_setup"] = pending.pk
        return redirect(request.get_full_path())
    if action == "confirm" and pending is not None:
        form = ConfirmCodeForm(request.POST, device=pending)
        if form.is_valid():
            codes = twofactor.totp_confirm(request=request, device=pending)
            request.session.pop("two_factor_setup", None)
            return render(request, "people/backup_codes.html", {**context, "codes": codes})
    if action == "backup" and state["device"]:
        codes = twofactor.backup_codes_new(user=user)
        return render(request, "people/backup_codes.html", {**context, "codes": codes})
    if action == "off" and state["device"]:
        form = PasswordCheckForm(request.POST, user=user)
        if form.is_valid():
            try:
                twofactor.two_factor_off(request=request, user=user)
            except Conflict as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, gettext("Two-step sign-in is off."))
                return redirect("people:security")
    if action is not None and form is None:
        return redirect("people:security")
    context.update(
        {
            "pending": pending,
            "qr": _qr(pending) if pending else "",
            # In groups of four, as people type it (apps ignore the spaces).
            "secret": " ".join(re.findall(".{1,4}", b32encode(pending.bin_key).decode()))
            if pending
            else "",
            "confirm_form": form if action == "confirm" else ConfirmCodeForm(device=pending),
            "off_form": form if action == "off" else PasswordCheckForm(user=user),
            "backup_left": StaticToken.objects.filter(device__user=user).count(),
        }
    )
    status = 400 if form is not None and form.errors else 200
    return render(request, "people/security.html", context, status=status)
