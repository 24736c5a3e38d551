"""Provisioning with SCIM 2.0 (django-scim2): ``/scim/v2/Users`` and ``/scim/v2/Groups``.

People land on the import's rules (``person_sync``); deprovisioning is the leaver path
(``person_deactivate``: signed out, sockets closed, hidden everywhere). Groups are the
portal's departments and teams ("Sales" is a department, "Sales / North" its team); a
member added to a group moves there. Every request carries a bearer token made with
``python manage.py scim_token create NAME``.

django-scim2 does the protocol (routing, errors, filters to SQL, paging, discovery);
the adapters below speak for the portal's models.
"""

import json
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse
from django_scim import constants, exceptions, views
from django_scim.adapters import SCIMMixin
from django_scim.filters import FilterQuery
from django_scim.schemas import default_schemas_getter

from portal.people.importing import SlugAllocator, person_sync
from portal.people.models import Department, Profile, Team, User, normalise_email
from portal.people.services import person_deactivate, person_reactivate

from .models import Provisioned, ProvisionedGroup
from .scim_auth import _error

logger = logging.getLogger(__name__)

ENTERPRISE = constants.SchemaURI.ENTERPRISE_USER
TEAM_SEPARATOR = " / "


def base_location(request=None) -> str:
    """Locations are absolute, from the request's own host and scheme."""
    return request.build_absolute_uri("/") if request is not None else ""


# --- users -----------------------------------------------------------------------------


class UserFilter(FilterQuery):
    """Filters (``userName eq "..."``) to SQL, by django-scim2's parser."""

    joins = ("LEFT JOIN identity_provisioned p ON p.user_id = people_user.id",)
    attr_map = {
        ("userName", None, None): "COALESCE(p.user_name, people_user.email)",
        ("name", "familyName", None): "people_user.last_name",
        ("name", "givenName", None): "people_user.first_name",
        ("emails", "value", None): "people_user.email",
        ("emails", None, None): "people_user.email",
        ("externalId", None, None): "p.external_id",
        ("id", None, None): "people_user.id",
        ("active", None, None): ("CASE WHEN people_user.is_active THEN 'TRUE' ELSE 'FALSE' END"),
    }

    @classmethod
    def get_extras(cls, q, request=None):
        return " AND (p.deleted IS NULL OR p.deleted = %s)", [False]

    @classmethod
    def model_getter(cls):
        return User


def _text(value: Any, field: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str | int | float):
        raise exceptions.BadRequestError(f'"{field}" must be text.', scim_type="invalidValue")
    return str(value)


class ScimUser(SCIMMixin):
    url_name = "scim:users"
    resource_type = "User"
    id_field = "pk"
    ATTR_MAP = UserFilter.attr_map

    def __init__(self, obj, request=None):
        super().__init__(obj, request)
        self.wanted: dict[str, Any] = {}

    @property
    def provisioned(self) -> Provisioned | None:
        try:
            return self.obj.provisioned
        except (Provisioned.DoesNotExist, AttributeError):
            return None

    @property
    def display_name(self) -> str:
        return self.obj.get_full_name() or self.obj.email

    @property
    def location(self):
        return base_location(self.request).rstrip("/") + self.path

    def _groups(self, profile: Profile | None) -> list[dict]:
        groups = []
        if profile is not None and profile.department_id:
            groups.append(ScimGroup(profile.department, self.request).reference())
            if profile.team_id:
                groups.append(ScimGroup(profile.team, self.request).reference())
        return groups

    def to_dict(self) -> dict:
        user = self.obj
        profile = getattr(user, "profile", None)
        provisioned = self.provisioned
        created = user.date_joined.isoformat()
        enterprise: dict[str, Any] = {}
        if profile is not None and profile.department_id:
            enterprise["department"] = profile.department.name
        if profile is not None and profile.manager_id:
            enterprise["manager"] = {"value": str(profile.manager_id)}
        resource = {
            "schemas": [constants.SchemaURI.USER, ENTERPRISE],
            "id": self.id,
            "userName": provisioned.user_name if provisioned else user.email,
            "name": {"givenName": user.first_name, "familyName": user.last_name},
            "displayName": self.display_name,
            "emails": [{"value": user.email}],
            "active": user.is_active,
            "title": profile.job_role if profile is not None else "",
            "groups": self._groups(profile),
            ENTERPRISE: enterprise,
            "meta": {
                "resourceType": "User",
                "created": created,
                "lastModified": created,
                "location": self.location,
            },
        }
        if provisioned and provisioned.external_id:
            resource["externalId"] = provisioned.external_id
        return _assigned(resource)

    # Reading a whole resource: POST and PUT.
    def from_dict(self, d):
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body must be a JSON object.")
        user_name = _text(d.get("userName"), "userName")
        if not user_name or not user_name.strip():
            raise exceptions.BadRequestError('"userName" is required.', scim_type="invalidValue")
        name = d.get("name") or {}
        if not isinstance(name, dict):
            raise exceptions.BadRequestError('"name" must be an object.', scim_type="invalidValue")
        enterprise = d.get(ENTERPRISE) or {}
        if not isinstance(enterprise, dict):
            raise exceptions.BadRequestError("The enterprise extension must be an object.")
        self.wanted = {
            "user_name": user_name.strip().replace("\x00", ""),
            "external_id": (_text(d.get("externalId"), "externalId") or "").replace("\x00", ""),
            "email": self._email(d.get("emails"), user_name),
            "active": d.get("active"),
            "first_name": _text(name.get("givenName"), "name.givenName") or "",
            "last_name": _text(name.get("familyName"), "name.familyName") or "",
            "job_role": _text(d.get("title"), "title") or "",
            # A whole resource: what it leaves out is unassigned (cleared).
            "department": _text(enterprise.get("department"), "department") or "",
            "manager": self._manager(enterprise.get("manager")),
        }

    def validate_dict(self, d):
        super().validate_dict(d if isinstance(d, dict) else {})

    @staticmethod
    def _email(emails: Any, user_name: str) -> str:
        address = None
        if isinstance(emails, dict):
            emails = [emails]
        if isinstance(emails, list) and emails:
            usable = [e for e in emails if isinstance(e, dict) and isinstance(e.get("value"), str)]
            usable.sort(key=lambda e: not e.get("primary"))
            address = usable[0]["value"] if usable else None
        address = normalise_email(address or (user_name if "@" in user_name else ""))
        if not address:
            raise exceptions.BadRequestError(
                "An email address is required (emails, or a userName that is one).",
                scim_type="invalidValue",
            )
        try:
            validate_email(address)
        except ValidationError:
            raise exceptions.BadRequestError(
                f"{address!r} is not an email address.", scim_type="invalidValue"
            ) from None
        return address

    @staticmethod
    def _manager(manager: Any) -> str:
        if manager is None:
            return ""
        value = manager.get("value") if isinstance(manager, dict) else manager
        if value in (None, ""):
            return ""
        found = _user_by_id(str(value))
        return found.email if found is not None else ""

    def save(self):
        wanted = self.wanted
        with transaction.atomic():
            taken = (
                Provisioned.objects.filter(user_name=wanted["user_name"], deleted=False)
                .exclude(user_id=self.obj.pk)
                .exists()
            )
            email_user = User.objects.filter(email=wanted["email"]).exclude(pk=self.obj.pk)
            if taken or (
                email_user.filter(provisioned__deleted=False).exists()
                or (self.obj.pk and email_user.exists())
            ):
                raise exceptions.IntegrityError(
                    "A person with this userName or email exists already."
                )
            if self.obj.pk and self.obj.email != wanted["email"]:
                User.objects.filter(pk=self.obj.pk).update(email=wanted["email"])
            result = person_sync(
                email=wanted["email"],
                first_name=wanted["first_name"],
                last_name=wanted["last_name"],
                job_role=wanted["job_role"],
                department=wanted["department"],
                team=_team_if_in(self.obj, wanted["department"]) if wanted["department"] else "",
                manager_email=wanted["manager"],
            )
            user = result.user
            Provisioned.objects.update_or_create(
                user=user,
                defaults={
                    "user_name": wanted["user_name"],
                    "external_id": wanted["external_id"],
                    "deleted": False,
                },
            )
            if wanted["active"] is False:
                person_deactivate(user=user)
            elif wanted["active"] is True or not self.obj.pk:
                person_reactivate(user=user)
        self.obj = _users().get(pk=user.pk)

    def delete(self):
        """Deprovisioning: the leaver path; the person is gone for SCIM, kept (hidden)
        by the portal until retention erases them."""
        with transaction.atomic():
            person_deactivate(user=self.obj)
            Provisioned.objects.update_or_create(
                user=self.obj,
                defaults={"user_name": self.to_dict()["userName"], "deleted": True},
            )

    def handle_operations(self, operations):
        """PATCH: the operations apply to the resource as it is, then it is saved whole
        (one set of rules for POST, PUT and PATCH)."""
        if not isinstance(operations, list):
            raise exceptions.BadRequestError('"Operations" must be a list.')
        resource = self.to_dict()
        for operation in operations:
            if not isinstance(operation, dict) or not isinstance(operation.get("op"), str):
                raise exceptions.BadRequestError("Each operation needs an op.")
            _apply(resource, operation)
        self.from_dict(resource)
        self.save()


def _assigned(resource: dict) -> dict:
    """Unassigned attributes (empty text, empty objects) are left out (RFC 7643 2.5)."""
    kept = {}
    for key, value in resource.items():
        if isinstance(value, dict) and key != "meta":
            value = _assigned(value)
        if value in ("", {}, None):
            continue
        kept[key] = value
    return kept


def _team_if_in(user: User, department: str) -> str | None:
    """A person's team stays when their department does not change; else it goes."""
    profile = getattr(user, "profile", None) if user.pk else None
    if (
        profile is not None
        and profile.team_id
        and profile.department_id
        and profile.department.name.lower() == department.lower()
    ):
        return None
    return ""


def _users():
    return User.objects.select_related(
        "profile__department", "profile__team__department", "provisioned"
    )


def _user_by_id(value: str) -> User | None:
    if not value.isdigit() or len(value) > 18:
        return None
    return _users().filter(pk=int(value)).exclude(provisioned__deleted=True).first()


def _apply(resource: dict, operation: dict) -> None:
    """One PATCH operation (RFC 7644 3.5.2) on the resource's dict."""
    op = operation["op"].lower()
    path = operation.get("path")
    value = operation.get("value")
    if op not in constants.VALID_PATCH_OPS:
        raise exceptions.BadRequestError(f'Unknown PATCH op "{op}".', scim_type="invalidSyntax")
    if path is None:
        if op == "remove" or not isinstance(value, dict):
            raise exceptions.BadRequestError("This operation needs a path.", scim_type="noTarget")
        for key, item in value.items():
            _apply(resource, {"op": op, "path": key, "value": item})
        return
    if not isinstance(path, str):
        raise exceptions.BadRequestError('"path" must be text.', scim_type="invalidPath")
    target, keys = _target(resource, path)
    if op == "remove":
        target.pop(keys, None)
    elif isinstance(target.get(keys), dict) and isinstance(value, dict):
        target[keys].update(value)
    else:
        target[keys] = value


def _target(resource: dict, path: str) -> tuple[dict, str]:
    """The dict and key a PATCH path names: ``title``, ``name.givenName``,
    ``emails[type eq "work"].value``, ``urn:...:enterprise:2.0:User:department``."""
    container = resource
    if path == ENTERPRISE:
        return resource, ENTERPRISE
    if path.startswith(ENTERPRISE + ":"):
        container = resource.setdefault(ENTERPRISE, {})
        path = path[len(ENTERPRISE) + 1 :]
    if path.startswith("emails"):
        return resource, "emails"  # one address: any emails path sets it
    parts = path.split(".")
    if len(parts) > 2 or not all(part.isidentifier() for part in parts):
        raise exceptions.BadRequestError(f'Unsupported path "{path}".', scim_type="invalidPath")
    if len(parts) == 2:
        inner = container.setdefault(parts[0], {})
        if not isinstance(inner, dict):
            raise exceptions.BadRequestError(f'Unsupported path "{path}".', scim_type="invalidPath")
        return inner, parts[1]
    return container, parts[0]


# --- groups: departments and teams -----------------------------------------------------


class ScimGroup(SCIMMixin):
    url_name = "scim:groups"
    resource_type = "Group"
    ATTR_MAP: dict = {}

    def __init__(self, obj, request=None):
        super().__init__(obj, request)
        self.wanted: dict[str, Any] = {}

    @property
    def id(self):
        prefix = "t" if isinstance(self.obj, Team) else "d"
        return f"{prefix}{self.obj.pk}"

    @property
    def display_name(self) -> str:
        if isinstance(self.obj, Team):
            return f"{self.obj.department.name}{TEAM_SEPARATOR}{self.obj.name}"
        return self.obj.name

    @property
    def location(self):
        return base_location(self.request).rstrip("/") + self.path

    def reference(self) -> dict:
        return {"value": self.id, "$ref": self.location, "display": self.display_name}

    def _members(self):
        field = "profile__team" if isinstance(self.obj, Team) else "profile__department"
        return _users().filter(**{field: self.obj}).exclude(provisioned__deleted=True)

    @property
    def external_id(self) -> str:
        found = ProvisionedGroup.objects.filter(group_id=self.id).first()
        return found.external_id if found else ""

    def to_dict(self) -> dict:
        return _assigned(
            {
                "schemas": [constants.SchemaURI.GROUP],
                "id": self.id,
                "externalId": self.external_id,
                "displayName": self.display_name,
                "members": [
                    {
                        "value": str(user.pk),
                        "$ref": ScimUser(user, self.request).location,
                        "type": "User",
                    }
                    for user in self._members()
                ],
                "meta": {"resourceType": "Group", "location": self.location},
            }
        )

    def from_dict(self, d):
        if not isinstance(d, dict):
            raise exceptions.BadRequestError("The body must be a JSON object.")
        name = _text(d.get("displayName"), "displayName")
        if not name or not name.strip():
            raise exceptions.BadRequestError('"displayName" is required.', scim_type="invalidValue")
        members = d.get("members") or []
        if not isinstance(members, list):
            raise exceptions.BadRequestError('"members" must be a list.', scim_type="invalidValue")
        self.wanted = {
            "name": " ".join(name.replace("\x00", "").split())[:241],
            "members": members,
            "external_id": (_text(d.get("externalId"), "externalId") or "").replace("\x00", ""),
        }

    def save(self):
        name = self.wanted["name"]
        department_name, _, team_name = name.partition(TEAM_SEPARATOR.strip())
        department_name, team_name = department_name.strip(), team_name.strip()
        if not department_name or len(department_name) > 120 or len(team_name) > 120:
            raise exceptions.BadRequestError(
                "Group names are 'Department' or 'Department / Team', up to 120 characters each.",
                scim_type="invalidValue",
            )
        with transaction.atomic():
            exists = _group_by_name(department_name, team_name)
            if exists is not None and (self.obj.pk is None or exists != self.obj):
                raise exceptions.IntegrityError("A group with this displayName exists already.")
            self.obj = _group_save(self.obj, department_name, team_name)
            ProvisionedGroup.objects.update_or_create(
                group_id=self.id, defaults={"external_id": self.wanted["external_id"][:254]}
            )
            self._members_set(self.wanted["members"])

    def _members_set(self, members: list) -> None:
        wanted = {_member_id(member) for member in members}
        current = {str(user.pk) for user in self._members()}
        self._members_change(add=wanted - current, remove=current - wanted)

    def _members_change(self, *, add=(), remove=()) -> None:
        team = self.obj if isinstance(self.obj, Team) else None
        department = team.department if team else self.obj
        for user_id in sorted(add):
            user = _user_by_id(user_id)
            if user is None:
                raise exceptions.BadRequestError(
                    f"No user with id {user_id!r}.", scim_type="invalidValue"
                )
            keep_team = None if team is None and _team_if_in(user, department.name) is None else ""
            person_sync(
                email=user.email,
                department=department.name,
                team=team.name if team else keep_team,
            )
        for user_id in sorted(remove):
            user = _user_by_id(user_id)
            if user is not None:
                person_sync(email=user.email, team="", **({} if team else {"department": ""}))

    def delete(self):
        with transaction.atomic():
            gone = [self.id]
            if isinstance(self.obj, Department):
                for team in Team.objects.filter(department=self.obj):
                    gone.append(ScimGroup(team).id)
                    team.delete()
            self.obj.delete()
            ProvisionedGroup.objects.filter(group_id__in=gone).delete()

    def handle_operations(self, operations):
        if not isinstance(operations, list):
            raise exceptions.BadRequestError('"Operations" must be a list.')
        with transaction.atomic():
            for operation in operations:
                if not isinstance(operation, dict) or not isinstance(operation.get("op"), str):
                    raise exceptions.BadRequestError("Each operation needs an op.")
                self._operation(
                    operation["op"].lower(), operation.get("path"), operation.get("value")
                )

    def _operation(self, op: str, path, value) -> None:
        if path is None and isinstance(value, dict):
            for key, item in value.items():
                self._operation(op, key, item)
            return
        if not isinstance(path, str):
            raise exceptions.BadRequestError("This operation needs a path.", scim_type="noTarget")
        if path in ("displayName", "externalId") and op in ("replace", "add", "remove"):
            resource = self.to_dict()
            resource[path] = None if op == "remove" else value
            self.from_dict(resource)
            self.save()
        elif path == "members" and op == "add":
            self._members_change(add={_member_id(m) for m in _list(value)})
        elif path == "members" and op == "replace":
            self._members_set(_list(value))
        elif path == "members" and op == "remove":
            ids = (
                {_member_id(m) for m in _list(value)}
                if value
                else {str(u.pk) for u in self._members()}
            )
            self._members_change(remove=ids)
        elif path.startswith("members[") and op == "remove":
            # members[value eq "42"]
            inner = path[len("members[") :].rstrip("]").split()
            if len(inner) != 3 or inner[0] != "value" or inner[1].lower() != "eq":
                raise exceptions.BadRequestError(
                    f'Unsupported path "{path}".', scim_type="invalidPath"
                )
            self._members_change(remove={inner[2].strip('"')})
        else:
            raise exceptions.BadRequestError(
                f'Unsupported operation "{op} {path}".', scim_type="invalidPath"
            )


def _list(value) -> list:
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise exceptions.BadRequestError('"members" must be a list.', scim_type="invalidValue")
    return value


def _member_id(member) -> str:
    value = member.get("value") if isinstance(member, dict) else None
    if not isinstance(value, str | int):
        raise exceptions.BadRequestError(
            "Each member needs a value (a user id).", scim_type="invalidValue"
        )
    return str(value)


def _group_by_name(department_name: str, team_name: str):
    department = Department.objects.filter(name__iexact=department_name).first()
    if department is None or not team_name:
        return department
    return Team.objects.filter(department=department, name__iexact=team_name).first()


def _group_save(group, department_name: str, team_name: str):
    """Create or rename the department or team a group is."""
    existing = group.pk is not None
    if not team_name:
        if isinstance(group, Team) and existing:
            raise exceptions.BadRequestError(
                "A team's name is 'Department / Team'.", scim_type="mutability"
            )
        if existing:
            group.name = department_name
            group.save(update_fields=["name"])
            return group
        return Department.objects.create(
            name=department_name, slug=SlugAllocator(Department).new(department_name)
        )
    if isinstance(group, Department) and existing:
        raise exceptions.BadRequestError(
            "A department's name has no ' / ' (that names a team).", scim_type="mutability"
        )
    department = Department.objects.filter(name__iexact=department_name).first()
    if department is None:
        department = Department.objects.create(
            name=department_name, slug=SlugAllocator(Department).new(department_name)
        )
    if existing:
        group.name, group.department = team_name, department
        group.save(update_fields=["name", "department"])
        return group
    return Team.objects.create(
        department=department,
        name=team_name,
        slug=SlugAllocator(Team).new(f"{department.slug} {team_name}"),
    )


class GroupModel:
    """What django-scim2's views take for the group model: departments and teams under
    one kind of id (``d12``, ``t7``)."""

    class objects:
        @staticmethod
        def get(pk=None, **kwargs):
            value = str(pk or "")
            kind, number = value[:1], value[1:]
            if kind not in ("d", "t") or not number.isdigit() or len(number) > 18:
                raise Department.DoesNotExist
            if kind == "d":
                return Department.objects.get(pk=int(number))
            return Team.objects.select_related("department").get(pk=int(number))


# --- views -----------------------------------------------------------------------------


def _paths(value) -> list[tuple[str | None, str, str | None]]:
    """``attributes=name.givenName,urn:...:User:department`` as (urn, attribute, sub)."""
    if isinstance(value, list):
        value = ",".join(str(item) for item in value)
    found = []
    for item in str(value or "").split(","):
        item = item.strip()
        if not item:
            continue
        urn = None
        for known in (ENTERPRISE, constants.SchemaURI.USER, constants.SchemaURI.GROUP):
            if item.lower().startswith(known.lower() + ":"):
                urn, item = (None if known != ENTERPRISE else ENTERPRISE), item[len(known) + 1 :]
        attribute, _, sub = item.partition(".")
        found.append((urn, attribute.lower(), sub.lower() or None))
    return found


def project(resource: dict, attributes=None, excluded=None) -> dict:
    """The resource with only ``attributes``, or without ``excluded`` (RFC 7644 3.4.2.5);
    id and schemas are always returned."""
    wanted, unwanted = _paths(attributes), _paths(excluded)
    if not wanted and not unwanted:
        return resource

    def pick(container: dict, attribute: str, sub: str | None, keep: bool) -> dict:
        result = {}
        for key, value in container.items():
            matches = key.lower() == attribute
            if matches and sub is not None and isinstance(value, dict | list):
                items = value if isinstance(value, list) else [value]
                picked = [
                    {k: v for k, v in item.items() if (k.lower() == sub) == keep}
                    for item in items
                    if isinstance(item, dict)
                ]
                result[key] = picked if isinstance(value, list) else picked[0]
            elif matches == keep:
                result[key] = value
        return result

    always = {key: resource[key] for key in ("id", "schemas") if key in resource}
    if wanted:
        projected: dict = dict(always)
        for urn, attribute, sub in wanted:
            source = resource.get(urn, {}) if urn else resource
            target = projected.setdefault(urn, {}) if urn else projected
            for key, value in pick(source, attribute, sub, True).items():
                if isinstance(value, dict) and isinstance(target.get(key), dict):
                    target[key].update(value)
                else:
                    target[key] = value
        return projected
    projected = json.loads(json.dumps(resource))
    for urn, attribute, sub in unwanted:
        if urn:
            if attribute in ("", "user") and sub is None:
                projected.pop(urn, None)
            elif isinstance(projected.get(urn), dict):
                projected[urn] = pick(projected[urn], attribute, sub, False)
        elif attribute not in ("id", "schemas"):
            projected = pick(projected, attribute, sub, False)
    return projected


def _respond(request, adapter, status: int = 200, parameters=None) -> HttpResponse:
    parameters = request.GET if parameters is None else parameters
    body = project(
        adapter.to_dict(), parameters.get("attributes"), parameters.get("excludedAttributes")
    )
    response = HttpResponse(
        json.dumps(body), content_type=constants.SCIM_CONTENT_TYPE, status=status
    )
    response["Location"] = adapter.location
    return response


class ScimViewMixin:
    parameters = None  # a search body's attributes, else the query's

    def get_single(self, request):
        return _respond(request, self.scim_adapter(self.get_object(), request=request))

    def put(self, request, *args, **kwargs):
        adapter = self.scim_adapter(self.get_object(), request=request)
        adapter.from_dict(self.load_body(request.body))
        adapter.save()
        return _respond(request, adapter)

    def patch(self, request, *args, **kwargs):
        adapter = self.scim_adapter(self.get_object(), request=request)
        body = self.load_body(request.body)
        operations = body.get("Operations") if isinstance(body, dict) else None
        if not operations:
            raise exceptions.BadRequestError("PATCH needs a list of Operations.")
        with transaction.atomic():
            adapter.handle_operations(operations)
        return _respond(request, adapter)

    def _build_response(self, request, qs, start, count):
        count = max(0, min(count, 1000))
        total = qs.count() if hasattr(qs, "count") and not isinstance(qs, list) else len(qs)
        page = list(qs[start - 1 : start - 1 + count])
        parameters = self.parameters or request.GET
        resources = [
            project(
                self.scim_adapter(obj, request=request).to_dict(),
                parameters.get("attributes"),
                parameters.get("excludedAttributes"),
            )
            for obj in page
        ]
        body = {
            "schemas": [constants.SchemaURI.LIST_RESPONSE],
            "totalResults": total,
            "itemsPerPage": len(resources),
            "startIndex": start,
            "Resources": resources,
        }
        return HttpResponse(json.dumps(body), content_type=constants.SCIM_CONTENT_TYPE)


class ScimUserView(ScimViewMixin, views.UsersView):
    scim_adapter_getter = lambda: ScimUser  # noqa: E731
    model_cls_getter = lambda: User  # noqa: E731
    parser_getter = lambda: UserFilter  # noqa: E731

    def get_object(self):
        user = _user_by_id(str(self.kwargs.get("uuid") or ""))
        if user is None:
            raise exceptions.NotFoundError(self.kwargs.get("uuid"))
        return user

    def get_many(self, request):
        query = request.GET.get("filter")
        if query:
            return self._search(request, query, *self._page(request))
        qs = _users().exclude(provisioned__deleted=True).order_by("pk")
        return self._build_response(request, qs, *self._page(request))

    def _search(self, request, query, start, count):
        found = [user.pk for user in UserFilter.search(query, request)]
        qs = _users().filter(pk__in=found).order_by("pk")
        return self._build_response(request, qs, start, count)

    def post(self, request, *args, **kwargs):
        body = self.load_body(request.body)
        adapter = ScimUser(User(), request=request)
        adapter.from_dict(body)
        existing = User.objects.filter(email=adapter.wanted["email"]).first()
        if (
            existing is not None
            and not Provisioned.objects.filter(user=existing, deleted=False).exists()
        ):
            adapter.obj = existing  # an imported person, or one deprovisioned before
        elif existing is not None:
            raise exceptions.IntegrityError("A person with this userName or email exists already.")
        adapter.save()
        return _respond(request, adapter, 201)


class ScimSearchMixin:
    """``POST /Users/.search``: a query in a body (RFC 7644 3.4.3)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        body = self.load_body(request.body)
        if not isinstance(body, dict) or body.get("schemas") != [
            constants.SchemaURI.SERACH_REQUEST
        ]:
            raise exceptions.BadRequestError("The body must be a SearchRequest.")
        self.parameters = body
        start, count = body.get("startIndex", 1), body.get("count", 50)
        if not isinstance(start, int) or not isinstance(count, int) or start < 1:
            raise exceptions.BadRequestError("startIndex and count must be whole numbers.")
        if body.get("filter"):
            return self._search(request, str(body["filter"]), start, count)
        return self.get_many_from(request, start, count)


class ScimUserSearchView(ScimSearchMixin, ScimUserView):
    http_method_names = ["post"]

    def get_many_from(self, request, start, count):
        qs = _users().exclude(provisioned__deleted=True).order_by("pk")
        return self._build_response(request, qs, start, count)


class ScimGroupView(ScimViewMixin, views.GroupsView):
    scim_adapter_getter = lambda: ScimGroup  # noqa: E731
    model_cls_getter = lambda: GroupModel  # noqa: E731

    def get_object(self):
        try:
            return GroupModel.objects.get(pk=self.kwargs.get("uuid"))
        except (Department.DoesNotExist, Team.DoesNotExist):
            raise exceptions.NotFoundError(self.kwargs.get("uuid")) from None

    def _groups(self, request, query=None):
        query = query or request.GET.get("filter")
        groups = [*Department.objects.all(), *Team.objects.select_related("department")]
        if query:
            name = _display_name_filter(query)
            groups = [
                g for g in groups if ScimGroup(g, request).display_name.lower() == name.lower()
            ]
        return groups

    def get_many(self, request):
        return self._build_response(request, self._groups(request), *self._page(request))

    def get_many_from(self, request, start, count):
        return self._build_response(request, self._groups(request), start, count)

    def _search(self, request, query, start, count):
        return self._build_response(request, self._groups(request, query), start, count)

    def post(self, request, *args, **kwargs):
        adapter = ScimGroup(Department(), request=request)
        adapter.from_dict(self.load_body(request.body))
        adapter.save()
        return _respond(request, adapter, 201)


class ScimGroupSearchView(ScimSearchMixin, ScimGroupView):
    http_method_names = ["post"]


def _display_name_filter(query: str) -> str:
    """Groups are found by name only: ``displayName eq "Sales / North"``."""
    head, _, value = query.strip().partition(" ")
    operator, _, literal = value.strip().partition(" ")
    if head != "displayName" or operator.lower() != "eq" or not literal.startswith('"'):
        raise exceptions.BadRequestError(
            'Groups can be filtered by displayName eq "...".', scim_type="invalidFilter"
        )
    return json.loads(literal)


# --- discovery -------------------------------------------------------------------------

# The attributes the portal keeps; the published schemas list only these, so that a
# client (and the compliance checker) sends only what is kept.
SUPPORTED = {
    constants.SchemaURI.USER: {
        "userName",
        "name",
        "displayName",
        "title",
        "active",
        "emails",
        "groups",
    },
    ENTERPRISE: {"department", "manager"},
    constants.SchemaURI.GROUP: {"displayName", "members"},
}
# A person needs an email address (sign-in matches it); a group needs a name.
REQUIRED = {"emails", "displayName"}
# Derived by the portal: a person's displayName from the name, groups from the
# memberships.
READ_ONLY = {(constants.SchemaURI.USER, "displayName"), (constants.SchemaURI.USER, "groups")}
READ_ONLY_SUB: set[str] = set()
SUB_ATTRIBUTES = {
    "name": {"givenName", "familyName"},
    "emails": {"value"},
    "manager": {"value"},
}


def schemas() -> list[dict]:
    found = []
    for schema in default_schemas_getter():
        if schema["id"] not in SUPPORTED:
            continue
        schema = json.loads(json.dumps(schema))  # a copy
        schema["schemas"] = ["urn:ietf:params:scim:schemas:core:2.0:Schema"]
        kept = []
        for attribute in schema["attributes"]:
            if attribute["name"] not in SUPPORTED[schema["id"]]:
                continue
            if attribute["name"] in SUB_ATTRIBUTES:
                attribute["subAttributes"] = [
                    sub
                    for sub in attribute.get("subAttributes", [])
                    if sub["name"] in SUB_ATTRIBUTES[attribute["name"]]
                ]
            if attribute["name"] in REQUIRED:
                attribute["required"] = True
                for sub in attribute.get("subAttributes", []):
                    sub["required"] = sub["name"] == "value"
            if (schema["id"], attribute["name"]) in READ_ONLY:
                attribute["mutability"] = "readOnly"
            for sub in attribute.get("subAttributes", []):
                if sub["name"] in READ_ONLY_SUB:
                    sub["mutability"] = "readOnly"
            kept.append(attribute)
        schema["attributes"] = kept
        found.append(schema)
    return found


def _list_response(resources: list[dict]) -> HttpResponse:
    body = {
        "schemas": [constants.SchemaURI.LIST_RESPONSE],
        "totalResults": len(resources),
        "itemsPerPage": len(resources),
        "startIndex": 1,
        "Resources": resources,
    }
    return HttpResponse(json.dumps(body), content_type=constants.SCIM_CONTENT_TYPE)


def _located(request, document: dict, path: str, resource_type: str) -> dict:
    return {
        **document,
        "meta": {"resourceType": resource_type, "location": request.build_absolute_uri(path)},
    }


class ScimServiceProviderConfigView(views.ServiceProviderConfigView):
    def get(self, request):
        body = {
            "schemas": [constants.SchemaURI.SERVICE_PROVIDER_CONFIG],
            "documentationUri": "https://github.com/advocate-portal#provisioning-scim-20",
            "patch": {"supported": True},
            "bulk": {"supported": False, "maxOperations": 0, "maxPayloadSize": 0},
            "filter": {"supported": True, "maxResults": 1000},
            "changePassword": {"supported": False},
            "sort": {"supported": False},
            "etag": {"supported": False},
            "authenticationSchemes": [
                {
                    "type": "oauthbearertoken",
                    "name": "Bearer token",
                    "description": "A token made with `python manage.py scim_token create NAME`.",
                    "primary": True,
                }
            ],
        }
        path = reverse("scim:service-provider-config")
        return HttpResponse(
            json.dumps(_located(request, body, path, "ServiceProviderConfig")),
            content_type=constants.SCIM_CONTENT_TYPE,
        )


def resource_types(request) -> list[dict]:
    types = [
        ("User", "users", constants.SchemaURI.USER, [ENTERPRISE]),
        ("Group", "groups", constants.SchemaURI.GROUP, []),
    ]
    return [
        _located(
            request,
            {
                "schemas": [constants.SchemaURI.RESOURCE_TYPE],
                "id": name,
                "name": name,
                "endpoint": f"/{name}s",
                "description": "People" if name == "User" else "Departments and teams",
                "schema": schema,
                "schemaExtensions": [{"schema": uri, "required": False} for uri in extensions],
            },
            reverse("scim:resource-types", kwargs={"uuid": name}),
            "ResourceType",
        )
        for name, _, schema, extensions in types
    ]


class ScimResourceTypesView(views.ResourceTypesView):
    def get(self, request, uuid=None, *args, **kwargs):
        found = resource_types(request)
        if uuid is None:
            return _list_response(found)
        for resource_type in found:
            if resource_type["id"] == uuid:
                return HttpResponse(
                    json.dumps(resource_type), content_type=constants.SCIM_CONTENT_TYPE
                )
        return _error(404, f"No resource type {uuid!r}.")


class ScimSchemasView(views.SchemasView):
    def get(self, request, uuid=None, *args, **kwargs):
        found = [
            _located(
                request, schema, reverse("scim:schemas", kwargs={"uuid": schema["id"]}), "Schema"
            )
            for schema in schemas()
        ]
        if uuid is None:
            return _list_response(found)
        for schema in found:
            if schema["id"] == uuid:
                return HttpResponse(json.dumps(schema), content_type=constants.SCIM_CONTENT_TYPE)
        return _error(404, f"No schema {uuid!r}.")


class ScimNotFoundView(views.SCIMView):
    status, detail = 404, "No such SCIM endpoint."

    def get(self, request, *args, **kwargs):
        return _error(self.status, self.detail)

    post = put = patch = delete = get


class ScimNotImplementedView(ScimNotFoundView):
    """What the portal deliberately does not do: a SCIM error with 501."""

    status = 501
