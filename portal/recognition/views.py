"""Recognition pages; thin: check the request, call a service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from portal.errors import InvalidInput
from portal.exports import export_request, exports_recent
from portal.fields import cleaned
from portal.submissions import (
    ALREADY_DONE,
    ALREADY_SENT,
    form_run_once,
    submission_take,
    token_field,
)

from . import selectors, services
from .forms import KudosForm, RecognitionForm
from .models import Kind


@login_required
def feed(request):
    return TemplateResponse(
        request,
        "recognition/feed.html",
        {
            "entries": selectors.recognition_feed(),
            "may_recognise": selectors.may_recognise(request.user),
        },
    )


@login_required
def give(request):
    if not selectors.may_recognise(request.user):
        raise PermissionDenied("Recognition is for managers of a team and the programme team.")
    people = selectors.recognisable_people(giver=request.user)
    status = 200
    if request.method == "POST":
        form = RecognitionForm(request.POST, people=people)
        made, status = form_run_once(
            form,
            lambda data: services.recognition_give(giver=request.user, **data),
            user=request.user,
        )
        if made is ALREADY_DONE:
            messages.info(request, ALREADY_SENT)
            return redirect("recognition:feed")
        if made is not None:
            messages.success(
                request,
                gettext("You recognised %(name)s (%(category)s, %(points)s points).")
                % {
                    "name": made.recipient.profile.name,
                    "category": made.category.name,
                    "points": made.points,
                },
            )
            return redirect("recognition:feed")
    else:
        form = RecognitionForm(people=people, initial={"recipient": request.GET.get("to")})
    left, allowed = selectors.budget_left(user=request.user)
    return TemplateResponse(
        request,
        "recognition/give.html",
        {"form": form, "left": left, "allowed": allowed},
        status=status,
    )


@login_required
def thanks(request):
    people = selectors.kudos_people(giver=request.user)
    status = 200
    if request.method == "POST":
        form = KudosForm(request.POST, people=people)
        made, status = form_run_once(
            form, lambda data: services.kudos_give(giver=request.user, **data), user=request.user
        )
        if made is ALREADY_DONE:
            messages.info(request, ALREADY_SENT)
            return redirect("recognition:feed")
        if made is not None:
            messages.success(
                request, gettext("Kudos sent to %(name)s.") % {"name": made.recipient.profile.name}
            )
            return redirect("recognition:feed")
    else:
        form = KudosForm(people=people)
    return TemplateResponse(
        request,
        "recognition/thanks.html",
        {"form": form, "left": selectors.kudos_left(user=request.user)},
        status=status,
    )


@permission_required("recognition.view_audit", raise_exception=True)
def audit(request):
    try:
        kind = cleaned(request.GET.get("kind", ""), label=gettext("kind"))
        search = cleaned(request.GET.get("q", "")[:100], label=gettext("search"))
    except InvalidInput as error:
        return HttpResponseBadRequest(error.message)
    if request.method == "POST":
        # A double click queues one export (the form's one-time token).
        try:
            token = token_field(request.POST.get("submission"))
        except InvalidInput as error:
            return HttpResponseBadRequest(error.message)
        with transaction.atomic():
            if submission_take(token, user=request.user):
                export_request(
                    user=request.user,
                    kind="recognition_audit",
                    params={"kind": kind, "search": search},
                )
        messages.info(
            request,
            gettext(
                "Your CSV is being prepared; a notification brings the link (usually within a "
                "minute). It is listed below too."
            ),
        )
        return redirect(request.get_full_path())
    rows = selectors.audit_rows(kind=kind, search=search)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "recognition/audit.html",
        {
            "page": page,
            "kind": kind,
            "q": search,
            "kinds": Kind.choices,
            "exports": exports_recent(user=request.user, kind="recognition_audit"),
        },
    )
