"""Who may act for whom: the manager-or-programme-admin rule, in one place.

``Team.managers`` says who manages a team; django-guardian's ``people.recognise_team``
on that team is what the rule checks (on the object, never a role). Whichever way
managers change (import, admin, code), the m2m signal below keeps the two in step; it is
a side effect that needs to know nothing else, which is what signals are for here.
Programme admins hold ``badges.award_badge`` model-wide: they may recognise and award
anyone.
"""

from django.contrib.auth.models import AnonymousUser
from guardian.shortcuts import assign_perm, get_objects_for_user, remove_perm

from .models import Team, User

RECOGNISE_TEAM = "people.recognise_team"
# A mentor holds it on their mentees' profiles while paired (portal.mentoring).
VIEW_PROGRESS = "people.view_progress"
PROGRAMME_ADMIN = "badges.award_badge"


def is_programme_admin(user: User) -> bool:
    return user.has_perm(PROGRAMME_ADMIN)


def managed_teams(*, user: User):
    """The teams ``user`` manages (the object permission on each)."""
    return get_objects_for_user(user, RECOGNISE_TEAM, klass=Team, accept_global_perms=False)


def team_managed_by(*, by: User, user: User) -> Team | None:
    """``user``'s team when ``by`` manages it, else None."""
    team = getattr(getattr(user, "profile", None), "team", None)
    return team if team is not None and by.has_perm(RECOGNISE_TEAM, team) else None


def may_act_for(*, by: User | AnonymousUser | None, user: User) -> bool:
    """Whether ``by`` may recognise or award ``user``: a programme admin may anyone, a
    manager the members of teams they manage; nobody themselves."""
    if by is None or not by.is_authenticated or by.pk == user.pk:
        return False
    return is_programme_admin(by) or team_managed_by(by=by, user=user) is not None


def team_managers_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action == "pre_clear":
        pairs = (
            [(instance, user) for user in instance.managers.all()]
            if not reverse
            else [(team, instance) for team in instance.managed_teams.all()]
        )
        grant = False
    else:
        if not pk_set:
            return
        grant = action == "post_add"
        if reverse:  # user.managed_teams.add(team, ...)
            pairs = [(team, instance) for team in Team.objects.filter(pk__in=pk_set)]
        else:
            pairs = [(instance, user) for user in User.objects.filter(pk__in=pk_set)]
    for team, user in pairs:
        (assign_perm if grant else remove_perm)(RECOGNISE_TEAM, user, team)
