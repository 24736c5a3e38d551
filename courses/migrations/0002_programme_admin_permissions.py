"""What the Programme admin role may do with training: settings, feedback, facilitation."""

from django.db import migrations

from portal.migration_support import grant_permissions

PERMISSIONS = [
    ("courses", "change_trainingsettings"),
    ("courses", "view_coursefeedback"),
    ("courses", "facilitate_workshop"),
]


def grant(apps, schema_editor):
    grant_permissions(apps, "Programme admin", PERMISSIONS)


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
