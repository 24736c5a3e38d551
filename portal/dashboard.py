"""The advocate's dashboard (``/me/``): their level, streak, next step and recent
activity. It reads from the ledger and from training, so it lives in the composition
layer rather than in ``portal.people``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from courses.selectors import onboarding_next_step, sharing_blockers
from portal.activity.selectors import activity_recent, level_progress, streak_weeks
from portal.people.selectors import profile_of


@login_required
def dashboard(request):
    profile = profile_of(user=request.user)
    return render(
        request,
        "dashboard.html",
        {
            "profile": profile,
            "level": level_progress(user=request.user),
            "streak": streak_weeks(user=request.user),
            "activities": activity_recent(user=request.user, limit=20),
            "next_step": onboarding_next_step(user=request.user),
            "sharing_blockers": sharing_blockers(user=request.user),
        },
    )
