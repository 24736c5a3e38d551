from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from .selectors import notifications_recent
from .services import notifications_mark_read


@login_required
def notification_list(request):
    return TemplateResponse(
        request,
        "notifications/notification_list.html",
        {"notifications": list(notifications_recent(user=request.user))},
    )


@require_POST
@login_required
def notifications_read(request):
    notifications_mark_read(user=request.user)
    return redirect("notifications:list")
