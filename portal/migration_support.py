"""Helpers for data migrations that grant permissions to the role groups."""

from django.contrib.auth.management import create_permissions


def grant_permissions(apps, group_name: str, permissions: list[tuple[str, str]]) -> None:
    """Give ``group_name`` each ``(app_label, codename)``, creating permissions first.

    Django creates model permissions after all migrations have run; a migration that
    grants them must make them itself.
    """
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, codename in permissions:
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
