"""Making and revoking API tokens: a person's own (/me/api-tokens/) and programme admins'
service tokens (the admin's "API tokens" screen). A token is shown once."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from .auth import owner_may
from .models import ApiToken, Scope

ADMIN_PERMISSION = "people.import_people"  # who may provision people may connect systems


class TokenForm(forms.Form):
    name = forms.CharField(
        max_length=100,
        label=gettext_lazy("Name of a new token"),
        help_text=gettext_lazy("What will use it, for example: Power BI."),
    )
    scopes = forms.MultipleChoiceField(
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("What it may do"),
    )

    def __init__(self, *args, owner, service: bool, **kwargs):
        super().__init__(*args, **kwargs)
        probe = ApiToken(owner=owner, service=service)
        field = self.fields["scopes"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (value, label) for value, label in Scope.choices if owner_may(probe, value)
        ]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].replace("\x00", "").split())
        if not name:
            raise forms.ValidationError(gettext("Give the token a name."))
        return name


def _tokens_page(request, *, service: bool, template: str):
    owner = request.user
    form = TokenForm(request.POST or None, owner=owner, service=service)
    new_token = None
    if request.method == "POST" and "revoke" in request.POST:
        value = request.POST["revoke"]
        if value.isdigit() and len(value) < 18:
            revoked = ApiToken.objects.filter(
                pk=int(value), service=service, revoked_at__isnull=True,
                **({} if service else {"owner": owner}),
            ).update(revoked_at=timezone.now())  # fmt: skip
            if revoked:
                messages.success(request, gettext("Token revoked: it no longer works."))
        return redirect(request.path)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                _, new_token = ApiToken.issue(
                    owner=owner, name=form.cleaned_data["name"],
                    scopes=form.cleaned_data["scopes"], service=service,
                )  # fmt: skip
            form = TokenForm(owner=owner, service=service)
        except IntegrityError:
            form.add_error("name", gettext("You have a token with this name already."))
    tokens = ApiToken.objects.filter(service=service).select_related("owner")
    if not service:
        tokens = tokens.filter(owner=owner)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return TemplateResponse(
        request, template, {"form": form, "tokens": tokens, "new_token": new_token}, status=status
    )


@login_required
def my_tokens(request):
    return _tokens_page(request, service=False, template="api/my_tokens.html")


def service_tokens(request):
    if not request.user.has_perm(ADMIN_PERMISSION):
        raise PermissionDenied
    return _tokens_page(request, service=True, template="api/admin/service_tokens.html")
