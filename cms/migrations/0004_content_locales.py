"""A content locale for each interface language, so authors can translate pages, hub items
and badges into every language people may choose (wagtail-localize); the programme team
may submit content for translation."""

from django.conf import settings
from django.db import migrations

from portal.migration_support import grant_permissions


def locales_create(apps, schema_editor):
    Locale = apps.get_model("wagtailcore", "Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)
    grant_permissions(
        apps, "Programme admin", [("wagtail_localize", "submit_translation")]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("cms", "0003_programme_admin_page_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
        ("people", "0002_roles"),
    ]

    operations = [migrations.RunPython(locales_create, migrations.RunPython.noop)]
