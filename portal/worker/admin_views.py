"""Background work, as admins see it in the Wagtail admin (Reports → Background work):
tasks that failed, tasks waiting or running, and ledger deliveries that keep failing or
wait; a delivery can be retried now. Figures about the work only, no person's data."""

from datetime import timedelta

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from portal.activity.models import Delivery

PERMISSION = "activity.view_activity"
SHOWN = 50


class RetryForm(forms.Form):
    delivery = forms.IntegerField(min_value=1, max_value=2**63 - 1)


def background_work(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    if request.method == "POST":
        form = RetryForm(request.POST)
        if not form.is_valid():
            messages.error(request, gettext("That delivery is not here any more."))
            return redirect("background_work")
        retried = Delivery.objects.filter(pk=form.cleaned_data["delivery"]).update(
            due=timezone.now()
        )
        if retried:
            messages.success(request, gettext("The next sweep (within a few seconds) applies it."))
        else:
            messages.info(request, gettext("That delivery was applied meanwhile."))
        return redirect("background_work")
    since = timezone.now() - timedelta(days=7)
    tasks = DBTaskResult.objects.all()
    context = {
        "failed_tasks": list(
            tasks.failed().filter(finished_at__gte=since).order_by("-finished_at")[:SHOWN]
        ),
        "failed_count": tasks.failed().filter(finished_at__gte=since).count(),
        "waiting_count": tasks.ready().count(),
        "running_count": tasks.running().count(),
        "deliveries": list(
            Delivery.objects.filter(attempts__gt=0)
            .select_related("activity")
            .order_by("-attempts", "due")[:SHOWN]
        ),
        "delivery_count": Delivery.objects.filter(attempts__gt=0).count(),
        "due_count": Delivery.objects.filter(due__lte=timezone.now()).count(),
        "retry_form": RetryForm(),
    }
    return TemplateResponse(request, "worker/admin/background_work.html", context)
