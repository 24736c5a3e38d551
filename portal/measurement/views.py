"""The programme dashboard, ``/programme/``: programme admins see the whole programme,
managers the teams they manage; anyone else is refused."""

from django.contrib.auth.decorators import login_required
from django.template.response import TemplateResponse
from django.utils import timezone

from portal.errors import NotAllowed, refused

from . import selectors
from .forms import DashboardFilters
from .models import STEPS


@login_required
def programme(request):
    people = selectors.people_in_scope(viewer=request.user)
    if people is None:
        return refused(
            request,
            NotAllowed("The programme dashboard is for programme admins and team managers."),
            back_url="/me/",
        )
    scope = people  # before the filters: the department choices
    form = DashboardFilters(request.GET or None)
    status = 200
    data = {}
    if form.is_bound:
        if form.is_valid():
            data = form.cleaned_data
        else:
            status = 400
    period = selectors.period_for(
        data.get("period") or "month",
        today=timezone.localdate(),
        start=data.get("start"),
        end=data.get("end"),
    )
    if data.get("department"):
        people = people.filter(profile__department_id=data["department"])
    if data.get("location"):
        people = people.filter(profile__location__iexact=data["location"])
    if data.get("job_role"):
        people = people.filter(profile__job_role__iexact=data["job_role"])
    funnel = selectors.funnel(people=people, period=period)
    reach = None if funnel.hidden else selectors.reach(people=people, period=period)
    by_department, unshown = selectors.funnel_by_department(people=people, period=period)
    context = {
        "form": form,
        "period": period,
        "previous": period.previous(),
        "funnel": funnel,
        "reach": reach,
        "by_department": by_department,
        "unshown": unshown,
        "step_labels": [label for _, label in STEPS],
        "departments": selectors.departments_in(scope),  # the choices ignore the filters
        "whole_programme": selectors.is_programme_admin(request.user),
    }
    return TemplateResponse(request, "measurement/programme.html", context, status=status)
