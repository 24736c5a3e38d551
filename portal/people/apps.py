from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People: users, profiles, departments, teams, roles and consent."""

    name = "portal.people"
    label = "people"
    verbose_name = "People"

    def ready(self):
        from django.db.models.signals import m2m_changed

        from .models import Team
        from .permissions import team_managers_changed

        m2m_changed.connect(
            team_managers_changed,
            sender=Team.managers.through,
            dispatch_uid="people.team_managers_changed",
        )
