"""Exactly once from the person's side: forms with a side effect carry a one-time token.

A form class mixes in ``OnceForm``: every rendering gets a new token in a hidden field.
``form_run_once`` records the token in the transaction that does the work, so the work
and the token commit together: the same token posted again (a double click, a retry
after a lost response, a second tab re-sending) finds it taken and does nothing. A
refused post (invalid, or a rule said no) does not use the token, so the person can
correct and send again.
"""

import uuid
from datetime import timedelta

from django import forms
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from .errors import ServiceError, form_error
from .fields import cleaned
from .models import Submission

KEEP_DAYS = 1


class AlreadyDone:
    """What ``form_run_once`` returns for a token that was used: the work is done."""


ALREADY_DONE = AlreadyDone()
# What a person is told when the same form arrives again.
ALREADY_SENT = gettext_lazy("That was already sent; it counts once.")


class OnceForm(forms.Form):
    submission = forms.UUIDField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("submission", uuid.uuid4())


def submission_take(token, *, user: AbstractBaseUser) -> bool:
    """Record ``token`` in the current transaction: False when it was used before.

    Call it inside the ``transaction.atomic()`` that does the work, so the token and the
    work commit (or roll back) together.
    """
    try:
        with transaction.atomic():
            Submission.objects.create(token=token, user_id=user.pk, created_at=timezone.now())
    except IntegrityError:
        return False
    return True


def token_field(value, *, required: bool = True):
    """The posted token of a form that is not a Django form (Wagtail page forms):
    ``portal.fields.cleaned`` with a UUID field, so a missing or forged token is a 400."""
    return cleaned(
        value,
        forms.UUIDField(required=required),
        label="submission",
        message="This form is out of date; reload the page and send it again.",
    )


def form_run_once(form: OnceForm, action, *, user: AbstractBaseUser):
    """``portal.errors.form_run`` with the form's token: ``(result, None)`` when done now,
    ``(ALREADY_DONE, None)`` when the token was used before, ``(None, status)`` when
    refused (the message is on the form, and the token stays unused)."""
    if not form.is_valid():
        return None, 400
    data = dict(form.cleaned_data)
    token = data.pop("submission")
    try:
        with transaction.atomic():
            if not submission_take(token, user=user):
                return ALREADY_DONE, None
            return action(data), None
    except ServiceError as error:
        form_error(form, error)
        return None, error.status


def submissions_prune(*, now=None) -> int:
    """A worker job: forget tokens older than a day (a retry comes within minutes)."""
    cutoff = (now or timezone.now()) - timedelta(days=KEEP_DAYS)
    return Submission.objects.filter(created_at__lt=cutoff).delete()[0]
