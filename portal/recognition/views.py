"""Recognition pages; thin: check the request, call a service, render."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone

from portal.errors import InvalidInput
from portal.fields import cleaned
from portal.submissions import ALREADY_DONE, ALREADY_SENT, form_run_once

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
                f"You recognised {made.recipient.profile.name} "
                f"({made.category.name}, {made.points} points).",
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
            messages.success(request, f"Kudos sent to {made.recipient.profile.name}.")
            return redirect("recognition:feed")
    else:
        form = KudosForm(people=people)
    return TemplateResponse(
        request,
        "recognition/thanks.html",
        {"form": form, "left": selectors.kudos_left(user=request.user)},
        status=status,
    )


class _Echo:
    def write(self, value):
        return value


@permission_required("recognition.view_audit", raise_exception=True)
def audit(request):
    try:
        kind = cleaned(request.GET.get("kind", ""), label="kind")
        search = cleaned(request.GET.get("q", "")[:100], label="search")
    except InvalidInput as error:
        return HttpResponseBadRequest(error.message)
    rows = selectors.audit_rows(kind=kind, search=search)
    if request.GET.get("format") == "csv":
        writer = csv.writer(_Echo())

        def lines():
            yield writer.writerow(
                ["when", "kind", "giver", "recipient", "team", "category", "points", "badge",
                 "budget", "message"]
            )  # fmt: skip
            for row in rows.iterator(chunk_size=2000):
                yield writer.writerow(
                    _safe_cell(value) if isinstance(value, str) else value
                    for value in [
                        timezone.localtime(row.created_at).isoformat(),
                        row.kind,
                        row.giver.email if row.giver else selectors.FORMER_COLLEAGUE,
                        row.recipient.email,
                        row.team.name if row.team else "",
                        row.category.name if row.category else "",
                        row.points,
                        row.badge.name if row.badge else "",
                        row.budget,
                        row.message,
                    ]
                )

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="recognition-audit.csv"'
        return response
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return TemplateResponse(
        request,
        "recognition/audit.html",
        {"page": page, "kind": kind, "q": search, "kinds": Kind.choices},
    )


def _safe_cell(text: str) -> str:
    """Spreadsheets run cells that start with = + - @ (or a tab or return) as formulas:
    quote them. Every text cell goes through it: emails and team names can start so."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
