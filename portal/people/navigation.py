"""What the header's menu offers a person beyond everyone's links: the programme
dashboard and the Wagtail admin, each shown only to those who may open it.

Asking ``user.has_perm`` on every page cost two queries (the person's own permissions
and their groups'), about 6% of a worker's time under load (docs/PERFORMANCE.md). The
answer changes only when someone's roles or permissions do, so it is kept in the cache
per person, and forgotten the moment a role, a group's permissions, or the person
(superuser, active) changes, in whichever process makes the change. It only decides
which links to show: the pages themselves check permissions on every request.
"""

from django.contrib.auth.models import Group
from django.core.cache import cache
from django.db.models import Q
from django.utils.functional import SimpleLazyObject

from .models import User
from .permissions import PROGRAMME_ADMIN

# Each entry of the menu that needs a permission, and that permission.
ENTRIES = {"programme": PROGRAMME_ADMIN, "admin": "wagtailadmin.access_admin"}
# However it is kept, a menu is asked again after this long.
KEPT_SECONDS = 300


def _key(user_id: int) -> str:
    return f"navigation:{user_id}"


def navigation_for(user: User) -> dict[str, bool]:
    """``{entry: shown}`` for ``user``'s menu (``ENTRIES``)."""
    shown = cache.get(_key(user.pk))
    if shown is None:
        shown = {entry: user.has_perm(permission) for entry, permission in ENTRIES.items()}
        cache.set(_key(user.pk), shown, KEPT_SECONDS)
    return shown


def navigation_forget(user_ids) -> None:
    """Ask these people's menus again on their next page."""
    keys = [_key(user_id) for user_id in user_ids]
    if keys:
        cache.delete_many(keys)


def navigation(request) -> dict:
    """Context processor: ``nav`` (``nav.programme``, ``nav.admin``) for signed-in
    people, asked only if the page shows the menu."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"nav": SimpleLazyObject(lambda: navigation_for(user))}


def person_changed(sender, instance: User, **kwargs) -> None:
    """A person saved: they may have become, or stopped being, a superuser or active."""
    navigation_forget([instance.pk])


def permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs) -> None:
    """Someone's groups, someone's permissions or a group's permissions changed, from
    either side of the relation: forget the menus of everyone it may touch. Before a
    clear (``pk_set`` is None) the relation still names them; after an add or a remove
    ``pk_set`` names what was added or removed."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if isinstance(instance, User):  # person.groups or person.user_permissions
        people = {instance.pk}
    elif model is User and pk_set is not None:  # group.user_set, permission.user_set
        people = set(pk_set)
    elif isinstance(instance, Group):  # group.permissions, or group.user_set cleared
        people = set(instance.user_set.values_list("pk", flat=True))
    else:  # permission.group_set, or permission.user_set cleared
        if model is User:
            holders = Q(user_permissions=instance)
        elif pk_set is not None:
            holders = Q(groups__in=pk_set)
        else:
            holders = Q(groups__permissions=instance)
        people = set(User.objects.filter(holders).values_list("pk", flat=True))
    navigation_forget(people)
