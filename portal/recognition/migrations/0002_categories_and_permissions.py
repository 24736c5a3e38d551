"""Starting categories, and the programme team's rights over recognition."""

from django.db import migrations

from portal.migration_support import grant_permissions

CATEGORIES = [
    ("Shining star", "An outstanding contribution to the programme."),
    ("Great storyteller", "A post that told our story in a personal, memorable way."),
    ("Helpful mentor", "Helped a colleague find their voice."),
    ("Customer hero", "Went the extra mile for a customer, in public."),
]
PERMISSIONS = [
    ("recognition", "view_audit"),
    ("recognition", "add_category"),
    ("recognition", "change_category"),
    ("recognition", "delete_category"),
    ("recognition", "view_category"),
    ("recognition", "change_recognitionsettings"),
]


def create(apps, schema_editor):
    Category = apps.get_model("recognition", "Category")
    for order, (name, description) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            name=name, defaults={"description": description, "sort_order": order}
        )
    grant_permissions(apps, "Programme admin", PERMISSIONS)


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_initial"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
