"""Badge pages for people and the Open Badges endpoints for verifiers.

The JSON-LD endpoints and the baked images are public and cacheable; they never show
more of a person than the salted hash of their email.
"""

import hashlib
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.decorators.http import require_POST
from wagtail.models import Site

from cms.models import BrandingSettings
from portal.activity.selectors import level_progress, streak_weeks
from portal.errors import InvalidInput, ServiceError
from portal.locales import localised, localised_one, originals
from portal.people.permissions import is_programme_admin
from portal.people.privacy import group_figure

from . import openbadges, selectors, services
from .artwork import artwork_generate
from .forms import AwardForm, RevokeForm, VisibilityForm
from .models import AwardVisibility, Badge, BadgeAward, ErasedAssertion

JSON_LD = "application/ld+json"


def _organisation() -> str:
    return BrandingSettings.for_site(Site.objects.get(is_default_site=True)).organisation_name


def _ld(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, content_type=JSON_LD)
    response["Access-Control-Allow-Origin"] = "*"  # verifiers fetch from anywhere
    return response


def badge_png(badge: Badge) -> bytes:
    """The badge's artwork, or its generated artwork (cached by what it is drawn from)."""
    if badge.artwork:
        with badge.artwork.open("rb") as artwork:
            return artwork.read()
    key = "badge-art:" + hashlib.sha256(f"{badge.tier}:{badge.name}".encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        png = artwork_generate(name=badge.name, tier=badge.tier)
        cache.set(key, png, 24 * 3600)
    return png


class AssertionErased(Exception):
    """The earner was erased: answer 410 Gone, neutrally."""

    def __init__(self, award_id):
        self.award_id = award_id


def _award_or_404(award_id) -> BadgeAward:
    try:
        award_id = uuid.UUID(str(award_id))
    except ValueError as error:
        raise Http404("No such assertion.") from error
    award = selectors.award_public(award_id=award_id)
    if award is None:
        if ErasedAssertion.objects.filter(pk=award_id).exists():
            raise AssertionErased(award_id)
        raise Http404("No such assertion.")
    return award


def _erased_answer(request, award_id, *, page: bool):
    if page:
        return TemplateResponse(
            request,
            "badges/assertion_gone.html",
            {"reason": openbadges.ERASED_REASON},
            status=410,
        )
    return _ld(openbadges.erased_json(award_id), status=410)


def _no_index(response):
    response["X-Robots-Tag"] = "noindex"
    return response


# --- Open Badges endpoints ---------------------------------------------------------------


def issuer(request):
    return _ld(openbadges.issuer_json(name=_organisation()))


def badge_class(request, slug):
    return _ld(
        openbadges.badge_class_json(get_object_or_404(originals(Badge.objects.all()), slug=slug))
    )


def badge_image(request, slug):
    response = HttpResponse(
        badge_png(get_object_or_404(originals(Badge.objects.all()), slug=slug)),
        content_type="image/png",
    )
    response["Cache-Control"] = "public, max-age=3600"
    return response


def assertion(request, award_id):
    try:
        award = _award_or_404(award_id)
    except AssertionErased as erased:
        return _no_index(_erased_answer(request, erased.award_id, page=False))
    if award.revoked:
        return _no_index(_ld(openbadges.revoked_json(award), status=410))
    response = _ld(openbadges.assertion_json(award))
    if award.visibility != AwardVisibility.PUBLIC:
        _no_index(response)
    return response


def baked(request, award_id):
    try:
        award = _award_or_404(award_id)
    except AssertionErased as erased:
        return _no_index(_erased_answer(request, erased.award_id, page=False))
    if award.revoked:
        return _no_index(_ld(openbadges.revoked_json(award), status=410))
    png = openbadges.bake(badge_png(award.badge), openbadges.assertion_json(award))
    response = HttpResponse(png, content_type="image/png")
    response["Content-Disposition"] = f'attachment; filename="{award.badge.slug}-badge.png"'
    if award.visibility != AwardVisibility.PUBLIC:
        _no_index(response)
    return response


# --- pages -------------------------------------------------------------------------------


def gallery(request):
    badges = list(selectors.badge_gallery())
    # Each badge with its words in the reader's language.
    return TemplateResponse(
        request,
        "badges/gallery.html",
        {"badges": list(zip(badges, localised(badges), strict=True))},
    )


def detail(request, slug):
    badge = get_object_or_404(originals(Badge.objects.all()), slug=slug)
    kind, _ = badge.kind()
    return TemplateResponse(
        request,
        "badges/badge_detail.html",
        {
            "badge": badge,
            "shown": localised_one(badge),
            "kind": kind,
            "holders": group_figure(badge.awards.filter(revoked_at__isnull=True).count()),
            "can_award": request.user.is_authenticated
            and (is_programme_admin(request.user) or request.user.managed_teams.exists()),
        },
    )


def assertion_page(request, award_id):
    try:
        award = _award_or_404(award_id)
    except AssertionErased as erased:
        return _no_index(_erased_answer(request, erased.award_id, page=True))
    is_earner = request.user.is_authenticated and request.user.pk == award.user_id
    if award.hidden and not is_earner:
        raise Http404("This badge is not public.")
    page_url = openbadges.absolute(award.get_absolute_url())
    linkedin = "https://www.linkedin.com/profile/add?" + urlencode(
        {
            "startTask": "CERTIFICATION_NAME",
            "name": award.badge.name,
            "organizationName": _organisation(),
            "issueYear": award.awarded_at.year,
            "issueMonth": award.awarded_at.month,
            "certUrl": page_url,
            "certId": str(award.pk),
        }
    )
    indexed = award.visibility == AwardVisibility.PUBLIC and not award.revoked
    response = TemplateResponse(
        request,
        "badges/assertion_page.html",
        {
            "award": award,
            "shown": localised_one(award.badge),
            "earner": award.public_earner(),
            "evidence_note": award.public_evidence_note(),
            "indexed": indexed,
            "visibility_choices": AwardVisibility.choices,
            "is_earner": is_earner,
            "linkedin_url": linkedin,
            "organisation": _organisation(),
            "can_revoke": request.user.is_authenticated and is_programme_admin(request.user),
        },
        status=410 if award.revoked else 200,
    )
    return response if indexed else _no_index(response)


@login_required
def mine(request):
    return TemplateResponse(
        request,
        "badges/my_badges.html",
        {
            "standings": selectors.badges_for(user=request.user),
            "level": level_progress(user=request.user),
            "streak": streak_weeks(user=request.user),
        },
    )


@require_POST
@login_required
def visibility(request, award_id):
    form = VisibilityForm(request.POST)
    try:
        award = services.badge_award_visibility(
            user=request.user,
            award_id=award_id,
            visibility=form.cleaned_data["visibility"] if form.is_valid() else "",
        )
    except ServiceError as error:
        if error.status == 404:
            raise Http404(str(error)) from error
        messages.error(request, error.message)
        return redirect("badges:mine")
    messages.success(
        request,
        gettext("“%(badge)s”: %(visibility)s.")
        % {
            "badge": localised_one(award.badge).name,
            "visibility": award.get_visibility_display().split(" (")[0],
        },
    )
    return redirect("badges:mine")


@login_required
def award(request, slug):
    badge = get_object_or_404(originals(Badge.objects.all()), slug=slug)
    form = AwardForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                awarded = services.badge_award(
                    badge=badge,
                    user=form.cleaned_data["recipient"],
                    by=request.user,
                    evidence_url=form.cleaned_data["evidence_url"],
                    note=form.cleaned_data["note"],
                )
            except ServiceError as error:
                form.add_error(None, str(error))
                status = error.status
            else:
                messages.success(
                    request,
                    gettext("Awarded “%(badge)s” to %(email)s.")
                    % {"badge": localised_one(badge).name, "email": awarded.user.email},
                )
                return redirect(awarded.get_absolute_url())
        else:
            status = 400
    return TemplateResponse(
        request,
        "badges/award_form.html",
        {"badge": badge, "shown": localised_one(badge), "form": form},
        status=status,
    )


@require_POST
@login_required
def revoke(request, award_id):
    form = RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise InvalidInput(
                gettext(
                    "Give a reason for the revocation of up to 1,000 characters; it is published."
                )
            )
        award = services.badge_revoke(
            award_id=award_id, reason=form.cleaned_data["reason"], by=request.user
        )
    except ServiceError as error:
        if error.status == 404:
            raise Http404(str(error)) from error
        messages.error(request, str(error))
        status_award = _award_or_404(award_id)
        return redirect(status_award.get_absolute_url())
    messages.success(request, gettext("The assertion is revoked; verifiers now get 410 Gone."))
    return redirect(award.get_absolute_url())
