"""Everything the portal holds about a person, as one JSON document (GDPR Art. 15 and 20).

The export walks the models instead of listing them: every model with a relation to the
user (a foreign key, a one-to-one or a many-to-many, of any app, Django's and Wagtail's
included) contributes the rows that point at the person, and so does every generic
relation whose object is the person or their profile. A model added later is exported
without anyone remembering to. ``EXCLUDED`` names what is left out on purpose, and why.
"""

import json
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from portal.activity.models import Activity
from portal.people.models import Profile, User

# Relations whose rows are not the person's data, or that hold secrets, each with why.
EXCLUDED: dict[str, str] = {
    # A session holds only a signed sign-in token: secret, and no data of the person's own.
    "sessions.session": "sign-in tokens (secret)",
}
# Fields never exported, wherever they appear.
SECRET_FIELDS = {"password", "session_key", "session_data", "recipient_salt"}


def user_relations() -> list[tuple[type[models.Model], str]]:
    """Every ``(model, field name)`` whose field relates a row to a user, over all apps."""
    found = []
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if (
                field.is_relation
                and field.concrete
                and not field.auto_created
                and field.related_model is User
            ) or (field.many_to_many and field.concrete and field.related_model is User):
                found.append((model, field.name))
    return found


def _value(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, UUID | Decimal):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def _row(instance: models.Model, *, person: User) -> dict:
    data = {"id": _value(instance.pk)}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS or field.primary_key:
            continue
        if field.is_relation and field.related_model is User:
            other = getattr(instance, field.attname)
            data[field.name] = "you" if other == person.pk else ("someone else" if other else None)
            continue
        value = getattr(instance, field.attname)
        if isinstance(value, models.fields.files.FieldFile):
            value = value.name or ""
        data[field.attname if field.is_relation else field.name] = _value(value)
    return data


def person_export(*, user: User) -> dict:
    """The document: the person, then every related model's rows, keyed by model label."""
    sections: dict[str, list[dict]] = {}
    for model, field_name in user_relations():
        label = model._meta.label_lower
        if label in EXCLUDED or model is User:
            continue
        rows = model._default_manager.filter(**{field_name: user})
        key = f"{label}.{field_name}"
        sections[key] = [_row(row, person=user) for row in rows.order_by("pk")]
    # Rows that are about the person through a generic relation (a statement of someone
    # else's about them, a permission on their profile, an admin log entry about them).
    profile = Profile.objects.filter(user=user).first()
    targets = [(ContentType.objects.get_for_model(User), str(user.pk))]
    if profile is not None:
        targets.append((ContentType.objects.get_for_model(Profile), str(profile.pk)))
    about = []
    for model, ct_field, id_field in generic_relations():
        for content_type, object_id in targets:
            for row in model._default_manager.filter(
                **{ct_field: content_type, id_field: object_id}
            ):
                about.append({"model": model._meta.label_lower, **_row(row, person=user)})
    sections["about_you"] = about
    sections["activity.statements"] = [
        row.as_statement()
        for row in Activity.objects.filter(actor=user).select_related("object_type", "actor")
    ]
    person = {
        field.name: _value(getattr(user, field.attname))
        for field in User._meta.concrete_fields
        if field.name not in SECRET_FIELDS
    }
    person["groups"] = sorted(user.groups.values_list("name", flat=True))
    if profile is not None:
        person["interests"] = sorted(profile.interests.names())
    return {
        "format": "advocate-portal-person-export/1",
        "exported_at": timezone.now().isoformat(),
        "person": person,
        "data": sections,
        "left_out": EXCLUDED,
    }


def generic_relations() -> list[tuple[type[models.Model], str, str]]:
    """``(model, content type field, object id field)`` for every generic foreign key."""
    from django.contrib.contenttypes.fields import GenericForeignKey

    found = []
    for model in apps.get_models():
        for field in model._meta.private_fields:
            if isinstance(field, GenericForeignKey):
                found.append((model, field.ct_field, field.fk_field))
    return found


def person_export_json(*, user: User) -> str:
    return json.dumps(person_export(user=user), indent=2, ensure_ascii=False, default=str)
