"""The four roles as groups, and what the Programme admin role may do in the admin."""

from django.db import migrations

from portal.migration_support import grant_permissions

ROLES = ["Advocate", "Mentor", "Manager", "Programme admin"]

PROGRAMME_ADMIN_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("people", "import_people"),
    ("people", "view_user"),
    ("people", "add_user"),
    ("people", "change_user"),
    ("people", "view_profile"),
    ("people", "change_profile"),
    ("people", "view_department"),
    ("people", "add_department"),
    ("people", "change_department"),
    ("people", "view_team"),
    ("people", "add_team"),
    ("people", "change_team"),
    ("activity", "view_activity"),
    ("cms", "change_brandingsettings"),
]  # images and documents are granted per collection in cms.0003


def create_roles(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    for name in ROLES:
        Group.objects.get_or_create(name=name)
    grant_permissions(apps, "Programme admin", PROGRAMME_ADMIN_PERMISSIONS)


def remove_roles(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0001_initial"),
        ("activity", "0002_initial"),
        ("cms", "0001_initial"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # So that their permissions exist for cms.0003 to grant per collection.
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
