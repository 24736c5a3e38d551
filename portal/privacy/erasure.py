"""Erasing a person (GDPR Art. 17), and finding what still refers to someone.

What is the person's own goes with them (profile, statements, shares and clicks,
reflections, named workshop answers, notifications, sessions, mentoring notes, awards,
permissions, rank-store entries). What other people's points or histories depend on
stays, with the person pseudonymised as "a former colleague": recognitions and kudos they
gave, mentors' credits for them, statements others' pages show. Their public assertions
answer 410 Gone with a neutral reason. Everything runs in one transaction.
"""

import json
import re
import secrets
from dataclasses import dataclass, field

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from guardian.models import GroupObjectPermission, UserObjectPermission
from wagtail.models import ModelLogEntry, PageLogEntry, Revision

from badges.models import BadgeAward, ErasedAssertion
from courses.models import WorkshopAnswer
from leaderboards.services import leaderboards_forget
from portal.activity.models import Activity
from portal.activity.verbs import MENTEE_ONBOARDED
from portal.events import RecognitionEntriesRetracted
from portal.notifications.models import Notification
from portal.people.audit import audit_erasure
from portal.people.models import Profile, User
from portal.people.services import sessions_end
from portal.realtime import broadcast
from portal.recognition.models import Recognition
from portal.recognition.selectors import FORMER_COLLEAGUE, public_entry
from portal.recognition.services import FEED_GROUP

from .export import generic_relations, user_relations

# Where other people's rows may name the person in free text, and are rewritten.
SCRUBBED_TEXT: list[tuple[type[models.Model], tuple[str, ...]]] = [
    (Activity, ("object_label", "result", "context")),
    (Notification, ("title", "body")),
    (Recognition, ("budget", "message")),
    (ModelLogEntry, ("label", "data")),
    (PageLogEntry, ("label", "data")),
    (Revision, ("object_str", "content")),
    (LogEntry, ("object_repr", "change_message")),
]


@dataclass
class Identity:
    """What names a person: their id, email and the names others may have seen."""

    user_id: int
    profile_id: int | None
    email: str
    names: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, user: User) -> "Identity":
        profile = Profile.objects.filter(user=user).first()
        names = {user.get_full_name()}
        if profile is not None:
            names |= {profile.display_name, profile.alias}
            if not profile.display_name and not user.get_full_name():
                # Their email's local part was the name others saw (``Profile.name``); a
                # common one ("mentor", "info") only when it was all they were called.
                names.add(user.email.split("@")[0])
        # Short names ("Al") would rewrite unrelated words; full names, aliases and
        # display names of four or more letters are what others' text quotes.
        return cls(
            user_id=user.pk,
            profile_id=profile.pk if profile else None,
            email=user.email,
            names=sorted(
                (name for name in names if name and len(name) >= 4), key=len, reverse=True
            ),
        )

    @property
    def strings(self) -> list[str]:
        return [self.email, *self.names]

    def pattern(self) -> re.Pattern:
        words = "|".join(re.escape(text) for text in self.strings)
        return re.compile(rf"(?<!\w)(?:{words})(?!\w)", re.IGNORECASE)


@dataclass
class ErasureReport:
    email: str
    removed: dict[str, int] = field(default_factory=dict)
    pseudonymised: dict[str, int] = field(default_factory=dict)


def _text_filter(fields: tuple[str, ...], strings: list[str], model) -> Q:
    condition = Q()
    for name in fields:
        field_ = model._meta.get_field(name)
        target = f"_text_{name}" if isinstance(field_, models.JSONField) else name
        for text in strings:
            condition |= Q(**{f"{target}__icontains": text})
    return condition


def _annotated(model, fields):
    queryset = model._default_manager.all()
    casts = {
        f"_text_{name}": Cast(name, TextField())
        for name in fields
        if isinstance(model._meta.get_field(name), models.JSONField)
    }
    return queryset.annotate(**casts) if casts else queryset


def _replace(value, pattern: re.Pattern):
    if isinstance(value, str):
        return pattern.sub(FORMER_COLLEAGUE, value)
    if isinstance(value, dict):
        return {key: _replace(item, pattern) for key, item in value.items()}
    if isinstance(value, list):
        return [_replace(item, pattern) for item in value]
    return value


def _scrub_text(identity: Identity, report: ErasureReport) -> None:
    pattern = identity.pattern()
    for model, fields in SCRUBBED_TEXT:
        rows = _annotated(model, fields).filter(_text_filter(fields, identity.strings, model))
        if model is Activity:
            rows = rows.exclude(actor_id=identity.user_id)  # theirs go with them
        count = 0
        for row in rows.iterator(chunk_size=500):
            changes = {}
            for name in fields:
                value = getattr(row, name)
                if isinstance(value, str) and isinstance(
                    model._meta.get_field(name), models.JSONField
                ):
                    value = json.loads(value)  # Revision.content on some backends
                new = _replace(value, pattern)
                if new != value:
                    changes[name] = new
            if changes:
                # A queryset update: the ledger's rows refuse save(); pseudonymising is the
                # one change erasure makes to other people's statements.
                model._default_manager.filter(pk=row.pk).update(**changes)
                count += 1
        if count:
            report.pseudonymised[model._meta.label_lower] = count


@transaction.atomic
def person_erase(*, user: User, by: User | None = None) -> ErasureReport:
    """Erase ``user``: see the module's docstring. Returns what was removed or rewritten.
    The audit log keeps that someone (by number) was erased, by ``by`` (None: retention)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    identity = Identity.of(user)
    report = ErasureReport(email=user.email)

    # Off every board of both stores first (the SQL store's counts are kept in step).
    leaderboards_forget(sender=User, user_ids=[user.pk])

    # Their public assertions answer 410 Gone from now on.
    awards = list(BadgeAward.objects.filter(user=user).values_list("pk", flat=True))
    ErasedAssertion.objects.bulk_create(
        [ErasedAssertion(pk=award) for award in awards], ignore_conflicts=True
    )
    report.removed["badge awards"] = len(awards)

    # Recognition the live feeds show: redraw what stays, remove what goes.
    gone_recognitions = list(
        Recognition.objects.filter(recipient=user).values_list("pk", flat=True)
    )
    kept_recognitions = list(Recognition.objects.filter(giver=user).values_list("pk", flat=True))

    # Others' statements about them: no object, no id in the key.
    user_type = ContentType.objects.get_for_model(User)
    profile_type = ContentType.objects.get_for_model(Profile)
    about = Activity.objects.exclude(actor=user).filter(
        Q(object_type=user_type, object_id=str(user.pk))
        | Q(object_type=profile_type, object_id=str(identity.profile_id or ""))
    )
    report.pseudonymised["statements about them"] = about.update(
        object_type=None, object_id="", object_label=FORMER_COLLEAGUE
    )
    for row in Activity.objects.filter(
        verb=MENTEE_ONBOARDED.id, key__endswith=f":{user.pk}"
    ).exclude(actor=user):
        Activity.objects.filter(pk=row.pk).update(
            key=row.key.rsplit(":", 1)[0] + f":former-{secrets.token_hex(8)}"
        )
    _scrub_text(identity, report)

    # Named workshop answers go; anonymous ones never named them.
    report.removed["named workshop answers"] = WorkshopAnswer.objects.filter(author=user).delete()[
        0
    ]
    # Rights others held on them (a mentor's view of their progress), and log entries and
    # revisions of their profile.
    if identity.profile_id is not None:
        for model in (UserObjectPermission, GroupObjectPermission):
            model.objects.filter(
                content_type=profile_type, object_pk=str(identity.profile_id)
            ).delete()
        for model in (ModelLogEntry, Revision):
            model.objects.filter(
                content_type=profile_type, object_id=str(identity.profile_id)
            ).delete()
    ModelLogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()
    award_type = ContentType.objects.get_for_model(BadgeAward)
    ModelLogEntry.objects.filter(
        content_type=award_type, object_id__in=[str(award) for award in awards]
    ).delete()
    LogEntry.objects.filter(content_type=user_type, object_id=str(user.pk)).delete()
    report.removed["sessions"] = sessions_end(user_ids={user.pk})
    # Failed sign-ins at their account (django-axes records the address typed).
    report.removed["sign-in attempt records"] = sum(
        model.objects.filter(username__iexact=user.email).delete()[0]
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
    )

    erased_id = user.pk
    user.delete()
    report.removed["person"] = 1
    audit_erasure(user_id=erased_id, by=by, report=report)

    if gone_recognitions or kept_recognitions:
        kept = [
            public_entry(row)
            for row in Recognition.objects.filter(pk__in=kept_recognitions).select_related(
                "recipient__profile__team", "recipient__profile__department", "category", "badge"
            )
        ]
        broadcast(
            FEED_GROUP,
            RecognitionEntriesRetracted(
                type="recognition.entries_retracted", entries=kept, removed=gone_recognitions
            ),
        )
    return report


def references_find(*, user_id: int, profile_id: int | None, strings: list[str]) -> list[str]:
    """Every place in the database that still points at or names someone: a foreign key
    to the user, a generic relation to the user or their profile, or any text or JSON
    column of any table containing one of ``strings`` (email, names). For checks after an
    erasure; it reads every table, so it is slow on a large database."""
    found = []
    for model, name in user_relations():
        if model._default_manager.filter(**{name: user_id}).exists():
            found.append(f"{model._meta.label}.{name} = {user_id}")
    user_type = ContentType.objects.get_for_model(User)
    profile_type = ContentType.objects.get_for_model(Profile)
    for model, ct_field, id_field in generic_relations():
        targets = [(user_type, user_id)] + ([(profile_type, profile_id)] if profile_id else [])
        for content_type, object_id in targets:
            if model._default_manager.filter(
                **{ct_field: content_type, id_field: str(object_id)}
            ).exists():
                found.append(f"{model._meta.label} about {content_type.model} {object_id}")
    for model in (UserObjectPermission, GroupObjectPermission):
        if (
            profile_id
            and model.objects.filter(content_type=profile_type, object_pk=str(profile_id)).exists()
        ):
            found.append(f"{model._meta.label} on profile {profile_id}")
    for model in apps.get_models():
        if not model._meta.managed or model._meta.proxy:
            continue
        fields = tuple(
            field_.name
            for field_ in model._meta.concrete_fields
            if isinstance(field_, models.CharField | models.TextField | models.JSONField)
        )
        if not fields:
            continue
        rows = _annotated(model, fields).filter(_text_filter(fields, strings, model))
        if rows.exists():
            found.append(f"{model._meta.label} text naming them ({rows.count()} rows)")
    return found
