"""Mentoring pages; thin: check the request and the object, call a service, render."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext

from portal.errors import Conflict, InvalidInput, NotAllowed, ServiceError, form_run, refused
from portal.fields import cleaned
from portal.people.models import PrivacySettings, Profile
from portal.people.permissions import managed_teams
from portal.submissions import ALREADY_DONE, ALREADY_SENT, form_run_once

from . import selectors, services
from .forms import CheckInForm, GoalForm, MentoringProfileForm, ReasonForm
from .models import Goal, MentoringProfile, Pairing
from .proposals import pairing_rows


def _mentee_profile_for(request, user_id: int) -> Profile | None:
    profile = Profile.objects.select_related("user").filter(user_id=user_id).first()
    if profile is None or not selectors.may_view_progress(
        viewer=request.user, mentee_profile=profile
    ):
        return None
    return profile


@login_required
def dashboard(request):
    mentoring = MentoringProfile.objects.filter(user=request.user).first()
    return TemplateResponse(
        request,
        "mentoring/dashboard.html",
        {
            "rows": selectors.mentee_rows(mentor=request.user),
            "mentoring": mentoring,
            "may_pair": request.user.has_perm("mentoring.manage_pairings"),
            "manages": managed_teams(user=request.user).exists(),
        },
    )


@login_required
def teams(request):
    """A manager's view of the teams they manage (the object permission on each team)."""
    managed = selectors.team_rows(manager=request.user)
    if not managed:
        return refused(request, NotAllowed(gettext("You do not manage a team.")), back_url="/me/")
    return TemplateResponse(
        request,
        "mentoring/teams.html",
        {"teams": managed, "works_council": PrivacySettings.load().works_council_mode},
    )


@login_required
def mentee(request, user_id: int):
    profile = _mentee_profile_for(request, user_id)
    if profile is None:
        return refused(
            request,
            NotAllowed(gettext("You are not this person's mentor.")),
            back_url="/mentoring/",
        )
    pairing = Pairing.objects.filter(
        mentor=request.user, mentee_id=user_id, status=Pairing.Status.ACTIVE
    ).first()
    return TemplateResponse(
        request,
        "mentoring/mentee.html",
        {
            "row": selectors.mentee_row(mentor=request.user, mentee_id=user_id),
            "profile": profile,
            "pairing": pairing,
            "detail": selectors.pairing_detail(pairing) if pairing else {},
            "checkin_form": CheckInForm(),
            "goal_form": GoalForm(),
        },
    )


@login_required
def mentee_json(request, user_id: int):
    if _mentee_profile_for(request, user_id) is None:
        return JsonResponse({"error": "You are not this person's mentor."}, status=403)
    return JsonResponse(selectors.mentee_row(mentor=request.user, mentee_id=user_id) or {})


@login_required
def mine(request):
    mentoring = selectors.mentoring_profile_of(user=request.user)
    status = 200
    if request.method == "POST":
        form = MentoringProfileForm(request.POST)
        saved, status = form_run(
            form, lambda data: services.mentoring_profile_update(user=request.user, **data)
        )
        if saved is not None:
            messages.success(request, gettext("Your mentoring preferences are saved."))
            return redirect("mentoring:mine")
    else:
        form = MentoringProfileForm(
            initial={
                "is_mentor": mentoring.is_mentor,
                "capacity": mentoring.capacity,
                "networks": mentoring.networks,
                "topics": mentoring.topics,
                "languages": mentoring.languages,
                "wants_mentor": mentoring.wants_mentor,
                "growth_networks": mentoring.growth_networks,
            }
        )
    pairing = selectors.my_pairing(user=request.user)
    return TemplateResponse(
        request,
        "mentoring/mine.html",
        {
            "form": form,
            "pairing": pairing,
            "detail": selectors.pairing_detail(pairing) if pairing else {},
            "checkin_form": CheckInForm(),
            "goal_form": GoalForm(),
            "reason_form": ReasonForm(),
        },
        status=status,
    )


def _post_only(view):
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        back = request.POST.get("back") or "/mentoring/me/"
        if not back.startswith("/mentoring/"):
            back = "/mentoring/me/"
        try:
            return view(request, *args, back=back, **kwargs)
        except ServiceError as error:
            return refused(request, error, back_url=back)

    return login_required(wrapped)


@_post_only
def pairing_action(request, pairing_id: int, action: str, back: str):
    pairing = selectors.pairing_of(user=request.user, pairing_id=pairing_id)
    reason = cleaned(request.POST.get("reason"), label=gettext("reason"))
    if action == "checkin":
        done, _ = form_run_once(
            CheckInForm(request.POST),
            lambda data: services.checkin_add(pairing=pairing, author=request.user, **data),
            user=request.user,
        )
        if done is None:
            return refused(
                request,
                InvalidInput(gettext("Write a check-in note of up to 2,000 characters.")),
                back_url=back,
            )
        messages.success(
            request, ALREADY_SENT if done is ALREADY_DONE else gettext("Check-in saved.")
        )
    elif action == "goal":
        done, _ = form_run_once(
            GoalForm(request.POST),
            lambda data: services.goal_add(pairing=pairing, by=request.user, **data),
            user=request.user,
        )
        if done is None:
            return refused(
                request,
                InvalidInput(gettext("A goal needs a title, and a valid date if any.")),
                back_url=back,
            )
        messages.success(request, ALREADY_SENT if done is ALREADY_DONE else gettext("Goal added."))
    elif action == "nudge":
        try:
            services.nudge_send(pairing=pairing, by=request.user)
            messages.success(request, gettext("Nudge sent."))
        except Conflict as already:  # a second click, or another tab: no error page
            messages.info(request, already.message)
    elif action == "end":
        services.pairing_end(
            pairing=pairing,
            by=request.user,
            reason=reason,
        )
        messages.success(request, gettext("The pairing has ended."))
        return redirect(
            "mentoring:mine" if request.user.pk == pairing.mentee_id else "mentoring:dashboard"
        )
    elif action == "change":
        services.pairing_request_change(
            pairing=pairing,
            by=request.user,
            reason=reason,
        )
        messages.success(request, gettext("The programme team will find you another mentor."))
    else:
        raise Http404("Unknown action.")
    return redirect(back)


@_post_only
def goal_done(request, goal_id: int, back: str):
    goal = Goal.objects.select_related("pairing").filter(pk=goal_id).first()
    if goal is None:
        raise Http404("No such goal.")
    services.goal_done(goal=goal, by=request.user)
    messages.success(request, gettext("Goal met."))
    return redirect(back)


@permission_required("mentoring.manage_pairings", raise_exception=True)
def pairing_admin(request):
    rows, proposals = pairing_rows()
    status = 200
    if request.method == "POST":
        pairs = []
        for key, value in request.POST.items():
            if key.startswith("mentee-") and value:
                try:
                    pairs.append((int(key.removeprefix("mentee-")), int(value)))
                except ValueError:
                    return refused(
                        request,
                        InvalidInput(gettext("The pairing form was garbled.")),
                        back_url=request.path,
                    )
        try:
            applied = services.pairings_apply(
                pairs=pairs,
                by=request.user,
                proposed={(row.mentee.user_id, row.mentor.user_id) for row in proposals},
            )
        except ServiceError as error:
            messages.error(
                request, gettext("Nothing was applied: %(error)s") % {"error": error.message}
            )
            status = error.status
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s pairing made.", "%(count)s pairings made.", len(applied.created)
                )
                % {"count": len(applied.created)},
            )
            return redirect("mentoring:pairing_admin")
    changes = Pairing.objects.filter(
        status=Pairing.Status.ACTIVE, change_requested_at__isnull=False
    ).select_related("mentor__profile", "mentee__profile")
    return TemplateResponse(
        request,
        "mentoring/pairing_admin.html",
        {"rows": rows, "proposals": proposals, "changes": changes},
        status=status,
    )
