"""Object permissions that follow who manages a team.

``Team.managers`` says who manages a team; django-guardian's ``people.recognise_team``
on that team is what views check. Whichever way managers change (import, admin, code),
the m2m signal keeps the two in step; it is a side effect that needs to know nothing
else, which is what signals are for here.
"""

from guardian.shortcuts import assign_perm, remove_perm

from .models import Team, User

RECOGNISE = "people.recognise_team"


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
        (assign_perm if grant else remove_perm)(RECOGNISE, user, team)
