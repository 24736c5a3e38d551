"""The "Import people" screen in the Wagtail admin: the same import as the command."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse

from portal.audit import audit

from .importing import PeopleImportError, import_people


class ImportPeopleForm(forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="Columns: email, first_name, last_name, department, team, manager_email, "
        "location, job_role, cohort (the invitation wave: Pilot, Wave 2...). UTF-8, "
        "header row first.",
    )
    dry_run = forms.BooleanField(
        required=False, initial=True, label="Dry run: check and count, write nothing"
    )
    invite = forms.BooleanField(
        required=False, label="Email new people an invitation to set their password"
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.PEOPLE_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"The file is larger than {settings.PEOPLE_IMPORT_MAX_BYTES:,} bytes; split it."
            )
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Upload a .csv file.")
        return upload


def import_people_view(request):
    if not request.user.has_perm("people.import_people"):
        raise PermissionDenied
    form = ImportPeopleForm(request.POST or None, request.FILES or None)
    context = {"form": form, "report": None, "problems": None}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = context["report"] = import_people(
                data=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
                invite=form.cleaned_data["invite"],
            )
            if not form.cleaned_data["dry_run"]:
                audit(
                    request.user,
                    "people.import",
                    by=request.user,
                    title=f"Import of {upload.name[:80]}",
                    data={
                        "file": upload.name[:200],
                        "created": report.created,
                        "updated": report.updated,
                        "invited": report.invited,
                    },
                )
        except PeopleImportError as error:
            context["problems"] = error.problems
    return TemplateResponse(request, "people/admin/import_people.html", context)
