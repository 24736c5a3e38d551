import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import form_run
from portal.people.forms import WorkingTimeForm
from portal.people.models import WorkingTimeSettings
from portal.people.selectors import profile_of
from portal.people.services import working_time_update

from . import push, services
from .forms import PushChoiceForm, PushSubscriptionForm
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
    choices = PushChoiceForm(instance=push.choices_of(request.user), prefix="push")
    if request.method == "POST" and "push-save" in request.POST:
        choices = PushChoiceForm(
            request.POST, instance=push.choices_of(request.user), prefix="push"
        )
        if choices.is_valid():
            push.choices_save(user=request.user, **choices.cleaned_data)
            messages.success(request, _("Your choices for your phone are saved."))
            return redirect("notifications:settings")
        status = 400
    if request.method == "POST" and "push-save" not in request.POST:
        form = WorkingTimeForm(request.POST, defaults=defaults)
        saved, status = form_run(form, lambda data: working_time_update(user=request.user, **data))
        if saved is not None:
            messages.success(request, _("Your working time is saved."))
            return redirect("notifications:settings")
    else:
        form = WorkingTimeForm(initial=WorkingTimeForm.initial_for(profile), defaults=defaults)
    return TemplateResponse(
        request,
        "notifications/settings.html",
        {
            "form": form,
            "defaults": defaults,
            "choices": choices,
            "devices": request.user.push_subscriptions.count(),
            "push_public_key": push.push_key().public_key,
        },
        status=status or 200,
    )


@require_POST
@login_required
def push_subscribe(request):
    """The page's script hands over this browser's push subscription (JSON)."""
    try:
        body = json.loads(request.body)
        keys = body.get("keys") or {}
        data = {"endpoint": body.get("endpoint"), "p256dh": keys.get("p256dh"),
                "auth": keys.get("auth")}  # fmt: skip
    except (ValueError, AttributeError, TypeError):
        return JsonResponse({"error": "Send the subscription as JSON."}, status=400)
    form = PushSubscriptionForm(data)
    if not form.is_valid():
        return JsonResponse({"error": "That is not a browser's push subscription."}, status=400)
    if not push.endpoint_allowed(form.cleaned_data["endpoint"]):
        return JsonResponse({"error": "That push service is not one the portal uses."}, status=400)
    push.subscription_save(user=request.user, **form.cleaned_data)
    devices = request.user.push_subscriptions.count()
    return JsonResponse({"subscribed": True, "devices": devices}, status=201)


@require_POST
@login_required
def push_unsubscribe(request):
    try:
        endpoint = str(json.loads(request.body).get("endpoint") or "")
    except (ValueError, AttributeError):
        return JsonResponse({"error": "Send the subscription as JSON."}, status=400)
    removed = push.subscription_remove(
        user=request.user, endpoint=endpoint.replace("\x00", "")[:1000]
    )
    devices = request.user.push_subscriptions.count()
    return JsonResponse({"removed": removed, "devices": devices})
