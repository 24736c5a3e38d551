"""The programme dashboard, ``/programme/``: programme admins see the whole programme,
managers the teams they manage; anyone else is refused. ``?csv=<table>`` downloads one
of its tables."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext

from portal.errors import NotAllowed, refused

from . import selectors
from .forms import DashboardFilters
from .report import report
from .tables import csv_response


@login_required
def programme(request):
    form = DashboardFilters(request.GET or None)
    status = 200
    data: dict = {}
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
        else:
            status = 400
    scope = selectors.scope_for(viewer=request.user, filters=data)
    if scope is None:
        return refused(
            request,
            NotAllowed(
                gettext("The programme dashboard is for programme admins and team managers.")
            ),
            back_url="/me/",
        )
    period = selectors.period_for(
        data.get("period") or "month",
        today=timezone.localdate(),
        start=data.get("start"),
        end=data.get("end"),
    )
    result = report(
        viewer=request.user, scope=scope, period=period, by=data.get("by") or "department"
    )
    wanted = request.GET.get("csv")
    if wanted is not None:
        table = result.table(wanted) if status == 200 else None
        if table is None:
            return HttpResponse(
                "No such table here: check the link (and the filters).",
                status=400 if status == 400 else 404,
                content_type="text/plain; charset=utf-8",
            )
        return csv_response(table, file_stem=f"programme-{period.start}-{period.end}")
    query = request.GET.copy()
    query.pop("csv", None)
    context = {
        "form": form,
        "report": result,
        "period": period,
        "previous": period.previous(),
        "query": query.urlencode(),
        "departments": selectors.departments_in(scope),  # the choices ignore the filters
        "teams": selectors.team_choices(scope, department=data.get("department")),
        "whole_programme": scope.whole_programme,
    }
    return TemplateResponse(request, "measurement/programme.html", context, status=status)
