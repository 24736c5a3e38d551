"""The advocate's dashboard (``/me/``): their next step, rank, level, streak and recent
activity, and their whole activity history (``/me/activity/``). It reads from the
ledger, training and the boards, so it lives in the composition layer rather than in
``portal.people``."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from cms.sites import site_for
from courses.selectors import onboarding_next_step, sharing_blockers
from leaderboards.boards import COMPANY
from leaderboards.selectors import leaderboard_me
from portal.activity.models import Activity
from portal.activity.selectors import activity_recent, level_progress, streak_weeks
from portal.people.selectors import profile_of

# The dashboard lists this many recent entries; the history page has them all.
RECENT = 6
HISTORY_PAGE = 50


@login_required
def dashboard(request):
    profile = profile_of(user=request.user)
    recent = list(activity_recent(user=request.user, limit=RECENT + 1))
    return render(
        request,
        "dashboard.html",
        {
            "profile": profile,
            "level": level_progress(user=request.user),
            "streak": streak_weeks(user=request.user),
            # This week's company board, the one the leaderboard page opens on.
            "rank": leaderboard_me(board=COMPANY, window="week", viewer=request.user),
            "activities": recent[:RECENT],
            "more_activity": len(recent) > RECENT,
            "next_step": onboarding_next_step(user=request.user, site=site_for(request)),
            "sharing_blockers": sharing_blockers(user=request.user),
        },
    )


@login_required
def activity_history(request):
    entries = Activity.objects.filter(actor_id=request.user.pk).select_related("object_type")
    page = Paginator(entries, HISTORY_PAGE).get_page(request.GET.get("page"))
    return render(request, "activity_history.html", {"page": page})
