"""Admin screens for training: course feedback, and who facilitates a workshop."""

from typing import cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext, gettext_lazy
from guardian.shortcuts import get_users_with_perms

from portal.people.admin_forms import UsersByEmailField
from portal.people.models import User

from . import selectors, services
from .models import WorkshopPage


def feedback_report_view(request):
    if not request.user.has_perm("courses.view_coursefeedback"):
        raise PermissionDenied
    return TemplateResponse(
        request, "courses/admin/feedback_report.html", {"rows": selectors.course_feedback_report()}
    )


def _facilitators(workshop: WorkshopPage) -> QuerySet[User]:
    """The people holding the workshop's own facilitation right (not the model-wide one)."""
    return cast(
        QuerySet[User],
        get_users_with_perms(
            workshop, only_with_perms_in=["facilitate_workshop"], with_group_users=False
        ),
    )


class FacilitatorsForm(forms.Form):
    people = UsersByEmailField(
        multiple=True,
        required=True,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=gettext_lazy("Add facilitators"),
        help_text=gettext_lazy(
            "Email addresses of people in the portal, one per line or comma-separated."
        ),
    )


class RemoveFacilitatorForm(forms.Form):
    remove = forms.IntegerField(min_value=1, max_value=2**63 - 1)


def facilitators_view(request, page_id: int):
    workshop = get_object_or_404(WorkshopPage, pk=page_id)
    if not workshop.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    form = FacilitatorsForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            remove = RemoveFacilitatorForm(request.POST)
            if not remove.is_valid():
                messages.error(request, gettext("That is not one of this workshop's facilitators."))
                return redirect(request.path)
            for user in _facilitators(workshop).filter(pk=remove.cleaned_data["remove"]):
                services.workshop_facilitator_remove(workshop=workshop, user=user)
                messages.success(
                    request,
                    gettext("%(email)s no longer facilitates this workshop.")
                    % {"email": user.email},
                )
            return redirect(request.path)
        if form.is_valid():
            for user in form.cleaned_data["people"]:
                services.workshop_facilitator_add(workshop=workshop, user=user)
            messages.success(request, gettext("Facilitators added."))
            return redirect(request.path)
    facilitators = _facilitators(workshop).select_related("profile").order_by("email")
    return TemplateResponse(
        request,
        "courses/admin/facilitators.html",
        {"workshop": workshop, "form": form, "facilitators": facilitators},
    )
