"""What the Programme admin role may do with training: settings, feedback, facilitation."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

PERMISSIONS = [
    ("courses", "change_trainingsettings"),
    ("courses", "view_coursefeedback"),
    ("courses", "facilitate_workshop"),
]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    admins = Group.objects.get(name="Programme admin")
    for app_label, codename in PERMISSIONS:
        admins.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")
    admins = Group.objects.filter(name="Programme admin").first()
    if admins is not None:
        admins.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="courses", codename__in=[c for _, c in PERMISSIONS]
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
