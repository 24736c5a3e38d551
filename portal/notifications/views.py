from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from portal.errors import form_run
from portal.people.forms import WorkingTimeForm
from portal.people.models import WorkingTimeSettings
from portal.people.selectors import profile_of
from portal.people.services import working_time_update

from . import services
from .models import DigestSubscription
from .selectors import notifications_recent


@login_required
def notification_list(request):
    return TemplateResponse(
        request,
        "notifications/notification_list.html",
        {
            "notifications": list(notifications_recent(user=request.user)),
            "digest_on": not DigestSubscription.objects.filter(
                user=request.user, enabled=False
            ).exists(),
        },
    )


@require_POST
@login_required
def digest_switch(request):
    services.digest_switch(user=request.user, enabled=request.POST.get("enabled") == "1")
    return redirect("notifications:list")


@require_POST
@login_required
def notifications_read(request):
    services.notifications_mark_read(user=request.user)
    return redirect("notifications:list")


@login_required
def reach_settings(request):
    """When and how the portal reaches a person: their working time (messages wait for
    it), and which notifications reach their phone."""
    profile = profile_of(user=request.user)
    defaults = WorkingTimeSettings.load()
    status = 200
    if request.method == "POST":
        form = WorkingTimeForm(request.POST, defaults=defaults)
        saved, status = form_run(form, lambda data: working_time_update(user=request.user, **data))
        if saved is not None:
            messages.success(request, "Your working time is saved.")
            return redirect("notifications:settings")
    else:
        form = WorkingTimeForm(initial=WorkingTimeForm.initial_for(profile), defaults=defaults)
    return TemplateResponse(
        request,
        "notifications/settings.html",
        {"form": form, "defaults": defaults},
        status=status or 200,
    )
