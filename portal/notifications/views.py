from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

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
