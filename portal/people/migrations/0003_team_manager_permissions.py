"""Give the managers of existing teams the object permission to recognise the team."""

from django.db import migrations


def grant(apps, schema_editor):
    from portal.migration_support import grant_permissions  # creates the permission rows

    grant_permissions(apps, "Manager", [])
    Team = apps.get_model("people", "Team")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    UserObjectPermission = apps.get_model("guardian", "UserObjectPermission")
    permission = Permission.objects.get(content_type__app_label="people", codename="recognise_team")
    content_type = ContentType.objects.get(app_label="people", model="team")
    for team in Team.objects.prefetch_related("managers"):
        for user in team.managers.all():
            UserObjectPermission.objects.get_or_create(
                user=user, permission=permission, content_type=content_type, object_pk=str(team.pk)
            )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0002_roles"),
        ("guardian", "0003_remove_groupobjectpermission_guardian_gr_content_ae6aec_idx_and_more"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
