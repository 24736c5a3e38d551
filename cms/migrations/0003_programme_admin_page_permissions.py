"""Programme admins may add, edit, publish and lock every page on the site."""

from django.db import migrations

PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]


def grant(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    Permission = apps.get_model("auth.Permission")
    GroupPagePermission = apps.get_model("wagtailcore.GroupPagePermission")
    group = Group.objects.get(name="Programme admin")
    root = Page.objects.get(depth=1)
    for codename in PAGE_PERMISSIONS:
        permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
        GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def revoke(apps, schema_editor):
    apps.get_model("wagtailcore.GroupPagePermission").objects.filter(
        group__name="Programme admin"
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0002_create_home_page"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
