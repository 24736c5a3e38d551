"""The privacy notice, a person's privacy page (consent history, what others see of them,
their data, erasure request), and the admin's erasure requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from portal.people.consent import PURPOSES
from portal.people.models import ErasureRequest, PrivacySettings, User
from portal.people.privacy import MIN_GROUP

from . import selectors, services
from .export import person_export_json
from .forms import DeclineForm, EraseForm, ErasureRequestForm


def notice(request):
    """The privacy notice (GDPR Art. 13), public: written from the settings in force."""
    return TemplateResponse(
        request,
        "privacy/notice.html",
        {
            "config": PrivacySettings.load(request_or_site=request),
            "purposes": PURPOSES.values(),
            "min_group": MIN_GROUP,
        },
    )


@login_required
def mine(request):
    profile = request.user.profile
    return TemplateResponse(
        request,
        "privacy/mine.html",
        {
            "consents": selectors.consent_state(profile=profile),
            "history": selectors.consent_history(user=request.user),
            "erasure": ErasureRequest.objects.filter(user=request.user).first(),
        },
    )


@login_required
def seen(request):
    return TemplateResponse(
        request,
        "privacy/seen.html",
        {
            "audiences": selectors.seen_by_others(
                user=request.user,
                profile_url=reverse("people:profile"),
                badges_url=reverse("badges:mine"),
            )
        },
    )


@login_required
def export(request):
    """Everything the portal holds about the person, as one JSON download."""
    response = HttpResponse(
        person_export_json(user=request.user), content_type="application/json; charset=utf-8"
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-advocate-portal-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def erasure_request(request):
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Keep your note under 1,000 characters of plain text."))
        return redirect("privacy:mine")
    made = services.erasure_request(user=request.user, reason=form.cleaned_data["reason"])
    messages.success(
        request,
        gettext("Your request is with the programme team; you'll get an email when it is done.")
        if made
        else gettext("You already asked; the programme team has your request."),
    )
    return redirect("privacy:mine")


# --- admin -------------------------------------------------------------------------------


@permission_required("people.erase_person", raise_exception=True)
def admin_requests(request):
    return TemplateResponse(
        request,
        "privacy/admin/erasure_requests.html",
        {
            "requests": ErasureRequest.objects.select_related("user").filter(
                declined_at__isnull=True
            ),
            "declined": ErasureRequest.objects.select_related("user").filter(
                declined_at__isnull=False
            ),
        },
    )


@require_POST
@permission_required("people.erase_person", raise_exception=True)
def admin_erase(request):
    form = EraseForm(request.POST)
    if not form.is_valid():
        messages.error(
            request, gettext("Type the person's email, and again in the confirmation box.")
        )
        return redirect("privacy_erasure_requests")
    email = form.cleaned_data["email"]
    user = User.objects.filter(email=email).first()
    if user is None:
        messages.error(request, f"Nobody has the email {email}.")
        return redirect("privacy_erasure_requests")
    if user.pk == request.user.pk:
        messages.error(request, gettext("You cannot erase yourself here; ask another admin."))
        return redirect("privacy_erasure_requests")
    report = services.erase_and_tell(user=user, by=request.user)
    messages.success(
        request,
        f"Erased {report.email}: {sum(report.removed.values())} items removed, "
        f"{sum(report.pseudonymised.values())} pseudonymised.",
    )
    return redirect("privacy_erasure_requests")


@require_POST
@permission_required("people.erase_person", raise_exception=True)
def admin_decline(request, request_id: int):
    erasure = get_object_or_404(ErasureRequest, pk=request_id, declined_at__isnull=True)
    form = DeclineForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Say why the request is declined (the person is told)."))
        return redirect("privacy_erasure_requests")
    services.erasure_decline(erasure=erasure, reason=form.cleaned_data["reason"])
    messages.success(request, f"Declined the request of {erasure.user.email}.")
    return redirect("privacy_erasure_requests")
