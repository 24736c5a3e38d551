from django.apps import AppConfig


class PeopleConfig(AppConfig):
    """People: users, profiles, departments, teams, roles and consent."""

    name = "portal.people"
    label = "people"
    verbose_name = "People"
