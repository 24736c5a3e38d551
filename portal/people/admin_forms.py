"""Admin forms for departments, teams and people, with the rules editors must keep."""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from wagtail.admin.forms import WagtailAdminModelForm

from .models import Profile, Team, User, normalise_email
from .reporting import manager_cycle


class UsersByEmailField(forms.CharField):
    """People named by email address, so the form scales to any number of people."""

    def __init__(self, *, multiple: bool, **kwargs):
        self.multiple = multiple
        kwargs.setdefault("required", False)
        kwargs.setdefault("max_length", 5000 if multiple else 254)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, User):
            return value.email
        if isinstance(value, list | tuple):
            return ", ".join(user.email for user in value if isinstance(user, User)) or ""
        return value

    def clean(self, value):
        raw = super().clean(value)
        emails = [normalise_email(part) for part in re.split(r"[\s,;]+", raw or "") if part]
        if not self.multiple and len(emails) > 1:
            raise ValidationError("Enter one email address.")
        invalid = []
        for email in emails:
            try:
                validate_email(email)
            except ValidationError:
                invalid.append(email)
        if invalid:
            raise ValidationError(f"Not valid email addresses: {', '.join(invalid)}.")
        found = {user.email: user for user in User.objects.filter(email__in=emails)}
        unknown = [email for email in emails if email not in found]
        if unknown:
            raise ValidationError(f"No one in the portal has the email {', '.join(unknown)}.")
        users = [found[email] for email in dict.fromkeys(emails)]
        if self.multiple:
            return users
        return users[0] if users else None


class TeamAdminForm(WagtailAdminModelForm):
    manager_emails = UsersByEmailField(
        multiple=True,
        label="Managers",
        help_text="Email addresses of the people who manage this team, separated by commas.",
    )

    class Meta:
        model = Team
        fields = ["name", "slug", "department"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["manager_emails"] = list(self.instance.managers.all())

    def save(self, commit=True):
        team = super().save(commit=commit)
        if commit:
            team.managers.set(self.cleaned_data["manager_emails"])
        return team


class ProfileAdminForm(WagtailAdminModelForm):
    manager_email = UsersByEmailField(
        multiple=False,
        label="Manager",
        help_text="The email address of this person's manager; leave empty for none.",
    )

    class Meta:
        model = Profile
        fields = ["display_name", "department", "team", "location", "job_role", "cohort"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.manager_id:
            self.initial["manager_email"] = self.instance.manager

    def clean(self):
        cleaned = super().clean()
        team, department = cleaned.get("team"), cleaned.get("department")
        if team is not None:
            if department is None:
                cleaned["department"] = team.department
            elif team.department_id != department.pk:
                self.add_error(
                    "team", f"{team.name} belongs to {team.department.name}, not {department.name}."
                )
        manager = cleaned.get("manager_email")
        if manager is not None:
            person = self.instance.user
            if manager.pk == person.pk:
                self.add_error("manager_email", "A person cannot be their own manager.")
            else:
                managers = dict(
                    Profile.objects.filter(manager__isnull=False).values_list(
                        "user_id", "manager_id"
                    )
                )
                managers[person.pk] = manager.pk
                if manager_cycle(person.pk, managers.get):
                    self.add_error(
                        "manager_email",
                        f"{manager} already reports (directly or not) to {person}; "
                        "that would make a cycle.",
                    )
        return cleaned

    def save(self, commit=True):
        self.instance.manager = self.cleaned_data.get("manager_email")
        return super().save(commit=commit)
